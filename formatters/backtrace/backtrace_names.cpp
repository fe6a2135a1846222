// What a mangled symbol says of its language when no DWARF covers the frame, and the crate a
// clean Rust path names. Cleaning the names themselves is formatters/core/rust_names.h's.
#include <cctype>

#include "formatters/backtrace/backtrace.h"

namespace seam::bt {

namespace {

bool all_hex(std::string_view s) {
    for (char c : s)
        if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    return !s.empty();
}

} // namespace

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

std::string_view lang_source_name(LangSource s) {
    switch (s) {
    case LangSource::Dwarf:
        return "dwarf";
    case LangSource::Mangling:
        return "mangling";
    case LangSource::Runtime:
        return "runtime";
    case LangSource::Default:
        break;
    }
    return "default";
}

} // namespace seam::bt
