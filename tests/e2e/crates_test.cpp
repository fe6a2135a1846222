// End-to-end over real safe wrappers of real distro C libraries (tests/fixtures/crates): git2
// over libgit2, flate2 over zlib, rusqlite over libsqlite3, the C libraries as Debian ships them
// (symbols, no DWARF), each at -O0 and -O2. For each:
// - a stop inside a callback the C library makes: the whole folded `seam bt` (languages,
//   crates, names, the boundary markers and nothing else), the same at both levels; then at
//   every probe the wrapper's own types (handles, errors, contexts) against their `{:?}` and
//   `{:#?}`, without error markers;
// - a fault inside the C library, an abort inside the callback (ELF cores gdb writes at the
//   crash, read by seam-report), and a panic inside the callback (live, `seam panic --break`):
//   classification, headline, the markers of the crashing thread, the crash signature, and the
//   crashing frames' locals without error markers but where the fixture planted garbage.
// A crate whose Debian packages are missing skips, naming them (crate_fixtures.inc).
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/bt_skeleton.h"
#include "tests/e2e/compare.h"
#include "tests/e2e/expectations.h"
#include "tests/e2e/panic_oracle.h"
#include "tests/e2e/report_cores.h"
#include "tests/e2e/scratch_dir.h"
#include "tests/e2e/session.h"

