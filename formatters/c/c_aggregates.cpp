// C structs, unions and arrays. Members of anonymous structs and unions are shown as members
// of the enclosing record, as C code names them; bit-fields are extracted into values of
// their declared type; `char[N]` prints as the C string it holds.
#include <array>
#include <map>
#include <mutex>

#include <fmt/format.h>

#include "formatters/c/c_parts.h"
#include "formatters/core/container_hints.h"
#include "formatters/recipes/recipe_store.h"

namespace seam::c_values {
namespace {

struct FlatField {
    std::string label;
    const Field* field = nullptr;
    uint64_t offset = 0; ///< from the start of the outermost record
};

void flatten(const Type& t, uint64_t base, std::vector<FlatField>& out, unsigned depth) {
    for (const auto& f : t.fields) {
        const Type* ft = strip(f.type);
        bool anonymous_record =
            f.name.empty() && ft && (ft->kind == TypeKind::Struct || ft->kind == TypeKind::Union);
        if (anonymous_record && depth < 16) {
            flatten(*ft, base + f.offset, out, depth + 1);
            continue;
        }
        out.push_back(FlatField{f.name.empty() ? "<anonymous>" : f.name, &f, base + f.offset});
    }
}

std::vector<FlatField> flat_fields(const Type& t) {
    std::vector<FlatField> out;
    flatten(t, 0, out, 0);
    return out;
}

/// The tag, or for `typedef struct { .. } point_t` the typedef's name.
std::string record_name(const Value& v, const Type& t) {
    if (!t.name.empty()) return t.name;
    for (const Type* a = v.type; a && a != &t; a = a->target)
        if (a->kind == TypeKind::Typedef && !a->name.empty()) return a->name;
    return t.kind == TypeKind::Union ? "(anonymous union)" : "(anonymous struct)";
}

bool is_signed_int(const Type* t) {
    t = strip(t);
    if (!t) return false;
    if (t->kind == TypeKind::Enum) return t->enum_is_signed;
    return t->encoding == Encoding::Signed || t->encoding == Encoding::SignedChar;
}

/// A bit-field's value, held as a value of its declared type.
Value bitfield_value(Context& ctx, const Value& record, const FlatField& ff) {
    const Field& f = *ff.field;
    const Type* ft = strip(f.type);
    uint64_t size = ft && ft->has_size ? ft->size : 0;
    if (f.bit_size > 64 || size == 0 || size > 8)
        return Value::leaf(fmt::format("<error: {}-bit field {}>", f.bit_size, f.name));
    uint64_t nbytes = (f.bit_offset + f.bit_size + 7) / 8;
    std::array<std::byte, 16> buf{};
    auto st = ctx.read_bytes(record, ff.offset, std::span<std::byte>(buf.data(), nbytes));
    if (!st) return Value::leaf(fmt::format("<error: {}>", st.error().message));
    unsigned __int128 word = 0;
    for (uint64_t i = 0; i < nbytes; ++i)
        word |= static_cast<unsigned __int128>(std::to_integer<uint8_t>(buf[i])) << (8 * i);
    uint64_t x = uint64_t(word >> f.bit_offset);
    if (f.bit_size < 64) {
        x &= (uint64_t(1) << f.bit_size) - 1;
        if (is_signed_int(ft) && (x >> (f.bit_size - 1)) & 1) x |= ~uint64_t(0) << f.bit_size;
    }
    std::vector<std::byte> bytes(size);
    for (uint64_t i = 0; i < size; ++i) bytes[i] = std::byte((x >> (8 * i)) & 0xff);
    return Value::held(f.type, std::move(bytes));
}

/// A member's type, or for a list head whose entries a hint names (`seam print --container`,
/// a recipe) the head seen as a list of them (container_hints.h).
const Type* member_type(Context& ctx, const Value& v, const Type& t, const FlatField& ff) {
    const Type* ft = strip(ff.field->type);
    // A `void *` a recipe says holds a Rust value given away (recipes::HoldsRule).
    if (ft && ft->kind == TypeKind::Pointer && ctx.types())
        if (auto rule = recipes::holds_rule(record_name(v, t), ff.label))
            if (const Type* view =
                    recipes::held_view_type(ft, *rule, ctx.types()->find_type(rule->target)))
                return view;
    if (!is_list_head(ft) || !ctx.types()) return ff.field->type;
    auto hint = ContainerHints::global().list_for(record_name(v, t), ff.label);
    if (!hint) return ff.field->type;
    const Type* view = list_view_type(ft, ctx.types()->find_type(hint->element), hint->link);
    return view ? view : ff.field->type;
}

class RecordFormatter final : public Formatter {
public:
    std::string_view name() const override { return "c.record"; }
    bool matches(const Type& t) const override { return is_c_record(t); }
    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        Formatted f;
        f.type_name = c_type_name(v.type);
        f.text = record_name(v, t);
        f.own.kind = OwnKind::C;
        if (v.address) f.own.address = *v.address;
        if (t.declaration) {
            f.shape = Shape::Error;
            f.text =
                fmt::format("<error: {} is incomplete (declared, never defined)>", f.type_name);
            return f;
        }
        f.count = flat_fields(t).size();
        f.shape = f.count ? Shape::Struct : Shape::Leaf;
        if (t.kind == TypeKind::Union) f.own.note = "union: every member shown";
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        const Type& t = *strip(v.type);
        auto fields = flat_fields(t);
        std::vector<Child> out;
        for (uint64_t i = start; i < fields.size() && i - start < count; ++i) {
            const FlatField& ff = fields[i];
            Value fv = ff.field->bit_size ? bitfield_value(ctx, v, ff)
                                          : v.sub(member_type(ctx, v, t, ff), ff.offset);
            out.push_back(make_child(ff.label, std::move(fv)));
        }
        return out;
    }
};

class ArrayFormatter final : public Formatter {
public:
    std::string_view name() const override { return "c.array"; }
    bool matches(const Type& t) const override { return t.kind == TypeKind::Array && is_c(t); }

    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        Formatted f;
        f.type_name = c_type_name(v.type);
        f.own.kind = OwnKind::C;
        if (v.address) f.own.address = *v.address;
        if (t.dims.empty()) return error_value("<error: array without dimensions>");
        uint64_t n = t.dims[0].value_or(0);
        if (!t.dims[0]) f.own.note = "flexible array member: length unknown";
        if (t.dims.size() == 1 && is_char_type(t.target) && t.dims[0]) {
            // char[N] holds a C string: up to the first NUL, or all N bytes.
            uint64_t len = std::min<uint64_t>(n, ctx.budget().max_string);
            std::string bytes(len, '\0');
            auto st = ctx.read_bytes(
                v, 0, std::span<std::byte>(reinterpret_cast<std::byte*>(bytes.data()), len));
            if (!st) return error_value(fmt::format("<error: {}>", st.error().message));
            CString s;
            auto nul = bytes.find('\0');
            s.terminated = nul != std::string::npos || len == n;
            s.bytes = bytes.substr(0, nul);
            f.text = c_string_text(s);
            f.own.length = s.bytes.size();
            return f;
        }
        f.shape = Shape::List;
        f.count = n;
        return f;
    }

    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        const Type& t = *strip(v.type);
        if (t.dims.empty()) return {};
        const Type* elem = element_type(t);
        const Type* se = strip(elem);
        uint64_t size = se ? se->size : 0;
        uint64_t n = t.dims[0].value_or(0);
        std::vector<Child> out;
        for (uint64_t i = start; i < n && i - start < count; ++i)
            out.push_back(make_child(fmt::format("[{}]", i), v.sub(elem, i * size)));
        return out;
    }

private:
    /// DWARF gives `int m[2][3]` one array type with two dimensions; a row is a type of its
    /// own here, made once and kept as long as the formatter (the registry is static).
    const Type* element_type(const Type& t) const {
        if (t.dims.size() <= 1) return t.target;
        std::lock_guard lock(m_mutex);
        auto& slot = m_rows[&t];
        if (!slot) {
            auto row = std::make_unique<Type>();
            row->kind = TypeKind::Array;
            row->lang = t.lang;
            row->target = t.target;
            row->dims.assign(t.dims.begin() + 1, t.dims.end());
            const Type* e = strip(t.target);
            uint64_t size = e ? e->size : 0;
            for (const auto& d : row->dims) size *= d.value_or(0);
            row->size = size;
            row->has_size = true;
            row->id = t.id;
            slot = std::move(row);
        }
        return slot.get();
    }
    mutable std::mutex m_mutex;
    mutable std::map<const Type*, std::unique_ptr<Type>> m_rows;
};

} // namespace

std::unique_ptr<Formatter> make_record_formatter() {
    return std::make_unique<RecordFormatter>();
}
std::unique_ptr<Formatter> make_array_formatter() {
    return std::make_unique<ArrayFormatter>();
}

} // namespace seam::c_values
