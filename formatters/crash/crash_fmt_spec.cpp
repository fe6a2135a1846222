// A placeholder's formatting options and the padding core::fmt's Formatter applies with them
// (core/src/fmt/mod.rs: `pad`, `pad_integral`, `pad_formatted_parts`, `padding`), for the
// panic messages seam formats from a `fmt::Arguments` in memory. Widths and precisions count
// chars, not bytes, as Rust's do.
#include <cstdint>

#include "formatters/core/utf8.h"
#include "formatters/crash/crash_internal.h"

namespace seam::crash::detail {

namespace {

std::string repeat(uint32_t fill, size_t n) {
    std::string one = utf8::of(fill), out;
    for (size_t i = 0; i < n; ++i) out += one;
    return out;
}

// Formatter::padding: `body` (of `len` chars) with `missing` fill chars around it, placed by the
// spec's alignment or else `fallback`.
std::string padded(std::string_view body, size_t missing, uint32_t fill, FormatSpec::Align align,
                   FormatSpec::Align fallback) {
    using Align = FormatSpec::Align;
    if (align == Align::Unknown) align = fallback;
    size_t pre = align == Align::Left ? 0 : align == Align::Right ? missing : missing / 2;
    return repeat(fill, pre) + std::string(body) + repeat(fill, missing - pre);
}

} // namespace

bool FormatSpec::pads() const {
    return fill != ' ' || align != Align::Unknown || plus || minus || zero_pad || debug_lower_hex ||
           debug_upper_hex || width || precision;
}

FormatSpec spec_from_flags(uint32_t flags, uint16_t width, uint16_t precision) {
    FormatSpec s;
    s.fill = flags & ((1u << 21) - 1);
    s.plus = flags & (1u << 21);
    s.minus = flags & (1u << 22);
    s.alternate = flags & (1u << 23);
    s.zero_pad = flags & (1u << 24);
    s.debug_lower_hex = flags & (1u << 25);
    s.debug_upper_hex = flags & (1u << 26);
    if (flags & (1u << 27)) s.width = width;
    if (flags & (1u << 28)) s.precision = precision;
    switch (flags >> 29 & 3) {
    case 0:
        s.align = FormatSpec::Align::Left;
        break;
    case 1:
        s.align = FormatSpec::Align::Right;
        break;
    case 2:
        s.align = FormatSpec::Align::Center;
        break;
    default:
        s.align = FormatSpec::Align::Unknown;
        break;
    }
    return s;
}

std::string pad_str(std::string_view s, const FormatSpec& spec) {
    if (spec.precision) s = utf8::first_chars(s, *spec.precision);
    size_t len = utf8::char_count(s);
    if (!spec.width || len >= *spec.width) return std::string(s);
    return padded(s, *spec.width - len, spec.fill, spec.align, FormatSpec::Align::Left);
}

std::string pad_integral(bool nonnegative, std::string_view prefix, std::string_view digits,
                         const FormatSpec& spec) {
    std::string sign = !nonnegative ? "-" : spec.plus ? "+" : "";
    std::string head = sign + (spec.alternate ? std::string(prefix) : std::string());
    size_t len = utf8::char_count(head) + utf8::char_count(digits);
    if (!spec.width || len >= *spec.width) return head + std::string(digits);
    if (spec.zero_pad)
        return head + padded(digits, *spec.width - len, '0', FormatSpec::Align::Right,
                             FormatSpec::Align::Right);
    return padded(head + std::string(digits), *spec.width - len, spec.fill, spec.align,
                  FormatSpec::Align::Right);
}

std::string pad_number(std::string_view sign, std::string_view rest, const FormatSpec& spec) {
    size_t len = utf8::char_count(sign) + utf8::char_count(rest);
    if (!spec.width || len >= *spec.width) return std::string(sign) + std::string(rest);
    if (spec.zero_pad)
        return std::string(sign) + padded(rest, *spec.width - len, '0', FormatSpec::Align::Right,
                                          FormatSpec::Align::Right);
    return padded(std::string(sign) + std::string(rest), *spec.width - len, spec.fill, spec.align,
                  FormatSpec::Align::Right);
}

} // namespace seam::crash::detail
