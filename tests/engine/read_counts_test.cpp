// Memory reads per rendered container against the distinct allocations it touches (issue 3:
// "within 2x"), counted exactly over hand-built memory: a Vec larger than the children budget,
// a HashMap read as control bytes plus the buckets the budget shows (or whole), a multi-level
// BTreeMap read one node at a time, each node once. Every render's text is checked against
// the one a paging client (no read-ahead) gives, so fewer reads never change a byte.
#include <cstring>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "formatters/core/context.h"
#include "formatters/render/render.h"
#include "tests/engine/fake_maps.h"
#include "tests/engine/fake_target.h"

namespace seam {
namespace {

using fake_target::FakeMemory;

fake_target::RustStdTypes& types() {
    static auto* t = new fake_target::RustStdTypes;
    return *t;
}

struct Render {
    std::string text;
    uint64_t reads = 0;
    uint64_t bytes = 0;
};

Render render(FakeMemory& mem, const Value& v, Budget budget, bool read_ahead = true) {
    Context ctx(mem, nullptr, builtin_registry(), budget);
    if (!read_ahead) ctx.set_read_chunk(0);
    Render r;
    r.text = render_debug(ctx, v, false);
    r.reads = ctx.usage().reads;
    r.bytes = ctx.usage().bytes;
    return r;
}

Budget children_budget(uint64_t n) {
    Budget b;
    b.max_children = n;
    return b;
}

// A Vec of 10,000 u64 shown 1,000 at a time: the header, then the shown elements in one read.
// The far end of the buffer is not read at all (it used to be probed: a third read).
TEST(ReadCounts, VecLargerThanTheBudgetIsTheHeaderAndOneRead) {
    FakeMemory mem;
    constexpr uint64_t kLen = 10'000, kPtr = 0x100000;
    fake_target::vec_header(mem, 0x1000, kPtr, kLen, kLen);
    mem.generate(kPtr, kLen * 8, 8);
    Value v = Value::at(types().vec(types().u64), 0x1000);
    Render r = render(mem, v, children_budget(1000));
    std::string want = "[";
    for (uint64_t i = 0; i < 1000; ++i) want += (i ? ", " : "") + std::to_string(i);
    EXPECT_EQ(r.text, want + ", <... 9000 more>]");
    EXPECT_EQ(r.reads, 2u);
    EXPECT_EQ(mem.reads.back(), std::make_pair(kPtr, uint64_t(8000)));
    mem.reads.clear();
    EXPECT_EQ(render(mem, v, children_budget(1000), false).text, r.text);
}

// hashbrown tables filled at random like a hash does, keys k -> 2k.
struct Table {
    static constexpr uint64_t kMap = 0x1000;
    static constexpr uint64_t kCtrl = 0x4000'0000;
    uint64_t buckets = 0;
    uint64_t items = 0;

