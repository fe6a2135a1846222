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

namespace seam::rust_generic {
namespace {

bool less128(Int128 a, Int128 b, bool is_signed) {
    if (a.hi != b.hi) {
        if (is_signed) return int64_t(a.hi) < int64_t(b.hi);
        return a.hi < b.hi;
    }
    return a.lo < b.lo;
}

bool base_is_signed(const Type* t) {
    t = strip(t);
    if (!t) return false;
    if (t->kind == TypeKind::Enum) return t->enum_is_signed;
    return t->encoding == Encoding::Signed || t->encoding == Encoding::SignedChar;
}

/// The variant `v` holds, or the marked error to print instead.
Result<const Variant*> select_variant(Context& ctx, const Value& v, const Type& t) {
    const VariantPart& vp = *t.variant_part;
    const Variant* fallback = nullptr;
    for (const auto& var : vp.variants)
        if (var.is_default && !fallback) fallback = &var;
    if (!vp.discr) {
        if (vp.variants.size() == 1) return &vp.variants.front();
        if (fallback) return fallback;
        return err("<invalid: {} has no discriminant and {} variants>", t.name, vp.variants.size());
    }
    const Type* dt = strip(vp.discr->type);
    size_t size = dt && dt->has_size ? dt->size : 0;
    if (size == 0 || size > 16) return err("<error: {} has a {}-byte discriminant>", t.name, size);
    auto raw = read_int128(ctx, v, vp.discr->offset, size);
    if (!raw) return err("<error: {}>", raw.error().message);
    Int128 x = *raw;
    // DW_AT_discr_value may be stored sign-extended or not; comparing the low `size` bytes of
    // both sides is right either way.
    bool is_signed = base_is_signed(dt);
    Int128 xs = is_signed ? sign_extend(x, size) : x;
    for (const auto& var : vp.variants) {
        for (const auto& dv : var.discr_values)
            if (truncate(dv, size) == x) return &var;
        for (const auto& [lo, hi] : var.discr_ranges) {
            Int128 l = is_signed ? sign_extend(lo, size) : truncate(lo, size);
            Int128 h = is_signed ? sign_extend(hi, size) : truncate(hi, size);
            if (!less128(xs, l, is_signed) && !less128(h, xs, is_signed)) return &var;
        }
    }
    if (fallback) return fallback;
    return err("<invalid: discriminant {} matches no variant of {}>", hex128(x), t.name);
}

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
        auto sel = select_variant(ctx, v, t);
        if (!sel) return error_value(sel.error().message);
        const Variant& var = **sel;
        auto fields = visible_fields(strip(var.member.type));
        Formatted f;
        f.text = variant_name(var);
        f.type_name = rust_layout::display_name(&t);
        f.count = fields.size();
        f.shape = derived_shape(fields);
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        const Type& t = *strip(v.type);
        auto sel = select_variant(ctx, v, t);
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
