// An LLDB `frame variable`-like tree of a formatted value, with ownership facts.
#include <string>

#include <fmt/format.h>

#include "formatters/render/render.h"
#include "formatters/render/render_children.h"
#include "formatters/render/summary_line.h"

namespace seam {
namespace {

// `[owned 0x5000 size=32 len=3 cap=4]`: the kind, then only the facts the formatter gave.
std::string ownership_text(const Ownership& o) {
    if (o.kind == OwnKind::Inline && o.note.empty()) return "";
    std::string s = fmt::format("[{}", own_kind_name(o.kind));
    if (o.address) s += fmt::format(" 0x{:x}", o.address);
    if (o.size) s += fmt::format(" size={}", *o.size);
    if (o.length) s += fmt::format(" len={}", *o.length);
    if (o.capacity) s += fmt::format(" cap={}", *o.capacity);
    if (o.strong) s += fmt::format(" strong={}", *o.strong);
    if (o.weak) s += fmt::format(" weak={}", *o.weak);
    if (!o.state.empty()) s += " " + o.state;
    if (o.poisoned) s += " poisoned";
    if (!o.note.empty()) s += " (" + o.note + ")";
    return s + "]";
}

class TreeRenderer {
public:
    TreeRenderer(Context& ctx, unsigned max_depth, const SummaryLimits& limits)
        : m_ctx(ctx), m_max_depth(max_depth), m_limits(limits) {}

    void node(const Formatted& f, const std::string& label, unsigned level) {
        line(level, f, label);
        if (level < m_max_depth) children(f, level + 1);
    }

    std::string take() { return std::move(m_out); }

private:
    void line(unsigned level, const Formatted& f, const std::string& label) {
        m_out.append(2 * size_t(level), ' ');
        if (!f.type_name.empty()) m_out += "(" + f.type_name + ") ";
        m_out += label;
        m_out += " = ";
        // The line LLDB shows beside the value and `seam print --json` gives as `summary`
        // (`len=3 cap=4 [1, 2, 3]`, not the facts alone): one text per value on every path.
        m_out += render_summary_line(m_ctx, f, m_limits);
        std::string own = ownership_text(f.own);
        if (!own.empty()) m_out += " " + own;
        m_out += '\n';
    }

    void children(const Formatted& f, unsigned level) {
        if (f.count == 0) return;
        ChildWalk w = walk_children(m_ctx, f, [&](uint64_t i, const Child& c) {
            if (auto tc = tree_child(m_ctx, f, i, c)) node(tc->value, tc->label, level);
            return true;
        });
        if (w.more > 0) {
            m_out.append(2 * size_t(level), ' ');
            m_out += more_marker(w.more);
            m_out += '\n';
        }
    }

    Context& m_ctx;
    unsigned m_max_depth;
    SummaryLimits m_limits;
    std::string m_out;
};

} // namespace

std::string render_tree(Context& ctx, const Value& v, const std::string& name, unsigned max_depth,
                        const SummaryLimits& limits) {
    TreeRenderer r(ctx, max_depth, limits);
    r.node(ctx.format(v), name, 0);
    return r.take();
}

} // namespace seam
