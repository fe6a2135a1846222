#pragma once
/// `seam print` without the command line: what the plugin command, seam-report and the GUI
/// show for a variable path in a frame.
#include <lldb/API/SBFrame.h>

#include <string>
#include <string_view>

#include "formatters/core/memory.h"
#include "formatters/core/result.h"
#include "formatters/render/summary_line.h"

namespace seam::lldb {

enum class PrintFormat { Debug, Pretty, Tree, Json };

/// What rendering cost: the engine's reads and bytes (Context::usage) and the distinct heap
/// allocations the values rendered own (Context::allocations), summed over the variables.
struct PrintStats {
    Usage usage;
    uint64_t allocations = 0;
    uint64_t direct_reads = 0; ///< of usage.reads, those read without lldb-server
};

struct PrintOptions {
    PrintFormat format = PrintFormat::Tree;
    unsigned depth = 3; ///< levels of children for Tree and Json
    Budget budget = {};
    PrintStats* stats = nullptr; ///< filled when set (`seam print --stats`)
    /// The summary lines' limits (Tree and Json): LLDB's settings, so that `summary` is the
    /// very line `frame variable` shows.
    SummaryLimits summary = {};
    /// `TYPE.FIELD`: print the value through container_value() (container_hints.h).
    std::string container;
};

/// The value at `path` in `frame`, rendered; ends with one '\n'. Debug is exactly `{:?}`,
/// Pretty `{:#?}`, Json one object on one line.
Result<std::string> print_path(::lldb::SBFrame frame, std::string_view path,
                               const PrintOptions& options);

/// Every variable of `frame`, rendered one after the other (Debug and Pretty as
/// `name = text` lines; Json as one object holding the frame and its variables).
Result<std::string> print_frame(::lldb::SBFrame frame, const PrintOptions& options);

} // namespace seam::lldb
