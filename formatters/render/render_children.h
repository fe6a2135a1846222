#pragma once
/// Walking a formatted value's children in pages, within budget, and naming them as the tree
/// shows them: the renderers' and the GUI's variables view's one way to do both.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "formatters/core/context.h"

namespace seam {

/// Children are asked for this many at a time: a Vec of ten million elements is read one page
/// per request, never whole.
inline constexpr uint64_t kChildPage = 256;

struct ChildWalk {
    /// Children handed to the visitor.
    uint64_t visited = 0;
    /// Children of `f.count` not visited (the budget, or a formatter that gave fewer).
    uint64_t more = 0;
    /// The visitor asked to stop.
    bool stopped = false;
};

/// Visits children 0, 1, ... of `f` up to the budget's max_children, each counted against the
/// element budget, while `visit(index, child)` returns true. Holds a DepthGuard meanwhile, so
/// that the children's format() calls see their nesting.
ChildWalk walk_children(Context& ctx, const Formatted& f,
                        const std::function<bool(uint64_t, const Child&)>& visit);

/// Characters of the summary that the tree and JSON renderers show beside each value.
inline constexpr size_t kSummaryChars = 120;
/// Characters of a map key shown as the label of its entry in the tree.
inline constexpr size_t kKeyChars = 60;

/// A child as a tree of values shows it: its label and its formatted value.
struct TreeChild {
    std::string label;
    Formatted value;
};

/// Child `index` of `parent` as the tree shows it: a field or `[i]` by its label; a map entry
/// labelled `[key]` (the key's Debug text) with its value; the pointee of a Box, Rc or reference
/// as `*`. None for a scalar pointee, whose line would repeat its parent's summary.
std::optional<TreeChild> tree_child(Context& ctx, const Formatted& parent, uint64_t index,
                                    const Child& child);

/// The item that ends a container cut short: `<... 9000 more>`.
std::string more_marker(uint64_t n);

} // namespace seam
