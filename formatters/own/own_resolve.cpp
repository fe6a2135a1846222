// Where borrows, raw and C pointers lead, decided after the walk: only then is every
// allocation known, and a pointer into the middle of one (a `&T` to a Vec's element, a RefMut's
// value inside an Rc) belongs to the allocation that contains it.
#include <algorithm>

#include "formatters/own/own_build.h"
#include "formatters/own/own_internal.h"

namespace seam::own {
namespace {

RangeIndex index_of(const Graph& g, const std::vector<RootRange>& roots) {
    RangeIndex idx;
    for (const Node& n : g.nodes)
        if ((n.kind == NodeKind::Allocation || n.kind == NodeKind::Object) && n.size)
            idx.add(n.address, *n.size, n.id);
    for (const RootRange& r : roots) idx.add(r.begin, r.size, r.node);
    idx.seal();
    return idx;
}

NodeId object_for(Graph& g, BuildState& s, const Edge& e, const Type* pointee) {
    if (auto known = s.by_address.find(e.target)) return *known;
    Node n;
    // A Weak's target is the RcInner/ArcInner, an allocation while any Weak lives.
    n.kind = e.kind == EdgeKind::Weak ? NodeKind::Allocation : NodeKind::Object;
    n.address = e.target;
    const Type* t = strip(pointee);
    if (t && t->has_size && t->size > 0) n.size = t->size;
    n.type_name = t && t->kind != TypeKind::Void ? type_label(pointee) : "";
    n.language = language_of(pointee);
    if (e.kind == EdgeKind::Weak) {
        n.fact.kind = OwnKind::Shared;
        n.fact.address = e.target;
        n.fact.strong = e.strong;
        n.fact.weak = e.weak;
        n.fact.weak_ref = true;
    }
    NodeId id = append_with_id(g.nodes, std::move(n));
    s.by_address.set(e.target, id);
    return id;
}

} // namespace

void resolve_pointers(Graph& g, BuildState& s) {
    RangeIndex idx = index_of(g, s.ranges);
    std::vector<const PendingEdge*> left;
    for (const PendingEdge& p : s.pending) {
        Edge& e = g.edges[p.edge];
        if (auto n = idx.find(e.target))
            e.to = *n;
        else
            left.push_back(&p);
    }
    // Typed Rust pointers make their objects first, so that a `void *` in C to the same
    // address lands on the object that says what it is.
    std::stable_sort(left.begin(), left.end(), [&](const PendingEdge* a, const PendingEdge* b) {
        return (g.edges[a->edge].kind == EdgeKind::C) < (g.edges[b->edge].kind == EdgeKind::C);
    });
    for (const PendingEdge* p : left) {
        Edge& e = g.edges[p->edge];
        e.to = object_for(g, s, e, p->pointee);
    }
    SiteIndex sites(g);
    for (Edge& e : g.edges) {
        if (e.kind == EdgeKind::C && g.nodes[e.to].language == "rust") e.kind = EdgeKind::Crossing;
        if (const Site* site = sites.guarded_by(g, e)) e.state = site->state;
    }
}

std::optional<NodeId> node_at(const Graph& g, uint64_t address) {
    std::optional<NodeId> best;
    uint64_t best_size = ~uint64_t(0);
    for (const Node& n : g.nodes) {
        // An expression's value is memory some other node holds, when one does.
        if (n.kind == NodeKind::Expression || !n.size || *n.size == 0 || address < n.address ||
            address - n.address >= *n.size)
            continue;
        if (*n.size < best_size) best = n.id, best_size = *n.size;
    }
    if (best) return best;
    for (const Node& n : g.nodes)
        if (n.kind == NodeKind::Expression && n.size && address >= n.address &&
            address - n.address < *n.size)
            return n.id;
    return std::nullopt;
}

} // namespace seam::own
