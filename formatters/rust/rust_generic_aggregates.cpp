// Rust aggregates that no std family claims: tuples (rustc names them `(u8, i32)` with fields
// `__0, __1`), user structs, tuple and unit structs, closures, PhantomData, fat raw pointers,
// unions, and `[T; N]` arrays.
#include <fmt/format.h>

#include "formatters/rust/rust_generic_parts.h"
#include "formatters/rust/rust_layout.h"

namespace seam::rust_generic {
namespace {

/// `std::any::type_name` of PhantomData's argument, from the DWARF name of the PhantomData.
/// type_name leaves out defaulted generic arguments that the DWARF name spells out.
std::string phantom_argument(const Type& t) {
    std::string_view n = t.name;
    auto lt = n.find('<');
    auto gt = n.rfind('>');
    if (lt == std::string_view::npos || gt == std::string_view::npos || gt < lt) return "?";
    return rust_layout::without_default_args(std::string(n.substr(lt + 1, gt - lt - 1)));
}

enum class StructKind {
    Phantom,
    FatRawPointer,
    FatRawAddress,
    Tuple,
    Closure,
    Union,
    Transparent,
    Plain
};

/// Before rustc 1.79 each width had its own struct, `core::num::nonzero::NonZeroU32(u32)`
/// (up to NonZeroU128 / NonZeroIsize); its Debug prints the bare integer like NonZero<T>'s.
bool is_old_nonzero(std::string_view q) {
    constexpr std::string_view kPrefix = "core::num::nonzero::NonZero";
    if (!q.starts_with(kPrefix)) return false;
    std::string_view rest = q.substr(kPrefix.size());
    static constexpr std::string_view kWidths[] = {"U8", "U16", "U32", "U64", "U128", "Usize",
                                                   "I8", "I16", "I32", "I64", "I128", "Isize"};
    for (auto w : kWidths)
        if (rest == w) return true;
    return false;
}

/// std wrappers whose Debug prints the one field they wrap. NonZero<T> holds a
/// `core::num::niche_types::NonZeroU32Inner`-like struct (rustc 1.8x+) around the integer.
bool is_transparent_wrapper(const Type& t) {
    static constexpr std::string_view kPaths[] = {"core::num::nonzero::NonZero",
                                                  "core::num::wrapping::Wrapping",
                                                  "core::num::saturating::Saturating"};
    for (auto path : kPaths)
        if (has_path(&t, path)) return true;
    std::string_view q = t.qualified;
    return q.starts_with("core::num::niche_types::") || is_old_nonzero(q);
}

StructKind classify(const Type& t) {
    if (t.kind == TypeKind::Union) return StructKind::Union;
    std::string_view n = t.name;
    if (has_path(&t, "core::marker::PhantomData") || n.starts_with("PhantomData<"))
        return StructKind::Phantom;
    // `{:?}` of a fat raw pointer printed only its address until rustc 1.86 added the
    // metadata (`Pointer { addr, metadata }`, rust-lang/rust#135080): chosen by the unit's rustc.
    if ((n.starts_with("*const ") || n.starts_with("*mut ")) && t.fields.size() == 2)
        return rustc_at_least(&t, 1, 86) ? StructKind::FatRawPointer : StructKind::FatRawAddress;
    if (n.starts_with("(")) return StructKind::Tuple;
    if (t.fields.size() == 1 && is_transparent_wrapper(t)) return StructKind::Transparent;
    if (n.find("{closure_env#") != std::string_view::npos) return StructKind::Closure;
    return StructKind::Plain;
}

class StructFormatter final : public Formatter {
public:
    StructFormatter() {
        // `{:?}` of `*const dyn Trait` prints `metadata: DynMetadata(0x..)`, a tuple struct
        // around a raw pointer; these two types let the ordinary formatters print it, pretty
        // form (zero-padded address) included.
        m_raw.kind = TypeKind::Pointer;
        m_raw.lang = Lang::Rust;
        m_raw.name = m_raw.qualified = "*const ()";
        m_raw.size = 8;
        m_raw.has_size = true;
        m_dyn_metadata.kind = TypeKind::Struct;
        m_dyn_metadata.lang = Lang::Rust;
        m_dyn_metadata.name = "DynMetadata";
        m_dyn_metadata.qualified = "core::ptr::metadata::DynMetadata";
        m_dyn_metadata.size = 8;
        m_dyn_metadata.has_size = true;
        Field inner;
        inner.name = "__0";
        inner.type = &m_raw;
        m_dyn_metadata.fields.push_back(inner);
    }

