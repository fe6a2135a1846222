#pragma once
/// The one-line summary LLDB shows beside a Rust value (`frame variable`, `p`, lldb-dap).
#include <cstdint>
#include <string>

#include "formatters/core/context.h"

namespace seam::plugin {

/// - A container whose formatter states facts lists its first items after them, as far as the
///   line allows: `len=3 cap=4 [1, 2, 3]`. How many items: the budget's max_children (LLDB's
///   target.max-children-count), then `<... N more>`.
/// - A string is cut after `max_string` characters (LLDB's target.max-string-summary-length)
///   the way LLDB cuts a C string: `"hel"...`.
/// - Anything else is the summary `seam print` gives (render_summary).
/// A line longer than kSummaryChars characters is cut there and ends with `...`.
std::string summary_line(Context& ctx, const Formatted& f, uint32_t max_string);

/// `text`, a Debug string literal (`"a\nb"`, perhaps followed by ` <invalid UTF-8>`), cut after
/// `max_chars` characters of the string (an escape is one character): `"a\n"...`.
std::string cut_string_literal(const std::string& text, uint32_t max_chars);

} // namespace seam::plugin
