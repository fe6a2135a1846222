// Readers and spellings shared by the generic Rust formatter's pieces.
#include <array>

#include <fmt/format.h>

#include "formatters/rust/rust_generic_parts.h"
#include "formatters/rust/rust_layout.h"

namespace seam::rust_generic {

Result<Int128> read_int128(Context& ctx, const Value& v, uint64_t offset, size_t size) {
    if (size == 0 || size > 16) return err("cannot read a {}-byte integer", size);
    std::array<std::byte, 16> buf{};
    SEAM_TRY(ctx.read_bytes(v, offset, std::span<std::byte>(buf.data(), size)));
    Int128 r;
    for (size_t i = 0; i < size; ++i) {
        uint64_t b = std::to_integer<uint8_t>(buf[i]);
        if (i < 8)
            r.lo |= b << (8 * i);
        else
            r.hi |= b << (8 * (i - 8));
    }
    return r;
}

Int128 truncate(Int128 x, size_t size) {
    if (size >= 16) return x;
    if (size >= 8) {
        if (size > 8)
            x.hi &= (uint64_t(1) << (8 * (size - 8))) - 1;
        else
            x.hi = 0;
        return x;
    }
    x.hi = 0;
    x.lo &= (uint64_t(1) << (8 * size)) - 1;
    return x;
}

Int128 sign_extend(Int128 x, size_t size) {
    if (size == 0 || size >= 16) return x;
    x = truncate(x, size);
    unsigned bits = unsigned(size) * 8;
    bool negative = bits > 64 ? (x.hi >> (bits - 65)) & 1 : (x.lo >> (bits - 1)) & 1;
    if (!negative) return x;
    if (bits < 64) {
        x.lo |= ~uint64_t(0) << bits;
        x.hi = ~uint64_t(0);
    } else if (bits == 64) {
        x.hi = ~uint64_t(0);
    } else {
        x.hi |= ~uint64_t(0) << (bits - 64);
    }
    return x;
}

std::string hex128(Int128 x) {
    if (x.hi) return fmt::format("0x{:x}{:016x}", x.hi, x.lo);
    return fmt::format("0x{:x}", x.lo);
}

std::string pointer_text(uint64_t address, bool pretty) {
    // core::fmt::pointer_fmt_inner: `{:#?}` sets zero padding to 2 + 2 * size_of::<usize>().
    return pretty ? fmt::format("{:#018x}", address) : fmt::format("{:#x}", address);
}

std::string rust_type_name(const Type* t) {
    t = strip(t);
    if (!t) return "()";
    if (t->kind == TypeKind::Array && !t->dims.empty()) {
        // rustc names no array type; nested dimensions are nested array types.
        std::string elem = rust_type_name(t->target);
        std::string out;
        for (size_t i = 0; i < t->dims.size(); ++i) out += "[";
        out += elem;
        for (size_t i = t->dims.size(); i-- > 0;)
            out += t->dims[i] ? fmt::format("; {}]", *t->dims[i]) : std::string("]");
        return out;
    }
    return rust_layout::display_name(t);
}

Formatted address_leaf(uint64_t address) {
    Formatted f = leaf(pointer_text(address, false));
    f.pretty_text = pointer_text(address, true);
    return f;
}

} // namespace seam::rust_generic
