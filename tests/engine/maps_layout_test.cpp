// The hash-table and B-tree formatters over hand-built memory laid out as rustc 1.95 lays it
// out (hashbrown 0.16; btree node.rs): iteration order, paging by index range, ownership, and
// the corrupted headers that must end as `<invalid: ...>` without walking anything.
#include <cstring>
#include <random>

#include <gtest/gtest.h>

#include "formatters/core/context.h"
#include "formatters/rust/families.h"
#include "tests/engine/fake_maps.h"
#include "tests/engine/fake_target.h"

namespace seam {
namespace {

using fake_maps::MapRegistry;
using fake_maps::MapTypes;
using fake_target::FakeMemory;

constexpr uint64_t kMap = 0x1000;  // the HashMap value
constexpr uint64_t kCtrl = 0x9000; // its control bytes; buckets below

struct HashFixture : ::testing::Test {
    MapRegistry registry;
    MapTypes ty;
    FakeMemory mem;
    const Type* map = fake_maps::hash_map_type(ty);
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
        fake_maps::hash_header(mem, kMap, ctrl, mask, items, growth);
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

// BTreeMap<u64, u64> with no InternalNode in the DWARF (fake_maps::btree_map_type).
struct BTreeFixture : ::testing::Test {
    MapRegistry registry;
    MapTypes ty;
    FakeMemory mem;
    const Type* map = fake_maps::btree_map_type(ty);
    static constexpr uint64_t kBTree = 0x2000;

    // A node at `a` whose keys are `keys` (values = key * 2) and, if internal, `edges`.
    void node(uint64_t a, std::vector<uint64_t> keys, std::vector<uint64_t> edges = {}) {
        fake_maps::btree_node(mem, a, keys, edges);
    }
    void header(uint64_t root, uint64_t height, uint64_t length) {
        fake_maps::btree_header(mem, kBTree, root, height, length);
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
    // One request per memory state: a Context keeps the header and the nodes it has read.
    auto text = [&] {
        Context ctx(mem, nullptr, registry);
        return ctx.format(Value::at(map, kBTree)).text;
    };
    node(0x10000, {1, 2});
    header(0x10000, 1, 1ull << 61);
    EXPECT_EQ(text(),
              "<invalid: length 2305843009213693952 exceeds the 143 elements a tree of height 1 "
              "holds>");
    header(0x10000, 40, 5);
    EXPECT_EQ(text(), "<invalid: height 40 is taller than any B-tree>");
    mem.poke_u16(0x10000 + 0xba, 12);
    header(0x10000, 0, 5);
    EXPECT_EQ(text(), "<invalid: B-tree node at 0x10000 holds 12 keys (at most 11)>");
    header(0, 0, 3);
    EXPECT_EQ(text(), "<invalid: length 3 with no root node>");
    // A leaf that claims fewer elements than the length: the missing ones are a visible error.
    mem.poke_u16(0x10000 + 0xba, 2);
    header(0x10000, 0, 3);
    Context ctx(mem, nullptr, registry);
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
