// build_graph: the walk over the roots' values. Every value is formatted once and its ownership
// fact read: an owned or shared allocation becomes a node whose contents are walked once, later
// (a queue, so that a million-node linked list never recurses a million deep); borrows, raw and
// C pointers become edges whose targets are found after the walk (own_resolve.cpp), when every
// allocation is known. Values of types that can hold neither a pointer nor a cell or lock are
// never formatted: a Vec<u64> of a million elements costs its header.
#include <algorithm>
#include <deque>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "formatters/c/c_parts.h"
#include "formatters/own/own_build.h"
#include "formatters/rust/rust_layout.h"
#include "formatters/rust/rust_std_support.h"

namespace seam::own {
namespace {

constexpr uint64_t kPage = 1024;             ///< children asked for at once
constexpr uint64_t kReadChunk = 64ull << 10; ///< the most read ahead at once
constexpr uint64_t kWholeAllocation = 4096;  ///< allocations read whole before their walk
/// A small allocation is read with the aligned block around it: neighbours on the heap (a
/// list's nodes, allocated one after another) then cost one read a block, not one each. The
/// block never crosses a page, so it is readable wherever the allocation is; it stays below the
/// Context's small-block size, among the blocks kept for small values.
constexpr uint64_t kNeighbourhood = 2048;

std::string join(const std::string& path, const std::string& label) {
    if (path.empty()) return label;
    if (label.starts_with("[")) return path + label;
    return path + "." + label;
}

// Whether any value of `t` can hold a pointer, or a cell or lock (an UnsafeCell, or a type whose
// formatter reads such a state: a C spinlock is an integer) whose state the findings read.
// Pointers are not followed: a recursive type recurses only through one.
class Worth {
public:
    explicit Worth(const Registry& registry) : m_registry(registry) {}
    bool operator()(const Type* t) {
        t = strip(t);
        if (!t) return false;
        auto it = m_memo.find(t);
        if (it != m_memo.end()) return it->second;
        m_memo[t] = true; // a type seen again while being decided (corrupt DWARF): say yes
        bool r = decide(*t);
        m_memo[t] = r;
        return r;
    }

private:
    bool decide(const Type& t) {
        switch (t.kind) {
        case TypeKind::Pointer:
            return true;
        case TypeKind::Array:
            return (*this)(t.target);
        case TypeKind::Struct:
        case TypeKind::Union: {
            if (rust_std::is_path(t, "core::cell::UnsafeCell")) return true;
            if (const Formatter* f = m_registry.find(&t); f && f->reads_state()) return true;
            for (const auto& f : t.fields)
                if ((*this)(f.type)) return true;
            if (t.variant_part)
                for (const auto& v : t.variant_part->variants)
                    if ((*this)(v.member.type)) return true;
            return false;
        }
        default:
            return false;
        }
    }
    const Registry& m_registry;
    std::unordered_map<const Type*, bool> m_memo;
};

// An allocation whose contents wait for their turn: what its children need of the owner's
// Formatted (the owner is not formatted twice, nor its strings kept).
struct Work {
    NodeId node = 0;
    Value owner; ///< the owning value (a C object: the object itself)
    const Formatter* formatter = nullptr;
    Shape shape = Shape::Leaf;
    uint64_t count = 0;
    bool c_memory = false; ///< a C object: its contents are C memory, walked from `owner`
    bool follow_c = false; ///< C objects its C pointers lead to are walked too (the C side)
    /// A node-based collection held in `node` at `path`: its formatter's parts (one allocation
    /// per list or tree node) become nodes of their own, owned as the collection owns them.
    bool parts = false;
    std::string path;
    std::string type_name; ///< the collection's, for the edges it owns its nodes by
};

class Builder {
public:
    Builder(Context& ctx, const Limits& limits, Graph& g) : m_ctx(ctx), m_limits(limits), m_g(g) {}

    void root(const Root& r) {
        NodeId n = root_node(r);
        const Type* t = strip(r.value.type);
        // A borrow of a local is a borrow of its frame. An expression's value is no place of
        // its own: it lives wherever it lives (often inside an allocation of the graph).
        if (r.kind != NodeKind::Expression && r.value.address && t && t->has_size)
            m_state.ranges.push_back({*r.value.address, t->size, n});
        uint64_t elements = 0;
        m_follow_c = language_of(t) == "c";
        walk(r.value, n, r.name, 0, m_follow_c, 0, elements);
    }

