#pragma once
/// The one-line summary of a value: what LLDB shows beside it (`frame variable`, `p`, lldb-dap)
/// and what `seam print --json` gives as `summary`. One function, so that they cannot differ.
#include <cstdint>
#include <string>

#include "formatters/core/context.h"

namespace seam {

/// What the front end allows the line. The defaults are LLDB's own defaults, so that
/// `seam print --json` gives the line an unconfigured LLDB shows.
struct SummaryLimits {
    /// Items a container lists after its facts (LLDB's target.max-children-count); nested
    /// containers are cut by the Context budget's max_children.
    uint64_t max_items = 256;
    /// Characters of a string before `"...` (LLDB's target.max-string-summary-length).
    uint64_t max_string = 1024;
};

/// - A container whose formatter states facts only (words such as `len=3`, `cap=4`,
///   `zero-sized`) lists its first items after them, as far as the line allows:
///   `len=3 cap=4 [1, 2, 3]`, `len=4 [12, 13, <... 2 more>]` (max_items 2).
/// - A string is cut after `max_string` characters the way LLDB cuts a C string: `"hel"...`.
/// - Any other formatter summary is given whole (`strong=2 weak=1 → "hello"`, `writing 5`).
/// - Anything else is its compact Debug text: `Some(5)`, `Point { x: 1, y: 2 }`.
/// Apart from a string and a formatter's own summary, a line longer than kSummaryChars (120)
/// characters is cut there and ends with `...`. Only what the line shows is read.
std::string render_summary_line(Context& ctx, const Formatted& f, const SummaryLimits& limits = {});

/// `text`, a Debug string literal (`"a\nb"`, perhaps followed by ` <invalid UTF-8>`), cut after
/// `max_chars` characters of the string (an escape is one character): `"a\n"...`. Any other
/// text is returned as it is.
std::string cut_string_literal(const std::string& text, uint64_t max_chars);

} // namespace seam
