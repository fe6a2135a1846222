#pragma once
/// The frames of a thread, read through the SB API into the engine's backtrace model
/// (formatters/backtrace/backtrace.h): what `seam bt`, seam-report and the GUI's stack show.
#include <lldb/API/SBProcess.h>
#include <lldb/API/SBThread.h>

#include <string>
#include <vector>

#include "formatters/backtrace/backtrace.h"
#include "formatters/core/memory.h"
#include "formatters/core/result.h"

namespace seam::lldb {

struct BacktraceOptions {
    bool arguments = true;      ///< read parameters from the DWARF of each non-runtime frame
    size_t argument_width = 60; ///< characters of one argument's rendering before "..."
    uint32_t max_frames = 100'000;
    /// Where LLDB's unwind ends early or goes wrong, continue with seam's own
    /// (unwind_fallback.h); off: LLDB's frames (tail-called frames are inferred either way).
    bool seam_unwind = true;
    /// Name frames by their whole names where a verdict or report names them (`--full-names`);
    /// else with generic arguments collapsed. The frames themselves carry both.
    bool full_names = false;
    /// Per argument; small: a backtrace shows summaries, never whole containers.
    Budget budget = {.max_bytes = 1 << 20, .max_elements = 1'000, .max_children = 16};
};

/// The raw frames of `thread`, innermost first.
bt::RawThread collect_thread(::lldb::SBThread thread, const BacktraceOptions& options);

/// The classified backtraces of the selected thread, or of every thread when `all`.
Result<std::vector<bt::Backtrace>> collect_backtraces(::lldb::SBProcess process, bool all,
                                                      const BacktraceOptions& options);

} // namespace seam::lldb
