// Names, chars and strings shared by the C formatters.
#include <array>

#include <fmt/format.h>

#include "formatters/c/c_parts.h"
#include "formatters/render/render.h"

namespace seam::c_values {

bool is_bindgen_record(const Type& t) {
    if (t.lang != Lang::Rust || (t.kind != TypeKind::Struct && t.kind != TypeKind::Union))
        return false;
    // Bindgen's records are not generic; a generic Rust type is Rust's own (its own helpers,
    // `__BindgenBitfieldUnit<[u8; 1]>`, included).
    std::string_view path = t.qualified.empty() ? std::string_view(t.name) : t.qualified;
    if (path.find('<') != std::string_view::npos) return false;
    bool first = true;
    for (size_t at = 0;;) {
        size_t sep = path.find("::", at);
        if (sep == std::string_view::npos) return false; // the last segment is the type's name
        std::string_view segment = path.substr(at, sep - at);
        if (segment == "bindings" || (first && segment.ends_with("_sys"))) return true;
        first = false;
        at = sep + 2;
    }
}

std::string c_type_name(const Type* t) {
    if (!t) return "void";
    // Bindgen's copy of a C record keeps the name Rust gives it (`bindings::kref`).
    if (is_bindgen_record(*t)) return t->qualified.empty() ? t->name : t->qualified;
    switch (t->kind) {
    case TypeKind::Void:
        return "void";
    case TypeKind::Struct:
        return t->name.empty() ? "struct <anonymous>" : "struct " + t->name;
    case TypeKind::Union:
        return t->name.empty() ? "union <anonymous>" : "union " + t->name;
    case TypeKind::Enum:
        return t->name.empty() ? "enum <anonymous>" : "enum " + t->name;
    case TypeKind::Pointer: {
        const Type* target = strip(t->target);
        if (target && target->kind == TypeKind::Function) {
            std::string params;
            for (size_t i = 0; i < target->params.size(); ++i)
                params += (i ? ", " : "") + c_type_name(target->params[i]);
            return fmt::format("{} (*)({})", c_type_name(target->target), params);
        }
        std::string inner = c_type_name(t->target);
        return inner + (inner.ends_with("*") ? "*" : " *");
    }
    case TypeKind::Array: {
        std::string out = c_type_name(t->target);
        for (const auto& d : t->dims) out += d ? fmt::format("[{}]", *d) : std::string("[]");
        return out;
    }
    case TypeKind::Qualified:
        if (!t->name.empty()) return t->name;
        return c_type_name(t->target);
    case TypeKind::Function:
        return "function";
    case TypeKind::Base:
    case TypeKind::Typedef:
        return t->name;
    }
    return t->name;
}

bool is_char_type(const Type* declared) {
    static constexpr std::string_view kByteAliases[] = {
        "int8_t", "uint8_t", "__int8_t", "__uint8_t", "u8", "s8", "i8", "__u8", "__s8"};
    for (const Type* a = declared;
         a && (a->kind == TypeKind::Typedef || a->kind == TypeKind::Qualified); a = a->target)
        for (auto alias : kByteAliases)
            if (a->kind == TypeKind::Typedef && a->name == alias) return false;
    const Type* t = strip(declared);
    return t && t->kind == TypeKind::Base && t->size == 1 &&
           (t->encoding == Encoding::SignedChar || t->encoding == Encoding::UnsignedChar);
}

std::string c_char_text(int64_t value) {
    unsigned char c = static_cast<unsigned char>(value);
    std::string shown;
    switch (c) {
    case '\0':
        shown = "\\0";
        break;
    case '\a':
        shown = "\\a";
        break;
    case '\b':
        shown = "\\b";
        break;
    case '\f':
        shown = "\\f";
        break;
    case '\n':
        shown = "\\n";
        break;
    case '\r':
        shown = "\\r";
        break;
    case '\t':
        shown = "\\t";
        break;
    case '\v':
        shown = "\\v";
        break;
    case '\\':
        shown = "\\\\";
        break;
    case '\'':
        shown = "\\'";
        break;
    default:
        if (c >= 0x20 && c < 0x7f)
            shown = std::string(1, char(c));
        else
            shown = fmt::format("\\{:03o}", c);
    }
    return fmt::format("{} '{}'", value, shown);
}

Result<CString> read_c_string(Context& ctx, uint64_t address, uint64_t limit) {
    // Chunks end on 256-byte boundaries: never across a page, and inside LLDB's 512-byte
    // cache lines, so a short string costs one round trip.
    constexpr uint64_t kChunk = 256;
    CString out;
    uint64_t at = address;
    std::array<std::byte, kChunk> buf;
    bool bytewise = false; // after a failed chunk: the readable part may end inside it
    while (out.bytes.size() < limit) {
        uint64_t n = bytewise ? 1 : kChunk - (at % kChunk);
        n = std::min<uint64_t>(n, limit - out.bytes.size());
        auto st = ctx.read(at, std::span<std::byte>(buf.data(), n));
        if (!st && n > 1) {
            bytewise = true;
            continue;
        }
        if (!st) {
            if (out.bytes.empty())
                return err("cannot read a C string at {:#x}: {}", address, st.error().message);
            return err("C string at {:#x} runs into unreadable memory after {} bytes", address,
                       out.bytes.size());
        }
        for (uint64_t i = 0; i < n; ++i) {
            char c = static_cast<char>(buf[i]);
            if (c == '\0') {
                out.terminated = true;
                return out;
            }
            out.bytes.push_back(c);
        }
        at += n;
        if (at % kChunk == 0) bytewise = false;
    }
    return out;
}

std::string c_string_text(const CString& s) {
    std::string text = debug_os_str(s.bytes);
    return s.terminated ? text : text + "...";
}

} // namespace seam::c_values
