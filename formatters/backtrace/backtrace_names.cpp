// Names of frames: what a debugger's demangler leaves behind for Rust, and what a mangled
// symbol says of its language when no DWARF covers the frame.
#include <cctype>
#include <cstdlib>

#include "formatters/backtrace/backtrace.h"

namespace seam::bt {

namespace {

bool all_hex(std::string_view s) {
    for (char c : s)
        if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    return !s.empty();
}

// Legacy mangling spells punctuation as `$LT$`-style escapes and `::` inside a segment as
// `..`; Itanium demanglers (LLDB's included) keep them in the name they hand back.
std::string unescape_legacy(std::string_view s) {
    static constexpr std::pair<std::string_view, std::string_view> escapes[] = {
        {"$SP$", "@"}, {"$BP$", "*"}, {"$RF$", "&"}, {"$LT$", "<"},
        {"$GT$", ">"}, {"$LP$", "("}, {"$RP$", ")"}, {"$C$", ","}};
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        if (s[i] == '$') {
            bool done = false;
            for (auto [from, to] : escapes)
                if (s.substr(i, from.size()) == from) {
                    out += to;
                    i += from.size();
                    done = true;
                    break;
                }
            if (done) continue;
            if (s.substr(i, 2) == "$u") { // `$u7b$`: a code point in hex
                size_t end = s.find('$', i + 2);
                if (end != std::string_view::npos && all_hex(s.substr(i + 2, end - i - 2))) {
                    unsigned long cp = std::strtoul(
                        std::string(s.substr(i + 2, end - i - 2)).c_str(), nullptr, 16);
                    if (cp < 0x80) {
                        out += char(cp);
                        i = end + 1;
                        continue;
                    }
                }
            }
        }
        if (s.substr(i, 2) == ".." && (i + 2 >= s.size() || s[i + 2] != '.')) {
            out += "::";
            i += 2;
            continue;
        }
        out += s[i++];
    }
    return out;
}

// Escapes appear only in legacy names; a name without `$` is left byte for byte (v0 names and
// C names may hold `..` legitimately, e.g. in `{closure#0}` ranges, never `$`).
bool has_legacy_escapes(std::string_view s) {
    return s.find('$') != std::string_view::npos;
}

} // namespace

std::string clean_name(std::string_view name) {
    // `demo::main::h38e95565b6f46d0e`: the hash is the last segment, 'h' and 16 hex digits.
    size_t at = name.rfind("::h");
    if (at != std::string_view::npos && name.size() - at == 3 + 16 && all_hex(name.substr(at + 3)))
        name = name.substr(0, at);
    if (!has_legacy_escapes(name)) return std::string(name);
    // Undo `_$u7b$` too: legacy mangling prefixes a segment starting with '$' with '_'.
    std::string s(name);
    if (s.starts_with("_$")) s.erase(0, 1);
    for (size_t p = s.find("::_$"); p != std::string::npos; p = s.find("::_$", p + 2))
        s.erase(p + 2, 1);
    return unescape_legacy(s);
}

Lang language_of_symbol(std::string_view symbol) {
    if (symbol.starts_with("_R")) return Lang::Rust;
    if (symbol.starts_with("_ZN")) {
        // Legacy Rust: the last path segment is `17h<16 hex>` right before the closing `E`.
        constexpr size_t hash_segment = 2 + 1 + 16; // `17h` and the hash
        if (symbol.size() > 3 + hash_segment && symbol.back() == 'E') {
            std::string_view tail = symbol.substr(symbol.size() - 1 - hash_segment, hash_segment);
            if (tail.starts_with("17h") && all_hex(tail.substr(3))) return Lang::Rust;
        }
        return Lang::Cpp;
    }
    if (symbol.starts_with("_Z")) return Lang::Cpp;
    return Lang::C;
}

std::string crate_of(std::string_view name) {
    // A trait impl `<Self as Trait>::f`: the self type's path names the crate.
    while (!name.empty()) {
        if (name.front() == '<' || name.front() == '&' || name.front() == '*' ||
            name.front() == ' ' || name.front() == '(' || name.front() == '[') {
            name.remove_prefix(1);
            continue;
        }
        bool stripped = false;
        for (std::string_view prefix : {"dyn ", "mut ", "const ", "impl "})
            if (name.starts_with(prefix)) {
                name.remove_prefix(prefix.size());
                stripped = true;
            }
        if (!stripped) break;
    }
    size_t end = 0;
    while (end < name.size() &&
           (std::isalnum(static_cast<unsigned char>(name[end])) || name[end] == '_'))
        ++end;
    if (end == 0 || name.substr(end, 2) != "::") return {};
    return std::string(name.substr(0, end));
}

std::string_view lang_name(Lang lang) {
    switch (lang) {
    case Lang::Rust:
        return "Rust";
    case Lang::C:
        return "C";
    case Lang::Cpp:
        return "C++";
    case Lang::Unknown:
        break;
    }
    return "?";
}

} // namespace seam::bt
