// render_json ("seam.value/1", docs/value-schema.md) over synthetic trees.
#include <gtest/gtest.h>

#include "formatters/render/json_text.h"
#include "formatters/render/render.h"
#include "tests/engine/render_test_support.h"

namespace seam {
namespace {

using nlohmann::json;
using render_test::Env;
using render_test::Node;

TEST(RenderJson, ValueWithOwnershipAndChildren) {
    Env env;
    Ownership own;
    own.kind = OwnKind::Owned;
    own.address = 0x55d0c0de0010;
    own.size = 32;
    own.length = 2;
    own.capacity = 4;
    Value v = env.with(Node{.shape = Shape::List,
                            .children = {{"[0]", Env::leaf("1"), {}}, {"[1]", Env::leaf("2"), {}}},
                            .own = own,
                            .type_name = "Vec<u64>"});
    Context ctx = env.context();
    json expected = json::parse(R"({
      "schema": "seam.value/1", "name": "v", "type": "Vec<u64>", "formatter": "test.forest",
      "shape": "list", "debug": "[1, 2]", "summary": "[1, 2]", "count": 2,
      "ownership": {"kind": "owned", "address": "0x55d0c0de0010", "size": 32, "length": 2,
                    "capacity": 4},
      "children": [
        {"label": "[0]", "value": {"type": "", "formatter": null, "shape": "leaf", "debug": "1",
                                   "summary": "1", "count": 0, "ownership": {"kind": "inline"}}},
        {"label": "[1]", "value": {"type": "", "formatter": null, "shape": "leaf", "debug": "2",
                                   "summary": "2", "count": 0, "ownership": {"kind": "inline"}}}
      ]})");
    EXPECT_EQ(render_json(ctx, v, "v", 4), expected);
}

// fuzz_render: a type name or text that is not UTF-8 (a C string, a name from corrupt DWARF)
// made nlohmann's dump() throw (type_error 316) out of every JSON output. json_text, what every
// front end prints JSON with, replaces the bytes with U+FFFD.
TEST(RenderJson, TextThatIsNotUtf8PrintsAsReplacementCharacters) {
    Env env;
    Value v = env.with(Node{.shape = Shape::Struct,
                            .text = "n\x88",
                            .children = {{"f\xff", Env::leaf("\"\xc3\""), {}}},
                            .type_name = "struct n\x88"});
    Context ctx = env.context();
    std::string text = json_text(render_json(ctx, v, "v", 2));
    json back = json::parse(text);
    EXPECT_EQ(back["type"], "struct n\xef\xbf\xbd");
    EXPECT_EQ(back["debug"], "n\xef\xbf\xbd { f\xef\xbf\xbd: \"\xef\xbf\xbd\" }");
    EXPECT_EQ(back["children"][0]["label"], "f\xef\xbf\xbd");
    EXPECT_EQ(json_text(json("ok\xe2\x82"), 2), "\"ok\xef\xbf\xbd\"");
}

TEST(RenderJson, MapEntriesCarryKeyAndValue) {
    Env env;
    Value m = env.map({{Env::leaf("\"k\""), env.tuple("Some", {Env::leaf("1")})}});
    Context ctx = env.context();
    json j = render_json(ctx, m, "m", 1);
    EXPECT_EQ(j["debug"], "{\"k\": Some(1)}");
    ASSERT_EQ(j["children"].size(), 1u);
    EXPECT_EQ(j["children"][0]["label"], "[0]");
    EXPECT_EQ(j["children"][0]["key"]["debug"], "\"k\"");
    EXPECT_EQ(j["children"][0]["value"]["debug"], "Some(1)");
    EXPECT_EQ(j["children"][0]["value"]["count"], 1);
    // max_depth 1: the entry's value is shown, its own children are not.
    EXPECT_FALSE(j["children"][0]["value"].contains("children"));
}

TEST(RenderJson, LockFactsErrorsAndCutChildren) {
    Env env;
    Ownership lock;
    lock.kind = OwnKind::Lock;
    lock.state = "unlocked";
    Value mutex = env.with(Node{.shape = Shape::Struct,
                                .text = "Mutex",
                                .children = {{"data", env.error("<error: unreadable>"), {}}},
                                .own = lock});
    Context ctx = env.context();
    json j = render_json(ctx, mutex, "m", 2);
    EXPECT_EQ(j["ownership"], json::parse(R"({"kind": "lock", "state": "unlocked",
                                               "poisoned": false})"));
    EXPECT_EQ(j["children"][0]["value"]["shape"], "error");
    EXPECT_EQ(j["children"][0]["value"]["error"], "<error: unreadable>");

    Budget b;
    b.max_children = 2;
    Context cut = env.context(b);
    json big = render_json(cut, env.generated(Shape::List, 10), "v", 1);
    EXPECT_EQ(big["count"], 10);
    EXPECT_EQ(big["children"].size(), 2u);
    EXPECT_EQ(big["more"], 8);
    EXPECT_EQ(big["debug"], "[0, 1, <... 8 more>]");
}

TEST(RenderJson, TransparentChildIsThePointee) {
    Env env;
    Ownership box;
    box.kind = OwnKind::Owned;
    box.address = 0x10;
    box.size = 4;
    Value b = env.with(Node{.shape = Shape::Transparent,
                            .children = {{"", Env::leaf("5"), {}}},
                            .own = box,
                            .type_name = "Box<i32>"});
    Context ctx = env.context();
    json j = render_json(ctx, b, "b", 0);
    EXPECT_EQ(j["debug"], "5");
    EXPECT_EQ(j["count"], 1);
    EXPECT_FALSE(j.contains("children"));
    j = render_json(ctx, b, "b", 1);
    EXPECT_EQ(j["children"], json::parse(R"([{"label": "*", "value": {
        "type": "", "formatter": null, "shape": "leaf", "debug": "5", "summary": "5", "count": 0,
        "ownership": {"kind": "inline"}}}])"));
    EXPECT_EQ(j["ownership"], json::parse(R"({"kind": "owned", "address": "0x10", "size": 4})"));
}

} // namespace
} // namespace seam