    void drain() {
        while (!m_queue.empty() && !stopped()) {
            Work w = std::move(m_queue.front());
            m_queue.pop_front();
            if (w.parts) {
                walk_parts(w);
                continue;
            }
            uint64_t elements = 0;
            m_follow_c = w.follow_c;
            Node& n = m_g.nodes[w.node];
            uint64_t self = n.address;
            // The allocation is read as one piece: its fields are then read from that copy, not
            // one round trip each (a list node's `next` is read by the Option, then the Box).
            if (n.size && *n.size > 0) {
                uint64_t begin = n.address & ~(kNeighbourhood - 1);
                if (n.address + *n.size - begin <= kNeighbourhood)
                    m_ctx.prefetch(begin, begin + kNeighbourhood, true);
                else
                    m_ctx.prefetch(n.address, n.address + *n.size, *n.size <= kWholeAllocation);
            }
            if (w.c_memory) {
                walk(w.owner, w.node, "", 0, true, 0, elements);
                continue;
            }
            Formatted f;
            f.formatter = w.formatter;
            f.shape = w.shape;
            f.count = w.count;
            f.value = std::move(w.owner);
            walk_children(f, w.node, "", 0, false, self, elements);
        }
        if (!m_queue.empty() && !m_g.truncated) stop("the walk stopped with nodes left");
    }

    BuildState& state() { return m_state; }

private:
    bool stopped() const { return m_stopped; }
    // A limit of one node: the rest of that node is left out, the walk goes on.
    void cut(std::string reason) {
        if (!m_g.truncated) m_g.truncated_reason = std::move(reason);
        m_g.truncated = true;
    }
    // A limit of the whole graph, or the budget spent: the walk ends.
    void stop(std::string reason) {
        cut(std::move(reason));
        m_stopped = true;
    }
    // A budget marker means the Context is spent: nothing more can be read.
    // A budget marker (`<budget: ...>`, bare or inside `<error: ...>`) means the Context is
    // spent: nothing more can be read, and the graph is cut there.
    void unreadable(const std::string& text) {
        ++m_g.unreadable;
        if (text.find("<budget:") != std::string::npos)
            stop("the Context's budget: " + text.substr(text.find("<budget:")));
        else if (m_ctx.usage().bytes >= m_ctx.budget().max_bytes)
            stop(fmt::format("the Context's budget of {} bytes read is spent",
                             m_ctx.budget().max_bytes));
    }

    // A formatter's ready-made leaf: a value (`false`, `"<locked>"`) or a child it could not
    // read (`<error: ...>`, `<invalid: ...>`, `<budget: ...>`), which is counted.
    void synthetic(const std::string& text) {
        if (text.starts_with("<error") || text.starts_with("<invalid") ||
            text.starts_with("<budget"))
            unreadable(text);
    }

    // Nodes and edges the walk adds, within the limits.
    template <class T>
    uint32_t add_within(std::deque<T>& list, T&& item, uint64_t limit, const char* what) {
        if (list.size() >= limit) {
            stop(fmt::format("the limit of {} {}", limit, what));
            return ~uint32_t(0);
        }
        return append_with_id(list, std::move(item));
    }
    NodeId add_node(Node&& n) {
        return add_within(m_g.nodes, std::move(n), m_limits.max_nodes, "nodes");
    }
    EdgeId add_edge(Edge&& e) {
        return add_within(m_g.edges, std::move(e), m_limits.max_edges, "edges");
    }

