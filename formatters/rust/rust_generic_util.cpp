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

bool is_rust_or_unknown(const Type& t) {
    return t.lang == Lang::Rust || t.lang == Lang::Unknown;
}

Formatted typed_leaf(std::string text, const Type& t) {
    Formatted f = leaf(std::move(text));
    f.type_name = rust_layout::display_name(&t);
    return f;
}

namespace {
bool is_tuple_field(const Field& f) {
    return f.name.size() > 2 && f.name.starts_with("__");
}
} // namespace

std::vector<const Field*> visible_fields(const Type* t) {
    std::vector<const Field*> out;
    if (!t) return out;
    for (const auto& f : t->fields)
        if (!f.artificial) out.push_back(&f);
    return out;
}

Shape derived_shape(const std::vector<const Field*>& fields) {
    if (fields.empty()) return Shape::Leaf;
    return is_tuple_field(*fields.front()) ? Shape::Tuple : Shape::Struct;
}

std::vector<Child> field_children(const Value& v, const std::vector<const Field*>& fields,
                                  uint64_t base, uint64_t start, uint64_t count) {
    std::vector<Child> out;
    for (uint64_t i = start; i < fields.size() && i - start < count; ++i) {
        const Field& f = *fields[i];
        out.push_back(make_child(is_tuple_field(f) ? f.name.substr(2) : f.name,
                                 v.sub(f.type, base + f.offset)));
    }
    return out;
}

} // namespace seam::rust_generic
