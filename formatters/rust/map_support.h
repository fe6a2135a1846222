#pragma once
/// Internal to the map families (rust_hashbrown.cpp, rust_btree.cpp): the small readers they
/// share. Not for other families.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formatters/core/context.h"

namespace seam::map_support {

/// Reads `out.size()` bytes at `address` in one read and, when the Context reads ahead (a
/// renderer's request), keeps them for the reads inside them that follow (a hash table's
/// control bytes scanned again by the walk, a B-tree node's keys formatted as children). The
/// Context keeps only chunks it fetched for a read smaller than the chunk, so the range is
/// declared and read as all but its last byte, then that byte from the kept chunk.
inline Status read_and_keep(Context& ctx, uint64_t address, std::span<std::byte> out) {
    if (ctx.read_chunk() == 0 || out.size() < 2) return ctx.read(address, out);
    ctx.prefetch(address, address + out.size(), true);
    SEAM_TRY(ctx.read(address, out.first(out.size() - 1)));
    return ctx.read(address + out.size() - 1, out.last(1));
}

/// `v`'s own bytes read in one go, as a held value of the same type: the header fields of a
/// collection are then decoded without a memory round trip each, and `children` after `format`
/// finds them in the Context instead of reading them again.
inline Result<Value> snapshot(Context& ctx, const Value& v) {
    const Type* t = strip(v.type);
    if (!t || !t->has_size) return err("{} has no size", t ? t->name : std::string("<no type>"));
    std::vector<std::byte> bytes(t->size);
    if (v.address)
        SEAM_TRY(read_and_keep(ctx, *v.address, bytes));
    else
        SEAM_TRY(ctx.read_bytes(v, 0, bytes));
    return Value::held(v.type, std::move(bytes));
}

/// A thin pointer stored in `v`, looking through single-field wrappers (`NonNull { pointer }`,
/// `Unique`, `MaybeUninit`'s `value`/`ManuallyDrop`): its value and the pointee type.
struct PointerField {
    uint64_t address = 0;
    const Type* pointee = nullptr;
};

inline Result<PointerField> read_pointer(Context& ctx, const Value& v) {
    Value cur = v;
    for (int hop = 0; hop < 6; ++hop) {
        const Type* t = strip(cur.type);
        if (!t) return err("pointer field has no type");
        if (t->kind == TypeKind::Pointer) {
            auto a = ctx.read_uint(cur, 0, t->has_size ? t->size : 8);
            if (!a) return a.error();
            return PointerField{*a, strip(t->target)};
        }
        if (t->kind != TypeKind::Struct && t->kind != TypeKind::Union)
            return err("{} is not a pointer", t->name);
        // The wrapper's one sized member: NonNull's `pointer`, MaybeUninit's `value`.
        const Field* inner = nullptr;
        for (const auto& f : t->fields) {
            const Type* ft = strip(f.type);
            if (ft && ft->has_size && ft->size == t->size) {
                inner = &f;
                break;
            }
        }
        if (!inner) return err("{} wraps no pointer", t->name);
        cur = cur.sub(inner->type, inner->offset);
    }
    return err("pointer wrapped too deeply");
}

/// The template argument called `name` (`K`, `V`, `T`), or null.
inline const Type* template_arg_named(const Type* t, std::string_view name) {
    if (!t) return nullptr;
    for (const auto& p : t->template_params)
        if (p.name == name) return p.type;
    return nullptr;
}

/// `len=3`, the summary every map and set family gives.
inline std::string len_summary(uint64_t n) {
    return fmt::format("len={}", n);
}

/// A map or set of type `t` (stripped) holding `len` elements, before its ownership is known:
/// Debug's `{k: v}` or `{x}`, the type as DWARF names it, `len=N`.
inline Formatted map_or_set(const Type* t, bool is_set, uint64_t len) {
    Formatted f;
    f.shape = is_set ? Shape::Set : Shape::Map;
    f.type_name = t->name;
    f.count = len;
    f.summary = len_summary(len);
    return f;
}

/// How many of the `count` children asked for from `start` exist among `len` elements.
inline uint64_t page_size(uint64_t start, uint64_t count, uint64_t len) {
    return std::min(count, len > start ? len - start : 0);
}

/// One child of a map (`value` the key, `map_value` the value) or of a set.
inline Child element_child(uint64_t index, Value key, std::optional<Value> value) {
    Child c;
    c.label = fmt::format("[{}]", index);
    c.value = std::move(key);
    c.map_value = std::move(value);
    return c;
}

/// A child that could not be read: a visible error row, never a missing one.
inline Child error_child(uint64_t index, std::string text) {
    Child c;
    c.label = fmt::format("[{}]", index);
    c.value = Value::leaf(std::move(text));
    return c;
}

/// The page `start, count` of a collection whose header could not be read: one error row.
inline std::vector<Child> unreadable_page(uint64_t start, uint64_t count, const Error& e) {
    if (count == 0) return {};
    return {error_child(start, e.message)};
}

} // namespace seam::map_support
