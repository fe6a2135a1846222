#include <gtest/gtest.h>

#include "formatters/core/result.h"

namespace seam {
namespace {

Result<int> halve(int x) {
    if (x % 2) return err("{} is odd", x);
    return x / 2;
}

Status halve_twice(int x, int& out) {
    auto a = halve(x);
    SEAM_TRY(a);
    auto b = halve(*a);
    SEAM_TRY(b);
    out = *b;
    return ok_status();
}

TEST(Result, CarriesValueOrError) {
    EXPECT_EQ(*halve(8), 4);
    EXPECT_EQ(halve(3).error().message, "3 is odd");
    int out = 0;
    EXPECT_TRUE(halve_twice(8, out));
    EXPECT_EQ(out, 2);
    auto s = halve_twice(6, out);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().message, "3 is odd");
}

} // namespace
} // namespace seam
