// The graph as the user reads it in a terminal: a head line, each node with the pointers it
// holds, then the findings.
#include <fmt/format.h>

#include "formatters/own/own_internal.h"

namespace seam::own {

std::string caveats_text(const Graph& g) {
    std::string s;
    if (g.truncated) s += "truncated: " + g.truncated_reason + "\n";
    if (g.unreadable)
        s += fmt::format("{} value{} could not be read\n", g.unreadable,
                         g.unreadable == 1 ? "" : "s");
    for (const GraphError& e : g.errors) s += "error: " + error_text(g, e) + "\n";
    return s;
}

std::string render_text(const Graph& g) {
    std::vector<std::vector<EdgeId>> out(g.nodes.size());
    for (const Edge& e : g.edges) out[e.from].push_back(e.id);
    std::string s =
        fmt::format("ownership graph: {} node{}, {} edge{}, {} finding{}\n", g.nodes.size(),
                    g.nodes.size() == 1 ? "" : "s", g.edges.size(), g.edges.size() == 1 ? "" : "s",
                    g.findings.size(), g.findings.size() == 1 ? "" : "s");
    s += caveats_text(g);
    for (const Node& n : g.nodes) {
        bool memory = n.kind == NodeKind::Allocation || n.kind == NodeKind::Object;
        s += memory ? fmt::format("n{} {} {}", n.id, node_kind_name(n.kind), node_text(g, n.id))
                    : fmt::format("n{} {}", n.id, node_text(g, n.id));
        if (n.size && n.kind != NodeKind::Frame) s += fmt::format(", {} bytes", *n.size);
        if (n.fact.kind == OwnKind::Shared && n.fact.strong)
            s += ", " + count_text(n.fact);
        else if (n.fact.kind == OwnKind::Crossing && n.fact.strong) // a C object's own count
            s += fmt::format(", refcount {}", *n.fact.strong);
        s += "\n";
        for (EdgeId id : out[n.id]) {
            const Edge& e = g.edges[id];
            s += fmt::format("  {} \u2192 n{} {} {}", e.path.empty() ? "*" : e.path, e.to,
                             edge_kind_name(e.kind), edge_note(e));
            if (g.nodes[e.to].address != e.target) s += " at " + hex(e.target);
            s += "\n";
        }
    }
    if (!g.findings.empty()) s += "findings:\n";
    for (const Finding& f : g.findings)
        s += fmt::format("  {}: {}\n", finding_kind_name(f.kind), f.message);
    return s;
}

} // namespace seam::own
