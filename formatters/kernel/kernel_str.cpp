// kernel::str: `&CStr` and `&BStr` (fat pointers {data_ptr, length} to the DSTs `CStr([u8])` and
// `BStr([u8])`; a CStr's length counts its NUL) and `CString { buf: KVec<u8> }` (the NUL in buf).
// Their Debug is the kernel's, not std's: printable ASCII as it is, `"` escaped, any other byte
// `\xNN`; BStr also escapes `\t` `\n` `\r` and `\`. (The kernel's CStr became core::ffi::CStr in
// 6.19, which std's strings family formats.)
#include <fmt/format.h>

#include "formatters/kernel/kernel_parts.h"
#include "formatters/rust/rust_layout.h"

namespace seam::kernel {
namespace {

enum class Kind { CStr, BStr };

std::string debug_bytes(std::string_view bytes, Kind kind) {
    std::string out = "\"";
    for (unsigned char c : bytes) {
        if (kind == Kind::BStr && c == '\t')
            out += "\\t";
        else if (kind == Kind::BStr && c == '\n')
            out += "\\n";
        else if (kind == Kind::BStr && c == '\r')
            out += "\\r";
        else if (c == '"')
            out += "\\\"";
        else if (kind == Kind::BStr && c == '\\')
            out += "\\\\";
        else if (c >= 0x20 && c <= 0x7e)
            out += char(c);
        else
            out += fmt::format("\\x{:02x}", c);
    }
    return out + "\"";
}

Formatted text(Context& ctx, uint64_t address, uint64_t len, Kind kind) {
    auto bytes = rust_layout::read_string_bytes(ctx, address, len);
    if (!bytes) return error_value(bytes.error().message);
    return leaf(debug_bytes(*bytes, kind));
}

class FatFormatter final : public Formatter {
public:
    std::string_view name() const override { return "kernel.cstr"; }
    bool matches(const Type& t) const override { return kind_of(t).has_value(); }
    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        Kind kind = *kind_of(t);
        auto b = rust_layout::read_fat(ctx, v);
        if (!b) return error_value(rust_layout::marker(b.error()));
        uint64_t len = b->len;
        if (kind == Kind::CStr) {
            // The NUL is part of a CStr's length; a length of 0 breaks CStr's invariant.
            if (len == 0) return error_value("<invalid: CStr of length 0 has no NUL>");
            --len;
        }
        Formatted f = text(ctx, b->ptr, len, kind);
        f.type_name = rust_layout::display_name(&t);
        if (f.shape == Shape::Error) return f;
        f.own.kind = rust_layout::match_name(t).starts_with("&mut ") ? OwnKind::BorrowedMut
                                                                     : OwnKind::Borrowed;
        f.own.address = b->ptr;
        f.own.size = b->len;
        f.own.length = len;
        return f;
    }

private:
    static std::optional<Kind> kind_of(const Type& t) {
        if (t.kind != TypeKind::Struct || !find_field(&t, "data_ptr") || !find_field(&t, "length"))
            return std::nullopt;
        std::string_view n = rust_layout::match_name(t);
        if (n.starts_with("&mut "))
            n.remove_prefix(5);
        else if (n.starts_with("&"))
            n.remove_prefix(1);
        else
            return std::nullopt;
        if (n == "kernel::str::CStr") return Kind::CStr;
        if (n == "kernel::str::BStr") return Kind::BStr;
        return std::nullopt;
    }
};

class CStringFormatter final : public Formatter {
public:
    std::string_view name() const override { return "kernel.cstring"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && has_path(&t, "kernel::str::CString");
    }
    Formatted format(Context& ctx, const Value& v) const override {
        auto buf = ctx.field(v, "buf");
        auto b = buf ? read_kvec(ctx, *buf) : Result<rust_layout::Buffer>(buf.error());
        if (!b) return error_value(rust_layout::marker(b.error()));
        if (auto bad = rust_layout::check(*b, true); !bad.empty()) return error_value(bad);
        if (b->len == 0) return error_value("<invalid: CString of length 0 has no NUL>");
        Formatted f = text(ctx, b->ptr, b->len - 1, Kind::CStr);
        f.type_name = "CString";
        if (f.shape == Shape::Error) return f;
        f.own.kind = OwnKind::Owned;
        f.own.address = b->ptr;
        f.own.size = b->cap;
        f.own.length = b->len - 1;
        f.own.capacity = b->cap;
        return f;
    }
};

} // namespace

std::unique_ptr<Formatter> make_cstr_formatter() {
    return std::make_unique<FatFormatter>();
}
std::unique_ptr<Formatter> make_cstring_formatter() {
    return std::make_unique<CStringFormatter>();
}

} // namespace seam::kernel
