// Trait objects: `&dyn T`, `&mut dyn T` and `Box<dyn T>`. rustc emits each as a struct of two
// members, `pointer` (to a zero-sized `dyn T` type) and `vtable` (a `usize (*)[N]`); the
// concrete type is only known from the vtable: rustc emits it as a global variable named
// `<Concrete as Trait>::{vtable}` whose type's DW_AT_containing_type is Concrete.
#include <fmt/format.h>

#include "formatters/rust/rust_layout.h"
#include "formatters/rust/rust_pointer_parts.h"
#include "formatters/rust/rust_std_support.h"

namespace seam::rust_pointers {
namespace {

using rust_std::address_of;
using rust_std::is_path;

enum class DynKind { Ref, RefMut, Box };

std::optional<DynKind> classify(const Type& t) {
    if (t.kind != TypeKind::Struct || t.fields.size() != 2 || !find_field(&t, "pointer") ||
        !find_field(&t, "vtable"))
        return std::nullopt;
    std::string_view n = rust_layout::match_name(t);
    if (n.starts_with("&mut dyn ")) return DynKind::RefMut;
    if (n.starts_with("&dyn ")) return DynKind::Ref;
    if (is_path(t, "alloc::boxed::Box") && n.find("<dyn ") != std::string_view::npos)
        return DynKind::Box;
    return std::nullopt;
}

struct Resolved {
    uint64_t data = 0;
    DynTarget target;
};

Result<Resolved> resolve(Context& ctx, const Value& v) {
    auto ptr = ctx.field(v, "pointer");
    if (!ptr) return ptr.error();
    auto data = address_of(ctx, *ptr);
    if (!data) return data.error();
    auto vtable = ctx.uint_at(v, {"vtable"});
    if (!vtable) return vtable.error();
    auto target = resolve_vtable(ctx, *vtable);
    if (!target) return target.error();
    return Resolved{*data, std::move(*target)};
}

class DynFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.dyn"; }
    bool matches(const Type& t) const override { return classify(t).has_value(); }

    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        DynKind kind = *classify(t);
        auto r = resolve(ctx, v);
        if (!r) return error_value(r.error().message);
        if (r->data == 0) return error_value("<invalid: null trait object pointer>");
        Formatted f = rust_std::transparent(v);
        f.type_name = rust_layout::display_name(&t);
        f.own.address = r->data;
        switch (kind) {
        case DynKind::Ref:
            f.own.kind = OwnKind::Borrowed;
            break;
        case DynKind::RefMut:
            f.own.kind = OwnKind::BorrowedMut;
            break;
        case DynKind::Box:
            f.own.kind = OwnKind::Owned;
            f.own.size = r->target.size;
            break;
        }
        f.own.note = "dyn: " + r->target.vtable_name;
        // A Debug trait object prints its value; any other trait has no Debug of its own, and
        // the vtable's name says what it really is.
        if (!r->target.is_debug && !rust_std::in_nested_summary())
            f.summary = r->target.vtable_name;
        return f;
    }

    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        if (start != 0 || count == 0) return {};
        auto r = resolve(ctx, v);
        if (!r) return {Child{"*", Value::leaf(r.error().message), std::nullopt}};
        return {Child{"*", Value::at(r->target.concrete, r->data), std::nullopt}};
    }
};

} // namespace

Result<DynTarget> resolve_vtable(Context& ctx, uint64_t vtable) {
    if (!ctx.types()) return err("<error: no debug info to resolve the vtable at {:#x}>", vtable);
    // Every vtable starts with drop_in_place, size and align; its methods follow (a trait with
    // none has no more words: then only the three are read).
    std::byte words[48];
    std::span<std::byte> have(words);
    if (auto st = ctx.read(vtable, have); !st) {
        have = have.first(24);
        if (auto again = ctx.read(vtable, have); !again) have = {};
    }
    auto word = [&](size_t i) {
        uint64_t w = 0;
        for (int b = 0; b < 8; ++b)
            w |= uint64_t(std::to_integer<uint8_t>(have[8 * i + b])) << (8 * b);
        return w;
    };
    // The code it points at leads to its unit (DebugInfo::global_near): no whole-file index.
    std::vector<uint64_t> code;
    for (size_t i = 0; i < have.size() / 8; ++i)
        if (i == 0 || i >= 3) code.push_back(word(i));
    auto global = ctx.types()->global_near(vtable, code);
    if (!global) return err("<error: no vtable symbol at {:#x}>", vtable);
    const Type* vt = strip(global->type);
    if (!vt || !vt->containing_type) return err("<error: {} names no concrete type>", global->name);
    DynTarget out;
    out.concrete = vt->containing_type;
    out.vtable_name = global->name;
    constexpr std::string_view kSuffix = "::{vtable}";
    if (out.vtable_name.ends_with(kSuffix))
        out.vtable_name.resize(out.vtable_name.size() - kSuffix.size());
    out.is_debug = out.vtable_name.ends_with(" as core::fmt::Debug>");
    if (have.empty()) return err("<error: cannot read the vtable at {:#x}>", vtable);
    out.size = word(1);
    out.align = word(2);
    if (out.align == 0 || (out.align & (out.align - 1)) != 0)
        return err("<invalid: vtable at {:#x} gives alignment {}>", vtable, out.align);
    return out;
}

std::unique_ptr<Formatter> make_dyn_formatter() {
    return std::make_unique<DynFormatter>();
}

} // namespace seam::rust_pointers
