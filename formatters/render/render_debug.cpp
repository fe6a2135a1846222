// Rust's `{:?}` and `{:#?}` of a formatted value tree, built the way core::fmt::builders builds
// them, and the one-line summary derived from it.
#include <limits>
#include <string>

#include "formatters/core/utf8.h"
#include "formatters/render/render.h"
#include "formatters/render/render_children.h"

namespace seam {
namespace {

// The output of `{:#?}` is what nested PadAdapters make of the builders' writes. Adapters are
// only ever created at the start of a line and each pads every line start written through it,
// lazily, when the line's first byte arrives; so one writer with a count of active adapters
// gives the same bytes, empty lines inside a leaf's text included.
class Writer {
public:
    explicit Writer(size_t limit) : m_limit(limit) {}

    void write(std::string_view s) {
        while (!s.empty()) {
            if (m_on_newline && m_pads > 0) m_out.append(4 * size_t(m_pads), ' ');
            auto nl = s.find('\n');
            size_t len = nl == std::string_view::npos ? s.size() : nl + 1;
            m_out.append(s.substr(0, len));
            m_on_newline = s[len - 1] == '\n';
            s.remove_prefix(len);
        }
    }
    /// A whole top-level leaf (a 10 MB String) becomes the output without another copy.
    void write_owned(std::string&& s) {
        if (!m_out.empty() || m_pads > 0 || s.empty()) return write(s);
        m_on_newline = s.back() == '\n';
        m_out = std::move(s);
    }
    void push_pad() { ++m_pads; }
    void pop_pad() { --m_pads; }
    /// Past the limit the caller only wants a prefix (a summary): stop visiting children.
    bool full() const { return m_out.size() > m_limit; }
    std::string take() { return std::move(m_out); }

private:
    std::string m_out;
    unsigned m_pads = 0;
    bool m_on_newline = false;
    size_t m_limit;
};

class DebugRenderer {
public:
    DebugRenderer(Context& ctx, bool pretty, size_t limit)
        : m_ctx(ctx), m_pretty(pretty), m_w(limit) {}

    void value(const Value& v) {
        Formatted f = m_ctx.format(v);
        if (f.shape == Shape::Leaf && (!m_pretty || f.pretty_text.empty()))
            return m_w.write_owned(std::move(f.text));
        formatted(f);
    }

    void formatted(const Formatted& f) {
        switch (f.shape) {
        case Shape::Leaf:
            // `{:#?}` differs from `{:?}` for some leaves: pointers are zero-padded to 16 hex
            // digits, and a leaf that embeds other values (a Range's bounds) nests them.
            m_w.write(m_pretty && !f.pretty_text.empty() ? f.pretty_text : f.text);
            return;
        case Shape::Error:
            m_w.write(f.text);
            return;
        case Shape::Struct:
            structure(f);
            return;
        case Shape::Tuple:
            tuple(f);
            return;
        case Shape::List:
            sequence(f, "[", "]");
            return;
        case Shape::Set:
            sequence(f, "{", "}");
            return;
        case Shape::Map:
            map(f);
            return;
        case Shape::Transparent:
            transparent(f);
            return;
        }
    }

    std::string take() { return m_w.take(); }

private:
    // One builder entry as `{:#?}` writes it: through a fresh PadAdapter, ending in ",\n".
    template <typename Body> void pretty_entry(Body body) {
        m_w.push_pad();
        body();
        m_w.write(",\n");
        m_w.pop_pad();
    }
    // finish_non_exhaustive's `..` line, with the marker for children not shown in its place.
    void pretty_last_line(std::string_view marker) {
        m_w.push_pad();
        m_w.write(marker);
        m_w.write("\n");
        m_w.pop_pad();
    }
    ChildWalk walk(const Formatted& f, const std::function<void(uint64_t, const Child&)>& visit) {
        return walk_children(m_ctx, f, [&](uint64_t i, const Child& c) {
            visit(i, c);
            return !m_w.full();
        });
    }
    // The marker ending a container: the children not shown, or the `..` of a builder's
    // finish_non_exhaustive (which every builder has; formatters set it mostly on structs).
    static std::string end_marker(const ChildWalk& w, bool non_exhaustive) {
        if (w.more > 0 && !w.stopped) return more_marker(w.more);
        return non_exhaustive ? ".." : "";
    }

    // DebugStruct: `Name { a: 1, b: 2 }`, `Name`, `Name { a: 1, .. }`, `Name { .. }`.
    void structure(const Formatted& f) {
        m_w.write(f.text);
        bool has_fields = false;
        ChildWalk w = walk(f, [&](uint64_t, const Child& c) {
            if (m_pretty) {
                if (!has_fields) m_w.write(" {\n");
                pretty_entry([&] {
                    m_w.write(c.label);
                    m_w.write(": ");
                    value(c.value);
                });
            } else {
                m_w.write(has_fields ? ", " : " { ");
                m_w.write(c.label);
                m_w.write(": ");
                value(c.value);
            }
            has_fields = true;
        });
        std::string marker = end_marker(w, f.non_exhaustive);
        if (!marker.empty()) {
            if (!has_fields) {
                m_w.write(" { ");
                m_w.write(marker);
                m_w.write(" }");
            } else if (m_pretty) {
                pretty_last_line(marker);
                m_w.write("}");
            } else {
                m_w.write(", ");
                m_w.write(marker);
                m_w.write(" }");
            }
        } else if (has_fields) {
            m_w.write(m_pretty ? "}" : " }");
        }
    }

