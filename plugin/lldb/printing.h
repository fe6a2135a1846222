#pragma once
/// `seam print` without the command line: what the plugin command, seam-report and the GUI
/// show for a variable path in a frame.
#include <lldb/API/SBFrame.h>

#include <string>
#include <string_view>

#include "formatters/core/memory.h"
#include "formatters/core/result.h"

namespace seam::lldb {

enum class PrintFormat { Debug, Pretty, Tree, Json };

struct PrintOptions {
    PrintFormat format = PrintFormat::Tree;
    unsigned depth = 3; ///< levels of children for Tree and Json
    Budget budget = {};
};

/// The value at `path` in `frame`, rendered; ends with one '\n'. Debug is exactly `{:?}`,
/// Pretty `{:#?}`, Json one object on one line.
Result<std::string> print_path(::lldb::SBFrame frame, std::string_view path,
                               const PrintOptions& options);

/// Every variable of `frame`, rendered one after the other (Debug and Pretty as
/// `name = text` lines; Json as one object holding the frame and its variables).
Result<std::string> print_frame(::lldb::SBFrame frame, const PrintOptions& options);

} // namespace seam::lldb
