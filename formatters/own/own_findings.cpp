// find_problems: what the graph's facts say is wrong, each finding naming the edges, paths,
// addresses and counts it rests on. Nothing is inferred beyond the facts read: a count that
// exceeds the references found is "unaccounted" (C memory is not fully typed), not "wrong".
#include <algorithm>
#include <deque>
#include <functional>
#include <iterator>
#include <map>
#include <span>
#include <unordered_map>

#include <fmt/format.h>

#include "formatters/own/own_internal.h"

namespace seam::own {
namespace {

// The edges into each node. An expression's edges are left out: its value is usually memory
// the graph already holds (`seam own *list.head`), and its pointers would count twice.
// One array in node order, not a vector per node: a million nodes, a million allocations less.
class Incoming {
public:
    explicit Incoming(const Graph& g) : m_start(g.nodes.size() + 1, 0) {
        auto counted = [&](const Edge& e) {
            return e.to < g.nodes.size() && g.nodes[e.from].kind != NodeKind::Expression;
        };
        for (const Edge& e : g.edges)
            if (counted(e)) ++m_start[e.to + 1];
        for (size_t i = 1; i < m_start.size(); ++i) m_start[i] += m_start[i - 1];
        m_edges.resize(m_start.back());
        std::vector<size_t> next(m_start.begin(), m_start.end() - 1);
        for (const Edge& e : g.edges)
            if (counted(e)) m_edges[next[e.to]++] = e.id;
    }
    std::span<const EdgeId> operator[](NodeId n) const {
        return {m_edges.data() + m_start[n], m_start[n + 1] - m_start[n]};
    }

private:
    std::vector<size_t> m_start;
    std::vector<EdgeId> m_edges;
};

// Tarjan's strongly connected components over the Shares edges, iteratively: an Rc chain a
// million long must not overflow the stack.
std::vector<std::vector<NodeId>> shares_components(const Graph& g) {
    const size_t n = g.nodes.size();
    std::vector<std::vector<EdgeId>> out(n);
    for (const Edge& e : g.edges)
        if (e.kind == EdgeKind::Shares) out[e.from].push_back(e.id);
    constexpr uint32_t kUnseen = ~0u;
    std::vector<uint32_t> index(n, kUnseen), low(n, 0);
    std::vector<bool> on_stack(n, false);
    std::vector<NodeId> stack;
    std::vector<std::vector<NodeId>> comps;
    uint32_t next = 0;
    struct Frame {
        NodeId v;
        size_t i;
    };
    for (NodeId root = 0; root < n; ++root) {
        if (index[root] != kUnseen || out[root].empty()) continue;
        std::vector<Frame> call{{root, 0}};
        index[root] = low[root] = next++;
        stack.push_back(root);
        on_stack[root] = true;
        while (!call.empty()) {
            Frame& f = call.back();
            if (f.i < out[f.v].size()) {
                NodeId w = g.edges[out[f.v][f.i++]].to;
                if (index[w] == kUnseen) {
                    index[w] = low[w] = next++;
                    stack.push_back(w);
                    on_stack[w] = true;
                    call.push_back({w, 0});
                } else if (on_stack[w]) {
                    low[f.v] = std::min(low[f.v], index[w]);
                }
                continue;
            }
            NodeId v = f.v;
            call.pop_back();
            if (!call.empty()) low[call.back().v] = std::min(low[call.back().v], low[v]);
            if (low[v] != index[v]) continue;
            std::vector<NodeId> comp;
            NodeId w;
            do {
                w = stack.back();
                stack.pop_back();
                on_stack[w] = false;
                comp.push_back(w);
            } while (w != v);
            bool self_loop = false;
            for (EdgeId e : out[v]) self_loop |= g.edges[e].to == v;
            if (comp.size() > 1 || self_loop) comps.push_back(std::move(comp));
        }
    }
    return comps;
}

std::string list_places(const Graph& g, const std::vector<EdgeId>& edges) {
    std::string out;
    for (EdgeId id : edges) {
        if (!out.empty()) out += ", ";
        out += edge_place(g, g.edges[id]) + " " + edge_note(g.edges[id]);
    }
    return out;
}

void cycles(Graph& g, const Incoming& in) {
    for (auto& comp : shares_components(g)) {
        std::sort(comp.begin(), comp.end());
        std::vector<bool> member(g.nodes.size(), false);
        for (NodeId m : comp) member[m] = true;
        Finding f;
        f.kind = FindingKind::Cycle;
        f.nodes = comp;
        std::vector<EdgeId> outside;
        bool arc = false, rc = false;
        for (NodeId m : comp)
            for (EdgeId id : in[m]) {
                const Edge& e = g.edges[id];
                if (e.kind == EdgeKind::Shares && member[e.from]) {
                    f.edges.push_back(id);
                    (pointer_word(e) == "Arc" ? arc : rc) = true;
                } else if (keeps_alive(e.kind) && !member[e.from]) {
                    outside.push_back(id);
                }
            }
        std::sort(f.edges.begin(), f.edges.end());
        std::string ring;
        for (EdgeId id : f.edges) {
            const Edge& e = g.edges[id];
            ring += fmt::format("{}{} {} → {}", ring.empty() ? "" : "; ", edge_place(g, e),
                                edge_note(e), node_text(g, e.to));
        }
        f.message = fmt::format("{} cycle of strong references among {} allocation{}: {}; ",
                                arc && rc ? "Rc/Arc"
                                : arc     ? "Arc"
                                          : "Rc",
                                comp.size(), comp.size() == 1 ? "" : "s", ring);
        f.message += outside.empty() ? "nothing outside the cycle holds it: leaked"
                                     : "held from outside the cycle by " + list_places(g, outside) +
                                           ": it leaks when those are dropped";
        g.findings.push_back(std::move(f));
    }
}

bool owning(const Edge& e, const Node& to) {
    return e.kind == EdgeKind::Owns && e.target == to.address;
}

// For every node, the youngest frame that owns it, directly or through owned allocations
// (Owns edges only: an Rc shared by caller and callee is two real owners). Frames are visited
// youngest first, each stack in turn, so the first frame to reach a node is its youngest owner.
std::vector<NodeId> youngest_owner_frames(const Graph& g) {
    constexpr NodeId kNone = ~NodeId(0);
    std::vector<NodeId> home(g.nodes.size(), kNone);
    std::vector<NodeId> frames;
    for (const Node& n : g.nodes)
        if (n.kind == NodeKind::Frame && n.stack && n.frame_cfa) frames.push_back(n.id);
    if (frames.size() < 2) return home;
    std::sort(frames.begin(), frames.end(), [&](NodeId a, NodeId b) {
        return std::pair(*g.nodes[a].stack, *g.nodes[a].frame_cfa) <
               std::pair(*g.nodes[b].stack, *g.nodes[b].frame_cfa);
    });
    std::vector<std::vector<EdgeId>> out(g.nodes.size());
    for (const Edge& e : g.edges)
        if (e.kind == EdgeKind::Owns && e.to < g.nodes.size()) out[e.from].push_back(e.id);
    std::deque<NodeId> todo;
    for (NodeId f : frames) {
        home[f] = f;
        todo.push_back(f);
        while (!todo.empty()) {
            NodeId at = todo.front();
            todo.pop_front();
            for (EdgeId id : out[at]) {
                NodeId to = g.edges[id].to;
                if (home[to] != kNone || g.nodes[to].kind == NodeKind::Frame) continue;
                home[to] = f;
                todo.push_back(to);
            }
        }
    }
    return home;
}

// Edge::moved: of the owners of one allocation that all sit in frames of one stack (or in what
// those frames own), those older than the one youngest owner are taken as moved into the call.
// Two owners in the youngest frame, or any owner outside the stack (a static, a thread-local,
// another thread, the C side), leave it a double owner.
void moved_owners(Graph& g, const Incoming& in) {
    for (Edge& e : g.edges)
        if (e.moved) e.moved = false, e.state.clear();
    std::vector<NodeId> home = youngest_owner_frames(g);
    for (const Node& n : g.nodes) {
        std::vector<EdgeId> owners;
        for (EdgeId id : in[n.id])
            if (owning(g.edges[id], n)) owners.push_back(id);
        if (owners.size() < 2) continue;
        const Node* youngest = nullptr;
        size_t at_youngest = 0;
        bool one_stack = true;
        for (EdgeId id : owners) {
            NodeId h = home[g.edges[id].from];
            if (h >= g.nodes.size()) {
                one_stack = false;
                break;
            }
            const Node& frame = g.nodes[h];
            if (youngest && frame.stack != youngest->stack) {
                one_stack = false;
                break;
            }
            if (!youngest || *frame.frame_cfa < *youngest->frame_cfa) {
                youngest = &frame;
                at_youngest = 1;
            } else if (frame.id == youngest->id) {
                ++at_youngest;
            }
        }
        if (!one_stack || at_youngest != 1) continue;
        for (EdgeId id : owners) {
            Edge& e = g.edges[id];
            if (home[e.from] == youngest->id) continue;
            e.moved = true;
            e.state = "moved to " + youngest->label;
        }
    }
}

void double_owners(Graph& g, const Incoming& in) {
    for (const Node& n : g.nodes) {
        auto owns = [&](EdgeId id) { return owning(g.edges[id], n) && !g.edges[id].moved; };
        if (std::count_if(in[n.id].begin(), in[n.id].end(), owns) < 2) continue;
        std::vector<EdgeId> owners;
        std::copy_if(in[n.id].begin(), in[n.id].end(), std::back_inserter(owners), owns);
        Finding f;
        f.kind = FindingKind::DoubleOwner;
        f.nodes = {n.id};
        f.edges = owners;
        f.message = fmt::format(
            "{} owners claim the allocation {}{}: {}", owners.size(), node_text(g, n.id),
            n.size ? fmt::format(" ({} bytes)", *n.size) : "", list_places(g, owners));
        g.findings.push_back(std::move(f));
    }
}

// `RefCell<u64> at 0x7ffd… (frame #0 main: cell)`; a site that is an allocation's whole
// value (`Rc<RefCell<T>>`) is named by the allocation alone.
std::string site_text(const Graph& g, const Site& s) {
    std::string where =
        s.path == "*" ? "in " + node_text(g, s.node) : place_text(g, s.node, s.path);
    return fmt::format("{} at {} ({})", s.type_name, hex(s.address), where);
}

// The guards holding each site, and the other borrows into its bytes, in one pass.
struct SiteEdges {
    std::vector<EdgeId> guards;
    std::vector<EdgeId> borrows;
};
std::vector<SiteEdges> edges_of_sites(const Graph& g) {
    std::vector<SiteEdges> out(g.sites.size());
    if (g.sites.empty()) return out;
    SiteIndex idx(g);
    for (const Edge& e : g.edges) {
        if (e.guarded) {
            if (const Site* s = idx.guarded_by(g, e))
                out[s - g.sites.data()].guards.push_back(e.id);
        } else if (e.kind == EdgeKind::Borrows || e.kind == EdgeKind::BorrowsMut) {
            if (const Site* s = idx.containing(g, e.target))
                out[s - g.sites.data()].borrows.push_back(e.id);
        }
    }
    return out;
}

// The frame a guard lives in: its own node when that is a frame, else the first frame that
// keeps the node holding it alive.
std::string frame_of(const Graph& g, const Edge& guard) {
    const Node& n = g.nodes[guard.from];
    if (n.kind == NodeKind::Frame || n.kind == NodeKind::Static || n.kind == NodeKind::ThreadLocal)
        return node_text(g, n.id);
    auto chains = why_alive(g, n.id, 1);
    if (chains.empty() || chains[0].edges.empty()) return "no root reached";
    return node_text(g, g.edges[chains[0].edges[0]].from);
}

void cells_and_locks(Graph& g) {
    auto per_site = edges_of_sites(g);
    for (size_t i = 0; i < g.sites.size(); ++i) {
        const Site& s = g.sites[i];
        if (!s.address) continue;
        const SiteEdges& se = per_site[i];
        std::vector<EdgeId> writers, readers;
        for (EdgeId id : se.guards)
            (g.edges[id].kind == EdgeKind::BorrowsMut ? writers : readers).push_back(id);
        if (s.kind == OwnKind::Cell && s.state.starts_with("writing")) {
            std::string held = writers.empty()
                                   ? std::string("no RefMut holding it was found in the graph")
                                   : "RefMut at " + list_places(g, writers);
            std::vector<EdgeId> conflict = readers;
            conflict.insert(conflict.end(), se.borrows.begin(), se.borrows.end());
            if (!conflict.empty()) {
                Finding f;
                f.kind = FindingKind::BorrowConflict;
                f.nodes = {s.node};
                f.edges = writers;
                f.edges.insert(f.edges.end(), conflict.begin(), conflict.end());
                f.message =
                    fmt::format("{} is {} ({}) while {} borrow{} into it", site_text(g, s), s.state,
                                held, list_places(g, conflict), conflict.size() == 1 ? "s" : "");
                g.findings.push_back(std::move(f));
            }
            Finding w;
            w.kind = FindingKind::WriterAlive;
            w.nodes = {s.node};
            w.edges = writers;
            w.message = fmt::format("{} is {}: {}", site_text(g, s), s.state, held);
            g.findings.push_back(std::move(w));
        }
        if (s.kind == OwnKind::Lock && s.state != "unlocked" && s.state != "unknown") {
            Finding f;
            f.kind = FindingKind::LockHeld;
            f.nodes = {s.node};
            f.edges = se.guards;
            std::string guards;
            for (EdgeId id : se.guards) {
                const Edge& e = g.edges[id];
                guards +=
                    fmt::format("{}held by the guard at {} ({}), in {}", guards.empty() ? "" : "; ",
                                edge_place(g, e), pointer_word(e), frame_of(g, e));
                f.nodes.push_back(e.from);
            }
            f.message = fmt::format(
                "{} is {}{}: {}", site_text(g, s), s.state, s.poisoned ? " and poisoned" : "",
                guards.empty() ? "no guard holding it was found in the graph" : guards);
            g.findings.push_back(std::move(f));
        }
    }
}

// One finding per Rust allocation C holds, naming every place in C that holds it (a C frame
// often keeps the pointer both in a parameter and in the struct it fills).
void crossings(Graph& g, const Incoming& in) {
    std::vector<NodeId> order;
    std::unordered_map<NodeId, std::vector<EdgeId>> by_target;
    for (const Edge& e : g.edges) {
        if (e.kind != EdgeKind::Crossing) continue;
        auto& held = by_target[e.to];
        if (held.empty()) order.push_back(e.to);
        held.push_back(e.id);
    }
    for (NodeId target : order) {
        const std::vector<EdgeId>& held = by_target[target];
        std::vector<EdgeId> owners;
        for (EdgeId id : in[target])
            if (g.edges[id].kind == EdgeKind::Owns || g.edges[id].kind == EdgeKind::Shares)
                owners.push_back(id);
        std::string places;
        for (EdgeId id : held) {
            const Edge& e = g.edges[id];
            places += fmt::format("{}{} ({}, pointer {})", places.empty() ? "" : " and through ",
                                  edge_place(g, e), pointer_word(e), hex(e.target));
        }
        Finding f;
        f.kind = FindingKind::Crossing;
        f.nodes = {target};
        f.edges = held;
        f.edges.insert(f.edges.end(), owners.begin(), owners.end());
        f.message =
            fmt::format("C holds a Rust {} through {}; {}", node_text(g, target), places,
                        owners.empty() ? std::string("no Rust owner claims it in the graph")
                                       : "a Rust owner still claims it: " + list_places(g, owners));
        g.findings.push_back(std::move(f));
    }
}

void unaccounted(Graph& g, const Incoming& in) {
    for (const Node& n : g.nodes) {
        if (n.kind != NodeKind::Allocation || n.fact.kind != OwnKind::Shared || n.fact.weak_ref ||
            !n.fact.strong)
            continue;
        std::vector<EdgeId> found;
        for (EdgeId id : in[n.id])
            if (g.edges[id].kind == EdgeKind::Shares || g.edges[id].kind == EdgeKind::Crossing)
                found.push_back(id);
        int64_t missing = *n.fact.strong - int64_t(found.size());
        if (missing <= 0) continue;
        Finding f;
        f.kind = FindingKind::Unaccounted;
        f.nodes = {n.id};
        f.edges = found;
        f.message = fmt::format(
            "{}: strong count {}, {} strong reference{} found ({}): {} unaccounted",
            node_text(g, n.id), *n.fact.strong, found.size(), found.size() == 1 ? "" : "s",
            found.empty() ? std::string("none") : list_places(g, found), missing);
        g.findings.push_back(std::move(f));
    }
}

} // namespace

void find_problems(Graph& g, const Limits& limits) {
    g.findings.clear();
    const Incoming in(g);
    cycles(g, in);
    moved_owners(g, in);
    double_owners(g, in);
    cells_and_locks(g);
    crossings(g, in);
    // A graph cut short has not seen every reference: nothing can be unaccounted in it.
    if (limits.whole_process && !g.truncated) unaccounted(g, in);
}

} // namespace seam::own