    NodeId root_node(const Root& r) {
        std::string key = fmt::format("{}|{}|{}", int(r.kind), r.label, r.frame_cfa.value_or(0));
        bool shared = r.kind == NodeKind::Frame;
        if (shared) {
            auto it = m_frames.find(key);
            if (it != m_frames.end()) return it->second;
        }
        Node n;
        n.kind = r.kind;
        n.label = r.label;
        n.frame_cfa = r.frame_cfa;
        n.stack = r.stack;
        n.language = language_of(r.value.type);
        if (r.kind != NodeKind::Frame) {
            const Type* t = strip(r.value.type);
            n.address = r.value.address.value_or(0);
            if (t && t->has_size) n.size = t->size;
            n.type_name = type_label(r.value.type);
        }
        n.walked = true;
        // Roots are never refused: the limit counts what the walk adds.
        NodeId id = append_with_id(m_g.nodes, std::move(n));
        if (shared) m_frames[key] = id;
        return id;
    }

    // The node of the allocation at `address`, made on first sight.
    NodeId allocation(const Formatted& f, const Value& owner) {
        if (auto known = m_state.by_address.find(f.own.address)) {
            Node& n = m_g.nodes[*known];
            if (n.kind == NodeKind::Object) { // first met through a C pointer: now known owned
                n.kind = NodeKind::Allocation;
                n.fact = f.own;
            }
            return *known;
        }
        Node n;
        n.kind = NodeKind::Allocation;
        n.address = f.own.address;
        n.size = f.own.size;
        n.fact = f.own;
        n.type_name = content_name(f, owner);
        n.language = language_of(owner.type);
        NodeId id = add_node(std::move(n));
        if (id != kNoNode) m_state.by_address.set(f.own.address, id);
        return id;
    }

    // What the allocation is: Box<T> holds a T, Rc<T> and Arc<T> an RcInner<T> / ArcInner<T>
    // (the counts, then the T); a container's buffer is named by its owner (`Vec<u64>`).
    std::string content_name(const Formatted& f, const Value& owner) {
        if (f.own.length)
            if (auto sized = slice_content_name(owner, *f.own.length)) return *sized;
        if (f.shape == Shape::Transparent || f.own.kind == OwnKind::Shared) {
            const Type* inner = strip(rust_std::pointee_of(owner));
            // An Rc<str>'s RcInner<str>: a str has no sized twin to name it by, as a slice has.
            if (!inner && f.own.kind == OwnKind::Shared)
                inner = strip(rust_std::str_data_target(owner));
            if (inner && inner->kind != TypeKind::Void) {
                // Spelled once per type: a million Box<Node> have one name.
                auto [it, fresh] = m_labels.try_emplace(inner);
                if (fresh) it->second = type_label(inner);
                return it->second;
            }
        }
        return f.type_name;
    }

    // An unsized slice's allocation named as the sized array it holds, element type and length
    // as its summary gives them: an `Arc<[u32]>` of 3 shares an `ArcInner<[u32; 3]>` and a
    // `Box<[u16]>` of 2 owns a `[u16; 2]`, as an `Arc<[u32; 3]>` and a `Box<[u16; 2]>` would.
    std::optional<std::string> slice_content_name(const Value& owner, uint64_t length) {
        const Type* data = strip(rust_std::slice_data_target(owner));
        if (!data) return std::nullopt;
        if (data->kind != TypeKind::Struct) // the pointer is the first element's
            return fmt::format("[{}; {}]", type_label(data), length);
        // RcInner<[T]>, ArcInner<[T]>: rustc gives their last field the element's type, and
        // spells the [T] only in their name, as its last type argument.
        std::string inner = type_label(data);
        if (!inner.ends_with("]>")) return std::nullopt;
        size_t close = inner.size() - 2;
        int depth = 0;
        for (size_t i = close + 1; i-- > 0;) {
            if (inner[i] == ']') ++depth;
            if (inner[i] == '[' && --depth == 0) {
                if (i == 0 || inner[i - 1] != '<') return std::nullopt;
                return fmt::format("{}; {}{}", inner.substr(0, close), length, inner.substr(close));
            }
        }
        return std::nullopt;
    }

    // A pointer whose target is found after the walk.
    void pointer_edge(EdgeKind kind, const Formatted& f, const Value& v, NodeId from,
                      const std::string& path, const Type* pointee) {
        Edge e;
        e.from = from;
        e.to = kNoNode;
        e.kind = kind;
        e.path = path;
        e.target = f.own.address;
        e.type_name = f.type_name.empty() ? type_label(v.type) : f.type_name;
        e.guarded = f.own.guarded;
        if (f.own.kind == OwnKind::Shared) {
            e.strong = f.own.strong;
            e.weak = f.own.weak;
        }
        EdgeId id = add_edge(std::move(e));
        if (id != kNoEdge) m_state.pending.push_back({id, pointee});
    }

