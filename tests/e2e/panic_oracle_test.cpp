// The stderr oracle of the panic tests (no LLDB): std's hook output in both of its formats, as
// rustc 1.95 and rustc 1.63 print it, multi-line messages included.
#include <gtest/gtest.h>

#include "tests/e2e/panic_oracle.h"

namespace seam::e2e {
namespace {

TEST(PanicOracle, ReadsTheHookOutputOfEitherFormat) {
    // 1.73+: the location on the `panicked at` line, the message below it.
    auto now = panic_blocks("thread 'main' panicked at src/c.rs:197:13:\n"
                            "assertion `left == right` failed\n  left: -4\n right: 0\n"
                            "note: run with `RUST_BACKTRACE=1` environment variable to display a "
                            "backtrace\n");
    ASSERT_EQ(now.size(), 1u);
    EXPECT_EQ(now[0].location, "src/c.rs:197:13");
    EXPECT_EQ(now[0].message, "assertion `left == right` failed\n  left: -4\n right: 0");
    // 1.63: the message quoted first; a multi-line one ends on the line with the location.
    auto old = panic_blocks("thread 'main' panicked at 'assertion failed: `(left == right)`\n"
                            "  left: `-4`,\n right: `0`', src/c.rs:197:13\n"
                            "note: run with `RUST_BACKTRACE=1` environment variable to display a "
                            "backtrace\n"
                            "thread 'main' panicked at 'drop of 7 panicked too', src/k.rs:74:13\n"
                            "stack backtrace:\n"
                            "thread panicked while panicking. aborting.\n");
    ASSERT_EQ(old.size(), 2u);
    EXPECT_EQ(old[0].location, "src/c.rs:197:13");
    EXPECT_EQ(old[0].message, "assertion failed: `(left == right)`\n  left: `-4`,\n right: `0`");
    EXPECT_EQ(old[1].location, "src/k.rs:74:13");
    EXPECT_EQ(old[1].message, "drop of 7 panicked too");
}

} // namespace
} // namespace seam::e2e
