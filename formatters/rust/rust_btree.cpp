// BTreeMap and BTreeSet (alloc::collections::btree).
//
// Layout (rustc 1.95; offsets are read from DWARF by field name):
//   BTreeMap<K, V> { root: Option<NodeRef { node: NonNull<LeafNode<K, V>>, height }>, length }
//   BTreeSet<T>    { map: BTreeMap<T, SetValZST> }
//   LeafNode<K, V> { parent, parent_idx, len: u16, keys: [MaybeUninit<K>; 11], vals: [...; 11] }
//   InternalNode   { data: LeafNode<K, V>, edges: [MaybeUninit<BoxedNode<K, V>>; 12] }
// LeafNode is not repr(C) (1.95 puts `parent_idx` and `len` after the arrays), but InternalNode
// is, so that a pointer to one can be used as a pointer to its LeafNode: `edges` starts at
// size_of::<LeafNode>() rounded up to a pointer's alignment. InternalNode is generic and only
// emitted where code used it, so its DWARF may be missing; the offset is then computed that way.
// A node at height 0 is a leaf; above, edge i leads to the keys before key i. In-order: edge 0,
// key 0, edge 1, ..., key len-1, edge len.
#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <unordered_set>

#include "formatters/core/context.h"
#include "formatters/rust/families.h"
#include "formatters/rust/map_support.h"
#include "formatters/rust/rust_layout.h"

