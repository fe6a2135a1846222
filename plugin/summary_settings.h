#pragma once
/// LLDB's own display settings that seam's summaries honour, read through the SB API.
#include <lldb/API/SBTarget.h>
#include <lldb/API/SBValue.h>

#include <cstdint>

namespace seam::plugin {

struct SummarySettings {
    uint32_t max_children = 256; ///< target.max-children-count: items a summary lists inline
    uint32_t max_string = 1024;  ///< target.max-string-summary-length: characters of a string
};

/// The settings of the debugger that owns `value`'s target. Read once per process stop (a
/// setting changed at a stop applies from the next one, as LLDB's own cached summaries do).
SummarySettings summary_settings(::lldb::SBValue value);
/// The same for `target`'s debugger and process (`seam print` has a frame, not a value).
SummarySettings summary_settings(::lldb::SBTarget target);

} // namespace seam::plugin
