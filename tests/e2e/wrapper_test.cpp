// The wrapper fixture: a safe Rust wrapper over a C library built as distros ship them (a
// shared library with symbols and no DWARF). A SIGSEGV inside the library is a fault in C,
// named with its library and the Rust frame that called it, live (`seam panic`) and from a core
// (seam-report), at -O0 and -O2. The same fault reached through a generic method instantiated
// for u32 and for String has one crash signature, at both levels; a generic Rust function
// faulting for either type argument too. Inlined frames are named from their DWARF, so the same
// functions carry the same names at -O0 (frames of their own) and -O2 (inlined).
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

#include "tests/e2e/bt_skeleton.h"
#include "tests/e2e/report_cores.h"
#include "tests/e2e/scratch_dir.h"
#include "tests/e2e/session.h"

namespace seam::e2e {
namespace {

namespace fs = std::filesystem;

const fs::path k_source = SEAM_SOURCE_DIR;
const std::string k_tool =
    (fs::path(SEAM_E2E_PLUGIN).parent_path().parent_path() / "cli" / "seam-report").string();

std::string exe(const std::string& level) {
    return std::string(SEAM_E2E_FIXTURE_DIR) + "/wrapper-" + level;
}

// `wrapper.rs:N` of the line marked `// MARK:<mark>`.
std::string marked(const std::string& mark) {
    std::ifstream in(k_source / "tests" / "fixtures" / "wrapper.rs");
    size_t n = 0;
    for (std::string line; std::getline(in, line);)
        if (++n, line.find("// MARK:" + mark) != std::string::npos)
            return "wrapper.rs:" + std::to_string(n);
    return "no MARK:" + mark;
}

std::string line_starting(const std::string& text, const std::string& prefix) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.starts_with(prefix)) return line;
    return "";
}

// ELF cores of every crashing mode at both levels, made once.
class Wrapper : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_scratch = ScratchDir("e2e-wrapper");
        s_dir = s_scratch.dir();
        s_ready = !s_dir.empty();
        for (const char* level : {"O0", "O2"})
            for (const char* mode :
                 {"fault", "generic-u32", "generic-string", "read-u32", "read-string"})
                s_ready = s_ready && fs::exists(exe(level)) &&
                          gcore_at_crash(exe(level), {mode}, core(mode, level)).ok();
    }
    static void TearDownTestSuite() {
        s_scratch = ScratchDir(); // removes the directory unless a test failed
    }
    void SetUp() override {
        ASSERT_TRUE(fs::exists(k_tool)) << k_tool << " was not built";
        ASSERT_TRUE(s_ready) << "could not make the cores (fixture wrapper built?) in " << s_dir;
    }
    static std::string core(const std::string& mode, const std::string& level) {
        return s_dir + "/" + mode + "-" + level + ".elf";
    }
    static ShellRun report(const std::string& args) {
        return run_shell(quote(k_tool) + " " + args);
    }
    // `HASH (frames)` of a report's signature line.
    static std::string signature(const std::string& mode, const std::string& level,
                                 const std::string& flags = "") {
        ShellRun r = report(flags + quote(core(mode, level)));
        std::smatch m;
        std::string line = line_starting(r.out, "signature:");
        static const std::regex re(R"(^signature: +([0-9a-f]{16} \(.*\))$)");
        return std::regex_match(line, m, re) ? m[1].str() : "no signature in:\n" + r.out + r.err;
    }

    static inline ScratchDir s_scratch;
    static inline std::string s_dir;
    static inline bool s_ready = false;
};

// Live, LLDB's stop description gives the fault address; from gdb's ELF core LLDB 19 gives none,
// and seam reads it from the core's NT_SIGINFO note: the same summary either way.
const std::string k_fault_summary =
    "in C function wr_checksum in libwrapper_c.so, called from Rust "
    "wrapper::Buffer::checksum (";

TEST_F(Wrapper, FaultInCLibraryFromACore) {
    for (const char* level : {"O0", "O2"}) {
        ShellRun r = report(quote(core("fault", level)));
        ASSERT_EQ(r.status, 0) << level << r.err;
        EXPECT_EQ(line_starting(r.out, "classification:"), "classification: fault-in-c")
            << level << "\n"
            << r.out;
        EXPECT_EQ(line_starting(r.out, "summary:"),
                  "summary:        SIGSEGV at 0x18 " + k_fault_summary + marked("fault") + ")")
            << level;
        std::vector<std::string> frames = skeleton(r.out.substr(r.out.find("\n  #0 ") + 1));
        frames.resize(std::min<size_t>(frames.size(), 4));
        EXPECT_EQ(frames,
                  (std::vector<std::string>{
                      "#0 C libwrapper_c.so wr_checksum",
                      "── Rust -> C: wrapper wrapper::Buffer::checksum calls wr_checksum ──",
                      "#1 Rust wrapper wrapper::Buffer::checksum [wrapper]",
                      "#2 Rust wrapper wrapper::main",
                  }))
            << level << "\n"
            << r.out;
        EXPECT_EQ(signature("fault", level).substr(17),
                  "(wr_checksum <- wrapper::Buffer::checksum <- wrapper::main)");
    }
}