namespace seam {
namespace {

using namespace map_support;

constexpr uint64_t kCapacity = 11;   // 2 * B - 1 keys per node
constexpr uint64_t kEdges = 12;      // 2 * B edges per internal node
constexpr uint64_t kPointerSize = 8; // x86-64
// No real tree is this tall: 12^33 elements would not fit in memory.
constexpr uint64_t kMaxHeight = 32;

struct Tree {
    uint64_t root = 0; ///< 0 when the map never allocated (root: None)
    uint64_t height = 0;
    uint64_t length = 0;
    const Type* leaf = nullptr; ///< LeafNode<K, V>
    const Type* key = nullptr;
    const Type* value = nullptr;
    uint64_t key_offset = 0, key_stride = 0;
    uint64_t val_offset = 0, val_stride = 0;
    uint64_t len_offset = 0;
    std::optional<uint64_t> parent_offset, parent_idx_offset; ///< for going up from a node
    uint64_t edges_offset = 0;
    uint64_t leaf_size = 0;          ///< LeafNode's DWARF size: what a leaf's allocation holds
    uint64_t internal_size = 0;      ///< InternalNode's: its DWARF size, or computed as below
    const Type* internal = nullptr;  ///< InternalNode<K, V> where rustc emitted its DWARF
    std::string data_field = "data"; ///< InternalNode's LeafNode field (at offset 0)
};

std::string invalid(std::string_view why) {
    return fmt::format("<invalid: {}>", why);
}

// The elements a tree of `height` can hold at most: 11 per node, 12^h nodes on level h.
uint64_t max_elements(uint64_t height) {
    uint64_t nodes = 1, total = 0;
    for (uint64_t h = 0; h <= height; ++h) {
        if (nodes > UINT64_MAX / kEdges) return UINT64_MAX;
        total += nodes * kCapacity;
        nodes *= kEdges;
    }
    return total;
}

// The payload of `Some` in an Option value, or nullopt for `None`. Reads the discriminant the
// DWARF variant part names (a niche in the node pointer for Option<NodeRef>).
Result<std::optional<Value>> option_payload(Context& ctx, const Value& opt) {
    const Type* t = strip(opt.type);
    if (!t || !t->variant_part) return err("{} is not an enum", t ? t->name : "<no type>");
    const VariantPart& vp = *t->variant_part;
    const Variant* chosen = nullptr;
    if (!vp.discr) {
        if (vp.variants.size() == 1) chosen = &vp.variants[0];
    } else {
        const Type* dt = strip(vp.discr->type);
        uint64_t size = dt && dt->has_size ? std::min<uint64_t>(dt->size, 8) : 8;
        auto d = ctx.read_uint(opt, vp.discr->offset, size);
        if (!d) return d.error();
        for (const auto& var : vp.variants) {
            for (const auto& val : var.discr_values)
                if (val.lo == *d) chosen = &var;
            for (const auto& [lo, hi] : var.discr_ranges)
                if (lo.lo <= *d && *d <= hi.lo) chosen = &var;
            if (chosen) break;
        }
        if (!chosen)
            for (const auto& var : vp.variants)
                if (var.is_default) chosen = &var;
    }
    if (!chosen) return err("no variant of {} matches its discriminant", t->name);
    if (chosen->member.name != "Some") return std::optional<Value>{};
    Value some = opt.sub(chosen->member.type, chosen->member.offset);
    auto payload = ctx.field(some, "__0");
    if (!payload) return payload.error();
    return std::optional<Value>{*payload};
}

// Offset and element stride of a `[MaybeUninit<K>; 11]` field of LeafNode.
bool array_field(const Type* leaf, std::string_view name, uint64_t& offset, uint64_t& stride) {
    const Field* f = find_field(leaf, name);
    const Type* at = f ? strip(f->type) : nullptr;
    if (!at || at->kind != TypeKind::Array || at->dims.empty() || !at->dims[0] ||
        *at->dims[0] != kCapacity)
        return false;
    offset = f->offset;
    stride = at->size / kCapacity;
    return true;
}

Result<Tree> read_tree(Context& ctx, const Value& v) {
    Value map = v;
    const Type* t = strip(v.type);
    if (has_path(t, "alloc::collections::btree::set::BTreeSet")) {
        auto inner = ctx.field(v, "map");
        if (!inner) return Error{invalid(inner.error().message)};
        map = *inner;
    }
    auto header = snapshot(ctx, map);
    if (!header)
        return Error{fmt::format("<error: BTreeMap unreadable: {}>", header.error().message)};
    Tree tr;
    auto length = ctx.uint_at(*header, {"length"});
    auto root_field = ctx.field(*header, "root");
    if (!length || !root_field) return Error{invalid("BTreeMap lacks root or length")};
    tr.length = *length;
    auto root = option_payload(ctx, *root_field);
    if (!root) return Error{invalid(root.error().message)};
    if (!*root) {
        if (tr.length != 0)
            return Error{invalid(fmt::format("length {} with no root node", tr.length))};
        return tr;
    }
    auto node_field = ctx.field(**root, "node");
    auto height = ctx.uint_at(**root, {"height"});
    if (!node_field || !height) return Error{invalid("NodeRef lacks node or height")};
    auto node = read_pointer(ctx, *node_field);
    if (!node) return Error{invalid(node.error().message)};
    tr.root = node->address;
    tr.height = *height;
    tr.leaf = node->pointee;
    if (tr.root == 0) return Error{invalid("null root node")};
    if (tr.height > kMaxHeight)
        return Error{invalid(fmt::format("height {} is taller than any B-tree", tr.height))};
    if (tr.length > max_elements(tr.height))
        return Error{invalid(fmt::format("length {} exceeds the {} elements a tree of height {} "
                                         "holds",
                                         tr.length, max_elements(tr.height), tr.height))};

    if (!tr.leaf || !tr.leaf->has_size) return Error{invalid("LeafNode type unknown")};
    tr.key = template_arg_named(tr.leaf, "K");
    tr.value = template_arg_named(tr.leaf, "V");
    const Field* len = find_field(tr.leaf, "len");
    if (!tr.key || !tr.value || !len ||
        !array_field(tr.leaf, "keys", tr.key_offset, tr.key_stride) ||
        !array_field(tr.leaf, "vals", tr.val_offset, tr.val_stride))
        return Error{invalid(fmt::format("{} is not a B-tree leaf", tr.leaf->name))};
    tr.len_offset = len->offset;
    tr.leaf_size = tr.leaf->size;
    if (tr.len_offset + 2 > tr.leaf_size)
        return Error{invalid(fmt::format("{}'s len lies outside it", tr.leaf->name))};
    // `parent` (a pointer, null at the root) and `parent_idx` (a u16): the way up that lets a
    // page go on where the one before ended.
    const Field* parent = find_field(tr.leaf, "parent");
    const Field* parent_idx = find_field(tr.leaf, "parent_idx");
    const Type* parent_type = parent ? strip(parent->type) : nullptr;
    const Type* idx_type = parent_idx ? strip(parent_idx->type) : nullptr;
    if (parent_type && parent_type->has_size && parent_type->size == kPointerSize &&
        parent->offset + kPointerSize <= tr.leaf_size && idx_type && idx_type->has_size &&
        idx_type->size == 2 && parent_idx->offset + 2 <= tr.leaf_size) {
        tr.parent_offset = parent->offset;
        tr.parent_idx_offset = parent_idx->offset;
    }

    // InternalNode<K, V> is named like LeafNode<K, V>; where rustc emitted it, its DWARF wins.
    std::string internal = tr.leaf->qualified;
    if (auto at = internal.find("LeafNode<"); at != std::string::npos)
        internal.replace(at, 8, "InternalNode");
    const Type* in = ctx.types() ? strip(ctx.types()->find_type(internal)) : nullptr;
    const Field* edges = in ? find_field(in, "edges") : nullptr;
    if (edges) {
        tr.internal = in;
        for (const auto& f : in->fields)
            if (f.offset == 0 && strip(f.type) == tr.leaf) tr.data_field = f.name;
        tr.edges_offset = edges->offset;
    } else {
        tr.edges_offset = (tr.leaf->size + kPointerSize - 1) / kPointerSize * kPointerSize;
    }
    tr.internal_size = tr.edges_offset + kEdges * kPointerSize;
    if (edges && in->has_size && in->size >= tr.internal_size) tr.internal_size = in->size;
    return tr;
}

struct Node {
    uint64_t address = 0;
    uint64_t len = 0;
    uint64_t parent = 0; ///< 0 for the root, or when LeafNode has no `parent` field
    uint64_t parent_idx = 0;
    std::array<uint64_t, kEdges> edges{};
};

uint64_t le_uint(std::span<const std::byte> bytes, uint64_t off, size_t size) {
    uint64_t r = 0;
    for (size_t i = 0; i < size; ++i)
        r |= uint64_t(std::to_integer<uint8_t>(bytes[off + i])) << (8 * i);
    return r;
}

// One read per node, of the whole LeafNode or InternalNode (its size from DWARF): the Context
// keeps it while a renderer formats the keys and values of the page that points into it.
Result<Node> read_node(Context& ctx, const Tree& tr, uint64_t address, bool internal) {
    std::vector<std::byte> bytes(internal ? tr.internal_size : tr.leaf_size);
    if (auto s = read_and_keep(ctx, address, bytes); !s)
        return err("<error: B-tree node at {:#x} unreadable>", address);
    Node n;
    n.address = address;
    n.len = le_uint(bytes, tr.len_offset, 2);
    if (n.len > kCapacity)
        return err("<invalid: B-tree node at {:#x} holds {} keys (at most {})>", address, n.len,
                   kCapacity);
    if (tr.parent_offset) n.parent = le_uint(bytes, *tr.parent_offset, kPointerSize);
    if (tr.parent_idx_offset) n.parent_idx = le_uint(bytes, *tr.parent_idx_offset, 2);
    if (internal)
        for (uint64_t i = 0; i <= n.len; ++i) {
            n.edges[i] = le_uint(bytes, tr.edges_offset + i * kPointerSize, kPointerSize);
            if (n.edges[i] == 0)
                return err("<invalid: B-tree node at {:#x} has a null edge {}>", address, i);
        }
    return n;
}

// The in-order position of a walk: the nodes from the root down to the current one. In each,
// `idx` is the next key to give; an internal node first goes down its edge `idx` (`entered`
// once it has).
struct Level {
    Node node;
    uint64_t idx = 0;
    bool entered = false;
};

// Where a page ended, kept in the Context so that the next page goes on from there instead of
// walking the tree again from its root (which made a whole render quadratic in the nodes): the
// node, its height and the next key's index, packed above the 47 bits of a user-space address.
constexpr uint64_t kAddressBits = 47;
constexpr uint64_t kIdxShift = 48, kHeightShift = 53;

std::optional<uint64_t> pack_cursor(uint64_t node, uint64_t height, uint64_t idx) {
    if (node >> kAddressBits || idx > kCapacity || height > kMaxHeight) return std::nullopt;
    return node | idx << kIdxShift | height << kHeightShift;
}

// Walks elements in order from `start`, one node read per node, within the element budget:
// every node read takes from it, so that a corrupted tree (edges in a cycle) still ends.
class Walk {
public:
    Walk(Context& ctx, const Tree& tr, bool set) : m_ctx(ctx), m_tr(tr), m_set(set) {}

