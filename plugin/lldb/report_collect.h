#pragma once
/// A crash report (formatters/report/report.h) of a stopped process or a core, read through the
/// SB API: what seam-report and `seam report` print. Reads memory and registers only: no
/// expression is evaluated in the target and nothing runs.
#include <lldb/API/SBProcess.h>
#include <lldb/API/SBThread.h>

#include "formatters/core/result.h"
#include "formatters/report/report.h"
#include "plugin/lldb/backtrace_collect.h"

namespace seam::lldb {

struct ReportOptions {
    size_t signature_frames = report::k_signature_frames;
    size_t locals_frames = 3; ///< user frames of the crashing thread whose variables are shown
    unsigned value_depth = 1; ///< levels of children in each variable's JSON
    BacktraceOptions backtrace;
    /// Per variable: a report shows summaries, never whole containers.
    Budget budget = {.max_bytes = 1 << 20, .max_elements = 1'000, .max_children = 16};
};

/// A thread folded to one line: its names, stop reason and innermost user frame, from LLDB's
/// symbols alone (what a report lists for the other threads and the GUI's threads view).
report::ThreadLine thread_line(::lldb::SBThread thread, bool full_names);

/// The report of `process` (live or a core). `core` is the core's path for the report's header
/// ("" for a live process). An error only when there is no stopped process.
Result<report::Report> collect_report(::lldb::SBProcess process, const std::string& core,
                                      const ReportOptions& options = {});

} // namespace seam::lldb