    static const Type* pointee(const Value& v) {
        const Type* t = strip(v.type);
        if (!t) return nullptr;
        if (t->kind == TypeKind::Pointer) return t->target;
        return rust_std::pointee_of(v);
    }

    void walk(const Value& v, NodeId parent, const std::string& path, unsigned depth, bool c_memory,
              uint64_t self, uint64_t& elements) {
        if (stopped()) return;
        if (v.synthetic) return synthetic(*v.synthetic);
        if (!m_worth(v.type)) return;
        const Type* t = strip(v.type);
        if (depth > m_limits.max_depth) {
            cut(fmt::format("values nested deeper than {} inside one node", m_limits.max_depth));
            return;
        }
        Formatted f = m_ctx.format(v);
        if (f.shape == Shape::Error) {
            unreadable(f.text);
            return;
        }
        const Ownership& o = f.own;
        switch (o.kind) {
        case OwnKind::Owned:
        case OwnKind::Shared: {
            // Pin<Box<T>> carries its Box's fact: at the top of the allocation it is the
            // allocation itself, and its pointer is walked through.
            if (o.address == self && self != 0 && !o.weak_ref) break;
            // A count kept in place (the kernel's refcount_t and kref are `shared` at their own
            // address) points at nothing outside the value: it is walked as it is.
            if (v.address && o.address == *v.address) break;
            if (o.address == 0) {
                // An intrusive container (the kernel's List) has no buffer of its own: its
                // elements are allocations of their own, which its memory children lead to.
                if (o.kind == OwnKind::Owned && f.count > 0)
                    walk_children(f, parent, path, depth, c_memory, self, elements);
                return; // else a dangling Weak, a failed read: no allocation
            }
            if (o.weak_ref) {
                pointer_edge(EdgeKind::Weak, f, v, parent, path, nullptr);
                return;
            }
            if (o.size && *o.size == 0) return; // zero-sized, or never allocated
            // A LinkedList or B-tree: one allocation per node, which its formatter describes.
            if (o.kind == OwnKind::Owned && f.formatter && f.formatter->has_parts()) {
                Work w{parent, v, f.formatter, f.shape, f.count};
                w.parts = true;
                w.path = path;
                w.type_name = f.type_name;
                m_queue.push_back(std::move(w));
                return;
            }
            NodeId n = allocation(f, v);
            if (n == kNoNode) return;
            Edge e;
            e.from = parent;
            e.to = n;
            e.kind = o.kind == OwnKind::Owned ? EdgeKind::Owns : EdgeKind::Shares;
            e.path = path;
            e.target = o.address;
            e.type_name = f.type_name;
            e.strong = o.strong;
            e.weak = o.weak;
            if (add_edge(std::move(e)) == kNoEdge) return;
            if (!m_g.nodes[n].walked) {
                m_g.nodes[n].walked = true;
                // Contents that hold no pointer (a Box<u64>, a Vec<u8>'s buffer) are looked at
                // now, from the owner in hand, and never queued: a million of them cost no read.
                if (contents_worth(f, v)) m_queue.push_back({n, v, f.formatter, f.shape, f.count});
            }
            return;
        }
        case OwnKind::Borrowed:
        case OwnKind::BorrowedMut:
        case OwnKind::Raw: {
            if (o.address == 0) return;
            EdgeKind k = o.kind == OwnKind::Borrowed      ? EdgeKind::Borrows
                         : o.kind == OwnKind::BorrowedMut ? EdgeKind::BorrowsMut
                         : c_memory                       ? EdgeKind::C
                                                          : EdgeKind::Raw;
            const Type* target = pointee(v);
            if (o.guarded) { // a guard: the value it guards, as its formatter gives it
                auto kids = m_ctx.children(f, 0, 1);
                target = kids.empty() ? nullptr : kids[0].value.type;
            }
            pointer_edge(k, f, v, parent, path, target);
            return;
        }
        case OwnKind::C:
            if (t && t->kind == TypeKind::Pointer) {
                c_pointer(f, v, parent, path);
                return;
            }
            c_memory = true;
            break;
        case OwnKind::Cell:
        case OwnKind::Lock:
            // Only a borrowed cell or a held lock can be in a finding: a million idle RefCells
            // cost nothing.
            // One site per cell or lock: C memory is walked once per node, and a pointer into
            // a node's middle (a kernel `struct device *` to the device inside a `struct
            // serio`) makes a node that walks the same lock again.
            if (o.state != "free" && o.state != "unlocked" && first_site(o.kind, v.address))
                m_g.sites.push_back({parent, path, v.address.value_or(0),
                                     t && t->has_size ? t->size : 0, o.kind, o.state, o.poisoned,
                                     f.type_name});
            break;
        case OwnKind::Crossing:
            // A Rust wrapper's reference to a C object that counts its own references (ARef<T>):
            // the object is one node, its count on the edge, and its C contents are the C side's
            // (a device's parent, bus and kobject lists are not what the Rust holder owns).
            if (o.address != 0 && (!v.address || o.address != *v.address)) {
                c_object_reference(f, v, parent, path);
                return;
            }
            break;
        case OwnKind::Inline:
            break;
        }
        // A union's members overlap: which one holds a pointer is not known, so none is read.
        if (t && t->kind == TypeKind::Union) return;
        walk_children(f, parent, path, depth, c_memory, self, elements);
    }

