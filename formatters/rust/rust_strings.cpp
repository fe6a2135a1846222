// str and String, Box<str>, OsString/OsStr/PathBuf/Path, CString/CStr and Cow: each is a run of
// bytes found through a Vec<u8> or a fat pointer, printed as one Debug leaf.
#include <fmt/format.h>

#include "formatters/core/context.h"
#include "formatters/render/render.h"
#include "formatters/render/summary_line.h"
#include "formatters/rust/families.h"
#include "formatters/rust/rust_layout.h"
#include "formatters/rust/rust_std_support.h"

namespace seam {
namespace {

using rust_layout::Buffer;
using rust_layout::marker;

// How each kind of string prints under `{:?}`.
enum class Text { Str, OsStr, CStr };

// `rustc`: the Type::rustc of the string's type, whose std's Debug is imitated.
Formatted text_leaf(Context& ctx, uint64_t address, uint64_t len, Text kind, uint32_t rustc) {
    if (kind == Text::Str) return rust_layout::str_leaf(ctx, address, len, rustc);
    auto bytes = rust_layout::read_string_bytes(ctx, address, len);
    if (!bytes) return error_value(bytes.error().message);
    return leaf(kind == Text::OsStr ? debug_os_str(*bytes, rustc) : debug_c_str(*bytes, rustc));
}

// Ownership of a string's bytes: `len` shown, `size` bytes allocated (a CString's NUL counts
// there, not in `len`).
void set_own(Formatted& f, OwnKind kind, uint64_t address, uint64_t size, uint64_t len,
             std::optional<uint64_t> cap) {
    f.own.kind = kind;
    f.own.address = address;
    f.own.size = size;
    f.own.length = len;
    f.own.capacity = cap;
    if (cap && *cap == 0) f.own.note = "no allocation";
}

// The pointee path a fat pointer's data_ptr names: `std::path::Path` for `&Path`.
std::string_view pointee_name(const Type& t) {
    const Field* data = find_field(&t, "data_ptr");
    const Type* p = data ? strip(data->type) : nullptr;
    const Type* target = p && p->kind == TypeKind::Pointer ? strip(p->target) : nullptr;
    return target ? rust_layout::match_name(*target) : std::string_view();
}

// `&str`, `&mut str`, `Box<str>`, `&OsStr`, `&Path`, `&CStr` and their Boxes: rustc's fat
// pointer structs of `data_ptr` and `length`, told apart by name (str's data_ptr is a plain
// `u8 *`) or by the DST the data pointer names.
class FatStrFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.str"; }
    bool matches(const Type& t) const override { return kind_of(t).has_value(); }
    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        Text kind = *kind_of(t);
        auto b = rust_layout::read_fat(ctx, v);
        if (!b) return error_value(marker(b.error()));
        uint64_t len = b->len;
        // A CStr's length counts its NUL terminator, which Debug does not print.
        if (kind == Text::CStr && len > 0) --len;
        Formatted f = text_leaf(ctx, b->ptr, len, kind, t.rustc);
        f.type_name = rust_layout::display_name(&t);
        if (f.shape == Shape::Error) return f;
        std::string_view n = rust_layout::match_name(t);
        OwnKind own = n.starts_with("&mut ") ? OwnKind::BorrowedMut
                      : n.starts_with("&")   ? OwnKind::Borrowed
                                             : OwnKind::Owned;
        set_own(f, own, b->ptr, b->len, len, std::nullopt);
        return f;
    }

private:
    static std::optional<Text> kind_of(const Type& t) {
        if (t.kind != TypeKind::Struct || !find_field(&t, "data_ptr") || !find_field(&t, "length"))
            return std::nullopt;
        std::string_view n = rust_layout::match_name(t);
        bool reference = n.starts_with("&");
        bool boxed = n.starts_with("alloc::boxed::Box<");
        if (!reference && !boxed) return std::nullopt;
        if (n == "&str" || n == "&mut str" || n.starts_with("alloc::boxed::Box<str,") ||
            n == "alloc::boxed::Box<str>")
            return Text::Str;
        std::string_view p = pointee_name(t);
        if (p == "std::ffi::os_str::OsStr" || p == "std::path::Path") return Text::OsStr;
        if (p == "core::ffi::c_str::CStr") return Text::CStr;
        return std::nullopt;
    }
};

