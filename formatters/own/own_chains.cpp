// why_alive: the chains of keeping-alive edges (owns, shares, crossing) from the roots to a
// node, shortest first, as Xcode's memory graph shows the references that keep an object
// alive. Weak, borrow, raw and C edges keep nothing alive and are never part of a chain, nor is
// an owner moved into a younger frame (Edge::moved).
#include <algorithm>
#include <deque>
#include <queue>

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

namespace {

// A chain in the making: its last edge, the partial chain before it (-1: none, the edge leaves
// a root), and its length. Chains share their prefixes.
struct Partial {
    EdgeId edge;
    int64_t before;
    uint32_t length;
};

// The chains the walk below keeps in the making at most: a dense graph has exponentially many
// ways to a node, and a chain found beyond this many steps is not worth the wait.
constexpr size_t kMaxPartials = 100'000;

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
    // Every chain that keeps it alive, not only one per root edge: a value two Rcs of one Vec
    // share is alive through each. Best first over chains in the making, by their length plus
    // the distance still to go (exact but for the rule that a chain passes no node twice), so
    // that whole chains come out shortest first; among equals in the order of the roots and
    // their edges, and of each node's edges. A chain passes through no other root.
    std::vector<Partial> partials;
    using Entry = std::pair<uint64_t, size_t>; // (length when whole, position in partials)
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
    std::vector<uint32_t> reached(g.nodes.size(), 0);
    auto push = [&](EdgeId id, int64_t before, uint32_t length) {
        NodeId to = g.edges[id].to;
        if (dist[to] == kFar || is_root(g.nodes[to]) || partials.size() >= kMaxPartials) return;
        // A node no chain has reached yet cannot be on this one: the walk back is only paid for
        // where chains meet.
        if (to == g.edges[id].from) return;
        if (reached[to]++)
            for (int64_t at = before; at >= 0; at = partials[size_t(at)].before)
                if (g.edges[partials[size_t(at)].edge].to == to) return;
        partials.push_back(Partial{id, before, length});
        queue.emplace(uint64_t(length) + dist[to], partials.size() - 1);
    };
    std::vector<EdgeId> firsts; // the root edges that lead there
    for (const Node& r : g.nodes)
        if (is_root(r) && dist[r.id] != kFar)
            for (EdgeId first : out[r.id]) {
                size_t before = partials.size();
                push(first, -1, 1);
                if (partials.size() > before) firsts.push_back(first);
            }
    // Whole chains in the order found, each with the root edge it starts from.
    std::vector<std::pair<Chain, EdgeId>> found;
    std::vector<bool> first_done(g.edges.size());
    size_t roots_done = 0;
    while (!queue.empty() && (found.size() < max_chains || roots_done < firsts.size())) {
        size_t at = queue.top().second;
        queue.pop();
        const Partial p = partials[at];
        NodeId head = g.edges[p.edge].to;
        if (head != node) {
            for (EdgeId id : out[head]) push(id, int64_t(at), p.length + 1);
            continue;
        }
        Chain c;
        for (int64_t i = int64_t(at); i >= 0; i = partials[size_t(i)].before)
            c.edges.push_back(partials[size_t(i)].edge);
        std::reverse(c.edges.begin(), c.edges.end());
        EdgeId first = c.edges.front();
        if (!first_done[first]) first_done[first] = true, ++roots_done;
        found.emplace_back(std::move(c), first);
    }
    // Each root edge's shortest chain is kept, however long (a value shared by a local and by a
    // map's node is alive through both), then the others, shortest first, up to max_chains.
    std::vector<bool> keep(found.size());
    std::vector<bool> has_first(g.edges.size());
    size_t kept = 0;
    for (size_t i = 0; i < found.size() && kept < max_chains; ++i)
        if (!has_first[found[i].second]) has_first[found[i].second] = keep[i] = true, ++kept;
    for (size_t i = 0; i < found.size() && kept < max_chains; ++i)
        if (!keep[i]) keep[i] = true, ++kept;
    std::vector<Chain> chains;
    for (size_t i = 0; i < found.size(); ++i)
        if (keep[i]) chains.push_back(std::move(found[i].first));
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
