// The graph for Graphviz: one node per graph node labelled with its type (or frame), one edge
// per pointer labelled with its path, a style per edge kind, and the findings in red: cycle
// edges, doubly owned allocations and their owners, borrow conflicts, held locks' guards;
// crossings in orange; above it, what the graph leaves out (a limit, a walk's marked error).
#include <map>
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

struct Look {
    const char* style;
    const char* color;
    int penwidth = 1;
};

Look edge_look(EdgeKind k) {
    switch (k) {
    case EdgeKind::Owns:
        return {"bold", "black"};
    case EdgeKind::Shares:
        return {"solid", "black"};
    case EdgeKind::Weak:
        return {"dashed", "gray50"};
    case EdgeKind::Borrows:
        return {"dotted", "black"};
    case EdgeKind::BorrowsMut:
        return {"dotted", "black", 2};
    case EdgeKind::Raw:
        return {"dotted", "gray50"};
    case EdgeKind::C:
        return {"solid", "blue"};
    case EdgeKind::Crossing:
        return {"bold", "darkorange"};
    }
    return {"solid", "black"};
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
        label += "\n" + count_text(n.fact);
    else if (n.fact.kind == OwnKind::Crossing && n.fact.strong)
        label += fmt::format("\nrefcount {}", *n.fact.strong);
    return label;
}

// What the drawing leaves out, said above it as the text says it: a graph cut by a limit, and
// each walk that ended on a marked error (a list whose links loop, a tree reached twice), so a
// picture of three list nodes is never mistaken for the whole list.
std::string caveats(const Graph& g) {
    std::string out = caveats_text(g);
    if (out.empty()) return out;
    return "  labelloc=t;\n  labeljust=l;\n  fontname=\"monospace\";\n  fontcolor=red;\n  label=" +
           quoted(out) + ";\n";
}

} // namespace

std::string render_dot(const Graph& g) {
    return render_dot(g, DotStyle{});
}

std::string render_dot(const Graph& g, const DotStyle& style) {
    // A crossing is drawn in its own colour; every other finding's edges and nodes in red.
    std::map<EdgeId, const char*> edge_color;
    std::map<NodeId, const char*> node_color;
    for (const Finding& f : g.findings) {
        const char* c = f.kind == FindingKind::Crossing ? "darkorange" : "red";
        for (EdgeId e : f.edges)
            if (f.kind != FindingKind::Crossing || g.edges[e].kind == EdgeKind::Crossing)
                edge_color.try_emplace(e, c);
        for (NodeId n : f.nodes) node_color.try_emplace(n, c);
    }
    // A value's view: its chains in blue over a grey graph (findings give way to it).
    std::set<EdgeId> chain_edges;
    std::set<NodeId> chain_nodes;
    if (const DotFocus* focus = style.focus) {
        edge_color.clear();
        node_color.clear();
        chain_nodes.insert(focus->node);
        for (EdgeId e : focus->edges) {
            chain_edges.insert(e);
            chain_nodes.insert(g.edges[e].from);
            chain_nodes.insert(g.edges[e].to);
        }
        for (const Node& n : g.nodes)
            node_color[n.id] = chain_nodes.count(n.id) ? "blue" : "gray80";
        for (const Edge& e : g.edges)
            edge_color[e.id] = chain_edges.count(e.id) ? "blue" : "gray80";
    }
    std::string s = "digraph ownership {\n  rankdir=LR;\n"
                    "  node [shape=box, fontname=\"monospace\"];\n"
                    "  edge [fontname=\"monospace\", fontsize=10];\n" +
                    caveats(g);
    for (const Node& n : g.nodes) {
        std::string attrs = "label=" + quoted(node_label(g, n));
        if (n.kind == NodeKind::Frame)
            attrs += ", shape=folder";
        else if (n.kind == NodeKind::Static || n.kind == NodeKind::ThreadLocal)
            attrs += ", shape=component";
        else if (n.kind == NodeKind::Object)
            attrs += ", style=dashed";
        if (auto it = node_color.find(n.id); it != node_color.end())
            attrs += fmt::format(", color={}, penwidth=2", it->second);
        if (style.focus && n.id == style.focus->node)
            attrs += ", style=filled, fillcolor=lightyellow";
        else if (style.focus && !chain_nodes.count(n.id))
            attrs += ", fontcolor=gray60";
        if (style.node_ids) attrs += fmt::format(", id=\"n{}\"", n.id);
        s += fmt::format("  n{} [{}];\n", n.id, attrs);
    }
    for (const Edge& e : g.edges) {
        std::string label = e.path.empty() ? "*" : e.path;
        if (e.strong) label += fmt::format(" (strong {})", *e.strong);
        Look look = edge_look(e.kind);
        auto it = edge_color.find(e.id);
        const char* color = it != edge_color.end() ? it->second : look.color;
        s += fmt::format("  n{} -> n{} [label={}, style={}, color={}, fontcolor={}{}];\n", e.from,
                         e.to, quoted(label), look.style, color, color,
                         chain_edges.count(e.id) ? std::string(", penwidth=3")
                         : look.penwidth > 1     ? fmt::format(", penwidth={}", look.penwidth)
                                                 : std::string());
    }
    return s + "}\n";
}

} // namespace seam::own
