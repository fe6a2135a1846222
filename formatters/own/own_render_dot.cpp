// The graph for Graphviz: one node per graph node labelled with its type (or frame), one edge
// per pointer labelled with its path, a style per edge kind, and the findings in red: cycle
// edges, doubly owned allocations and their owners, crossings, held locks' guards.
#include <set>

#include <fmt/format.h>

#include "formatters/own/own_internal.h"

namespace seam::own {
namespace {

// A DOT double-quoted string: quotes and backslashes escaped, lines joined by `\n`.
std::string quoted(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}

const char* edge_style(EdgeKind k) {
    switch (k) {
    case EdgeKind::Owns:
        return "style=bold";
    case EdgeKind::Shares:
        return "style=solid";
    case EdgeKind::Weak:
        return "style=dashed, color=gray50";
    case EdgeKind::Borrows:
        return "style=dotted";
    case EdgeKind::BorrowsMut:
        return "style=dotted, penwidth=2";
    case EdgeKind::Raw:
        return "style=dotted, color=gray50";
    case EdgeKind::C:
        return "style=solid, color=blue";
    case EdgeKind::Crossing:
        return "style=bold, color=darkorange";
    }
    return "style=solid";
}

std::string node_label(const Graph& g, const Node& n) {
    switch (n.kind) {
    case NodeKind::Frame:
    case NodeKind::Static:
    case NodeKind::ThreadLocal:
    case NodeKind::Expression:
        return node_text(g, n.id);
    case NodeKind::Allocation:
    case NodeKind::Object:
        break;
    }
    std::string label = n.type_name.empty() ? std::string("memory") : n.type_name;
    label += "\n" + hex(n.address);
    if (n.fact.kind == OwnKind::Shared && n.fact.strong)
        label += fmt::format("\nstrong {} weak {}", *n.fact.strong, n.fact.weak.value_or(0));
    return label;
}

} // namespace

std::string render_dot(const Graph& g) {
    std::set<EdgeId> red_edges;
    std::set<NodeId> red_nodes;
    for (const Finding& f : g.findings) {
        red_edges.insert(f.edges.begin(), f.edges.end());
        red_nodes.insert(f.nodes.begin(), f.nodes.end());
    }
    std::string s = "digraph ownership {\n  rankdir=LR;\n"
                    "  node [shape=box, fontname=\"monospace\"];\n"
                    "  edge [fontname=\"monospace\", fontsize=10];\n";
    for (const Node& n : g.nodes) {
        std::string attrs = "label=" + quoted(node_label(g, n));
        if (n.kind == NodeKind::Frame)
            attrs += ", shape=folder";
        else if (n.kind == NodeKind::Static || n.kind == NodeKind::ThreadLocal)
            attrs += ", shape=component";
        else if (n.kind == NodeKind::Object)
            attrs += ", style=dashed";
        if (red_nodes.count(n.id)) attrs += ", color=red, penwidth=2";
        s += fmt::format("  n{} [{}];\n", n.id, attrs);
    }
    for (const Edge& e : g.edges) {
        std::string label = e.path.empty() ? "*" : e.path;
        if (e.strong) label += fmt::format(" ({})", *e.strong);
        std::string attrs = fmt::format("label={}, {}", quoted(label), edge_style(e.kind));
        if (red_edges.count(e.id)) attrs += ", color=red, fontcolor=red";
        s += fmt::format("  n{} -> n{} [{}];\n", e.from, e.to, attrs);
    }
    return s + "}\n";
}

} // namespace seam::own
