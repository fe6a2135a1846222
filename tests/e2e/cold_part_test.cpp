// A crash inside the cold part of a C function gcc split: crash_abort-O2's crash_c_abort calls
// abort() on its unlikely path, which gcc -O2 moves into `crash_c_abort.cold` (a part of its
// own, with an FDE of its own). seam bt must name the frame as its function, tagged
// `[cold part]`, in C with no false boundary, and unwind through it by the part's own CFI (LLDB
// 19 takes the hot part's and finds __restore_rt and then nothing); seam-report must sign the
// crash as it signs the same crash built unsplit (crash_unsplit-O2).
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/bt_skeleton.h"
#include "tests/e2e/lldb_version.h"
#include "tests/e2e/report_cores.h"
#include "tests/e2e/scratch_dir.h"
#include "tests/e2e/session.h"

namespace seam::e2e {
namespace {

namespace fs = std::filesystem;

const std::string k_fixtures = SEAM_E2E_FIXTURE_DIR;

// The line of crash.c that holds `mark`.
int crash_c_line(const std::string& mark) {
    std::ifstream in(fs::path(SEAM_SOURCE_DIR) / "tests" / "fixtures" / "crash.c");
    int n = 0;
    for (std::string line; std::getline(in, line);)
        if (++n, line.find(mark) != std::string::npos) return n;
    return 0;
}

// The skeleton from the first frame of `function` on, without frame numbers (how many libc
// frames lie above differs between glibc builds) and without seam's inferred tail-call frames
// (whether rustc made `run`'s call a jump is the toolchain's choice, not the crash's).
std::vector<std::string> from_function(const std::string& text, const std::string& function) {
    static const std::regex number(R"(^#\d+ )");
    std::vector<std::string> out;
    bool seen = false;
    for (const std::string& line : skeleton(text)) {
        seen = seen || line.find(" " + function) != std::string::npos;
        if (!seen || line.find("[tail call:") != std::string::npos) continue;
        out.push_back(std::regex_replace(line, number, ""));
    }
    return out;
}

std::string signature_line(const std::string& report) {
    std::istringstream in(report);
    for (std::string line; std::getline(in, line);)
        if (line.starts_with("signature:")) return line;
    return "no signature in:\n" + report;
}

TEST(ColdPart, AbortInsideGccsColdPartAtO2) {
    const std::string exe = k_fixtures + "/crash_abort-O2";
    ASSERT_TRUE(fs::exists(exe)) << exe << " was not built (--target fixture-crash_abort)";
    // The fixture must really be split, or this test proves nothing.
    ShellRun nm = run_shell("nm " + quote(exe));
    ASSERT_NE(nm.out.find(" crash_c_abort.cold\n"), std::string::npos) << nm.out;

    ScratchDir dir("cold-part");
    ASSERT_TRUE(dir.ok());
    auto session = Session::create(SEAM_E2E_PLUGIN);
    ASSERT_TRUE(session.ok()) << session.error().message;
    auto stop = (*session)->launch(exe, {{"SEAM_CRASH_KIND", "c_abort"}}, dir.path("output"));
    ASSERT_TRUE(stop.ok()) << stop.error().message;
    ASSERT_EQ(stop->kind, StopKind::Probe) << stop->description; // main's probe, before the crash
    stop = (*session)->resume();
    ASSERT_TRUE(stop.ok()) << stop.error().message;
    ASSERT_NE(stop->description.find("SIGABRT"), std::string::npos) << stop->description;

    CommandOutput bt = (*session)->run("seam bt");
    ASSERT_TRUE(bt.ok) << bt.text();
    // Two ways in, both seen: LLDB unwinds from abort into the cold part (rustc 1.95's link),
    // or stops at abort because the call is the part's last instruction and its return address
    // lies in the padding after it (rustc 1.63's link), and seam's unwinder finds every frame
    // from there on, the cold part's too (without the arguments LLDB's frame would give).
    // A third, with rustc 1.96's link: LLDB 19's hot-part CFI happens to give the right caller
    // for the live process, and its frames stand (no note).
    const bool lldb_stopped = bt.output.find("  ! LLDB's unwind stopped at #") != std::string::npos;
    const bool lldb_right = bt.output.find("  ! ") == std::string::npos;
    const std::string by_seam = lldb_right ? "" : " [unwound by seam: .eh_frame]";
    EXPECT_EQ(
        from_function(bt.output, "crash_c_abort"),
        (std::vector<std::string>{
            "C crash_abort-O2 crash_c_abort [cold part]" + (lldb_stopped ? by_seam : std::string()),
            "── Rust -> C: wrapper crash_abort::crash_kinds::call_c_abort calls "
            "crash_c_abort ──",
            "Rust crash_abort crash_abort::crash_kinds::call_c_abort [wrapper]" + by_seam,
            "Rust crash_abort crash_abort::main" + by_seam,
            "… runtime frames folded",
        }))
        << bt.output;
    // The hot part jumped to its own cold part: no tail call is inferred between them (one was,
    // on the path where seam's unwinder found the caller).
    EXPECT_EQ(bt.output.find("crash_c_abort [tail call"), std::string::npos) << bt.output;
    // The part's line is the abort's, and the frames above it are libc's abort path, in C.
    EXPECT_TRUE(std::regex_search(
        bt.output,
        std::regex(std::string(R"(\n  #\d+ +0x[0-9a-f]{16} C    crash_abort-O2 crash_c_abort )") +
                   (lldb_stopped ? R"(\[cold part\] \[unwound by seam: \.eh_frame\])"
                                 : R"(\(code = [^)]*\) \[cold part\])") +
                   " at crash\\.c:" + std::to_string(crash_c_line("MARK:c_abort_c")) + R"(:9\n)")))
        << bt.output;
    EXPECT_TRUE(
        std::regex_search(bt.output, std::regex(R"(\n  #0 +0x[0-9a-f]{16} C    libc\.so\.6 )")))
        << bt.output;
    // Under LLDB 19 the note says what LLDB did with the part; the unwind is whole either way.
    if (lldb_stopped)
        EXPECT_NE(bt.output.find("  ! LLDB's unwind stopped at #2 (abort), before the thread's "
                                 "start; seam unwound "),
                  std::string::npos)
            << bt.output;
    else if (lldb_unwinds_cold_parts())
        EXPECT_TRUE(lldb_right) << bt.output;
    else if (!lldb_right)
        EXPECT_NE(bt.output.find("  ! LLDB unwound #"), std::string::npos) << bt.output;
    CommandOutput full = (*session)->run("seam bt --full");
    EXPECT_TRUE(full.output.ends_with(" C    crash_abort-O2 _start\n") ||
                full.output.find(" _start [unwound by seam") != std::string::npos)
        << full.output;

    auto j = nlohmann::json::parse((*session)->run("seam bt --json").output, nullptr, false);
    ASSERT_FALSE(j.is_discarded());
    const nlohmann::json* cold = nullptr;
    for (const auto& f : j["threads"][0]["frames"])
        if (f["symbol"] == "crash_c_abort.cold") cold = &f;
    ASSERT_NE(cold, nullptr) << j.dump(2);
    EXPECT_EQ((*cold)["function"], "crash_c_abort");
    EXPECT_EQ((*cold)["cold_part"], true);
    EXPECT_EQ((*cold)["language"], "C");
    EXPECT_EQ((*cold)["language_source"], "dwarf");
    (*session)->kill();

    // seam-report signs the split crash as the same crash unsplit (crash_unsplit-O2: the same
    // program, its C half built with -fno-reorder-blocks-and-partition), less the crate's name.
    const std::string tool =
        (fs::path(SEAM_E2E_PLUGIN).parent_path().parent_path() / "cli" / "seam-report").string();
    std::string split, unsplit;
    for (const std::string& name : {"crash_abort", "crash_unsplit"}) {
        const std::string program = k_fixtures + "/" + name + "-O2";
        ASSERT_TRUE(fs::exists(program)) << program << " was not built";
        std::string core = dir.path(name + ".elf");
        ASSERT_TRUE(gcore_at_crash(program, {"c_abort"}, core).ok()) << name;
        ShellRun r = run_shell(quote(tool) + " " + quote(core));
        ASSERT_EQ(r.status, 0) << r.err;
        (name == "crash_abort" ? split : unsplit) = signature_line(r.out);
        // Its arguments where LLDB's frame holds it (seam's unwinder reads none).
        if (name == "crash_abort" && !lldb_stopped)
            EXPECT_NE(r.out.find(" crash_c_abort (code = "), std::string::npos) << r.out;
    }
    ShellRun nm_unsplit = run_shell("nm " + quote(k_fixtures + "/crash_unsplit-O2"));
    EXPECT_EQ(nm_unsplit.out.find("crash_c_abort.cold"), std::string::npos) << "split after all";
    EXPECT_TRUE(std::regex_match(
        split,
        std::regex(
            R"(signature: +[0-9a-f]{16} \(crash_c_abort <- crash_abort::crash_kinds::call_c_abort( <- crash_abort::crash_kinds::run)? <- crash_abort::main\))")))
        << split;
    for (size_t at; (at = unsplit.find("crash_unsplit::")) != std::string::npos;)
        unsplit.replace(at, 15, "crash_abort::");
    EXPECT_EQ(split.substr(split.find('(')), unsplit.substr(unsplit.find('(')));
}

} // namespace
} // namespace seam::e2e
