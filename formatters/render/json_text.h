#pragma once
/// The text of seam's JSON outputs. nlohmann's dump() throws on a string that is not UTF-8, and
/// such strings come from the input: a C string or type name, a path, a thread name or a panic
/// message read from a corrupt core (found by fuzz_render). Every JSON seam prints goes through
/// here, so that an invalid byte becomes U+FFFD instead of an exception escaping a debugger
/// callback or ending seam-report.
#include <string>

#include <nlohmann/json.hpp>

namespace seam {

/// `j` as JSON text, indented by `indent` spaces (-1: one line), invalid UTF-8 replaced.
inline std::string json_text(const nlohmann::json& j, int indent = -1) {
    return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace seam
