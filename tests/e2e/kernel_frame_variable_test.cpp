// The kernel crate's values in LLDB's own `frame variable` (fixtures/kernel_sample.rs over the
// userspace kernel crate, and kernel_drift.rs over the other side of its layout drifts), at
// every probe stop and both levels. The issue-15 kernel run showed two faults there: a raw
// pointer printed twice (`data_ptr = 0xffffffff82a227c4 0xffffffff82a227c4`: LLDB's value,
// then seam's summary repeating it) and an empty `__0 =` (a field seam could not map, its value
// text hidden: Clang spells the nested generic `NonNull<Lock<u32, B> >`, which no DWARF name
// has). Both are checked on every line, in seam's view and in the raw one
// (`--synthetic-type false`, which shows every field). The lines themselves are the ones
// `seam print --json` gives as `summary` (fixture records, All/Fixture.PrintsLikeRust); a few are
// asserted here as LLDB shows them, with seam's children under them.
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/fixture_launch.h"
#include "tests/e2e/lldb_line.h"
#include "tests/e2e/session.h"

namespace seam::e2e {
namespace {

// Lines that show a value with nothing after `=`, or one address twice.
std::vector<std::string> faulty_lines(const std::string& output) {
    static const std::regex twice(R"(= 0x([0-9a-f]+) 0x([0-9a-f]+)\b)");
    std::vector<std::string> out;
    std::istringstream in(output);
    for (std::string line; std::getline(in, line);) {
        if (line.ends_with(" =") || line.ends_with(" = ")) out.push_back("empty: " + line);
        std::smatch m;
        if (std::regex_search(line, m, twice) && std::strtoull(m[1].str().c_str(), nullptr, 16) ==
                                                     std::strtoull(m[2].str().c_str(), nullptr, 16))
            out.push_back("twice: " + line);
    }
    return out;
}

class KernelFrameVariable : public testing::TestWithParam<std::string> {};

TEST_P(KernelFrameVariable, NoValueTwiceNoEmptyValue) {
    const std::string fixture = GetParam();
    auto launched = launch_fixture(fixture, "kernel-fv-" + fixture);
    ASSERT_TRUE(launched) << launched.error().message;
    Session& s = *launched->session;
    auto& stop = launched->stop;
    int stops = 0;
    for (; stop && stop->kind == StopKind::Probe; stop = s.resume()) {
        ++stops;
        for (const char* view : {"frame variable", "frame variable --synthetic-type false"}) {
            std::string out = s.run(view).output;
            EXPECT_NE(out.find(" = "), std::string::npos) << fixture << ": " << view << " empty";
            for (const auto& bad : faulty_lines(out))
                ADD_FAILURE() << fixture << " stop " << stops << ", " << view << ": " << bad;
        }
    }
    EXPECT_EQ(stops, 5) << fixture;
}

TEST_P(KernelFrameVariable, LinesAndChildren) {
    const std::string fixture = GetParam();
    const bool o0 = fixture.ends_with("-O0");
    auto launched = launch_fixture(fixture, "kernel-lines-" + fixture);
    ASSERT_TRUE(launched) << launched.error().message;
    Session& s = *launched->session;
    auto& stop = launched->stop;
    // Values that rustc -O2 keeps in registers the probe clobbers say so; the others must print.
    auto line = [&](const std::string& name, const std::string& want) {
        std::string got = frame_variable_line(s, name);
        if (!o0 && got == "<variable not available>") return;
        EXPECT_EQ(got, want) << fixture << " " << name;
    };
    ASSERT_TRUE(run_to(s, stop, "einval"));
    line("einval", "EINVAL (-22)");
    line("erestartsys", "ERESTARTSYS (-512)");
    line("unnamed", "-4000");
    line("err_unit", "Err(EBUSY)");
    line("boxed", "42");
    line("kvec", "len=3 cap=4 [10, 20, 30]");
    line("empty", "len=0 cap=0");
    line("name", "\"rust_sample\"");
    line("bstr", R"("a\tb\n\"c\"\\\x01\x7f")");
    line("owned", "\"owned text\"");
    // The CStr itself (issue 15: `seam print *name` failed): the text its reference shows.
    EXPECT_EQ(s.run("seam print --debug *name").text(), "\"rust_sample\"\n") << fixture;
    // A kernel Box's child is its value, not `__0 = 0x…` and a PhantomData of the allocator.
    std::string boxed = s.run("frame variable vboxed").output;
    EXPECT_NE(boxed.find("  * = Config { id: 7, name: \"vmalloc'd\" }"), std::string::npos)
        << boxed;
    EXPECT_EQ(boxed.find("PhantomData"), std::string::npos) << boxed;

    ASSERT_TRUE(run_to(s, stop, "saturated"));
    line("saturated", "refcount=saturated (0xc0000000): the value is leaked, never freed \u2192 5");
    line("unique", "refcount=1 \u2192 77");
    line("worker", "refcount=2 \u2192 \"kworker/0:1\" (pid 7)");

    ASSERT_TRUE(run_to(s, stop, "held"));
    line("spin", "locked \u2192 64");
    line("spin_free", "unlocked \u2192 true");
    line("dismissed", "dismissed");
    line("armed", "armed \u2192 11");
    line("empty_list", "len=0");
    // kernel::device::Device: its name, and from 6.16 (kernel_drift) its typestate; the C struct
    // device beneath it.
    line("device", fixture.starts_with("kernel_drift") ? "\"sample1\" (Bound)" : "\"sample1\"");
    std::string device = s.run("frame variable device").output;
    EXPECT_NE(device.find(" device = \"sample1\"" +
                          std::string(fixture.starts_with("kernel_drift") ? " (Bound)" : "") +
                          " {\n  * = device { kobj: kobject { name: 0x0, entry: list_head { next: "
                          "0x0, prev: 0x0 }, parent: 0x0, kref: kref(1) }, parent: 0x0... {\n"),
              std::string::npos)
        << device;
    std::string held = s.run("frame variable held").output;
    EXPECT_NE(held.find("      data = 5"), std::string::npos) << held;
    std::string list = s.run("frame variable list").output;
    EXPECT_NE(list.find("  [2] = Item { value: 3,"), std::string::npos) << list;
    // The ownership graph goes into the list's elements: each an ArcInner of its own, shared
    // through the ListArc the list keeps for it (the graph used to stop at the list).
    const std::string own = s.run("seam own").output;
    for (int i = 0; i < 3; ++i)
        EXPECT_TRUE(std::regex_search(
            own,
            std::regex(fmt::format(R"(\n  list\[{}\] → n\d+ shares \(ListArc strong 1\)\n)", i))))
            << fixture << ":\n"
            << own;

    // The C half's frame: C's own struct mutex, spinlock_t and task_struct, their members kept.
    ASSERT_TRUE(run_to(s, stop, "free_lock"));
    std::string task = frame_variable_line(s, "*task");
    EXPECT_TRUE(task.starts_with("\"kernel_")) << task;
    line("*held", "locked by " + task);
    line("*free_lock", "unlocked");
    line("*spin", "locked");
    std::string held_c = s.run("frame variable *held").output;
    EXPECT_NE(held_c.find("wait_list = "), std::string::npos) << held_c;

    // ForeignOwnable: C's `void *` holds a KBox'd value (its address) and an Arc (its ArcInner),
    // shown as the Rust values once a recipe says which (fixtures/kernel_sample.seam.toml).
    // Recipes are process-wide: start from none, and leave none.
    s.run("seam recipe clear");
    EXPECT_TRUE(
        s.run("seam print --debug *filp").text().starts_with("file { f_flags: 2, private_data: 0x"))
        << "before the recipe, a void * is an address";
    const std::string recipe =
        std::string(SEAM_SOURCE_DIR) + "/tests/fixtures/kernel_sample.seam.toml";
    ASSERT_TRUE(s.run("seam recipe load " + recipe).ok);
    EXPECT_EQ(s.run("seam print --debug *filp").text(), "file { f_flags: 2, private_data: 21 }\n");
    EXPECT_EQ(s.run("seam print --debug *dev").text(),
              "device { kobj: kobject { name: 0x0, entry: list_head { next: 0x0, prev: 0x0 }, "
              "parent: 0x0, kref: kref(1) }, parent: 0x0, init_name: \"sample0\", driver_data: 22 "
              "}\n");
    auto dev = nlohmann::json::parse(s.run("seam print --json *dev").output, nullptr, false);
    ASSERT_FALSE(dev.is_discarded());
    const auto& given = dev["children"][3]["value"];
    EXPECT_EQ(given["ownership"]["kind"], "crossing");
    EXPECT_EQ(given["ownership"]["strong"], 2);
    EXPECT_EQ(given["type"], "kernel::sync::Arc<u64>");
    s.run("seam recipe clear");
}

// Unsized values behind the kernel's Arc and KBox (fat pointers: data and length, data and
// vtable), in LLDB's own view: the summary line and the children, as std's Arc and Box show
// theirs; a trait without Debug is named by its vtable.
TEST_P(KernelFrameVariable, UnsizedArcAndBox) {
    const std::string fixture = GetParam();
    auto launched = launched_at(fixture, "kernel-unsized-", "arc_slice");
    ASSERT_TRUE(launched) << launched.error().message;
    Session& s = *launched->session;
    if (frame_variable_line(s, "arc_slice") == "<variable not available>")
        GTEST_SKIP() << "rustc -O2 keeps arc_slice in a register the probe clobbers";
    EXPECT_EQ(frame_variable_line(s, "arc_slice"), "refcount=2 \u2192 [4, 5, 6]");
    EXPECT_EQ(frame_variable_line(s, "arc_dyn"), "refcount=1 \u2192 Circle { r: 3, label: \"c\" }");
    EXPECT_EQ(frame_variable_line(s, "box_slice"), "len=2 [7, 8]");
    const std::string crate = fixture.substr(0, fixture.rfind('-'));
    EXPECT_EQ(frame_variable_line(s, "box_named"),
              fmt::format("<{0}::Square as {0}::Named>", crate));
    const std::string arc = s.run("frame variable arc_slice").output;
    EXPECT_NE(arc.find("  [2] = 6\n"), std::string::npos) << arc;
    const std::string dyn = s.run("frame variable box_dyn").output;
    EXPECT_NE(dyn.find("  * = Square { side: 4 } {\n    side = 4\n"), std::string::npos) << dyn;
    // Their allocations in the graph: the ArcInner with its count, the boxed value.
    const std::string own = s.run("seam own").output;
    EXPECT_TRUE(
        std::regex_search(own, std::regex(R"(\n  arc_slice → n\d+ shares \(Arc strong 2\)\n)")))
        << own;
    EXPECT_TRUE(std::regex_search(own, std::regex(R"(\n  box_dyn → n\d+ owns \(KBox\)\n)"))) << own;
    // An unsized slice's allocation is named as the array it holds, element type and length
    // as the summary gives them (before: `Arc<[u32]>` and `KBox<[u16]>`, the owners' names).
    EXPECT_TRUE(std::regex_search(
        own, std::regex(R"(\nn\d+ allocation ArcInner<\[u32; 3\]> at 0x[0-9a-f]+, 16 bytes, )"
                        R"(strong 2\n)")))
        << own;
    EXPECT_TRUE(std::regex_search(
        own, std::regex(R"(\nn\d+ allocation \[u16; 2\] at 0x[0-9a-f]+, 4 bytes\n)")))
        << own;
}

// `seam own` on an ARef<Device>: the C device is one node carrying its kobject's count, held by
// the ARef; the C side's web around it (its parent, the kset list through all 41 devices of the
// fixture's platform bus) is not walked from a Rust value (docs/own.md, "C objects a Rust value
// holds"). Before, the graph went through every device on the list.
TEST_P(KernelFrameVariable, ARefToACDeviceIsOneNodeWithItsCount) {
    const std::string fixture = GetParam();
    auto launched = launched_at(fixture, "kernel-aref-", "platform");
    ASSERT_TRUE(launched) << launched.error().message;
    Session& s = *launched->session;
    const std::string own = s.run("seam own").output;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(
        own, m, std::regex(R"(\n  platform → n(\d+) shares \(ARef strong 2\)\n)")))
        << own;
    EXPECT_TRUE(std::regex_search(
        own, std::regex("\nn" + m[1].str() +
                        R"( object Device(<Normal>)? at 0x[0-9a-f]+, \d+ bytes, refcount 2\n)")))
        << own;
    // No C object of the web: no device, kobject or list_head node.
    for (const char* c : {" object device ", " object kobject ", " object list_head "})
        EXPECT_EQ(own.find(c), std::string::npos) << c << " in:\n" << own;
    auto graph = nlohmann::json::parse(s.run("seam own --json").output, nullptr, false);
    ASSERT_FALSE(graph.is_discarded());
    EXPECT_LT(graph["nodes"].size(), 40u) << own;
}

// A program shipped with its recipe beside it (`EXE.seam.toml`) needs no command, in LLDB's own
// `frame variable` too: the recipe's C types get their summaries as soon as seam first reads the
// program's DWARF (here, formatting the locals), not at the next `seam` command.
TEST_P(KernelFrameVariable, RecipeBesideTheProgramWithoutACommand) {
    const std::string fixture = GetParam();
    ScratchDir dir("kernel-beside-" + fixture);
    ASSERT_TRUE(dir.ok());
    const std::string exe = dir.path(fixture);
    std::filesystem::copy_file(std::string(SEAM_E2E_FIXTURE_DIR) + "/" + fixture, exe);
    std::filesystem::copy_file(std::string(SEAM_SOURCE_DIR) +
                                   "/tests/fixtures/kernel_sample.seam.toml",
                               exe + ".seam.toml");
    auto session = Session::create(SEAM_E2E_PLUGIN);
    ASSERT_TRUE(session) << session.error().message;
    Session& s = **session;
    auto stop = s.launch(exe, {{"SEAM_EXPECT", dir.path("expect")}}, dir.path("output"));
    // Only lldb's own commands, as a user who never typed `seam` would.
    while (stop && stop->kind == StopKind::Probe &&
           s.run("frame variable").output.find("filp = ") == std::string::npos)
        stop = s.resume();
    ASSERT_TRUE(stop && stop->kind == StopKind::Probe) << "no stop with filp";
    EXPECT_EQ(frame_variable_line(s, "*filp"), "file { f_flags: 2, private_data: 21 }");
    s.run("seam recipe clear");
}

INSTANTIATE_TEST_SUITE_P(Fixtures, KernelFrameVariable,
                         testing::Values("kernel_sample-O0", "kernel_sample-O2", "kernel_drift-O0",
                                         "kernel_drift-O2"),
                         [](const auto& info) {
                             std::string s = info.param;
                             for (char& c : s)
                                 if (c == '-') c = '_';
                             return s;
                         });

} // namespace
} // namespace seam::e2e
