// The ownership graph (formatters/own, issue 14) over a real process: tests/engine/own_scenes.rs
// (with own_scenes.c) plants each fault beside a clean twin, prints where its values are, and
// waits; the graph is built from its memory (/proc/PID/mem) and its DWARF.
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "formatters/dwarf/debug_info.h"
#include "formatters/own/own_graph.h"
#include "tests/e2e/json_schema_check.h"
#include "tests/engine/own_graph_fixture.h"

namespace seam {
namespace {

using namespace own_graph_test;
using namespace own;

TEST_P(OwnGraph, RcCycleThroughRefCellIsOneFindingWithItsMembers) {
    Graph g = graph({scene("cycle", "CycleScene")});
    const uint64_t a = inner_of(at("cycle.a")), b = inner_of(at("cycle.b"));
    EXPECT_FALSE(g.truncated) << g.truncated_reason;
    EXPECT_EQ(g.unreadable, 0u);
    ASSERT_EQ(g.findings.size(), 1u) << render_text(g);
    const Finding& f = g.findings[0];
    EXPECT_EQ(f.kind, FindingKind::Cycle);
    ASSERT_EQ(f.nodes.size(), 2u);
    EXPECT_EQ(g.nodes[f.nodes[0]].address, a);
    EXPECT_EQ(g.nodes[f.nodes[1]].address, b);
    ASSERT_EQ(f.edges.size(), 2u);
    for (EdgeId e : f.edges) EXPECT_EQ(g.edges[e].kind, EdgeKind::Shares);
    EXPECT_EQ(f.message,
              fmt::format("Rc cycle of strong references among 2 allocations: RcInner<Node> at "
                          "{0}: *.next.value.0 (Rc strong 1) → RcInner<Node> at {1}; "
                          "RcInner<Node> at {1}: *.next.value.0 (Rc strong 2) → RcInner<Node> "
                          "at {0}; held from outside the cycle by {2}: cycle.a (Rc strong 2): it "
                          "leaks when those are dropped",
                          hex(a), hex(b), kMain));
}

TEST_P(OwnGraph, WeakBackEdgeIsNoCycle) {
    Graph g = graph({scene("weak", "WeakScene")});
    EXPECT_TRUE(g.findings.empty()) << render_text(g);
    // The Weak is there, as a weak edge back to the first node.
    const uint64_t a = inner_of(at("weak.a"));
    size_t weak = 0;
    for (const Edge& e : g.edges)
        if (e.kind == EdgeKind::Weak) {
            ++weak;
            EXPECT_EQ(g.nodes[e.to].address, a);
            EXPECT_EQ(e.path, "*.prev.value.0");
            EXPECT_EQ(e.strong, 1);
        }
    EXPECT_EQ(weak, 1u);
}

TEST_P(OwnGraph, TwoBoxesFromOneFromRawAreTwoOwners) {
    Graph g = graph({scene("double", "DoubleScene")});
    ASSERT_EQ(g.findings.size(), 1u) << render_text(g);
    EXPECT_EQ(g.findings[0].kind, FindingKind::DoubleOwner);
    EXPECT_EQ(g.findings[0].message,
              fmt::format("2 owners claim the allocation Payload at {} (16 bytes): {}: double.a "
                          "(Box), {}: {} (Box)",
                          hex(at("double.box")), kMain, kMain, manually_dropped()));
    EXPECT_EQ(g.nodes.size(), 2u); // the frame and one allocation, however many owners
    EXPECT_EQ(render_text(g),
              fmt::format("ownership graph: 2 nodes, 2 edges, 1 finding\n"
                          "n0 frame #0 own_scenes::main\n"
                          "  double.a → n1 owns (Box)\n"
                          "  {} → n1 owns (Box)\n"
                          "n1 allocation Payload at {}, 16 bytes\n"
                          "findings:\n"
                          "  double-owner: {}\n",
                          manually_dropped(), hex(at("double.box")), g.findings[0].message));
}

TEST_P(OwnGraph, RefMutWithABorrowTakenThroughARawPointer) {
    Graph g = graph({scene("conflict", "ConflictScene")});
    const uint64_t cell = at("conflict.cell");
    std::string where = fmt::format("RefCell<Payload> at {} (in RcInner<RefCell<Payload>> at {})",
                                    hex(cell), hex(inner_of(cell)));
    EXPECT_EQ(messages(g, FindingKind::BorrowConflict),
              std::vector<std::string>{fmt::format(
                  "{} is writing (RefMut at {}: conflict.w.0 (RefMut, writing)) while {}: "
                  "conflict.r.0 (&) borrows into it",
                  where, kMain, kMain)})
        << render_text(g);
    EXPECT_EQ(messages(g, FindingKind::WriterAlive),
              std::vector<std::string>{fmt::format(
                  "{} is writing: RefMut at {}: conflict.w.0 (RefMut, writing)", where, kMain)});
    EXPECT_EQ(g.findings.size(), 2u);
    // The guard is tied to its cell by the borrow flag it points at, not by layout.
    ASSERT_EQ(g.sites.size(), 1u);
    EXPECT_EQ(g.sites[0].address, cell);
    EXPECT_EQ(g.sites[0].state, "writing");
}

TEST_P(OwnGraph, ARefAndABorrowThroughItReportNothing) {
    Graph g = graph({scene("reader", "ReaderScene")});
    EXPECT_TRUE(g.findings.empty()) << render_text(g);
    ASSERT_EQ(g.sites.size(), 1u);
    EXPECT_EQ(g.sites[0].state, "reading 1");
}

TEST_P(OwnGraph, HeldMutexGuardNamesTheGuardAndItsFrame) {
    Graph g = graph({scene("lock", "LockScene")});
    const uint64_t m = at("lock.mutex");
    ASSERT_EQ(g.findings.size(), 1u) << render_text(g);
    const Finding& f = g.findings[0];
    EXPECT_EQ(f.kind, FindingKind::LockHeld);
    EXPECT_EQ(f.message,
              fmt::format("Mutex<Vec<Box<u32>>> at {} (in ArcInner<Mutex<Vec<Box<u32>>>> at {}) "
                          "is locked: held by the guard at {}: lock.g.0 (MutexGuard), in {}",
                          hex(m), hex(inner_of(m)), kMain, kMain));
    ASSERT_EQ(f.edges.size(), 1u);
    EXPECT_EQ(g.edges[f.edges[0]].state, "locked");
    EXPECT_EQ(g.nodes[g.edges[f.edges[0]].from].kind, NodeKind::Frame);
    // The data behind the held lock is walked all the same (Debug shows `"<locked>"`).
    size_t boxes = 0;
    for (const Edge& e : g.edges) boxes += e.type_name == "Box<u32>";
    EXPECT_EQ(boxes, 2u);
}

TEST_P(OwnGraph, ReadGuardsAreTiedToTheirRwLock) {
    Graph g = graph({scene("rwlock", "ReadLockScene")});
    const uint64_t l = at("rwlock.lock");
    ASSERT_EQ(g.findings.size(), 1u) << render_text(g);
    EXPECT_EQ(g.findings[0].message,
              fmt::format("RwLock<u32> at {} (in ArcInner<RwLock<u32>> at {}) is reading 2: held "
                          "by the guard at {}: rwlock.r1.0 (RwLockReadGuard), in {}; held by the "
                          "guard at {}: rwlock.r2.0 (RwLockReadGuard), in {}",
                          hex(l), hex(inner_of(l)), kMain, kMain, kMain, kMain));
    for (EdgeId e : g.findings[0].edges) EXPECT_EQ(g.edges[e].state, "reading 2");
}

TEST_P(OwnGraph, UnlockedTwinReportsNothing) {
    Graph g = graph({scene("unlocked", "LockScene")});
    EXPECT_TRUE(g.findings.empty()) << render_text(g);
    EXPECT_TRUE(g.sites.empty());
}

TEST_P(OwnGraph, OneAllocationSharedFiveTimesIsOneNode) {
    const uint64_t reads_before = process->reads;
    Budget budget;
    Context ctx(*process, info, builtin_registry(), budget);
    Limits whole;
    whole.whole_process = true;
    Graph g = build_graph(ctx, {scene("shared", "SharedScene")}, whole);
    // The frame, the Rc's allocation, the Vec<Rc> buffer and the Vec<u64> buffer.
    ASSERT_EQ(g.nodes.size(), 4u) << render_text(g);
    EXPECT_EQ(g.edges.size(), 7u);
    NodeId payload = *node_at(g, at("shared.payload"));
    EXPECT_EQ(g.nodes[payload].address, inner_of(at("shared.payload")));
    size_t shares = 0;
    for (const Edge& e : g.edges)
        if (e.kind == EdgeKind::Shares) {
            ++shares;
            EXPECT_EQ(e.to, payload);
        }
    EXPECT_EQ(shares, 5u);
    // Five references found for a strong count of five: nothing unaccounted.
    EXPECT_TRUE(g.findings.empty()) << render_text(g);
    // The million u64 are never looked at one by one: one page of children at most.
    EXPECT_LE(ctx.usage().elements, 1100u);
    EXPECT_LT(process->reads - reads_before, 40u);
    EXPECT_LT(ctx.usage().bytes, 200'000u); // not the 8 MB of the u64s
}

TEST_P(OwnGraph, CrossingsSayWhetherARustOwnerStillClaims) {
    Graph g = graph({scene("cross", "CrossScene"), c_static()});
    const uint64_t raw = at("cross.raw"), arc = at("cross.arc");
    auto crossings = messages(g, FindingKind::Crossing);
    crossings.resize(std::min<size_t>(crossings.size(), 2)); // the third: the next test
    EXPECT_EQ(crossings,
              (std::vector<std::string>{
                  fmt::format("C holds a Rust Payload at {0} through static c_holder: "
                              "c_holder.payload (void *, pointer {0}); no Rust owner claims it in "
                              "the graph",
                              hex(raw)),
                  fmt::format("C holds a Rust ArcInner<Payload> at {} through static c_holder: "
                              "c_holder.shared (const void *, pointer {}); a Rust owner still "
                              "claims it: {}: cross.arc (Arc strong 2)",
                              hex(inner_of(arc)), hex(arc), kMain)}))
        << render_text(g);
    EXPECT_EQ(g.findings.size(), 3u);
}

// C memory reached through a C pointer is walked as C objects: a Rust pointer kept in a heap
// struct of C's is a crossing too.
TEST_P(OwnGraph, CHeapStructsAreWalkedForCrossings) {
    Graph g = graph({scene("cross", "CrossScene"), c_static()});
    const Edge* chain = nullptr;
    for (const Edge& e : g.edges)
        if (e.path == "c_holder.chain") chain = &e;
    ASSERT_TRUE(chain) << render_text(g);
    EXPECT_EQ(chain->kind, EdgeKind::C);
    const Node& holder = g.nodes[chain->to];
    EXPECT_EQ(holder.kind, NodeKind::Object);
    EXPECT_EQ(holder.type_name, "struct holder");
    EXPECT_EQ(holder.language, "c");
    EXPECT_TRUE(holder.walked);
    const uint64_t raw2 = at("cross.raw2");
    auto crossings = messages(g, FindingKind::Crossing);
    ASSERT_EQ(crossings.size(), 3u) << render_text(g);
    EXPECT_EQ(crossings[2], fmt::format("C holds a Rust Payload at {0} through struct holder at "
                                        "{1}: payload (void *, pointer {0}); no Rust owner "
                                        "claims it in the graph",
                                        hex(raw2), hex(holder.address)));
}

// A trait object's pointee type (`dyn Speak`) says nothing of what it holds: the concrete
// value is walked.
// A lock met twice, inside the struct that embeds it and through a pointer into that struct's
// middle (a kernel `struct device` inside a `struct serio`, and a `struct device *` to it), is
// one site and one finding. A held spinlock in a struct with no pointer (its state an integer)
// is found too: the walk does not skip its struct.
TEST_P(OwnGraph, ALockReachedTwiceIsReportedOnce) {
    Root holder;
    holder.kind = NodeKind::Static;
    holder.label = holder.name = "c_serio_holder";
    holder.value = Value::at(info->find_type("serio_holder"), at("c_serio_holder"));
    Graph g = graph({holder});
    const Field* mutex = find_field(strip(info->find_type("device")), "mutex");
    const Field* spin = find_field(strip(info->find_type("counters")), "lock");
    ASSERT_TRUE(mutex && spin);
    const uint64_t m = at("serio.dev") + mutex->offset;
    const uint64_t s = at("serio.counters") + spin->offset;
    const auto held = messages(g, FindingKind::LockHeld);
    ASSERT_EQ(held.size(), 2u) << render_text(g);
    EXPECT_EQ(held[0], fmt::format("struct mutex at {} (struct serio at {}: dev.mutex) is locked: "
                                   "no guard holding it was found in the graph",
                                   hex(m), hex(m - mutex->offset - 8)))
        << render_text(g);
    EXPECT_EQ(held[1], fmt::format("struct spinlock at {} (struct counters at {}: lock) is "
                                   "locked: no guard holding it was found in the graph",
                                   hex(s), hex(s - spin->offset)))
        << render_text(g);
    ASSERT_EQ(g.sites.size(), 2u);
    EXPECT_EQ(g.sites[0].address, m);
    EXPECT_EQ(g.sites[1].address, s);
}

TEST_P(OwnGraph, BoxedTraitObjectsAreWalked) {
    Graph g = graph({scene("dyn", "DynScene")});
    ASSERT_EQ(g.edges.size(), 2u) << render_text(g);
    EXPECT_EQ(g.edges[0].path, "dyn.d");
    EXPECT_EQ(g.edges[0].kind, EdgeKind::Owns);
    EXPECT_EQ(g.edges[1].path, "*.inner");
    EXPECT_EQ(g.edges[1].type_name, "Box<u32>");
    EXPECT_EQ(g.edges[1].from, g.edges[0].to);
}

TEST_P(OwnGraph, HeldWithNoGuardSaysSo) {
    Graph g = graph({scene("forgotten", "ForgottenScene")});
    const uint64_t m = at("forgotten.mutex"), c = at("forgotten.cell");
    EXPECT_EQ(messages(g, FindingKind::LockHeld),
              std::vector<std::string>{fmt::format(
                  "Mutex<u32> at {} (in ArcInner<Mutex<u32>> at {}) is locked: no guard holding "
                  "it was found in the graph",
                  hex(m), hex(inner_of(m)))})
        << render_text(g);
    EXPECT_EQ(messages(g, FindingKind::WriterAlive),
              std::vector<std::string>{fmt::format(
                  "RefCell<u32> at {} (in RcInner<RefCell<u32>> at {}) is writing: no RefMut "
                  "holding it was found in the graph",
                  hex(c), hex(inner_of(c)))});
    EXPECT_EQ(g.findings.size(), 2u);
}

TEST_P(OwnGraph, UnaccountedOnlyForWholeProcessGraphs) {
    // C's leaked clone is not handed in: one strong reference is not found.
    Limits whole;
    whole.whole_process = true;
    Graph g = graph({scene("cross", "CrossScene")}, whole);
    const uint64_t arc = at("cross.arc");
    EXPECT_EQ(messages(g, FindingKind::Unaccounted),
              std::vector<std::string>{fmt::format(
                  "ArcInner<Payload> at {}: strong count 2, 1 strong reference found ({}: "
                  "cross.arc (Arc strong 2)): 1 unaccounted",
                  hex(inner_of(arc)), kMain)})
        << render_text(g);
    EXPECT_TRUE(graph({scene("cross", "CrossScene")}).findings.empty());
    // With C's static handed in, the crossing accounts for it.
    EXPECT_TRUE(
        messages(graph({scene("cross", "CrossScene"), c_static()}, whole), FindingKind::Unaccounted)
            .empty());
}

TEST_P(OwnGraph, WhyAliveGivesTheChainsFromTheRoots) {
    Graph g = graph({scene("cycle", "CycleScene"), scene("list", "ListScene")});
    NodeId b = *node_at(g, at("cycle.b"));
    auto chains = why_alive(g, b);
    ASSERT_EQ(chains.size(), 1u);
    EXPECT_EQ(chain_text(g, chains[0]),
              fmt::format("{}: cycle.a (Rc strong 2) → *.next.value.0 (Rc strong 1) → "
                          "RcInner<Node> at {}",
                          kMain, hex(inner_of(at("cycle.b")))));
    // The third node of the list: the head's Box, then two `next`s.
    NodeId n = 0;
    for (const Edge& e : g.edges)
        if (e.path == "list.head.0") n = e.to;
    for (int i = 0; i < 2; ++i)
        for (const Edge& e : g.edges)
            if (e.from == n && e.path == "*.next.0") {
                n = e.to;
                break;
            }
    chains = why_alive(g, n);
    ASSERT_EQ(chains.size(), 1u);
    EXPECT_EQ(chain_text(g, chains[0]),
              fmt::format("{}: list.head.0 (Box) → *.next.0 (Box) → *.next.0 (Box) → ListNode "
                          "at {}",
                          kMain, hex(g.nodes[n].address)));
    // Shortest first, one per root edge: the Arc in the frame and C's leaked clone.
    Graph x = graph({scene("cross", "CrossScene"), c_static()});
    auto two = why_alive(x, *node_at(x, at("cross.arc")));
    ASSERT_EQ(two.size(), 2u);
    EXPECT_EQ(chain_text(x, two[0]),
              fmt::format("{}: cross.arc (Arc strong 2) → ArcInner<Payload> at {}", kMain,
                          hex(inner_of(at("cross.arc")))));
    EXPECT_EQ(chain_text(x, two[1]),
              fmt::format("static c_holder: c_holder.shared (crossing, const void *) → "
                          "ArcInner<Payload> at {}",
                          hex(inner_of(at("cross.arc")))));
    // A raw pointer keeps nothing alive.
    EXPECT_TRUE(why_alive(x, *node_at(x, at("cross.raw"))).size() == 1u);
    EXPECT_TRUE(why_alive(x, 0).empty()); // a frame is a root
}

// Every way counts: an Rc shared by two locals and by three elements of one Vec is alive through
// five chains, the Vec's three from one root edge, each through its own element.
TEST_P(OwnGraph, WhyAliveGivesEveryChainNotOnePerRootEdge) {
    Graph g = graph({scene("shared", "SharedScene")});
    NodeId payload = *node_at(g, at("shared.payload"));
    std::vector<std::string> texts;
    for (const Chain& c : why_alive(g, payload)) texts.push_back(chain_text(g, c));
    std::string inner = hex(inner_of(at("shared.payload")));
    EXPECT_EQ(texts,
              (std::vector<std::string>{
                  fmt::format("{}: shared.a (Rc strong 5) → RcInner<Payload> at {}", kMain, inner),
                  fmt::format("{}: shared.b (Rc strong 5) → RcInner<Payload> at {}", kMain, inner),
                  fmt::format("{}: shared.more (Vec) → [0] (Rc strong 5) → RcInner<Payload> at {}",
                              kMain, inner),
                  fmt::format("{}: shared.more (Vec) → [1] (Rc strong 5) → RcInner<Payload> at {}",
                              kMain, inner),
                  fmt::format("{}: shared.more (Vec) → [2] (Rc strong 5) → RcInner<Payload> at {}",
                              kMain, inner)}));
    // Bounded: the shortest first, and each root edge's shortest kept, however many there are.
    std::vector<Chain> three = why_alive(g, payload, 3);
    ASSERT_EQ(three.size(), 3u);
    EXPECT_EQ(chain_text(g, three[2]), texts[2]);
    std::vector<Chain> one = why_alive(g, payload, 1);
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(chain_text(g, one[0]), texts[0]);
}

// Every edge that keeps a node alive, not only the shortest chain: the graph view colours them.
TEST_P(OwnGraph, KeepAliveEdgesIncludeTheWholeCycle) {
    Graph g = graph({scene("cycle", "CycleScene"), scene("list", "ListScene")});
    NodeId b = *node_at(g, at("cycle.b"));
    std::vector<std::string> keep;
    for (EdgeId e : keep_alive_edges(g, b))
        keep.push_back(fmt::format("{} {}", g.edges[e].path, edge_kind_name(g.edges[e].kind)));
    // The variable, then both halves of the cycle (which is why it outlives the variable);
    // not the names' String buffers, not the list.
    EXPECT_EQ(keep, (std::vector<std::string>{"cycle.a shares", "*.next.value.0 shares",
                                              "*.next.value.0 shares"}));
    EXPECT_TRUE(keep_alive_edges(g, 0).empty()); // a frame is a root
    // Drawn for b: those three edges in blue, b's node filled, every node with its SVG id; the
    // plain drawing is unchanged.
    DotFocus focus{b, keep_alive_edges(g, b)};
    std::string dot = render_dot(g, {.node_ids = true, .focus = &focus});
    size_t blue = 0;
    for (size_t at = 0;
         (at = dot.find("color=blue, fontcolor=blue, penwidth=3];", at)) != std::string::npos; ++at)
        ++blue;
    EXPECT_EQ(blue, 3u) << dot;
    EXPECT_NE(dot.find(fmt::format("style=filled, fillcolor=lightyellow, id=\"n{}\"];", b)),
              std::string::npos)
        << dot;
    EXPECT_EQ(render_dot(g), render_dot(g, DotStyle{}));
    EXPECT_EQ(render_dot(g).find("id=\""), std::string::npos);
    // A raw pointer keeps nothing alive; an Arc in the frame and C's crossing both do.
    Graph x = graph({scene("cross", "CrossScene"), c_static()});
    std::vector<EdgeKind> kinds;
    for (EdgeId e : keep_alive_edges(x, *node_at(x, at("cross.arc"))))
        kinds.push_back(x.edges[e].kind);
    EXPECT_EQ(kinds, (std::vector<EdgeKind>{EdgeKind::Shares, EdgeKind::Crossing}));
}

// `seam own *list.head`: the value is memory the graph already holds. Its Box is not a second
// owner, and why it is alive is the frame's chain.
TEST_P(OwnGraph, ExpressionInsideTheGraphCountsNothingTwice) {
    Graph first = graph({scene("list", "ListScene")});
    uint64_t head = 0;
    for (const Edge& e : first.edges)
        if (e.path == "list.head.0") head = e.target;
    ASSERT_NE(head, 0u);
    Root expr;
    expr.kind = NodeKind::Expression;
    expr.label = "*list.head";
    expr.name = "*list.head";
    expr.value = Value::at(info->find_type("own_scenes::ListNode"), head);
    Graph g = graph({scene("list", "ListScene"), expr});
    EXPECT_TRUE(g.findings.empty()) << render_text(g).substr(0, 2000);
    NodeId n = *node_at(g, head);
    EXPECT_EQ(g.nodes[n].kind, NodeKind::Allocation);
    auto chains = why_alive(g, n);
    ASSERT_EQ(chains.size(), 1u);
    EXPECT_EQ(chain_text(g, chains[0]),
              fmt::format("{}: list.head.0 (Box) → ListNode at {}", kMain, hex(head)));
}

TEST_P(OwnGraph, LongListIsCutAtTheNodeLimit) {
    Limits small;
    small.max_nodes = 100;
    Graph g = graph({scene("list", "ListScene")}, small);
    EXPECT_TRUE(g.truncated);
    EXPECT_EQ(g.truncated_reason, "the limit of 100 nodes");
    EXPECT_EQ(g.nodes.size(), 100u);
    EXPECT_EQ(g.edges.size(), 99u);
    EXPECT_TRUE(render_text(g).find("truncated: the limit of 100 nodes\n") != std::string::npos);
    // Whole, it is the frame and 1000 nodes: walked from a queue, never a recursion per node.
    Graph whole = graph({scene("list", "ListScene")});
    EXPECT_FALSE(whole.truncated);
    EXPECT_EQ(whole.nodes.size(), 1001u);
    // A read budget spent is a truncation too, named.
    Budget tiny;
    tiny.max_bytes = 2000;
    Graph cut = graph({scene("list", "ListScene")}, {}, tiny);
    EXPECT_TRUE(cut.truncated);
    EXPECT_TRUE(cut.truncated_reason.starts_with("the Context's budget: <budget: reading "))
        << cut.truncated_reason;
    EXPECT_GE(cut.unreadable, 1u);
}

// A node's own limits leave out the rest of that node only: the walk goes on elsewhere.
TEST_P(OwnGraph, PerNodeLimitsCutOneNode) {
    Limits few;
    few.max_elements_per_node = 6; // children at every level of one node, counted together
    Graph g = graph({scene("cycle", "CycleScene"), scene("shared", "SharedScene")}, few);
    EXPECT_TRUE(g.truncated);
    EXPECT_EQ(g.truncated_reason, "the limit of 6 children in one node");
    // Each Node: `*`, its id, next and prev, next's value, that Option's Rc (6): prev's Weak is
    // left out. The walk goes on: the next root is whole.
    std::vector<std::string> paths;
    for (const Edge& e : g.edges) paths.push_back(e.path);
    EXPECT_EQ(paths, (std::vector<std::string>{"cycle.a", "shared.a", "shared.b", "shared.more",
                                               "shared.big", "*.next.value.0", "[0]", "[1]", "[2]",
                                               "*.next.value.0"}))
        << render_text(g);
    EXPECT_EQ(messages(g, FindingKind::Cycle).size(), 1u);
}

TEST_P(OwnGraph, CycleIsWalkedOnce) {
    Limits limits;
    limits.max_nodes = 10;
    Graph g = graph({scene("cycle", "CycleScene"), scene("cycle", "CycleScene")}, limits);
    EXPECT_FALSE(g.truncated);
    EXPECT_EQ(g.nodes.size(), 3u); // one frame (same label and CFA), two allocations
    EXPECT_EQ(g.edges.size(), 4u); // two roots' Rc, and the two Rcs of the cycle
    EXPECT_EQ(g.findings.size(), 1u);
}

TEST_P(OwnGraph, JsonFollowsItsSchema) {
    std::ifstream in(std::string(SEAM_SOURCE_DIR) + "/docs/own.schema.json");
    nlohmann::json schema = nlohmann::json::parse(in);
    for (auto [n, t] :
         std::vector<std::pair<std::string, std::string>>{{"cycle", "CycleScene"},
                                                          {"weak", "WeakScene"},
                                                          {"double", "DoubleScene"},
                                                          {"conflict", "ConflictScene"},
                                                          {"lock", "LockScene"},
                                                          {"shared", "SharedScene"},
                                                          {"cross", "CrossScene"},
                                                          {"rwlock", "ReadLockScene"},
                                                          {"forgotten", "ForgottenScene"}}) {
        Graph g = graph({scene(n, t), c_static()});
        auto doc = nlohmann::json::parse(render_json(g));
        EXPECT_EQ(e2e::validate_json(schema, doc), std::vector<std::string>{}) << n;
    }
    Graph g = graph({scene("cycle", "CycleScene")});
    auto doc = nlohmann::json::parse(render_json(g));
    EXPECT_EQ(doc["schema"], fmt::format("seam.own/{}", kSchemaVersion));
    const uint64_t a = inner_of(at("cycle.a")), b = inner_of(at("cycle.b"));
    EXPECT_EQ(doc["edges"][0], nlohmann::json::parse(fmt::format(
                                   R"({{"id": 0, "from": 0, "to": 1, "kind": "shares",
                                   "path": "cycle.a", "target": "{}", "type": "Rc<Node>",
                                   "strong": 2, "weak": 0}})",
                                   hex(a))));
    EXPECT_EQ(doc["nodes"][2], nlohmann::json::parse(fmt::format(
                                   R"({{"id": 2, "kind": "allocation", "address": "{0}",
                                   "size": 56, "type": "RcInner<Node>", "language": "rust",
                                   "walked": true, "fact": {{"kind": "shared", "address": "{0}",
                                   "size": 56, "strong": 1, "weak": 0}}}})",
                                   hex(b))));
    EXPECT_EQ(doc["findings"][0]["kind"], "cycle");
    EXPECT_EQ(doc["findings"][0]["nodes"], nlohmann::json::parse("[1, 2]"));
    EXPECT_EQ(doc["findings"][0]["edges"], nlohmann::json::parse("[1, 2]"));
}

