// why_alive: the shortest chains of keeping-alive edges (owns, shares, crossing) from the roots
// to a node, as Xcode's memory graph shows the references that keep an object alive. Weak,
// borrow, raw and C edges keep nothing alive and are never part of a chain, nor is an owner
// moved into a younger frame (Edge::moved).
#include <algorithm>
#include <deque>

#include <fmt/format.h>

#include "formatters/own/own_internal.h"

namespace seam::own {
namespace {

constexpr uint32_t kFar = ~0u;

bool is_root(const Node& n) {
    return n.kind == NodeKind::Frame || n.kind == NodeKind::Static ||
           n.kind == NodeKind::ThreadLocal;
}

} // namespace

std::vector<Chain> why_alive(const Graph& g, NodeId node, size_t max_chains) {
    if (node >= g.nodes.size() || is_root(g.nodes[node]) || max_chains == 0) return {};
    std::vector<std::vector<EdgeId>> in(g.nodes.size()), out(g.nodes.size());
    for (const Edge& e : g.edges)
        if (keeps_alive(e.kind) && !e.moved) in[e.to].push_back(e.id), out[e.from].push_back(e.id);
    // Distance of every node to `node` along keeping-alive edges, breadth first backwards.
    std::vector<uint32_t> dist(g.nodes.size(), kFar);
    std::deque<NodeId> todo{node};
    dist[node] = 0;
    while (!todo.empty()) {
        NodeId n = todo.front();
        todo.pop_front();
        for (EdgeId id : in[n]) {
            NodeId from = g.edges[id].from;
            if (dist[from] != kFar) continue;
            dist[from] = dist[n] + 1;
            todo.push_back(from);
        }
    }
    // One chain per root edge that leads there: each step goes one nearer, by the lowest edge.
    std::vector<Chain> chains;
    for (const Node& r : g.nodes) {
        if (!is_root(r) || dist[r.id] == kFar) continue;
        for (EdgeId first : out[r.id]) {
            if (dist[g.edges[first].to] != dist[r.id] - 1) continue;
            Chain c{{first}};
            NodeId at = g.edges[first].to;
            while (at != node) {
                EdgeId step = kFar;
                for (EdgeId id : out[at])
                    if (dist[g.edges[id].to] == dist[at] - 1) {
                        step = id;
                        break;
                    }
                if (step == kFar) break;
                c.edges.push_back(step);
                at = g.edges[step].to;
            }
            chains.push_back(std::move(c));
        }
    }
    std::stable_sort(chains.begin(), chains.end(), [](const Chain& a, const Chain& b) {
        return a.edges.size() < b.edges.size();
    });
    if (chains.size() > max_chains) chains.resize(max_chains);
    return chains;
}

std::vector<EdgeId> keep_alive_edges(const Graph& g, NodeId node) {
    if (node >= g.nodes.size() || is_root(g.nodes[node])) return {};
    std::vector<std::vector<EdgeId>> in(g.nodes.size()), out(g.nodes.size());
    for (const Edge& e : g.edges)
        if (keeps_alive(e.kind)) in[e.to].push_back(e.id), out[e.from].push_back(e.id);
    // The nodes `node` can be reached from, and those the roots reach: an edge between two
    // nodes of both lies on a way from a root to `node`.
    auto reach = [&](std::vector<NodeId> start, const std::vector<std::vector<EdgeId>>& by,
                     bool forward) {
        std::vector<bool> seen(g.nodes.size());
        for (NodeId n : start) seen[n] = true;
        while (!start.empty()) {
            NodeId n = start.back();
            start.pop_back();
            for (EdgeId id : by[n]) {
                NodeId next = forward ? g.edges[id].to : g.edges[id].from;
                if (!seen[next]) seen[next] = true, start.push_back(next);
            }
        }
        return seen;
    };
    std::vector<NodeId> roots;
    for (const Node& n : g.nodes)
        if (is_root(n)) roots.push_back(n.id);
    std::vector<bool> to_node = reach({node}, in, false), from_roots = reach(roots, out, true);
    if (!from_roots[node]) return {};
    std::vector<EdgeId> edges;
    for (const Edge& e : g.edges)
        if (keeps_alive(e.kind) && to_node[e.from] && to_node[e.to] && from_roots[e.from])
            edges.push_back(e.id);
    return edges;
}

std::string chain_text(const Graph& g, const Chain& c) {
    if (c.edges.empty()) return "";
    std::string out;
    for (size_t i = 0; i < c.edges.size(); ++i) {
        const Edge& e = g.edges[c.edges[i]];
        std::string path = e.path.empty() ? "*" : e.path;
        out += i == 0 ? place_text(g, e.from, path) : " \u2192 " + path;
        out += " " + edge_note(e);
    }
    return out + " \u2192 " + node_text(g, g.edges[c.edges.back()].to);
}

} // namespace seam::own
