// render_debug over synthetic trees. The expected texts of the first tests are what rustc 1.95
// printed for the same values with `{:?}` and `{:#?}` (derived Debug, and hand-written Debug
// through the builders' finish_non_exhaustive); the values are rebuilt here shape by shape.
#include <string>

#include <gtest/gtest.h>

#include "formatters/render/render.h"
#include "tests/engine/render_test_support.h"

namespace seam {
namespace {

using render_test::Env;
using render_test::Node;

struct Both {
    std::string compact, pretty;
};

Both both(Env& env, const Value& v, Budget b = {}) {
    Context c1 = env.context(b);
    Context c2 = env.context(b);
    return {render_debug(c1, v, false), render_debug(c2, v, true)};
}

Value inner(Env& e, int x, Value y) {
    return e.structure("Inner", {{"x", Env::leaf(std::to_string(x))}, {"y", y}});
}

// The Foo of the oracle program: every builder, nested in every other.
Value foo(Env& e) {
    auto L = Env::leaf;
    return e.structure("Foo",
                       {{"a", e.list({L("1"), L("2")})},
                        {"b", e.tuple("", {L("7")})},
                        {"c", e.structure("Unit", {})},
                        {"d", e.tuple("Tup", {L("3"), L("\"s\"")})},
                        {"e", e.map({{L("\"k1\""), e.list({L("1")})}, {L("\"k2\""), e.list({})}})},
                        {"f", e.set({L("'x'"), L("'y'")})},
                        {"g", inner(e, 1, e.tuple("Some", {inner(e, 2, L("None"))}))},
                        {"h", L("()")},
                        {"i", e.list({e.list({}), e.list({L("5")})})},
                        {"j", e.structure("NonEx", {{"a", L("1")}, {"b", e.list({L("2")})}}, true)},
                        {"k", e.structure("NonEx0", {}, true)},
                        {"l", e.with(Node{.shape = Shape::List,
                                          .children = {{"", L("1"), {}}, {"", L("2"), {}}},
                                          .non_exhaustive = true})}});
}

TEST(RenderDebug, EveryBuilderNestedMatchesRustc) {
    Env env;
    Both out = both(env, foo(env));
    EXPECT_EQ(out.compact,
              R"(Foo { a: [1, 2], b: (7,), c: Unit, d: Tup(3, "s"), e: {"k1": [1], "k2": []}, )"
              R"(f: {'x', 'y'}, g: Inner { x: 1, y: Some(Inner { x: 2, y: None }) }, h: (), )"
              R"(i: [[], [5]], j: NonEx { a: 1, b: [2], .. }, k: NonEx0 { .. }, l: [1, 2, ..] })");
    EXPECT_EQ(out.pretty, R"(Foo {
    a: [
        1,
        2,
    ],
    b: (
        7,
    ),
    c: Unit,
    d: Tup(
        3,
        "s",
    ),
    e: {
        "k1": [
            1,
        ],
        "k2": [],
    },
    f: {
        'x',
        'y',
    },
    g: Inner {
        x: 1,
        y: Some(
            Inner {
                x: 2,
                y: None,
            },
        ),
    },
    h: (),
    i: [
        [],
        [
            5,
        ],
    ],
    j: NonEx {
        a: 1,
        b: [
            2,
        ],
        ..
    },
    k: NonEx0 { .. },
    l: [
        1,
        2,
        ..
    ],
})");
}

TEST(RenderDebug, TuplesMatchRustc) {
    Env env;
    auto L = Env::leaf;
    Both one = both(env, env.tuple("", {L("1")}));
    EXPECT_EQ(one.compact, "(1,)");
    EXPECT_EQ(one.pretty, "(\n    1,\n)");
    Both two = both(env, env.tuple("", {L("1"), L("\"a\"")}));
    EXPECT_EQ(two.compact, R"((1, "a"))");
    EXPECT_EQ(two.pretty, "(\n    1,\n    \"a\",\n)");
    Both nested =
        both(env, env.tuple("", {env.tuple("", {L("1")}), env.tuple("", {env.tuple("", {})})}));
    EXPECT_EQ(nested.compact, "((1,), ((),))");
    EXPECT_EQ(nested.pretty, "(\n    (\n        1,\n    ),\n    (\n        (),\n    ),\n)");
    // A named 1-tuple has no trailing comma: Some(1).
    Both some = both(env, env.tuple("Some", {L("1")}));
    EXPECT_EQ(some.compact, "Some(1)");
    EXPECT_EQ(some.pretty, "Some(\n    1,\n)");
    Both unit_struct = both(env, env.tuple("Marker", {}));
    EXPECT_EQ(unit_struct.compact, "Marker");
    EXPECT_EQ(unit_struct.pretty, "Marker");
}

TEST(RenderDebug, EmptyContainersAndStructsMatchRustc) {
    Env env;
    for (Value v : {env.list({}), env.set({}), env.map({})}) {
        Both out = both(env, v);
        EXPECT_EQ(out.compact, out.pretty);
    }
    EXPECT_EQ(both(env, env.list({})).pretty, "[]");
    EXPECT_EQ(both(env, env.set({})).pretty, "{}");
    EXPECT_EQ(both(env, env.map({})).pretty, "{}");
    EXPECT_EQ(both(env, env.structure("Empty", {})).pretty, "Empty");
    Node nonex_list{.shape = Shape::List, .non_exhaustive = true};
    EXPECT_EQ(both(env, env.with(nonex_list)).pretty, "[..]");
}

TEST(RenderDebug, MapWithCompositeKeyMatchesRustc) {
    Env env;
    Value key = env.tuple("", {Env::leaf("1"), Env::leaf("2")});
    Both out = both(env, env.map({{key, env.structure("Unit", {})}}));
    EXPECT_EQ(out.compact, "{(1, 2): Unit}");
    EXPECT_EQ(out.pretty, "{\n    (\n        1,\n        2,\n    ): Unit,\n}");
}

TEST(RenderDebug, MultiLineLeafIsPaddedLikePadAdapter) {
    // format_args!("line1\n\nline3") inside debug_list: the empty line gets the padding too.
    Env env;
    Both out = both(env, env.list({Env::leaf("line1\n\nline3")}));
    EXPECT_EQ(out.compact, "[line1\n\nline3]");
    EXPECT_EQ(out.pretty, "[\n    line1\n    \n    line3,\n]");
}

TEST(RenderDebug, TransparentRendersItsChildInPlace) {
    Env env;
    Value s = env.structure("P", {{"x", Env::leaf("1")}});
    Both out = both(env, env.transparent(env.transparent(s)));
    EXPECT_EQ(out.compact, "P { x: 1 }");
    EXPECT_EQ(out.pretty, "P {\n    x: 1,\n}");
    Both in_list = both(env, env.list({env.transparent(env.list({Env::leaf("2")}))}));
    EXPECT_EQ(in_list.pretty, "[\n    [\n        2,\n    ],\n]");
    Node empty{.shape = Shape::Transparent};
    EXPECT_EQ(both(env, env.with(empty)).compact, "<error: transparent value without a child>");
}

TEST(RenderDebug, ErrorsRenderInPlace) {
    Env env;
    Value bad = env.error("<invalid: len 2^61 exceeds cap 4>");
    Both out = both(env, env.structure("Holder", {{"v", bad}, {"n", Env::leaf("3")}}));
    EXPECT_EQ(out.compact, "Holder { v: <invalid: len 2^61 exceeds cap 4>, n: 3 }");
    EXPECT_EQ(out.pretty, "Holder {\n    v: <invalid: len 2^61 exceeds cap 4>,\n    n: 3,\n}");
    Node entry{.shape = Shape::Map, .children = {{"", Env::leaf("1"), std::nullopt}}};
    EXPECT_EQ(both(env, env.with(entry)).compact, "{1: <error: map entry without a value>}");
}

TEST(RenderDebug, ChildrenPastMaxChildrenEndWithAMarker) {
    Env env;
    Budget b;
    b.max_children = 3;
    Both out = both(env, env.generated(Shape::List, 9003), b);
    EXPECT_EQ(out.compact, "[0, 1, 2, <... 9000 more>]");
    EXPECT_EQ(out.pretty, "[\n    0,\n    1,\n    2,\n    <... 9000 more>\n]");
    EXPECT_EQ(both(env, env.generated(Shape::Set, 5), b).compact, "{0, 1, 2, <... 2 more>}");
    Value s = env.structure("S", {{"a", Env::leaf("1")},
                                  {"b", Env::leaf("2")},
                                  {"c", Env::leaf("3")},
                                  {"d", Env::leaf("4")}});
    Both st = both(env, s, b);
    EXPECT_EQ(st.compact, "S { a: 1, b: 2, c: 3, <... 1 more> }");
    EXPECT_EQ(st.pretty, "S {\n    a: 1,\n    b: 2,\n    c: 3,\n    <... 1 more>\n}");
    Value t = env.tuple("", {Env::leaf("1"), Env::leaf("2"), Env::leaf("3"), Env::leaf("4")});
    EXPECT_EQ(both(env, t, b).compact, "(1, 2, 3, <... 1 more>)");
    b.max_children = 0;
    EXPECT_EQ(both(env, env.generated(Shape::List, 7), b).compact, "[<... 7 more>]");
    EXPECT_EQ(both(env, s, b).compact, "S { <... 4 more> }");
}

TEST(RenderDebug, SpentElementBudgetEndsContainers) {
    Env env;
    Budget b;
    b.max_elements = 5;
    // Children count in the order they are visited: the first inner list (1), four of its
    // elements (5), and the budget is spent before the outer list's second element.
    Value v = env.list({env.generated(Shape::List, 10), env.generated(Shape::List, 10)});
    Context ctx = env.context(b);
    EXPECT_EQ(render_debug(ctx, v, false), "[[0, 1, 2, 3, <... 6 more>], <... 1 more>]");
}

TEST(RenderDebug, ChildrenComeInPagesAndAreNeverCutWithinBudget) {
    Env env;
    Value v = env.generated(Shape::List, 1000);
    Context ctx = env.context();
    std::string out = render_debug(ctx, v, false);
    std::string expected = "[";
    for (int i = 0; i < 1000; ++i) expected += (i ? ", " : "") + std::to_string(i);
    EXPECT_EQ(out, expected + "]");
    using P = std::pair<uint64_t, uint64_t>;
    EXPECT_EQ(env.forest->requests, (std::vector<P>{{0, 256}, {256, 256}, {512, 256}, {768, 232}}));
    EXPECT_EQ(ctx.usage().elements, 1000u);
}

TEST(RenderDebug, FormatterGivingFewerChildrenIsMarked) {
    Env env;
    env.forest->short_pages = true;
    Context ctx = env.context();
    EXPECT_EQ(render_debug(ctx, env.generated(Shape::List, 4), false), "[0, 1, 2, <... 1 more>]");
}

TEST(RenderDebug, CyclesStopAtMaxDepth) {
    Env env;
    Value node = env.structure("Node", {{"next", Env::leaf("placeholder")}});
    env.forest->close_cycle(node);
    Budget b;
    b.max_depth = 3;
    Both out = both(env, node, b);
    EXPECT_EQ(out.compact,
              "Node { next: Node { next: Node { next: <budget: nesting deeper than 3> } } }");
    EXPECT_EQ(out.pretty, R"(Node {
    next: Node {
        next: Node {
            next: <budget: nesting deeper than 3>,
        },
    },
})");
}

TEST(RenderDebug, SharedSubtreesAreBoundedByTheElementBudget) {
    // A DAG where every level holds the level below twice: 2^40 paths, rendered within budget.
    Env env;
    Value level = Env::leaf("x");
    for (int i = 0; i < 40; ++i) level = env.tuple("", {level, level});
    Budget b;
    b.max_elements = 1000;
    Context ctx = env.context(b);
    std::string out = render_debug(ctx, level, false);
    EXPECT_LE(ctx.usage().elements, 1000u);
    EXPECT_NE(out.find("<... "), std::string::npos);
}

TEST(RenderDebug, RendersAFormattedValueDirectly) {
    Env env;
    Context ctx = env.context();
    Formatted f = ctx.format(env.list({Env::leaf("1")}));
    EXPECT_EQ(render_debug(ctx, f, false), "[1]");
    EXPECT_EQ(render_debug(ctx, leaf("42"), true), "42");
    EXPECT_EQ(render_debug(ctx, error_value("<error: x>"), true), "<error: x>");
}

} // namespace
} // namespace seam
