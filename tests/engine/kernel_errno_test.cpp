// The kernel's errno names (formatters/kernel/kernel_error.cpp) against an independent table of
// the same numbers: glibc's strerrorname_np, which names Linux's asm-generic errnos. The
// kernel-internal codes (512 on) are the kernel's alone; the fixture's errname() gives them the
// kernel's names and All/Fixture.PrintsLikeRust/kernel_sample_* checks two of them.
#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "formatters/kernel/kernel_parts.h"

namespace seam::kernel {
namespace {

TEST(KernelErrno, NamesAgreeWithTheCLibrary) {
    int named = 0;
    for (int n = 1; n < 512; ++n) {
        const char* c = strerrorname_np(n);
        EXPECT_EQ(std::string(errno_name(n)), c ? c : "") << "errno " << n;
        named += c != nullptr;
    }
    EXPECT_GT(named, 120); // the table was really compared
}

TEST(KernelErrno, InternalCodesAndOutOfRange) {
    EXPECT_EQ(errno_name(512), "ERESTARTSYS");
    EXPECT_EQ(errno_name(517), "EPROBE_DEFER");
    EXPECT_EQ(errno_name(524), "ENOTSUPP");
    EXPECT_EQ(errno_name(520), "");
    EXPECT_EQ(errno_name(0), "");
    EXPECT_EQ(errno_name(-22), "");
    EXPECT_EQ(errno_name(4095), "");
}

} // namespace
} // namespace seam::kernel
