// Rc<T>, Arc<T> and their Weak<T>: a NonNull to an RcInner/ArcInner { strong, weak, value }.
// The pointer is thin for sized T, and a fat {data_ptr, length} (str, [T]) or {pointer, vtable}
// (dyn T) struct otherwise; then the inner's DWARF `value` member is typed as the element
// (u8 for str) or as the zero-sized `dyn T`, at the offset of a 1-aligned value.
// `weak` counts one extra reference held by all the strong ones together: Rc::weak_count is
// weak - 1, and a Weak whose value is dropped reports 0. Weak::new() points at usize::MAX.
#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "formatters/rust/rust_layout.h"
#include "formatters/rust/rust_pointer_parts.h"
#include "formatters/rust/rust_std_support.h"

namespace seam::rust_pointers {
namespace {

using rust_std::is_path;

constexpr uint64_t kDangling = std::numeric_limits<uint64_t>::max();

uint64_t size_of(const Type* t) {
    t = strip(t);
    return t && t->has_size ? t->size : 0;
}

uint64_t round_up(uint64_t x, uint64_t align) {
    return (x + align - 1) / align * align;
}

// A raw pointer as rustc lays it out: thin (a DWARF pointer), or a fat struct, {data_ptr,
// length} for [T] and str, {pointer, vtable} for dyn T.
struct RawPointer {
    uint64_t address = 0;
    const Type* target = nullptr; ///< what the (data) pointer's DWARF type points at
    Payload payload = Payload::Sized;
    uint64_t length = 0;
    uint64_t vtable = 0;
};

Result<RawPointer> read_pointer(Context& ctx, const Value& ptr) {
    const Type* pt = strip(ptr.type);
    if (!pt) return err("<error: an untyped pointer>");
    RawPointer r;
    const Type* data_type = pt;
    if (pt->kind == TypeKind::Pointer) {
        auto a = ctx.read_uint(ptr, 0, pt->size ? pt->size : 8);
        if (!a) return a.error();
        r.address = *a;
    } else if (const Field* data = find_field(pt, "data_ptr")) {
        auto a = ctx.uint_at(ptr, {"data_ptr"});
        if (!a) return a.error();
        auto len = ctx.uint_at(ptr, {"length"});
        if (!len) return len.error();
        r.address = *a;
        r.length = *len;
        // `*const str`, `*const RcInner<str>`: str's data pointer is a `*const u8`.
        std::string_view n = pt->name;
        r.payload = n.ends_with(" str") || n.find("<str>") != std::string_view::npos
                        ? Payload::Str
                        : Payload::Slice;
        data_type = strip(data->type);
    } else if (const Field* data = find_field(pt, "pointer"); data && find_field(pt, "vtable")) {
        auto a = ctx.uint_at(ptr, {"pointer"});
        if (!a) return a.error();
        auto vtable = ctx.uint_at(ptr, {"vtable"});
        if (!vtable) return vtable.error();
        r.address = *a;
        r.vtable = *vtable;
        r.payload = Payload::Dyn;
        data_type = strip(data->type);
    } else {
        return err("<error: unknown pointer layout {}>", pt->name);
    }
    r.target =
        data_type && data_type->kind == TypeKind::Pointer ? strip(data_type->target) : nullptr;
    if (!r.target && r.payload != Payload::Dyn)
        return err("<error: {} points at no type>", pt->name);
    return r;
}

// The pointer inside a NonNull (its `pointer`), or `v` itself when it is one.
Result<Value> pointer_of(Context& ctx, const Value& v) {
    const Type* t = strip(v.type);
    if (t && t->kind == TypeKind::Struct && !find_field(t, "data_ptr") && !find_field(t, "vtable"))
        return ctx.field(v, "pointer");
    return v;
}

// A dyn payload's concrete type, from its vtable.
Status resolve_dyn(Context& ctx, const RawPointer& p, RcView& r) {
    auto target = resolve_vtable(ctx, p.vtable);
    if (!target) return target.error();
    r.elem = target->concrete;
    r.dyn_size = target->size;
    r.vtable_name = target->vtable_name;
    // DWARF places the zero-sized `dyn T` member 1-aligned; the value really sits at the
    // header rounded up to the concrete type's alignment.
    r.value_offset = round_up(r.value_offset, target->align);
    return Unit{};
}

std::string_view arrow() {
    return "\u2192";
}

} // namespace

Result<RcView> read_rc_view(Context& ctx, const Value& v, std::string_view pointer_field) {
    auto nonnull = ctx.field(v, pointer_field);
    if (!nonnull) return nonnull.error();
    auto ptr = ctx.field(*nonnull, "pointer");
    if (!ptr) return ptr.error();
    auto p = read_pointer(ctx, *ptr);
    if (!p) return p.error();
    RcView r;
    r.inner = p->address;
    r.inner_type = p->target;
    r.payload = p->payload;
    r.length = p->length;
    if (!r.inner_type) return err("<error: {} points at no type>", strip(ptr->type)->name);
    const Field* value = find_field(r.inner_type, "value"); // RcInner
    if (!value) value = find_field(r.inner_type, "data");   // ArcInner
    if (!value) return err("<error: {} has no value field>", r.inner_type->name);
    r.elem = value->type;
    r.value_offset = value->offset;
    if (r.payload == Payload::Dyn && r.inner != kDangling)
        if (auto st = resolve_dyn(ctx, *p, r); !st) return st.error();
    return r;
}

bool is_fat_pointer(const Value& v) {
    const Type* t = strip(v.type);
    auto fat = [](const Type* p) {
        return p && p->kind == TypeKind::Struct &&
               (find_field(p, "data_ptr") || find_field(p, "vtable"));
    };
    if (fat(t)) return true;
    const Field* inner = t && t->kind == TypeKind::Struct ? find_field(t, "pointer") : nullptr;
    return inner && fat(strip(inner->type));
}

Result<RcView> read_unsized(Context& ctx, const Value& nonnull) {
    auto ptr = pointer_of(ctx, nonnull);
    if (!ptr) return ptr.error();
    auto p = read_pointer(ctx, *ptr);
    if (!p) return p.error();
    if (p->payload == Payload::Sized) return err("<error: a thin pointer>");
    RcView r;
    r.inner = p->address;
    r.payload = p->payload;
    r.length = p->length;
    r.elem = p->target;
    if (r.payload == Payload::Dyn && r.inner != 0)
        if (auto st = resolve_dyn(ctx, *p, r); !st) return st.error();
    return r;
}

Formatted payload_value(Context& ctx, const Value& holder, const RcView& r) {
    Formatted f;
    switch (r.payload) {
    case Payload::Sized:
    case Payload::Dyn:
        return rust_std::transparent(holder);
    case Payload::Str:
        return rust_layout::str_leaf(ctx, r.value_address(), r.length, strip(holder.type)->rustc);
    case Payload::Slice: {
        rust_layout::Buffer b{r.value_address(), r.length, r.length, r.elem, size_of(r.elem)};
        if (std::string bad = rust_layout::check(b, false); !bad.empty()) return error_value(bad);
        f.shape = Shape::List;
        f.count = r.length;
        f.own.length = r.length;
        break;
    }
    }
    return f;
}

std::vector<Child> payload_children(Context& ctx, const RcView& r, uint64_t start, uint64_t count) {
    if (r.payload == Payload::Slice)
        return rust_layout::element_children(ctx, r.value_address(), r.elem, size_of(r.elem), start,
                                             count, start);
    if (start != 0 || count == 0 || r.payload == Payload::Str) return {};
    return {Child{"*", Value::at(r.elem, r.value_address()), std::nullopt}};
}

uint64_t inner_allocation_size(const RcView& r) {
    uint64_t value_bytes = 0;
    switch (r.payload) {
    case Payload::Sized:
        return size_of(r.inner_type);
    case Payload::Str:
        value_bytes = r.length;
        break;
    case Payload::Slice:
        value_bytes = r.length * size_of(r.elem);
        break;
    case Payload::Dyn:
        value_bytes = r.dyn_size;
        break;
    }
    // The header is the counts (usize in std, a 4-byte refcount_t in the kernel crate), first
    // in these repr(C) structs, so its first field's size is its alignment. A value aligned more
    // strictly sits at a multiple of its alignment and is a multiple of it long: the sum is
    // already aligned for it.
    uint64_t align = 1;
    if (r.inner_type && !r.inner_type->fields.empty() && r.inner_type->fields[0].offset == 0)
        align = std::clamp<uint64_t>(size_of(r.inner_type->fields[0].type), 1, 16);
    return round_up(r.value_offset + value_bytes, align);
}

std::string payload_summary(Context& ctx, const Formatted& f, const RcView& r) {
    if (r.payload == Payload::Str) return f.text;
    if (r.payload == Payload::Slice) return rust_std::nested_summary(ctx, f);
    return rust_std::nested_summary(ctx, Value::at(r.elem, r.value_address()));
}

namespace {

struct Counts {
    uint64_t strong = 0;
    uint64_t weak = 0; ///< as stored: one more than the Weak<T>s while strong > 0
};

// The counts, or an `<invalid: ...>` marker for counts no program can reach: Arc aborts past
// isize::MAX (MAX_REFCOUNT), and 2^63 Rc clones would take centuries, so a count above
// isize::MAX is a stray write or freed memory reused (except the weak usize::MAX that
// Arc::get_mut parks). `what` names the type in the marker.
Result<Counts> read_counts(Context& ctx, const RcView& r, std::string_view what) {
    constexpr uint64_t k_max = uint64_t(std::numeric_limits<int64_t>::max());
    Value inner = Value::at(r.inner_type, r.inner);
    auto strong = rust_std::int_field(ctx, inner, "strong");
    if (!strong) return err("<error: cannot read the counts at {:#x}>", r.inner);
    auto weak = rust_std::int_field(ctx, inner, "weak");
    if (!weak) return err("<error: cannot read the counts at {:#x}>", r.inner);
    if (*strong > k_max)
        return err("<invalid: {} with strong count {:#x} (above isize::MAX)>", what, *strong);
    if (*weak > k_max && *weak != kDangling)
        return err("<invalid: {} with weak count {:#x} (above isize::MAX)>", what, *weak);
    return Counts{*strong, *weak};
}

// Rc::weak_count / Weak::weak_count. Arc::get_mut parks usize::MAX in `weak` while it looks.
uint64_t weak_count(const Counts& c) {
    if (c.strong == 0 || c.weak == 0 || c.weak == kDangling) return 0;
    return c.weak - 1;
}

// The value an Rc/Weak shows: a transparent child (sized, dyn), a str leaf, or a list.
class RcFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.rc"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct &&
               (is_path(t, "alloc::rc::Rc") || is_path(t, "alloc::sync::Arc"));
    }

    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        auto r = read_rc_view(ctx, v);
        if (!r) return error_value(r.error().message);
        if (r->inner == 0) return error_value(fmt::format("<invalid: null {}>", bare_name(t.name)));
        auto counts = read_counts(ctx, *r, bare_name(t.name));
        if (!counts) return error_value(counts.error().message);
        if (counts->strong == 0)
            return error_value(
                fmt::format("<invalid: {} with strong count 0 (freed)>", bare_name(t.name)));
        Formatted f = payload_value(ctx, v, *r);
        if (f.shape == Shape::Error) return f;
        f.type_name = rust_layout::display_name(&t);
        f.own.kind = OwnKind::Shared;
        f.own.address = r->inner;
        if (r->inner != kDangling) f.own.size = inner_allocation_size(*r);
        f.own.strong = int64_t(counts->strong);
        f.own.weak = int64_t(weak_count(*counts));
        if (r->payload == Payload::Dyn) f.own.note = "dyn: " + r->vtable_name;
        if (!rust_std::in_nested_summary()) {
            f.formatter = this;
            f.value = v;
            std::string shown = payload_summary(ctx, f, *r);
            f.summary =
                fmt::format("strong={} weak={} {} {}", *f.own.strong, *f.own.weak, arrow(), shown);
        }
        return f;
    }

    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        auto r = read_rc_view(ctx, v);
        if (!r) return {Child{"*", Value::leaf(r.error().message), std::nullopt}};
        return payload_children(ctx, *r, start, count);
    }
};

class WeakFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.weak"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct &&
               (is_path(t, "alloc::rc::Weak") || is_path(t, "alloc::sync::Weak"));
    }

    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        // Weak's Debug never looks at the value: it is `(Weak)` whatever the counts say.
        Formatted f = leaf("(Weak)");
        f.type_name = rust_layout::display_name(&t);
        f.own.kind = OwnKind::Shared;
        f.own.weak_ref = true;
        auto r = read_rc_view(ctx, v);
        if (!r) {
            f.own.note = r.error().message;
            return f;
        }
        if (r->inner == kDangling) {
            f.own.strong = 0;
            f.own.weak = 0;
            f.own.note = "dangling";
            if (!rust_std::in_nested_summary()) f.summary = "(Weak) dangling";
            return f;
        }
        f.own.address = r->inner;
        auto counts = read_counts(ctx, *r, "Weak");
        if (!counts) {
            f.own.note = counts.error().message;
            if (!rust_std::in_nested_summary()) f.summary = counts.error().message;
            return f;
        }
        f.own.strong = int64_t(counts->strong);
        f.own.weak = int64_t(weak_count(*counts));
        if (counts->strong == 0) {
            f.own.note = "value dropped";
            if (!rust_std::in_nested_summary()) f.summary = "(Weak) value dropped";
            return f;
        }
        // A live Weak shows what upgrade() would give, as a child for the tree views.
        bool has_child = r->payload == Payload::Sized || r->payload == Payload::Dyn;
        f.count = has_child ? 1 : 0;
        if (!rust_std::in_nested_summary()) {
            f.summary = fmt::format("(Weak) strong={} weak={}", *f.own.strong, *f.own.weak);
            if (has_child) {
                std::string shown =
                    rust_std::nested_summary(ctx, Value::at(r->elem, r->value_address()));
                f.summary += fmt::format(" {} {}", arrow(), shown);
            }
        }
        return f;
    }

    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        if (start != 0 || count == 0) return {};
        auto r = read_rc_view(ctx, v);
        if (!r) return {Child{"value", Value::leaf(r.error().message), std::nullopt}};
        return {Child{"value", Value::at(r->elem, r->value_address()), std::nullopt}};
    }
};

} // namespace

std::unique_ptr<Formatter> make_rc_formatter() {
    return std::make_unique<RcFormatter>();
}
std::unique_ptr<Formatter> make_weak_formatter() {
    return std::make_unique<WeakFormatter>();
}

} // namespace seam::rust_pointers
