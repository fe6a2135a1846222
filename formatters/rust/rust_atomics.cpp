// Atomics: AtomicBool, AtomicI8..AtomicU64, AtomicIsize/AtomicUsize, AtomicPtr<T>. Each wraps
// an UnsafeCell of the plain value (`v`, or `p` for AtomicPtr); Debug prints the loaded value,
// so the wrapper is transparent, except AtomicBool whose cell holds a u8.
// rustc 1.96's std puts the plain value inside an alignment newtype (`Align1<u8>`,
// `Align8<usize>`: a tuple struct with one field `__0`) within the cell; 1.95 has none.
#include <fmt/format.h>

#include "formatters/core/formatter.h"
#include "formatters/rust/rust_layout.h"
#include "formatters/rust/rust_std_support.h"

namespace seam {
namespace {

class AtomicFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.atomic"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct &&
               rust_layout::match_name(t).starts_with("core::sync::atomic::Atomic") &&
               rust_std::field_or_only(&t, "v") != nullptr;
    }
    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        auto inner = value(ctx, v);
        if (!inner) return error_value(fmt::format("<error: {}>", inner.error().message));
        Formatted f;
        // 1.96 names it `Atomic<bool>` (a generic Atomic<T>); 1.95 `AtomicBool`.
        if (rust_std::is_path(t, "core::sync::atomic::AtomicBool") ||
            rust_layout::match_name(t) == "core::sync::atomic::Atomic<bool>") {
            auto b = rust_layout::scalar(ctx, *inner);
            if (!b) return error_value(fmt::format("<error: {}>", b.error().message));
            f = leaf(*b != 0 ? "true" : "false");
        } else {
            f = rust_std::transparent(v);
        }
        f.type_name = rust_layout::display_name(&t);
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        if (start != 0 || count == 0) return {};
        auto inner = value(ctx, v);
        if (!inner)
            return {Child{"v", Value::leaf(fmt::format("<error: {}>", inner.error().message)),
                          std::nullopt}};
        return {Child{"v", *inner, std::nullopt}};
    }

private:
    static Result<Value> value(Context& ctx, const Value& v) {
        const Field* cell = rust_std::field_or_only(strip(v.type), "v");
        if (!cell) return err("no value field");
        auto inner = rust_std::unsafe_cell_value(ctx, v.sub(cell->type, cell->offset));
        if (!inner) return inner;
        return without_align_wrapper(*inner);
    }

    static Value without_align_wrapper(Value v) {
        const Type* t = strip(v.type);
        if (t && t->kind == TypeKind::Struct && t->fields.size() == 1 &&
            t->fields[0].name == "__0" && rust_layout::display_name(t).starts_with("Align"))
            return v.sub(t->fields[0].type, t->fields[0].offset);
        return v;
    }
};

} // namespace

std::unique_ptr<Formatter> rust_std::make_atomic_formatter() {
    return std::make_unique<AtomicFormatter>();
}

} // namespace seam
