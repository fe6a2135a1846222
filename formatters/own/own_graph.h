#pragma once
/// The ownership graph (DESIGN.md, "Ownership facts"; issue 14): who owns what, who shares or
/// borrows it, and who still points at it, built from the ownership facts the formatters
/// attach to every value. Nodes are roots (frames, statics, thread-locals) and the heap
/// allocations reachable from them; edges are the pointers found on the way, each with the
/// field path that holds it. Findings (cycles, double owners, borrow conflicts, crossings, held
/// locks, unaccounted counts) are derived from the graph and name the edges they rest on.
///
/// The engine layer: no LLDB, no Qt. The LLDB layer hands in the roots (a frame's variables, the
/// module's statics) and a Context over the target's memory.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "formatters/core/context.h"
#include "formatters/core/formatted.h"

namespace seam::own {

/// Version of the JSON document (docs/own-schema.md); bump on any incompatible change.
inline constexpr int kSchemaVersion = 1;

enum class NodeKind {
    Frame,       ///< a stack frame: its variables are the roots
    Static,      ///< a static / global variable
    ThreadLocal, ///< a thread-local variable
    Expression,  ///< the value `seam own <expr>` was asked about, when it is not itself a root
    Allocation,  ///< a heap allocation reached through an owning or sharing pointer
    Object,      ///< memory reached only through a borrow, raw or C pointer (not known to be a
                 ///< heap allocation): not walked, except a C struct a C pointer leads to
};

enum class EdgeKind {
    Owns,       ///< Box, Vec/String buffer, hash table, B-tree node…: keeps the target alive
    Shares,     ///< Rc/Arc strong reference: keeps it alive, `strong`/`weak` counts on the edge
    Weak,       ///< rc::Weak / sync::Weak: keeps nothing alive
    Borrows,    ///< &T, Ref, a read guard
    BorrowsMut, ///< &mut T, RefMut, MutexGuard, a write guard
    Raw,        ///< *const T / *mut T / NonNull: not tracked
    C,          ///< a pointer stored in C memory (a field of a C struct, a C local)
    Crossing,   ///< a C pointer to a Rust allocation (Box::into_raw given away, Arc::into_raw)
};

const char* node_kind_name(NodeKind k);
const char* edge_kind_name(EdgeKind k);
/// Whether an edge of this kind keeps its target alive (Owns, Shares, and Crossing: C holding
/// a Rust allocation that it must give back).
bool keeps_alive(EdgeKind k);

using NodeId = uint32_t;
using EdgeId = uint32_t;

struct Node {
    NodeId id = 0;
    NodeKind kind = NodeKind::Allocation;
    uint64_t address = 0;         ///< 0 for a frame (see `frame_cfa`)
    std::optional<uint64_t> size; ///< bytes, where known
    std::string type_name; ///< as seam prints it: `Node` (a Box's), `RcInner<Node>`, `Vec<u64>`
                           ///< (a buffer, by its owner), `struct foo`
    std::string language;  ///< "rust", "c", or empty when unknown
    std::string label;     ///< frames: `#1 own::main`; statics: the name; else empty
    std::optional<uint64_t> frame_cfa; ///< frames: the canonical frame address
    /// Frames: the thread whose stack holds the frame. Of two frames on one stack, the one with
    /// the lower CFA is the younger (the callee).
    std::optional<uint64_t> stack;
    Ownership fact;      ///< the fact of the (first) owner that led here
    bool walked = false; ///< its contents were walked (owned, shared, C objects)
};

struct Edge {
    EdgeId id = 0;
    NodeId from = 0;
    NodeId to = 0;
    EdgeKind kind = EdgeKind::Owns;
    /// Where the pointer sits, from `from`: for a root the variable path (`list.head`), inside
    /// an allocation the path in it from `*` (a Box's or Rc's value: `*.next`) or `[i]` (a
    /// container's element: `[3].next`); map entries are `[i].key` / `[i].value`.
    std::string path;
    uint64_t target = 0;           ///< the address the pointer holds (may be inside `to`)
    std::optional<int64_t> strong; ///< Shares/Weak: the counts read from the allocation
    std::optional<int64_t> weak;
    std::string state;     ///< guards: the state of the cell or lock they hold
    std::string type_name; ///< the pointer's type as seam prints it (`Box<Node>`)
    /// Guards (Ref, RefMut, MutexGuard, RwLock guards): an address inside the RefCell or lock
    /// held (Ownership::guarded); the Site whose bytes contain it is that cell or lock.
    std::optional<uint64_t> guarded;
    /// An owning edge from an older frame (or what it owns) to an allocation that a younger
    /// frame of the same stack owns too: Rust moves ownership down the stack, and the caller's
    /// slot keeps the moved value's bits (DWARF does not say a value was moved). Taken as moved
    /// into the call: no double owner, no chain that keeps the allocation alive; `state` names
    /// the frame it moved to.
    bool moved = false;
};

/// A RefCell, Mutex or RwLock met on the walk that is borrowed or held (idle ones are not kept),
/// where it sits and its state: findings tie the guards (Edge::guarded) to it.
struct Site {
    NodeId node = 0;      ///< the node holding it
    std::string path;     ///< where in that node (`cell`, `*.value.lock`)
    uint64_t address = 0; ///< 0 when the value lives in registers
    uint64_t size = 0;
    OwnKind kind = OwnKind::Cell; ///< Cell (RefCell) or Lock (Mutex, RwLock)
    std::string state;            ///< Ownership::state: "free", "reading 2", "writing", "locked"
    bool poisoned = false;
    std::string type_name; ///< `RefCell<Node>`, `Mutex<Vec<u32>>`
};

enum class FindingKind {
    Cycle,          ///< Rc/Arc cycle of strong edges only: leaked
    DoubleOwner,    ///< two owning edges on one allocation
    BorrowConflict, ///< a RefCell mutably borrowed while a shared borrow of its value is live
    WriterAlive,    ///< a RefCell's writer guard (RefMut) still alive
    Crossing,       ///< a Rust allocation held by C
    Unaccounted,    ///< (process graphs only) strong count above the references found
    LockHeld,       ///< a Mutex/RwLock whose guard is held, and by which frame
};
const char* finding_kind_name(FindingKind k);

struct Finding {
    FindingKind kind = FindingKind::Cycle;
    std::string message;       ///< one line, naming the facts: paths, addresses, counts
    std::vector<NodeId> nodes; ///< the members (a cycle's allocations, the owned allocation…)
    std::vector<EdgeId> edges; ///< the edges the finding rests on
};

/// A root handed in by the front end. An Expression root shows what its value holds, but its
/// edges count for no finding (its value is usually memory the graph already holds, whose
/// pointers would count twice) and its memory holds no borrow's target.
struct Root {
    NodeKind kind = NodeKind::Frame;   ///< Frame, Static, ThreadLocal or Expression
    std::string label;                 ///< the node's label: `#0 own::main`, `own::REGISTRY`
    std::optional<uint64_t> frame_cfa; ///< roots of one frame share one node (by label + cfa)
    std::optional<uint64_t> stack;     ///< frames: the thread whose stack holds the frame
    std::string name;                  ///< the variable (or expression) name, first step of paths
    Value value;
};

struct Limits {
    uint64_t max_nodes = 4'000'000;
    uint64_t max_edges = 16'000'000;
    /// Nesting of values inside one node, and children looked at inside one node: past them the
    /// rest of that node is left out (the graph is `truncated`) and the walk goes on. Past
    /// max_nodes, max_edges or the Context's budget the walk ends.
    unsigned max_depth = 64;
    uint64_t max_elements_per_node = 1ull << 24;
    /// `--process`: every root of the process was handed in, so a strong count above the
    /// references found is reported (as "N unaccounted").
    bool whole_process = false;
};

/// A value the walk could not follow to its end, with the marked error that stopped it: a
/// LinkedList whose links loop or run past its `len`, a B-tree whose edges lead back to a node.
/// What was found before the error stays in the graph.
struct GraphError {
    NodeId node = 0;  ///< the node holding the value
    std::string path; ///< where in it (`list`, `*.children`)
    std::string text; ///< the marker: `<invalid: cycle: node 3 at 0x55… was already visited>`
};

struct Graph {
    /// Deques: a million nodes are added one by one, and never moved once added.
    std::deque<Node> nodes;
    std::deque<Edge> edges;
    std::vector<Finding> findings;
    std::vector<Site> sites;        ///< cells and locks met on the walk, borrowed or held
    bool truncated = false;         ///< a limit or the Context's budget was reached
    std::string truncated_reason;   ///< which one, for the user (the first limit reached)
    uint64_t unreadable = 0;        ///< values skipped because they could not be read or formatted
    std::vector<GraphError> errors; ///< node-based collections whose walk ended on an error
};

/// Walks every root's value with the Context's formatters and records the nodes and edges its
/// ownership facts describe; an owned or shared allocation is walked once however many point at
/// it, breadth first (shortest chains first; a long list never recurses). Values of types that
/// can hold neither a pointer nor a cell or lock are never formatted. Borrow, raw and C pointers
/// are resolved after the walk to the smallest node holding their target (an object node made
/// where none does: these come on top of `max_nodes`). Stops at the Limits or when the Context's
/// budget is spent (`truncated`, with the reason). Makes no summaries, keeps no
/// Context::allocations() and reads ahead at most 64 KiB at once (both settings are restored
/// after); a small allocation is read with the aligned 2 KiB around it. Fills `findings`. Never
/// throws; a value that cannot be read is skipped and counted (`unreadable`), never guessed.
Graph build_graph(Context& ctx, const std::vector<Root>& roots, const Limits& limits = {});

/// Fills `g.findings` from the graph (build_graph calls it).
void find_problems(Graph& g, const Limits& limits);

/// One chain of keeping-alive edges from a root to a node, root first.
struct Chain {
    std::vector<EdgeId> edges;
};
/// Why `node` is alive: up to `max_chains` chains of Owns/Shares/Crossing edges that lead to it
/// from roots (frames, statics, thread-locals), shortest first. Every way counts: each chain
/// passes a node at most once and differs from the others by an edge (a Vec holding two clones
/// of one Rc keeps its allocation alive through `[0]` and through `[1]`). The shortest chain of
/// each root edge (a variable, a static's field) from which the node can be reached is always
/// among them, however long. Empty for a root, and for a node nothing keeps alive (only
/// borrowed, raw or weak pointers lead to it).
std::vector<Chain> why_alive(const Graph& g, NodeId node, size_t max_chains = 8);
/// Every Owns/Shares/Crossing edge on some way from a root to `node`: what would have to go for
/// it to be freed (a cycle through it included, which is why a leaked cycle lives on). Sorted;
/// empty for a root and for a node nothing keeps alive.
std::vector<EdgeId> keep_alive_edges(const Graph& g, NodeId node);
/// `frame #0 own::main: list.head (Box) → *.next (Rc strong 2) → Node at 0x55…`: the root,
/// then each edge's path and kind, then the node reached; one chain on one line.
std::string chain_text(const Graph& g, const Chain& c);

/// The node holding `address` (a node's [address, address+size)), the smallest where several
/// do (an Expression node only where no other does), or nullopt.
std::optional<NodeId> node_at(const Graph& g, uint64_t address);

/// `frame #1 own::main: list: <invalid: cycle: ...>`: where a collection's walk ended, and why.
std::string error_text(const Graph& g, const GraphError& e);

/// How findings and chains name a node: `frame #0 own::main`, `static own::REGISTRY`,
/// `Node at 0x55d0c0de0010`.
std::string node_text(const Graph& g, NodeId n);

/// Output formats. The text and JSON forms are the user's; DOT for Graphviz and `--svg`.
std::string render_text(const Graph& g);
std::string render_json(const Graph& g); ///< docs/own-schema.md, version kSchemaVersion
std::string render_dot(const Graph& g);

/// How render_dot draws for a viewer. `node_ids`: each node carries `id="nN"` (its NodeId), the
/// id of its group in Graphviz's SVG, so that a click can be told which node it hit. `focus`:
/// one value's view (`edges`: keep_alive_edges of `focus->node`): those edges and their nodes
/// drawn in blue, the value's node filled, everything else greyed.
struct DotFocus {
    NodeId node = 0;
    std::vector<EdgeId> edges;
};
struct DotStyle {
    bool node_ids = false;
    const DotFocus* focus = nullptr;
};
std::string render_dot(const Graph& g, const DotStyle& style);

} // namespace seam::own
