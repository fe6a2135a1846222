// End-to-end `seam bt`: the demo fixture stopped at seam_probe, inside the C -> Rust callback
// (main (Rust) -> device_for_each (C) -> on_device (Rust) -> seam_probe), live and from a core
// saved at that stop; the boundary fixture's two stops (a Rust callback called from C, and a C
// frame called from Rust); and bt_nested, whose nested enums LLDB's own type system cannot lay
// out, at -O0 and -O2 (an inlined frame). Asserts languages, names, tags, boundary markers and
// arguments, never addresses.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/bt_skeleton.h"
#include "tests/e2e/fixture_launch.h"
#include "tests/e2e/session.h"

namespace seam::e2e {
namespace {

namespace fs = std::filesystem;

const std::string k_exe = std::string(SEAM_E2E_FIXTURE_DIR) + "/demo-O0";

const std::vector<std::string> k_expected = {
    "thread",
    "#0 Rust demo demo::probe::seam_probe",
    "#1 Rust demo demo::on_device",
    "── C -> Rust: device_for_each calls extern \"C\" demo::on_device ──",
    "#2 C demo-O0 device_for_each",
    "── Rust -> C: wrapper demo::main calls device_for_each ──",
    "#3 Rust demo demo::main [wrapper]",
    "… runtime frames folded",
};

// The line of `needle` in a fixture source: the fixtures change, the calls they make stay.
std::string line_of(const std::string& file, const std::string& needle) {
    fs::path path = fs::path(SEAM_SOURCE_DIR) / "tests" / "fixtures" / file;
    std::ifstream in(path);
    size_t n = 0;
    for (std::string line; std::getline(in, line);) {
        ++n;
        if (line.find(needle) != std::string::npos) return file + ":" + std::to_string(n) + ":";
    }
    return file + ": no line holds " + needle;
}

// The checks shared by the live process and the core.
void check_backtrace(Session& session, const std::string& where) {
    CommandOutput bt = session.run("seam bt");
    ASSERT_TRUE(bt.ok) << where << ": " << bt.text();
    EXPECT_EQ(skeleton(bt.output), k_expected) << where << ":\n" << bt.output;
    // Locations and arguments of the frames around the boundary.
    EXPECT_NE(bt.output.find("device_for_each (visit = 0x"), std::string::npos) << bt.output;
    EXPECT_NE(bt.output.find("<demo::on_device>, ctx = 0x"), std::string::npos) << bt.output;
    const std::string c_call = line_of("demo.c", "visit(&table[i], ctx)");
    const std::string rust_call = line_of("demo.rs", "device_for_each(on_device,");
    EXPECT_NE(bt.output.find(") at " + c_call), std::string::npos) << c_call << "\n" << bt.output;
    EXPECT_NE(bt.output.find("demo::main () [wrapper] at " + rust_call), std::string::npos)
        << rust_call << "\n"
        << bt.output;

    // --full shows the runtime frames: std's start-up, rustc's C-ABI main and libc's.
    CommandOutput full = session.run("seam bt --full");
    ASSERT_TRUE(full.ok) << where << ": " << full.text();
    std::vector<std::string> lines = skeleton(full.output);
    std::vector<std::string> tail(lines.end() - std::min<size_t>(lines.size(), 6), lines.end());
    auto has = [&](const std::string& prefix) {
        for (const std::string& l : lines)
            if (l.find(prefix) != std::string::npos) return true;
        return false;
    };
    EXPECT_TRUE(has("Rust std std::rt::lang_start_internal")) << full.output;
    EXPECT_TRUE(has("Rust core core::ops::function::FnOnce::call_once")) << full.output;
    // rustc's C-ABI main is Rust's start-up: the real crossing is libc calling it, not main
    // calling std::rt::lang_start.
    EXPECT_FALSE(has("main calls extern \"C\" std::rt::lang_start")) << full.output;
    EXPECT_TRUE(has("Rust demo-O0 main")) << full.output;
    EXPECT_TRUE(has("── C -> Rust: __libc_start_call_main calls extern \"C\" main ──"))
        << full.output;
    EXPECT_TRUE(has("C libc.so.6 __libc_start_call_main")) << full.output;
    EXPECT_TRUE(lines.back().ends_with(" C demo-O0 _start")) << full.output;
    EXPECT_FALSE(has("… runtime frames folded")) << full.output;

    CommandOutput json = session.run("seam bt --json");
    ASSERT_TRUE(json.ok) << where << ": " << json.text();
    auto j = nlohmann::json::parse(json.output, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << json.output;
    EXPECT_EQ(j["schema"], "seam.backtrace/1");
    ASSERT_EQ(j["threads"].size(), 1u);
    const auto& frames = j["threads"][0]["frames"];
    ASSERT_GT(frames.size(), 4u);
    std::vector<std::string> summary;
    for (size_t i = 0; i < 4; ++i)
        summary.push_back(frames[i]["language"].get<std::string>() + "/" +
                          frames[i]["language_source"].get<std::string>() + " " +
                          frames[i]["function"].get<std::string>());
    EXPECT_EQ(summary, (std::vector<std::string>{
                           "Rust/dwarf demo::probe::seam_probe", "Rust/dwarf demo::on_device",
                           "C/dwarf device_for_each", "Rust/dwarf demo::main"}));
    EXPECT_EQ(frames[2]["file"], "demo.c");
    EXPECT_EQ("demo.c:" + std::to_string(frames[2]["line"].get<int>()) + ":",
              line_of("demo.c", "visit(&table[i], ctx)"));
    const auto& boundaries = j["threads"][0]["boundaries"];
    ASSERT_GE(boundaries.size(), 2u);
    EXPECT_EQ(boundaries[0]["caller"], 2);
    EXPECT_EQ(boundaries[0]["from"], "C");
    EXPECT_EQ(boundaries[0]["to"], "Rust");
    EXPECT_EQ(boundaries[1]["caller"], 3);
    EXPECT_EQ(boundaries[1]["from"], "Rust");
    EXPECT_EQ(boundaries[1]["to"], "C");
    EXPECT_EQ(boundaries[1]["wrapper"], 3);
    EXPECT_EQ(frames[3]["wrapper"], true);
    EXPECT_EQ(frames[1]["wrapper"], false);
    // Today's std is v0-mangled (`_RNv…`): LLDB demangles v0 and seam keeps its name
    // (rust_names.h). Older std (1.63's) is legacy-mangled (`_ZN…17h<hash>E`): the same name.
    bool seen = false;
    for (const auto& f : frames)
        if (f["function"] == "std::rt::lang_start_internal") {
            seen = true;
            const std::string symbol = f["symbol"].get<std::string>();
            EXPECT_TRUE(symbol.starts_with("_R") || symbol.starts_with("_ZN")) << symbol;
        }
    EXPECT_TRUE(seen) << json.output;

    CommandOutput all = session.run("seam bt --all");
    ASSERT_TRUE(all.ok) << where << ": " << all.text();
    EXPECT_EQ(skeleton(all.output), k_expected) << where << " (--all):\n" << all.output;
}

TEST(Backtrace, DemoAcrossTheBoundary) {
    auto l = launch_fixture("demo-O0", "bt-demo");
    ASSERT_TRUE(l.ok()) << l.error().message << " (--target fixture-demo)";
    Session& s = *l->session;
    ASSERT_TRUE(l->stop.ok()) << l->stop.error().message;
    ASSERT_EQ(l->stop->kind, StopKind::Probe) << l->stop->description;
    check_backtrace(s, "live");

    const std::string core = l->scratch.path("core.dmp");
    auto saved = s.save_core(core);
    ASSERT_TRUE(saved.ok()) << saved.error().message;
    s.kill();
    auto loaded = s.load_core(k_exe, core);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    ASSERT_EQ(loaded->kind, StopKind::Probe) << loaded->description;
    check_backtrace(s, "core");
}

// A fixture launched to its first probe, in a scratch directory removed when the test passed.
class Launched {
public:
    explicit Launched(const std::string& fixture) : m_fixture(fixture) {}
    // Fails the calling test (ASSERT) unless the program stopped at a probe.
    void start() {
        auto l = launch_fixture(m_fixture, "bt-" + m_fixture);
        ASSERT_TRUE(l.ok()) << l.error().message;
        m_launch = std::move(*l);
        ASSERT_TRUE(m_launch.stop.ok()) << m_launch.stop.error().message;
        ASSERT_EQ(m_launch.stop->kind, StopKind::Probe) << m_launch.stop->description;
    }
    void next_probe() {
        auto stop = m_launch.session->resume();
        ASSERT_TRUE(stop.ok()) << stop.error().message;
        ASSERT_EQ(stop->kind, StopKind::Probe) << stop->description;
    }
    Session& session() { return *m_launch.session; }

private:
    std::string m_fixture;
    FixtureLaunch m_launch;
};

// The line of `text` that holds `needle`, "" if none.
std::string line_with(const std::string& text, const std::string& needle) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.find(needle) != std::string::npos) return line;
    return "";
}

// Rust -> C -> Rust twice: main calls holder_visit (C), which calls back the extern "C"
// on_holder; then main calls boundary_c_frame (C), which stops in a C frame (frame 1) whose
// locals are C values.
TEST(Backtrace, BoundaryRustCRust) {
    Launched run("boundary-O0");
    ASSERT_NO_FATAL_FAILURE(run.start());
    CommandOutput bt = run.session().run("seam bt");
    ASSERT_TRUE(bt.ok) << bt.text();
    EXPECT_EQ(skeleton(bt.output),
              (std::vector<std::string>{
                  "thread",
                  "#0 Rust boundary boundary::probe::seam_probe",
                  "#1 Rust boundary boundary::on_holder",
                  "── C -> Rust: holder_visit calls extern \"C\" boundary::on_holder ──",
                  "#2 C boundary-O0 holder_visit",
                  "── Rust -> C: wrapper boundary::main calls holder_visit ──",
                  "#3 Rust boundary boundary::main [wrapper]",
                  "… runtime frames folded",
              }))
        << bt.output;
    EXPECT_NE(line_with(bt.output, "holder_visit (h = 0x").find(", visit = 0x"), std::string::npos)
        << bt.output;
    EXPECT_NE(line_with(bt.output, "holder_visit (").find(" <boundary::on_holder>, ctx = 0x"),
              std::string::npos)
        << bt.output;
    EXPECT_NE(bt.output.find(") at " + line_of("boundary.c", "visit(h, cfg, ctx);")),
              std::string::npos)
        << bt.output;

    ASSERT_NO_FATAL_FAILURE(run.next_probe());
    bt = run.session().run("seam bt");
    ASSERT_TRUE(bt.ok) << bt.text();
    EXPECT_EQ(
        skeleton(bt.output),
        (std::vector<std::string>{
            "thread",
            "#0 Rust boundary boundary::probe::seam_probe",
            "── C -> Rust: boundary_c_frame calls extern \"C\" boundary::probe::seam_probe ──",
            "#1 C boundary-O0 boundary_c_frame",
            "── Rust -> C: wrapper boundary::main calls boundary_c_frame ──",
            "#2 Rust boundary boundary::main [wrapper]",
            "… runtime frames folded",
        }))
        << bt.output;
    std::string c_frame = line_with(bt.output, "boundary_c_frame (");
    EXPECT_NE(c_frame.find("boundary_c_frame (h = 0x"), std::string::npos) << bt.output;
    EXPECT_NE(c_frame.find(", cfg = 0x"), std::string::npos) << bt.output;
    EXPECT_NE(c_frame.find(") at " + line_of("boundary.c", "    seam_probe();")), std::string::npos)
        << bt.output;

    CommandOutput json = run.session().run("seam bt --json");
    ASSERT_TRUE(json.ok) << json.text();
    auto j = nlohmann::json::parse(json.output, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << json.output;
    const auto& frames = j["threads"][0]["frames"];
    ASSERT_GT(frames.size(), 3u);
    EXPECT_EQ(frames[1]["language"], "C");
    EXPECT_EQ(frames[1]["wrapper"], false);
    EXPECT_EQ(frames[2]["wrapper"], true);
    const auto& boundaries = j["threads"][0]["boundaries"];
    ASSERT_GE(boundaries.size(), 2u);
    EXPECT_TRUE(boundaries[0]["wrapper"].is_null()) << boundaries.dump();
    EXPECT_EQ(boundaries[1]["wrapper"], 2) << boundaries.dump();
}

// `enum B { B(u8) } enum A { A(B) }`: LLDB 19 overflows its stack laying this out through Clang,
// so seam bt must take every argument from the DWARF; and each frame's arguments must be its
// own, also where an inlined callee shares the physical frame.
// How LLDB's own description of `outer`'s variables (`image lookup -v`) locates each at the
// stop: by name, the location text of those that have one there. Looked up at the physical
// frame's PC, less one for the call: the PC of frame 1 (`inner`, inlined into `outer`; frame 2
// itself carries the PC where the inlined call begins). rustc 1.63 -O2 leaves outer's arguments
// in the argument registers and then describes them by DW_OP_entry_value, with no call-site
// parameters in `main` to recover them from, and keeps no location for `local` there: nothing
// can read them, and seam must say so. Newer rustc keeps them in outer's frame (DW_OP_fbreg).
struct OuterScope {
    uint64_t pc = 0; ///< the physical frame's PC, less one
    std::map<std::string, std::string> located;
};

OuterScope outer_locations(Session& session) {
    OuterScope out;
    auto j = nlohmann::json::parse(session.run("seam bt --json").output, nullptr, false);
    if (j.is_discarded()) return out;
    out.pc = std::stoull(j["threads"][0]["frames"][1]["pc"].get<std::string>(), nullptr, 16) - 1;
    CommandOutput lookup = session.run("image lookup -v -a " + std::to_string(out.pc));
    std::istringstream in(lookup.output);
    for (std::string line; std::getline(in, line);) {
        auto name = line.find("name = \"");
        auto loc = line.find(", location = ");
        if (line.find("Variable:") == std::string::npos || name == std::string::npos ||
            loc == std::string::npos)
            continue;
        name += 8;
        out.located[line.substr(name, line.find('"', name) - name)] = line.substr(loc + 13);
    }
    return out;
}

void check_nested(const std::string& fixture) {
    const bool inlined = true; // `#[inline(always)]` inlines at -O0 too
    Launched run(fixture);
    ASSERT_NO_FATAL_FAILURE(run.start());
    const OuterScope outer = outer_locations(run.session());
    auto entry_value = [&](const std::string& name) {
        auto it = outer.located.find(name);
        return it != outer.located.end() && it->second.find("entry_value") != std::string::npos;
    };
    const bool entry_values = entry_value("x") && entry_value("a");
    EXPECT_EQ(entry_value("x"), entry_value("a")) << fixture;
    const std::string outer_args =
        entry_values ? "x = <unavailable>, a = <unavailable>" : "x = 42, a = A(B(7))";
    CommandOutput bt = run.session().run("seam bt");
    ASSERT_TRUE(bt.ok) << bt.text();
    EXPECT_EQ(skeleton(bt.output),
              (std::vector<std::string>{
                  "thread",
                  "#0 Rust bt_nested bt_nested::probe::seam_probe",
                  std::string("#1 Rust bt_nested bt_nested::inner") + (inlined ? " [inlined]" : ""),
                  "#2 Rust bt_nested bt_nested::outer",
                  "#3 Rust bt_nested bt_nested::main",
                  "… runtime frames folded",
              }))
        << fixture << ":\n"
        << bt.output;
    EXPECT_NE(bt.output.find("bt_nested::inner (dummy = 42, seen = A(B(7)))"), std::string::npos)
        << fixture << ":\n"
        << bt.output;
    EXPECT_NE(bt.output.find("bt_nested::outer (" + outer_args + ")"), std::string::npos)
        << fixture << ":\n"
        << bt.output;

    CommandOutput json = run.session().run("seam bt --json");
    ASSERT_TRUE(json.ok) << json.text();
    auto j = nlohmann::json::parse(json.output, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << json.output;
    EXPECT_EQ(j["threads"][0]["frames"][1]["inlined"], inlined);
    EXPECT_EQ(j["threads"][0]["frames"][2]["arguments"],
              entry_values
                  ? nlohmann::json::parse(R"j([{"name":"x","value":"<unavailable>"},
                                                       {"name":"a","value":"<unavailable>"}])j")
                  : nlohmann::json::parse(
                        R"j([{"name":"x","value":"42"},{"name":"a","value":"A(B(7))"}])j"));

    // seam print in the inlined frame (selected: frame 1) and in its caller.
    for (const char* name : {"seen", "inside"}) {
        CommandOutput p = run.session().run(std::string("seam print --debug ") + name);
        EXPECT_EQ(p.text(), "A(B(7))\n") << fixture << " " << name;
    }
    // LLDB's own frame line (`${function.name-with-args}`) lays the arguments out through
    // Clang and overflows LLDB 19's stack here: select the frame with a format that shows none.
    CommandOutput format = run.session().run(
        "settings set frame-format \"frame #${frame.index}: ${function.name}\\n\"");
    ASSERT_TRUE(format.ok) << format.text();
    CommandOutput select = run.session().run("frame select 2");
    ASSERT_TRUE(select.ok) << select.text();
    CommandOutput local = run.session().run("seam print --debug local");
    if (outer.located.contains("local"))
        EXPECT_EQ(local.text(), "A(B(7))\n") << fixture;
    else
        EXPECT_EQ(local.text(), fmt::format("error: cannot locate 'local' in frame #2 "
                                            "(bt_nested::outer): local is optimised out at pc "
                                            "{:#x}\n",
                                            outer.pc))
            << fixture;
    for (const auto& [name, value] : {std::pair{"a", "A(B(7))"}, std::pair{"x", "42"}}) {
        CommandOutput p = run.session().run(std::string("seam print --debug ") + name);
        if (entry_values)
            EXPECT_NE(
                p.text().find(std::string("cannot locate '") + name +
                              "' in frame #2 (bt_nested::outer): optimised out (entry value)"),
                std::string::npos)
                << fixture << " " << p.text();
        else
            EXPECT_EQ(p.text(), std::string(value) + "\n") << fixture << " " << name;
    }
}

TEST(Backtrace, HelpListsBt) {
    auto session = Session::create(SEAM_E2E_PLUGIN);
    ASSERT_TRUE(session.ok()) << session.error().message;
    CommandOutput help = (*session)->run("seam help");
    ASSERT_TRUE(help.ok) << help.text();
    for (const char* line :
         {"\n  seam bt [--full] [--full-names] [--all] [--json]\n",
          "\n  seam panic [--json] [--break] [--full-names]\n",
          "\n  seam report [--format text|markdown|json] [--signature-frames N] [--full-names]\n",
          "\n  seam print [--tree|--debug|--pretty|--json] [--depth N] [--container T.F] [PATH]\n",
          "\n  seam own [--frame|--thread|--process] [--json|--dot|--svg FILE] [--container T.F] "
          "[PATH]\n",
          "\n  seam recipe list | clear   the rules in force (with file:line) | forget them\n"})
        EXPECT_NE(help.output.find(line), std::string::npos) << line << " in\n" << help.output;
}

TEST(Backtrace, NestedEnumArgumentsO0) {
    check_nested("bt_nested-O0");
}

TEST(Backtrace, NestedEnumArgumentsO2) {
    check_nested("bt_nested-O2");
}

} // namespace
} // namespace seam::e2e