TEST(WrapperLive, FaultInCLibraryLive) {
    for (const char* level : {"O0", "O2"}) {
        ASSERT_TRUE(fs::exists(exe(level)));
        ScratchDir scratch(std::string("e2e-wrapper-live-") + level);
        ASSERT_TRUE(scratch.ok());
        auto session = Session::create(SEAM_E2E_PLUGIN);
        ASSERT_TRUE(session.ok()) << session.error().message;
        auto stop =
            (*session)->launch(exe(level), {{"SEAM_WRAPPER_MODE", "fault"}}, scratch.path("out"));
        ASSERT_TRUE(stop.ok()) << stop.error().message;
        ASSERT_EQ(stop->kind, StopKind::Other) << stop->description;
        CommandOutput panic = (*session)->run("seam panic");
        ASSERT_TRUE(panic.ok) << panic.text();
        EXPECT_EQ(panic.output.substr(0, panic.output.find('\n')),
                  "fault-in-c: SIGSEGV at 0x18 " + k_fault_summary + marked("fault") + ")")
            << level << "\n"
            << panic.output;
        EXPECT_NE(panic.output.find("\n  culprit:  frame #0 wr_checksum\n"), std::string::npos)
            << panic.output;
        EXPECT_NE(panic.output.find("\n  last Rust frame: frame #1 wrapper::Buffer::checksum at " +
                                    marked("fault") + "\n"),
                  std::string::npos)
            << panic.output;
        EXPECT_NE(panic.output.find("\n  evidence: SIGSEGV at 0x18 in frame #0 wr_checksum (C, "
                                    "language from mangling)\n"),
                  std::string::npos)
            << panic.output;
        (*session)->kill();
    }
}

// The same crash in two instantiations of one generic method (and the closure and the
// always-inlined generic helper between it and C), at -O0 and at -O2: one signature.
TEST_F(Wrapper, SignatureIsTheSameForEveryInstantiation) {
    const std::string frames = "(wr_checksum <- wrapper::{impl#3}::checksum_at::{closure#0}<…> <- "
                               "wrapper::with_words<…> <- wrapper::Checker<…>::checksum_at<…> <- "
                               "wrapper::main)";
    std::string first = signature("generic-u32", "O0");
    EXPECT_EQ(first.substr(17), frames);
    for (const char* level : {"O0", "O2"})
        for (const char* mode : {"generic-u32", "generic-string"})
            EXPECT_EQ(signature(mode, level), first) << mode << " " << level;
    // --full-names changes what is shown, not what is hashed.
    EXPECT_EQ(signature("generic-string", "O2", "--full-names "), first);

    std::string read = signature("read-u32", "O0");
    EXPECT_EQ(read.substr(17), "(wrapper::read_first<…> <- wrapper::main)");
    for (const char* level : {"O0", "O2"})
        for (const char* mode : {"read-u32", "read-string"})
            EXPECT_EQ(signature(mode, level), read) << mode << " " << level;
    ShellRun r = report(quote(core("read-string", "O2")));
    EXPECT_EQ(line_starting(r.out, "summary:"),
              "summary:        SIGSEGV at 0x18 in Rust function wrapper::read_first<…> (" +
                  marked("read") + ")")
        << r.out;
}

// Names come from the DWARF whether a frame is inlined or not: the same five functions, with
// the same names, at -O0 (the closure a frame of its own) and at -O2 (the closure and
// with_words inlined into checksum_at, which LLDB alone names `{{closure}}`, `Checker<T>`, no
// generic arguments). --full-names shows them whole; by default their generic arguments are
// collapsed.
TEST_F(Wrapper, InlinedFramesNamedFromDwarf) {
    // The crashing thread's frame names, and which of them are inlined.
    auto frames = [](const std::string& report) {
        std::string text = report.substr(report.find("\ncrashing thread:\n") + 1);
        text = text.substr(0, text.find("\nlocals:\n"));
        std::pair<std::vector<std::string>, std::vector<bool>> out;
        static const std::regex frame(R"(^#\d+ \S+ \S+ (.*?)( \[inlined\])?( \[wrapper\])?$)");
        for (const std::string& line : skeleton(text)) {
            std::smatch m;
            if (!std::regex_match(line, m, frame)) continue;
            out.first.push_back(m[1].str());
            out.second.push_back(m[2].matched);
        }
        return out;
    };
    for (const char* mode : {"generic-u32", "generic-string"}) {
        std::string t = std::string(mode) == "generic-u32" ? "u32" : "alloc::string::String";
        for (const char* level : {"O0", "O2"}) {
            ShellRun full = report("--full-names " + quote(core(mode, level)));
            ASSERT_EQ(full.status, 0) << full.err;
            auto [names, inlined] = frames(full.out);
            EXPECT_EQ(names,
                      (std::vector<std::string>{
                          "wr_checksum",
                          "wrapper::{impl#3}::checksum_at::{closure#0}<" + t + ">",
                          "wrapper::with_words<" + t +
                              ", i32, wrapper::{impl#3}::checksum_at::{closure_env#0}<" + t + ">>",
                          "wrapper::Checker<" + t + ">::checksum_at<" + t + ">",
                          "wrapper::main",
                      }))
                << mode << " " << level << "\n"
                << full.out;
            // At -O2 the closure and with_words are inlined calls: the names above are theirs.
            if (std::string(level) == "O2")
                EXPECT_EQ(inlined, (std::vector<bool>{false, true, true, false, false}))
                    << mode << " " << level << "\n"
                    << full.out;
            ShellRun short_names = report(quote(core(mode, level)));
            EXPECT_EQ(frames(short_names.out).first,
                      (std::vector<std::string>{
                          "wr_checksum",
                          "wrapper::{impl#3}::checksum_at::{closure#0}<…>",
                          "wrapper::with_words<…>",
                          "wrapper::Checker<…>::checksum_at<…>",
                          "wrapper::main",
                      }))
                << mode << " " << level << "\n"
                << short_names.out;
        }
    }
}

} // namespace
} // namespace seam::e2e
