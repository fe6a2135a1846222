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

#include "formatters/core/context.h"
#include "formatters/rust/families.h"
#include "formatters/rust/map_support.h"

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
    uint64_t edges_offset = 0;
    uint64_t internal_size = 0;
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

    // InternalNode<K, V> is named like LeafNode<K, V>; where rustc emitted it, its DWARF wins.
    std::string internal = tr.leaf->qualified;
    if (auto at = internal.find("LeafNode<"); at != std::string::npos)
        internal.replace(at, 8, "InternalNode");
    const Type* in = ctx.types() ? strip(ctx.types()->find_type(internal)) : nullptr;
    const Field* edges = in ? find_field(in, "edges") : nullptr;
    if (edges) {
        tr.edges_offset = edges->offset;
    } else {
        tr.edges_offset = (tr.leaf->size + kPointerSize - 1) / kPointerSize * kPointerSize;
    }
    tr.internal_size = tr.edges_offset + kEdges * kPointerSize;
    return tr;
}

struct Node {
    uint64_t len = 0;
    std::array<uint64_t, kEdges> edges{};
};

// One read per node, of the bytes from `len` to the end of the edges (or of `len` alone for a
// leaf): the keys and values are left to the children's own reads.
Result<Node> read_node(Context& ctx, const Tree& tr, uint64_t address, bool internal) {
    uint64_t from = tr.len_offset, to = tr.len_offset + 2;
    if (internal) {
        from = std::min(from, tr.edges_offset);
        to = std::max(to, tr.internal_size);
    }
    std::vector<std::byte> bytes(to - from);
    if (auto s = ctx.read(address + from, bytes); !s)
        return err("<error: B-tree node at {:#x} unreadable>", address);
    auto u = [&](uint64_t off, size_t size) {
        uint64_t r = 0;
        for (size_t i = 0; i < size; ++i)
            r |= uint64_t(std::to_integer<uint8_t>(bytes[off - from + i])) << (8 * i);
        return r;
    };
    Node n;
    n.len = u(tr.len_offset, 2);
    if (n.len > kCapacity)
        return err("<invalid: B-tree node at {:#x} holds {} keys (at most {})>", address, n.len,
                   kCapacity);
    if (internal)
        for (uint64_t i = 0; i <= n.len; ++i) {
            n.edges[i] = u(tr.edges_offset + i * kPointerSize, kPointerSize);
            if (n.edges[i] == 0)
                return err("<invalid: B-tree node at {:#x} has a null edge {}>", address, i);
        }
    return n;
}

// In-order walk that emits elements `start .. end` and skips whole leaves before `start` by
// their `len` alone. Its recursion is bounded by the height (<= kMaxHeight) and its node visits
// by the element budget, so a corrupted tree (a cycle through the edges) still ends.
class Walk {
public:
    Walk(Context& ctx, const Tree& tr, bool set, uint64_t start, uint64_t end,
         std::vector<Child>& out)
        : m_ctx(ctx), m_tr(tr), m_set(set), m_start(start), m_end(end), m_out(out) {}

    Status visit(uint64_t address, uint64_t height) {
        if (m_pos >= m_end) return ok_status();
        auto node = read_node(m_ctx, m_tr, address, height > 0);
        if (!node) return node.error();
        if (!m_ctx.take_elements(std::max<uint64_t>(node->len, 1)))
            return err("<budget: more than {} elements>", m_ctx.budget().max_elements);
        if (height == 0 && m_pos + node->len <= m_start) {
            m_pos += node->len;
            return ok_status();
        }
        for (uint64_t i = 0; i <= node->len && m_pos < m_end; ++i) {
            if (height > 0) SEAM_TRY(visit(node->edges[i], height - 1));
            if (i == node->len || m_pos >= m_end) continue;
            if (m_pos >= m_start) emit(address, i);
            ++m_pos;
        }
        return ok_status();
    }

private:
    void emit(uint64_t node, uint64_t i) {
        Value key = Value::at(m_tr.key, node + m_tr.key_offset + i * m_tr.key_stride);
        std::optional<Value> value;
        if (!m_set) value = Value::at(m_tr.value, node + m_tr.val_offset + i * m_tr.val_stride);
        m_out.push_back(element_child(m_pos, std::move(key), std::move(value)));
    }

    Context& m_ctx;
    const Tree& m_tr;
    bool m_set;
    uint64_t m_start, m_end;
    std::vector<Child>& m_out;
    uint64_t m_pos = 0;
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
            f.own.size = tr->height > 0 ? tr->internal_size : tr->leaf->size;
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
        Walk walk(ctx, *tr, is_set(strip(v.type)), start, start + count, out);
        auto s = walk.visit(tr->root, tr->height);
        if (out.size() < count) {
            std::string why =
                s ? fmt::format("<invalid: the tree holds fewer than its {} elements>", tr->length)
                  : s.error().message;
            out.push_back(error_child(start + out.size(), why));
        }
        return out;
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