    // The table at kCtrl: buckets below, control bytes (and a group's mirror) above, one block
    // as one allocation is.
    void build(FakeMemory& mem, uint64_t n_buckets, uint64_t n_items, unsigned seed) {
        buckets = n_buckets;
        items = n_items;
        const uint64_t data = buckets * 16;
        auto& bytes = mem.block(kCtrl - data, data + buckets + 16);
        std::memset(bytes.data() + data, 0xff, buckets + 16);
        std::mt19937_64 rng(seed);
        std::vector<uint64_t> order(buckets);
        for (uint64_t i = 0; i < buckets; ++i) order[i] = i;
        std::shuffle(order.begin(), order.end(), rng);
        for (uint64_t k = 0; k < items; ++k) {
            uint64_t b = order[k], key = k * 7 + 1, value = key * 2;
            bytes[data + b] = std::byte{0x15};
            std::memcpy(bytes.data() + data - (b + 1) * 16, &key, 8);
            std::memcpy(bytes.data() + data - (b + 1) * 16 + 8, &value, 8);
        }
        uint64_t capacity = buckets < 8 ? buckets - 1 : buckets / 8 * 7;
        fake_maps::hash_header(mem, kMap, kCtrl, buckets - 1, items, capacity - items);
    }
};

void expect_pairs(const std::string& text, uint64_t shown, uint64_t more) {
    // `{k: 2k, ...}` with `shown` distinct keys, then the marker.
    std::set<uint64_t> keys;
    const char* at = text.c_str() + 1;
    for (uint64_t n = 0; n < shown; ++n) {
        char* end = nullptr;
        uint64_t k = std::strtoull(at, &end, 10);
        ASSERT_EQ(std::string_view(end, 2), ": ");
        uint64_t v = std::strtoull(end + 2, &end, 10);
        EXPECT_EQ(v, 2 * k);
        keys.insert(k);
        at = end + 2;
    }
    EXPECT_EQ(keys.size(), shown);
    if (more) EXPECT_TRUE(text.ends_with(fmt::format("<... {} more>}}", more))) << at;
}

// 2^16 buckets, 50,000 items, 2,000 shown: the header, the control bytes that hold the first
// 2,000 items (estimated from the load factor), then exactly the buckets those items are in.
TEST(ReadCounts, LargeHashMapIsControlBytesAndTheShownBuckets) {
    FakeMemory mem;
    Table t;
    t.build(mem, 1 << 16, 50'000, 1);
    Value v = Value::at(fake_maps::hash_map_type(types()), Table::kMap);
    Render r = render(mem, v, children_budget(2000));
    expect_pairs(r.text, 2000, 48'000);
    EXPECT_EQ(r.reads, 3u);
    // Far less than the 1.1 MB table.
    EXPECT_LT(r.bytes, 100'000u);
    EXPECT_EQ(render(mem, v, children_budget(2000), false).text, r.text);
}

// Every item shown and the table within one read: the header and the whole table.
TEST(ReadCounts, HashMapShownWholeIsOneReadOfTheTable) {
    FakeMemory mem;
    Table t;
    t.build(mem, 1 << 16, 50'000, 2);
    Value v = Value::at(fake_maps::hash_map_type(types()), Table::kMap);
    Render r = render(mem, v, Budget{});
    expect_pairs(r.text, 50'000, 0);
    EXPECT_EQ(r.reads, 2u);
    // The HashMap whole (its hasher's 16 bytes too: a small value is read whole when it is
    // first touched, Context::format), then the buckets and control bytes.
    EXPECT_EQ(r.bytes, 48u + (1 << 16) * 17);
    EXPECT_EQ(render(mem, v, Budget{}, false).text, r.text);
}

// A table small enough to have its items counted when formatted: the header, its control
// bytes (the count), then the whole table.
TEST(ReadCounts, SmallHashMapIsHeaderControlBytesAndTable) {
    FakeMemory mem;
    Table t;
    t.build(mem, 64, 40, 3);
    Value v = Value::at(fake_maps::hash_map_type(types()), Table::kMap);
    Render r = render(mem, v, Budget{});
    expect_pairs(r.text, 40, 0);
    EXPECT_EQ(r.reads, 3u);
    EXPECT_EQ(render(mem, v, Budget{}, false).text, r.text);
}

// A bucket mask of 2^24 - 1 over 16 MiB of EMPTY control bytes with 10 items claimed: the walk
// stops at the byte budget and says so, having read no more than it allows.
TEST(ReadCounts, GarbageBucketMaskStopsAtTheByteBudget) {
    FakeMemory mem;
    constexpr uint64_t kBuckets = 1 << 24;
    auto& bytes = mem.block(Table::kCtrl, kBuckets + 16);
    std::memset(bytes.data(), 0xff, bytes.size());
    fake_maps::hash_header(mem, Table::kMap, Table::kCtrl, kBuckets - 1, 10, 0);
    Budget budget;
    budget.max_bytes = 1 << 20;
    Context ctx(mem, nullptr, builtin_registry(), budget);
    std::string text =
        render_debug(ctx, Value::at(fake_maps::hash_map_type(types()), Table::kMap), false);
    EXPECT_NE(text.find("<error: control bytes at 0x"), std::string::npos) << text;
    EXPECT_NE(text.find("<budget: reading"), std::string::npos) << text;
    EXPECT_LE(ctx.usage().bytes, budget.max_bytes);
}

// A BTreeMap of height 2 as BTreeMap::from_iter builds one: full leaves (11 keys), a key of the
// level above between each two; parent links and parent_idx set as std sets them.
struct Tree {
    static constexpr uint64_t kMap = 0x2000;
    static constexpr uint64_t kNodes = 0x1000'0000;
    uint64_t next = kNodes;
    uint64_t nodes = 0;
    std::vector<uint64_t> addresses;
    uint64_t key = 0;
    FakeMemory& mem;
    explicit Tree(FakeMemory& m) : mem(m) {}

    uint64_t alloc(uint64_t size) {
        uint64_t a = next;
        next += (size + 0x3f) & ~uint64_t(0x3f);
        ++nodes;
        addresses.push_back(a);
        return a;
    }
    // A subtree of `height` with `fanout` children per internal node, in key order, under
    // `parent` at its edge `parent_idx`; returns its node.
    uint64_t build(uint64_t height, uint64_t fanout, uint64_t parent, uint16_t parent_idx) {
        if (height == 0) {
            uint64_t a = alloc(fake_maps::NodeLayout::kLeafSize);
            std::vector<uint64_t> keys;
            for (int i = 0; i < 11; ++i) keys.push_back(key++);
            fake_maps::btree_node(mem, a, keys, {}, parent, parent_idx,
                                  fake_maps::NodeLayout::kLeafSize);
            return a;
        }
        uint64_t a = alloc(fake_maps::NodeLayout::kInternalSize);
        std::vector<uint64_t> keys, edges;
        for (uint64_t i = 0; i < fanout; ++i) {
            edges.push_back(build(height - 1, fanout, a, uint16_t(i)));
            if (i + 1 < fanout) keys.push_back(key++);
        }
        fake_maps::btree_node(mem, a, keys, edges, parent, parent_idx);
        return a;
    }
    void make(uint64_t height, uint64_t fanout) {
        uint64_t root = build(height, fanout, 0, 0);
        fake_maps::btree_header(mem, kMap, root, height, key);
    }
};

std::string btree_text(uint64_t n, uint64_t shown) {
    std::string out = "{";
    for (uint64_t k = 0; k < shown; ++k) out += fmt::format("{}{}: {}", k ? ", " : "", k, 2 * k);
    if (shown < n) out += fmt::format(", <... {} more>", n - shown);
    return out + "}";
}

// 12 x 12 leaves under 12 internal nodes under the root: 157 nodes, 1,727 elements. The render
// reads the header and each node once: pages of 256 go on from where the one before ended
// (through the nodes' parent links) instead of walking again from the root.
TEST(ReadCounts, MultiLevelBTreeMapIsOneReadPerNode) {
    FakeMemory mem;
    Tree tree(mem);
    tree.make(2, 12);
    ASSERT_EQ(tree.nodes, 1u + 12 + 144);
    ASSERT_EQ(tree.key, 144u * 11 + 12 * 11 + 11);
    Value v = Value::at(fake_maps::btree_map_type(types()), Tree::kMap);
    Render r = render(mem, v, Budget{});
    EXPECT_EQ(r.text, btree_text(tree.key, tree.key));
    EXPECT_EQ(r.reads, 1 + tree.nodes);
    EXPECT_EQ(render(mem, v, Budget{}, false).text, r.text);
    // Shown in part: the nodes up to the last element shown, once each. Elements 0..142 are
    // the first internal node's subtree, 143 the root's first key, 144..286 the second
    // subtree, 287 the root's second key, 288..298 the third subtree's first leaf, 299 its
    // internal node's first key: the header, the root, 3 internal nodes and 25 leaves.
    Render part = render(mem, v, children_budget(300));
    EXPECT_EQ(part.text, btree_text(tree.key, 300));
    EXPECT_EQ(part.reads, 1u + 1 + 3 + 25);
}

// Parent links that do not lead back (corrupted nodes): every page walks from the root again,
// and the text is still exactly right.
TEST(ReadCounts, BrokenParentLinkFallsBackToTheWalkFromTheRoot) {
    FakeMemory mem;
    Tree tree(mem);
    tree.make(2, 12);
    for (uint64_t a : tree.addresses) mem.poke_u64(a, 0x7777'0000);
    Value v = Value::at(fake_maps::btree_map_type(types()), Tree::kMap);
    Render r = render(mem, v, Budget{});
    EXPECT_EQ(r.text, btree_text(tree.key, tree.key));
    EXPECT_GT(r.reads, 1 + tree.nodes);
}

} // namespace
} // namespace seam