namespace seam::e2e {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

struct CrateFixture {
    const char* crate;
    const char* o0;      ///< the -O0 binary, "" when not built
    const char* o2;      ///< the -O2 binary
    const char* missing; ///< why not built ("" when built)
};
constexpr CrateFixture k_fixtures[] = {
#include "crate_fixtures.inc"
};

const fs::path k_sources = fs::path(SEAM_SOURCE_DIR) / "tests" / "fixtures" / "crates";
const std::string k_report_tool =
    (fs::path(SEAM_E2E_PLUGIN).parent_path().parent_path() / "cli" / "seam-report").string();

// What each crate's runs must show. Names are compared without generic arguments (the readable
// default elides them; --full-names shows them), C frames of functions the C library has no
// symbol for (`libgit2.so.1.5@0x2d3f0`) are left out, and their names in markers read <unnamed>.
struct Expected {
    std::string crate;
    /// The folded `seam bt` at the callback stop, normalised (see normalise()).
    std::vector<std::string> callback;
    std::string callback_fn; ///< the fixture's function the C library's callback reaches
    /// The fault: the C function, its library, the last Rust frame, and the one marker.
    std::string fault_fn, fault_lib, fault_rust, fault_marker;
    /// The panic: the function that panicked (the culprit, first in the signature), whether the
    /// panic is the fixture's own (`// MARK:panic`) or the wrapper's, and whether it happened
    /// inside the callback (its markers are the callback's) or after the C call returned.
    std::string panic_fn;
    bool panic_in_fixture = true;
    bool panic_in_callback = true;
    /// The panic's stops after `seam panic --break`, then how the process ends: kinds of stop.
    std::vector<std::string> panic_stops;
    int panic_exit = 0; ///< exit status after the stops; -1: killed after the last stop
    size_t probes = 0;  ///< probe stops of the `probe` run (callback stops, then the values)
    /// Wrapper values with no Debug of their own at the callback stop: `seam print --debug`
    /// must start with this text and show no error marker.
    std::vector<std::pair<std::string, std::string>> undebuggable;
};

const std::vector<Expected>& expectations() {
    static const std::vector<Expected> all = {
        {.crate = "git2",
         .callback =
             {
                 "Rust seam_git2 seam_git2::probe::seam_probe",
                 "Rust seam_git2 seam_git2::on_path",
                 "Rust seam_git2 seam_git2::main::{closure#1}",
                 "Rust git2 git2::index::index_matched_path_cb::{closure#0}",
                 "… runtime frames folded",
                 "Rust git2 git2::panic::wrap",
                 "Rust git2 git2::index::index_matched_path_cb",
                 "── C -> Rust: <unnamed> calls extern \"C\" git2::index::index_matched_path_cb ──",
                 "C libgit2.so.1.5 git_diff_foreach",
                 "C libgit2.so.1.5 git_index_add_all",
                 "── Rust -> C: wrapper git2::index::Index::add_all calls git_index_add_all ──",
                 "Rust git2 git2::index::Index::add_all [wrapper]",
                 "Rust seam_git2 seam_git2::main",
                 "… runtime frames folded",
             },
         .callback_fn = "seam_git2::on_path",
         .fault_fn = "git_repository_path",
         .fault_lib = "libgit2.so.1.5",
         .fault_rust = "git2::repo::Repository::path",
         .fault_marker =
             "── Rust -> C: wrapper git2::repo::Repository::path calls git_repository_path ──",
         // git2 catches the panic at the C boundary and resumes it once libgit2 has returned.
         .panic_fn = "seam_git2::on_path",
         .panic_stops = {"rust-panic", "rust-panic"},
         .panic_exit = 101,
         .probes = 3},
        {.crate = "flate2",
         .callback =
             {
                 "Rust seam_flate2 seam_flate2::probe::seam_probe",
                 "Rust seam_flate2 seam_flate2::on_zlib_alloc",
                 "Rust seam_flate2 seam_flate2::{impl#0}::alloc",
                 // rustc's __rust_alloc shim of the #[global_allocator]: runtime.
                 "… runtime frames folded",
                 "Rust alloc alloc::alloc::alloc",
                 "Rust flate2 flate2::ffi::c::zalloc",
                 "── C -> Rust: inflateInit2_ calls extern \"C\" flate2::ffi::c::zalloc ──",
                 "C libz.so.1 inflateInit2_",
                 "── Rust -> C: wrapper flate2::ffi::c::c_backend::mz_inflateInit2 calls "
                 "inflateInit2_ ──",
                 "Rust flate2 flate2::ffi::c::c_backend::mz_inflateInit2 [wrapper]",
                 "Rust flate2 flate2::ffi::c::{impl#11}::make",
                 "Rust flate2 flate2::mem::Decompress::new",
                 "Rust seam_flate2 seam_flate2::main",
                 "… runtime frames folded",
             },
         .callback_fn = "seam_flate2::on_zlib_alloc",
         .fault_fn = "inflate",
         .fault_lib = "libz.so.1",
         .fault_rust = "flate2::ffi::c::{impl#11}::decompress",
         .fault_marker =
             "── Rust -> C: wrapper flate2::ffi::c::{impl#11}::decompress calls inflate ──",
         // The allocator fails zlib's request in the callback; flate2 asserts that
         // inflateInit2_ succeeded, once it has returned.
         .panic_fn = "flate2::ffi::c::{impl#11}::make",
         .panic_in_fixture = false,
         .panic_in_callback = false,
         .panic_stops = {"rust-panic"},
         .panic_exit = 101,
         .probes = 2},
        {.crate = "rusqlite",
         .callback =
             {
                 "Rust seam_rusqlite seam_rusqlite::probe::seam_probe",
                 "Rust seam_rusqlite seam_rusqlite::on_call",
                 "Rust seam_rusqlite seam_rusqlite::main::{closure#1}",
                 "Rust rusqlite "
                 "rusqlite::functions::{impl#4}::create_scalar_function::call_boxed_closure::{"
                 "closure#0}",
                 "… runtime frames folded",
                 "Rust rusqlite "
                 "rusqlite::functions::{impl#4}::create_scalar_function::call_boxed_closure",
                 "── C -> Rust: sqlite3VdbeExec calls extern \"C\" "
                 "rusqlite::functions::{impl#4}::create_scalar_function::call_boxed_closure ──",
                 "C libsqlite3.so.0 sqlite3VdbeExec",
                 "C libsqlite3.so.0 sqlite3_step",
                 "── Rust -> C: wrapper rusqlite::raw_statement::RawStatement::step calls "
                 "sqlite3_step ──",
                 "Rust rusqlite rusqlite::raw_statement::RawStatement::step [wrapper]",
                 "Rust rusqlite rusqlite::statement::Statement::step",
                 "Rust rusqlite rusqlite::row::{impl#6}::advance",
                 "Rust rusqlite rusqlite::row::Rows::next",
                 "Rust rusqlite rusqlite::row::Rows::get_expected_row",
                 "Rust rusqlite rusqlite::statement::Statement::query_row",
                 "Rust rusqlite rusqlite::Connection::query_row",
                 "Rust seam_rusqlite seam_rusqlite::main",
                 "… runtime frames folded",
             },
         .callback_fn = "seam_rusqlite::on_call",
         .fault_fn = "sqlite3_changes64",
         .fault_lib = "libsqlite3.so.0",
         .fault_rust = "rusqlite::inner_connection::InnerConnection::changes",
         .fault_marker =
             "── Rust -> C: wrapper rusqlite::inner_connection::InnerConnection::changes "
             "calls sqlite3_changes ──",
         // rusqlite catches the panic and fails the query with Error::UnwindingPanic.
         .panic_fn = "seam_rusqlite::on_call",
         .panic_stops = {"rust-panic"},
         .panic_exit = 0,
         .probes = 2,
         .undebuggable = {{"ctx", "Context { ctx: 0x"}}},
    };
    return all;
}

struct Case {
    std::string crate;
    int level = 0; ///< 0 or 2
};

void PrintTo(const Case& c, std::ostream* os) {
    *os << c.crate << " -O" << c.level;
}

std::string case_name(const testing::TestParamInfo<Case>& info) {
    return info.param.crate + "_O" + std::to_string(info.param.level);
}

std::vector<Case> all_cases() {
    std::vector<Case> out;
    for (const Expected& e : expectations())
        for (int level : {0, 2}) out.push_back({e.crate, level});
    return out;
}

// Generic arguments (`add_all<&str, [&str; 1]>`) cut from a name; a `<` that opens a path
// segment (`<T as Trait>::f`, `<impl X>`) stays.
std::string without_generics(const std::string& name) {
    std::string out;
    for (size_t i = 0; i < name.size(); ++i) {
        char prev = out.empty() ? ' ' : out.back();
        bool generic = name[i] == '<' && (isalnum(static_cast<unsigned char>(prev)) ||
                                          prev == '_' || prev == '}' || prev == '>');
        if (!generic) {
            out += name[i];
            continue;
        }
        int depth = 0;
        for (; i < name.size(); ++i) {
            if (name[i] == '<') ++depth;
            if (name[i] == '>' && name[i - 1] != '-' && --depth == 0) break;
        }
    }
    return out;
}

// `seam bt` text reduced to what does not depend on the optimisation level: skeleton() without
// frame numbers, `[inlined]` and inferred-tail-call tags, generic arguments and unnamed C frames.
std::vector<std::string> normalise(const std::string& bt_text) {
    static const std::regex number(R"(^#\d+ )");
    // A C library's static function (no symbol): named by its offset in the library, which
    // moves with the library's version.
    static const std::regex unnamed(R"(\S+\.so[.0-9]*@0x[0-9a-f]+)");
    std::vector<std::string> out;
    for (std::string line : skeleton(bt_text)) {
        if (line == "thread") continue;
        line = std::regex_replace(line, number, "");
        line = std::regex_replace(line, unnamed, "<unnamed>");
        for (const char* tag : {" [inlined]"})
            if (auto at = line.find(tag); at != std::string::npos) line.erase(at, strlen(tag));
        if (auto at = line.find(" [tail call"); at != std::string::npos) line.resize(at);
        line = without_generics(line);
        if (line.starts_with("C ") && line.ends_with(" <unnamed>")) continue;
        if (line.starts_with("… ") && !out.empty() && out.back() == line) continue;
        out.push_back(line);
    }
    return out;
}

std::vector<std::string> markers_of(const std::vector<std::string>& lines) {
    std::vector<std::string> out;
    for (const std::string& l : lines)
        if (l.starts_with("── ")) out.push_back(l);
    return out;
}

// One string of lines, so that a mismatch shows as a diff.
std::string lines(const std::vector<std::string>& v) {
    std::string out;
    for (const std::string& l : v) out += (out.empty() ? "" : "\n") + l;
    return out;
}

bool has_error_marker(const std::string& text) {
    return text.find("<error") != std::string::npos || text.find("<invalid") != std::string::npos;
}

// rustc's and std's shims: never in a signature (the user's frames are).
void expect_no_shims(const json& frames, const std::string& where) {
    for (const auto& f : frames) {
        std::string name = f.get<std::string>();
        EXPECT_EQ(name.find("__rust_try"), std::string::npos) << where << ": " << frames.dump();
        EXPECT_EQ(name.find("__rust_alloc"), std::string::npos) << where << ": " << frames.dump();
        EXPECT_FALSE(name.starts_with("std::") || name.starts_with("core::"))
            << where << ": " << frames.dump();
    }
}

class Crate : public testing::TestWithParam<Case> {
protected:
    void SetUp() override {
        const Case& c = GetParam();
        for (const CrateFixture& f : k_fixtures)
            if (f.crate == c.crate) m_fixture = &f;
        for (const Expected& e : expectations())
            if (e.crate == c.crate) m_expected = &e;
        ASSERT_NE(m_fixture, nullptr) << c.crate << " is not in crate_fixtures.inc";
        if (*m_fixture->missing) GTEST_SKIP() << c.crate << ": " << m_fixture->missing;
        m_exe = c.level == 0 ? m_fixture->o0 : m_fixture->o2;
        ASSERT_TRUE(fs::exists(m_exe)) << m_exe << " was not built (--target crate-fixtures)";
        // As cargo gave it to rustc.
        m_source = fs::weakly_canonical(k_sources / c.crate / "src" / "main.rs").string();
    }
    std::string line_of(const std::string& mark) const {
        return std::to_string(marker_line(m_source, mark));
    }
    // The crash's ELF core, written by gdb at the crash, and seam-report's text of it.
    std::string report_of_crash(const ScratchDir& dir, const std::string& kind) {
        ::setenv("SEAM_CRATE_KIND", kind.c_str(), 1);
        ::setenv("SEAM_CRATE_DIR", dir.dir().c_str(), 1);
        Status made = gcore_at_crash(m_exe, {}, dir.path(kind + ".core"));
        ::unsetenv("SEAM_CRATE_KIND");
        ::unsetenv("SEAM_CRATE_DIR");
        EXPECT_TRUE(made.ok()) << made.error().message;
        ShellRun r = run_shell(quote(k_report_tool) + " " + quote(dir.path(kind + ".core")));
        EXPECT_EQ(r.status, 0) << r.err << r.out;
        return r.out;
    }

