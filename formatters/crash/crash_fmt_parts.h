#pragma once
/// Private to formatters/crash: what the two readers of a `core::fmt::Arguments` share, the
/// template form of rustc 1.95 on (crash_fmt_arguments.cpp) and the older pieces form
/// (crash_fmt_pieces.cpp): reading and formatting one `rt::Argument`.
#include <cstdint>
#include <optional>
#include <string>

#include "formatters/crash/crash_internal.h"

namespace seam {
class DebugInfo;
struct Type;
} // namespace seam

namespace seam::crash::detail {

constexpr uint64_t k_max_text = 64 * 1024;
constexpr size_t k_max_args = 64;

struct Argument {
    uint64_t value = 0, formatter = 0;
};

/// rt::Argument's size and the offsets of its Placeholder's value and formatter, from the DWARF
/// where it has them.
struct ArgumentLayout {
    uint64_t size = 16, value = 0, formatter = 8;
};

ArgumentLayout argument_layout(const DebugInfo& info);
std::optional<Argument> read_argument(Reader& r, const ArgumentLayout& l, uint64_t args,
                                      size_t index);
/// The u16 an `rt::Argument` holds for a width or precision taken from the arguments
/// (`{:w$}`, `{:.*}`): its ArgumentType::Count variant; none where it is a Placeholder or the
/// DWARF has no such enum.
std::optional<uint16_t> read_count(Reader& r, const DebugInfo& info, const ArgumentLayout& l,
                                   uint64_t args, size_t index);
/// Appends argument `index` formatted under `spec` to `out`, or a marker and the reason to
/// `missing`.
void append_argument(Reader& r, const DebugInfo& info, const ArgumentLayout& l, uint64_t args,
                     size_t index, const FormatSpec& spec, std::string& out, std::string& missing);
/// Adds one reason to a `missing` list ("; " between them).
void add_missing(std::string& missing, const std::string& why);
/// `len` bytes of UTF-8 at `ptr` (at most k_max_text), or none.
std::optional<std::string> read_utf8(Reader& r, uint64_t ptr, uint64_t len);

/// Before the template: `Arguments { pieces, fmt: Option<&[Placeholder]>, args }` at `addr`
/// (crash_fmt_pieces.cpp).
std::optional<FormattedArguments> read_pieces(Reader& r, const DebugInfo& info, const Type* type,
                                              uint64_t addr);

} // namespace seam::crash::detail
