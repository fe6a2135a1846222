#include "plugin/summary_line.h"

#include <algorithm>

#include "formatters/render/render.h"
#include "formatters/render/render_children.h"

namespace seam::plugin {

namespace {

// The first `chars` UTF-8 characters of `s`, then `...`; `s` itself when it is no longer.
std::string cut_chars(const std::string& s, size_t chars) {
    size_t seen = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
        if (seen == chars) return s.substr(0, i) + "...";
        ++seen;
    }
    return s;
}

bool lists_items(Shape s) {
    return s == Shape::List || s == Shape::Set || s == Shape::Map;
}

// Where the character of a string literal that starts at `i` ends: an escape (`\n`, `\x7f`,
// `\u{301}`) or one UTF-8 character.
size_t next_char(const std::string& text, size_t i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
        if (text[i + 1] == 'u' && i + 2 < text.size() && text[i + 2] == '{') {
            size_t close = text.find('}', i + 3);
            return close == std::string::npos ? text.size() : close + 1;
        }
        if (text[i + 1] == 'x') return std::min(text.size(), i + 4);
        return i + 2;
    }
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
    return i;
}

} // namespace

std::string cut_string_literal(const std::string& text, uint32_t max_chars) {
    if (text.empty() || text.front() != '"') return text;
    size_t i = 1;
    for (uint32_t n = 0; i < text.size() && text[i] != '"'; ++n) {
        if (n == max_chars) return text.substr(0, i) + "\"...";
        i = next_char(text, i);
    }
    return text;
}

std::string summary_line(Context& ctx, const Formatted& f, uint32_t max_string) {
    if (!f.summary.empty()) {
        if (f.summary.front() == '"') return cut_string_literal(f.summary, max_string);
        if (!lists_items(f.shape) || f.count == 0) return f.summary;
        Formatted items = f;
        items.summary.clear();
        return cut_chars(f.summary + " " + render_summary(ctx, items, kSummaryChars),
                         kSummaryChars);
    }
    // Strings are leaves holding their whole Debug text.
    if (f.shape == Shape::Leaf && !f.text.empty() && f.text.front() == '"')
        return cut_string_literal(f.text, max_string);
    // Enough of the Debug text for either cut: a string's (in characters of the string, each at
    // least one character of the literal) or the line's.
    size_t window = std::max<size_t>(kSummaryChars, size_t{max_string} + 2);
    std::string text = render_summary(ctx, f, window);
    if (!text.empty() && text.front() == '"') return cut_string_literal(text, max_string);
    return cut_chars(text, kSummaryChars);
}

} // namespace seam::plugin