    const CrateFixture* m_fixture = nullptr;
    const Expected* m_expected = nullptr;
    std::string m_exe;
    std::string m_source;
};

std::string line_starting(const std::string& text, const std::string& prefix) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.starts_with(prefix)) return line;
    return "";
}

// The report's crashing thread (its `seam bt`), normalised.
std::vector<std::string> crashing_thread(const std::string& report) {
    auto from = report.find("\ncrashing thread:\n");
    if (from == std::string::npos) return {"no crashing thread in:\n" + report};
    from = report.find('\n', from + 1) + 1;
    auto to = report.find("\n\n", from);
    return normalise(report.substr(from, to == std::string::npos ? to : to - from));
}

// The report's locals (the wrapper's handles, errors and contexts in the crashing frames): an
// error marker only where the fixture planted garbage, at 0x10.
void expect_true_markers_only(const std::string& report) {
    auto from = report.find("\nlocals:\n");
    ASSERT_NE(from, std::string::npos) << report;
    std::istringstream in(report.substr(from));
    size_t values = 0;
    for (std::string line; std::getline(in, line);) {
        if (!line.starts_with("    (")) continue;
        ++values;
        if (has_error_marker(line)) EXPECT_NE(line.find(" at 0x10>"), std::string::npos) << line;
    }
    EXPECT_GT(values, 0u) << report;
}

