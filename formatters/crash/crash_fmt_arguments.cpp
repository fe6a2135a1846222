// The text a `core::fmt::Arguments` formats to, read from memory: what a panic handler that
// receives core's PanicInfo (a `#![no_std]` program's, the Linux kernel's `rust_begin_unwind`)
// has as its message. Nothing has formatted it yet when the handler stops: the debugger does it.
//
// rustc 1.96's layout (core/src/fmt/mod.rs): `Arguments { template: NonNull<u8>, args:
// NonNull<rt::Argument> }`. An `args` word with its low bit set is a literal (`len << 1 | 1`
// bytes at `template`). Otherwise `template` is a byte code: a length byte (< 0x80) and that many
// bytes of text, or 0x80 and a 16-bit length, or a placeholder byte (0b11xxxxxx, whose low four
// bits say which of flags (32 bit), width, precision and arg_index (16 bit each) follow), and a
// zero byte at the end; `args` points at `rt::Argument`s, each a `(value: &T, formatter: fn)`.
// The formatter's own DWARF gives the argument's type (its `self` parameter, `&T`; else the
// type its name spells) and its linkage name the trait (v0 mangling spells the trait's path:
// `7Display`, `5Debug`, ...). Integers, bools, strings and pointers (`{:p}`) are formatted
// here; any other type's Debug by the engine's formatters from the DWARF, as `seam print
// --debug` writes it, and its Display where Display follows from Debug (strings, the kernel's
// CStr). What is left (a Display seam does not know, a formatter with no name or type) is
// marked `{argument N}`, and why said in `missing`. A placeholder's options are applied as
// core's Formatter applies them (crash_fmt_spec.cpp): `#` (`{:#?}` pretty-prints, `{:#x}`
// prefixes), fill, alignment, sign, `0` and width to integers, pointers, floats, bools, chars and
// strings, precision to floats and strings; a Debug seam renders itself under a width or
// precision is left unpadded, and said. Older toolchains' `Arguments { pieces, fmt, args }` is
// read by crash_fmt_pieces.cpp, its placeholders' options from their own fields.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "formatters/core/context.h"
#include "formatters/core/rust_names.h"
#include "formatters/core/utf8.h"
#include "formatters/crash/crash_fmt_parts.h"
#include "formatters/crash/crash_internal.h"
#include "formatters/dwarf/debug_info.h"
#include "formatters/render/render.h"

