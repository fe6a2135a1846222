// The ownership graph of std's linked collections (formatters/own, issue 14): a LinkedList's
// and a BTreeMap's nodes are allocations of their own, with the edges their owners and their
// elements give them, and corrupt ones end in a marked error (tests/engine/own_scenes.rs).
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "formatters/own/own_graph.h"
#include "tests/engine/own_graph_fixture.h"

namespace seam {
namespace {

using namespace own_graph_test;
using namespace own;

// The nodes of a collection whose node type is named `prefix…`, and the edges into them.
struct Nodes {
    std::vector<NodeId> ids;
    uint64_t bytes = 0;
};
Nodes nodes_named(const Graph& g, const std::string& prefix) {
    Nodes out;
    for (const Node& n : g.nodes)
        if (n.kind == NodeKind::Allocation && n.type_name.starts_with(prefix)) {
            out.ids.push_back(n.id);
            out.bytes += n.size.value_or(0);
        }
    return out;
}
std::vector<const Edge*> edges_into(const Graph& g, NodeId n) {
    std::vector<const Edge*> out;
    for (const Edge& e : g.edges)
        if (e.to == n) out.push_back(&e);
    return out;
}
std::vector<const Edge*> edges_out_of(const Graph& g, NodeId n) {
    std::vector<const Edge*> out;
    for (const Edge& e : g.edges)
        if (e.from == n) out.push_back(&e);
    return out;
}

// A LinkedList and a B-tree are one allocation per node, not one: each is a node of the graph,
// as many and as large as the program's own allocator counted (own_scenes.rs counts them while
// it builds each collection from values made before), owned as Rust owns them, and each
// element's own pointers lead out of the node that holds it.
TEST_P(OwnGraph, ListAndTreeNodesAreAllocationsOfTheirOwn) {
    Graph g = graph({scene("collections", "CollectionScene")});
    EXPECT_FALSE(g.truncated) << g.truncated_reason;
    EXPECT_TRUE(g.errors.empty()) << render_text(g);
    EXPECT_TRUE(g.findings.empty()) << render_text(g);
    // A whole graph's drawing has no caption: nothing was left out.
    EXPECT_EQ(render_dot(g).find("\n  label="), std::string::npos);

    // The list owns every node, node i as `list[i]`; node i holds element i, a Box<u64>.
    Nodes list = nodes_named(g, "Node<Box<u64>");
    ASSERT_EQ(list.ids.size(), at("collections.list.allocations")) << render_text(g);
    EXPECT_EQ(list.bytes, at("collections.list.bytes"));
    for (size_t i = 0; i < list.ids.size(); ++i) {
        auto in = edges_into(g, list.ids[i]);
        ASSERT_EQ(in.size(), 1u);
        EXPECT_EQ(in[0]->from, 0u);
        EXPECT_EQ(in[0]->kind, EdgeKind::Owns);
        EXPECT_EQ(in[0]->path, fmt::format("collections.list[{}]", i));
        auto out = edges_out_of(g, list.ids[i]);
        ASSERT_EQ(out.size(), 1u);
        EXPECT_EQ(out[0]->path, "element");
        EXPECT_EQ(g.nodes[out[0]->to].type_name, "u64");
        EXPECT_EQ(g.nodes[out[0]->to].size, 8u);
        // Why element i's Box is alive: through node i, which the list owns, not through the
        // `next` links of the nodes before it.
        auto chains = why_alive(g, out[0]->to);
        ASSERT_EQ(chains.size(), 1u);
        EXPECT_EQ(chain_text(g, chains[0]),
                  fmt::format("{}: collections.list[{}] (LinkedList) → element (Box) → u64 at {}",
                              kMain, i, hex(g.nodes[out[0]->to].address)));
    }

    // The tree: its root owned through the map's `root`, each other node through its parent's
    // `edges[i]`, every value (an Rc) shared out of the node that holds it.
    for (const auto& [name, leaf, internal, values] :
         {std::tuple{std::string("map"), std::string("LeafNode<u32, Rc<Payload"),
                     std::string("InternalNode<u32, Rc<Payload"), 30u},
          std::tuple{std::string("set"), std::string("LeafNode<Box<u32>"),
                     std::string("InternalNode<Box<u32>"), 40u}}) {
        Nodes leaves = nodes_named(g, leaf), inner = nodes_named(g, internal);
        EXPECT_EQ(leaves.ids.size() + inner.ids.size(), at("collections." + name + ".allocations"))
            << name << "\n"
            << render_text(g);
        EXPECT_EQ(leaves.bytes + inner.bytes, at("collections." + name + ".bytes")) << name;
        ASSERT_EQ(inner.ids.size(), 1u) << name; // 30 and 40 sorted keys: height 1
        std::vector<NodeId> tree = inner.ids;
        tree.insert(tree.end(), leaves.ids.begin(), leaves.ids.end());
        size_t root_edges = 0, child_edges = 0, element_edges = 0;
        std::set<uint64_t> children;
        for (NodeId n : tree) {
            for (const Edge* e : edges_into(g, n)) {
                EXPECT_EQ(e->kind, EdgeKind::Owns);
                if (e->from == 0) {
                    ++root_edges;
                    EXPECT_EQ(e->path,
                              name == "map" ? "collections.map.root" : "collections.set.map.root");
                    EXPECT_EQ(n, inner.ids[0]);
                } else {
                    ++child_edges;
                    EXPECT_EQ(e->from, inner.ids[0]);
                    EXPECT_TRUE(e->path.starts_with("edges[")) << e->path;
                    children.insert(e->path.size());
                }
            }
            const bool is_inner = n == inner.ids[0];
            for (const Edge* e : edges_out_of(g, n)) {
                if (is_inner && e->path.starts_with("edges[")) continue;
                ++element_edges;
                std::string field = name == "map" ? "vals[" : "keys[";
                EXPECT_TRUE(e->path.starts_with(is_inner ? "data." + field : field)) << e->path;
                EXPECT_EQ(e->kind, name == "map" ? EdgeKind::Shares : EdgeKind::Owns);
                EXPECT_EQ(g.nodes[e->to].type_name, name == "map" ? "RcInner<Payload>" : "u32");
            }
        }
        EXPECT_EQ(root_edges, 1u) << name;
        EXPECT_EQ(child_edges, leaves.ids.size()) << name;
        EXPECT_EQ(element_edges, values) << name;
    }

    // Why a value is alive: the chain runs through the tree's nodes, each step a field.
    Nodes rcs = nodes_named(g, "RcInner<Payload>");
    ASSERT_EQ(rcs.ids.size(), 30u);
    static const std::regex chain(
        "frame #0 own_scenes::main: collections\\.map\\.root \\(BTreeMap\\) → edges\\[\\d+\\] "
        "\\(BTreeMap\\) → vals\\[\\d+\\] \\(Rc strong 1\\) → RcInner<Payload> at 0x[0-9a-f]+");
    size_t through_leaves = 0;
    for (NodeId n : rcs.ids) {
        auto chains = why_alive(g, n);
        ASSERT_EQ(chains.size(), 1u);
        if (chains[0].edges.size() == 3) {
            ++through_leaves;
            EXPECT_TRUE(std::regex_match(chain_text(g, chains[0]), chain))
                << chain_text(g, chains[0]);
        }
    }
    size_t in_root = 0;
    for (const Edge* e : edges_out_of(g, nodes_named(g, "InternalNode<u32").ids.at(0)))
        if (e->path.starts_with("data.vals[")) ++in_root;
    EXPECT_EQ(through_leaves, 30u - in_root);
}

// Corrupted node-based collections end, each with the marked error that stopped its walk and
// the nodes found before it: a list of 20,000 whose tail links back to its head (its len says
// 2^40, so formatting it checks nothing first), a list of 3 whose len says 2^40, and a tree
// whose root's last edge leads back to the root.
TEST_P(OwnGraph, CorruptListsAndTreesEndInAMarkedError) {
    Graph g = graph({scene("corrupt", "CorruptCollections")});
    ASSERT_EQ(g.errors.size(), 3u) << render_text(g);
    EXPECT_EQ(g.unreadable, 3u);
    Nodes looped = nodes_named(g, "Node<u64"), tree = nodes_named(g, "LeafNode<u64, u64");
    Nodes inner = nodes_named(g, "InternalNode<u64, u64");
    EXPECT_EQ(looped.ids.size(), 20'003u); // 20,000, then the short list's 3
    EXPECT_EQ(inner.ids.size(), 1u);
    EXPECT_EQ(tree.ids.size(), 1u); // the first leaf; the last edge is the root
    uint64_t head = g.nodes[looped.ids[0]].address;
    EXPECT_TRUE(g.errors[0].path.starts_with("corrupt.looped")) << g.errors[0].path;
    EXPECT_EQ(g.errors[0].text,
              fmt::format("<invalid: cycle: node 20000 at {} was already visited>", hex(head)));
    EXPECT_TRUE(g.errors[1].path.starts_with("corrupt.short")) << g.errors[1].path;
    EXPECT_EQ(g.errors[1].text, "<invalid: list ends after 3 of 1099511627776 nodes>");
    EXPECT_TRUE(g.errors[2].path.starts_with("corrupt.tree")) << g.errors[2].path;
    EXPECT_EQ(g.errors[2].text, fmt::format("<invalid: B-tree node at {} is reached twice>",
                                            hex(g.nodes[inner.ids[0]].address)));
    std::string text = render_text(g);
    EXPECT_NE(
        text.find(fmt::format("\nerror: {}: {}: {}\n", kMain, g.errors[1].path, g.errors[1].text)),
        std::string::npos)
        << text;
    // A budget too small for the long list ends it with the budget's marker, and the graph says
    // it was cut there.
    Budget small;
    small.max_elements = 1000;
    Graph cut = graph({scene("corrupt", "CorruptCollections")}, {}, small);
    ASSERT_FALSE(cut.errors.empty());
    EXPECT_TRUE(cut.errors[0].text.starts_with("<budget: ")) << cut.errors[0].text;
    EXPECT_TRUE(cut.truncated);
    EXPECT_LE(nodes_named(cut, "Node<u64").ids.size(), 1000u);
    // The drawings say what they leave out, as the text does: the limit, then each walk's error.
    std::string cut_text = render_text(cut), cut_dot = render_dot(cut);
    EXPECT_NE(cut_text.find("\ntruncated: " + cut.truncated_reason + "\n"), std::string::npos)
        << cut_text;
    EXPECT_TRUE(cut.truncated_reason.starts_with("the Context's budget: <budget: "))
        << cut.truncated_reason;
    EXPECT_NE(cut_dot.find("\n  label=\"truncated: " + cut.truncated_reason + "\\n"),
              std::string::npos)
        << cut_dot;
    std::string dot = render_dot(g);
    for (const GraphError& e : g.errors)
        EXPECT_NE(dot.find("\\nerror: " + error_text(g, e) + "\\n"), std::string::npos) << dot;
}

} // namespace
} // namespace seam
