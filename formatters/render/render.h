#pragma once
/// Renderers: a formatted value tree as Rust's Debug (`{:?}`, `{:#?}`), as an LLDB-like tree,
/// and as JSON (schema docs/value-schema.md, "seam.value/1").
#include <string>

#include <nlohmann/json.hpp>

#include "formatters/core/context.h"

namespace seam {

/// Exactly what `format!("{:?}", v)` (pretty=false) or `format!("{:#?}", v)` prints.
/// Containers past the budget's max_children end with `, ...` and a marker.
std::string render_debug(Context& ctx, const Value& v, bool pretty);
std::string render_debug(Context& ctx, const Formatted& f, bool pretty);

/// An LLDB `frame variable`-like tree: `name = summary` per line, children indented,
/// down to `max_depth` levels, each line with its ownership fact in brackets.
std::string render_tree(Context& ctx, const Value& v, const std::string& name, unsigned max_depth);

/// One JSON object per value: schema, name, type, formatter, debug text, summary, ownership,
/// children (down to max_depth).
nlohmann::json render_json(Context& ctx, const Value& v, const std::string& name,
                           unsigned max_depth);

/// The one-line summary LLDB shows beside a value (the formatter's, or one derived from the
/// compact Debug text, cut at `max_len` characters with "...").
std::string render_summary(Context& ctx, const Formatted& f, size_t max_len);

/// Rust's Debug text of scalars, shared by the formatters and the renderers.
std::string debug_f64(double v);
std::string debug_f32(float v);
std::string debug_char(char32_t c);                      ///< with quotes: 'a', '\n', '\u{301}'
std::string debug_str(std::string_view utf8);            ///< with quotes; invalid UTF-8 as in String::from_utf8_lossy, marked
bool is_valid_utf8(std::string_view bytes);
std::string debug_i128(bool is_signed, uint64_t lo, uint64_t hi);

} // namespace seam
