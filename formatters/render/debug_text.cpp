// Rust's Debug text of char, str and byte strings that may not be UTF-8.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "formatters/core/type.h"
#include "formatters/core/utf8.h"
#include "formatters/render/render.h"
#include "formatters/render/unicode_escapes.h"

namespace seam {
namespace {

// What a kind of text escapes beyond the non-printable: char Debug escapes `'` but not `"`,
// str Debug the reverse, and OsStr's Debug before rustc 1.93 went through char::escape_debug,
// which escapes both (rust-lang/rust#148798 made it match str's). `rustc` picks the std whose
// Unicode tables decide what is printable (Type::rustc; 0 for today's).
struct Escapes {
    bool single_quote;
    bool double_quote;
    uint32_t rustc;
};

Escapes char_escapes(uint32_t rustc) {
    return {true, false, rustc};
}
Escapes str_escapes(uint32_t rustc) {
    return {false, true, rustc};
}

struct Decoded {
    char32_t c;
    size_t len;
};

// One well-formed UTF-8 sequence at the start of `s`, by the rules of Rust's from_utf8 (no
// overlong forms, no surrogates, nothing past U+10FFFF); nothing when the first byte does not
// begin one.
std::optional<Decoded> decode(std::string_view s) {
    auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
    auto cont = [&](size_t i, unsigned lo = 0x80, unsigned hi = 0xBF) {
        return i < s.size() && byte(i) >= lo && byte(i) <= hi;
    };
    unsigned b0 = byte(0);
    if (b0 < 0x80) return Decoded{b0, 1};
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        if (!cont(1)) return std::nullopt;
        return Decoded{char32_t((b0 & 0x1F) << 6 | (byte(1) & 0x3F)), 2};
    }
    if (b0 >= 0xE0 && b0 <= 0xEF) {
        unsigned lo = b0 == 0xE0 ? 0xA0 : 0x80, hi = b0 == 0xED ? 0x9F : 0xBF;
        if (!cont(1, lo, hi) || !cont(2)) return std::nullopt;
        return Decoded{char32_t((b0 & 0x0F) << 12 | (byte(1) & 0x3F) << 6 | (byte(2) & 0x3F)), 3};
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
        unsigned lo = b0 == 0xF0 ? 0x90 : 0x80, hi = b0 == 0xF4 ? 0x8F : 0xBF;
        if (!cont(1, lo, hi) || !cont(2) || !cont(3)) return std::nullopt;
        return Decoded{char32_t((b0 & 0x07) << 18 | (byte(1) & 0x3F) << 12 | (byte(2) & 0x3F) << 6 |
                                (byte(3) & 0x3F)),
                       4};
    }
    return std::nullopt;
}

// core::char::escape_debug_ext: every kind escapes grapheme-extending chars everywhere (not only
// at the start, unlike str::escape_debug).
void append_escaped(std::string& out, char32_t c, std::string_view utf8, Escapes e) {
    switch (c) {
    case U'\0':
        out += "\\0";
        return;
    case U'\t':
        out += "\\t";
        return;
    case U'\r':
        out += "\\r";
        return;
    case U'\n':
        out += "\\n";
        return;
    case U'\\':
        out += "\\\\";
        return;
    case U'\'':
        out += e.single_quote ? "\\'" : "'";
        return;
    case U'"':
        out += e.double_quote ? "\\\"" : "\"";
        return;
    default:
        break;
    }
    if (rust_debug_escapes(c, e.rustc)) {
        out += fmt::format("\\u{{{:x}}}", uint32_t(c));
        return;
    }
    out += utf8;
}

// The body of OsStr's Debug on Unix (Utf8Chunks' Debug): valid runs escaped as in a str, every
// byte that is not part of a well-formed sequence as `\xHH` in upper case.
// Printable ASCII other than `"` and `\` is copied as it is by str's Debug: a run of it is
// appended at once (a 10 MB String is mostly such runs).
bool plain_in_str(unsigned char b) {
    return b >= 0x20 && b < 0x7F && b != '"' && b != '\\';
}

// Eight bytes at a time: true when every byte of `w` is plain_in_str. The classic bit tricks
// for "some byte is below n", "some byte is above n" and "some byte is zero" (after an XOR with
// the byte searched for) are exact about whether such a byte exists.
bool plain_word(uint64_t w) {
    constexpr uint64_t ones = ~uint64_t{0} / 255, highs = ones * 0x80;
    auto has_zero = [&](uint64_t v) { return ((v - ones) & ~v & highs) != 0; };
    bool below_space = ((w - ones * 0x20) & ~w & highs) != 0;
    bool above_tilde = (((w + ones * (127 - 0x7E)) | w) & highs) != 0;
    return !below_space && !above_tilde && !has_zero(w ^ (ones * '"')) &&
           !has_zero(w ^ (ones * '\\'));
}

size_t plain_run(std::string_view bytes) {
    size_t run = 0;
    for (uint64_t w; run + 8 <= bytes.size(); run += 8) {
        std::memcpy(&w, bytes.data() + run, 8);
        if (!plain_word(w)) break;
    }
    while (run < bytes.size() && plain_in_str(static_cast<unsigned char>(bytes[run]))) ++run;
    return run;
}

bool append_bytes(std::string& out, std::string_view bytes, Escapes e) {
    bool valid = true;
    out.reserve(out.size() + bytes.size() + 2);
    while (!bytes.empty()) {
        size_t run = plain_run(bytes);
        // The run scan knows str's quotes; a kind that escapes `'` too ends the run there.
        if (e.single_quote) run = std::min(run, bytes.substr(0, run).find('\''));
        if (run > 0) {
            out.append(bytes.data(), run);
            bytes.remove_prefix(run);
            continue;
        }
        if (auto d = decode(bytes)) {
            append_escaped(out, d->c, bytes.substr(0, d->len), e);
            bytes.remove_prefix(d->len);
        } else {
            // Skipping one byte gives the same text as Rust's maximal-prefix rule: the rest of
            // a broken sequence is continuation bytes, each invalid on its own.
            out += fmt::format("\\x{:02X}", static_cast<unsigned char>(bytes[0]));
            bytes.remove_prefix(1);
            valid = false;
        }
    }
    return valid;
}

// u8::escape_ascii: the short escapes, printable ASCII as is, anything else `\xhh` (lower case).
void append_escape_ascii(std::string& out, unsigned char b) {
    switch (b) {
    case '\t':
        out += "\\t";
        return;
    case '\n':
        out += "\\n";
        return;
    case '\r':
        out += "\\r";
        return;
    case '\'':
        out += "\\'";
        return;
    case '"':
        out += "\\\"";
        return;
    case '\\':
        out += "\\\\";
        return;
    default:
        break;
    }
    if (b >= 0x20 && b < 0x7F)
        out += char(b);
    else
        out += fmt::format("\\x{:02x}", b);
}

} // namespace

