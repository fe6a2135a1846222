// Rust's Debug text of numbers: floats (f64, f32) and 128-bit integers.
#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

#include "formatters/render/render.h"

namespace seam {
namespace {

// Rust's `{:?}` of a float (core::fmt::float, float_to_general_debug, unchanged since 1.58 and
// checked against rustc 1.95): the shortest digits that round-trip, in decimal notation with at
// least one fractional digit when 1e-4 <= |v| < 1e16 or v is zero, otherwise in scientific
// notation with no `+` and no zero padding in the exponent (`1e16`, `1.5e-5`). NaN has no sign.
// The thresholds are compared in the float's own type (1e-4f32 is not 1e-4).
template <typename F> std::string debug_float(F v, F low, F high) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
    // std::to_chars without a precision gives the shortest round-trip digits (the same
    // Grisu/Ryu-style guarantee Rust's flt2dec gives), here as d.ddde±XX.
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
    if (res.ec != std::errc()) return "<error: float>";
    std::string_view sci(buf, size_t(res.ptr - buf));
    bool negative = !sci.empty() && sci[0] == '-';
    if (negative) sci.remove_prefix(1);
    auto e = sci.find('e');
    std::string digits;
    for (char c : sci.substr(0, e))
        if (c != '.') digits += c;
    int exp = std::stoi(std::string(sci.substr(e + 1)));

    std::string out = negative ? "-" : "";
    F mag = std::fabs(v);
    if (mag == 0 || (mag >= low && mag < high)) {
        if (exp >= 0) {
            size_t int_len = size_t(exp) + 1;
            if (digits.size() <= int_len) {
                out += digits;
                out.append(int_len - digits.size(), '0');
                out += ".0";
            } else {
                out += digits.substr(0, int_len);
                out += '.';
                out += digits.substr(int_len);
            }
        } else {
            out += "0.";
            out.append(size_t(-exp - 1), '0');
            out += digits;
        }
        return out;
    }
    out += digits[0];
    if (digits.size() > 1) {
        out += '.';
        out += digits.substr(1);
    }
    out += 'e';
    out += std::to_string(exp);
    return out;
}

} // namespace

std::string debug_f64(double v) {
    return debug_float<double>(v, 1e-4, 1e16);
}

std::string debug_f32(float v) {
    return debug_float<float>(v, 1e-4f, 1e16f);
}

std::string debug_i128(bool is_signed, uint64_t lo, uint64_t hi) {
    unsigned __int128 u = (static_cast<unsigned __int128>(hi) << 64) | lo;
    bool negative = is_signed && (hi >> 63);
    // Two's complement negation also handles i128::MIN, whose magnitude is 2^127 as unsigned.
    if (negative) u = ~u + 1;
    char buf[48];
    char* p = buf + sizeof buf;
    do {
        *--p = char('0' + unsigned(u % 10));
        u /= 10;
    } while (u != 0);
    if (negative) *--p = '-';
    return std::string(p, size_t(buf + sizeof buf - p));
}

} // namespace seam
