#pragma once
/// The one-line summary LLDB shows beside a Rust value (`frame variable`, `p`, lldb-dap): the
/// engine's render_summary_line under LLDB's own settings, so that LLDB and `seam print --json`
/// give the same line.
#include <cstdint>
#include <string>

#include "formatters/core/context.h"

namespace seam::plugin {

/// render_summary_line with at most `ctx.budget().max_children` items (the summary budget holds
/// LLDB's target.max-children-count) and strings cut after `max_string` characters (LLDB's
/// target.max-string-summary-length).
std::string summary_line(Context& ctx, const Formatted& f, uint32_t max_string);

} // namespace seam::plugin
