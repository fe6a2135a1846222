#include "plugin/children/sb_child.h"

#include <lldb/API/SBData.h>
#include <lldb/API/SBError.h>
#include <lldb/API/SBProcess.h>
#include <lldb/API/SBType.h>

#include <array>
#include <map>
#include <mutex>
#include <set>
#include <string_view>
#include <tuple>

#include "formatters/render/render.h"

namespace seam::plugin {

namespace {

// Rust's base types as LLDB 19 names them once Clang's TypeSystem has read them (by encoding
// and size): the inverse of sb_value_map's renaming, one choice each.
constexpr std::array<std::pair<std::string_view, std::string_view>, 16> k_c_spelling = {{
    {"u64", "unsigned long"},
    {"usize", "unsigned long"},
    {"i64", "long"},
    {"isize", "long"},
    {"u32", "unsigned int"},
    {"i32", "int"},
    {"u16", "unsigned short"},
    {"i16", "short"},
    {"u8", "unsigned char"},
    {"i8", "signed char"},
    {"f64", "double"},
    {"f32", "float"},
    {"u128", "unsigned __int128"},
    {"i128", "__int128"},
    {"char", "char32_t"},
    {"bool", "bool"},
}};

bool ident(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::string c_spelling(std::string_view rust) {
    std::string out;
    size_t i = 0;
    while (i < rust.size()) {
        if (ident(rust[i]) && (i == 0 || !ident(rust[i - 1]))) {
            size_t end = i;
            while (end < rust.size() && ident(rust[end])) ++end;
            std::string_view word = rust.substr(i, end - i);
            bool after_path = i >= 2 && rust.substr(i - 2, 2) == "::";
            std::string_view replaced = word;
            if (!after_path)
                for (auto [r, c] : k_c_spelling)
                    if (word == r) replaced = c;
            out += replaced;
            i = end;
            continue;
        }
        out += rust[i++];
    }
    return out;
}

bool size_fits(::lldb::SBType& sb, const Type* t) {
    const Type* s = strip(t);
    return sb.IsValid() && (!s || !s->has_size || sb.GetByteSize() == s->size);
}

::lldb::SBType by_name(::lldb::SBTarget& target, const Type* t) {
    for (const std::string* name : {&t->qualified, &t->name}) {
        if (name->empty()) continue;
        for (const std::string& candidate : {*name, c_spelling(*name)}) {
            ::lldb::SBType sb = target.FindFirstType(candidate.c_str());
            if (size_fits(sb, t)) return sb;
        }
    }
    return {};
}

bool same_type(::lldb::SBType& sb, const Type* t) {
    const char* raw = sb.GetName();
    if (!raw || !size_fits(sb, t)) return false;
    std::string name = raw;
    if (name == t->qualified || name == t->name) return true;
    for (const std::string& candidate : seam::lldb::rust_name_candidates(name, 32))
        if (candidate == t->qualified || candidate == t->name) return true;
    return false;
}

// LLDB 19 finds few Rust generic types by name (FindFirstType misses
// `alloc::vec::Vec<u8, alloc::alloc::Global>`), but it knows every type the parent's own type
// reaches: a child's type is a field, a template argument or a pointee of the parent's, a few
// levels down (Option<Vec<u8>>: $variants$ -> $variant$ -> value -> __0).
::lldb::SBType from_parent(::lldb::SBType root, const Type* t) {
    std::vector<::lldb::SBType> level{root};
    size_t visited = 0;
    for (int depth = 0; depth < 6 && !level.empty(); ++depth) {
        std::vector<::lldb::SBType> next;
        for (::lldb::SBType& ty : level) {
            if (++visited > 2000) return {};
            if (depth > 0 && same_type(ty, t)) return ty;
            auto add = [&](::lldb::SBType x) {
                if (x.IsValid()) next.push_back(x);
            };
            if (ty.IsPointerType() || ty.IsReferenceType()) add(ty.GetPointeeType());
            if (ty.IsArrayType()) add(ty.GetArrayElementType());
            if (ty.IsTypedefType()) add(ty.GetTypedefedType());
            for (uint32_t i = 0; i < ty.GetNumberOfTemplateArguments(); ++i)
                add(ty.GetTemplateArgumentType(i));
            for (uint32_t i = 0; i < ty.GetNumberOfFields(); ++i)
                add(ty.GetFieldAtIndex(i).GetType());
        }
        level = std::move(next);
    }
    return {};
}

::lldb::SBType build(::lldb::SBTarget& target, ::lldb::SBType parent, const Type* t, int depth) {
    if (!t || depth > 8) return {};
    if (::lldb::SBType sb = from_parent(parent, t); sb.IsValid()) return sb;
    if (::lldb::SBType sb = by_name(target, t); sb.IsValid()) return sb;
    switch (t->kind) {
    case TypeKind::Typedef:
    case TypeKind::Qualified:
        return build(target, parent, t->target, depth + 1);
    case TypeKind::Pointer: {
        ::lldb::SBType pointee = t->target ? build(target, parent, t->target, depth + 1)
                                           : target.GetBasicType(::lldb::eBasicTypeVoid);
        return pointee.IsValid() ? pointee.GetPointerType() : ::lldb::SBType();
    }
    case TypeKind::Array: {
        if (t->dims.size() != 1 || !t->dims[0]) return {};
        ::lldb::SBType element = build(target, parent, t->target, depth + 1);
        return element.IsValid() ? element.GetArrayType(*t->dims[0]) : ::lldb::SBType();
    }
    default:
        return {};
    }
}

// One SBType per DWARF type and process: the search walks types and every module's index.
// A miss is remembered per parent type (another parent may reach the type).
struct TypeCache {
    std::mutex mutex;
    std::map<std::pair<const Type*, uint32_t>, ::lldb::SBType> found;
    std::set<std::tuple<const Type*, uint32_t, std::string>> missed;
};

TypeCache& type_cache() {
    static TypeCache c;
    return c;
}

// LLDB shows u8 and i8 as characters ('\x01'), and arrays of them as strings; Rust's Debug
// prints numbers. An array takes its elements' format.
void set_rust_format(::lldb::SBValue& v, const Type* t) {
    const Type* s = strip(t);
    while (s && s->kind == TypeKind::Array) s = strip(s->target);
    // Wider integers already print as numbers: no SetFormat call per element of a Vec<u64>.
    if (!s || s->kind != TypeKind::Base || s->size != 1) return;
    if (s->encoding == Encoding::Signed || s->encoding == Encoding::SignedChar)
        v.SetFormat(::lldb::eFormatDecimal);
    else if (s->encoding == Encoding::Unsigned || s->encoding == Encoding::UnsignedChar)
        v.SetFormat(::lldb::eFormatUnsigned);
}

// Only a value that seam summarises needs to map back to its seam Value. Integers wider than a
// byte and bools have no seam summary (LLDB's text is Rust's), so a Vec<u64>'s elements skip
// the ID look-up and the map entry.
bool needs_mapping(const Type* t) {
    const Type* s = strip(t);
    if (!s || s->kind != TypeKind::Base) return true;
    bool integer = s->encoding == Encoding::Signed || s->encoding == Encoding::Unsigned;
    return !(s->encoding == Encoding::Bool || (integer && s->size > 1));
}

::lldb::SBValue from_text(::lldb::SBValue& parent, const std::string& name,
                          const std::string& text) {
    ::lldb::SBTarget target = parent.GetTarget();
    ::lldb::SBType array =
        target.GetBasicType(::lldb::eBasicTypeChar).GetArrayType(text.size() + 1);
    // The array holds the text and its terminating NUL, as a C string literal would.
    ::lldb::SBData data;
    ::lldb::SBError error;
    data.SetData(error, text.c_str(), text.size() + 1, target.GetByteOrder(),
                 target.GetAddressByteSize());
    return parent.CreateValueFromData(name.c_str(), data, array);
}

// A child whose own type has a provider (a String, the Vec of a map entry) gets its synthetic
// view made and updated now, while LLDB is inside seam's get_child_at_index: that provider's
// __init__ and update() then run inside the same Python session instead of paying one session
// each when the client first looks at the child. The view is what a summary is later asked
// about, so its ID maps back to the seam value too.
void prepare_synthetic(::lldb::SBValue& v, const seam::lldb::MappedValue& mapped) {
    // A number, bool or char has no provider: asking LLDB for the view would only cost a
    // formatter look-up per element of a Vec<u64>.
    const Type* t = strip(mapped.value.type);
    if (t && t->kind == TypeKind::Base) return;
    ::lldb::SBValue synth = v.GetSyntheticValue();
    if (!synth.IsValid()) return;
    synth.GetError(); // ValueObject::GetError updates the value: the provider's update() runs
    if (synth.GetID() != v.GetID()) seam::lldb::remember_created_id(synth.GetID(), mapped);
}

} // namespace

::lldb::SBType find_sb_type(::lldb::SBTarget target, ::lldb::SBType parent, const Type* t) {
    if (!t || !target.IsValid()) return {};
    TypeCache& c = type_cache();
    uint32_t process = target.GetProcess().GetUniqueID();
    const char* parent_name = parent.IsValid() ? parent.GetName() : nullptr;
    std::tuple<const Type*, uint32_t, std::string> miss{t, process, parent_name ? parent_name : ""};
    {
        std::lock_guard lock(c.mutex);
        auto it = c.found.find({t, process});
        if (it != c.found.end()) return it->second;
        if (c.missed.count(miss)) return {};
    }
    ::lldb::SBType sb = build(target, parent, t, 0);
    std::lock_guard lock(c.mutex);
    if (sb.IsValid())
        c.found.emplace(std::pair{t, process}, sb);
    else
        c.missed.insert(std::move(miss));
    return sb;
}

::lldb::SBValue make_child(::lldb::SBValue parent, Context& ctx, const DebugInfo* info,
                           const std::string& name, const Value& child) {
    if (child.synthetic) return from_text(parent, name, *child.synthetic);
    ::lldb::SBType type = find_sb_type(parent.GetTarget(), parent.GetType(), child.type);
    return make_child(parent, ctx, info, name, child, type);
}

::lldb::SBValue text_child(::lldb::SBValue& parent, const std::string& name,
                           const std::string& text) {
    return from_text(parent, name, text);
}

::lldb::SBValue make_child(::lldb::SBValue& parent, Context& ctx, const DebugInfo* info,
                           const std::string& name, const Value& child, ::lldb::SBType type) {
    if (child.synthetic) return from_text(parent, name, *child.synthetic);
    seam::lldb::MappedValue mapped{child, info, false};
    if (type.IsValid() && child.address) {
        ::lldb::SBValue v = parent.CreateValueFromAddress(name.c_str(), *child.address, type);
        if (v.IsValid()) {
            const char* lldb_name = v.GetTypeName();
            seam::lldb::remember_created(*child.address, lldb_name ? lldb_name : "", mapped);
            set_rust_format(v, child.type);
            prepare_synthetic(v, mapped);
            return v;
        }
    }
    if (type.IsValid() && child.bytes) {
        const Type* s = strip(child.type);
        uint64_t size = s && s->has_size ? s->size : type.GetByteSize();
        if (child.bytes_offset + size <= child.bytes->size()) {
            ::lldb::SBData data;
            ::lldb::SBError error;
            ::lldb::SBTarget target = parent.GetTarget();
            data.SetData(error, child.bytes->data() + child.bytes_offset, size,
                         target.GetByteOrder(), target.GetAddressByteSize());
            ::lldb::SBValue v = parent.CreateValueFromData(name.c_str(), data, type);
            if (error.Success() && v.IsValid()) {
                if (needs_mapping(child.type)) seam::lldb::remember_created_id(v.GetID(), mapped);
                set_rust_format(v, child.type);
                prepare_synthetic(v, mapped);
                return v;
            }
        }
    }
    // No type LLDB knows (a tuple, a closure, a type only seam synthesised): show seam's
    // summary of it rather than nothing.
    Formatted f = ctx.format(child);
    return from_text(parent, name, render_summary(ctx, f, 256));
}

} // namespace seam::plugin