    // The page `start, count`; a Status that fails says why fewer came.
    Status page(uint64_t start, uint64_t count, std::vector<Child>& out) {
        if (!resume(start)) {
            m_path.clear();
            uint64_t pos = 0;
            auto found = seek(m_tr.root, m_tr.height, start, pos);
            if (!found) return found.error();
            if (!*found) return ok_status();
        }
        uint64_t ordinal = start;
        while (out.size() < count && !m_path.empty()) {
            Level& top = m_path.back();
            const uint64_t height = m_tr.height - (m_path.size() - 1);
            if (height > 0 && !top.entered) {
                top.entered = true;
                SEAM_TRY(enter(top.node.edges[top.idx], height - 1));
                continue;
            }
            if (top.idx < top.node.len) {
                emit(top.node.address, top.idx, ordinal++, out);
                ++top.idx;
                top.entered = false;
                continue;
            }
            m_path.pop_back();
        }
        if (!m_path.empty()) {
            const Level& top = m_path.back();
            auto at = pack_cursor(top.node.address, m_tr.height - (m_path.size() - 1), top.idx);
            if (at) m_ctx.set_resume_point(m_tr.root, Context::Resume{ordinal, *at});
        }
        return ok_status();
    }

private:
    Status enter(uint64_t address, uint64_t height) {
        auto node = read_node(m_ctx, m_tr, address, height > 0);
        if (!node) return node.error();
        if (!m_ctx.take_elements(std::max<uint64_t>(node->len, 1)))
            return err("<budget: more than {} elements>", m_ctx.budget().max_elements);
        m_path.push_back(Level{*node, 0, false});
        return ok_status();
    }

