// Generic arguments collapsed out of function names (rust_names.h: elide_generics). The same
// function instantiated for u32 and for String, named by the DWARF of rustc 1.95 or by LLVM's
// demangler, must read the same: that is what lets a crash signature group them.
#include "formatters/core/rust_names.h"

#include <cctype>

namespace seam {

namespace {

bool is_identifier_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// The `>` that closes the `<` at `open`, or npos. `->` (a `fn(A) -> B` argument) closes nothing.
size_t closing_angle(std::string_view s, size_t open) {
    size_t depth = 0;
    for (size_t i = open; i < s.size(); ++i) {
        if (s[i] == '<') {
            ++depth;
        } else if (s[i] == '>' && !(i > 0 && s[i - 1] == '-')) {
            if (--depth == 0) return i;
        }
    }
    return std::string_view::npos;
}

// Whether the `<` at `at` opens generic arguments (`Vec<T>`, `{closure#0}<u32>`, a turbofish
// `::<T>`) rather than a qualified path (`<T as Trait>::f` at the start of a name or a type,
// `<[T]>::len`, a legacy impl segment `::<impl Trait for T>::f`) or an operator (`operator<`).
bool opens_generics(std::string_view s, size_t at) {
    if (at == 0) return false;
    char prev = s[at - 1];
    if (prev == ':') return at >= 2 && s[at - 2] == ':' && !s.substr(at + 1).starts_with("impl ");
    if (prev == '}') return true;
    if (!is_identifier_char(prev)) return false;
    size_t start = at;
    while (start > 0 && is_identifier_char(s[start - 1])) --start;
    return s.substr(start, at - start) != "operator";
}

} // namespace

std::string elide_generics(std::string_view name) {
    if (name.find('<') == std::string_view::npos) return std::string(name);
    std::string out;
    out.reserve(name.size());
    for (size_t i = 0; i < name.size(); ++i) {
        if (name[i] != '<' || !opens_generics(name, i)) {
            out += name[i];
            continue;
        }
        size_t close = closing_angle(name, i);
        if (close == std::string_view::npos) { // not a list after all: keep the rest as it is
            out.append(name.substr(i));
            break;
        }
        if (out.ends_with("::")) out.resize(out.size() - 2); // `f::<T>` reads as `f<T>`
        out += "<…>";
        i = close;
    }
    return out;
}

} // namespace seam
