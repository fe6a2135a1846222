// The kernel's C idioms in a real C frame (tests/fixtures/cidioms.c), at -O0 and -O2: counters
// with their flags and list heads with their lengths in `frame variable`, lists walked as lists
// of their containing structs and container_of with `seam print --container`, a list that
// list_del() left poisoned as a marked error. The fixture prints the text each must give,
// addresses included, from the same memory.
#include <filesystem>
#include <fstream>
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

std::map<std::string, std::string> expectations(const fs::path& output) {
    std::map<std::string, std::string> out;
    std::ifstream in(output);
    for (std::string line; std::getline(in, line);) {
        if (!line.starts_with("EXPECT ")) continue;
        auto tab = line.find('\t');
        if (tab != std::string::npos) out[line.substr(7, tab - 7)] = line.substr(tab + 1);
    }
    return out;
}

class CIdiomsLive : public testing::TestWithParam<std::string> {};

TEST_P(CIdiomsLive, CountersListsAndContainers) {
    auto launched = launch_fixture("cidioms-" + GetParam(), "cidioms-" + GetParam());
    ASSERT_TRUE(launched) << launched.error().message;
    Session& s = *launched->session;
    const auto& stop = launched->stop;
    const std::filesystem::path dir = launched->dir();
    ASSERT_TRUE(stop && stop->kind == StopKind::Probe);
    auto want = expectations(dir / "output");
    ASSERT_EQ(want.size(), 4u) << "the fixture printed its expectations";

    auto print = [&](const std::string& args) {
        return s.run("seam print --debug " + args).text();
    };
    EXPECT_EQ(print("--container child.sibling bus->children"), want["bus->children"] + "\n");
    EXPECT_EQ(print("--container child.hnode bus->hash"), want["bus->hash"] + "\n");
    // A pointer to a member is container_of, not a walk from that entry.
    EXPECT_EQ(print("--container child.sibling link"), want["link"] + "\n");
    EXPECT_EQ(print("--container child.sibling empty->children"), "[]\n");
    EXPECT_EQ(print("--container child.sibling broken->children"),
              "<invalid: list link 2 is poisoned (0xdead000000000100): a deleted entry is still "
              "linked>\n");
    EXPECT_EQ(print("bus->ref"), want["bus->ref"] + "\n");
    // A wrong guess is an error, never a struct read at a wrong address.
    EXPECT_EQ(print("--container child.v link"),
              "error: --container: `child.v` is a `int`, but the value is a `list_head`\n");
    EXPECT_EQ(print("--container nosuch.x link"),
              "error: --container: no type named `nosuch` in the DWARF\n");
    EXPECT_EQ(print("--container child.nope link"),
              "error: --container: `child` has no member `nope` (members: v, sibling, hnode)\n");

    // frame variable (and lldb-dap, which shows LLDB's summary) gives the count and its flag.
    EXPECT_EQ(frame_variable_line(s, "zero"), "refs=0 (zero: the object is freed or being freed)");
    EXPECT_EQ(frame_variable_line(s, "saturated"),
              "refs=saturated (0xc0000000): the object is leaked, never freed");
    EXPECT_EQ(frame_variable_line(s, "one"), "refs=1");
    EXPECT_EQ(frame_variable_line(s, "negative"), "-5");
    EXPECT_EQ(frame_variable_line(s, "big"), "1099511627776");
    EXPECT_EQ(frame_variable_line(s, "bus->children"), "len=3");
    EXPECT_EQ(frame_variable_line(s, "bus->hash"), "len=3");
    EXPECT_EQ(frame_variable_line(s, "empty->children"), "empty");
    EXPECT_EQ(frame_variable_line(s, "broken->children"),
              "<invalid: list link 2 is poisoned (0xdead000000000100): a deleted entry is still "
              "linked>");

    // The ownership fact of a refcount is `shared` with its count.
    auto j = nlohmann::json::parse(s.run("seam print --json saturated").output, nullptr, false);
    ASSERT_FALSE(j.is_discarded());
    EXPECT_EQ(j["ownership"]["kind"], "shared");
    EXPECT_EQ(j["ownership"]["strong"], -1073741824);
    fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Levels, CIdiomsLive, testing::Values("O0", "O2"));

} // namespace
} // namespace seam::e2e
