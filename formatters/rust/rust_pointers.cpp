// Box<T>, NonNull<T>, Pin<P>, and the registration of the whole pointer family (Rc/Arc/Weak in
// rust_rc.cpp, trait objects in rust_dyn.cpp). rustc 1.95 emits a thin Box<T> not as a struct
// but as a DW_TAG_pointer_type named `alloc::boxed::Box<T, alloc::alloc::Global>`; Box<str>
// and Box<[T]> (fat) belong to the strings and vec families, Box<dyn T> to rust_dyn.cpp.
#include <fmt/format.h>

#include "formatters/rust/families.h"
#include "formatters/rust/rust_layout.h"
#include "formatters/rust/rust_pointer_parts.h"
#include "formatters/rust/rust_std_support.h"

namespace seam {
namespace {

using rust_std::address_of;
using rust_std::is_path;

uint64_t size_of(const Type* t) {
    t = strip(t);
    return t && t->has_size ? t->size : 0;
}

class BoxFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.box"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Pointer && is_path(t, "alloc::boxed::Box");
    }

    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        auto addr = address_of(ctx, v);
        if (!addr) return error_value(fmt::format("<error: {}>", addr.error().message));
        if (*addr == 0) return error_value("<invalid: null Box>");
        Formatted f = rust_std::transparent(v);
        f.type_name = rust_layout::display_name(&t);
        f.own.kind = OwnKind::Owned;
        f.own.address = *addr;
        f.own.size = size_of(t.target);
        // A zero-sized T owns no allocation: the pointer is only its alignment.
        if (*f.own.size == 0) f.own.note = "zero-sized: no allocation";
        return f;
    }

    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        if (start != 0 || count == 0) return {};
        auto addr = address_of(ctx, v);
        if (!addr)
            return {Child{"*", Value::leaf(fmt::format("<error: {}>", addr.error().message)),
                          std::nullopt}};
        return {Child{"*", Value::at(strip(v.type)->target, *addr), std::nullopt}};
    }
};

// NonNull<T>'s Debug is its address (Pointer formatting), thin or fat alike.
class NonNullFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.nonnull"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && is_path(t, "core::ptr::non_null::NonNull");
    }

    Formatted format(Context& ctx, const Value& v) const override {
        auto addr = address_of(ctx, v);
        if (!addr) return error_value(fmt::format("<error: {}>", addr.error().message));
        Formatted f = rust_layout::address_leaf(*addr);
        f.type_name = rust_layout::display_name(strip(v.type));
        f.own.kind = OwnKind::Raw;
        f.own.address = *addr;
        return f;
    }
};

// Pin<P> prints P, and owns or borrows what P does.
class PinFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.pin"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && is_path(t, "core::pin::Pin") &&
               rust_std::field_or_only(&t, "pointer");
    }

    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        Formatted f = rust_std::transparent(v);
        f.type_name = rust_layout::display_name(&t);
        auto inner = pointer(v);
        Formatted pf = ctx.format(inner);
        if (pf.shape == Shape::Error) return pf;
        f.own = pf.own;
        f.summary = pf.summary; // a pointer's own line (the kernel's KBox of a lock says its state)
        return f;
    }

    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        if (start != 0 || count == 0) return {};
        return {Child{"pointer", pointer(v), std::nullopt}};
    }

private:
    static Value pointer(const Value& v) {
        const Field* f = rust_std::field_or_only(strip(v.type), "pointer");
        return v.sub(f->type, f->offset);
    }
};

} // namespace

void register_rust_pointers(Registry& r) {
    r.add(std::make_unique<BoxFormatter>());
    r.add(rust_pointers::make_rc_formatter());
    r.add(rust_pointers::make_weak_formatter());
    r.add(rust_pointers::make_dyn_formatter());
    r.add(std::make_unique<NonNullFormatter>());
    r.add(std::make_unique<PinFormatter>());
}

} // namespace seam
