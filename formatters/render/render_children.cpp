#include "formatters/render/render_children.h"

#include <algorithm>

#include <fmt/format.h>

#include "formatters/render/render.h"

namespace seam {

ChildWalk walk_children(Context& ctx, const Formatted& f,
                        const std::function<bool(uint64_t, const Child&)>& visit) {
    ChildWalk walk;
    Context::DepthGuard guard(ctx);
    const uint64_t limit = std::min(f.count, ctx.budget().max_children);
    uint64_t index = 0;
    while (index < limit) {
        const uint64_t want = std::min(kChildPage, limit - index);
        std::vector<Child> page = ctx.children(f, index, want);
        const uint64_t got = std::min<uint64_t>(page.size(), want);
        for (uint64_t i = 0; i < got; ++i, ++index) {
            // Every child counts, fields as well as elements: a graph of shared pointers that is
            // a DAG (or a cycle) fans out exponentially by depth, and this is what bounds it.
            if (!ctx.take_elements(1)) {
                walk.visited = index;
                walk.more = f.count - index;
                return walk;
            }
            if (!visit(index, page[i])) {
                walk.visited = index + 1;
                walk.more = f.count - index - 1;
                walk.stopped = true;
                return walk;
            }
        }
        // A formatter that gives fewer children than it counted has hit a fault of its own;
        // what it could not give is reported like anything else not shown.
        if (got < want) break;
    }
    walk.visited = index;
    walk.more = f.count - index;
    return walk;
}

std::optional<TreeChild> tree_child(Context& ctx, const Formatted& parent, uint64_t index,
                                    const Child& child) {
    Formatted cf = ctx.format(child.value);
    switch (parent.shape) {
    case Shape::Transparent:
        // The pointee of a Box, Rc or reference, as LLDB's `*p`. A scalar pointee says nothing
        // the summary above has not said already.
        if (cf.shape == Shape::Leaf || cf.shape == Shape::Error) return std::nullopt;
        return TreeChild{"*", std::move(cf)};
    case Shape::Map: {
        // `["key"] = value`: a key is shown by its Debug text, its value expanded.
        cf.summary.clear();
        std::string key = "[" + render_summary(ctx, cf, kKeyChars) + "]";
        if (!child.map_value)
            return TreeChild{key, error_value("<error: map entry without a value>")};
        return TreeChild{key, ctx.format(*child.map_value)};
    }
    default:
        return TreeChild{child.label.empty() ? fmt::format("[{}]", index) : child.label,
                         std::move(cf)};
    }
}

std::string more_marker(uint64_t n) {
    return fmt::format("<... {} more>", n);
}

} // namespace seam