// String, OsString and PathBuf: a Vec<u8> reached through `vec`/`inner` fields
// (PathBuf.inner: OsString, OsString.inner: Buf, Buf.inner: Vec<u8> on Unix).
class OwnedStringFormatter final : public Formatter {
public:
    OwnedStringFormatter(std::string_view formatter, std::string_view path, Text kind)
        : m_name(formatter), m_path(path), m_kind(kind) {}
    std::string_view name() const override { return m_name; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && has_path(&t, m_path);
    }
    Formatted format(Context& ctx, const Value& v) const override {
        auto vec = find_vec(ctx, v);
        auto b = vec ? rust_layout::read_vec(ctx, *vec) : Result<Buffer>(vec.error());
        if (!b) return error_value(marker(b.error()));
        if (auto bad = rust_layout::check(*b, true); !bad.empty()) return error_value(bad);
        Formatted f = text_leaf(ctx, b->ptr, b->len, m_kind, strip(v.type)->rustc);
        f.type_name = rust_layout::display_name(v.type);
        if (f.shape == Shape::Error) return f;
        set_own(f, OwnKind::Owned, b->ptr, b->cap, b->len, b->cap);
        return f;
    }

private:
    static Result<Value> find_vec(Context& ctx, const Value& v) {
        Value cur = v;
        for (int depth = 0; depth < 6; ++depth) {
            const Type* t = strip(cur.type);
            if (has_path(t, "alloc::vec::Vec")) return cur;
            const Field* f = find_field(t, "vec");
            if (!f) f = find_field(t, "inner");
            if (!f) return err("no Vec<u8> inside {}", t ? t->name : "?");
            cur = cur.sub(f->type, f->offset);
        }
        return err("no Vec<u8> inside {}", strip(v.type)->name);
    }

    std::string_view m_name;
    std::string_view m_path;
    Text m_kind;
};

// CString { inner: Box<[u8]> }: the box holds the bytes and the NUL terminator.
class CStringFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.cstring"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && has_path(&t, "alloc::ffi::c_str::CString");
    }
    Formatted format(Context& ctx, const Value& v) const override {
        auto inner = ctx.field(v, "inner");
        auto b = inner ? rust_layout::read_fat(ctx, *inner) : Result<Buffer>(inner.error());
        if (!b) return error_value(marker(b.error()));
        if (b->len == 0) return error_value("<invalid: CString without its NUL terminator>");
        if (auto bad = rust_layout::check(*b, false); !bad.empty()) return error_value(bad);
        Formatted f = text_leaf(ctx, b->ptr, b->len - 1, Text::CStr, strip(v.type)->rustc);
        f.type_name = "CString";
        if (f.shape == Shape::Error) return f;
        set_own(f, OwnKind::Owned, b->ptr, b->len, b->len - 1, std::nullopt);
        return f;
    }
};

// Cow<'_, B>: Debug prints the borrowed or owned value alone. rustc encodes the variant in a
// niche of Owned's value (String's capacity can never be 2^63, so Borrowed is that capacity),
// and says so in the variant part's discriminant values: read through active_variant().
class CowFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.cow"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && t.variant_part && has_path(&t, "alloc::borrow::Cow");
    }
    Formatted format(Context& ctx, const Value& v) const override {
        auto inner = inner_value(ctx, v);
        if (!inner) return error_value(marker(inner.error()));
        Formatted shown = ctx.format(*inner);
        if (shown.shape == Shape::Error) return shown;
        Formatted f;
        f.shape = Shape::Transparent;
        f.count = 1;
        f.type_name = rust_layout::display_name(v.type);
        f.own = shown.own;
        // Which arm is the point of a Cow, and Debug hides it: the line says it first
        // (`Borrowed "text"`, `Owned len=3 cap=3 [-1, 0, 1]`), as the children do.
        if (!rust_std::in_nested_summary()) {
            auto var = rust_layout::active_variant(ctx, v);
            std::string line = render_summary_line(ctx, shown);
            f.summary = var ? fmt::format("{} {}", (*var)->member.name, line) : line;
        }
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        auto inner = inner_value(ctx, v);
        if (!inner) return {Child{"", Value::leaf(marker(inner.error())), std::nullopt}};
        auto var = rust_layout::active_variant(ctx, v);
        return {Child{var ? (*var)->member.name : "", *inner, std::nullopt}};
    }

private:
    static Result<Value> inner_value(Context& ctx, const Value& v) {
        auto var = rust_layout::active_variant(ctx, v);
        if (!var) return var.error();
        Value arm = v.sub((*var)->member.type, (*var)->member.offset);
        return ctx.field(arm, "__0");
    }
};

} // namespace

void register_rust_strings(Registry& r) {
    r.add(std::make_unique<FatStrFormatter>());
    r.add(
        std::make_unique<OwnedStringFormatter>("rust.string", "alloc::string::String", Text::Str));
    r.add(std::make_unique<OwnedStringFormatter>("rust.os_string", "std::ffi::os_str::OsString",
                                                 Text::OsStr));
    r.add(
        std::make_unique<OwnedStringFormatter>("rust.path_buf", "std::path::PathBuf", Text::OsStr));
    r.add(std::make_unique<CStringFormatter>());
    r.add(std::make_unique<CowFormatter>());
}

} // namespace seam
