// The expectation-file parser (no LLDB): the byte-exact format of tests/fixtures/README.md.
#include <gtest/gtest.h>

#include "tests/e2e/expectations.h"

namespace seam::e2e {
namespace {

TEST(Expectations, ParsesEveryEntryWithPayloadsHoldingNewlines) {
    const std::string text = "@record v 6 17\n[1, 2]\n[\n    1,\n    2,\n]\n"
                             "@limitation v 9\nhand-made\n"
                             "@fact v capacity 1\n4\n"
                             "@summary s 7\n\"a\nb c\"\n"
                             "@expect-error bad 8\n<invalid\n"
                             "@exact-error l 7 3\nl {\n1 }\n<x>\n"
                             "@record e 0 0\n\n\n";
    auto exp = parse_expectations(text);
    ASSERT_TRUE(exp.ok()) << exp.error().message;
    ASSERT_EQ(exp->records.size(), 2u);
    EXPECT_EQ(exp->records[0].name, "v");
    EXPECT_EQ(exp->records[0].debug, "[1, 2]");
    EXPECT_EQ(exp->records[0].pretty, "[\n    1,\n    2,\n]");
    EXPECT_EQ(exp->records[0].limitation, "hand-made");
    EXPECT_EQ(exp->records[1].debug, "");
    EXPECT_EQ(exp->records[1].limitation, "");
    ASSERT_EQ(exp->facts.size(), 1u);
    EXPECT_EQ(exp->facts[0].key, "capacity");
    EXPECT_EQ(exp->facts[0].value, "4");
    ASSERT_EQ(exp->summaries.size(), 1u);
    EXPECT_EQ(exp->summaries[0].text, "\"a\nb c\"");
    ASSERT_EQ(exp->errors.size(), 2u);
    EXPECT_EQ(exp->errors[0].marker, "<invalid");
    EXPECT_FALSE(exp->errors[0].exact);
    EXPECT_EQ(exp->errors[1].name, "l");
    EXPECT_EQ(exp->errors[1].marker, "l {\n1 }");
    EXPECT_TRUE(exp->errors[1].exact);
    EXPECT_EQ(exp->errors[1].shown, "<x>");
    EXPECT_EQ(exp->size(), 6u);
}

TEST(Expectations, EmptyFileHasNothing) {
    auto exp = parse_expectations("");
    ASSERT_TRUE(exp.ok());
    EXPECT_EQ(exp->size(), 0u);
}

TEST(Expectations, RejectsMalformedFiles) {
    // Length longer than the payload, payload not followed by a newline, unknown tag, missing
    // field, limitation without its record, header without a newline.
    for (const char* bad : {"@record v 9 1\n[1]\n1\n", "@fact v kind 2\nc\n", "@note v 1\nx\n",
                            "@summary v\nx\n", "@limitation v 1\nx\n", "@record v 1 1"}) {
        auto exp = parse_expectations(bad);
        EXPECT_FALSE(exp.ok()) << "accepted: " << bad;
    }
}

} // namespace
} // namespace seam::e2e
