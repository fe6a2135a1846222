// VecDeque<T>: a ring buffer. Since rustc 1.67 it is { buf: RawVec<T>, head, len } and element
// i lives in slot (head + i) % cap; before, it was { tail, head, buf } with a power-of-two cap,
// elements from `tail` up to (not including) `head`. Either way a page of children is at most
// two contiguous runs: two bulk reads.
#include <algorithm>

#include <fmt/format.h>

#include "formatters/core/context.h"
#include "formatters/rust/rust_collections.h"
#include "formatters/rust/rust_layout.h"

namespace seam::rust_collections {
namespace {

struct Ring {
    rust_layout::Buffer buf; ///< ptr, cap, elem; buf.len is the deque's len
    uint64_t head = 0;       ///< slot of element 0
    uint64_t capacity = 0;   ///< what VecDeque::capacity() returns
};

Result<Ring> read_ring(Context& ctx, const Value& v) {
    const Type* t = strip(v.type);
    const Type* elem = nullptr;
    for (const auto& p : t->template_params)
        if (p.name == "T") elem = p.type;
    auto raw = ctx.field(v, "buf");
    if (!raw) return raw.error();
    auto buf = rust_layout::read_raw_vec(ctx, *raw, elem);
    if (!buf) return buf.error();
    Ring r;
    r.buf = *buf;
    auto head = ctx.uint_at(v, {"head"});
    if (!head) return head.error();
    if (find_field(t, "len")) {
        auto len = ctx.uint_at(v, {"len"});
        if (!len) return len.error();
        r.head = *head;
        r.buf.len = *len;
        r.capacity = r.buf.cap;
    } else {
        // Pre-1.67 layout: `tail` is the first element, `head` one past the last.
        auto tail = ctx.uint_at(v, {"tail"});
        if (!tail) return tail.error();
        r.head = *tail;
        uint64_t cap = r.buf.cap;
        // For a zero-sized T the old ring's cap() is MAXIMUM_ZST_CAPACITY, 1 << 63.
        if (r.buf.elem_size == 0) cap = r.buf.cap = uint64_t(1) << 63;
        if (cap == 0 || (cap & (cap - 1)) != 0)
            return err("<invalid: VecDeque cap {} is not a power of two>", cap);
        // Both ends index the buffer: the mask below would hide a corrupted one.
        if (r.buf.elem_size != 0 && *tail >= cap)
            return err("<invalid: tail {} outside cap {}>", *tail, cap);
        if (r.buf.elem_size != 0 && *head >= cap)
            return err("<invalid: head {} outside cap {}>", *head, cap);
        r.buf.len = (*head - *tail) & (cap - 1);
        // The old ring keeps one slot empty to tell full from empty: capacity() is cap - 1.
        r.capacity = cap - 1;
    }
    return r;
}

std::string ring_error(const Ring& r) {
    const auto& b = r.buf;
    if (auto bad = rust_layout::check(b, true); !bad.empty()) return bad;
    if (b.elem_size != 0 && b.cap != 0 && r.head >= b.cap)
        return fmt::format("<invalid: head {} outside cap {}>", r.head, b.cap);
    return "";
}

// The slots of elements `start .. start+count`: at most two runs, [first slot, +n) then [0, +m).
struct Runs {
    uint64_t slot = 0, first = 0, rest = 0;
};

Runs runs_of(const Ring& r, uint64_t start, uint64_t count) {
    const auto& b = r.buf;
    if (b.cap == 0 || start >= b.len) return {};
    count = std::min(count, b.len - start);
    Runs out;
    out.slot = (r.head + start) % b.cap;
    out.first = std::min(count, b.cap - out.slot);
    out.rest = count - out.first;
    return out;
}

// Each run is declared to the Context as read whole, so a renderer's pages of children cost no
// read of their own; two runs that fill at least half the ring are one read of the whole ring
// (at most twice the bytes, one round trip fewer).
void prefetch_runs(Context& ctx, const Ring& r, uint64_t start, uint64_t count) {
    const auto& b = r.buf;
    if (b.elem_size == 0) return;
    Runs runs = runs_of(r, start, count);
    if (runs.first == 0) return;
    if (runs.rest > 0 && (runs.first + runs.rest) * 2 >= b.cap) {
        ctx.prefetch(b.ptr, b.ptr + b.cap * b.elem_size, true);
        return;
    }
    ctx.prefetch(b.ptr + runs.slot * b.elem_size, b.ptr + (runs.slot + runs.first) * b.elem_size,
                 true);
    if (runs.rest > 0) ctx.prefetch(b.ptr, b.ptr + runs.rest * b.elem_size, true);
}

// Both ends of each run the children budget reads: from the runs' own reads. Past the budget,
// a slot that cannot be read is a marked child.
std::string probe_runs(Context& ctx, const Ring& r, uint64_t count) {
    const auto& b = r.buf;
    Runs runs = runs_of(r, 0, count);
    uint64_t bytes = b.cap * b.elem_size;
    std::string bad = probe_range(ctx, b.ptr, bytes, runs.slot * b.elem_size,
                                  (runs.slot + runs.first) * b.elem_size);
    if (bad.empty() && runs.rest > 0)
        bad = probe_range(ctx, b.ptr, bytes, 0, runs.rest * b.elem_size);
    return bad;
}

class VecDequeFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.vec_deque"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct &&
               has_path(&t, "alloc::collections::vec_deque::VecDeque");
    }
    Formatted format(Context& ctx, const Value& v) const override {
        auto r = read_ring(ctx, v);
        if (!r) return error_value(rust_layout::marker(r.error()));
        const auto& b = r->buf;
        std::string bad = ring_error(*r);
        if (bad.empty() && b.len > 0) {
            prefetch_runs(ctx, *r, 0, ctx.budget().max_children);
            bad = probe_runs(ctx, *r, ctx.budget().max_children);
        }
        if (!bad.empty()) return error_value(bad);
        Formatted f;
        f.shape = Shape::List;
        f.count = b.len;
        f.type_name = rust_layout::display_name(v.type);
        bool zst = b.elem_size == 0;
        f.summary = zst ? fmt::format("len={} zero-sized", b.len)
                        : fmt::format("len={} cap={}", b.len, r->capacity);
        f.own.kind = OwnKind::Owned;
        f.own.address = b.ptr;
        f.own.size = zst ? 0 : b.cap * b.elem_size;
        f.own.length = b.len;
        f.own.capacity = r->capacity;
        if (!zst && r->head + b.len > b.cap) f.own.note = "wrapped";
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        auto r = read_ring(ctx, v);
        if (!r) return {Child{"", Value::leaf(rust_layout::marker(r.error())), std::nullopt}};
        if (auto bad = ring_error(*r); !bad.empty())
            return {Child{"", Value::leaf(bad), std::nullopt}};
        const auto& b = r->buf;
        if (b.elem_size == 0)
            return rust_layout::element_children(ctx, b.ptr, b.elem, 0, start, count, start);
        // A renderer walks on from here: the rest of its budget of children, read whole.
        prefetch_runs(ctx, *r, start, std::max(count, ctx.budget().max_children));
        uint64_t slot = (r->head + start) % b.cap;
        uint64_t first = std::min(count, b.cap - slot);
        auto out =
            rust_layout::element_children(ctx, b.ptr, b.elem, b.elem_size, slot, first, start);
        if (first < count) {
            auto rest = rust_layout::element_children(ctx, b.ptr, b.elem, b.elem_size, 0,
                                                      count - first, start + first);
            out.insert(out.end(), std::make_move_iterator(rest.begin()),
                       std::make_move_iterator(rest.end()));
        }
        return out;
    }
};

} // namespace

std::unique_ptr<Formatter> make_vec_deque_formatter() {
    return std::make_unique<VecDequeFormatter>();
}

} // namespace seam::rust_collections
