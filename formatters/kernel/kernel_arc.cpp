// kernel::sync::arc::Arc<T> and its kin, and ARef<T>. Arc points at `ArcInner { refcount, data }`
// (repr(C)) whose count is a C refcount_t: `Opaque<refcount_t>` in 6.12, `Refcount` from 6.17;
// there is no weak count. UniqueArc { inner: Arc } and ListArc { arc: Arc } hold one Arc;
// ArcBorrow { inner } points at the same ArcInner and holds no count of its own. ARef<T> { ptr }
// points at a C object (through a Rust newtype such as `Task(Opaque<task_struct>)`) that counts
// its own references: its count is the object's refcount_t or kref member. Debug prints the
// value alone, as the kernel's Arc does.
#include <fmt/format.h>

#include "formatters/kernel/kernel_parts.h"
#include "formatters/rust/rust_layout.h"
#include "formatters/rust/rust_pointer_parts.h"
#include "formatters/rust/rust_std_support.h"

namespace seam::kernel {
namespace {

using rust_std::is_path;

constexpr std::string_view kArc = "kernel::sync::arc::Arc";

struct ArcView {
    rust_pointers::RcView rc; ///< the ArcInner, and the value in it (sized, [T], str or dyn)
    int64_t count = 0;
    std::string what; ///< "", "unique", "ListArc": the wrapper around the Arc
};

// The Arc inside UniqueArc (`inner`) or ListArc (`arc`), or `v` itself.
Result<Value> arc_of(Context& ctx, const Value& v, std::string& what) {
    const Type* t = strip(v.type);
    if (is_path(*t, kArc)) return v;
    if (is_path(*t, "kernel::sync::arc::UniqueArc")) {
        what = "unique";
        return ctx.field(v, "inner");
    }
    what = "ListArc";
    return ctx.field(v, "arc");
}

// `pointer_field` holds a NonNull<ArcInner<T>>: Arc's `ptr`, ArcBorrow's `inner`. T may be
// unsized (`Arc<[T]>`, `Arc<dyn Trait>`): the NonNull is fat, and std's Arc is read the same way.
Result<ArcView> read_arc(Context& ctx, const Value& holder, std::string_view pointer_field) {
    auto rc = rust_pointers::read_rc_view(ctx, holder, pointer_field);
    if (!rc) return err("<error: {}>", rc.error().message);
    if (rc->inner == 0) return err("<invalid: null {}>", bare_name(strip(holder.type)->name));
    ArcView r;
    r.rc = std::move(*rc);
    auto refcount = ctx.field(Value::at(r.rc.inner_type, r.rc.inner), "refcount");
    if (!refcount) return err("<error: {} has no refcount>", r.rc.inner_type->name);
    auto n = read_refcount(ctx, *refcount);
    if (!n)
        return err("<error: cannot read the refcount at {:#x}: {}>", r.rc.inner, n.error().message);
    r.count = *n;
    return r;
}

// `refcount=2 → Config { .. }`, or the count's problem in its place.
std::string count_head(int64_t count) {
    std::string problem = refcount_problem(count);
    return problem.empty() ? fmt::format("refcount={}", count) : "refcount=" + problem;
}
std::string count_summary(Context& ctx, int64_t count, const Value& shown) {
    return with_value(ctx, count_head(count), shown);
}

// What an Arc or ArcBorrow shows of its value, and its line: as std's Arc shows it.
Formatted arc_value(Context& ctx, const Formatter* self, const Value& v, const ArcView& r) {
    Formatted f = rust_pointers::payload_value(ctx, v, r.rc);
    if (f.shape == Shape::Error) return f;
    f.type_name = rust_layout::display_name(strip(v.type));
    if (r.rc.payload == rust_pointers::Payload::Dyn) f.own.note = "dyn: " + r.rc.vtable_name;
    if (!rust_std::in_nested_summary()) {
        f.formatter = self;
        f.value = v;
        std::string shown = rust_pointers::payload_summary(ctx, f, r.rc);
        f.summary = shown.empty() ? count_head(r.count)
                                  : fmt::format("{} \u2192 {}", count_head(r.count), shown);
    }
    return f;
}

std::string join_note(std::string a, const std::string& b) {
    if (b.empty()) return a;
    return a.empty() ? b : a + "; " + b;
}

class ArcFormatter final : public Formatter {
public:
    std::string_view name() const override { return "kernel.arc"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct &&
               (is_path(t, kArc) || is_path(t, "kernel::sync::arc::UniqueArc") ||
                is_path(t, "kernel::list::arc::ListArc"));
    }
    Formatted format(Context& ctx, const Value& v) const override {
        auto r = view(ctx, v);
        if (!r) return error_value(r.error().message);
        // A count of zero is an Arc whose ArcInner was (or is being) freed: its data is gone.
        if (r->count == 0)
            return error_value(fmt::format("<invalid: {} with refcount 0 (freed)>",
                                           bare_name(strip(v.type)->name)));
        Formatted f = arc_value(ctx, this, v, *r);
        if (f.shape == Shape::Error) return f;
        f.own.kind = OwnKind::Shared;
        f.own.address = r->rc.inner;
        f.own.size = rust_pointers::inner_allocation_size(r->rc);
        f.own.strong = r->count;
        f.own.note = join_note(join_note(r->what, refcount_problem(r->count)), f.own.note);
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        auto r = view(ctx, v);
        if (!r) return {Child{"*", Value::leaf(r.error().message), std::nullopt}};
        return rust_pointers::payload_children(ctx, r->rc, start, count);
    }

private:
    static Result<ArcView> view(Context& ctx, const Value& v) {
        std::string what;
        auto arc = arc_of(ctx, v, what);
        if (!arc) return err("<error: {}>", arc.error().message);
        auto r = read_arc(ctx, *arc, "ptr");
        if (r) r->what = what;
        return r;
    }
};

class ArcBorrowFormatter final : public Formatter {
public:
    std::string_view name() const override { return "kernel.arc_borrow"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && is_path(t, "kernel::sync::arc::ArcBorrow");
    }
    Formatted format(Context& ctx, const Value& v) const override {
        auto r = read_arc(ctx, v, "inner");
        if (!r) return error_value(r.error().message);
        Formatted f = arc_value(ctx, this, v, *r);
        if (f.shape == Shape::Error) return f;
        f.own.kind = OwnKind::Borrowed;
        f.own.address = r->rc.value_address();
        f.own.strong = r->count;
        f.own.note = join_note(refcount_problem(r->count), f.own.note);
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        auto r = read_arc(ctx, v, "inner");
        if (!r) return {Child{"*", Value::leaf(r.error().message), std::nullopt}};
        return rust_pointers::payload_children(ctx, r->rc, start, count);
    }
};

// The C object an ARef'd type wraps: through newtypes (`Task(Opaque<task_struct>)`) down to the
// first struct that has a refcount member.
Result<Value> counted_object(Context& ctx, const Value& v) {
    Value cur = v;
    for (int depth = 0; depth < 8; ++depth) {
        cur = see_through(cur);
        const Type* t = strip(cur.type);
        if (!t || t->kind != TypeKind::Struct) break;
        Value c = cur;
        c.type = c_twin(ctx, cur.type);
        if (refcount_member(ctx, c)) return c;
        const Field* only = nullptr;
        for (const Field& f : t->fields)
            if (size_of(f.type) > 0) only = only ? nullptr : &f;
        if (!only) break;
        cur = cur.sub(only->type, only->offset);
    }
    return err("{} counts no references of its own", strip(v.type)->name);
}

class ARefFormatter final : public Formatter {
public:
    std::string_view name() const override { return "kernel.aref"; }
    bool matches(const Type& t) const override {
        // kernel::types::ARef (to 6.16), kernel::sync::aref::ARef (6.17 on).
        return t.kind == TypeKind::Struct &&
               (is_path(t, "kernel::types::ARef") || is_path(t, "kernel::sync::aref::ARef"));
    }
    Formatted format(Context& ctx, const Value& v) const override {
        auto target = pointee(ctx, v);
        if (!target) return error_value(target.error().message);
        Formatted f = rust_std::transparent(v);
        f.type_name = rust_layout::display_name(strip(v.type));
        f.own.kind = OwnKind::Crossing;
        f.own.address = *target->address;
        auto object = counted_object(ctx, *target);
        if (!object) {
            f.own.note = object.error().message;
            return f;
        }
        auto member = refcount_member(ctx, *object);
        auto n = member ? read_refcount(ctx, *member) : Result<int64_t>(member.error());
        if (!n) {
            f.own.note = n.error().message;
            return f;
        }
        f.own.strong = *n;
        f.own.note = refcount_problem(*n);
        if (rust_std::in_nested_summary()) return f;
        if (strip(object->type)->name == "task_struct") {
            auto task = task_text(ctx, *object->address, object->type);
            std::string problem = refcount_problem(*n);
            f.summary =
                fmt::format("refcount={} \u2192 {}", problem.empty() ? std::to_string(*n) : problem,
                            task ? *task : "<error: " + task.error().message + ">");
        } else {
            f.summary = count_summary(ctx, *n, *object);
        }
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        if (start != 0 || count == 0) return {};
        return rust_std::single_child("*", pointee(ctx, v));
    }

private:
    static Result<Value> pointee(Context& ctx, const Value& v) {
        auto p = ctx.field(v, "ptr");
        if (!p) return err("<error: {}>", p.error().message);
        const Type* t = rust_std::pointee_of(*p);
        auto addr = rust_std::address_of(ctx, *p);
        if (!addr) return err("<error: {}>", addr.error().message);
        if (!t) return err("<unsupported: ARef to an unsized value>");
        if (*addr == 0) return err("<invalid: null ARef>");
        return Value::at(t, *addr);
    }
};

} // namespace

std::unique_ptr<Formatter> make_arc_formatter() {
    return std::make_unique<ArcFormatter>();
}
std::unique_ptr<Formatter> make_arc_borrow_formatter() {
    return std::make_unique<ArcBorrowFormatter>();
}
std::unique_ptr<Formatter> make_aref_formatter() {
    return std::make_unique<ARefFormatter>();
}

} // namespace seam::kernel