    // Down from the root to element `start`, counting the elements of every node before it (a
    // leaf by its `len` alone). True when found; false when the tree holds fewer.
    Result<bool> seek(uint64_t address, uint64_t height, uint64_t start, uint64_t& pos) {
        SEAM_TRY(enter(address, height));
        const uint64_t len = m_path.back().node.len;
        if (height == 0) {
            if (pos + len > start) {
                m_path.back().idx = start - pos;
                return true;
            }
            pos += len;
            m_path.pop_back();
            return false;
        }
        for (uint64_t i = 0; i <= len; ++i) {
            m_path.back().idx = i;
            m_path.back().entered = true;
            auto found = seek(m_path.back().node.edges[i], height - 1, start, pos);
            if (!found || *found) return found;
            if (i == len) break;
            if (pos == start) return true;
            ++pos;
        }
        m_path.pop_back();
        return false;
    }

    // The path to where the page before ended, rebuilt upwards through the nodes' parent links
    // (each checked against its parent's edge, and the top against the root); false when there
    // is none or a link does not hold, and the walk starts from the root.
    bool resume(uint64_t start) {
        auto r = m_ctx.resume_point(m_tr.root);
        if (!r || r->ordinal != start) return false;
        const uint64_t mask = (1ull << kAddressBits) - 1;
        const uint64_t address = r->position & mask;
        const uint64_t idx = (r->position >> kIdxShift) & 0x1f;
        uint64_t height = r->position >> kHeightShift;
        if (height > m_tr.height) return false;
        m_path.clear();
        auto node = read_node(m_ctx, m_tr, address, height > 0);
        if (!node || idx > node->len) return false;
        std::vector<Level> up{Level{*node, idx, false}};
        while (height < m_tr.height) {
            const Node& child = up.back().node;
            if (!child.parent || !m_ctx.take_elements(1)) return false;
            auto parent = read_node(m_ctx, m_tr, child.parent, true);
            ++height;
            if (!parent || child.parent_idx > parent->len ||
                parent->edges[child.parent_idx] != child.address)
                return false;
            up.push_back(Level{*parent, child.parent_idx, true});
        }
        if (up.back().node.address != m_tr.root) return false;
        m_path.assign(up.rbegin(), up.rend());
        return true;
    }

