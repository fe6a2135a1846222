// seam-report and `seam report` on real cores of real fixture crashes: crash_abort-O0 (P's
// crash fixtures, panic=abort so that a panic dumps core) faulting in C called from Rust,
// calling abort() from C and panicking on an index out of bounds, and demo-O0 stopped at its
// probe inside a C -> Rust callback. ELF cores come from gdb's gcore at the crash, minidumps
// from LLDB's SaveCore. Asserts the classification, the boundary markers, signature stability,
// batch grouping and counts, exit codes, the messages for bad input, the locals' one-line
// values, and the JSON against docs/report.schema.json.
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/json_schema_check.h"
#include "tests/e2e/lldb_version.h"
#include "tests/e2e/report_cores.h"
#include "tests/e2e/scratch_dir.h"
#include "tests/e2e/session.h"

namespace seam::e2e {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const fs::path k_source = SEAM_SOURCE_DIR;
const std::string k_tool =
    (fs::path(SEAM_E2E_PLUGIN).parent_path().parent_path() / "cli" / "seam-report").string();
const std::string k_crash = std::string(SEAM_E2E_FIXTURE_DIR) + "/crash_abort-O0";
const std::string k_demo = std::string(SEAM_E2E_FIXTURE_DIR) + "/demo-O0";
const std::string k_boundary = std::string(SEAM_E2E_FIXTURE_DIR) + "/boundary-O0";

const std::string k_segv_marker =
    "── Rust -> C: wrapper crash_abort::crash_kinds::read_config calls crash_c_read ──";
const std::string k_segv_frames = "crash_c_read <- crash_abort::crash_kinds::read_config <- "
                                  "crash_abort::crash_kinds::run <- crash_abort::main";

// The cores every test reads (make_report_cores), made once.
class Report : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_scratch = ScratchDir("e2e-report");
        s_dir = s_scratch.dir();
        if (s_dir.empty() || !fs::exists(k_crash) || !fs::exists(k_demo) || !fs::exists(k_boundary))
            return;
        s_ready = make_report_cores(s_dir).ok();
    }
    static void TearDownTestSuite() {
        s_scratch = ScratchDir(); // removes the directory unless a test failed
    }
    void SetUp() override {
        ASSERT_TRUE(fs::exists(k_tool)) << k_tool << " was not built";
        ASSERT_TRUE(s_ready)
            << "could not make the cores (fixtures crash_abort and demo built?) in " << s_dir;
    }
    static std::string path(const std::string& name) { return s_dir + "/" + name; }
    static ShellRun report(const std::string& args) {
        return run_shell(quote(k_tool) + " " + args);
    }
    static json schema() {
        std::ifstream in(k_source / "docs" / "report.schema.json");
        return json::parse(in, nullptr, false);
    }

    static inline ScratchDir s_scratch;
    static inline std::string s_dir;
    static inline bool s_ready = false;
};

std::string line_starting(const std::string& text, const std::string& prefix) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.starts_with(prefix)) return line;
    return "";
}

std::string signature_of(const std::string& text) {
    std::smatch m;
    std::string line = line_starting(text, "signature:");
    static const std::regex hash(R"(^signature: +([0-9a-f]{16}) \((.*)\)$)");
    return std::regex_match(line, m, hash) ? m[1].str() + " " + m[2].str()
                                           : "no signature in:\n" + text;
}