    // DebugTuple: `Name(1, 2)`, `(1, 2)`, and the anonymous 1-tuple `(1,)` (`(\n    1,\n)`).
    void tuple(const Formatted& f) {
        m_w.write(f.text);
        uint64_t fields = 0;
        ChildWalk w = walk(f, [&](uint64_t, const Child& c) {
            if (m_pretty) {
                if (fields == 0) m_w.write("(\n");
                pretty_entry([&] { value(c.value); });
            } else {
                m_w.write(fields == 0 ? "(" : ", ");
                value(c.value);
            }
            ++fields;
        });
        std::string marker = end_marker(w, f.non_exhaustive);
        if (!marker.empty()) {
            if (fields == 0) {
                m_w.write("(");
                m_w.write(marker);
            } else if (m_pretty) {
                pretty_last_line(marker);
            } else {
                m_w.write(", ");
                m_w.write(marker);
            }
            m_w.write(")");
        } else if (fields > 0) {
            if (fields == 1 && f.text.empty() && !m_pretty) m_w.write(",");
            m_w.write(")");
        } else if (f.text.empty()) {
            // debug_tuple("") would print nothing; an anonymous tuple with no fields is `()`.
            m_w.write("()");
        }
    }

    // DebugList and DebugSet: `[1, 2]`, `{1, 2}`, `[]`; finish_non_exhaustive gives `[1, ..]`.
    void sequence(const Formatted& f, std::string_view open, std::string_view close) {
        m_w.write(open);
        bool has_fields = false;
        ChildWalk w = walk(f, [&](uint64_t, const Child& c) {
            if (m_pretty) {
                if (!has_fields) m_w.write("\n");
                pretty_entry([&] { value(c.value); });
            } else {
                if (has_fields) m_w.write(", ");
                value(c.value);
            }
            has_fields = true;
        });
        finish_sequence(end_marker(w, f.non_exhaustive), has_fields, close);
    }

    // DebugMap: `{k: v, k2: v2}`; key and value go through the same PadAdapter.
    void map(const Formatted& f) {
        m_w.write("{");
        bool has_fields = false;
        auto entry = [&](const Child& c) {
            value(c.value);
            m_w.write(": ");
            if (c.map_value)
                value(*c.map_value);
            else
                m_w.write("<error: map entry without a value>");
        };
        ChildWalk w = walk(f, [&](uint64_t, const Child& c) {
            if (m_pretty) {
                if (!has_fields) m_w.write("\n");
                pretty_entry([&] { entry(c); });
            } else {
                if (has_fields) m_w.write(", ");
                entry(c);
            }
            has_fields = true;
        });
        finish_sequence(end_marker(w, f.non_exhaustive), has_fields, "}");
    }

    void finish_sequence(const std::string& marker, bool has_fields, std::string_view close) {
        if (!marker.empty()) {
            if (!has_fields) {
                m_w.write(marker);
            } else if (m_pretty) {
                pretty_last_line(marker);
            } else {
                m_w.write(", ");
                m_w.write(marker);
            }
        }
        m_w.write(close);
    }

    // Box, Rc, &T, String's str...: Debug forwards to the one child, flags and all.
    void transparent(const Formatted& f) {
        bool shown = false;
        ChildWalk w = walk_children(m_ctx, f, [&](uint64_t, const Child& c) {
            value(c.value);
            shown = true;
            return false;
        });
        if (shown) return;
        if (w.more > 0)
            m_w.write("<budget: element limit reached>");
        else
            m_w.write("<error: transparent value without a child>");
    }

    Context& m_ctx;
    bool m_pretty;
    Writer m_w;
};

constexpr size_t kNoLimit = std::numeric_limits<size_t>::max();

// Byte length of the first `chars` UTF-8 characters of `s` (continuation bytes do not start one).
size_t utf8_prefix(std::string_view s, size_t chars, bool& cut) {
    const size_t bytes = utf8::first_chars(s, chars).size();
    cut = bytes < s.size();
    return bytes;
}

} // namespace

std::string render_debug(Context& ctx, const Value& v, bool pretty) {
    DebugRenderer r(ctx, pretty, kNoLimit);
    r.value(v);
    return r.take();
}

std::string render_debug(Context& ctx, const Formatted& f, bool pretty) {
    DebugRenderer r(ctx, pretty, kNoLimit);
    r.formatted(f);
    return r.take();
}

std::string render_summary(Context& ctx, const Formatted& f, size_t max_len) {
    if (!f.summary.empty()) return f.summary;
    // Render only what the cut keeps (4 bytes a char at most, and one more to know it was cut):
    // the summary of a million-element Vec reads its first elements, not all of them.
    const size_t bytes = max_len > (kNoLimit - 8) / 4 ? kNoLimit : 4 * max_len + 4;
    DebugRenderer r(ctx, false, bytes);
    r.formatted(f);
    std::string text = r.take();
    bool cut = false;
    size_t keep = utf8_prefix(text, max_len, cut);
    if (!cut) return text;
    text.resize(keep);
    text += "...";
    return text;
}

} // namespace seam
