// Rust's Debug text of 128-bit integers (floats: float_text.cpp).
#include <string>

#include "formatters/render/render.h"

namespace seam {

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
