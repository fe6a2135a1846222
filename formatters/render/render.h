#pragma once
/// Renderers: a formatted value tree as Rust's Debug (`{:?}`, `{:#?}`), as an LLDB-like tree,
/// and as JSON (schema docs/value-schema.md, "seam.value/1").
#include <string>

#include <nlohmann/json.hpp>

#include "formatters/core/context.h"
#include "formatters/render/summary_line.h"

namespace seam {

/// Exactly what `format!("{:?}", v)` (pretty=false) or `format!("{:#?}", v)` prints.
/// A container cut short (past the budget's max_children, the element budget spent, or a
/// formatter that gave fewer children than it counted) ends with an item `<... N more>` where
/// finish_non_exhaustive would put `..`: `[1, 2, <... 9000 more>]`. `non_exhaustive` gives `..`
/// on every shape with children (struct, tuple, list, set, map), as std's builders do.
std::string render_debug(Context& ctx, const Value& v, bool pretty);
std::string render_debug(Context& ctx, const Formatted& f, bool pretty);

/// An LLDB `frame variable`-like tree: `(Type) name = summary [ownership]` per line, children
/// indented two spaces down to `max_depth` levels (0: the value's line alone). Lists show
/// `[i] = ...`, maps `["key"] = value`, a Box/Rc/& pointee `* = ...` (not for scalar pointees,
/// whose line would repeat the summary); `[...]` is left out for inline values.
/// Each line's summary is render_summary_line's under `limits` (LLDB's settings in a session).
std::string render_tree(Context& ctx, const Value& v, const std::string& name, unsigned max_depth,
                        const SummaryLimits& limits = {});

/// One JSON object per value: schema, name, type, formatter, debug text, summary, ownership,
/// children (down to max_depth).
/// `summary` is render_summary_line's under `limits`: inside LLDB, the session's settings, so
/// that it is the very line LLDB shows beside the value.
nlohmann::json render_json(Context& ctx, const Value& v, const std::string& name,
                           unsigned max_depth, const SummaryLimits& limits = {});

/// The `ownership` object of the value JSON (docs/value-schema.md): only the facts present.
nlohmann::json ownership_json(const Ownership& o);

/// The badge a variables view shows beside a value: `owned`, `shared 2/1` (strong/weak), `weak`,
/// `borrowed`, `borrowed mut`, `cell writing`, `locked`, `raw`, `C`, `crossing`; "" for a plain
/// value held in place.
std::string ownership_badge(const Ownership& o);

/// The one-line summary LLDB shows beside a value (the formatter's, or one derived from the
/// compact Debug text: its first `max_len` UTF-8 characters followed by "..." when longer).
/// Only what the cut keeps is rendered: children past it are never asked for.
std::string render_summary(Context& ctx, const Formatted& f, size_t max_len);

/// Rust's Debug text of scalars, shared by the formatters and the renderers.
/// Floats: byte for byte what `{:?}` (and `{:#?}`) prints, `1e16`, `0.0001`, `-0.0`, `NaN`.
std::string debug_f64(double v);
std::string debug_f32(float v);
/// What `{}` prints for a float: positional always, no `.0` (`1`, `10000000000000000`, `-0`).
std::string display_f64(double v);
std::string display_f32(float v);
/// Text as the std of `rustc` prints it (a Type::rustc; 0, unknown, gets today's std): which
/// code points are escaped follows that std's Unicode tables (rustc 1.63 escapes what Unicode 15
/// and later assigned).
/// With quotes: 'a', '\n', '\u{301}'; a surrogate or a value past U+10FFFF (only corrupted
/// memory holds one) gives `<invalid: char 0xd800>`.
std::string debug_char(char32_t c, uint32_t rustc = 0);
/// True when stds differ on whether `c` is escaped (debug_char then needs the value's rustc).
bool debug_char_depends_on_rustc(char32_t c);
/// With quotes. Bytes that are not UTF-8 print as OsStr's Debug prints them (`\xFF`), and the
/// text ends with ` <invalid UTF-8>`: `"a\xFF" <invalid UTF-8>`.
std::string debug_str(std::string_view utf8, uint32_t rustc = 0);
/// Exactly OsStr's (and Path's) Debug on Unix: `"a\xFF"`, str escapes for the UTF-8 runs (and
/// `\'` as well before rustc 1.93).
std::string debug_os_str(std::string_view bytes, uint32_t rustc = 0);
/// Exactly CStr's (and CString's) Debug, without the NUL terminator: `"h\xc3\xa9"` (every byte
/// through u8::escape_ascii) before rustc 1.89, `"hé\0\xff"` (ByteStr's) since.
std::string debug_c_str(std::string_view bytes, uint32_t rustc = 0);
bool is_valid_utf8(std::string_view bytes);
std::string debug_i128(bool is_signed, uint64_t lo, uint64_t hi);

} // namespace seam
