// Rust scalars and thin pointers as `{:?}` prints them: integers of every width (u8 is a
// number, never a char), floats, bool, char, `()`, references (Debug prints the referent),
// raw pointers and fn pointers (Debug prints the address).
#include <bit>
#include <cstring>

#include <fmt/format.h>

#include "formatters/render/render.h"
#include "formatters/rust/rust_generic_parts.h"
#include "formatters/rust/rust_layout.h"

namespace seam::rust_generic {
namespace {

class ScalarFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.scalar"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Base && is_rust_or_unknown(t);
    }
    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        // `()` is a zero-sized base type; `!` has no values, so a variable of it is never live.
        if (t.size == 0) {
            if (t.name == "!") return error_value("<invalid: a value of the never type `!`>");
            return typed_leaf("()", t);
        }
        auto raw = read_int128(ctx, v, 0, t.size);
        if (!raw) return error_value(fmt::format("<error: {}>", raw.error().message));
        Int128 x = *raw;
        switch (t.encoding) {
        case Encoding::Bool:
            if (x.lo > 1 || x.hi) return error_value(fmt::format("<invalid: bool {}>", hex128(x)));
            return typed_leaf(x.lo ? "true" : "false", t);
        case Encoding::Utf: {
            // char is a Unicode scalar value: surrogates and values past 0x10FFFF are invalid.
            if (x.hi || x.lo > 0x10FFFF || (x.lo >= 0xD800 && x.lo <= 0xDFFF))
                return error_value(fmt::format("<invalid: char {}>", hex128(x)));
            return typed_leaf(debug_char(char32_t(x.lo), t.rustc), t);
        }
        case Encoding::Float:
            if (t.size == 4) {
                uint32_t bits = uint32_t(x.lo);
                return typed_leaf(debug_f32(std::bit_cast<float>(bits)), t);
            }
            if (t.size == 8) return typed_leaf(debug_f64(std::bit_cast<double>(x.lo)), t);
            return error_value(
                fmt::format("<error: {}-byte float {} is not supported>", t.size, t.name));
        case Encoding::Signed:
        case Encoding::SignedChar:
            x = sign_extend(x, t.size);
            return typed_leaf(debug_i128(true, x.lo, x.hi), t);
        case Encoding::Unsigned:
        case Encoding::UnsignedChar:
        case Encoding::Address:
        case Encoding::None:
            return typed_leaf(debug_i128(false, x.lo, x.hi), t);
        }
        return error_value(fmt::format("<error: base type {} has an unknown encoding>", t.name));
    }
};

enum class PointerKind { Ref, RefMut, Raw, Fn };

PointerKind classify(const Type& t) {
    const Type* target = strip(t.target);
    if (target && target->kind == TypeKind::Function) return PointerKind::Fn;
    std::string_view n = t.name;
    if (n.starts_with("&mut ")) return PointerKind::RefMut;
    if (n.starts_with("&")) return PointerKind::Ref;
    // rustc names fn pointer types `fn(i32) -> i32`, `unsafe extern "C" fn()`, ...
    if (n.starts_with("fn(") || n.starts_with("unsafe ") || n.starts_with("extern "))
        return PointerKind::Fn;
    return PointerKind::Raw; // `*const T`, `*mut T`, and the unnamed data_ptr of fat pointers
}

class PointerFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.pointer"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Pointer && is_rust_or_unknown(t);
    }
    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        auto addr = ctx.read_uint(v, 0, t.has_size && t.size && t.size <= 8 ? t.size : 8);
        if (!addr) return error_value(fmt::format("<error: {}>", addr.error().message));
        PointerKind kind = classify(t);
        if (kind == PointerKind::Ref || kind == PointerKind::RefMut) {
            // A reference is never null nor unaligned; either means the memory is not (yet)
            // what the type says, typically a local read before its initialisation.
            if (*addr == 0) return error_value("<invalid: null reference>");
            Formatted f;
            f.shape = Shape::Transparent;
            f.type_name = rust_layout::display_name(&t);
            f.count = 1;
            f.own.kind = kind == PointerKind::Ref ? OwnKind::Borrowed : OwnKind::BorrowedMut;
            f.own.address = *addr;
            return f;
        }
        Formatted f = rust_layout::address_leaf(*addr);
        f.type_name = rust_layout::display_name(&t);
        if (kind == PointerKind::Fn) {
            // A fn pointer points at code: nothing to own or borrow.
            std::string target = ctx.types() ? ctx.types()->function_at(*addr) : std::string();
            f.summary = target.empty() ? f.text : fmt::format("{} <{}>", f.text, target);
            f.own.note = target.empty() ? "fn pointer" : fmt::format("fn pointer to {}", target);
            f.own.address = *addr;
        } else {
            f.own.kind = OwnKind::Raw;
            f.own.address = *addr;
        }
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        const Type& t = *strip(v.type);
        if (start != 0 || count == 0) return {};
        auto addr = ctx.read_uint(v, 0, t.has_size && t.size && t.size <= 8 ? t.size : 8);
        if (!addr)
            return {make_child("*", Value::leaf(fmt::format("<error: {}>", addr.error().message)))};
        return {make_child("*", Value::at(t.target, *addr))};
    }
};

} // namespace

std::unique_ptr<Formatter> make_scalar_formatter() {
    return std::make_unique<ScalarFormatter>();
}
std::unique_ptr<Formatter> make_pointer_formatter() {
    return std::make_unique<PointerFormatter>();
}

} // namespace seam::rust_generic
