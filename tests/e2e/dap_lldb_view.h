#pragma once
/// What lldb and lldb-dap show for one value, as tests/e2e/dap_*_test.cpp compare them: the text
/// `frame variable` prints in the adapter's console, and whether a Variable of lldb-dap's is one
/// text.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "formatters/core/result.h"

namespace seam::e2e {

/// What `frame variable -D 1 -P 1 NAME` prints in the same adapter's console: the text after
/// `(TYPE) NAME = ` and each child's `LABEL = TEXT` (nested children folded as `{...}`).
struct LldbView {
    std::string text;
    std::vector<std::pair<std::string, std::string>> children;
};

/// Parses `frame variable` output for the value labelled `name` (`v`, or `[6]` for `v[6]`).
Result<LldbView> parse_frame_variable(const std::string& out, const std::string& name);

/// lldb-dap 19 shows a variable that has both a value and a summary as "VALUE SUMMARY": it
/// ignores LLDB's hide-value option, which `frame variable` honours. seam hides LLDB's value
/// text wherever seam's summary is the text (plugin/summaries.cpp, k_value_hidden), so every
/// variable shows one text. Empty when `var` (a DAP Variable, with lldb-dap's
/// `$__lldb_extensions`) is one text; else what is doubled (`0.10000000000000001 0.1`,
/// `U+0x00000061 'a'`, `0x1 One`). A pointer is one text: `frame variable` too shows its address
/// beside what it points to.
std::string doubled(const nlohmann::json& var);

/// How many variables doubled() has checked in this process.
size_t one_text_checked();

} // namespace seam::e2e
