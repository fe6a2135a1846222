#pragma once
/// Cores analysed in worker processes: a crash or a hang inside LLDB on a corrupt core ends
/// that worker, never the batch. Each worker keeps its targets and their DWARF between cores
/// (analyse.cpp), so cores of one executable pay for parsing it once per worker.
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/analyse.h"

namespace seam::cli {

struct PoolOptions {
    size_t jobs = 1;
    unsigned timeout_seconds = 300; ///< per core; a worker past it is killed
    AnalyseOptions analyse;
};

/// analyse_core's answer for every core, in input order. `progress(done, total)` is called
/// after each core. The parent never loads LLDB itself: workers are forked from a process with
/// one thread.
std::vector<nlohmann::json> run_pool(const std::vector<std::string>& cores,
                                     const PoolOptions& options,
                                     const std::function<void(size_t, size_t)>& progress);

} // namespace seam::cli
