// Legacy Rust mangling is Itanium-shaped (`_ZN4demo4main17h<16 hex>E`): the C++ demangler does
// the structure, and what it leaves is ours to undo: the trailing hash segment and the `$LT$`,
// `$u7b$` and `..` spellings of characters a C++ identifier cannot hold.
#include "formatters/core/rust_names.h"

#include "formatters/core/utf8.h"

#include <cctype>
#include <cstdlib>
#include <cxxabi.h>
#include <memory>
#include <utility>

namespace seam {

namespace {

bool all_hex(std::string_view s) {
    for (char c : s)
        if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    return !s.empty();
}

// `::h` and 16 hex digits, the last segment of every legacy Rust name.
bool ends_with_hash(std::string_view name) {
    size_t at = name.rfind("::h");
    return at != std::string_view::npos && name.size() - at == 3 + 16 &&
           all_hex(name.substr(at + 3));
}

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
                std::string_view hex =
                    end == std::string_view::npos ? "" : s.substr(i + 2, end - i - 2);
                if (all_hex(hex) && hex.size() <= 6) {
                    unsigned long cp = std::strtoul(std::string(hex).c_str(), nullptr, 16);
                    if (cp <= 0x10FFFF) {
                        utf8::append(out, uint32_t(cp));
                        i = end + 1;
                        continue;
                    }
                }
            }
        }
        // `..` spells `::` inside a segment (`alloc..vec..Vec`); `...` is not an escape.
        if (s.substr(i, 2) == ".." && (i + 2 >= s.size() || s[i + 2] != '.')) {
            out += "::";
            i += 2;
            continue;
        }
        out += s[i++];
    }
    return out;
}

} // namespace

std::string clean_rust_name(std::string_view name) {
    if (ends_with_hash(name)) name = name.substr(0, name.rfind("::h"));
    // Escapes appear only in legacy names: a name without `$` keeps its bytes (v0 names and C
    // names may hold `..` legitimately, never `$`).
    if (name.find('$') == std::string_view::npos) return std::string(name);
    // Legacy mangling puts `_` before a segment that starts with `$` (`_$LT$`, `_$u7b$`).
    std::string s(name);
    if (s.starts_with("_$")) s.erase(0, 1);
    for (size_t p = s.find("::_$"); p != std::string::npos; p = s.find("::_$", p + 2))
        s.erase(p + 2, 1);
    return unescape_legacy(s);
}

std::string demangle_symbol(std::string_view symbol) {
    if (!symbol.starts_with("_Z")) return std::string(symbol);
    std::string mangled(symbol);
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> d(
        abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status), std::free);
    if (status != 0 || !d) return mangled;
    std::string text = d.get();
    // Only legacy Rust names carry the hash; C++ names keep whatever `$` they hold.
    return ends_with_hash(text) ? clean_rust_name(text) : text;
}

} // namespace seam