// The frames the report's signature hashed: `signature: HASH (a <- b <- c)`.
json signature_frames(const std::string& report) {
    static const std::regex sig(R"(^signature: +[0-9a-f]{16} \((.*)\)$)");
    std::smatch m;
    std::string line = line_starting(report, "signature:");
    json frames = json::array();
    if (!std::regex_match(line, m, sig)) return frames;
    std::string list = m[1];
    for (size_t at = 0;;) {
        size_t next = list.find(" <- ", at);
        frames.push_back(list.substr(at, next - at));
        if (next == std::string::npos) break;
        at = next + 4;
    }
    return frames;
}

TEST_P(Crate, StopInCallback) {
    ScratchDir dir("crates-" + GetParam().crate + "-probe");
    auto session = Session::create(SEAM_E2E_PLUGIN);
    ASSERT_TRUE(session.ok()) << session.error().message;
    auto stop = (*session)->launch(m_exe,
                                   {{"SEAM_CRATE_KIND", "probe"},
                                    {"SEAM_CRATE_DIR", dir.dir()},
                                    {"SEAM_EXPECT", dir.path("expect")}},
                                   dir.path("output"));
    ASSERT_TRUE(stop.ok()) << stop.error().message;
    ASSERT_EQ(stop->kind, StopKind::Probe) << stop->description;

    CommandOutput bt = (*session)->run("seam bt");
    ASSERT_TRUE(bt.ok) << bt.text();
    EXPECT_EQ(lines(normalise(bt.output)), lines(m_expected->callback)) << bt.output;
    EXPECT_EQ(bt.output.find("___lldb_unnamed_symbol"), std::string::npos)
        << "LLDB's own count names a function\n"
        << bt.output;
    // At -O2 the DWARF may give a value no location at the stop (rustc 1.63 leaves `ctx` an
    // entry value): seam says so, as for the records below.
    const bool o2 = GetParam().level == 2;
    for (const auto& [name, prefix] : m_expected->undebuggable) {
        CommandOutput v = (*session)->run("seam print --debug " + name);
        if (o2 && v.text() == "error: cannot locate '" + name + "' in frame #1 (" +
                                  m_expected->callback_fn + "): optimised out (entry value)\n") {
            std::cout << "[ EXCUSED ] " << name << " at -O2: an entry value\n";
            continue;
        }
        EXPECT_TRUE(v.ok && v.output.starts_with(prefix) && !has_error_marker(v.output))
            << name << ": " << v.text();
    }

    // Every probe: the wrapper's values against their own {:?} and {:#?}, and no error marker
    // in any of them (the records whose Debug is hand-written included).
    size_t stops = 0;
    for (;; ++stops) {
        if (stops > 0) {
            stop = (*session)->resume();
            ASSERT_TRUE(stop.ok()) << stop.error().message;
            if (stop->kind == StopKind::Exited) break;
            ASSERT_EQ(stop->kind, StopKind::Probe) << stop->description;
        }
        auto exp = read_expectations(dir.path("expect"));
        ASSERT_TRUE(exp.ok()) << exp.error().message;
        std::vector<Mismatch> mismatches;
        Tally t = compare_stop(**session, *exp, mismatches, o2);
        for (const Mismatch& m : mismatches)
            if (!m.excused)
                ADD_FAILURE() << stop->description << " " << m.name << " (" << m.what
                              << "):\n expected: " << clip(m.expected)
                              << "\n actual:   " << clip(m.actual);
        std::cout << "[ STOP     ] " << stop->description << ": " << t.exact_line() << "; "
                  << t.detail_line() << "\n";
        for (const Record& r : exp->records) {
            CommandOutput v = (*session)->run("seam print --debug " + r.name);
            bool optimised_out = o2 && v.text().find("optimised out") != std::string::npos;
            EXPECT_TRUE(optimised_out || (v.ok && !has_error_marker(v.output)))
                << stop->description << " " << r.name << ": " << v.text();
        }
    }
    EXPECT_EQ(stops, m_expected->probes);
    EXPECT_EQ(stop->exit_status, 0) << slurp(dir.path("output"));
}

