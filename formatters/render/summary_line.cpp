// The one-line summary shared by LLDB's display and `seam print --json` (summary_line.h).
#include "formatters/render/summary_line.h"

#include "formatters/core/utf8.h"

#include <algorithm>
#include <string_view>

#include "formatters/render/render.h"
#include "formatters/render/render_children.h"

namespace seam {
namespace {

// The first `chars` UTF-8 characters of `s`, then `...`; `s` itself when it is no longer.
std::string cut_chars(const std::string& s, size_t chars) {
    std::string_view head = utf8::first_chars(s, chars);
    return head.size() < s.size() ? std::string(head) + "..." : s;
}

bool lists_items(Shape s) {
    return s == Shape::List || s == Shape::Set || s == Shape::Map;
}

// Facts are words such as `len=3`, `cap=4`, `zero-sized`. A summary with anything else in it
// already shows the value (an Rc<[T]>'s `strong=2 weak=0 → [10, 20]`): listing the items
// after it would show them twice.
bool facts_only(std::string_view summary) {
    return std::all_of(summary.begin(), summary.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == ' ' || c == '=' || c == '-' || c == '_' || c == '.';
    });
}

bool is_string_literal(const std::string& text) {
    return !text.empty() && text.front() == '"';
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

// The compact Debug text of `v`, its first `chars` characters then `...` when longer. An item
// shows as Debug shows it inside its container (`[1, 2]`), not by its own summary (`len=2`).
std::string item_text(Context& ctx, const Value& v, size_t chars) {
    Formatted f = ctx.format(v);
    f.summary.clear();
    return render_summary(ctx, f, chars);
}

// The Debug text of a list, set or map, as core::fmt's builders write it, with at most
// `max_items` items and only as many characters as a line of `chars` characters needs (those
// past it are cut by the caller). Items not listed end it as `<... N more>`, as in render_debug.
std::string items(Context& ctx, const Formatted& f, uint64_t max_items, size_t chars) {
    std::string out = f.shape == Shape::List ? "[" : "{";
    size_t used = 1;
    uint64_t shown = 0;
    bool full = false;
    if (max_items > 0) {
        walk_children(ctx, f, [&](uint64_t, const Child& c) {
            if (shown > 0) {
                out += ", ";
                used += 2;
            }
            // One character more than the line holds tells the caller it was cut.
            size_t room = chars + 1 - std::min(used, chars);
            std::string text = item_text(ctx, c.value, room);
            if (f.shape == Shape::Map) {
                text += ": ";
                size_t key_chars = utf8::char_count(text);
                text += c.map_value ? item_text(ctx, *c.map_value, room - std::min(key_chars, room))
                                    : std::string("<error: map entry without a value>");
            }
            used += utf8::char_count(text);
            out += text;
            ++shown;
            full = used > chars;
            return !full && shown < max_items;
        });
    }
    if (full) return out;
    if (shown < f.count) {
        if (shown > 0) out += ", ";
        out += more_marker(f.count - shown);
    } else if (f.non_exhaustive) {
        out += shown > 0 ? ", .." : "..";
    }
    out += f.shape == Shape::List ? "]" : "}";
    return out;
}

} // namespace

std::string cut_string_literal(const std::string& text, uint64_t max_chars) {
    if (!is_string_literal(text)) return text;
    size_t i = 1;
    for (uint64_t n = 0; i < text.size() && text[i] != '"'; ++n) {
        if (n == max_chars) return text.substr(0, i) + "\"...";
        i = next_char(text, i);
    }
    return text;
}

std::string render_summary_line(Context& ctx, const Formatted& f, const SummaryLimits& limits) {
    if (!f.summary.empty()) {
        if (is_string_literal(f.summary)) return cut_string_literal(f.summary, limits.max_string);
        if (!lists_items(f.shape) || f.count == 0 || !facts_only(f.summary)) return f.summary;
        std::string line = f.summary + " ";
        size_t room = kSummaryChars - std::min(kSummaryChars, utf8::char_count(line));
        return cut_chars(line + items(ctx, f, limits.max_items, room), kSummaryChars);
    }
    // Strings are leaves holding their whole Debug text.
    if (f.shape == Shape::Leaf && is_string_literal(f.text))
        return cut_string_literal(f.text, limits.max_string);
    // Enough of the Debug text for either cut: a string's (in characters of the string, each at
    // least one character of the literal) or the line's. Only a pointer-like value (&str,
    // Box<str>, Rc<String>) prints as a string literal without being a string leaf itself.
    size_t window = f.shape == Shape::Transparent
                        ? std::max<size_t>(kSummaryChars, limits.max_string + 2)
                        : kSummaryChars;
    std::string text = render_summary(ctx, f, window);
    if (is_string_literal(text)) return cut_string_literal(text, limits.max_string);
    return cut_chars(text, kSummaryChars);
}

} // namespace seam
