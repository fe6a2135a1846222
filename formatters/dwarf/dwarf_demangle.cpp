// Symbol names for addresses DWARF does not cover. Rust's legacy mangling is Itanium-shaped
// (`_ZN1r4main17h<16 hex>E`) with `$LT$`-style escapes and a trailing hash segment, so the C++
// demangler does the structure and we undo the escapes.
#include <cctype>
#include <cstdlib>
#include <cxxabi.h>
#include <memory>

#include "formatters/dwarf/dwarf_internal.h"

namespace seam::dwarf {

namespace {

bool is_rust_hash(std::string_view seg) {
    if (seg.size() != 17 || seg[0] != 'h') return false;
    for (char c : seg.substr(1))
        if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

std::string unescape_rust(std::string_view s) {
    static constexpr std::pair<std::string_view, std::string_view> escapes[] = {
        {"$SP$", "@"}, {"$BP$", "*"}, {"$RF$", "&"}, {"$LT$", "<"},
        {"$GT$", ">"}, {"$LP$", "("}, {"$RP$", ")"}, {"$C$", ","}};
    std::string out;
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
            if (s.substr(i, 2) == "$u") { // $u7b$ and friends: a code point in hex
                auto end = s.find('$', i + 2);
                if (end != std::string_view::npos) {
                    out += char(std::strtoul(std::string(s.substr(i + 2, end - i - 2)).c_str(),
                                             nullptr, 16));
                    i = end + 1;
                    continue;
                }
            }
        }
        if (s.substr(i, 2) == "..") { // `..` is how legacy mangling spells `::` inside a segment
            out += "::";
            i += 2;
            continue;
        }
        out += s[i++];
    }
    return out;
}

} // namespace

std::string demangle_symbol(const std::string& symbol) {
    if (!symbol.starts_with("_Z")) return symbol;
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> d(
        abi::__cxa_demangle(symbol.c_str(), nullptr, nullptr, &status), std::free);
    if (status != 0 || !d) return symbol;
    std::string text = d.get();
    auto sep = text.rfind("::");
    if (sep == std::string::npos || !is_rust_hash(std::string_view(text).substr(sep + 2)))
        return text;
    return unescape_rust(std::string_view(text).substr(0, sep));
}

} // namespace seam::dwarf