    void emit(uint64_t node, uint64_t i, uint64_t ordinal, std::vector<Child>& out) {
        Value key = Value::at(m_tr.key, node + m_tr.key_offset + i * m_tr.key_stride);
        std::optional<Value> value;
        if (!m_set) value = Value::at(m_tr.value, node + m_tr.val_offset + i * m_tr.val_stride);
        out.push_back(element_child(ordinal, std::move(key), std::move(value)));
    }

    Context& m_ctx;
    const Tree& m_tr;
    bool m_set;
    std::vector<Level> m_path;
};

// The tree's nodes as the ownership graph's parts, depth first with each node before its
// children: the root is owned through the map's `root`, every other node through its parent's
// `edges[i]` (InternalNode { data: LeafNode, edges }), and keys and values lie in the node at
// `keys[i]` / `vals[i]` (`data.keys[i]` in an internal node). Each node is read once; a node met
// twice (edges that loop) or more keys than the map's length end the walk with a marker.
class PartWalk {
public:
    PartWalk(Context& ctx, const Tree& tr, bool set) : m_ctx(ctx), m_tr(tr), m_set(set) {}

    Status run(const std::string& root_path, PartSink& sink) {
        const std::string leaf = rust_layout::display_name(m_tr.leaf);
        std::string internal = m_tr.internal ? rust_layout::display_name(m_tr.internal) : leaf;
        if (!m_tr.internal)
            if (auto at = internal.find("LeafNode"); at != std::string::npos)
                internal.replace(at, 8, "InternalNode");
        struct Todo {
            uint64_t address, height;
            std::optional<uint64_t> owner;
            std::string path;
        };
        std::vector<Todo> todo{{m_tr.root, m_tr.height, std::nullopt, root_path}};
        std::unordered_set<uint64_t> seen;
        uint64_t index = 0, keys = 0;
        while (!todo.empty()) {
            Todo at = std::move(todo.back());
            todo.pop_back();
            if (!seen.insert(at.address).second)
                return err("<invalid: B-tree node at {:#x} is reached twice>", at.address);
            auto node = read_node(m_ctx, m_tr, at.address, at.height > 0);
            if (!node) return node.error();
            if (!m_ctx.take_elements(std::max<uint64_t>(node->len, 1)))
                return err("<budget: more than {} elements>", m_ctx.budget().max_elements);
            keys += node->len;
            if (keys > m_tr.length)
                return err("<invalid: the tree holds more than its {} elements>", m_tr.length);
            const bool inner = at.height > 0;
            Part p;
            p.address = at.address;
            p.size = inner ? m_tr.internal_size : m_tr.leaf_size;
            p.type_name = inner ? internal : leaf;
            p.owner = at.owner;
            p.path = std::move(at.path);
            p.note =
                fmt::format("B-tree {} node, height {}", inner ? "internal" : "leaf", at.height);
            const std::string prefix = inner ? m_tr.data_field + "." : "";
            for (uint64_t i = 0; i < node->len; ++i) {
                p.contents.emplace_back(
                    fmt::format("{}keys[{}]", prefix, i),
                    Value::at(m_tr.key, at.address + m_tr.key_offset + i * m_tr.key_stride));
                if (!m_set)
                    p.contents.emplace_back(
                        fmt::format("{}vals[{}]", prefix, i),
                        Value::at(m_tr.value, at.address + m_tr.val_offset + i * m_tr.val_stride));
            }
            if (!sink.part(std::move(p))) return ok_status();
            // Reversed, so that edge 0 is taken first.
            if (inner)
                for (uint64_t i = node->len + 1; i-- > 0;)
                    todo.push_back(
                        {node->edges[i], at.height - 1, index, fmt::format("edges[{}]", i)});
            ++index;
        }
        if (keys < m_tr.length)
            return err("<invalid: the tree holds fewer than its {} elements>", m_tr.length);
        return ok_status();
    }

private:
    Context& m_ctx;
    const Tree& m_tr;
    bool m_set;
};

class BTreeFormatter : public Formatter {
public:
    std::string_view name() const override { return "rust.btree"; }