    // The parts of a node-based collection: a node each, owned by the collection's holder
    // (`list[3]`, `map.root`) or by the part its formatter names (`edges[2]`), the values each
    // holds walked from it. A walk that ends on a marked error (a cycle, more nodes than the
    // collection claims) keeps what it found and says where it stopped.
    void walk_parts(const Work& w) {
        class Sink final : public PartSink {
        public:
            Sink(Builder& b, const Work& w) : m_b(b), m_w(w) {}
            bool part(Part&& p) override {
                NodeId owner = m_w.node;
                std::string path = p.path;
                if (p.owner) {
                    if (*p.owner >= m_ids.size()) return false;
                    owner = m_ids[*p.owner];
                } else {
                    path = join(m_w.path, p.path);
                }
                NodeId n = m_b.part_node(p, m_w.owner);
                m_ids.push_back(n);
                if (n == kNoNode || owner == kNoNode) return !m_b.stopped();
                Edge e;
                e.from = owner;
                e.to = n;
                e.kind = EdgeKind::Owns;
                e.path = std::move(path);
                e.target = p.address;
                e.type_name = m_w.type_name;
                if (m_b.add_edge(std::move(e)) == kNoEdge) return false;
                Node& node = m_b.m_g.nodes[n];
                if (!node.walked) {
                    node.walked = true;
                    uint64_t elements = 0;
                    for (const auto& [at, value] : p.contents)
                        m_b.walk(value, n, at, 1, false, 0, elements);
                }
                return !m_b.stopped();
            }

        private:
            Builder& m_b;
            const Work& m_w;
            std::vector<NodeId> m_ids; ///< the node of each part, by its position
        };
        Sink sink(*this, w);
        Status s = w.formatter->parts(m_ctx, w.owner, sink);
        if (!s) {
            m_g.errors.push_back({w.node, w.path, s.error().message});
            unreadable(s.error().message);
        }
    }

    // The node of one part, made on first sight (a list moved down the stack leaves its nodes'
    // addresses in the caller's slot too: one node, two owners, as for a Box).
    NodeId part_node(const Part& p, const Value& collection) {
        Ownership fact;
        fact.kind = OwnKind::Owned;
        fact.address = p.address;
        fact.size = p.size;
        fact.note = p.note;
        if (auto known = m_state.by_address.find(p.address)) {
            Node& n = m_g.nodes[*known];
            if (n.kind == NodeKind::Object) {
                n.kind = NodeKind::Allocation;
                n.fact = fact;
            }
            return *known;
        }
        Node n;
        n.kind = NodeKind::Allocation;
        n.address = p.address;
        n.size = p.size;
        n.fact = std::move(fact);
        n.type_name = p.type_name;
        n.language = language_of(collection.type);
        NodeId id = add_node(std::move(n));
        if (id != kNoNode) m_state.by_address.set(p.address, id);
        return id;
    }

