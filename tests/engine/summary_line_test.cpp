// render_summary_line (the line LLDB shows and `seam print --json`'s summary) over synthetic trees.
#include <string>

#include <gtest/gtest.h>

#include "formatters/render/render.h"
#include "formatters/render/summary_line.h"
#include "tests/engine/render_test_support.h"

namespace seam {
namespace {

using render_test::Env;
using render_test::Node;

Value counted(Env& e, Shape shape, std::vector<Child> children, std::string facts) {
    return e.with(
        Node{.shape = shape, .children = std::move(children), .summary = std::move(facts)});
}

std::vector<Child> items(std::initializer_list<const char*> texts) {
    std::vector<Child> out;
    for (const char* t : texts) out.push_back({"", Value::leaf(t), std::nullopt});
    return out;
}

TEST(SummaryLine, ContainerListsItsItemsAfterItsFacts) {
    Env env;
    Context ctx = env.context();
    Value v = counted(env, Shape::List, items({"1", "2", "3"}), "len=3 cap=4");
    EXPECT_EQ(render_summary_line(ctx, ctx.format(v)), "len=3 cap=4 [1, 2, 3]");
    Value set = counted(env, Shape::Set, items({"\"a\"", "\"b\""}), "len=2");
    EXPECT_EQ(render_summary_line(ctx, ctx.format(set)), "len=2 {\"a\", \"b\"}");
    Value map = env.with(Node{.shape = Shape::Map,
                              .children = {{"", Value::leaf("7"), Value::leaf("49")},
                                           {"", Value::leaf("8"), Value::leaf("64")}},
                              .summary = "len=2"});
    EXPECT_EQ(render_summary_line(ctx, ctx.format(map)), "len=2 {7: 49, 8: 64}");
    // Empty: the facts alone, as LLDB shows no `[]` after them.
    Value empty = counted(env, Shape::List, {}, "len=0 cap=0");
    EXPECT_EQ(render_summary_line(ctx, ctx.format(empty)), "len=0 cap=0");
}

TEST(SummaryLine, IsTheJsonSummaryAtEveryLevel) {
    Env env;
    Context ctx = env.context();
    Value inner = counted(env, Shape::List, items({"1", "2"}), "len=2 cap=2");
    Value outer = counted(env, Shape::List, {{"", inner, std::nullopt}}, "len=1 cap=1");
    nlohmann::json j = render_json(ctx, outer, "v", 1);
    EXPECT_EQ(j["summary"], "len=1 cap=1 [[1, 2]]");
    EXPECT_EQ(j["children"][0]["value"]["summary"], "len=2 cap=2 [1, 2]");
    EXPECT_EQ(j["debug"], "[[1, 2]]");
}

TEST(SummaryLine, ItemsShowAsDebugShowsThemNotByTheirOwnFacts) {
    Env env;
    Context ctx = env.context();
    Value inner = counted(env, Shape::List, items({"1", "2"}), "len=2 cap=2");
    Value outer = counted(env, Shape::List, {{"", inner, std::nullopt}}, "len=1 cap=1");
    EXPECT_EQ(render_summary_line(ctx, ctx.format(outer)), "len=1 cap=1 [[1, 2]]");
    // The inner value on its own line has its facts first.
    EXPECT_EQ(render_summary_line(ctx, ctx.format(inner)), "len=2 cap=2 [1, 2]");
}

TEST(SummaryLine, ItemLimitIsAParameter) {
    Env env;
    Context ctx = env.context();
    Value v = counted(env, Shape::List, items({"12", "13", "14", "15"}), "len=4");
    const Formatted f = ctx.format(v);
    EXPECT_EQ(render_summary_line(ctx, f, {.max_items = 2}), "len=4 [12, 13, <... 2 more>]");
    EXPECT_EQ(render_summary_line(ctx, f, {.max_items = 4}), "len=4 [12, 13, 14, 15]");
    EXPECT_EQ(render_summary_line(ctx, f, {.max_items = 0}), "len=4 [<... 4 more>]");
}

TEST(SummaryLine, NonExhaustiveAndBudgetEndTheItemsAsDebugDoes) {
    Env env;
    Node n{
        .shape = Shape::List, .children = items({"1"}), .non_exhaustive = true, .summary = "len=1"};
    Value v = env.with(n);
    Context ctx = env.context();
    EXPECT_EQ(render_summary_line(ctx, ctx.format(v)), "len=1 [1, ..]");
    // The element budget spent after two items: the rest are counted, not shown.
    Context tight = env.context(Budget{.max_elements = 2});
    Value big = counted(env, Shape::List, items({"1", "2", "3", "4"}), "len=4");
    EXPECT_EQ(render_summary_line(tight, tight.format(big)), "len=4 [1, 2, <... 2 more>]");
}

TEST(SummaryLine, LongLineIsCutAndReadsOnlyWhatItShows) {
    Env env;
    Context ctx = env.context();
    Node n{.shape = Shape::List, .summary = "len=10000000 cap=10000000"};
    n.generated = 10'000'000;
    Formatted f = ctx.format(env.with(n));
    std::string line = render_summary_line(ctx, f);
    std::string full = "len=10000000 cap=10000000 [";
    for (int i = 0; full.size() < 200; ++i) full += std::to_string(i) + ", ";
    EXPECT_EQ(line, full.substr(0, 120) + "...");
    EXPECT_EQ(env.forest->requests.size(), 1u);
    EXPECT_LT(ctx.usage().elements, 64u);
}

TEST(SummaryLine, StringsAreCutAtMaxStringNotAtTheLine) {
    Env env;
    Context ctx = env.context();
    std::string long_text = "\"" + std::string(300, 'a') + "\"";
    EXPECT_EQ(render_summary_line(ctx, leaf(long_text)), long_text); // longer than 120: whole
    EXPECT_EQ(render_summary_line(ctx, leaf("\"hello\""), {.max_string = 3}), "\"hel\"...");
    // A &str or Box<str> prints its pointee's literal in its place.
    Formatted ref = ctx.format(env.transparent(Value::leaf(long_text)));
    EXPECT_EQ(render_summary_line(ctx, ref, {.max_string = 200}),
              "\"" + std::string(200, 'a') + "\"...");
    EXPECT_EQ(render_summary_line(ctx, ref), long_text);
}

TEST(SummaryLine, FormatterSummaryIsGivenWhole) {
    Env env;
    Context ctx = env.context();
    std::string rc = "strong=2 weak=1 \u2192 \"" + std::string(150, 'x') + "\"";
    Node n{.shape = Shape::Transparent,
           .children = {{"", Value::leaf("\"x\""), std::nullopt}},
           .summary = rc};
    EXPECT_EQ(render_summary_line(ctx, ctx.format(env.with(n))), rc);
    // An Rc<[T]> is list-shaped, and its summary already shows the items: not listed twice.
    Value rc_slice =
        counted(env, Shape::List, items({"10", "20"}), "strong=2 weak=0 \u2192 [10, 20]");
    EXPECT_EQ(render_summary_line(ctx, ctx.format(rc_slice)), "strong=2 weak=0 \u2192 [10, 20]");
    Node cell{.shape = Shape::Struct, .text = "RefCell", .summary = "writing 5"};
    EXPECT_EQ(render_summary_line(ctx, ctx.format(env.with(cell))), "writing 5");
}

TEST(SummaryLine, AnythingElseIsItsDebugCutAtTheLine) {
    Env env;
    Context ctx = env.context();
    Value some = env.tuple("Some", {Value::leaf("5")});
    EXPECT_EQ(render_summary_line(ctx, ctx.format(some)), "Some(5)");
    Formatted arr = ctx.format(env.generated(Shape::List, 100));
    std::string full = "[";
    for (int i = 0; full.size() < 200; ++i) full += std::to_string(i) + ", ";
    EXPECT_EQ(render_summary_line(ctx, arr), full.substr(0, 120) + "...");
}

TEST(CutStringLiteral, CountsEscapesAsOneCharacter) {
    EXPECT_EQ(cut_string_literal("\"a\\nb\"", 2), "\"a\\n\"...");
    EXPECT_EQ(cut_string_literal("\"\\u{301}x\"", 1), "\"\\u{301}\"...");
    EXPECT_EQ(cut_string_literal("\"\\x7fy\"", 1), "\"\\x7f\"...");
    EXPECT_EQ(cut_string_literal("\"\xC3\xA9t\xC3\xA9\"", 2), "\"\xC3\xA9t\"...");
    EXPECT_EQ(cut_string_literal("\"ab\\xFF\" <invalid UTF-8>", 9), "\"ab\\xFF\" <invalid UTF-8>");
    EXPECT_EQ(cut_string_literal("\"abc\"", 3), "\"abc\"");
    EXPECT_EQ(cut_string_literal("len=3", 1), "len=3");
}

} // namespace
} // namespace seam
