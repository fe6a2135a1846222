// Slices, Vec, Box<[T]> and BinaryHeap: one contiguous buffer each, shown as a List whose
// children are read a page at a time (rust_layout's element_children), never whole.
#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "formatters/core/context.h"
#include "formatters/rust/families.h"
#include "formatters/rust/rust_collections.h"
#include "formatters/rust/rust_layout.h"

namespace seam {
namespace rust_collections {

std::string probe_range(Context& ctx, uint64_t ptr, uint64_t bytes, uint64_t from, uint64_t to) {
    to = std::min(to, bytes);
    if (from >= to) return "";
    std::byte one[1];
    for (uint64_t at : {ptr + from, ptr + to - 1}) {
        if (auto st = ctx.read(at, one); !st) {
            if (st.error().message.starts_with("<budget")) return st.error().message;
            return fmt::format("<error: cannot read {} bytes at {:#x}>", bytes, ptr);
        }
    }
    return "";
}

} // namespace rust_collections

namespace {

using rust_layout::Buffer;

// The elements a renderer will read, `start` on: at most the children budget. Declared to the
// Context as one range read whole, so that a page of children costs no read of its own. Returns
// how many elements that is.
uint64_t prefetch_elements(Context& ctx, const Buffer& b, uint64_t start, uint64_t count) {
    if (b.elem_size == 0 || start >= b.len) return 0;
    uint64_t n = std::min(b.len - start, count);
    if (n > std::numeric_limits<uint64_t>::max() / b.elem_size) return 0;
    uint64_t first = b.ptr + start * b.elem_size;
    ctx.prefetch(first, first + n * b.elem_size, true);
    return n;
}

// A List of `b.len` elements; ownership and summary are the caller's.
Formatted list_of(Context& ctx, const Buffer& b, bool check_cap) {
    if (auto bad = rust_layout::check(b, check_cap); !bad.empty()) return error_value(bad);
    // Both ends of what the children budget reads, from that one read (check() has bounded
    // len * elem_size). Past the budget, an element that cannot be read is a marked child.
    uint64_t shown = prefetch_elements(ctx, b, 0, ctx.budget().max_children);
    if (auto bad =
            rust_collections::probe_range(ctx, b.ptr, b.len * b.elem_size, 0, shown * b.elem_size);
        !bad.empty())
        return error_value(bad);
    Formatted f;
    f.shape = Shape::List;
    f.count = b.len;
    return f;
}

std::vector<Child> buffer_children(Context& ctx, const Result<Buffer>& b, uint64_t start,
                                   uint64_t count) {
    if (!b) return {Child{"", Value::leaf(rust_layout::marker(b.error())), std::nullopt}};
    prefetch_elements(ctx, *b, start, count);
    return rust_layout::element_children(ctx, b->ptr, b->elem, b->elem_size, start, count, start);
}

bool name_starts(const Type& t, std::string_view prefix) {
    return t.name.starts_with(prefix) || rust_layout::match_name(t).starts_with(prefix);
}

// `&[T]`, `&mut [T]` and `Box<[T]>`: rustc describes each as a struct of `data_ptr` and
// `length` named after the pointer type itself.
class SliceFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.slice"; }
    bool matches(const Type& t) const override {
        if (t.kind != TypeKind::Struct || !find_field(&t, "data_ptr") || !find_field(&t, "length"))
            return false;
        return name_starts(t, "&[") || name_starts(t, "&mut [") ||
               name_starts(t, "alloc::boxed::Box<[");
    }
    Formatted format(Context& ctx, const Value& v) const override {
        auto b = rust_layout::read_fat(ctx, v);
        if (!b) return error_value(rust_layout::marker(b.error()));
        Formatted f = list_of(ctx, *b, false);
        const Type& t = *strip(v.type);
        f.type_name = rust_layout::display_name(&t);
        if (f.shape == Shape::Error) return f;
        f.summary = fmt::format("len={}", b->len);
        f.own.kind = name_starts(t, "&mut ") ? OwnKind::BorrowedMut
                     : name_starts(t, "&")   ? OwnKind::Borrowed
                                             : OwnKind::Owned;
        f.own.address = b->ptr;
        f.own.size = b->len * b->elem_size;
        f.own.length = b->len;
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        return buffer_children(ctx, rust_layout::read_fat(ctx, v), start, count);
    }
};

// The Vec inside `v`: the value itself, or BinaryHeap's `data`.
Result<Value> vec_of(Context& ctx, const Value& v, bool heap) {
    if (!heap) return v;
    return ctx.field(v, "data");
}

class VecFormatter final : public Formatter {
public:
    VecFormatter(std::string_view path, std::string_view name, bool heap)
        : m_path(path), m_name(name), m_heap(heap) {}
    std::string_view name() const override { return m_name; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && has_path(&t, m_path);
    }
    Formatted format(Context& ctx, const Value& v) const override {
        auto vec = vec_of(ctx, v, m_heap);
        auto b = vec ? rust_layout::read_vec(ctx, *vec) : Result<Buffer>(vec.error());
        if (!b) return error_value(rust_layout::marker(b.error()));
        Formatted f = list_of(ctx, *b, true);
        f.type_name = rust_layout::display_name(v.type);
        if (f.shape == Shape::Error) return f;
        bool zst = b->elem_size == 0;
        f.summary = zst ? fmt::format("len={} zero-sized", b->len)
                        : fmt::format("len={} cap={}", b->len, b->cap);
        f.own.kind = OwnKind::Owned;
        f.own.address = b->ptr;
        f.own.size = zst ? 0 : b->cap * b->elem_size;
        f.own.length = b->len;
        f.own.capacity = b->cap;
        if (zst)
            f.own.note = "zero-sized elements: no allocation";
        else if (b->cap == 0)
            f.own.note = "no allocation";
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        auto vec = vec_of(ctx, v, m_heap);
        if (!vec) return buffer_children(ctx, vec.error(), start, count);
        return buffer_children(ctx, rust_layout::read_vec(ctx, *vec), start, count);
    }

private:
    std::string_view m_path;
    std::string_view m_name;
    bool m_heap;
};

} // namespace

void register_rust_vec(Registry& r) {
    r.add(std::make_unique<SliceFormatter>());
    r.add(std::make_unique<VecFormatter>("alloc::vec::Vec", "rust.vec", false));
    // BinaryHeap's Debug prints its Vec in the heap's internal order, not sorted.
    r.add(std::make_unique<VecFormatter>("alloc::collections::binary_heap::BinaryHeap",
                                         "rust.binary_heap", true));
    r.add(rust_collections::make_vec_deque_formatter());
    r.add(rust_collections::make_linked_list_formatter());
}

} // namespace seam