TEST_P(OwnGraph, DotDrawsFindingsAndGraphvizReadsIt) {
    Graph g = graph({scene("cycle", "CycleScene"), scene("double", "DoubleScene")});
    std::string dot = render_dot(g);
    const uint64_t a = inner_of(at("cycle.a"));
    EXPECT_TRUE(dot.starts_with("digraph ownership {\n  rankdir=LR;\n")) << dot;
    EXPECT_NE(dot.find("  n0 [label=\"frame #0 own_scenes::main\", shape=folder];\n"),
              std::string::npos)
        << dot;
    EXPECT_NE(dot.find(fmt::format("  n1 [label=\"RcInner<Node>\\n{}\\nstrong 2 weak 0\", "
                                   "color=red, penwidth=2];\n",
                                   hex(a))),
              std::string::npos)
        << dot;
    EXPECT_NE(dot.find("  n0 -> n1 [label=\"cycle.a (strong 2)\", style=solid, color=black, "
                       "fontcolor=black];\n"),
              std::string::npos)
        << dot;
    EXPECT_NE(dot.find("  n1 -> n3 [label=\"*.next.value.0 (strong 1)\", style=solid, "
                       "color=red, fontcolor=red];\n"),
              std::string::npos)
        << dot;
    // Both Boxes of the double owner are red, and bold as owning edges are.
    EXPECT_NE(dot.find(fmt::format("[label=\"{}\", style=bold, color=red, fontcolor=red];\n",
                                   manually_dropped())),
              std::string::npos)
        << dot;
    if (dwarf_test::find_tool("dot").empty()) GTEST_SKIP() << "Graphviz's dot not installed";
    auto path = std::filesystem::temp_directory_path() / fmt::format("seam-own-{}.dot", ::getpid());
    std::ofstream(path) << dot;
    int status = 0;
    std::string out = dwarf_test::run("dot -Tplain " + path.string() + " 2>&1", &status);
    std::filesystem::remove(path);
    EXPECT_EQ(status, 0) << out;
    EXPECT_TRUE(out.starts_with("graph ")) << out;
}

TEST_P(OwnGraph, NodeAtFindsTheSmallestHolder) {
    Graph g = graph({scene("shared", "SharedScene")});
    NodeId payload = *node_at(g, at("shared.payload") + 3);
    EXPECT_EQ(g.nodes[payload].type_name, "RcInner<Payload>");
    EXPECT_FALSE(node_at(g, 8).has_value());
}
INSTANTIATE_TEST_SUITE_P(OptLevels, OwnGraph, ::testing::Values(0, 2),
                         [](const auto& info) { return fmt::format("O{}", info.param); });

} // namespace
} // namespace seam
