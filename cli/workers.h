#pragma once
/// Cores analysed in worker processes: a crash or a hang inside LLDB on a corrupt core ends
/// that worker, never the batch, and that core gets a one-line error. A worker hands each
/// answer over before LLDB lets the core go, and is never waited on after: LLDB can deadlock
/// in its teardown on a corrupt executable (issue 13). Each worker keeps its targets and their
/// DWARF between cores (analyse.h), so cores of one executable pay for parsing it once per
/// worker.
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/analyse.h"

namespace seam::cli {

struct PoolOptions {
    size_t jobs = 1;
    unsigned timeout_seconds = 30; ///< per core, until its answer; a worker past it is killed
    AnalyseOptions analyse;
};

/// Called with each core's answer as it comes (cores finish in any order), before progress: it
/// may take the answer (move from it), and run_pool keeps what it leaves.
using AnswerSink = std::function<void(size_t index, nlohmann::json& answer)>;

/// Analyser::analyse's answer for every core, in input order, with `seconds`: how long the core
/// took from being handed to a worker to its answer. `progress(done, total)` is called after
/// each core. When this returns, no worker is left. The parent never loads LLDB itself: workers are
/// forked from a process with one thread.
std::vector<nlohmann::json> run_pool(const std::vector<std::string>& cores,
                                     const PoolOptions& options,
                                     const std::function<void(size_t, size_t)>& progress,
                                     const AnswerSink& sink = {});

} // namespace seam::cli