    // The `object` node of C memory at `address` (a C struct of `type`), made on first sight.
    NodeId c_object_node(uint64_t address, const Type* type, const Ownership* fact) {
        if (auto known = m_state.by_address.find(address)) {
            Node& n = m_g.nodes[*known];
            if (fact && !n.fact.strong) n.fact = *fact; // first met through a C pointer
            return *known;
        }
        const Type* t = strip(type);
        Node node;
        node.kind = NodeKind::Object;
        node.address = address;
        if (t && t->has_size) node.size = t->size;
        node.type_name = type_label(type);
        node.language = fact ? "c" : language_of(t);
        if (fact) node.fact = *fact;
        NodeId n = add_node(std::move(node));
        if (n != kNoNode) m_state.by_address.set(address, n);
        return n;
    }

    // The C object an ARef<T> holds: a node of its own carrying the object's count, and a
    // `shares` edge (the ARef is one of the references that count counts). Not walked.
    void c_object_reference(const Formatted& f, const Value& v, NodeId parent,
                            const std::string& path) {
        NodeId n = c_object_node(f.own.address, pointee(v), &f.own);
        if (n == kNoNode) return;
        m_g.nodes[n].walked = true;
        Edge e;
        e.from = parent;
        e.to = n;
        e.kind = EdgeKind::Shares;
        e.path = path;
        e.target = f.own.address;
        e.type_name = f.type_name;
        e.strong = f.own.strong;
        add_edge(std::move(e));
    }

    // A C data pointer: an edge, and a C struct it points at is walked as a C object (a
    // `struct list_head` chain, a C struct holding a Rust allocation) when the walk is on the C
    // side (from a C root). From a Rust value's C object (an Opaque<T> in place) the pointer is
    // an edge only: the C side's web of objects is not what the Rust value owns.
    void c_pointer(const Formatted& f, const Value& v, NodeId parent, const std::string& path) {
        if (f.own.address == 0 || !f.own.note.empty()) return; // null, or code
        const Type* target = strip(strip(v.type)->target);
        bool object = target && (target->kind == TypeKind::Struct) && !target->declaration &&
                      target->has_size && target->size > 0 && m_worth(target);
        pointer_edge(EdgeKind::C, f, v, parent, path, strip(v.type)->target);
        if (!object || !m_follow_c || stopped()) return;
        NodeId n = c_object_node(f.own.address, strip(v.type)->target, nullptr);
        if (n == kNoNode || m_g.nodes[n].walked) return;
        m_g.nodes[n].walked = true;
        Work w{n, Value::at(strip(v.type)->target, f.own.address), nullptr, Shape::Leaf, 0, true};
        w.follow_c = true;
        m_queue.push_back(std::move(w));
    }

    // Whether an allocation's contents can hold a pointer or a cell: from the pointee's type
    // where the owner names a sized one (Box<T>, Rc<T>), else from its first child. A trait
    // object's pointee (`dyn T`, no size) says nothing of the concrete value: its child does.
    bool contents_worth(const Formatted& f, const Value& owner) {
        if (f.shape == Shape::Transparent || f.own.kind == OwnKind::Shared) {
            const Type* p = strip(rust_std::pointee_of(owner));
            if (p && p->has_size && p->size > 0) return m_worth(p);
        }
        return worth_first(f);
    }

    bool worth_first(const Formatted& f) {
        auto first = m_ctx.memory_children(f, 0, 1);
        if (first.empty()) return false;
        const Child& c = first[0];
        return c.value.synthetic || m_worth(c.value.type) ||
               (c.map_value && (c.map_value->synthetic || m_worth(c.map_value->type)));
    }