TEST_P(Crate, FaultInTheCLibrary) {
    ScratchDir dir("crates-" + GetParam().crate + "-fault");
    const std::string report = report_of_crash(dir, "c_fault");
    const Expected& e = *m_expected;
    EXPECT_EQ(line_starting(report, "classification:"), "classification: fault-in-c") << report;
    // The C function and its library, then the last Rust frame (the wrapper) that called it.
    std::string summary = line_starting(report, "summary:");
    EXPECT_TRUE(summary.starts_with("summary:        SIGSEGV")) << summary;
    EXPECT_NE(summary.find(" in C function " + e.fault_fn), std::string::npos) << summary;
    EXPECT_NE(summary.find(e.fault_lib), std::string::npos) << summary;
    EXPECT_NE(summary.find(", called from Rust " + e.fault_rust), std::string::npos) << summary;
    std::vector<std::string> frames_seen = crashing_thread(report);
    EXPECT_EQ(lines(markers_of(frames_seen)), e.fault_marker) << report;
    ASSERT_FALSE(frames_seen.empty());
    EXPECT_EQ(frames_seen[0], "C " + e.fault_lib + " " + e.fault_fn) << report;
    json frames = signature_frames(report);
    ASSERT_GE(frames.size(), 2u) << report;
    EXPECT_EQ(frames[0], e.fault_fn) << report;
    expect_no_shims(frames, "signature");
    expect_true_markers_only(report);
}