std::string debug_char(char32_t c, uint32_t rustc) {
    // A char holding a surrogate or a value past U+10FFFF is undefined behaviour in Rust; it
    // can only come from corrupted memory, so it is marked rather than printed.
    if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
        return fmt::format("<invalid: char 0x{:x}>", uint32_t(c));
    std::string out = "'";
    append_escaped(out, c, utf8::of(uint32_t(c)), char_escapes(rustc));
    out += '\'';
    return out;
}

bool debug_char_depends_on_rustc(char32_t c) {
    return rust_debug_escapes_differ(c);
}

std::string debug_str(std::string_view utf8, uint32_t rustc) {
    std::string out = "\"";
    bool valid = append_bytes(out, utf8, str_escapes(rustc));
    out += '"';
    // A str that is not UTF-8 is corrupted memory (or a bug in unsafe code). Its bytes are kept
    // as OsStr prints them, which loses nothing (from_utf8_lossy's U+FFFD would), and the text
    // is marked so that it never passes for what the program's own `{:?}` printed.
    if (!valid) out += " <invalid UTF-8>";
    return out;
}

std::string debug_os_str(std::string_view bytes, uint32_t rustc) {
    Escapes e = str_escapes(rustc);
    e.single_quote = rustc_before(rustc, 1, 93);
    std::string out = "\"";
    append_bytes(out, bytes, e);
    out += '"';
    return out;
}

// CStr's Debug since rustc 1.89 (rust-lang/rust#141491) is ByteStr's: NUL as `\0`, other ASCII
// through escape_ascii (so `\'` and `\x7f`), other chars of UTF-8 runs through
// char::escape_debug (`é` as is, `\u{301}`), and bytes outside UTF-8 through escape_ascii
// (`\xff`). Before, every byte went through escape_ascii: `é` as `\xc3\xa9`, NUL as `\x00`.
std::string debug_c_str(std::string_view bytes, uint32_t rustc) {
    std::string out = "\"";
    if (rustc_before(rustc, 1, 89)) {
        for (char b : bytes) append_escape_ascii(out, static_cast<unsigned char>(b));
        return out + '"';
    }
    while (!bytes.empty()) {
        auto d = decode(bytes);
        if (!d || d->c < 0x80) {
            unsigned char b = static_cast<unsigned char>(bytes[0]);
            if (b == 0)
                out += "\\0";
            else
                append_escape_ascii(out, b);
            bytes.remove_prefix(1);
            continue;
        }
        append_escaped(out, d->c, bytes.substr(0, d->len), char_escapes(rustc));
        bytes.remove_prefix(d->len);
    }
    out += '"';
    return out;
}

bool is_valid_utf8(std::string_view bytes) {
    while (!bytes.empty()) {
        // ASCII eight bytes at a time: no byte with its top bit set.
        while (bytes.size() >= 8) {
            uint64_t word;
            std::memcpy(&word, bytes.data(), 8);
            if (word & 0x8080808080808080ull) break;
            bytes.remove_prefix(8);
        }
        if (bytes.empty()) break;
        auto d = decode(bytes);
        if (!d) return false;
        bytes.remove_prefix(d->len);
    }
    return true;
}

} // namespace seam
