// Rust's text of f64 and f32: `{:?}` (core::fmt::float, float_to_general_debug) and `{}`
// (float_to_decimal_display), both built on flt2dec's shortest round-trip digits.
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <system_error>

#include "formatters/render/render.h"

namespace seam {
namespace {

/// The shortest digits that read back as the value: value = d[0].d[1..] * 10^exp.
struct Shortest {
    std::string digits; ///< no leading or trailing zeros ("0" for zero)
    int exp = 0;
};

/// IEEE layout of the two types: the value is mantissa * 2^exponent with both integers.
template <typename F> struct Layout;
template <> struct Layout<double> {
    using Bits = uint64_t;
    static constexpr int fraction_bits = 52;
    static constexpr int min_exponent = -1074; ///< of the last mantissa bit, subnormals
    static constexpr int exponent_bias = 1075; ///< biased exponent - this = last bit's exponent
};
template <> struct Layout<float> {
    using Bits = uint32_t;
    static constexpr int fraction_bits = 23;
    static constexpr int min_exponent = -149;
    static constexpr int exponent_bias = 150;
};

/// |v| (finite, non-zero) as odd * 2^exp2.
template <typename F> void odd_times_power_of_two(F v, uint64_t& odd, int& exp2) {
    using L = Layout<F>;
    auto bits = std::bit_cast<typename L::Bits>(v);
    uint64_t fraction = bits & ((uint64_t(1) << L::fraction_bits) - 1);
    int biased = int((bits >> L::fraction_bits) &
                     ((uint64_t(1) << (8 * sizeof(F) - 1 - L::fraction_bits)) - 1));
    uint64_t mantissa = biased == 0 ? fraction : fraction | (uint64_t(1) << L::fraction_bits);
    exp2 = biased == 0 ? L::min_exponent : biased - L::exponent_bias;
    int zeros = std::countr_zero(mantissa);
    odd = mantissa >> zeros;
    exp2 += zeros;
}

/// When |v| lies exactly halfway between two candidates of the shortest length (their last
/// digit at 10^last), the decimal N with |v| = N * 10^(last-1), which ends in 5; else 0.
/// |v| = odd * 2^e2 is such a midpoint only when e2 == last - 1: then N = odd * 5^-(last-1)
/// (last - 1 < 0), or odd / 5^(last-1) when 5^last divides odd (last - 1 >= 0, which no f64
/// or f32 reaches, but the arithmetic holds). N has at most 18 digits (17 for f64 plus the 5).
uint64_t midpoint_decimal(uint64_t odd, int e2, int last) {
    int j = last - 1;
    if (e2 != j) return 0;
    unsigned __int128 n = odd;
    if (j < 0) {
        if (-j > 27) return 0; // 5^28 alone exceeds 10^19: no 18-digit N
        for (int i = 0; i < -j; ++i) n *= 5;
    } else {
        if (j + 1 > 27) return 0; // odd < 2^53 < 5^23
        unsigned __int128 p = 1;
        for (int i = 0; i <= j; ++i) p *= 5;
        if (n % p != 0) return 0;
        n /= p / 5;
    }
    if (n % 10 != 5 || n >= (unsigned __int128)(10000000000000000000ull)) return 0;
    return uint64_t(n);
}

/// Adds one unit in the last digit, carrying; 999 becomes 1 with exp + 1.
void round_up(Shortest& s) {
    size_t i = s.digits.size();
    while (i > 0 && s.digits[i - 1] == '9') s.digits[--i] = '0';
    if (i == 0) {
        s.digits.insert(s.digits.begin(), '1');
        ++s.exp;
    } else {
        ++s.digits[i - 1];
    }
    while (s.digits.size() > 1 && s.digits.back() == '0') s.digits.pop_back();
}

// std::to_chars without a precision gives the shortest round-trip digits and, among those of
// that length, the closest to the value, both as flt2dec does (inclusive bounds for an even
// mantissa, like the parsers both sides use). They differ in one case: the value exactly
// halfway between the two closest, where to_chars rounds to an even last digit and flt2dec
// rounds up (dragon.rs format_shortest: `mant * 2 >= scale`; Grisu, tried first, gives the
// same digits or gives up). -1130608537202448.25 is `...448.2` to C++ and `...448.3` to Rust.
template <typename F> Shortest shortest(F v) {
    Shortest s;
    v = std::fabs(v);
    if (v == 0) {
        s.digits = "0";
        return s;
    }
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
    if (res.ec != std::errc()) return s; // digits stay empty: the caller marks the error
    std::string_view sci(buf, size_t(res.ptr - buf));
    auto e = sci.find('e');
    for (char c : sci.substr(0, e))
        if (c != '.') s.digits += c;
    std::from_chars(sci.data() + e + 1 + (sci[e + 1] == '+'), sci.data() + sci.size(), s.exp);

    uint64_t odd = 0;
    int e2 = 0;
    odd_times_power_of_two(v, odd, e2);
    int last = s.exp - int(s.digits.size()) + 1;
    if (uint64_t n = midpoint_decimal(odd, e2, last)) {
        uint64_t d = 0;
        std::from_chars(s.digits.data(), s.digits.data() + s.digits.size(), d);
        if (n / 10 == d) round_up(s); // to_chars took the lower neighbour
    }
    return s;
}

/// The digits laid out without an exponent: `12.5`, `0.0012`, `1200`; `min_fraction` zeros
/// after a `.` when the value has no fractional digits (Debug: 1, Display: 0).
std::string positional(const Shortest& s, int min_fraction) {
    std::string out;
    int n = int(s.digits.size());
    if (s.exp < 0) {
        out = "0.";
        out.append(size_t(-s.exp - 1), '0');
        out += s.digits;
        return out;
    }
    int int_len = s.exp + 1;
    if (n <= int_len) {
        out = s.digits;
        out.append(size_t(int_len - n), '0');
        if (min_fraction > 0) {
            out += '.';
            out.append(size_t(min_fraction), '0');
        }
        return out;
    }
    out = s.digits.substr(0, size_t(int_len));
    out += '.';
    out += s.digits.substr(size_t(int_len));
    return out;
}

// Debug: decimal with at least one fractional digit when 1e-4 <= |v| < 1e16 or v is zero,
// otherwise scientific with no `+` and no zero padding in the exponent (`1e16`, `1.5e-5`).
// The thresholds are compared in the float's own type (1e-4f32 is not 1e-4). NaN has no sign;
// -0.0 keeps its sign (Sign::MinusRaw since 1.53). Unchanged since 1.58, checked to 1.95.
template <typename F> std::string debug_float(F v, F low, F high) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
    Shortest s = shortest(v);
    if (s.digits.empty()) return "<error: float>";
    std::string out = std::signbit(v) ? "-" : "";
    F mag = std::fabs(v);
    if (mag == 0 || (mag >= low && mag < high)) return out + positional(s, 1);
    out += s.digits[0];
    if (s.digits.size() > 1) {
        out += '.';
        out += s.digits.substr(1);
    }
    out += 'e';
    out += std::to_string(s.exp);
    return out;
}

// Display: always positional, no `.0` for whole values (`1`, `1e16` as 10000000000000000);
// -0.0 prints `-0`.
template <typename F> std::string display_float(F v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
    Shortest s = shortest(v);
    if (s.digits.empty()) return "<error: float>";
    return (std::signbit(v) ? "-" : "") + positional(s, 0);
}

} // namespace

std::string debug_f64(double v) {
    return debug_float<double>(v, 1e-4, 1e16);
}

std::string debug_f32(float v) {
    return debug_float<float>(v, 1e-4f, 1e16f);
}

std::string display_f64(double v) {
    return display_float(v);
}

std::string display_f32(float v) {
    return display_float(v);
}

} // namespace seam
