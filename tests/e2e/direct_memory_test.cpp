// Direct reads of a live local process (plugin/lldb/local_memory.h) against reads through
// lldb-server: every probe stop of these fixtures prints every variable of the frame both ways
// (SEAM_DIRECT_MEMORY switches it within the session), and the texts must be the same bytes,
// corrupted values' error markers included. A core file is never read directly.
#include <cstdlib>
#include <memory>
#include <regex>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tests/e2e/fixture_launch.h"

namespace seam::e2e {
namespace {

struct Printed {
    std::string text;    ///< what `seam print --debug` printed, the stats line removed
    uint64_t reads = 0;  ///< engine reads
    uint64_t direct = 0; ///< of them, read without lldb-server
};

Printed print_frame(Session& s, bool direct) {
    ::setenv("SEAM_DIRECT_MEMORY", direct ? "1" : "0", 1);
    CommandOutput out = s.run("seam print --debug --stats");
    ::unsetenv("SEAM_DIRECT_MEMORY");
    Printed p;
    p.text = out.text();
    static const std::regex stats(R"(seam stats: reads=(\d+) .* direct=(\d+)\n$)");
    std::smatch m;
    if (std::regex_search(p.text, m, stats)) {
        p.reads = std::stoull(m[1]);
        p.direct = std::stoull(m[2]);
        p.text.resize(p.text.size() - m[0].length());
    }
    return p;
}

/// A session stopped at the first probe of `fixture`, with a scratch directory for its files.
Result<FixtureLaunch> launch(const std::string& fixture) {
    auto l = launch_fixture(fixture, "direct");
    if (l && !l->stop) return l->stop.error();
    return l;
}

class DirectMemory : public ::testing::TestWithParam<std::string> {};

TEST_P(DirectMemory, SameTextAsThroughLldbServer) {
    auto l = launch(GetParam());
    ASSERT_TRUE(l.ok()) << l.error().message;
    Session& s = *l->session;
    Result<Stop>& stop = l->stop;
    int probes = 0;
    uint64_t direct = 0, reads = 0;
    while (stop.ok() && stop->kind == StopKind::Probe) {
        ++probes;
        Printed on = print_frame(s, true);
        Printed off = print_frame(s, false);
        ASSERT_FALSE(on.text.empty());
        EXPECT_EQ(on.text, off.text) << GetParam() << " probe " << probes;
        EXPECT_EQ(off.direct, 0u) << "SEAM_DIRECT_MEMORY=0 must read through lldb-server";
        EXPECT_LE(on.direct, on.reads);
        direct += on.direct;
        reads += on.reads;
        stop = s.resume();
    }
    ASSERT_TRUE(stop.ok()) << stop.error().message;
    EXPECT_GT(probes, 0);
    // Heap and stack are read directly; module sections (.rodata literals, statics) are not.
    EXPECT_GT(direct, 0u) << "no read went straight to the process";
    std::cout << "[ seam     ] " << GetParam() << ": " << probes << " probes, " << direct << " of "
              << reads << " reads direct, same text both ways\n";
}

INSTANTIATE_TEST_SUITE_P(, DirectMemory,
                         ::testing::Values("vecs-O0", "maps-O0", "strings-O0", "corrupt-O0",
                                           "pointers-O2"),
                         [](const auto& info) {
                             std::string n = info.param;
                             for (char& c : n)
                                 if (c == '-') c = '_';
                             return n;
                         });

// A software breakpoint is an int3 written into the process, which LLDB's reads hide. One set
// while stopped, on an address no module covers (a heap buffer here; a JIT's code in real
// life), must not show as 204 in the values seam prints.
TEST(DirectMemoryBreakpoint, SetWhileStoppedIsHidden) {
    auto l = launch("vecs-O0");
    ASSERT_TRUE(l.ok()) << l.error().message;
    ASSERT_EQ(l->stop->kind, StopKind::Probe);
    Session& s = *l->session;
    const std::string before = s.run("seam print --debug v_u8").text();
    ASSERT_EQ(before, "[0, 1, 127, 128, 255]\n");
    // The buffer pointer is the only hexadecimal value of the raw Vec, wherever std's version
    // nests it (`buf.inner.ptr.pointer.pointer` today, `buf.ptr.pointer.pointer` in 1.63).
    // --depth: LLDB 22 folds members deeper than 4 (`pointer = {...}`); LLDB 19 does not.
    CommandOutput ptr = s.run("frame variable --raw --depth 16 v_u8");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(ptr.output, m, std::regex(R"(= (0x[0-9a-f]+))"))) << ptr.text();
    uint64_t buffer = std::stoull(m[1], nullptr, 16);
    CommandOutput bp = s.run(fmt::format("breakpoint set -a {:#x}", buffer + 2));
    ASSERT_TRUE(bp.ok) << bp.text();
    EXPECT_EQ(s.run("seam print --debug v_u8").text(), before);
    CommandOutput raw = s.run(fmt::format("memory read -s1 -c5 -fu {:#x}", buffer));
    // LLDB's own read hides its breakpoint too: the oracle.
    EXPECT_NE(raw.output.find(fmt::format("{:#x}: 127\n", buffer + 2)), std::string::npos)
        << raw.text();
}

TEST(DirectMemoryCore, CoreFilesAreReadFromTheFile) {
    auto l = launch("vecs-O0");
    ASSERT_TRUE(l.ok()) << l.error().message;
    ASSERT_EQ(l->stop->kind, StopKind::Probe);
    Session& s = *l->session;
    const std::string exe = std::string(SEAM_E2E_FIXTURE_DIR) + "/vecs-O0";
    Printed live = print_frame(s, true);
    EXPECT_GT(live.direct, 0u);
    ASSERT_TRUE(s.save_core(l->scratch.path("core")).ok());
    // A core carries the pid and names the executable of a process that may still run (the
    // session kills this one): only the process plugin's kind keeps seam from reading it.
    auto core = s.load_core(exe, l->scratch.path("core"));
    ASSERT_TRUE(core.ok()) << core.error().message;
    Printed from_core = print_frame(s, true);
    EXPECT_EQ(from_core.direct, 0u);
    EXPECT_GT(from_core.reads, 0u);
    EXPECT_EQ(from_core.text, live.text);
}

} // namespace
} // namespace seam::e2e