TEST_P(Crate, AbortInCallback) {
    ScratchDir dir("crates-" + GetParam().crate + "-abort");
    const std::string report = report_of_crash(dir, "abort");
    const Expected& e = *m_expected;
    EXPECT_EQ(line_starting(report, "classification:"), "classification: abort-in-rust") << report;
    EXPECT_EQ(line_starting(report, "summary:"),
              fmt::format("summary:        std::process::abort() called from {} (main.rs:{})",
                          e.callback_fn, line_of("abort")));
    // libc's abort called by std, then exactly the callback's two boundaries.
    std::vector<std::string> markers = markers_of(crashing_thread(report));
    ASSERT_FALSE(markers.empty()) << report;
    EXPECT_TRUE(markers[0].starts_with("── Rust -> C: std::") &&
                markers[0].ends_with(" calls abort ──"))
        << markers[0];
    markers.erase(markers.begin());
    EXPECT_EQ(lines(markers), lines(markers_of(e.callback))) << report;
    json frames = signature_frames(report);
    ASSERT_FALSE(frames.empty()) << report;
    EXPECT_EQ(frames[0], e.callback_fn) << report;
    expect_no_shims(frames, "signature");
    expect_true_markers_only(report);
}

TEST_P(Crate, PanicInCallback) {
    ScratchDir dir("crates-" + GetParam().crate + "-panic");
    const Expected& e = *m_expected;
    auto session = Session::create(SEAM_E2E_PLUGIN);
    ASSERT_TRUE(session.ok()) << session.error().message;
    auto stop = (*session)->launch(
        m_exe,
        {{"SEAM_CRATE_KIND", "panic"}, {"SEAM_CRATE_DIR", dir.dir()}, {"RUST_BACKTRACE", "0"}},
        dir.path("output"));
    ASSERT_TRUE(stop.ok()) << stop.error().message;
    ASSERT_EQ(stop->kind, StopKind::Probe) << stop->description;
    CommandOutput brk = (*session)->run("seam panic --break");
    ASSERT_TRUE(brk.ok) << brk.text();

    for (size_t i = 0; i < e.panic_stops.size(); ++i) {
        SCOPED_TRACE(fmt::format("stop {}", i + 1));
        stop = (*session)->resume();
        ASSERT_TRUE(stop.ok()) << stop.error().message;
        ASSERT_NE(stop->kind, StopKind::Exited) << slurp(dir.path("output"));
        CommandOutput out = (*session)->run("seam panic --json");
        ASSERT_TRUE(out.ok) << out.text();
        json j = json::parse(out.output, nullptr, false);
        ASSERT_FALSE(j.is_discarded()) << out.output;
        EXPECT_EQ(j["kind"], e.panic_stops[i]) << out.output;
        if (i > 0) continue;
        // The panic in the callback: its message and location as std's hook printed them.
        const std::vector<PanicBlock> blocks = panic_blocks(slurp(dir.path("output")));
        ASSERT_EQ(blocks.size(), 1u) << slurp(dir.path("output"));
        EXPECT_EQ(j["panic"]["message"], blocks[0].message) << out.output;
        if (e.panic_in_fixture)
            EXPECT_EQ(blocks[0].location, m_source + ":" + line_of("panic") + ":9");
        else
            EXPECT_TRUE(blocks[0].location.starts_with(SEAM_E2E_CARGO_REGISTRY "/" + e.crate + "-"))
                << blocks[0].location;
        EXPECT_EQ(j["headline"],
                  "Rust panic (unwind) at " + blocks[0].location + ": " + blocks[0].message);
        CommandOutput bt = (*session)->run("seam bt");
        ASSERT_TRUE(bt.ok) << bt.text();
        EXPECT_EQ(lines(markers_of(normalise(bt.output))),
                  e.panic_in_callback ? lines(markers_of(e.callback)) : "")
            << bt.output;
        CommandOutput report = (*session)->run("seam report --json");
        ASSERT_TRUE(report.ok) << report.text();
        json r = json::parse(report.output, nullptr, false);
        ASSERT_TRUE(!r.is_discarded() && r["signature"].is_object()) << report.output;
        const json& frames = r["signature"]["frames"];
        ASSERT_FALSE(frames.empty()) << report.output;
        EXPECT_EQ(frames[0], e.panic_fn) << frames.dump();
        expect_no_shims(frames, "signature");
    }
    if (e.panic_exit < 0) {
        (*session)->kill();
        return;
    }
    // The program goes on (to its value probes, which are not this test's) and exits.
    do {
        stop = (*session)->resume();
        ASSERT_TRUE(stop.ok()) << stop.error().message;
    } while (stop->kind == StopKind::Probe);
    ASSERT_EQ(stop->kind, StopKind::Exited) << stop->description;
    EXPECT_EQ(stop->exit_status, e.panic_exit) << slurp(dir.path("output"));
}

