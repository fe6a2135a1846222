// kernel::types: Opaque<T> and ScopeGuard<T, F>. Neither has Debug in the kernel.
// - Opaque<T> holds a C object Rust never looks into: 6.12's `{ value: UnsafeCell<MaybeUninit<T>>,
//   _pin }`, older kernels' `(MaybeUninit<UnsafeCell<T>>)`. seam sees through it to the C struct
//   (C's own type where the DWARF has it, bindgen's otherwise): a wrapper holding a C object, so
//   its ownership fact is `crossing`.
// - ScopeGuard(Option<(T, F)>) runs F on T when dropped unless dismissed (None): `ScopeGuard {
//   data: T, .. }` while armed (the cleanup closure is not shown), `ScopeGuard(<dismissed>)`.
#include <fmt/format.h>

#include "formatters/kernel/kernel_parts.h"
#include "formatters/rust/rust_layout.h"
#include "formatters/rust/rust_std_support.h"

namespace seam::kernel {
namespace {

Value c_object(Context& ctx, const Value& v) {
    Value inner = see_through(v);
    inner.type = c_twin(ctx, inner.type);
    return inner;
}

class OpaqueFormatter final : public Formatter {
public:
    std::string_view name() const override { return "kernel.opaque"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && has_path(&t, "kernel::types::Opaque");
    }
    Formatted format(Context& ctx, const Value& v) const override {
        Formatted f = rust_std::transparent(v);
        f.type_name = rust_layout::display_name(strip(v.type));
        f.own.kind = OwnKind::Crossing;
        f.own.address = v.address.value_or(0);
        Value inner = c_object(ctx, v);
        const Type* t = strip(inner.type);
        f.own.note = t ? t->name : "";
        if (!rust_std::in_nested_summary() && t && t->name == "task_struct" && inner.address) {
            auto task = task_text(ctx, *inner.address, inner.type);
            f.summary = task ? *task : "<error: " + task.error().message + ">";
        }
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        if (start != 0 || count == 0) return {};
        return {Child{"*", c_object(ctx, v), std::nullopt}};
    }
};

// The T of an armed guard, or nullopt once dismissed.
Result<std::optional<Value>> guarded(Context& ctx, const Value& v) {
    auto option = ctx.field(v, "__0");
    if (!option) return option.error();
    auto var = rust_layout::active_variant(ctx, *option);
    if (!var) return var.error();
    const Field& member = (*var)->member;
    const Type* payload = strip(member.type);
    const Field* pair = payload ? find_field(payload, "__0") : nullptr;
    if (!pair) return std::optional<Value>(); // None: dismissed
    const Field* data = find_field(strip(pair->type), "__0");
    if (!data) return err("{} holds no data", payload->name);
    return std::optional<Value>(
        option->sub(data->type, member.offset + pair->offset + data->offset));
}

class ScopeGuardFormatter final : public Formatter {
public:
    std::string_view name() const override { return "kernel.scope_guard"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && has_path(&t, "kernel::types::ScopeGuard");
    }
    Formatted format(Context& ctx, const Value& v) const override {
        auto data = guarded(ctx, v);
        if (!data) return error_value(fmt::format("<error: {}>", data.error().message));
        const Type& t = *strip(v.type);
        if (!*data) {
            Formatted f = leaf("ScopeGuard(<dismissed>)");
            f.type_name = rust_layout::display_name(&t);
            f.summary = "dismissed";
            return f;
        }
        Formatted f = rust_std::named(Shape::Struct, "ScopeGuard", t, 1);
        f.non_exhaustive = true;
        if (!rust_std::in_nested_summary()) f.summary = with_value(ctx, "armed", **data);
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        if (start != 0 || count == 0) return {};
        auto data = guarded(ctx, v);
        if (!data) return {rust_std::error_child("data", data.error())};
        if (!*data) return {};
        return {Child{"data", **data, std::nullopt}};
    }
};

} // namespace

std::unique_ptr<Formatter> make_opaque_formatter() {
    return std::make_unique<OpaqueFormatter>();
}
std::unique_ptr<Formatter> make_scope_guard_formatter() {
    return std::make_unique<ScopeGuardFormatter>();
}

} // namespace seam::kernel