    void walk_children(const Formatted& f, NodeId parent, const std::string& path, unsigned depth,
                       bool c_memory, uint64_t self, uint64_t& elements) {
        bool homogeneous = f.shape == Shape::List || f.shape == Shape::Set || f.shape == Shape::Map;
        for (uint64_t start = 0; start < f.count && !stopped();) {
            if (elements >= m_limits.max_elements_per_node) {
                cut(fmt::format("the limit of {} children in one node",
                                m_limits.max_elements_per_node));
                return;
            }
            // Every element of a list, set or map has one type: if the first's cannot hold a
            // pointer, none can (a Vec<u64> of a million elements costs one child's look).
            if (homogeneous && start == 0 && !worth_first(f)) return;
            uint64_t want = std::min<uint64_t>(
                {kPage, f.count - start, m_limits.max_elements_per_node - elements});
            auto kids = m_ctx.memory_children(f, start, want);
            if (kids.empty()) return;
            if (!m_ctx.take_elements(kids.size())) {
                stop(fmt::format("the Context's budget of {} elements is spent",
                                 m_ctx.budget().max_elements));
                return;
            }
            elements += kids.size();
            const uint64_t page_start = start;
            start += kids.size();
            for (size_t i = 0; i < kids.size() && !stopped(); ++i) {
                const Child& c = kids[i];
                std::string label = c.label;
                if (label.empty() || homogeneous) label = fmt::format("[{}]", page_start + i);
                if (c.map_value) {
                    walk(c.value, parent, join(path, label + ".key"), depth + 1, c_memory, 0,
                         elements);
                    walk(*c.map_value, parent, join(path, label + ".value"), depth + 1, c_memory, 0,
                         elements);
                } else {
                    // Only the allocation's own top level can carry its own fact (Pin<Box>).
                    bool top = depth == 0 && f.shape == Shape::Transparent;
                    walk(c.value, parent, join(path, label), depth + 1, c_memory,
                         top || (depth == 0 && path.empty()) ? self : 0, elements);
                }
            }
        }
    }

    Context& m_ctx;
    const Limits& m_limits;
    Graph& m_g;
    BuildState m_state;
    Worth m_worth{m_ctx.registry()};
    std::deque<Work> m_queue;
    std::unordered_map<std::string, NodeId> m_frames;
    std::unordered_map<const Type*, std::string> m_labels;
    /// The addresses of the cells and of the locks that have a site (a Mutex's data may be a
    /// RefCell at the Mutex's own address: two sites, one of each kind).
    std::unordered_set<uint64_t> m_cell_sites, m_lock_sites;

    bool first_site(OwnKind kind, std::optional<uint64_t> address) {
        if (!address) return true;
        return (kind == OwnKind::Lock ? m_lock_sites : m_cell_sites).insert(*address).second;
    }
    bool m_stopped = false;
    bool m_follow_c = false; ///< the value being walked is on the C side (see c_pointer)
};

} // namespace

std::string language_of(const Type* t) {
    t = strip(t);
    if (!t) return "";
    switch (t->lang) {
    case Lang::Rust:
        return "rust";
    case Lang::C:
    case Lang::Cpp:
        return "c";
    case Lang::Unknown:
        break;
    }
    return "";
}

std::string type_label(const Type* t) {
    const Type* s = strip(t);
    if (!s) return "";
    if (s->lang == Lang::C || s->lang == Lang::Cpp) return c_values::c_type_name(t);
    return rust_layout::display_name(t);
}

Graph build_graph(Context& ctx, const std::vector<Root>& roots, const Limits& limits) {
    Graph g;
    // Summaries are for a debugger's variables view; the graph needs the facts alone.
    rust_std::NoSummaries no_summaries;
    // A container's format() reads ahead what a renderer would show (100,000 elements by
    // default) to check it can be read; the walk needs one element of a Vec<u64> and reads a
    // Vec<Box<T>> page by page, so smaller chunks read far less and cost few more reads.
    const uint64_t chunk = ctx.read_chunk();
    ctx.set_read_chunk(std::min<uint64_t>(chunk, kReadChunk));
    // The graph's nodes are its count of allocations.
    const bool counting = ctx.count_allocations();
    ctx.set_count_allocations(false);
    Builder b(ctx, limits, g);
    for (const Root& r : roots) b.root(r);
    b.drain();
    ctx.set_read_chunk(chunk);
    ctx.set_count_allocations(counting);
    resolve_pointers(g, b.state());
    find_problems(g, limits);
    return g;
}

} // namespace seam::own