// The recipe shipped beside the crate's fixture (`CRATE.seam.toml`, docs/recipes.md), loaded at
// run time with `seam recipe load`: the wrapper's handle owns its C object in seam print and in
// frame variable alike, and nothing owned it before the recipe.
struct RecipeCase {
    const char* crate;
    int stop;               ///< which probe stop (0-based) holds the handle
    const char* print_path; ///< for seam print --tree --depth 1
    const char* lldb_path;  ///< the same value in frame variable's spelling
    const char* line_label; ///< the tree line that must carry the fact
    const char* release;
};
constexpr RecipeCase k_recipe_cases[] = {
    {"git2", 0, "*repo", "*repo", "*repo = ", "git_repository_free"},
    {"rusqlite", 1, "conn.db", "conn->db", "value = ", "sqlite3_close"},
    {"flate2", 1, "decompress.inner", "decompress->inner", "inner = ", "inflateEnd"},
};

TEST_P(Crate, RecipeMakesHandlesOwnTheirCObject) {
    const RecipeCase* rc = nullptr;
    for (const auto& c : k_recipe_cases)
        if (GetParam().crate == c.crate) rc = &c;
    const fs::path recipe = k_sources / GetParam().crate / (GetParam().crate + ".seam.toml");
    if (!rc) GTEST_SKIP() << "no recipe is shipped for " << GetParam().crate;
    ASSERT_TRUE(fs::exists(recipe)) << recipe;
    ScratchDir dir("crates-" + GetParam().crate + "-recipe");
    auto session = Session::create(SEAM_E2E_PLUGIN);
    ASSERT_TRUE(session.ok()) << session.error().message;
    Session& s = **session;
    auto stop = s.launch(m_exe,
                         {{"SEAM_CRATE_KIND", "probe"},
                          {"SEAM_CRATE_DIR", dir.dir()},
                          {"SEAM_EXPECT", dir.path("expect")}},
                         dir.path("output"));
    for (int i = 0; i < rc->stop && stop.ok(); ++i) stop = s.resume();
    ASSERT_TRUE(stop.ok() && stop->kind == StopKind::Probe);
    const std::string label = rc->line_label;
    auto line_with = [&](const std::string& text) {
        std::istringstream in(text);
        for (std::string line; std::getline(in, line);)
            if (line.find(label) != std::string::npos) return line;
        return std::string("<no line with '") + label + "' in:\n" + text + ">";
    };
    const std::string print = std::string("seam print --tree --depth 1 ") + rc->print_path;
    if (std::string before = s.run(print).text(); before.find("optimised out") != std::string::npos)
        GTEST_SKIP() << "this rustc leaves the handle without a location here: " << before;
    EXPECT_EQ(line_with(s.run(print).output).find("[owned "), std::string::npos)
        << "owned before any recipe";

    CommandOutput load = s.run("seam recipe load " + recipe.string());
    ASSERT_TRUE(load.ok) << load.text();
    EXPECT_NE(load.output.find(" recipe rules from 1 file"), std::string::npos) << load.output;
    const std::string line = line_with(s.run(print).output);
    static const std::regex owned(
        R"(= owns C (0x[0-9a-f]+) \(released by ([A-Za-z0-9_]+)\) \[owned (0x[0-9a-f]+) \(C object released by ([A-Za-z0-9_]+) \(recipe .*\.seam\.toml:[0-9]+\)\)\]$)");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(line, m, owned)) << line;
    EXPECT_EQ(m[1], m[3]);
    EXPECT_EQ(m[2], rc->release);
    EXPECT_EQ(m[4], rc->release);
    // frame variable shows the same line (LLDB's path spelling: `*repo`, `conn->db`).
    std::string fv = line_with(s.run(std::string("frame variable ") + rc->lldb_path).output);
    EXPECT_NE(fv.find("= owns C " + m[1].str() + " (released by " + rc->release + ")"),
              std::string::npos)
        << fv;
    CommandOutput clear = s.run("seam recipe clear");
    EXPECT_TRUE(clear.ok) << clear.text();
    EXPECT_EQ(line_with(s.run(print).output).find("[owned "), std::string::npos)
        << "owned after the recipes were cleared";
}