    std::string_view name() const override { return "rust.struct"; }
    bool matches(const Type& t) const override {
        return (t.kind == TypeKind::Struct || t.kind == TypeKind::Union) && !t.variant_part &&
               is_rust_or_unknown(t);
    }

    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        Formatted f;
        f.type_name = rust_layout::display_name(&t);
        switch (classify(t)) {
        case StructKind::Phantom:
            // Debug names the type argument since rustc 1.66 (rust-lang/rust#99099).
            f.text = rustc_at_least(&t, 1, 66) ? fmt::format("PhantomData<{}>", phantom_argument(t))
                                               : "PhantomData";
            return f;
        case StructKind::FatRawPointer:
            f.shape = Shape::Struct;
            f.text = "Pointer";
            f.count = 2;
            f.own.kind = OwnKind::Raw;
            if (auto addr = ctx.read_uint(v, t.fields[0].offset, 8)) f.own.address = *addr;
            return f;
        case StructKind::FatRawAddress: {
            auto addr = ctx.read_uint(v, t.fields[0].offset, 8);
            if (!addr) return error_value(fmt::format("<error: {}>", addr.error().message));
            Formatted a = rust_layout::address_leaf(*addr);
            a.type_name = f.type_name;
            a.own.kind = OwnKind::Raw;
            a.own.address = *addr;
            return a;
        }
        case StructKind::Tuple: {
            f.shape = Shape::Tuple;
            f.count = visible_fields(&t).size();
            return f;
        }
        case StructKind::Closure:
            // Closures have no Debug; their captures are what a user wants to see.
            f.shape = Shape::Struct;
            f.text = t.qualified.empty() ? t.name : t.qualified;
            f.count = visible_fields(&t).size();
            f.own.note = "closure: no Debug impl, showing its captures";
            return f;
        case StructKind::Transparent:
            f.shape = Shape::Transparent;
            f.count = 1;
            return f;
        case StructKind::Union:
            f.shape = Shape::Struct;
            f.text = std::string(bare_name(t.name));
            f.count = visible_fields(&t).size();
            f.own.note = "union: no Debug impl, showing every member";
            return f;
        case StructKind::Plain:
            break;
        }
        auto fields = visible_fields(&t);
        f.text = std::string(bare_name(t.name));
        f.count = fields.size();
        f.shape = derived_shape(fields);
        return f;
    }

    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        const Type& t = *strip(v.type);
        std::vector<Child> out;
        if (classify(t) == StructKind::FatRawPointer) {
            const Field& ptr = t.fields[0];
            const Field& meta = t.fields[1];
            Value addr = v.sub(ptr.type, ptr.offset);
            // `*const [T]`/`*const str` carry `length`; `*const dyn Trait` a `vtable`.
            Value metadata = meta.name == "vtable" ? v.sub(&m_dyn_metadata, meta.offset)
                                                   : v.sub(meta.type, meta.offset);
            if (start == 0 && count > 0) out.push_back(make_child("addr", addr));
            if (start + count > 1) out.push_back(make_child("metadata", metadata));
            return out;
        }
        return field_children(v, visible_fields(&t), 0, start, count);
    }

private:
    Type m_raw;
    Type m_dyn_metadata;
};

class ArrayFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.array"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Array && is_rust_or_unknown(t);
    }
    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        Formatted f;
        f.shape = Shape::List;
        f.type_name = rust_layout::display_name(&t);
        // rustc emits `[[T; M]; N]` as nested array types, one dimension each.
        if (t.dims.size() != 1)
            return error_value(
                fmt::format("<error: {}-dimensional Rust array {}>", t.dims.size(), f.type_name));
        f.count = t.dims[0].value_or(0);
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        const Type& t = *strip(v.type);
        const Type* elem = strip(t.target);
        uint64_t size = elem ? elem->size : 0;
        uint64_t n = t.dims.empty() ? 0 : t.dims[0].value_or(0);
        std::vector<Child> out;
        for (uint64_t i = start; i < n && i - start < count; ++i)
            out.push_back(make_child(fmt::format("[{}]", i), v.sub(t.target, i * size)));
        return out;
    }
};

} // namespace

std::unique_ptr<Formatter> make_struct_formatter() {
    return std::make_unique<StructFormatter>();
}
std::unique_ptr<Formatter> make_array_formatter() {
    return std::make_unique<ArrayFormatter>();
}

} // namespace seam::rust_generic