namespace seam::crash::detail {

namespace {

constexpr uint64_t k_max_template = 4096;

const Type* deref(const Type* t) {
    t = strip(t);
    return t && t->kind == TypeKind::Pointer ? strip(t->target) : nullptr;
}

// The trait of a formatter function, from its linkage name: v0 spells the trait's last
// segment before the method (`…NtB9_7Display3fmt`), legacy mangling the path (`fmt..Display`);
// a name from the symbol table is demangled (`<u32 as core::fmt::Display>::fmt`, `<impl
// core::fmt::Display for u32>::fmt`).
std::string trait_of(std::string_view linkage, std::string_view qualified) {
    static constexpr std::string_view k_traits[] = {"Display", "Debug",  "LowerHex", "UpperHex",
                                                    "Octal",   "Binary", "Pointer"};
    for (std::string_view name : k_traits)
        if (linkage.find(fmt::format("{}{}3fmt", name.size(), name)) != std::string_view::npos ||
            linkage.find(fmt::format("fmt..{}$", name)) != std::string_view::npos ||
            qualified.find(fmt::format("core::fmt::{}>", name)) != std::string_view::npos ||
            qualified.find(fmt::format("core::fmt::{} for ", name)) != std::string_view::npos)
            return std::string(name);
    return "";
}

// The Rust type `name` spells (`u8`, `&str`, `&&u32`): a type of the DWARF, or references to
// one. The references become the hops format_argument follows; `&str` is a type of its own.
struct SelfType {
    const Type* type = nullptr;
    int refs = 0; ///< references around `type` that the DWARF does not have as types
};
SelfType self_type(const DebugInfo& info, std::string_view name) {
    SelfType out;
    while (!name.empty()) {
        if (const Type* t = strip(info.find_type(name))) {
            out.type = t;
            return out;
        }
        if (name.starts_with("&mut "))
            name.remove_prefix(5);
        else if (name.starts_with("&"))
            name.remove_prefix(1);
        else
            break;
        ++out.refs;
    }
    return {};
}

// v0 mangling's one-letter basic types.
std::string_view v0_basic(char c) {
    switch (c) {
    case 'a':
        return "i8";
    case 'b':
        return "bool";
    case 'c':
        return "char";
    case 'd':
        return "f64";
    case 'e':
        return "str";
    case 'f':
        return "f32";
    case 'h':
        return "u8";
    case 'i':
        return "isize";
    case 'j':
        return "usize";
    case 'l':
        return "i32";
    case 'm':
        return "u32";
    case 'n':
        return "i128";
    case 'o':
        return "u128";
    case 's':
        return "i16";
    case 't':
        return "u16";
    case 'x':
        return "i64";
    case 'y':
        return "u64";
    default:
        return "";
    }
}

// The `self` type a formatter's name spells, where its DWARF has no `self` (std from rustup
// carries line tables only): `<T as core::fmt::Display>::fmt`, `<impl core::fmt::Display for
// T>::fmt`, or, for a v0 symbol (`…3fmtReNtB6_7Display3fmt`: `<&str as Display>`), a basic type
// behind references just before the trait's path.
SelfType self_from_name(const DebugInfo& info, std::string_view q, std::string_view trait) {
    std::string_view name;
    if (auto at = q.find("<impl core::fmt::"); at != std::string_view::npos) {
        auto for_at = q.find(" for ", at);
        auto end = q.rfind(">::fmt");
        if (for_at == std::string_view::npos || end == std::string_view::npos || end < for_at)
            return {};
        name = q.substr(for_at + 5, end - for_at - 5);
    } else if (q.starts_with("<")) {
        auto as = q.rfind(" as core::fmt::");
        if (as == std::string_view::npos) return {};
        name = q.substr(1, as - 1);
    } else if (q.starts_with("_R") && !trait.empty()) {
        auto at = q.rfind(fmt::format("{}{}3fmt", trait.size(), trait));
        if (at == std::string_view::npos) return {};
        auto nt = q.rfind("Nt", at);
        if (nt == std::string_view::npos || nt < 2) return {};
        std::string_view basic = v0_basic(q[nt - 1]);
        if (basic.empty()) return {};
        std::string spelled(basic);
        for (size_t i = nt - 1; i > 0 && (q[i - 1] == 'R' || q[i - 1] == 'Q'); --i)
            spelled = (q[i - 1] == 'R' ? "&" : "&mut ") + spelled;
        return self_type(info, spelled);
    }
    return name.empty() ? SelfType{} : self_type(info, name);
}

// A Debug string literal (`"a\"b"`, as std's str Debug writes it) back to its text: what the
// string's Display writes. None when `debug` is no such literal.
std::optional<std::string> undebug_str(std::string_view debug) {
    if (debug.size() < 2 || debug.front() != '"' || debug.back() != '"') return std::nullopt;
    std::string out;
    for (size_t i = 1; i + 1 < debug.size(); ++i) {
        char c = debug[i];
        if (c != '\\') {
            out += c;
            continue;
        }
        if (i + 2 >= debug.size()) return std::nullopt;
        char e = debug[++i];
        switch (e) {
        case 'n':
            out += '\n';
            break;
        case 't':
            out += '\t';
            break;
        case 'r':
            out += '\r';
            break;
        case '0':
            out += '\0';
            break;
        case '\\':
        case '"':
        case '\'':
            out += e;
            break;
        case 'u': {
            auto close = debug.find('}', i);
            if (debug.substr(i + 1, 1) != "{" || close == std::string_view::npos)
                return std::nullopt;
            uint32_t cp = 0;
            for (char h : debug.substr(i + 2, close - i - 2))
                cp = cp * 16 + uint32_t(std::isdigit(uint8_t(h)) ? h - '0' : (h | 0x20) - 'a' + 10);
            out += utf8::of(cp);
            i = close;
            break;
        }
        default:
            return std::nullopt;
        }
    }
    return out;
}

// Display of a value the engine formats, where Display is known from its Debug: Rust's strings
// (str, String: the text Debug escapes), and the kernel's CStr (Debug is Display quoted, with
// `"` escaped; 6.12's rust/kernel/str.rs).
std::optional<std::string> display_of(const Formatted& f, const Type* self, std::string& why) {
    std::string_view formatter = f.formatter ? f.formatter->name() : "";
    if (f.shape == Shape::Leaf && (formatter == "rust.str" || formatter == "rust.string"))
        if (auto text = undebug_str(f.text)) return text;
    std::string_view type = self->name;
    if (f.shape == Shape::Leaf && (formatter == "kernel.cstr" || formatter == "kernel.cstring") &&
        type.find("BStr") == std::string_view::npos && f.text.size() >= 2) {
        std::string out;
        std::string_view body = std::string_view(f.text).substr(1, f.text.size() - 2);
        for (size_t i = 0; i < body.size(); ++i) {
            if (body[i] == '\\' && i + 1 < body.size() && body[i + 1] == '"') ++i;
            out += body[i];
        }
        return out;
    }
    why = fmt::format("seam knows no Display of {}", self->name);
    return std::nullopt;
}

// An argument seam's formatters show from the DWARF (a struct's derived Debug, the kernel's
// CStr, an Arc): Debug as the renderer writes it, Display where it follows from Debug.
std::optional<std::string> engine_argument(Reader& r, const DebugInfo& info, uint64_t value,
                                           const Type* self, const std::string& trait,
                                           bool alternate, std::string& why) {
    if (trait != "Debug" && trait != "Display") {
        why = fmt::format("{} of {} is not formatted", trait, self->name);
        return std::nullopt;
    }
    Budget budget;
    budget.max_bytes = 1 << 20;
    budget.max_elements = 10'000;
    budget.max_string = k_max_text;
    Context ctx(r.memory(), &info, builtin_registry(), budget);
    Value v = Value::at(self, value);
    if (trait == "Debug") return render_debug(ctx, v, alternate); // `{:#?}` pretty-prints
    Formatted f = ctx.format(v);
    if (f.shape == Shape::Error) {
        why = f.text;
        return std::nullopt;
    }
    return display_of(f, strip(self), why);
}

// A float as its Display or Debug writes it under `spec`: with a precision, that many decimals
// (exact, as core's format_exact); without, the engine's shortest text; then padded.
std::optional<std::string> float_argument(Reader& r, const DebugInfo& info, uint64_t value,
                                          const Type* self, const std::string& trait,
                                          const FormatSpec& spec, std::string& why) {
    std::string text;
    if (spec.precision) {
        auto b = r.bytes(value, self->size);
        if (!b) return std::nullopt;
        if (self->size == 8) {
            double d = 0;
            std::memcpy(&d, b->data(), 8);
            text = fmt::format("{:.{}f}", d, *spec.precision);
        } else {
            float f = 0;
            std::memcpy(&f, b->data(), 4);
            text = fmt::format("{:.{}f}", f, *spec.precision);
        }
        if (text == "nan" || text == "-nan") text = "NaN";
        if (text.ends_with("inf")) text = text.starts_with("-") ? "-inf" : "inf";
    } else if (auto shortest = engine_argument(r, info, value, self, "Debug", false, why)) {
        text = *shortest;
        // Display writes no `.0` where Debug does (`1` against `1.0`).
        if (trait == "Display" && text.ends_with(".0") &&
            text.find_first_of("eE") == std::string::npos)
            text.resize(text.size() - 2);
    } else {
        return std::nullopt;
    }
    std::string_view rest = text, sign;
    if (rest.starts_with("-"))
        sign = "-", rest.remove_prefix(1);
    else if (spec.plus && rest != "NaN")
        sign = "+";
    return pad_number(sign, rest, spec);
}

// One argument formatted by its formatter's trait and the type of its `self`, or none.
// `spec`: the placeholder's options (`{:#?}`, `{:#x}`, `{:>8}`, `{:08.3}`); `applied` is left
// false where the text does not follow them (another type's Debug under a width).
std::optional<std::string> format_argument(Reader& r, const DebugInfo& info, uint64_t value,
                                           uint64_t formatter, const FormatSpec& spec,
                                           bool& applied, std::string& what) {
    applied = true;
    auto fn = info.function_info_at(formatter);
    std::string linkage = fn ? fn->linkage : "";
    std::string qualified = fn ? fn->qualified : info.function_at(formatter);
    if (qualified.empty()) {
        what = fmt::format("a formatter at {:#x} with no DWARF", formatter);
        return std::nullopt;
    }
    // A name from line tables only (`core::fmt::num::imp::{impl#0}::fmt`) says no type; its
    // linkage name does (`<impl core::fmt::Display for u8>`).
    std::string spelled = linkage.empty() ? qualified : demangle_symbol(linkage);
    std::string trait = trait_of(linkage.empty() ? qualified : linkage, spelled);
    const Type* self = nullptr;
    int refs = 0;
    if (fn)
        if (auto vars = info.variables_at(formatter))
            for (const Variable& v : *vars)
                if (v.is_parameter && v.name == "self") self = deref(v.type);
    if (!self) {
        SelfType named = self_from_name(info, spelled, trait);
        self = named.type, refs = named.refs;
    }
    what = fmt::format("{} ({})", spelled, self ? self->name : "no `self` type");
    if (trait == "Pointer") {
        // `{:p}`: the address a reference or pointer holds (a fat one's data pointer first),
        // whatever it points at, as LowerHex with `#`; `{:#p}` zero-pads to 18 chars.
        auto p = r.word(value);
        if (!p) return std::nullopt;
        FormatSpec hex = spec;
        if (hex.alternate) {
            hex.zero_pad = true;
            if (!hex.width) hex.width = 18;
        }
        hex.alternate = true;
        return pad_integral(true, "0x", fmt::format("{:x}", *p), hex);
    }
    if (!self || trait.empty()) return std::nullopt;
    // References the name spelled but the DWARF has no type for: `<&u8 as Display>::fmt`.
    for (; refs > 0; --refs) {
        auto p = r.word(value);
        if (!p) return std::nullopt;
        value = *p;
    }
    // `<&T as Display>::fmt` and the like: follow the references to the value.
    for (int hops = 0; hops < 4 && self->kind == TypeKind::Pointer && self->name != "&str";
         ++hops) {
        auto p = r.word(value);
        if (!p) return std::nullopt;
        value = *p, self = strip(self->target);
        if (!self) return std::nullopt;
    }
    if (self->name == "&str") {
        // The argument points at a `&str` (pointer, length): `<&str as Display>::fmt`. str's
        // Debug writes its quotes and escapes with no padding.
        auto ptr = r.word(value), len = r.word(value + 8);
        if (!ptr || !len) return std::nullopt;
        auto text = read_utf8(r, *ptr, *len);
        if (!text) return std::nullopt;
        return trait == "Debug" ? debug_str(*text) : pad_str(*text, spec);
    }
    if (self->kind != TypeKind::Base || self->size == 0 || self->size > 8) {
        std::string why;
        auto text = engine_argument(r, info, value, self, trait, spec.alternate, why);
        if (!text) {
            what += ": " + why;
            return text;
        }
        // Display of a string (the only Display seam knows of such types) pads as str does; a
        // Debug seam renders itself does not take a width or precision.
        if (trait == "Display") return pad_str(*text, spec);
        // String's Debug is str's, which takes no option either.
        applied = !spec.pads() || self->name == "String";
        return text;
    }
    if (self->encoding == Encoding::Float && (trait == "Display" || trait == "Debug")) {
        std::string why;
        auto text = float_argument(r, info, value, self, trait, spec, why);
        if (!text) what += ": " + why;
        return text;
    }
    auto b = r.bytes(value, self->size);
    if (!b) return std::nullopt;
    uint64_t bits = 0;
    std::memcpy(&bits, b->data(), self->size);
    if (self->encoding == Encoding::Bool) {
        if (trait != "Display" && trait != "Debug") return std::nullopt;
        return pad_str(bits ? "true" : "false", spec); // bool's Debug is its Display
    }
    if (self->encoding == Encoding::Utf && trait == "Display") {
        if (bits > 0x10FFFF || (bits >= 0xD800 && bits < 0xE000)) return std::nullopt;
        return pad_str(utf8::of(uint32_t(bits)), spec);
    }
    bool is_signed = self->encoding == Encoding::Signed || self->encoding == Encoding::SignedChar;
    bool is_unsigned =
        self->encoding == Encoding::Unsigned || self->encoding == Encoding::UnsignedChar;
    if (!is_signed && !is_unsigned) {
        // A char's Debug: the engine writes it, quoted and escaped, with no padding.
        std::string why;
        auto text = engine_argument(r, info, value, self, trait, spec.alternate, why);
        if (!text) what += ": " + why;
        return text;
    }
    // An integer's Debug is its Display, or its hex under `{:x?}` / `{:X?}`.
    std::string as = trait;
    if (trait == "Debug")
        as = spec.debug_lower_hex ? "LowerHex" : spec.debug_upper_hex ? "UpperHex" : "Display";
    // Rust's `#` prefixes: 0x (lower-case x for UpperHex too), 0o, 0b.
    if (as == "LowerHex") return pad_integral(true, "0x", fmt::format("{:x}", bits), spec);
    if (as == "UpperHex") return pad_integral(true, "0x", fmt::format("{:X}", bits), spec);
    if (as == "Octal") return pad_integral(true, "0o", fmt::format("{:o}", bits), spec);
    if (as == "Binary") return pad_integral(true, "0b", fmt::format("{:b}", bits), spec);
    if (is_signed) {
        unsigned shift = 64 - 8 * static_cast<unsigned>(self->size);
        int64_t v = static_cast<int64_t>(bits << shift) >> shift;
        uint64_t magnitude = v < 0 ? 0 - uint64_t(v) : uint64_t(v);
        return pad_integral(v >= 0, "", fmt::format("{}", magnitude), spec);
    }
    return pad_integral(true, "", fmt::format("{}", bits), spec);
}

std::optional<FormattedArguments> read_template(Reader& r, const DebugInfo& info, uint64_t templ,
                                                uint64_t args) {
    // Page by page: the template may end near the end of its mapping.
    std::optional<std::vector<std::byte>> code;
    for (uint64_t at = templ; at < templ + k_max_template;) {
        uint64_t end = std::min(templ + k_max_template, (at & ~uint64_t(4095)) + 4096);
        auto page = r.bytes(at, end - at);
        if (!page) break;
        if (!code) code.emplace();
        code->insert(code->end(), page->begin(), page->end());
        at = end;
    }
    if (!code) return std::nullopt;
    const auto& c = *code;
    auto byte = [&](size_t i) { return static_cast<uint8_t>(c[i]); };
    ArgumentLayout layout = argument_layout(info);
    FormattedArguments out;
    size_t next_arg = 0;
    for (size_t i = 0; i < c.size();) {
        uint8_t n = byte(i++);
        if (n == 0) return out;
        if (n < 0x80 || n == 0x80) {
            size_t len = n;
            if (n == 0x80) {
                if (i + 2 > c.size()) return std::nullopt;
                len = byte(i) | size_t(byte(i + 1)) << 8;
                i += 2;
            }
            if (i + len > c.size()) return std::nullopt;
            std::string piece(reinterpret_cast<const char*>(c.data() + i), len);
            if (!valid_utf8(piece)) return std::nullopt;
            out.text += piece;
            i += len;
            continue;
        }
        if (n < 0xC0) return std::nullopt; // no such code: not a template
        size_t fields = (n & 1 ? 4 : 0) + (n & 2 ? 2 : 0) + (n & 4 ? 2 : 0);
        if (i + fields + (n & 8 ? 2 : 0) > c.size()) return std::nullopt;
        size_t index = next_arg;
        if (n & 8) index = byte(i + fields) | size_t(byte(i + fields + 1)) << 8;
        auto u16_at = [&](size_t at) { return uint16_t(byte(at) | uint16_t(byte(at + 1)) << 8); };
        // Flags (core::fmt's FormattingOptions, see spec_from_flags), width, precision; a width
        // or precision marked indirect (bits 4 and 5) is the index of a Count argument.
        uint32_t flags = ' ' | 3u << 29;
        size_t at = i;
        if (n & 1) {
            flags = uint32_t(byte(at)) | uint32_t(byte(at + 1)) << 8 |
                    uint32_t(byte(at + 2)) << 16 | uint32_t(byte(at + 3)) << 24;
            at += 4;
        }
        uint16_t width = 0, precision = 0;
        if (n & 2) width = u16_at(at), at += 2;
        if (n & 4) precision = u16_at(at), at += 2;
        i += fields + (n & 8 ? 2 : 0);
        next_arg = index + 1;
        bool counts = true;
        if (n & 16) {
            auto w = read_count(r, info, layout, args, width);
            counts = counts && w.has_value();
            width = w.value_or(0);
        }
        if (n & 32) {
            auto p = read_count(r, info, layout, args, precision);
            counts = counts && p.has_value();
            precision = p.value_or(0);
        }
        FormatSpec spec = spec_from_flags(flags, width, precision);
        if (!counts) {
            add_missing(
                out.missing,
                fmt::format("argument {}'s width or precision argument is unreadable", index));
            spec.width.reset(), spec.precision.reset();
        }
        append_argument(r, info, layout, args, index, spec, out.text, out.missing);
    }
    return std::nullopt; // no end byte within the bound
}

} // namespace

ArgumentLayout argument_layout(const DebugInfo& info) {
    ArgumentLayout l;
    if (const Type* a = strip(info.find_type("core::fmt::rt::Argument")); a && a->size)
        l.size = a->size;
    if (const Type* p = strip(info.find_type("core::fmt::rt::ArgumentType::Placeholder"))) {
        const Field* v = find_field(p, "value");
        const Field* f = find_field(p, "formatter");
        if (v && f) l.value = v->offset, l.formatter = f->offset;
    }
    return l;
}

std::optional<Argument> read_argument(Reader& r, const ArgumentLayout& l, uint64_t args,
                                      size_t index) {
    if (index >= k_max_args) return std::nullopt;
    uint64_t at = args + index * l.size;
    auto value = r.word(at + l.value), formatter = r.word(at + l.formatter);
    if (!value || !formatter || *formatter == 0) return std::nullopt;
    return Argument{*value, *formatter};
}

void add_missing(std::string& missing, const std::string& why) {
    if (!missing.empty()) missing += "; ";
    missing += why;
}

// Appends argument `index` to `out`, or a marker and the reason to `missing`.
void append_argument(Reader& r, const DebugInfo& info, const ArgumentLayout& l, uint64_t args,
                     size_t index, const FormatSpec& spec, std::string& out, std::string& missing) {
    std::string what;
    std::optional<std::string> text;
    bool applied = true;
    if (auto a = read_argument(r, l, args, index))
        text = format_argument(r, info, a->value, a->formatter, spec, applied, what);
    else
        what = "unreadable";
    if (text) {
        out += *text;
        if (!applied)
            add_missing(missing, fmt::format("argument {}'s format options are not applied ({})",
                                             index, what));
        return;
    }
    out += fmt::format("{{argument {}}}", index);
    add_missing(missing, fmt::format("argument {} not formatted: {}", index, what));
}

// The u16 an `rt::Argument` holds for a width or precision taken from the arguments
// (`{:w$}`, `{:.*}`): its ArgumentType::Count variant, told by the variant part's discriminant
// (a niche in the Placeholder's value pointer) as the DWARF gives both.
std::optional<uint16_t> read_count(Reader& r, const DebugInfo& info, const ArgumentLayout& l,
                                   uint64_t args, size_t index) {
    if (index >= k_max_args) return std::nullopt;
    const Type* type = strip(info.find_type("core::fmt::rt::ArgumentType"));
    if (!type || !type->variant_part || !type->variant_part->discr) return std::nullopt;
    const Field& discr = *type->variant_part->discr;
    const uint64_t at = args + index * l.size;
    for (const Variant& v : type->variant_part->variants) {
        const Type* count = strip(v.member.type);
        const Field* n = count ? find_field(count, "__0") : nullptr;
        if (v.member.name != "Count" || !n || v.discr_values.size() != 1) continue;
        const Type* dt = strip(discr.type);
        uint64_t size = dt && dt->size ? dt->size : 8;
        auto d = r.bytes(at + discr.offset, size);
        auto b = r.bytes(at + v.member.offset + n->offset, 2);
        if (!d || !b || size > 8) return std::nullopt;
        uint64_t value = 0;
        std::memcpy(&value, d->data(), size);
        if (value != v.discr_values[0].lo) return std::nullopt; // a Placeholder: no count
        return uint16_t(uint16_t(b->at(0)) | uint16_t(b->at(1)) << 8);
    }
    return std::nullopt;
}

std::optional<std::string> read_utf8(Reader& r, uint64_t ptr, uint64_t len) {
    if (len == 0) return std::string();
    if (ptr == 0 || len > k_max_text) return std::nullopt;
    auto b = r.bytes(ptr, len);
    if (!b) return std::nullopt;
    std::string s(reinterpret_cast<const char*>(b->data()), b->size());
    if (!valid_utf8(s)) return std::nullopt;
    return s;
}

std::optional<FormattedArguments> read_arguments(Reader& r, const DebugInfo& info, uint64_t addr) {
    if (addr == 0 || addr % 8) return std::nullopt;
    const Type* type = strip(info.find_type("core::fmt::Arguments"));
    if (!type) return std::nullopt;
    if (find_field(type, "pieces")) return read_pieces(r, info, type, addr);
    const Field* templ = find_field(type, "template");
    const Field* args = find_field(type, "args");
    if (!templ || !args) return std::nullopt;
    auto t = r.word(addr + templ->offset), a = r.word(addr + args->offset);
    if (!t || !a || *t == 0) return std::nullopt;
    if (*a & 1) {
        auto text = read_utf8(r, *t, *a >> 1);
        if (!text) return std::nullopt;
        return FormattedArguments{*text, ""};
    }
    return read_template(r, info, *t, *a);
}

} // namespace seam::crash::detail
