// render_tree and render_summary over synthetic trees.
#include <string>

#include <gtest/gtest.h>

#include "formatters/render/render.h"
#include "tests/engine/render_test_support.h"

namespace seam {
namespace {

using render_test::Env;
using render_test::Node;

Value typed(Env& e, std::string text, std::string type) {
    return e.with(
        Node{.shape = Shape::Leaf, .text = std::move(text), .type_name = std::move(type)});
}

Ownership owned(uint64_t address, uint64_t size) {
    Ownership o;
    o.kind = OwnKind::Owned;
    o.address = address;
    o.size = size;
    return o;
}

// Owner { items: Vec<u64>, map: HashMap, b: Box<P>, s: Box<i32> }
Value owner(Env& e) {
    Ownership vec_own = owned(0x5000, 32);
    vec_own.length = 2;
    vec_own.capacity = 4;
    Value items = e.with(
        Node{.shape = Shape::List,
             .children = {{"[0]", typed(e, "1", "u64"), {}}, {"[1]", typed(e, "2", "u64"), {}}},
             .own = vec_own,
             .type_name = "Vec<u64>"});
    Value map = e.with(Node{.shape = Shape::Map,
                            .children = {{"", typed(e, "\"a\"", "&str"), typed(e, "1", "i32")}},
                            .type_name = "HashMap<&str, i32>"});
    Value p = e.with(Node{.shape = Shape::Struct,
                          .text = "P",
                          .children = {{"x", typed(e, "1", "i32"), {}}},
                          .type_name = "P"});
    Value b = e.with(Node{.shape = Shape::Transparent,
                          .children = {{"", p, {}}},
                          .own = owned(0x6000, 8),
                          .type_name = "Box<P>"});
    Value s = e.with(Node{.shape = Shape::Transparent,
                          .children = {{"", typed(e, "5", "i32"), {}}},
                          .own = owned(0x7000, 4),
                          .type_name = "Box<i32>"});
    return e.with(
        Node{.shape = Shape::Struct,
             .text = "Owner",
             .children = {{"items", items, {}}, {"map", map, {}}, {"b", b, {}}, {"s", s, {}}},
             .type_name = "Owner"});
}

TEST(RenderTree, ShowsTypesSummariesOwnershipAndChildren) {
    Env env;
    Context ctx = env.context();
    EXPECT_EQ(render_tree(ctx, owner(env), "o", 8),
              R"((Owner) o = Owner { items: [1, 2], map: {"a": 1}, b: P { x: 1 }, s: 5 }
  (Vec<u64>) items = [1, 2] [owned 0x5000 size=32 len=2 cap=4]
    (u64) [0] = 1
    (u64) [1] = 2
  (HashMap<&str, i32>) map = {"a": 1}
    (i32) ["a"] = 1
  (Box<P>) b = P { x: 1 } [owned 0x6000 size=8]
    (P) * = P { x: 1 }
      (i32) x = 1
  (Box<i32>) s = 5 [owned 0x7000 size=4]
)");
}

TEST(RenderTree, StopsAtMaxDepth) {
    Env env;
    Context ctx = env.context();
    EXPECT_EQ(render_tree(ctx, owner(env), "o", 0),
              "(Owner) o = Owner { items: [1, 2], map: {\"a\": 1}, b: P { x: 1 }, s: 5 }\n");
    std::string one = render_tree(ctx, owner(env), "o", 1);
    EXPECT_EQ(one.find("[0]"), std::string::npos);
    EXPECT_NE(one.find("  (Box<i32>) s = 5 [owned 0x7000 size=4]\n"), std::string::npos);
}

TEST(RenderTree, UnlabelledChildrenAreIndexedAndCutChildrenMarked) {
    Env env;
    Budget b;
    b.max_children = 2;
    Context ctx = env.context(b);
    EXPECT_EQ(render_tree(ctx, env.generated(Shape::List, 5), "v", 4),
              "v = [0, 1, <... 3 more>]\n  [0] = 0\n  [1] = 1\n  <... 3 more>\n");
}

// Each line says what LLDB shows beside the value and `seam print --json` gives as `summary`
// (render_summary_line): a container whose formatter states facts lists its first items after
// them, and a string is cut where LLDB cuts one (1024 characters), not at the line's 120.
TEST(RenderTree, LinesAreTheSummaryLine) {
    Env env;
    Context ctx = env.context();
    Ownership vec_own = owned(0x5000, 32);
    vec_own.length = 3;
    vec_own.capacity = 4;
    Value vec = env.with(Node{.shape = Shape::List,
                              .generated = 3,
                              .own = vec_own,
                              .type_name = "Vec<u64>",
                              .summary = "len=3 cap=4"});
    EXPECT_EQ(render_tree(ctx, vec, "v", 1),
              "(Vec<u64>) v = len=3 cap=4 [0, 1, 2] [owned 0x5000 size=32 len=3 cap=4]\n"
              "  [0] = 0\n  [1] = 1\n  [2] = 2\n");
    // Bounded: a long list shows the items the line holds.
    Value big = env.with(Node{.shape = Shape::List,
                              .generated = 100'000,
                              .type_name = "Vec<u64>",
                              .summary = "len=100000 cap=100000"});
    EXPECT_EQ(render_tree(ctx, big, "big", 0),
              "(Vec<u64>) big = len=100000 cap=100000 [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, "
              "13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,...\n");
    EXPECT_LT(ctx.usage().elements, 256u);
    const std::string text = "\"" + std::string(200, 'a') + "\"";
    EXPECT_EQ(render_tree(ctx, env.with(Node{.text = text, .type_name = "String"}), "s", 0),
              "(String) s = " + text + "\n");
}

TEST(RenderTree, OwnershipFactsInBrackets) {
    Env env;
    auto line = [&](Ownership o, std::string summary = "") {
        Context ctx = env.context();
        Node n{.shape = Shape::Leaf, .text = "v", .own = std::move(o), .summary = summary};
        return render_tree(ctx, env.with(n), "x", 1);
    };
    Ownership rc;
    rc.kind = OwnKind::Shared;
    rc.address = 0xabc0;
    rc.strong = 2;
    rc.weak = 1;
    EXPECT_EQ(line(rc), "x = v [shared 0xabc0 strong=2 weak=1]\n");
    Ownership lock;
    lock.kind = OwnKind::Lock;
    lock.state = "locked";
    lock.poisoned = true;
    EXPECT_EQ(line(lock, "Mutex"), "x = Mutex [lock locked poisoned]\n");
    Ownership weak;
    weak.kind = OwnKind::Shared;
    weak.note = "dangling";
    EXPECT_EQ(line(weak), "x = v [shared (dangling)]\n");
    EXPECT_EQ(line(Ownership{}), "x = v\n");
}

TEST(RenderSummary, FormatterSummaryWinsElseDebugCut) {
    Env env;
    Context ctx = env.context();
    Node with_summary{.shape = Shape::List, .summary = "size=3"};
    EXPECT_EQ(render_summary(ctx, ctx.format(env.with(with_summary)), 2), "size=3");
    Formatted list = ctx.format(env.generated(Shape::List, 100));
    EXPECT_EQ(render_summary(ctx, list, 10), "[0, 1, 2, ...");
    Formatted small = ctx.format(env.generated(Shape::List, 3));
    EXPECT_EQ(render_summary(ctx, small, 9), "[0, 1, 2]"); // exactly 9 characters: not cut
    // Characters, not bytes: é is two bytes.
    EXPECT_EQ(render_summary(ctx, leaf("\"\xC3\xA9\xC3\xA9\xC3\xA9\""), 3),
              "\"\xC3\xA9\xC3\xA9...");
}

TEST(RenderSummary, ReadsOnlyWhatTheCutKeeps) {
    Env env;
    Context ctx = env.context();
    Formatted huge = ctx.format(env.generated(Shape::List, 10'000'000));
    EXPECT_EQ(render_summary(ctx, huge, 20), "[0, 1, 2, 3, 4, 5, 6...");
    EXPECT_EQ(env.forest->requests.size(), 1u);
    EXPECT_LT(ctx.usage().elements, 256u);
}

} // namespace
} // namespace seam
