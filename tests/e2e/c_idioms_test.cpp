// The kernel's C idioms in a real C frame (tests/fixtures/cidioms.c), at -O0 and -O2: counters
// with their flags and list heads with their lengths in `frame variable`, lists walked as lists
// of their containing structs and container_of with `seam print --container`, a list that
// list_del() left poisoned as a marked error. The fixture prints the text each must give,
// addresses included, from the same memory. Then the same objects in a Rust frame as bindgen's
// `bindings::` types: one formatter per C type, whichever side declares it.
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
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

// What both frames must show of the same objects: `member` is how the frame reaches a member
// of a bus (`->` through C's pointer, `.` through Rust's reference).
void check_idioms(Session& s, std::map<std::string, std::string> want, const std::string& member,
                  const std::string& where) {
    auto print = [&](const std::string& args) {
        return s.run("seam print --debug " + args).text();
    };
    auto path = [&](const std::string& bus, const std::string& field) {
        return bus + member + field;
    };
    EXPECT_EQ(print("--container child.sibling " + path("bus", "children")),
              want["bus->children"] + "\n")
        << where;
    EXPECT_EQ(print("--container child.hnode " + path("bus", "hash")), want["bus->hash"] + "\n")
        << where;
    // A pointer to a member is container_of, not a walk from that entry.
    EXPECT_EQ(print("--container child.sibling link"), want["link"] + "\n") << where;
    EXPECT_EQ(print("--container child.sibling " + path("empty", "children")), "[]\n") << where;
    EXPECT_EQ(print("--container child.sibling " + path("broken", "children")),
              "<invalid: list link 2 is poisoned (0xdead000000000100): a deleted entry is still "
              "linked>\n")
        << where;
    EXPECT_EQ(print(path("bus", "ref")), want["bus->ref"] + "\n") << where;
    EXPECT_EQ(print("--container nosuch.x link"),
              "error: --container: no type named `nosuch` in the DWARF\n")
        << where;

    // frame variable (and lldb-dap, which shows LLDB's summary) gives the count and its flag.
    EXPECT_EQ(frame_variable_line(s, "zero"), "refs=0 (zero: the object is freed or being freed)")
        << where;
    EXPECT_EQ(frame_variable_line(s, "saturated"),
              "refs=saturated (0xc0000000): the object is leaked, never freed")
        << where;
    EXPECT_EQ(frame_variable_line(s, "one"), "refs=1") << where;
    EXPECT_EQ(frame_variable_line(s, "negative"), "-5") << where;
    EXPECT_EQ(frame_variable_line(s, "big"), "1099511627776") << where;
    EXPECT_EQ(frame_variable_line(s, "bus->children"), "len=3") << where;
    EXPECT_EQ(frame_variable_line(s, "bus->hash"), "len=3") << where;
    EXPECT_EQ(frame_variable_line(s, "empty->children"), "empty") << where;
    EXPECT_EQ(frame_variable_line(s, "broken->children"),
              "<invalid: list link 2 is poisoned (0xdead000000000100): a deleted entry is still "
              "linked>")
        << where;

    // The ownership fact of a refcount is `shared` with its count, and its note says why.
    auto j = nlohmann::json::parse(s.run("seam print --json saturated").output, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << where;
    EXPECT_EQ(j["ownership"]["kind"], "shared") << where;
    EXPECT_EQ(j["ownership"]["strong"], -1073741824) << where;
    EXPECT_EQ(j["ownership"]["note"], "saturated (0xc0000000): the object is leaked, never freed")
        << where;
    EXPECT_EQ(j["formatter"], "c.refcount") << where;
}

class CIdiomsLive : public testing::TestWithParam<std::string> {};

TEST_P(CIdiomsLive, CountersListsAndContainers) {
    auto launched = launch_fixture("cidioms-" + GetParam(), "cidioms-" + GetParam());
    ASSERT_TRUE(launched) << launched.error().message;
    Session& s = *launched->session;
    auto& stop = launched->stop;
    ASSERT_TRUE(stop && stop->kind == StopKind::Probe);
    auto want = expectations(launched->dir() / "output");
    ASSERT_EQ(want.size(), 4u) << "the fixture printed its expectations";
    check_idioms(s, want, "->", "C frame");

    // A wrong guess is an error, never a struct read at a wrong address.
    auto print = [&](const std::string& args) {
        return s.run("seam print --debug " + args).text();
    };
    EXPECT_EQ(print("--container child.v link"),
              "error: --container: `child.v` is a `int`, but the value is a `list_head`\n");
    EXPECT_EQ(print("--container child.nope link"),
              "error: --container: `child` has no member `nope` (members: v, sibling, hnode)\n");

    // From the C pointer, the Rust wrapper that embeds the object (inside an Opaque): its
    // allocation, what it owns, and the chain from main's Box that keeps it alive.
    CommandOutput own = s.run("seam own --container cidioms::Device.raw wrapped");
    ASSERT_TRUE(own.ok) << own.text();
    static const std::regex wrapper(
        R"(^\(Device\) wrapped = Device \{ name: "eth0", raw: Opaque \{ [^\n]* \}\n)"
        R"(inside allocation: 0x[0-9a-f]+ Device \(\d+ bytes\)\n)"
        R"(owns: 1 allocation\n  wrapped\.name: 0x[0-9a-f]+ String \(4 bytes\)\n)"
        R"(why alive:\n  frame #2 cidioms::main: device \(Box\) → Device at 0x[0-9a-f]+\n)");
    EXPECT_TRUE(std::regex_search(own.output, wrapper)) << own.output;
    EXPECT_EQ(s.run("seam own --container cidioms::Device.name wrapped").text(),
              "error: --container: `cidioms::Device.name` is a `String`, but the value is a "
              "`bus`\n");

    // The same objects as bindgen declares them, in a Rust frame: the same formatters, facts
    // and texts (the members through Rust's references).
    stop = s.resume();
    ASSERT_TRUE(stop && stop->kind == StopKind::Probe);
    ASSERT_EQ(s.run("frame variable --raw one").output.find("(cidioms::bindings::kref) one"), 0u);
    check_idioms(s, want, ".", "Rust frame, bindgen's types");
}

INSTANTIATE_TEST_SUITE_P(Levels, CIdiomsLive, testing::Values("O0", "O2"));

} // namespace
} // namespace seam::e2e