// No command at all: the program shipped with its recipe beside it (`NAME.seam.toml` in its
// directory) is read when seam first reads the program's DWARF.
TEST_P(Crate, RecipeBesideTheProgramNeedsNoCommand) {
    const RecipeCase* rc = nullptr;
    for (const auto& c : k_recipe_cases)
        if (GetParam().crate == c.crate) rc = &c;
    if (!rc) GTEST_SKIP() << "no recipe is shipped for " << GetParam().crate;
    ScratchDir dir("crates-" + GetParam().crate + "-beside");
    const fs::path exe = fs::path(dir.dir()) / fs::path(m_exe).filename();
    fs::copy_file(m_exe, exe);
    fs::copy_file(k_sources / GetParam().crate / (GetParam().crate + ".seam.toml"),
                  exe.string() + ".seam.toml");
    fs::create_directories(dir.path("work"));
    auto session = Session::create(SEAM_E2E_PLUGIN);
    ASSERT_TRUE(session.ok()) << session.error().message;
    Session& s = **session;
    auto stop = s.launch(exe.string(),
                         {{"SEAM_CRATE_KIND", "probe"},
                          {"SEAM_CRATE_DIR", dir.path("work")},
                          {"SEAM_EXPECT", dir.path("expect")}},
                         dir.path("output"));
    for (int i = 0; i < rc->stop && stop.ok(); ++i) stop = s.resume();
    ASSERT_TRUE(stop.ok() && stop->kind == StopKind::Probe);
    std::string tree = s.run(std::string("seam print --tree --depth 1 ") + rc->print_path).text();
    if (tree.find("optimised out") != std::string::npos)
        GTEST_SKIP() << "this rustc leaves the handle without a location here: " << tree;
    EXPECT_NE(tree.find(std::string("(released by ") + rc->release + ")"), std::string::npos)
        << tree;
    CommandOutput list = s.run("seam recipe list");
    EXPECT_NE(list.output.find(exe.string() + ".seam.toml:"), std::string::npos) << list.output;
    s.run("seam recipe clear");
}

INSTANTIATE_TEST_SUITE_P(Wrappers, Crate, testing::ValuesIn(all_cases()), case_name);

} // namespace
} // namespace seam::e2e
