// The kernel's own Box and Vec (kernel::alloc, 6.12 on), generic over their allocator: the
// aliases KBox/VBox/KVBox and KVec/VVec/KVVec never reach the DWARF, so the allocator is named
// from the type's second parameter (Kmalloc, Vmalloc, KVmalloc) and the alias rebuilt from it.
//   Box<T, A>(NonNull<T>, PhantomData<A>)                    repr(transparent)
//   Vec<T, A> { ptr: NonNull<T>, layout: ArrayLayout<T> { len }, len, _p }
// Vec's capacity is `layout.len`. Debug prints the value (Box) or the slice (Vec).
#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "formatters/kernel/kernel_parts.h"
#include "formatters/rust/rust_layout.h"
#include "formatters/rust/rust_pointer_parts.h"
#include "formatters/rust/rust_std_support.h"

namespace seam::kernel {
namespace {

using rust_layout::Buffer;

std::string allocator_of(const Type& t) {
    const Type* a = strip(template_arg(&t, 1));
    return a ? std::string(bare_name(a->name)) : std::string("?");
}

// The NonNull a Box holds.
Result<Value> box_pointer(const Value& v) {
    const Type& t = *strip(v.type);
    const Field* p = rust_std::field_or_only(&t, "__0");
    if (!p) return err("<error: {} holds no pointer>", t.name);
    return v.sub(p->type, p->offset);
}

// `KBox<[T]>`, `KBox<dyn Trait>`: a fat NonNull, shown as std's Box<[T]> and Box<dyn T> are.
class UnsizedBox {
public:
    static Formatted format(Context& ctx, const Value& v, const Value& pv) {
        const Type& t = *strip(v.type);
        auto r = rust_pointers::read_unsized(ctx, pv);
        if (!r) return error_value(fmt::format("<error: {}>", r.error().message));
        if (r->inner == 0)
            return error_value(fmt::format("<invalid: null {}>", alias_name(t, "Box")));
        Formatted f = rust_pointers::payload_value(ctx, v, *r);
        if (f.shape == Shape::Error) return f;
        f.type_name = alias_name(t, "Box");
        f.own.kind = OwnKind::Owned;
        f.own.address = r->inner;
        f.own.note = allocator_of(t);
        if (r->payload == rust_pointers::Payload::Dyn) {
            f.own.size = r->dyn_size;
            f.own.note += "; dyn: " + r->vtable_name;
            // A trait without Debug of its own: the vtable says what the value really is.
            if (!rust_std::in_nested_summary() &&
                !r->vtable_name.ends_with(" as core::fmt::Debug>"))
                f.summary = r->vtable_name;
        } else {
            f.own.size = r->length * size_of(r->elem);
            f.own.length = r->length;
            if (!rust_std::in_nested_summary()) f.summary = fmt::format("len={}", r->length);
        }
        return f;
    }
    static std::vector<Child> children(Context& ctx, const Value& pv, uint64_t start,
                                       uint64_t count) {
        auto r = rust_pointers::read_unsized(ctx, pv);
        if (!r) return {rust_std::error_child("*", r.error())};
        return rust_pointers::payload_children(ctx, *r, start, count);
    }
};

class BoxFormatter final : public Formatter {
public:
    std::string_view name() const override { return "kernel.box"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && has_path(&t, "kernel::alloc::kbox::Box");
    }
    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        auto pv = box_pointer(v);
        if (!pv) return error_value(pv.error().message);
        if (rust_pointers::is_fat_pointer(*pv)) return UnsizedBox::format(ctx, v, *pv);
        auto target = pointee(ctx, *pv, t);
        if (!target) return error_value(target.error().message);
        Formatted f = rust_std::transparent(v);
        f.type_name = alias_name(t, "Box");
        f.own.kind = OwnKind::Owned;
        f.own.address = *target->address;
        f.own.size = size_of(target->type);
        f.own.note = allocator_of(t);
        if (*f.own.size == 0) f.own.note += "; zero-sized: no allocation";
        // `Pin<KBox<Mutex<T>>>` is how the kernel holds a lock (or an Arc, a list): the boxed
        // value's own line (a lock's state and owner) and state are what the Box is for.
        if (!rust_std::in_nested_summary()) {
            Formatted inner = ctx.format(*target);
            if (inner.shape != Shape::Error) {
                f.summary = inner.summary;
                f.own.state = inner.own.state;
            }
        }
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        auto pv = box_pointer(v);
        if (!pv) return {rust_std::error_child("*", pv.error())};
        if (rust_pointers::is_fat_pointer(*pv)) return UnsizedBox::children(ctx, *pv, start, count);
        if (start != 0 || count == 0) return {};
        return rust_std::single_child("*", pointee(ctx, *pv, *strip(v.type)));
    }

private:
    static Result<Value> pointee(Context& ctx, const Value& pv, const Type& t) {
        const Type* target = rust_std::pointee_of(pv);
        auto addr = rust_std::address_of(ctx, pv);
        if (!addr) return err("<error: {}>", addr.error().message);
        if (*addr == 0) return err("<invalid: null {}>", alias_name(t, "Box"));
        return Value::at(target, *addr);
    }
};

class VecFormatter final : public Formatter {
public:
    std::string_view name() const override { return "kernel.vec"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && has_path(&t, "kernel::alloc::kvec::Vec");
    }
    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        auto b = read_kvec(ctx, v);
        if (!b) return error_value(rust_layout::marker(b.error()));
        if (auto bad = rust_layout::check(*b, b->elem_size != 0); !bad.empty())
            return error_value(bad);
        Formatted f;
        f.shape = Shape::List;
        f.count = b->len;
        f.type_name = alias_name(t, "Vec");
        bool zst = b->elem_size == 0;
        f.summary = zst ? fmt::format("len={} zero-sized", b->len)
                        : fmt::format("len={} cap={}", b->len, b->cap);
        f.own.kind = OwnKind::Owned;
        f.own.address = b->ptr;
        f.own.size = b->cap * b->elem_size;
        f.own.length = b->len;
        f.own.capacity = b->cap;
        f.own.note = allocator_of(t);
        if (zst)
            f.own.note += "; zero-sized elements: no allocation";
        else if (b->cap == 0)
            f.own.note += "; no allocation";
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        auto b = read_kvec(ctx, v);
        if (!b) return {Child{"", Value::leaf(rust_layout::marker(b.error())), std::nullopt}};
        if (b->elem_size != 0 && start < b->len) {
            // The page asked for, in one read.
            uint64_t n = std::min(b->len - start, count);
            if (n <= std::numeric_limits<uint64_t>::max() / b->elem_size) {
                uint64_t first = b->ptr + start * b->elem_size;
                ctx.prefetch(first, first + n * b->elem_size, true);
            }
        }
        return rust_layout::element_children(ctx, b->ptr, b->elem, b->elem_size, start, count,
                                             start);
    }
};

} // namespace

Result<rust_layout::Buffer> read_kvec(Context& ctx, const Value& v) {
    const Type& t = *strip(v.type);
    Buffer b;
    b.elem = template_arg(&t, 0);
    if (!b.elem) return err("<error: {} names no element type>", t.name);
    b.elem_size = size_of(b.elem);
    auto ptr = ctx.field(v, "ptr");
    if (!ptr) return ptr.error();
    auto p = rust_layout::scalar(ctx, *ptr);
    if (!p) return p.error();
    auto cap = ctx.uint_at(v, {"layout", "len"});
    if (!cap) return cap.error();
    auto len = ctx.uint_at(v, {"len"});
    if (!len) return len.error();
    b.ptr = *p;
    b.len = *len;
    // A Vec of zero-sized elements allocates nothing; its layout says 0 whatever its length.
    b.cap = b.elem_size == 0 ? std::numeric_limits<uint64_t>::max() : *cap;
    return b;
}

std::unique_ptr<Formatter> make_box_formatter() {
    return std::make_unique<BoxFormatter>();
}
std::unique_ptr<Formatter> make_vec_formatter() {
    return std::make_unique<VecFormatter>();
}

} // namespace seam::kernel
