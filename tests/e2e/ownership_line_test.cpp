// The one-line summary says what Debug hides about ownership (issue 14): which arm a Cow is in,
// that an Option's payload is a Box, that a MaybeUninit is never dropped. It is the line LLDB
// shows in `frame variable` (and lldb-dap, which shows LLDB's summary: Dap.* tests) and the
// `summary` of `seam print --json`: both are asserted, at -O0 and -O2.
#include <filesystem>
#include <map>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/fixture_launch.h"
#include "tests/e2e/lldb_line.h"
#include "tests/e2e/session.h"

namespace seam::e2e {
namespace {

namespace fs = std::filesystem;

std::string seam_line(Session& s, const std::string& name) {
    auto j = nlohmann::json::parse(s.run("seam print --json " + name).output, nullptr, false);
    if (j.is_discarded() || !j.contains("summary")) return "<no summary>";
    return j["summary"];
}

// Runs `fixture` to the probe whose frame holds `first`, then checks every expected line.
void check(const std::string& fixture, const std::map<std::string, std::string>& want) {
    auto launched = launch_fixture(fixture, "ownline-" + fixture);
    ASSERT_TRUE(launched) << launched.error().message;
    Session& s = *launched->session;
    auto& stop = launched->stop;
    const std::string& first = want.begin()->first;
    while (stop && stop->kind == StopKind::Probe &&
           s.run("frame variable " + first).output.find(" = ") == std::string::npos)
        stop = s.resume();
    ASSERT_TRUE(stop && stop->kind == StopKind::Probe) << fixture << ": no probe holds " << first;
    for (const auto& [name, line] : want) {
        // rustc 1.63 at -O2 leaves some locals without a location at the stop; LLDB says so,
        // and seam must say that it is optimised out rather than print anything else.
        if (frame_variable_line(s, name) == "<variable not available>") {
            EXPECT_NE(s.run("seam print " + name).text().find("optimised out"), std::string::npos)
                << fixture << " " << name;
            continue;
        }
        EXPECT_EQ(frame_variable_line(s, name), line) << fixture << " " << name;
        EXPECT_EQ(seam_line(s, name), line) << fixture << " " << name;
    }
}

class OwnershipLine : public testing::TestWithParam<std::string> {};

TEST_P(OwnershipLine, CowSaysWhichArm) {
    check("strings-" + GetParam(), {{"cow_b", R"(Borrowed "borrowed")"},
                                    {"cow_o", R"(Owned "owned")"},
                                    {"cow_bytes_b", "Borrowed len=3 [1, 2, 3]"},
                                    {"cow_ints_o", "Owned len=3 cap=3 [-1, 0, 1]"},
                                    {"cow_lossy", "Owned \"a\xef\xbf\xbd"
                                                  "b\""}});
}

TEST_P(OwnershipLine, OptionBoxSaysOwned) {
    check("enums-" + GetParam(), {{"o_box", "Some(owned 11)"}, {"o_box_none", "None"}});
}

TEST_P(OwnershipLine, MaybeUninitSaysNeverDropped) {
    // MaybeUninit's Debug printed its whole path before Rust 1.85 (rust_cells.cpp).
    const std::string path = SEAM_E2E_RUSTC_MINOR < 85 ? "core::mem::maybe_uninit::" : "";
    check("cells-" + GetParam(),
          {{"mu", path + "MaybeUninit<u32> (may be uninitialised; never dropped)"},
           {"mu_uninit", path + "MaybeUninit<u64> (may be uninitialised; never dropped)"}});
}

INSTANTIATE_TEST_SUITE_P(Levels, OwnershipLine, testing::Values("O0", "O2"));

} // namespace
} // namespace seam::e2e