    bool matches(const Type& t) const override {
        return has_path(&t, "alloc::collections::btree::map::BTreeMap") ||
               has_path(&t, "alloc::collections::btree::set::BTreeSet");
    }

    Formatted format(Context& ctx, const Value& v) const override {
        auto tr = read_tree(ctx, v);
        if (!tr) return error_value(tr.error().message);
        if (tr->root) {
            // The root must be readable and sane before anything claims its contents.
            auto root = read_node(ctx, *tr, tr->root, tr->height > 0);
            if (!root) return error_value(root.error().message);
            if (tr->height > 0 && root->len == 0)
                return error_value(invalid("an internal root node with no keys"));
        }
        const Type* t = strip(v.type);
        Formatted f = map_or_set(t, is_set(t), tr->length);
        f.own.kind = OwnKind::Owned;
        f.own.address = tr->root;
        f.own.length = tr->length;
        if (tr->root) {
            f.own.size = tr->height > 0 ? tr->internal_size : tr->leaf_size;
            f.own.note = fmt::format("root node, height {}", tr->height);
        } else {
            f.own.note = "no root node, no allocation";
        }
        return f;
    }

    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        auto tr = read_tree(ctx, v);
        if (!tr) return unreadable_page(start, count, tr.error());
        std::vector<Child> out;
        count = page_size(start, count, tr->length);
        if (count == 0) return out;
        Walk walk(ctx, *tr, is_set(strip(v.type)));
        auto s = walk.page(start, count, out);
        if (out.size() < count) {
            std::string why =
                s ? fmt::format("<invalid: the tree holds fewer than its {} elements>", tr->length)
                  : s.error().message;
            out.push_back(error_child(start + out.size(), why));
        }
        return out;
    }

    bool has_parts() const override { return true; }
    Status parts(Context& ctx, const Value& v, PartSink& sink) const override {
        auto tr = read_tree(ctx, v);
        if (!tr) return tr.error();
        if (!tr->root) return ok_status();
        const bool set = is_set(strip(v.type));
        return PartWalk(ctx, *tr, set).run(set ? "map.root" : "root", sink);
    }

private:
    static bool is_set(const Type* t) {
        return has_path(t, "alloc::collections::btree::set::BTreeSet");
    }
};

} // namespace

void register_rust_btree(Registry& r) {
    r.add(std::make_unique<BTreeFormatter>());
}

} // namespace seam
