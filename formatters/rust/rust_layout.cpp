#include "formatters/rust/rust_layout.h"
#include "formatters/rust/rust_generic_parts.h"

#include <cctype>
#include <limits>

#include <fmt/format.h>

#include "formatters/render/render.h"

namespace seam::rust_layout {
namespace {

// x86-64 and AArch64 user space: no allocation ends above 2^47 (2^48 with 5-level paging is
// rarer than a garbage length), so a byte size past it is corruption, found without a read.
constexpr uint64_t kAddressSpace = 1ull << 48;

// Past this many bytes a page of children is not read in one piece: each child keeps its
// address and its formatter reads only what it shows (a page of 256 `[u8; 1 MiB]` elements).
constexpr uint64_t kBulkLimit = 1ull << 20;

uint64_t size_of(const Type* t) {
    t = strip(t);
    return t && t->has_size ? t->size : 0;
}

bool is_ident_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// The unsized tail of a DST wrapper: `OsStr { inner: Slice { inner: u8 } }`, `CStr { inner:
// c_char }`, `Path { inner: OsStr }` are all zero-sized structs in DWARF whose last field is
// the element the fat pointer's length counts.
const Type* unsized_tail(const Type* t) {
    for (int depth = 0; depth < 8; ++depth) {
        const Type* s = strip(t);
        if (!s || s->kind != TypeKind::Struct || s->size != 0 || s->fields.empty()) return s;
        t = s->fields.back().type;
    }
    return strip(t);
}

} // namespace

Result<uint64_t> scalar(Context& ctx, const Value& v) {
    Value cur = v;
    for (int depth = 0; depth < 8; ++depth) {
        const Type* t = strip(cur.type);
        if (!t) return err("value has no type");
        switch (t->kind) {
        case TypeKind::Base:
        case TypeKind::Pointer:
        case TypeKind::Enum:
            if (!t->has_size || t->size == 0 || t->size > 8)
                return err("{} is not a machine integer", t->name);
            return ctx.read_uint(cur, 0, t->size);
        case TypeKind::Struct: {
            const Field* inner = nullptr;
            for (const auto& f : t->fields)
                if (size_of(f.type) > 0) {
                    inner = &f;
                    break;
                }
            if (!inner) return err("{} holds no integer", t->name);
            cur = cur.sub(inner->type, inner->offset);
            break;
        }
        default:
            return err("{} is not an integer newtype", t->name);
        }
    }
    return err("newtype nesting too deep in {}", strip(v.type) ? strip(v.type)->name : "?");
}

Result<Buffer> read_raw_vec(Context& ctx, const Value& raw_vec, const Type* elem) {
    Value rv = raw_vec;
    // rustc 1.84+ splits RawVec<T> into a type-erased RawVecInner kept in `inner`.
    if (auto inner = ctx.field(rv, "inner"); inner && find_field(strip(inner->type), "ptr"))
        rv = *inner;
    auto ptr_field = ctx.field(rv, "ptr");
    if (!ptr_field) return ptr_field.error();
    Buffer b;
    b.elem = elem;
    if (!b.elem) {
        // Before RawVecInner the pointer was a Unique<T>: T is its template parameter.
        b.elem = template_arg(strip(ptr_field->type), 0);
    }
    if (!b.elem) return err("cannot tell the element type of {}", strip(raw_vec.type)->name);
    b.elem_size = size_of(b.elem);
    auto ptr = scalar(ctx, *ptr_field);
    if (!ptr) return ptr.error();
    b.ptr = *ptr;
    auto cap_field = ctx.field(rv, "cap");
    if (!cap_field) return cap_field.error();
    auto cap = scalar(ctx, *cap_field);
    if (!cap) return cap.error();
    // Vec::capacity() of a zero-sized T is usize::MAX; the stored cap stays 0.
    b.cap = b.elem_size == 0 ? std::numeric_limits<uint64_t>::max() : *cap;
    return b;
}

Result<Buffer> read_vec(Context& ctx, const Value& vec) {
    const Type* t = strip(vec.type);
    const Type* elem = nullptr;
    for (const auto& p : t->template_params)
        if (p.name == "T") elem = p.type;
    if (!elem) elem = template_arg(t, 0);
    auto buf = ctx.field(vec, "buf");
    if (!buf) return buf.error();
    auto b = read_raw_vec(ctx, *buf, elem);
    if (!b) return b.error();
    auto len = ctx.uint_at(vec, {"len"});
    if (!len) return len.error();
    b->len = *len;
    return b;
}

Result<Buffer> read_fat(Context& ctx, const Value& fat) {
    const Type* t = strip(fat.type);
    const Field* data = find_field(t, "data_ptr");
    if (!data) return err("{} is not a fat pointer", t ? t->name : "?");
    const Type* ptr_type = strip(data->type);
    if (!ptr_type || ptr_type->kind != TypeKind::Pointer)
        return err("{}'s data_ptr is not a pointer", t->name);
    Buffer b;
    b.elem = unsized_tail(ptr_type->target);
    b.elem_size = size_of(b.elem);
    auto ptr = ctx.read_uint(fat, data->offset, ptr_type->size ? ptr_type->size : 8);
    if (!ptr) return ptr.error();
    b.ptr = *ptr;
    auto len = ctx.uint_at(fat, {"length"});
    if (!len) return len.error();
    b.len = b.cap = *len;
    return b;
}

std::string check(const Buffer& b, bool check_cap) {
    if (b.elem_size == 0) return "";
    if (check_cap && b.len > b.cap)
        return fmt::format("<invalid: len {} exceeds cap {}>", b.len, b.cap);
    if (b.len > kAddressSpace / b.elem_size)
        return fmt::format("<invalid: len {} of {}-byte elements exceeds the address space>", b.len,
                           b.elem_size);
    if (check_cap && b.cap > kAddressSpace / b.elem_size)
        return fmt::format("<invalid: cap {} of {}-byte elements exceeds the address space>", b.cap,
                           b.elem_size);
    if (b.ptr + b.len * b.elem_size < b.ptr)
        return fmt::format("<invalid: {} bytes at {:#x} wrap around the address space>",
                           b.len * b.elem_size, b.ptr);
    return "";
}

Result<std::string> read_string_bytes(Context& ctx, uint64_t address, uint64_t len) {
    if (len == 0) return std::string();
    if (len > ctx.budget().max_string)
        return err("<budget: string of {} bytes exceeds the {}-byte limit>", len,
                   ctx.budget().max_string);
    std::string out(len, '\0');
    auto span = std::span<std::byte>(reinterpret_cast<std::byte*>(out.data()), out.size());
    if (auto st = ctx.read(address, span); !st) {
        if (st.error().message.starts_with("<budget")) return st.error();
        return err("<error: cannot read {} bytes at {:#x}>", len, address);
    }
    return out;
}

Formatted str_leaf(Context& ctx, uint64_t address, uint64_t len, uint32_t rustc) {
    auto bytes = read_string_bytes(ctx, address, len);
    if (!bytes) return error_value(bytes.error().message);
    Formatted f = leaf(debug_str(*bytes, rustc));
    if (!is_valid_utf8(*bytes)) f.own.note = "invalid UTF-8";
    return f;
}

std::vector<Child> element_children(Context& ctx, uint64_t base, const Type* elem,
                                    uint64_t elem_size, uint64_t first, uint64_t count,
                                    uint64_t label_base) {
    std::vector<Child> out;
    out.reserve(count);
    auto label = [&](uint64_t i) { return fmt::format("[{}]", label_base + i); };
    if (elem_size == 0) {
        // Zero-sized elements own no bytes (their pointer is dangling): nothing to read.
        for (uint64_t i = 0; i < count; ++i)
            out.push_back(Child{label(i), Value::held(elem, {}), std::nullopt});
        return out;
    }
    uint64_t start = base + first * elem_size;
    uint64_t total = count * elem_size;
    if (total > kBulkLimit) {
        for (uint64_t i = 0; i < count; ++i)
            out.push_back(Child{label(i), Value::at(elem, start + i * elem_size), std::nullopt});
        return out;
    }
    std::vector<std::byte> bytes(total);
    if (auto st = ctx.read(start, bytes); !st) {
        for (uint64_t i = 0; i < count; ++i) {
            std::string msg = st.error().message.starts_with("<budget")
                                  ? st.error().message
                                  : fmt::format("<error: cannot read {} bytes at {:#x}>", elem_size,
                                                start + i * elem_size);
            out.push_back(Child{label(i), Value::leaf(msg), std::nullopt});
        }
        return out;
    }
    auto shared = std::make_shared<const std::vector<std::byte>>(std::move(bytes));
    for (uint64_t i = 0; i < count; ++i) {
        Value v;
        v.type = elem;
        v.bytes = shared;
        v.bytes_offset = i * elem_size;
        out.push_back(Child{label(i), std::move(v), std::nullopt});
    }
    return out;
}

std::string marker(const Error& e) {
    return e.message.starts_with("<") ? e.message : "<error: " + e.message + ">";
}

namespace {

bool less128(Int128 a, Int128 b, bool is_signed) {
    if (a.hi != b.hi) return is_signed ? int64_t(a.hi) < int64_t(b.hi) : a.hi < b.hi;
    return a.lo < b.lo;
}

bool base_is_signed(const Type* t) {
    t = strip(t);
    if (!t) return false;
    if (t->kind == TypeKind::Enum) return t->enum_is_signed;
    return t->encoding == Encoding::Signed || t->encoding == Encoding::SignedChar;
}

} // namespace

Result<const Variant*> active_variant(Context& ctx, const Value& v) {
    const Type* t = strip(v.type);
    if (!t || !t->variant_part)
        return err("<error: {} has no variant part>", t ? t->name : std::string("?"));
    const VariantPart& vp = *t->variant_part;
    // rustc marks the niche-holding arm (`Some`) as the default: the first one counts.
    const Variant* fallback = nullptr;
    for (const auto& var : vp.variants)
        if (var.is_default && !fallback) fallback = &var;
    if (!vp.discr) {
        if (vp.variants.size() == 1) return &vp.variants.front();
        if (fallback) return fallback;
        return err("<invalid: {} has no discriminant and {} variants>", t->name,
                   vp.variants.size());
    }
    const Type* dt = strip(vp.discr->type);
    size_t size = dt && dt->has_size ? dt->size : 0;
    if (size == 0 || size > 16) return err("<error: {} has a {}-byte discriminant>", t->name, size);
    auto raw = rust_generic::read_int128(ctx, v, vp.discr->offset, size);
    if (!raw) return err("<error: {}>", raw.error().message);
    Int128 x = *raw;
    // DW_AT_discr_value may be stored sign-extended or not; comparing the low `size` bytes of
    // both sides is right either way. Ranges compare in the discriminant's own signedness.
    bool is_signed = base_is_signed(dt);
    Int128 xs = is_signed ? rust_generic::sign_extend(x, size) : x;
    for (const auto& var : vp.variants) {
        for (const auto& dv : var.discr_values)
            if (rust_generic::truncate(dv, size) == x) return &var;
        for (const auto& [lo, hi] : var.discr_ranges) {
            Int128 l =
                is_signed ? rust_generic::sign_extend(lo, size) : rust_generic::truncate(lo, size);
            Int128 h =
                is_signed ? rust_generic::sign_extend(hi, size) : rust_generic::truncate(hi, size);
            if (!less128(xs, l, is_signed) && !less128(h, xs, is_signed)) return &var;
        }
    }
    if (fallback) return fallback;
    return err("<invalid: discriminant {} matches no variant of {}>", rust_generic::hex128(x),
               t->name);
}

namespace {

std::string spell_display_name(const Type* t) {
    if (t->kind == TypeKind::Array && !t->dims.empty()) {
        // Nested dimensions are nested array types; an element with no type is `()`.
        std::string elem = strip(t->target) ? display_name(t->target) : "()";
        std::string out;
        for (size_t i = 0; i < t->dims.size(); ++i) out += "[";
        out += elem;
        for (size_t i = t->dims.size(); i-- > 0;)
            out += t->dims[i] ? fmt::format("; {}]", *t->dims[i]) : std::string("]");
        return out;
    }
    std::string_view in = match_name(*t);
    std::string out;
    out.reserve(in.size());
    for (size_t i = 0; i < in.size();) {
        if (is_ident_char(in[i])) {
            size_t j = i;
            while (j < in.size() && is_ident_char(in[j])) ++j;
            // A path segment (`alloc::`) is dropped; the last segment stays.
            if (in.substr(j, 2) == "::") {
                i = j + 2;
                continue;
            }
            out.append(in.substr(i, j - i));
            i = j;
        } else {
            out += in[i++];
        }
    }
    for (size_t pos; (pos = out.find(", Global>")) != std::string::npos;) out.replace(pos, 9, ">");
    return out;
}

} // namespace

std::string display_name(const Type* t) {
    t = strip(t);
    if (!t) return "";
    if (const std::string* memo = t->memo_display.get()) return *memo;
    return t->memo_display.set(spell_display_name(t));
}

std::string without_default_args(std::string name) {
    for (std::string_view arg : {", alloc::alloc::Global", ", std::hash::random::RandomState"})
        for (auto pos = name.find(arg); pos != std::string::npos; pos = name.find(arg, pos))
            name.erase(pos, arg.size());
    return name;
}

Formatted address_leaf(uint64_t address) {
    // core::fmt::pointer_fmt_inner: `{:#?}` sets zero padding to 2 + 2 * size_of::<usize>().
    Formatted f = leaf(fmt::format("{:#x}", address));
    f.pretty_text = fmt::format("{:#018x}", address);
    return f;
}

std::string_view match_name(const Type& t) {
    return t.qualified.empty() ? t.name : t.qualified;
}

} // namespace seam::rust_layout