TEST_F(Report, TextReportOfAFaultInC) {
    ShellRun r = report(quote(path("segv1.elf")));
    ASSERT_EQ(r.status, 0) << r.err << r.out;
    EXPECT_EQ(line_starting(r.out, "classification:"), "classification: fault-in-c");
    // LLDB's own description of the stop: LLDB 22 reads the fault address from the ELF core's
    // siginfo and words it differently (docs/install.md, "Other LLDB versions").
    EXPECT_EQ(line_starting(r.out, "stop reason:"),
              lldb_major_version() >= 22
                  ? "stop reason:    SIGSEGV: address not mapped to object (fault address=0x0)"
                  : "stop reason:    signal SIGSEGV: address not mapped to object");
    EXPECT_EQ(line_starting(r.out, "executable:"),
              "executable:     " + k_crash + " (build-id " +
                  run_shell("readelf -n " + quote(k_crash) +
                            " | sed -n 's/.*Build ID: //p' | tr -d '\\n'")
                      .out +
                  ")");
    EXPECT_NE(r.out.find("  " + k_segv_marker + "\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("crash_c_read (p = 0x0) at crash.c:"), std::string::npos) << r.out;
    // The locals of the first user frames, with their ownership facts; `kind` is argv's
    // string, read from the core.
    EXPECT_NE(r.out.find("\nlocals:\n  #0 crash_c_read\n    (const int *) p = 0x0 [c]\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("    (*const i32) p = 0x0 [raw]\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("    (&str) kind = \"c_segv\" [borrowed "), std::string::npos) << r.out;
    EXPECT_EQ(signature_of(r.out).substr(17), k_segv_frames);
}

TEST_F(Report, SignatureIsStableAndSpecific) {
    std::string first = signature_of(report(quote(path("segv1.elf"))).out);
    std::string second = signature_of(report(quote(path("segv2.elf"))).out);
    std::string minidump = signature_of(report(quote(path("segv.dmp"))).out);
    std::string abort = signature_of(report(quote(path("abort.elf"))).out);
    EXPECT_EQ(first, second) << "two runs of the same crash";
    EXPECT_EQ(first, minidump) << "the same crash as an ELF core and as a minidump";
    EXPECT_NE(first.substr(0, 16), abort.substr(0, 16));
    EXPECT_EQ(abort.substr(17), "crash_c_abort <- crash_abort::crash_kinds::call_c_abort <- "
                                "crash_abort::crash_kinds::run <- crash_abort::main");
    // --signature-frames changes what is shown, not what is hashed: the key (crash_c_read, a C
    // name, and its caller) is the same.
    std::string two = signature_of(report("--signature-frames 2 " + quote(path("segv1.elf"))).out);
    EXPECT_EQ(two.substr(17), "crash_c_read <- crash_abort::crash_kinds::read_config");
    EXPECT_EQ(two.substr(0, 16), first.substr(0, 16));
    // Never fewer frames than the key.
    std::string one = signature_of(report("--signature-frames 1 " + quote(path("segv1.elf"))).out);
    EXPECT_EQ(one, two);
}

TEST_F(Report, AbortInCAndAProbeStop) {
    ShellRun abort = report(quote(path("abort.elf")));
    ASSERT_EQ(abort.status, 0) << abort.err;
    EXPECT_EQ(line_starting(abort.out, "classification:"), "classification: abort-in-c");
    EXPECT_NE(abort.out.find("  ── Rust -> C: wrapper crash_abort::crash_kinds::call_c_abort "
                             "calls crash_c_abort ──\n"),
              std::string::npos)
        << abort.out;

    ShellRun demo = report(quote(path("demo.elf")));
    ASSERT_EQ(demo.status, 0) << demo.err;
    EXPECT_EQ(line_starting(demo.out, "classification:"), "classification: breakpoint");
    EXPECT_NE(
        demo.out.find("  ── C -> Rust: device_for_each calls extern \"C\" demo::on_device ──\n"
                      "  #2 "),
        std::string::npos)
        << demo.out;
    EXPECT_NE(demo.out.find("  ── Rust -> C: wrapper demo::main calls device_for_each ──\n"),
              std::string::npos)
        << demo.out;
    EXPECT_NE(demo.out.find("    (String) name = \"gpio7\" [owned "), std::string::npos)
        << demo.out;
}

// A panic=abort panic in an ELF core: its message and location, recovered from the core.
// (From a minidump of written pages only, formatters/crash does not find the PanicHookInfo yet.)
TEST_F(Report, PanicMessageFromACore) {
    ShellRun r = report(quote(path("panic.elf")));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(line_starting(r.out, "classification:"), "classification: rust-panic");
    std::string mark;
    std::ifstream src(k_source / "tests" / "fixtures" / "crash_kinds.rs");
    size_t n = 0;
    for (std::string line; std::getline(src, line);)
        if (++n, line.find("// MARK:panic_literal") != std::string::npos) mark = std::to_string(n);
    std::string panic = line_starting(r.out, "panic:");
    EXPECT_TRUE(panic.starts_with("panic:          ")) << r.out;
    EXPECT_TRUE(panic.ends_with("crash_kinds.rs:" + mark + ":9: the literal panic message"))
        << panic;
    EXPECT_EQ(signature_of(r.out).substr(17), "crash_abort::crash_kinds::panic_literal <- "
                                              "crash_abort::crash_kinds::run <- crash_abort::main");
}

// String literals live in the executable's .rodata, which a kernel core (and this minidump of
// written pages only) does not hold: they print through the executable's file sections.
// glibc linked statically (-C target-feature=+crt-static): abort, gsignal and
// __pthread_kill_implementation.constprop.0 sit in the executable itself, with no DWARF. Each
// crash signs with the same frames as the dynamic build's (less the crate's name), none of
// libc's (Socorro's irrelevant list, Sentry's `category:throw`).
TEST_F(Report, StaticGlibcSignsLikeSharedGlibc) {
    const std::string exe = std::string(SEAM_E2E_FIXTURE_DIR) + "/crash_static-O0";
    ASSERT_TRUE(fs::exists(exe)) << exe << " was not built";
    for (auto [kind, shared] :
         std::vector<std::pair<std::string, std::string>>{{"c_abort", "abort.elf"},
                                                          {"panic_literal", "panic.elf"},
                                                          {"index_oob", "oob.elf"},
                                                          {"c_segv", "segv1.elf"}}) {
        std::string core = path("static-" + kind + ".elf");
        ASSERT_TRUE(gcore_at_crash(exe, {kind}, core).ok()) << kind;
        ShellRun r = report(quote(core));
        ASSERT_EQ(r.status, 0) << kind << ": " << r.err;
        std::string expected = signature_of(report(quote(path(shared))).out).substr(17);
        for (size_t at; (at = expected.find("crash_abort::")) != std::string::npos;)
            expected.replace(at, 13, "crash_static::");
        EXPECT_EQ(signature_of(r.out).substr(17), expected) << kind << "\n" << r.out;
        if (kind != "c_segv") // the abort path is there, in the executable, to be left out
            EXPECT_TRUE(std::regex_search(
                r.out, std::regex(R"(C +crash_static-O0 +(abort|gsignal|raise))")))
                << r.out;
    }
}

// An unwrap() on None, an expect() on Err and a second borrow_mut(): the std function that
// names the failed check goes first (Socorro's prefix list), the same at -O0 and -O2, where
// Option::unwrap and RefCell::borrow_mut are inlined into the user's frame.
TEST_F(Report, TheFailedCheckGoesFirstAtBothLevels) {
    if (SEAM_E2E_RUSTC_MINOR < 77)
        GTEST_SKIP()
            << "std before 1.77 has no core::option::unwrap_failed (rust-lang/rust#119954)";
    const std::string o2 = std::string(SEAM_E2E_FIXTURE_DIR) + "/crash_abort-O2";
    ASSERT_TRUE(fs::exists(o2)) << o2 << " was not built";
    const std::string rest = " <- crash_abort::crash_kinds::run <- crash_abort::main";
    for (auto [kind, frames] : std::vector<std::pair<std::string, std::string>>{
             {"unwrap_none",
              "core::option::unwrap_failed <- crash_abort::crash_kinds::unwrap_none"},
             {"expect_err", "core::result::unwrap_failed <- crash_abort::crash_kinds::expect_err"},
             {"refcell",
              "core::cell::panic_already_borrowed <- crash_abort::crash_kinds::refcell_twice"}}) {
        std::string at_o0, at_o2;
        for (const std::string& exe : {k_crash, o2}) {
            std::string core = path(kind + (exe == o2 ? "-O2.elf" : "-O0.elf"));
            ASSERT_TRUE(gcore_at_crash(exe, {kind}, core).ok()) << kind;
            (exe == o2 ? at_o2 : at_o0) = signature_of(report(quote(core)).out);
        }
        EXPECT_EQ(at_o0.substr(17), frames + rest) << kind;
        EXPECT_EQ(at_o2, at_o0) << kind;
    }
}

// A stack overflow's stack is thousands of frames deep (crash_kinds' `recurse`: 512 bytes a
// frame on an 8 MiB main stack). seam-report reads the innermost --max-frames of it, not all
// (7,726 frames here: 1.44 s a core for all, 0.55 s for 1024), cuts there and says so; the verdict
// and the signature come from the innermost frames and are the same either way.
TEST_F(Report, ADeepStackIsCutAtMaxFramesAndSaysSo) {
    std::string core = path("stack-overflow.elf");
    ASSERT_TRUE(gcore_at_crash(k_crash, {"stack_overflow"}, core).ok());
    auto cut_at = [&](const std::string& max) {
        ShellRun r = report("--format json" + (max.empty() ? "" : " --max-frames " + max) + " " +
                            quote(core));
        EXPECT_EQ(r.status, 0) << r.err;
        return json::parse(r.out, nullptr, false);
    };
    json by_default = cut_at("");
    json at_100 = cut_at("100");
    ASSERT_FALSE(by_default.is_discarded());
    ASSERT_FALSE(at_100.is_discarded());
    EXPECT_EQ(by_default["crashing_thread"]["frames"].size(), 1024u);
    EXPECT_EQ(by_default["crashing_thread"]["unwind_note"],
              "the stack is deeper than 1024 frames: the innermost 1024 are shown (a runaway "
              "recursion?)");
    EXPECT_EQ(at_100["crashing_thread"]["frames"].size(), 100u);
    EXPECT_EQ(at_100["crashing_thread"]["unwind_note"],
              "the stack is deeper than 100 frames: the innermost 100 are shown (a runaway "
              "recursion?)");
    EXPECT_EQ(at_100["crashing_thread"]["frames"][0]["function"],
              by_default["crashing_thread"]["frames"][0]["function"]);
    EXPECT_EQ(at_100["signature"], by_default["signature"]);
    EXPECT_EQ(at_100["classification"]["kind"], "stack-overflow");
    EXPECT_EQ(by_default["classification"]["kind"], "stack-overflow");
    EXPECT_EQ(report("--max-frames 15 " + quote(core)).status, 2);
}

TEST_F(Report, ReadOnlyDataComesFromTheExecutable) {
    ShellRun r = report(quote(path("boundary.dmp")));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("\n    (&CStr) label = \"boat\" [borrowed "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\n    (&CStr) title = \"Engine \\\"room\\\"\" [borrowed "),
              std::string::npos)
        << r.out;
    EXPECT_EQ(line_starting(r.out, "classification:"), "classification: breakpoint");
}

// A container local says what it holds, as LLDB's summary and `seam print --json` say it: its
// facts, then its first items, on one bounded line (render_summary_line), in the text's line and
// in the JSON's `summary` alike (which once gave the facts alone: `len=3`).
TEST_F(Report, ContainerLocalsShowTheirItems) {
    ShellRun r = report(quote(path("oob.elf")));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("\n    (&[u32]) v = len=3 [1, 2, 3] [borrowed "), std::string::npos)
        << r.out;
    json j = json::parse(report("--format json " + quote(path("oob.elf"))).out, nullptr, false);
    ASSERT_FALSE(j.is_discarded());
    const json* v = nullptr;
    for (const json& frame : j["locals"])
        if (frame["function"] == "crash_abort::crash_kinds::index_oob")
            for (const json& var : frame["variables"])
                if (var["name"] == "v") v = &var;
    ASSERT_NE(v, nullptr) << j["locals"].dump(2);
    EXPECT_EQ((*v)["summary"], "len=3 [1, 2, 3]");
    EXPECT_EQ((*v)["summary"], (*v)["value"]["summary"]);
}

TEST_F(Report, JsonMatchesTheSchema) {
    json s = schema();
    ASSERT_FALSE(s.is_discarded()) << "docs/report.schema.json does not parse";
    for (const char* core : {"segv1.elf", "segv.dmp", "abort.elf", "demo.elf"}) {
        ShellRun r = report("--format json " + quote(path(core)));
        ASSERT_EQ(r.status, 0) << core << ": " << r.err;
        json j = json::parse(r.out, nullptr, false);
        ASSERT_FALSE(j.is_discarded()) << core << ":\n" << r.out;
        EXPECT_EQ(validate_json(s, j), std::vector<std::string>{}) << core;
        EXPECT_EQ(j["schema"], "seam.report/1");
    }
    json j = json::parse(report("--format json " + quote(path("segv1.elf"))).out);
    EXPECT_EQ(j["classification"]["kind"], "fault-in-c");
    EXPECT_EQ(j["crashing_thread"]["boundaries"][0]["text"], k_segv_marker);
    EXPECT_EQ(j["locals"][1]["function"], "crash_abort::crash_kinds::read_config");
    EXPECT_EQ(j["locals"][1]["variables"][0]["ownership"], "raw");
    EXPECT_EQ(j["signature"]["frames"].size(), 4u);

    // A document that breaks the schema is caught: the validator is not a rubber stamp.
    json broken = j;
    broken["classification"]["kind"] = "meltdown";
    broken["signature"]["hash"] = "XYZ";
    broken.erase("locals");
    json report_only = s;
    report_only.erase("oneOf");
    report_only["$ref"] = "#/$defs/report";
    EXPECT_EQ(validate_json(report_only, broken).size(), 3u);
    EXPECT_EQ(validate_json(s, broken).size(), 1u) << "the top-level oneOf: no schema matches";
}

TEST_F(Report, BatchGroupsBySignatureAndGoesOnPastBadCores) {
    std::string dir = path("batch");
    fs::create_directories(dir);
    for (const char* name : {"a.elf", "b.elf", "c.elf"})
        fs::copy_file(path("segv1.elf"), dir + "/" + name);
    fs::copy_file(path("segv.dmp"), dir + "/d.dmp");
    fs::copy_file(path("abort.elf"), dir + "/e.elf");
    fs::copy_file(path("segv1.elf"), dir + "/f-truncated.elf");
    fs::resize_file(dir + "/f-truncated.elf", fs::file_size(path("segv1.elf")) / 2);
    std::ofstream(dir + "/g-notes.txt") << "not a core\n";

    ShellRun text = report("--jobs 2 " + quote(dir));
    EXPECT_EQ(text.status, 1) << "some cores could not be read:\n" << text.out << text.err;
    std::string segv = signature_of(report(quote(path("segv1.elf"))).out).substr(0, 16);
    std::string abort = signature_of(report(quote(path("abort.elf"))).out).substr(0, 16);
    EXPECT_EQ(line_starting(text.out, "7 cores"), "7 cores, 5 analysed, 2 failed, 2 signatures");
    EXPECT_EQ(line_starting(text.out, "     4 × "),
              "     4 × " + segv + "  fault-in-c           " + k_segv_frames);
    EXPECT_NE(line_starting(text.out, "     1 × " + abort + "  abort-in-c "), "") << text.out;
    // The segments end before the file does (gdb writes section headers after them).
    std::string truncated = line_starting(text.out, dir + "/f-truncated.elf");
    EXPECT_TRUE(truncated.starts_with(
        fmt::format("{}/f-truncated.elf  error  cannot read core: {}/f-truncated.elf is "
                    "truncated: its segments need ",
                    dir, dir)))
        << truncated;
    EXPECT_TRUE(truncated.ends_with(
        fmt::format(" bytes, the file has {}", fs::file_size(path("segv1.elf")) / 2)))
        << truncated;
    // Core names are padded to the longest one ("f-truncated.elf").
    EXPECT_EQ(line_starting(text.out, dir + "/g-notes.txt"),
              dir + "/g-notes.txt      error  cannot read core: " + dir +
                  "/g-notes.txt is not a core file (neither an ELF core nor a minidump)");
    EXPECT_TRUE(line_starting(text.out, dir + "/a.elf")
                    .starts_with(dir + "/a.elf            ok     " + segv + "  fault-in-c  "))
        << text.out;
    EXPECT_TRUE(line_starting(text.out, dir + "/d.dmp")
                    .starts_with(dir + "/d.dmp            ok     " + segv + "  fault-in-c  "))
        << "the minidump of the same crash joins its group\n"
        << text.out;

    // One worker gives the same answer as two.
    EXPECT_EQ(report("--jobs 1 " + quote(dir)).out, text.out);

    ShellRun j = report("--format json --jobs 2 " + quote(dir));
    json batch = json::parse(j.out, nullptr, false);
    ASSERT_FALSE(batch.is_discarded()) << j.out;
    EXPECT_EQ(validate_json(schema(), batch), std::vector<std::string>{});
    EXPECT_EQ(batch["total"], 7);
    EXPECT_EQ(batch["failed"], 2);
    ASSERT_EQ(batch["groups"].size(), 2u);
    EXPECT_EQ(batch["groups"][0]["count"], 4);
    EXPECT_EQ(batch["groups"][0]["signature"], segv);
    EXPECT_EQ(batch["cores"][5]["status"], "error");
}

TEST_F(Report, WrongMissingAndStrippedExecutables) {
    // Another program's executable: the build-ids disagree, for ELF cores and minidumps.
    const std::string other = std::string(SEAM_E2E_FIXTURE_DIR) + "/demo-O0";
    for (const char* core : {"segv1.elf", "segv.dmp"}) {
        ShellRun r = report("--exe " + quote(other) + " " + quote(path(core)));
        EXPECT_EQ(r.status, 1);
        EXPECT_NE(
            r.err.find(": build-id mismatch: the core was dumped by " + k_crash + " (build-id "),
            std::string::npos)
            << core << ": " << r.err;
        EXPECT_NE(r.err.find("but " + other + " has build-id "), std::string::npos) << r.err;
    }

    // The executable the core records is gone.
    std::string moved = path("gone-crash");
    fs::copy_file(k_crash, moved);
    ASSERT_TRUE(gcore_at_crash(moved, {"c_segv"}, path("gone.elf")).ok());
    fs::remove(moved);
    ShellRun gone = report(quote(path("gone.elf")));
    EXPECT_EQ(gone.status, 1);
    EXPECT_EQ(gone.err, "seam-report: " + path("gone.elf") + ": executable not found: " + moved +
                            " (the path the core records; use --exe)\n");
    // --exe finds it again: the same build (same build-id) at another path.
    ShellRun found = report("--exe " + quote(k_crash) + " " + quote(path("gone.elf")));
    EXPECT_EQ(found.status, 0) << found.err;
    EXPECT_EQ(line_starting(found.out, "classification:"), "classification: fault-in-c");

    // Stripped: strip keeps the build-id, so the core still matches; no DWARF, no locals.
    std::string stripped = path("stripped-crash");
    ASSERT_EQ(std::system(("strip -o " + quote(stripped) + " " + quote(k_crash)).c_str()), 0);
    ShellRun s = report("--exe " + quote(stripped) + " " + quote(path("segv1.elf")));
    EXPECT_EQ(s.status, 0) << s.err;
    EXPECT_NE(s.out.find("warning: no debug info in the executable"), std::string::npos) << s.out;
    EXPECT_EQ(s.out.find("\nlocals:\n"), std::string::npos) << s.out;
}

TEST_F(Report, UsageErrorsExitWithTwo) {
    EXPECT_EQ(report("").status, 2);
    EXPECT_EQ(report("--format yaml " + quote(path("segv1.elf"))).status, 2);
    ShellRun missing = report(quote(path("no-such-core")));
    EXPECT_EQ(missing.status, 2);
    EXPECT_EQ(missing.err,
              "seam-report: no such file or directory: " + path("no-such-core") + "\n");
}

// `seam report` inside LLDB on the same core gives the same report as seam-report.
TEST_F(Report, PluginCommandOnACore) {
    auto session = Session::create(SEAM_E2E_PLUGIN);
    ASSERT_TRUE(session.ok()) << session.error().message;
    auto loaded = (*session)->load_core(k_crash, path("segv1.elf"));
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    CommandOutput text = (*session)->run("seam report");
    ASSERT_TRUE(text.ok) << text.text();
    EXPECT_EQ(line_starting(text.output, "classification:"), "classification: fault-in-c");
    EXPECT_EQ(signature_of(text.output), signature_of(report(quote(path("segv1.elf"))).out));
    CommandOutput j = (*session)->run("seam report --json");
    ASSERT_TRUE(j.ok) << j.text();
    json parsed = json::parse(j.output, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << j.output;
    EXPECT_EQ(validate_json(schema(), parsed), std::vector<std::string>{});
    EXPECT_EQ(parsed["core"], nullptr);
    EXPECT_EQ(parsed["classification"]["kind"], "fault-in-c");
}

// docs/examples/report.py drives the plugin through LLDB's own Python module.
TEST_F(Report, PythonExample) {
    ShellRun lldb_path = run_shell(quote(std::string(SEAM_E2E_LLDB_BIN) + "/lldb") + " -P");
    std::string py_path = lldb_path.out.substr(0, lldb_path.out.find('\n'));
    // Python is not instrumented: a sanitizer build's plugin needs the runtime loaded first, by
    // the dynamic loader of the interpreter itself (python3 on PATH may be a shim script).
    std::string python = "python3";
    if (*SEAM_E2E_SANITIZER_RUNTIME)
        python = quote(SEAM_E2E_DYNAMIC_LOADER) + " --preload " +
                 quote(SEAM_E2E_SANITIZER_RUNTIME) +
                 " \"$(python3 -c 'import sys; print(sys.executable)')\"";
    ShellRun r =
        run_shell("PYTHONPATH=" + quote(py_path) + " " + python + " " +
                  quote((k_source / "docs" / "examples" / "report.py").string()) + " --plugin " +
                  quote(SEAM_E2E_PLUGIN) + " " + quote(k_crash) + " " + quote(path("segv1.elf")));
    ASSERT_EQ(r.status, 0) << r.err << r.out;
    std::string segv = signature_of(report(quote(path("segv1.elf"))).out).substr(0, 16);
    EXPECT_EQ(r.out,
              "fault-in-c " + segv + " " + k_segv_frames + "\n" + "  " + k_segv_marker + "\n");
}

} // namespace
} // namespace seam::e2e
