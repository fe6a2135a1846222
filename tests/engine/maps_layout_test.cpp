// The hash-table and B-tree formatters over hand-built memory laid out as rustc 1.95 lays it
// out (hashbrown 0.16; btree node.rs): iteration order, paging by index range, ownership, and
// the corrupted headers that must end as `<invalid: ...>` without walking anything.
#include <cstring>
#include <random>

#include <gtest/gtest.h>

#include "formatters/core/context.h"
#include "formatters/rust/families.h"
#include "tests/engine/fake_target.h"

namespace seam {
namespace {

using fake_target::FakeMemory;
using fake_target::Types;
using MapTypes = fake_target::RustTypes;

// std HashMap<u64, u64> over hashbrown, with RawTableInner's fields in rustc 1.95's order.
const Type* hash_map_type(MapTypes& ty) {
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

constexpr uint64_t kMap = 0x1000;  // the HashMap value
constexpr uint64_t kCtrl = 0x9000; // its control bytes; buckets below

// The builtin registry caches by Type address, which these short-lived types would reuse.
struct MapRegistry : Registry {
    MapRegistry() {
        register_rust_hash(*this);
        register_rust_btree(*this);
    }
};

struct HashFixture : ::testing::Test {
    MapRegistry registry;
    MapTypes ty;
    FakeMemory mem;
    const Type* map = hash_map_type(ty);
    // 8 buckets: full at 1, 4, 6 (keys 10, 40, 60), DELETED at 2, EMPTY elsewhere.
    void SetUp() override {
        header(kCtrl, 7, 3, 1);
        std::vector<std::byte> ctrl(8 + 16, std::byte{0xff});
        for (int i : {1, 4, 6}) ctrl[i] = std::byte{0x12};
        ctrl[2] = std::byte{0x80};
        mem.put_bytes(kCtrl, ctrl);
        mem.put_bytes(kCtrl - 8 * 16, std::vector<std::byte>(8 * 16));
        for (uint64_t i : {1, 4, 6}) {
            mem.poke_u64(kCtrl - (i + 1) * 16, i * 10);
            mem.poke_u64(kCtrl - (i + 1) * 16 + 8, i * 100);
        }
    }
    void header(uint64_t ctrl, uint64_t mask, uint64_t items, uint64_t growth) {
        mem.put_bytes(kMap, std::vector<std::byte>(48));
        mem.poke_u64(kMap, ctrl);
        mem.poke_u64(kMap + 8, mask);
        mem.poke_u64(kMap + 16, growth);
        mem.poke_u64(kMap + 24, items);
    }
    uint64_t read_u64(uint64_t a) {
        std::byte b[8];
        EXPECT_TRUE(mem.read(a, b).ok());
        uint64_t v;
        std::memcpy(&v, b, 8);
        return v;
    }
};

TEST_F(HashFixture, IteratesFullBucketsInAscendingIndexAndPages) {
    Context ctx(mem, nullptr, registry);
    Formatted f = ctx.format(Value::at(map, kMap));
    ASSERT_EQ(f.shape, Shape::Map) << f.text;
    EXPECT_EQ(f.count, 3u);
    EXPECT_EQ(f.summary, "len=3");
    EXPECT_EQ(f.own.kind, OwnKind::Owned);
    EXPECT_EQ(f.own.address, kCtrl - 128); // 8 buckets of 16 bytes, already 16-aligned
    EXPECT_EQ(f.own.size, std::optional<uint64_t>(128 + 8 + 16));
    EXPECT_EQ(f.own.length, std::optional<uint64_t>(3));
    EXPECT_EQ(f.own.capacity, std::optional<uint64_t>(3 + 1)); // items + growth_left

    auto all = ctx.children(f, 0, 100);
    ASSERT_EQ(all.size(), 3u);
    uint64_t keys[] = {10, 40, 60};
    for (size_t n = 0; n < 3; ++n) {
        EXPECT_EQ(all[n].label, fmt::format("[{}]", n));
        EXPECT_EQ(read_u64(*all[n].value.address), keys[n]);
        ASSERT_TRUE(all[n].map_value);
        EXPECT_EQ(read_u64(*all[n].map_value->address), keys[n] * 10);
    }
    auto page = ctx.children(f, 1, 2);
    ASSERT_EQ(page.size(), 2u);
    EXPECT_EQ(page[0].label, "[1]");
    EXPECT_EQ(read_u64(*page[0].value.address), 40u);
    EXPECT_EQ(read_u64(*page[1].value.address), 60u);
}

TEST_F(HashFixture, EmptySingletonIsAnEmptyMapWithNoAllocation) {
    header(0x7000, 0, 0, 0); // ctrl at a static group: never read
    Context ctx(mem, nullptr, registry);
    Formatted f = ctx.format(Value::at(map, kMap));
    ASSERT_EQ(f.shape, Shape::Map) << f.text;
    EXPECT_EQ(f.count, 0u);
    EXPECT_EQ(f.own.address, 0u);
    EXPECT_EQ(f.own.note, "static empty singleton, no allocation");
    EXPECT_EQ(ctx.usage().reads, 1u); // the header, in one read
}

TEST_F(HashFixture, CorruptedHeadersAreInvalidWithoutWalking) {
    struct Case {
        uint64_t ctrl, mask, items;
        std::string prefix;
    } cases[] = {
        {kCtrl, 0x12345677, 3, "<invalid: bucket mask 0x12345677 is not 2^n - 1>"},
        {kCtrl, 7, 8, "<invalid: 8 items exceed the capacity 7 of 8 buckets>"},
        {kCtrl, (1ull << 50) - 1, 3, "<invalid: 1125899906842624 buckets cannot fit in memory>"},
        {0x5000, 7, 3, "<invalid: control bytes at 0x5000 unreadable>"},
        {kCtrl, 7, 2, "<invalid: 3 full buckets but 2 items>"},
        {0, 7, 3, "<invalid: null control bytes>"},
    };
    for (const auto& c : cases) {
        header(c.ctrl, c.mask, c.items, 0);
        Context ctx(mem, nullptr, registry);
        Formatted f = ctx.format(Value::at(map, kMap));
        EXPECT_EQ(f.shape, Shape::Error);
        EXPECT_EQ(f.text, c.prefix);
        EXPECT_LE(ctx.usage().bytes, 48u + 8u);
    }
}

// Random headers over real control bytes: every outcome is a value or a marked error, within a
// small budget, and never a crash or a walk past it.
TEST_F(HashFixture, RandomHeadersStayWithinBudget) {
    std::mt19937_64 rng(42);
    Budget budget;
    budget.max_bytes = 1 << 20;
    for (int round = 0; round < 500; ++round) {
        uint64_t mask = (rng() % 3 == 0) ? rng() : (1ull << (rng() % 40)) - 1;
        uint64_t ctrl = (rng() % 2) ? kCtrl : rng();
        header(ctrl, mask, rng() % 4 == 0 ? rng() : rng() % 64, rng() % 8);
        Context ctx(mem, nullptr, registry, budget);
        Formatted f = ctx.format(Value::at(map, kMap));
        auto cs = ctx.children(f, 0, 100);
        EXPECT_LE(cs.size(), 100u);
        if (f.shape == Shape::Error) {
            EXPECT_TRUE(f.text.starts_with("<invalid") || f.text.starts_with("<error")) << f.text;
        }
        EXPECT_LE(ctx.usage().bytes, budget.max_bytes);
    }
}

// BTreeMap<u64, u64> with LeafNode's fields where rustc 1.95 puts them, and no InternalNode in
// the DWARF, so that the formatter computes the edges' offset (0xc0) itself.
struct BTreeFixture : ::testing::Test {
    MapRegistry registry;
    MapTypes ty;
    FakeMemory mem;
    const Type* map = nullptr;
    static constexpr uint64_t kBTree = 0x2000;

    void SetUp() override {
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
        map = btree;
    }
    // A node at `a` whose keys are `keys` (values = key * 2) and, if internal, `edges`.
    void node(uint64_t a, std::vector<uint64_t> keys, std::vector<uint64_t> edges = {}) {
        mem.put_bytes(a, std::vector<std::byte>(0xc0 + 12 * 8));
        mem.poke_u16(a + 0xba, uint16_t(keys.size()));
        for (size_t i = 0; i < keys.size(); ++i) {
            mem.poke_u64(a + 8 + 8 * i, keys[i]);
            mem.poke_u64(a + 0x60 + 8 * i, keys[i] * 2);
        }
        for (size_t i = 0; i < edges.size(); ++i) mem.poke_u64(a + 0xc0 + 8 * i, edges[i]);
    }
    void header(uint64_t root, uint64_t height, uint64_t length) {
        mem.put_bytes(kBTree, std::vector<std::byte>(24));
        mem.poke_u64(kBTree, root);
        mem.poke_u64(kBTree + 8, height);
        mem.poke_u64(kBTree + 16, length);
    }
    std::vector<uint64_t> keys_of(const std::vector<Child>& cs) {
        std::vector<uint64_t> out;
        for (const auto& c : cs) {
            if (!c.value.address) {
                out.push_back(~0ull);
                continue;
            }
            std::byte b[8];
            EXPECT_TRUE(mem.read(*c.value.address, b).ok());
            uint64_t v;
            std::memcpy(&v, b, 8);
            out.push_back(v);
        }
        return out;
    }
};

TEST_F(BTreeFixture, WalksInOrderAcrossLevelsAndPages) {
    // root [30, 60] over leaves [10, 20], [40, 50], [70]
    node(0x10000, {30, 60}, {0x20000, 0x30000, 0x40000});
    node(0x20000, {10, 20});
    node(0x30000, {40, 50});
    node(0x40000, {70});
    header(0x10000, 1, 7);
    Context ctx(mem, nullptr, registry);
    Formatted f = ctx.format(Value::at(map, kBTree));
    ASSERT_EQ(f.shape, Shape::Map) << f.text;
    EXPECT_EQ(f.count, 7u);
    EXPECT_EQ(f.summary, "len=7");
    EXPECT_EQ(f.own.address, 0x10000u);
    EXPECT_EQ(f.own.size, std::optional<uint64_t>(0xc0 + 96));
    auto all = ctx.children(f, 0, 100);
    EXPECT_EQ(keys_of(all), (std::vector<uint64_t>{10, 20, 30, 40, 50, 60, 70}));
    ASSERT_TRUE(all[3].map_value);
    EXPECT_EQ(*all[3].map_value->address, 0x30000u + 0x60);
    auto page = ctx.children(f, 2, 3);
    EXPECT_EQ(keys_of(page), (std::vector<uint64_t>{30, 40, 50}));
    EXPECT_EQ(page[0].label, "[2]");
}

TEST_F(BTreeFixture, EmptyMapHasNoRoot) {
    header(0, 0, 0);
    Context ctx(mem, nullptr, registry);
    Formatted f = ctx.format(Value::at(map, kBTree));
    ASSERT_EQ(f.shape, Shape::Map) << f.text;
    EXPECT_EQ(f.count, 0u);
    EXPECT_EQ(f.own.note, "no root node, no allocation");
}

TEST_F(BTreeFixture, CorruptionIsInvalid) {
    node(0x10000, {1, 2});
    header(0x10000, 1, 1ull << 61);
    Context ctx(mem, nullptr, registry);
    EXPECT_EQ(ctx.format(Value::at(map, kBTree)).text,
              "<invalid: length 2305843009213693952 exceeds the 143 elements a tree of height 1 "
              "holds>");
    header(0x10000, 40, 5);
    EXPECT_EQ(ctx.format(Value::at(map, kBTree)).text,
              "<invalid: height 40 is taller than any B-tree>");
    mem.poke_u16(0x10000 + 0xba, 12);
    header(0x10000, 0, 5);
    EXPECT_EQ(ctx.format(Value::at(map, kBTree)).text,
              "<invalid: B-tree node at 0x10000 holds 12 keys (at most 11)>");
    header(0, 0, 3);
    EXPECT_EQ(ctx.format(Value::at(map, kBTree)).text, "<invalid: length 3 with no root node>");
    // A leaf that claims fewer elements than the length: the missing ones are a visible error.
    mem.poke_u16(0x10000 + 0xba, 2);
    header(0x10000, 0, 3);
    Formatted f = ctx.format(Value::at(map, kBTree));
    auto cs = ctx.children(f, 0, 10);
    ASSERT_EQ(cs.size(), 3u);
    EXPECT_EQ(*cs[2].value.synthetic, "<invalid: the tree holds fewer than its 3 elements>");
}

// Nodes whose edges point back at their own tree (a cycle) or anywhere, with random lengths:
// the walk ends within the element budget whatever the bytes say.
TEST_F(BTreeFixture, RandomNodesEndWithinBudget) {
    std::mt19937_64 rng(7);
    const uint64_t nodes[] = {0x10000, 0x20000, 0x30000, 0x40000};
    Budget budget;
    budget.max_elements = 5000;
    for (int round = 0; round < 300; ++round) {
        for (uint64_t a : nodes) {
            std::vector<uint64_t> keys(rng() % 12, 1), edges(12);
            for (auto& e : edges) e = rng() % 8 ? nodes[rng() % 4] : rng();
            node(a, keys, edges);
            if (rng() % 10 == 0) mem.poke_u16(a + 0xba, uint16_t(rng()));
        }
        header(nodes[rng() % 4], rng() % 6, rng() % 3000);
        Context ctx(mem, nullptr, registry, budget);
        Formatted f = ctx.format(Value::at(map, kBTree));
        auto cs = ctx.children(f, 0, 2000);
        EXPECT_LE(cs.size(), 2000u);
        EXPECT_LE(ctx.usage().elements, budget.max_elements);
    }
}

} // namespace
} // namespace seam
