#pragma once
/// Test support for the map families over hand-built memory: std's HashMap<u64, u64> and
/// BTreeMap<u64, u64> as the DWARF reader builds them from rustc 1.95's output (hashbrown 0.16;
/// btree node.rs), and writers for their tables and nodes. Used by the map layout and the read
/// count tests.
#include <cstdint>
#include <vector>

#include "formatters/rust/families.h"
#include "tests/engine/fake_target.h"

namespace seam::fake_maps {

using fake_target::FakeMemory;
using fake_target::Types;
using MapTypes = fake_target::RustTypes;

/// std HashMap<u64, u64> over hashbrown, with RawTableInner's fields in rustc 1.95's order:
/// ctrl at 0, bucket_mask at 8, growth_left at 16, items at 24; the map is 48 bytes.
inline const Type* hash_map_type(MapTypes& ty) {
    Type* tuple = &ty.make(TypeKind::Struct, "(u64, u64)", 16);
    Types::add(*tuple, "__0", ty.u64, 0);
    Types::add(*tuple, "__1", ty.u64, 8);
    Type* inner = &ty.make(TypeKind::Struct, "RawTableInner", 32, "hashbrown::raw::RawTableInner");
    Types::add(*inner, "bucket_mask", ty.u64, 8);
    Types::add(*inner, "ctrl", ty.non_null(&ty.make(TypeKind::Base, "u8", 1)), 0);
    Types::add(*inner, "growth_left", ty.u64, 16);
    Types::add(*inner, "items", ty.u64, 24);
    Type* raw = &ty.make(TypeKind::Struct, "RawTable<(u64, u64), alloc::alloc::Global>", 32,
                         "hashbrown::raw::RawTable<(u64, u64), alloc::alloc::Global>");
    raw->template_params.push_back({"T", tuple});
    Types::add(*raw, "table", inner, 0);
    Type* hb = &ty.make(TypeKind::Struct, "HashMap<u64, u64, RandomState, Global>", 48,
                        "hashbrown::map::HashMap<u64, u64, RandomState, Global>");
    Types::add(*hb, "table", raw, 0);
    Type* std_map = &ty.make(TypeKind::Struct, "HashMap<u64, u64, RandomState, Global>", 48,
                             "std::collections::hash::map::HashMap<u64, u64, RandomState, Global>");
    Types::add(*std_map, "base", hb, 0);
    return std_map;
}

/// The 48-byte HashMap header at `at`.
inline void hash_header(FakeMemory& mem, uint64_t at, uint64_t ctrl, uint64_t mask, uint64_t items,
                        uint64_t growth) {
    mem.put_bytes(at, std::vector<std::byte>(48));
    mem.poke_u64(at, ctrl);
    mem.poke_u64(at + 8, mask);
    mem.poke_u64(at + 16, growth);
    mem.poke_u64(at + 24, items);
}

/// BTreeMap<u64, u64> with LeafNode's fields where rustc 1.95 puts them (size 0xc0: parent at
/// 0, keys at 0x08, vals at 0x60, parent_idx at 0xb8, len at 0xba) and no InternalNode in the
/// DWARF, so that the formatter computes the edges' offset (0xc0) itself.
inline const Type* btree_map_type(MapTypes& ty) {
    Type* keys = &ty.make(TypeKind::Array, "MaybeUninit<u64>[11]", 88);
    keys->target = ty.u64;
    keys->dims = {11};
    Type* leaf = &ty.make(TypeKind::Struct, "LeafNode<u64, u64>", 0xc0,
                          "alloc::collections::btree::node::LeafNode<u64, u64>");
    leaf->template_params = {{"K", ty.u64}, {"V", ty.u64}};
    Types::add(*leaf, "parent", ty.u64, 0);
    Types::add(*leaf, "parent_idx", ty.u16, 0xb8);
    Types::add(*leaf, "len", ty.u16, 0xba);
    Types::add(*leaf, "keys", keys, 0x08);
    Types::add(*leaf, "vals", keys, 0x60);
    Type* node_ref = &ty.make(TypeKind::Struct, "NodeRef<Owned, u64, u64, LeafOrInternal>", 16);
    Types::add(*node_ref, "height", ty.u64, 8);
    Types::add(*node_ref, "node", ty.non_null(leaf), 0);
    Type* some = &ty.make(TypeKind::Struct, "Some", 16);
    Types::add(*some, "__0", node_ref, 0);
    Type* none = &ty.make(TypeKind::Struct, "None", 16);
    Type* option = &ty.make(TypeKind::Struct, "Option<NodeRef<...>>", 16);
    VariantPart vp;
    vp.discr = Field{"", ty.u64, 0, 0, 0, true};
    Variant v_none;
    v_none.discr_values = {Int128{0, 0}};
    v_none.member = Field{"None", none, 0};
    Variant v_some;
    v_some.is_default = true; // the niche: any non-null pointer
    v_some.member = Field{"Some", some, 0};
    vp.variants = {v_none, v_some};
    option->variant_part = vp;
    Type* btree = &ty.make(TypeKind::Struct, "BTreeMap<u64, u64, alloc::alloc::Global>", 24,
                           "alloc::collections::btree::map::BTreeMap<u64, u64, Global>");
    Types::add(*btree, "root", option, 0);
    Types::add(*btree, "length", ty.u64, 16);
    return btree;
}

/// Where a LeafNode<u64, u64> of btree_map_type keeps its fields.
struct NodeLayout {
    static constexpr uint64_t kLeafSize = 0xc0, kInternalSize = 0xc0 + 12 * 8;
    static constexpr uint64_t kKeys = 0x08, kVals = 0x60, kParentIdx = 0xb8, kLen = 0xba;
    static constexpr uint64_t kEdges = 0xc0;
};

/// A node at `a` of `size` bytes whose keys are `keys` (values = key * 2) and, if internal,
/// `edges`; `parent` and `parent_idx` as the walk up from a node reads them.
inline void btree_node(FakeMemory& mem, uint64_t a, const std::vector<uint64_t>& keys,
                       const std::vector<uint64_t>& edges = {}, uint64_t parent = 0,
                       uint16_t parent_idx = 0, uint64_t size = NodeLayout::kInternalSize) {
    mem.put_bytes(a, std::vector<std::byte>(size));
    mem.poke_u64(a, parent);
    mem.poke_u16(a + NodeLayout::kParentIdx, parent_idx);
    mem.poke_u16(a + NodeLayout::kLen, uint16_t(keys.size()));
    for (size_t i = 0; i < keys.size(); ++i) {
        mem.poke_u64(a + NodeLayout::kKeys + 8 * i, keys[i]);
        mem.poke_u64(a + NodeLayout::kVals + 8 * i, keys[i] * 2);
    }
    for (size_t i = 0; i < edges.size(); ++i)
        mem.poke_u64(a + NodeLayout::kEdges + 8 * i, edges[i]);
}

/// The 24-byte BTreeMap header at `at`.
inline void btree_header(FakeMemory& mem, uint64_t at, uint64_t root, uint64_t height,
                         uint64_t length) {
    mem.put_bytes(at, std::vector<std::byte>(24));
    mem.poke_u64(at, root);
    mem.poke_u64(at + 8, height);
    mem.poke_u64(at + 16, length);
}

/// Only the map families: the builtin registry caches by Type address, and these tests look at
/// the maps' own children, not at their elements' formatting.
struct MapRegistry : Registry {
    MapRegistry() {
        register_rust_hash(*this);
        register_rust_btree(*this);
    }
};

} // namespace seam::fake_maps
