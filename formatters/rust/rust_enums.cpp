// Rust enums, read from the DWARF variant part alone. LLDB 19 truncates discriminants to 32
// bits and so prints `Option<String>::None` as `Some`; here every comparison uses all the bits
// of the discriminant member, whatever its size (1..16 bytes).
//
// rustc (1.7x-1.95) emits a data-carrying enum as a struct holding one DW_TAG_variant_part:
// its DW_AT_discr member is the tag, or for niche layouts the niche field itself (Option<&T>:
// the pointer, discr_value 0 for None; Option<bool>: the bool byte, 2 for None; Option<char>:
// 0x110000; Option<String>: the capacity, 0x8000000000000000). Each DW_TAG_variant carries
// the value(s) selecting it, and the niche-holding variant (`Some`) has none: it is the
// default. Each variant's member has the variant struct as its type, whose fields are
// `__0, __1, ..` for tuple variants. A single-variant enum has no discriminant at all.
// Fieldless enums are DW_TAG_enumeration_type with one enumerator per variant.
#include <fmt/format.h>

#include "formatters/rust/rust_generic_parts.h"
#include "formatters/rust/rust_layout.h"
#include "formatters/rust/rust_std_support.h"

namespace seam::rust_generic {
namespace {

std::string variant_name(const Variant& var) {
    if (!var.member.name.empty()) return var.member.name;
    const Type* vt = strip(var.member.type);
    return vt ? std::string(bare_name(vt->name)) : std::string();
}

class VariantEnumFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.enum"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && t.variant_part && is_rust_or_unknown(t);
    }
    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        auto sel = rust_layout::active_variant(ctx, v);
        if (!sel) return error_value(sel.error().message);
        const Variant& var = **sel;
        auto fields = visible_fields(strip(var.member.type));
        Formatted f;
        f.text = variant_name(var);
        f.type_name = rust_layout::display_name(&t);
        f.count = fields.size();
        f.shape = derived_shape(fields);
        // `Some(owned 11)`: the line says that the payload is a Box, which the Debug text hides
        // (`Some(11)` for a u32 and for a Box<u32> alike).
        if (fields.size() == 1 && has_path(strip(fields[0]->type), "alloc::boxed::Box") &&
            !rust_std::in_nested_summary()) {
            Value payload = v.sub(fields[0]->type, var.member.offset + fields[0]->offset);
            std::string shown = rust_std::nested_summary(ctx, payload);
            if (!shown.empty()) f.summary = fmt::format("{}(owned {})", f.text, shown);
        }
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        auto sel = rust_layout::active_variant(ctx, v);
        if (!sel) return {};
        const Variant& var = **sel;
        auto fields = visible_fields(strip(var.member.type));
        return field_children(v, fields, var.member.offset, start, count);
    }
};

class FieldlessEnumFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.enum.fieldless"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Enum && is_rust_or_unknown(t);
    }
    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        size_t size = t.has_size ? t.size : 0;
        if (size == 0 && strip(t.target)) size = strip(t.target)->size;
        if (t.enumerators.empty())
            return error_value(fmt::format("<invalid: {} has no variants>", t.name));
        if (size == 0 || size > 16)
            return error_value(fmt::format("<error: {} has a {}-byte discriminant>", t.name, size));
        auto raw = read_int128(ctx, v, 0, size);
        if (!raw) return error_value(fmt::format("<error: {}>", raw.error().message));
        for (const auto& e : t.enumerators)
            if (truncate(e.value, size) == *raw) return typed_leaf(e.name, t);
        return error_value(fmt::format("<invalid: discriminant {} matches no variant of {}>",
                                       hex128(*raw), t.name));
    }
};

} // namespace

std::unique_ptr<Formatter> make_variant_enum_formatter() {
    return std::make_unique<VariantEnumFormatter>();
}
std::unique_ptr<Formatter> make_fieldless_enum_formatter() {
    return std::make_unique<FieldlessEnumFormatter>();
}

} // namespace seam::rust_generic
