// End-to-end unwinding through C built as kernel C is (tests/fixtures/unwind.c:
// -fno-asynchronous-unwind-tables -fomit-frame-pointer, so .debug_frame is its only CFI), at
// -O0 and -O2, live and from a core: Rust -> C -> C -> Rust crossings, a C signal handler
// calling Rust over C frames, a fault in C with and without a Rust handler, a callback run on a
// switched (IRQ) stack, and a callback called through generated code in no module — where
// LLDB's own unwinder stops (-O2) or guesses wrong (-O0) and seam's takes over.
//
// What LLDB 19 does here (measured): it unwinds every case but the generated code itself —
// .debug_frame at call sites, its x86 assembly profiler where there is none. So the tests
// assert the whole frame list down to main with its markers and `found_by`, and the JIT case
// asserts the frames seam found itself.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <string>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/bt_skeleton.h"
#include "tests/e2e/scratch_dir.h"
#include "tests/e2e/session.h"

namespace seam::e2e {
namespace {

namespace fs = std::filesystem;

std::string exe_of(int level) {
    return std::string(SEAM_E2E_FIXTURE_DIR) + "/unwind-O" + std::to_string(level);
}

// The fixture run in one mode, stopped where the mode stops (a probe, or the fault).
class ModeRun {
public:
    ModeRun(const std::string& mode, int level) : m_mode(mode), m_exe(exe_of(level)) {}
    ModeRun(const std::string& mode, const std::string& exe) : m_mode(mode), m_exe(exe) {}
    // `signal_to_pass`: LLDB stops at that signal first; it is then delivered to the handler.
    void start(const std::string& signal_to_pass, bool expect_probe) {
        ASSERT_TRUE(fs::exists(m_exe)) << m_exe << " was not built (--target fixture-unwind)";
        m_dir = ScratchDir("unwind-" + m_mode);
        ASSERT_TRUE(m_dir.ok());
        auto session = Session::create(SEAM_E2E_PLUGIN);
        ASSERT_TRUE(session.ok()) << session.error().message;
        m_session = std::move(*session);
        auto stop = m_session->launch(
            m_exe, {{"SEAM_EXPECT", m_dir.path("expect")}, {"SEAM_UNWIND_MODE", m_mode}},
            m_dir.path("output"));
        ASSERT_TRUE(stop.ok()) << stop.error().message;
        if (!signal_to_pass.empty()) {
            ASSERT_EQ(stop->kind, StopKind::Other) << stop->description;
            ASSERT_NE(stop->description.find(signal_to_pass), std::string::npos)
                << stop->description;
            CommandOutput h = m_session->run("process handle " + signal_to_pass +
                                             " --stop false --pass true --notify false");
            ASSERT_TRUE(h.ok) << h.text();
            stop = m_session->resume();
            ASSERT_TRUE(stop.ok()) << stop.error().message;
        }
        if (expect_probe) {
            ASSERT_EQ(stop->kind, StopKind::Probe) << stop->description;
        } else {
            ASSERT_EQ(stop->kind, StopKind::Other) << stop->description;
            ASSERT_NE(stop->description.find("SIGSEGV"), std::string::npos) << stop->description;
        }
    }
    // Saves a minidump core of this stop and loads it in place of the live process.
    void to_core() {
        const std::string core = m_dir.path("core.dmp");
        auto saved = m_session->save_core(core);
        ASSERT_TRUE(saved.ok()) << saved.error().message;
        m_session->kill();
        auto loaded = m_session->load_core(m_exe, core);
        ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    }
    Session& session() { return *m_session; }

private:
    std::string m_mode;
    std::string m_exe;
    ScratchDir m_dir; ///< removed when the test passed
    std::unique_ptr<Session> m_session;
};

struct Case {
    std::string mode;
    int level = 0;
    std::string signal; ///< the signal LLDB stops at first, then passes to the handler
    bool probe = true;  ///< stops at a probe (else at the fault)
    std::vector<std::string> expected; ///< `seam bt` skeleton
    /// The `found_by` of every frame in the JSON, in order, run-length: {"lldb", 5} ..., the last
    /// run's length 0 (not compared); empty: every frame by LLDB.
    std::vector<std::pair<std::string, int>> found_by;
};

// The generated code's frame (`#2 C ? ??`, the JIT case) is LLDB's only where LLDB's
// architecture-default plan at that PC of no module accepts the %rbp it finds there, which is
// whatever the code before left in it (rustc 1.63 -O0 leaves 1, and LLDB drops the frame). Then
// seam's unwinder finds it by the CFI of its callee (on_level's .eh_frame): the same frame,
// found by seam. What LLDB did is read from its own `bt` at the stop.
Case as_lldb_unwound(Session& session, Case c) {
    const std::string generated = "#2 C ? ??";
    auto at = std::find(c.expected.begin(), c.expected.end(), generated);
    if (at == c.expected.end() || c.found_by.empty() || c.found_by[0].first != "lldb" ||
        c.found_by[0].second != 3)
        return c;
    CommandOutput lldb_bt = session.run("thread backtrace -c 3");
    if (lldb_bt.output.find("frame #2:") != std::string::npos) return c;
    *at += " [unwound by seam: .eh_frame]";
    c.found_by[0].second = 2;
    c.found_by.insert(c.found_by.begin() + 1, {".eh_frame", 1});
    return c;
}

void check(Session& session, const Case& expected_case, const std::string& where) {
    const Case c = as_lldb_unwound(session, expected_case);
    CommandOutput bt = session.run("seam bt");
    ASSERT_TRUE(bt.ok) << where << ": " << bt.text();
    EXPECT_EQ(skeleton(bt.output), c.expected) << where << ":\n" << bt.output;

    CommandOutput full = session.run("seam bt --full");
    ASSERT_TRUE(full.ok) << where << ": " << full.text();
    std::vector<std::string> lines = skeleton(full.output);
    ASSERT_FALSE(lines.empty());
    EXPECT_TRUE(lines.back().find(" _start") != std::string::npos) << where << ":\n" << full.output;

    CommandOutput json = session.run("seam bt --json");
    ASSERT_TRUE(json.ok) << where << ": " << json.text();
    auto j = nlohmann::json::parse(json.output, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << json.output;
    std::vector<std::pair<std::string, int>> runs;
    for (const auto& f : j["threads"][0]["frames"]) {
        std::string how = f["found_by"];
        if (!runs.empty() && runs.back().first == how)
            ++runs.back().second;
        else
            runs.push_back({how, 1});
    }
    if (c.found_by.empty()) {
        ASSERT_EQ(runs.size(), 1u) << where << ":\n" << full.output;
        EXPECT_EQ(runs[0].first, "lldb");
        EXPECT_TRUE(j["threads"][0]["unwind_note"].is_null()) << j["threads"][0]["unwind_note"];
    } else {
        // The last run's length is std's start-up, which changes with the toolchain.
        ASSERT_EQ(runs.size(), c.found_by.size()) << where << ":\n" << full.output;
        runs.back().second = 0;
        EXPECT_EQ(runs, c.found_by) << where << ":\n" << full.output;

        // A note says where LLDB's unwind stopped or went wrong; an inferred tail call alone
        // is no fault of LLDB's (its frame's tag says what it is).
        bool unwound = false;
        for (const auto& [how, n] : runs) unwound |= how != "lldb" && how != "tail call";
        EXPECT_EQ(j["threads"][0]["unwind_note"].is_string(), unwound)
            << j["threads"][0]["unwind_note"];
    }
}

void PrintTo(const Case& c, std::ostream* os) {
    *os << c.mode << " -O" << c.level;
}

class Unwind : public ::testing::TestWithParam<Case> {};

TEST_P(Unwind, LiveAndCore) {
    const Case& c = GetParam();
    ModeRun run(c.mode, c.level);
    ASSERT_NO_FATAL_FAILURE(run.start(c.signal, c.probe));
    ASSERT_NO_FATAL_FAILURE(check(run.session(), c, "live"));
    ASSERT_NO_FATAL_FAILURE(run.to_core());
    check(run.session(), c, "core");
}

// Taken from LLDB 19's own `bt` of the same stops (same frames, same order), with seam's
// markers; libc's frame names are those its debug file (libc6-dbg) gives. glibc's
// __pthread_kill ends in a jump to __pthread_kill_implementation: neither LLDB nor gdb shows
// it, seam infers it (tail call).
std::vector<Case> cases() {
    return {
        {"crossings",
         0,
         "",
         true,
         {
             "thread",
             "#0 Rust unwind unwind::probe::seam_probe",
             "#1 Rust unwind unwind::on_level",
             "── C -> Rust: unwind_c_step calls extern \"C\" unwind::on_level ──",
             "#2 C unwind-O0 unwind_c_step",
             "#3 C unwind-O0 unwind_c_walk",
             "── Rust -> C: wrapper unwind::descend calls unwind_c_walk ──",
             "#4 Rust unwind unwind::descend [wrapper]",
             "#5 Rust unwind unwind::on_level",
             "── C -> Rust: unwind_c_step calls extern \"C\" unwind::on_level ──",
             "#6 C unwind-O0 unwind_c_step",
             "#7 C unwind-O0 unwind_c_walk",
             "── Rust -> C: wrapper unwind::descend calls unwind_c_walk ──",
             "#8 Rust unwind unwind::descend [wrapper]",
             "#9 Rust unwind unwind::main",
             "… runtime frames folded",
         },
         {}},
        {"signal",
         0,
         "SIGUSR1",
         true,
         {
             "thread",
             "#0 Rust unwind unwind::probe::seam_probe",
             "#1 Rust unwind unwind::on_signal",
             "── C -> Rust: c_on_signal calls extern \"C\" unwind::on_signal ──",
             "#2 C unwind-O0 c_on_signal",
             "… runtime frames folded",
             "#4 C libc.so.6 __pthread_kill_implementation",
             // glibc's DWARF names it __pthread_kill (__GI___pthread_kill is its internal alias):
             // seam names the frames it infers from the DWARF, as it names LLDB's.
             "#5 C libc.so.6 __pthread_kill [tail call: no frame of its own, inferred by "
             "seam]",
             "#6 C libc.so.6 raise",
             "#7 C unwind-O0 unwind_c_raise",
             "#8 C unwind-O0 unwind_c_raise",
             "#9 C unwind-O0 unwind_c_raise",
             "── Rust -> C: wrapper unwind::raise_in_c calls unwind_c_raise ──",
             "#10 Rust unwind unwind::raise_in_c [wrapper]",
             "#11 Rust unwind unwind::main",
             "… runtime frames folded",
         },
         {{"lldb", 5}, {"tail call", 1}, {"lldb", 0}}},
        {"fault-handler",
         0,
         "SIGSEGV",
         true,
         {
             "thread",
             "#0 Rust unwind unwind::probe::seam_probe",
             "#1 Rust unwind unwind::on_fault",
             "── C -> Rust: unwind_c_fault calls extern \"C\" unwind::on_fault ──",
             "… runtime frames folded",
             "#3 C unwind-O0 unwind_c_fault",
             "#4 C unwind-O0 unwind_c_fault",
             "── Rust -> C: wrapper unwind::fault_in_c calls unwind_c_fault ──",
             "#5 Rust unwind unwind::fault_in_c [wrapper]",
             "#6 Rust unwind unwind::main",
             "… runtime frames folded",
         },
         {}},
        {"fault",
         0,
         "",
         false,
         {
             "thread",
             "#0 C unwind-O0 unwind_c_fault",
             "#1 C unwind-O0 unwind_c_fault",
             "── Rust -> C: wrapper unwind::fault_in_c calls unwind_c_fault ──",
             "#2 Rust unwind unwind::fault_in_c [wrapper]",
             "#3 Rust unwind unwind::main",
             "… runtime frames folded",
         },
         {}},
        {"irq-stack",
         0,
         "",
         true,
         {
             "thread",
             "#0 Rust unwind unwind::probe::seam_probe",
             "#1 Rust unwind unwind::on_level",
             "── C -> Rust: unwind_c_on_stack calls extern \"C\" unwind::on_level ──",
             "#2 C unwind-O0 unwind_c_on_stack",
             "── Rust -> C: wrapper unwind::on_irq calls unwind_c_on_stack ──",
             "#3 Rust unwind unwind::on_irq [wrapper]",
             "── C -> Rust: unwind_c_step calls extern \"C\" unwind::on_irq ──",
             "#4 C unwind-O0 unwind_c_step",
             "#5 C unwind-O0 unwind_c_walk",
             "── Rust -> C: wrapper unwind::irq_stack calls unwind_c_walk ──",
             "#6 Rust unwind unwind::irq_stack [wrapper]",
             "#7 Rust unwind unwind::main",
             "… runtime frames folded",
         },
         {}},
        {"irq-fault",
         0,
         "",
         false,
         {
             "thread",
             "#0 C unwind-O0 unwind_c_fault_on_stack",
             "── Rust -> C: wrapper unwind::fault_on_irq_stack calls unwind_c_fault_on_stack ──",
             "#1 Rust unwind unwind::fault_on_irq_stack [wrapper]",
             "#2 Rust unwind unwind::main",
             "… runtime frames folded",
         },
         {}},
        {"jit",
         0,
         "",
         true,
         {
             "thread",
             "! note",
             "#0 Rust unwind unwind::probe::seam_probe",
             "#1 Rust unwind unwind::on_level",
             "── C -> Rust: ?? calls extern \"C\" unwind::on_level ──",
             "#2 C ? ??",
             "#3 C unwind-O0 unwind_c_via_jit [unwound by seam: stack scan]",
             "── Rust -> C: wrapper unwind::on_jit calls unwind_c_via_jit ──",
             "#4 Rust unwind unwind::on_jit [wrapper] [unwound by seam: .debug_frame]",
             "── C -> Rust: unwind_c_step calls extern \"C\" unwind::on_jit ──",
             "#5 C unwind-O0 unwind_c_step [unwound by seam: .eh_frame]",
             "#6 C unwind-O0 unwind_c_walk [unwound by seam: .debug_frame]",
             "── Rust -> C: wrapper unwind::jit calls unwind_c_walk ──",
             "#7 Rust unwind unwind::jit [wrapper] [unwound by seam: .debug_frame]",
             "#8 Rust unwind unwind::main [unwound by seam: .eh_frame]",
             "… runtime frames folded",
         },
         {{"lldb", 3},
          {"stack scan", 1},
          {".debug_frame", 1},
          {".eh_frame", 1},
          {".debug_frame", 2},
          {".eh_frame", 0}}},
        {"crossings",
         2,
         "",
         true,
         {
             "thread",
             "#0 Rust unwind unwind::probe::seam_probe",
             "#1 Rust unwind unwind::on_level",
             "── C -> Rust: unwind_c_step calls extern \"C\" unwind::on_level ──",
             "#2 C unwind-O2 unwind_c_step",
             "#3 C unwind-O2 unwind_c_walk",
             "── Rust -> C: wrapper unwind::descend calls unwind_c_walk ──",
             "#4 Rust unwind unwind::descend [wrapper]",
             "#5 Rust unwind unwind::on_level",
             "── C -> Rust: unwind_c_step calls extern \"C\" unwind::on_level ──",
             "#6 C unwind-O2 unwind_c_step",
             "#7 C unwind-O2 unwind_c_walk",
             "── Rust -> C: wrapper unwind::descend calls unwind_c_walk ──",
             "#8 Rust unwind unwind::descend [wrapper]",
             "#9 Rust unwind unwind::main",
             "… runtime frames folded",
         },
         {}},
        {"signal",
         2,
         "SIGUSR1",
         true,
         {
             "thread",
             "#0 Rust unwind unwind::probe::seam_probe",
             "#1 Rust unwind unwind::on_signal",
             "── C -> Rust: c_on_signal calls extern \"C\" unwind::on_signal ──",
             "#2 C unwind-O2 c_on_signal",
             "… runtime frames folded",
             "#4 C libc.so.6 __pthread_kill_implementation",
             "#5 C libc.so.6 __pthread_kill [tail call: no frame of its own, inferred by "
             "seam]",
             "#6 C libc.so.6 raise",
             "#7 C unwind-O2 unwind_c_raise",
             "#8 C unwind-O2 unwind_c_raise",
             "#9 C unwind-O2 unwind_c_raise",
             "── Rust -> C: wrapper unwind::raise_in_c calls unwind_c_raise ──",
             "#10 Rust unwind unwind::raise_in_c [wrapper]",
             "#11 Rust unwind unwind::main",
             "… runtime frames folded",
         },
         {{"lldb", 5}, {"tail call", 1}, {"lldb", 0}}},
        {"fault-handler",
         2,
         "SIGSEGV",
         true,
         {
             "thread",
             "#0 Rust unwind unwind::probe::seam_probe",
             "#1 Rust unwind unwind::on_fault",
             "── C -> Rust: unwind_c_fault calls extern \"C\" unwind::on_fault ──",
             "… runtime frames folded",
             "#3 C unwind-O2 unwind_c_fault",
             "#4 C unwind-O2 unwind_c_fault",
             "── Rust -> C: wrapper unwind::fault_in_c calls unwind_c_fault ──",
             "#5 Rust unwind unwind::fault_in_c [wrapper]",
             "#6 Rust unwind unwind::main",
             "… runtime frames folded",
         },
         {}},
        {"fault",
         2,
         "",
         false,
         {
             "thread",
             "#0 C unwind-O2 unwind_c_fault",
             "#1 C unwind-O2 unwind_c_fault",
             "── Rust -> C: wrapper unwind::fault_in_c calls unwind_c_fault ──",
             "#2 Rust unwind unwind::fault_in_c [wrapper]",
             "#3 Rust unwind unwind::main",
             "… runtime frames folded",
         },
         {}},
        {"irq-stack",
         2,
         "",
         true,
         {
             "thread",
             "#0 Rust unwind unwind::probe::seam_probe",
             "#1 Rust unwind unwind::on_level",
             "── C -> Rust: unwind_c_on_stack calls extern \"C\" unwind::on_level ──",
             "#2 C unwind-O2 unwind_c_on_stack",
             "── Rust -> C: wrapper unwind::on_irq calls unwind_c_on_stack ──",
             "#3 Rust unwind unwind::on_irq [wrapper]",
             "── C -> Rust: unwind_c_step calls extern \"C\" unwind::on_irq ──",
             "#4 C unwind-O2 unwind_c_step",
             "#5 C unwind-O2 unwind_c_walk",
             "── Rust -> C: wrapper unwind::irq_stack calls unwind_c_walk ──",
             "#6 Rust unwind unwind::irq_stack [wrapper]",
             "#7 Rust unwind unwind::main",
             "… runtime frames folded",
         },
         {}},
        {"irq-fault",
         2,
         "",
         false,
         {
             "thread",
             "#0 C unwind-O2 unwind_c_fault_on_stack",
             "── Rust -> C: wrapper unwind::fault_on_irq_stack calls unwind_c_fault_on_stack ──",
             "#1 Rust unwind unwind::fault_on_irq_stack [wrapper]",
             "#2 Rust unwind unwind::main",
             "… runtime frames folded",
         },
         {}},
        {"jit",
         2,
         "",
         true,
         {
             "thread",
             "! note",
             "#0 Rust unwind unwind::probe::seam_probe",
             "#1 Rust unwind unwind::on_level",
             "── C -> Rust: ?? calls extern \"C\" unwind::on_level ──",
             "#2 C ? ??",
             "#3 C unwind-O2 unwind_c_via_jit [unwound by seam: stack scan]",
             "── Rust -> C: wrapper unwind::on_jit calls unwind_c_via_jit ──",
             "#4 Rust unwind unwind::on_jit [wrapper] [unwound by seam: .debug_frame]",
             "── C -> Rust: unwind_c_step calls extern \"C\" unwind::on_jit ──",
             "#5 C unwind-O2 unwind_c_step [unwound by seam: .eh_frame]",
             "#6 C unwind-O2 unwind_c_walk [unwound by seam: .debug_frame]",
             "── Rust -> C: wrapper unwind::jit calls unwind_c_walk ──",
             "#7 Rust unwind unwind::jit [wrapper] [unwound by seam: .debug_frame]",
             "#8 Rust unwind unwind::main [unwound by seam: .eh_frame]",
             "… runtime frames folded",
         },
         {{"lldb", 3},
          {"stack scan", 1},
          {".debug_frame", 1},
          {".eh_frame", 1},
          {".debug_frame", 2},
          {".eh_frame", 0}}},
    };
}

// gcc -O2 turns boundary.c's holder_visit into `jmp *visit`: no frame of its own, so LLDB shows
// main calling the Rust callback directly (a Rust -> Rust call that never happened). seam reads
// main's call instruction (through the GOT: `call *holder_visit@GOTPCREL(%rip)`), sees that it
// called holder_visit, not on_holder, and puts the C frame back, tagged, with both markers.
TEST(UnwindTailCall, BoundaryO2) {
    ModeRun run("", std::string(SEAM_E2E_FIXTURE_DIR) + "/boundary-O2");
    ASSERT_NO_FATAL_FAILURE(run.start("", true));
    const std::vector<std::string> expected = {
        "thread",
        "#0 Rust boundary boundary::probe::seam_probe",
        "#1 Rust boundary boundary::on_holder",
        "── C -> Rust: holder_visit calls extern \"C\" boundary::on_holder ──",
        "#2 C boundary-O2 holder_visit [tail call: no frame of its own, inferred by seam]",
        "── Rust -> C: wrapper boundary::main calls holder_visit ──",
        "#3 Rust boundary boundary::main [wrapper]",
        "… runtime frames folded",
    };
    CommandOutput bt = run.session().run("seam bt");
    ASSERT_TRUE(bt.ok) << bt.text();
    EXPECT_EQ(skeleton(bt.output), expected) << bt.output;
    CommandOutput json = run.session().run("seam bt --json");
    auto j = nlohmann::json::parse(json.output, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << json.output;
    EXPECT_EQ(j["threads"][0]["frames"][2]["found_by"], "tail call");
    EXPECT_TRUE(j["threads"][0]["unwind_note"].is_null());
    ASSERT_NO_FATAL_FAILURE(run.to_core());
    bt = run.session().run("seam bt");
    EXPECT_EQ(skeleton(bt.output), expected) << "core:\n" << bt.output;
}

INSTANTIATE_TEST_SUITE_P(Fixture, Unwind, ::testing::ValuesIn(cases()), [](const auto& info) {
    std::string name = info.param.mode + "_O" + std::to_string(info.param.level);
    for (char& ch : name)
        if (ch == '-') ch = '_';
    return name;
});

} // namespace
} // namespace seam::e2e
