// End-to-end `seam panic`: every kind of stop of the crash fixtures (tests/fixtures/
// crash_kinds.rs, built with panic=unwind as crash-O0/-O2 and panic=abort as
// crash_abort-O0/-O2), live and from a minidump core saved at the same stop. The program runs
// to its probe, `seam panic --break` sets the panic breakpoint, and every later stop is
// classified. Messages and locations are compared byte for byte with what std's own hook wrote
// to stderr at that moment (the oracle); source lines are found by `MARK:` comments in the
// fixture sources, never hard-coded.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <unistd.h>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/json_schema_check.h"
#include "tests/e2e/panic_oracle.h"
#include "tests/e2e/report_cores.h"
#include "tests/e2e/scratch_dir.h"
#include "tests/e2e/session.h"

namespace seam::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path k_sources = fs::path(SEAM_SOURCE_DIR) / "tests" / "fixtures";

// One expected stop. `panic`: the stop carries a panic whose message and location are the last
// block std's hook printed so far. `marker`: the kind's MARK comment gives the location's line.
struct Expect {
    std::string kind;
    bool panic = false;
    std::string marker;   ///< "" when the location is std's (a panic that could not unwind)
    std::string headline; ///< exact; {crate} and {LINE:marker} are substituted; "" = derived
    std::string missing;  ///< Panic::missing, exactly (panics without a message)
    std::string contains; ///< a part of the headline ({crate} substituted)
    /// A panic that could not unwind: where the original panic's location comes from (`code`:
    /// exactly the one std's hook printed; `frame`: the line of the frame that could not
    /// unwind); "" for every other stop, which must carry no original panic.
    std::string original_source;
};

Expect rust_panic(const std::string& marker) {
    return {.kind = "rust-panic", .panic = true, .marker = marker};
}
Expect cannot_unwind(std::string original_source) {
    return {.kind = "panic-cannot-unwind", .panic = true, .original_source = original_source};
}

// The stops each kind makes, per panic strategy, after `seam panic --break`. With unwind, a
// panic stops once at rust_panic and then unwinds to main (exit 101); with abort it stops at
// rust_panic and then at the SIGABRT of panic_abort.
// Where -O2 takes away what -O0 shows, the expectation says so (printed as EXCUSED):
// the code of each case is checked with objdump in the report.
void excuse(const std::string& what) {
    std::cout << "[ EXCUSED ] " << what << "\n";
}

// What the fixture's std does with a panic it may not unwind, read from the fixture binary: the
// landing pads of newer rustc (1.95) call core's panic_cannot_unwind (out of an `extern "C"` fn:
// "panic in a function that cannot unwind") and panic_in_cleanup (a destructor that panics
// during unwinding: "panic in a destructor during cleanup"), which are then linked in. 1.63 has
// neither: the panic unwinds out of the `extern "C"` fn through the C frames, and a panic while
// panicking is given up by std's hook function itself ("thread panicked while panicking.
// aborting.").
struct Aborts {
    bool cannot_unwind = false;
    bool in_cleanup = false;
};

bool has_symbol(Session& session, const std::string& regex) {
    CommandOutput out = session.run("image lookup -r -s " + regex);
    return out.ok && out.output.find(" match") != std::string::npos;
}

std::vector<Expect> expected_stops(const std::string& kind, bool abort_strategy, bool o2,
                                   const Aborts& aborts) {
    static const std::vector<std::string> simple = {"panic_literal", "panic_format", "unwrap_none",
                                                    "expect_err",    "index_oob",    "overflow",
                                                    "refcell"};
    for (const std::string& s : simple)
        if (s == kind) {
            if (abort_strategy) return {rust_panic(kind), rust_panic(kind)};
            return {rust_panic(kind)};
        }
    if (kind == "callback_panic") {
        // The callback's panic reaches crash_c_call_back's caller frame, an extern "C"
        // function: std aborts with "panic in a function that cannot unwind".
        if (abort_strategy) return {rust_panic(kind), rust_panic(kind)};
        // Without that landing pad the panic unwinds through crash_c_call_back to main.
        if (!aborts.cannot_unwind) return {rust_panic(kind)};
        return {rust_panic(kind), cannot_unwind("code")};
    }
    if (kind == "double_panic") {
        // The guard's Drop panics while the first panic unwinds: "panic in a destructor
        // during cleanup". With abort the first panic never unwinds, so Drop never runs.
        if (abort_strategy) return {rust_panic(kind), rust_panic(kind)};
        // Without panic_in_cleanup std's hook gives the drop's panic up once it has printed it:
        // one stop at its abort, a panic that could not unwind. The original is the first
        // panic, still in flight (its exception object alive), then the drop's; its location
        // comes from the code of double_panic, the frame whose cleanup ran the drop.
        if (!aborts.in_cleanup) {
            Expect e = cannot_unwind("code");
            e.marker = "drop_panic";
            return {rust_panic(kind), e};
        }
        // The drop's panic is the one that could not unwind: it came from a callee of the
        // frame whose cleanup called the drop, so its location is that frame's line.
        return {rust_panic(kind), rust_panic("drop_panic"), cannot_unwind("frame")};
    }
    if (kind == "process_abort")
        return {{.kind = "abort-in-rust",
                 .marker = kind,
                 .headline =
                     "std::process::abort() called from {crate}::crash_kinds::process_abort "
                     "(crash_kinds.rs:{LINE:process_abort})",
                 .missing = "std::process::abort carries no message"}};
    if (kind == "stack_overflow")
    // The fault on the guard page, then std's handler's abort on the alternate stack.
    {
        // The line is the prologue's (-O0: the stack probe of `let buf`) or the call's (-O2).
        Expect e{.kind = "stack-overflow",
                 .contains = " in {crate}::crash_kinds::recurse (crash_kinds.rs:"};
        return {e, e};
    }
    if (kind == "c_segv") {
        // std's SIGSEGV handler finds no guard page, restores the default action and returns:
        // the load faults again, and the debugger sees the same fault twice.
        Expect fault{.kind = "fault-in-c",
                     .headline =
                         "SIGSEGV at 0x0 in C function crash_c_read "
                         "(crash.c:{LINE:c_segv_c}), called from Rust "
                         "{crate}::crash_kinds::read_config (crash_kinds.rs:{LINE:c_segv})"};
        if (o2) {
            // read_config is one `jmp` to crash_c_read at -O2: no frame, no call line of its
            // own; seam infers the frame from main's call, so it is named without a line.
            excuse("c_segv -O2: read_config tail-jumps to crash_c_read; its frame has no line");
            fault.headline = "SIGSEGV at 0x0 in C function crash_c_read (crash.c:{LINE:c_segv_c}), "
                             "called from Rust {crate}::crash_kinds::read_config";
        }
        return {fault, fault};
    }
    if (kind == "c_abort")
        return {{.kind = "abort-in-c",
                 .headline = "abort() called from C function crash_c_abort "
                             "(crash.c:{LINE:c_abort_c}), called from Rust "
                             "{crate}::crash_kinds::call_c_abort (crash_kinds.rs:{LINE:c_abort})"}};
    if (kind == "double_free") {
        if (o2) {
            // gcc -O2 makes the second free() a tail jump (`jmp free@plt`): at the abort,
            // crash_c_double_free has no frame left; its Rust caller is the culprit.
            excuse(
                "double_free -O2: crash_c_double_free tail-jumps to free(); no frame of its own");
            return {{.kind = "allocator-abort",
                     .headline = "allocator abort (glibc found a corrupted heap or a double free) "
                                 "in {crate}::crash_kinds::free_twice "
                                 "(crash_kinds.rs:{LINE:double_free})"}};
        }
        return {{.kind = "allocator-abort",
                 .headline = "allocator abort (glibc found a corrupted heap or a double free) in "
                             "crash_c_double_free (crash.c:{LINE:double_free_c})"}};
    }
    return {}; // exit: no stop before the process is gone
}

std::string substitute(std::string text, const std::string& crate) {
    for (size_t at; (at = text.find("{crate}")) != std::string::npos;) text.replace(at, 7, crate);
    for (size_t at; (at = text.find("{LINE:")) != std::string::npos;) {
        size_t end = text.find('}', at);
        std::string marker = text.substr(at + 6, end - at - 6);
        std::string file = marker.ends_with("_c") ? "crash.c" : "crash_kinds.rs";
        text.replace(at, end + 1 - at,
                     std::to_string(marker_line((k_sources / file).string(), marker)));
    }
    return text;
}

std::string location_text(const json& loc) {
    if (!loc.is_object()) return "<none>";
    return fmt::format("{}:{}:{}", loc["file"].get<std::string>(), loc["line"].get<uint32_t>(),
                       loc["column"].get<uint32_t>());
}

// The facts a core must reproduce: everything but the evidence (which quotes the debugger's
// stop description, "breakpoint 2.1" live). A fault's address is not in the core: LLDB 19's
// minidump writer records the signal and the PC of the exception, not the siginfo's address,
// so the live headline's ` at 0x…` is left out of the comparison.
json comparable(const json& j) {
    json c = j;
    c.erase("evidence");
    if (c["kind"] == "fault-in-c" || c["kind"] == "fault-in-rust") {
        std::string h = c["headline"];
        auto at = h.find(" at 0x");
        if (at != std::string::npos) h.erase(at, h.find(' ', at + 4) - at);
        c["headline"] = h;
    }
    return c;
}

// LLDB 19 cannot save a core of a process stopped on its guard page: its minidump writer
// walks the stack from SP, which lies in unmapped memory, and gives up with this message.
constexpr std::string_view k_no_core_at_guard_page = "no valid address ranges found for core style";

struct Case {
    std::string binary; ///< crash-O0, crash_abort-O2, ...
    std::string kind;
};

std::string case_name(const testing::TestParamInfo<Case>& info) {
    std::string s = info.param.binary + "_" + info.param.kind;
    for (char& c : s)
        if (!isalnum(static_cast<unsigned char>(c))) c = '_';
    return s;
}

class Panic : public testing::TestWithParam<Case> {};

// Checks one stop's `seam panic --json` against the expectation and the stderr oracle.
void check_stop(const json& got, const Expect& e, const std::vector<PanicBlock>& blocks,
                const std::string& crate, const std::string& where) {
    SCOPED_TRACE(where + ": " + got.dump());
    EXPECT_EQ(got["kind"], e.kind);
    if (!e.headline.empty()) EXPECT_EQ(got["headline"], substitute(e.headline, crate));
    if (!e.contains.empty())
        EXPECT_NE(got["headline"].get<std::string>().find(substitute(e.contains, crate)),
                  std::string::npos);
    if (e.panic) {
        ASSERT_FALSE(blocks.empty()) << "std printed no panic before this stop";
        const PanicBlock& oracle = blocks.back();
        ASSERT_TRUE(got["panic"].is_object());
        const json& p = got["panic"];
        EXPECT_EQ(p["message"], oracle.message) << "missing: " << p["missing"];
        EXPECT_EQ(location_text(p["location"]), oracle.location);
        EXPECT_EQ(p["missing"], "");
        std::string what = e.kind == "rust-panic"
                               ? fmt::format("Rust panic ({})", p["strategy"].get<std::string>())
                               : "Rust panic could not unwind";
        if (e.original_source.empty()) {
            EXPECT_EQ(got["headline"], what + " at " + oracle.location + ": " + oracle.message);
        } else {
            // The root cause first: the panic before std's, read back from the exception object.
            ASSERT_GE(blocks.size(), 2u);
            const PanicBlock& first = blocks[blocks.size() - 2];
            const json& o = got["original_panic"];
            ASSERT_TRUE(o.is_object());
            EXPECT_EQ(o["message"], first.message) << "missing: " << o["missing"];
            EXPECT_EQ(o["location_source"], e.original_source);
            std::string at = location_text(o["location"]);
            if (e.original_source == "code") {
                EXPECT_EQ(at, first.location);
                EXPECT_EQ(o["missing"], "");
            } else {
                EXPECT_NE(at.find("crash_kinds.rs:"), std::string::npos) << at;
            }
            EXPECT_EQ(got["headline"], what + " at " + at + ": " + first.message +
                                           " (then aborted at " + oracle.location + ": " +
                                           oracle.message + ")");
        }
    } else if (!e.missing.empty()) {
        ASSERT_TRUE(got["panic"].is_object());
        EXPECT_EQ(got["panic"]["message"], nullptr);
        EXPECT_EQ(got["panic"]["missing"], e.missing);
    }
    if (e.original_source.empty())
        EXPECT_EQ(got["original_panic"], nullptr) << "an original panic where none could be";
    if (!e.marker.empty() && got["panic"].is_object() && got["panic"]["location"].is_object()) {
        const json& loc = got["panic"]["location"];
        std::string file = loc["file"];
        EXPECT_TRUE(file.ends_with("crash_kinds.rs")) << file;
        EXPECT_EQ(loc["line"].get<uint32_t>(),
                  marker_line((k_sources / "crash_kinds.rs").string(), e.marker));
    }
}

// The frames each kind's crash signature must start with: the std function that names the
// check that failed, where there is one (Socorro's prefix list: an unwrap() on None and an index
// out of bounds in one function are two crashes), then the innermost user function (the frames
// hashed are otherwise neither runtime nor library code). Kinds whose first user frame is less
// certain are checked for stability and for holding only the fixture's own frames.
std::vector<std::string> signature_head(const std::string& kind, const std::string& crate) {
    static const std::map<std::string, std::pair<std::string, std::string>> rust = {
        {"panic_literal", {"", "panic_literal"}},
        {"panic_format", {"", "panic_format"}},
        {"unwrap_none", {"core::option::unwrap_failed", "unwrap_none"}},
        {"expect_err", {"core::result::unwrap_failed", "expect_err"}},
        {"index_oob", {"", "index_oob"}},
        {"overflow", {"", "overflow"}},
        {"refcell", {"core::cell::panic_already_borrowed", "refcell_twice"}},
        {"process_abort", {"", "process_abort"}},
        {"stack_overflow", {"", "recurse"}}};
    if (auto it = rust.find(kind); it != rust.end()) {
        std::string user = crate + "::crash_kinds::" + it->second.second;
        if (it->second.first.empty()) return {user};
        return {it->second.first, user};
    }
    if (kind == "c_segv") return {"crash_c_read"};
    if (kind == "c_abort") return {"crash_c_abort"};
    return {};
}

// `seam report --json`'s signature at this stop: its hash and the frames it hashed.
json signature_at(Session& session, const std::string& kind, const std::string& crate,
                  const std::string& where) {
    SCOPED_TRACE(where);
    CommandOutput out = session.run("seam report --json");
    EXPECT_TRUE(out.ok) << out.text();
    json j = json::parse(out.output, nullptr, false);
    if (j.is_discarded() || !j["signature"].is_object()) {
        ADD_FAILURE() << "no signature in: " << out.output.substr(0, 400);
        return json();
    }
    const json& sig = j["signature"];
    EXPECT_EQ(sig["hash"].get<std::string>().size(), 16u) << sig.dump();
    const json& frames = sig["frames"];
    EXPECT_FALSE(frames.empty()) << sig.dump();
    std::vector<std::string> head = signature_head(kind, crate);
    for (size_t i = 0; i < frames.size(); ++i) {
        std::string name = frames[i].get<std::string>();
        // The failed check, first (older std names its checks otherwise: below).
        bool check = i == 0 && head.size() == 2 &&
                     (name == head[0] || (SEAM_E2E_RUSTC_MINOR < 77 && name.starts_with("core::")));
        EXPECT_TRUE(check || name.starts_with(crate + "::") ||
                    name.starts_with("<" + crate + "::") || name.starts_with("crash_c_"))
            << name << " is not the fixture's own code: " << sig.dump();
    }
    // Before 1.77 std had no `core::option::unwrap_failed` (rust-lang/rust#119954) and
    // RefCell's checks went through `expect`: the check's name, if any, is older std's own.
    if (SEAM_E2E_RUSTC_MINOR < 77 && head.size() == 2 && !frames.empty() && frames[0] != head[0]) {
        size_t user = frames[0].get<std::string>().starts_with("core::") ? 1 : 0;
        if (user < frames.size()) EXPECT_EQ(frames[user], head[1]) << sig.dump();
        return sig;
    }
    for (size_t i = 0; i < head.size() && i < frames.size(); ++i)
        EXPECT_EQ(frames[i], head[i]) << sig.dump();
    return sig;
}

TEST_P(Panic, LiveAndCore) {
    const Case& c = GetParam();
    const std::string exe = std::string(SEAM_E2E_FIXTURE_DIR) + "/" + c.binary;
    ASSERT_TRUE(fs::exists(exe)) << exe << " was not built";
    const bool abort_strategy = c.binary.starts_with("crash_abort");
    const std::string crate = abort_strategy ? "crash_abort" : "crash";
    ScratchDir scratch("panic-" + c.binary + "-" + c.kind);
    const std::string output = scratch.path("stderr");

    auto session = Session::create(SEAM_E2E_PLUGIN);
    ASSERT_TRUE(session.ok()) << session.error().message;
    auto first =
        (*session)->launch(exe, {{"SEAM_CRASH_KIND", c.kind}, {"RUST_BACKTRACE", "0"}}, output);
    ASSERT_TRUE(first.ok()) << first.error().message;
    ASSERT_EQ(first->kind, StopKind::Probe) << first->description;
    const Aborts aborts{has_symbol(**session, "panic_cannot_unwind"),
                        has_symbol(**session, "panic_in_cleanup")};
    const std::vector<Expect> expected =
        expected_stops(c.kind, abort_strategy, c.binary.ends_with("-O2"), aborts);
    CommandOutput brk = (*session)->run("seam panic --break");
    ASSERT_TRUE(brk.ok) << brk.text();
    EXPECT_TRUE(brk.output.starts_with("Breakpoint ")) << brk.output;

    std::vector<json> live;
    std::vector<json> live_signatures;
    std::vector<std::string> cores;
    std::vector<size_t> stop_of; // the stop each core was saved at (one may have no core)
    for (size_t i = 0;; ++i) {
        auto stop = (*session)->resume();
        ASSERT_TRUE(stop.ok()) << stop.error().message;
        if (stop->kind == StopKind::Exited) {
            EXPECT_EQ(i, expected.size()) << "the process exited after " << i << " stops";
            if (c.kind == "exit") {
                EXPECT_EQ(stop->exit_status, 3);
                CommandOutput after = (*session)->run("seam panic --json");
                ASSERT_TRUE(after.ok) << after.text();
                json j = json::parse(after.output);
                EXPECT_EQ(j["kind"], "exit");
                EXPECT_EQ(j["headline"], "the process exited with status 3");
            }
            break;
        }
        ASSERT_LT(i, expected.size()) << "an unexpected stop: " << stop->description << "\n"
                                      << (*session)->run("seam panic").text();
        CommandOutput out = (*session)->run("seam panic --json");
        ASSERT_TRUE(out.ok) << out.text();
        json j = json::parse(out.output, nullptr, false);
        ASSERT_FALSE(j.is_discarded()) << out.output;
        const std::vector<PanicBlock> blocks = panic_blocks(slurp(output));
        check_stop(j, expected[i], blocks, crate, fmt::format("live stop {}", i + 1));
        live_signatures.push_back(
            signature_at(**session, c.kind, crate, fmt::format("live stop {}", i + 1)));
        live.push_back(j);
        cores.push_back(scratch.path(fmt::format("core{}.dmp", i + 1)));
        stop_of.push_back(i + 1);
        auto saved = (*session)->save_core(cores.back());
        if (!saved.ok() && c.kind == "stack_overflow" && i == 0 &&
            saved.error().message.ends_with(k_no_core_at_guard_page)) {
            std::cout << "[ EXCUSED ] " << c.binary
                      << " stack_overflow stop 1: no core (LLDB: " << k_no_core_at_guard_page
                      << ")\n";
            cores.pop_back();
            stop_of.pop_back();
            live.pop_back();
            live_signatures.pop_back();
            continue;
        }
        ASSERT_TRUE(saved.ok()) << saved.error().message;
        if (HasFailure()) break;
    }
    (*session)->kill();

    // Each core must say what the live process said at the same stop.
    for (size_t i = 0; i < cores.size(); ++i) {
        auto loaded = (*session)->load_core(exe, cores[i]);
        ASSERT_TRUE(loaded.ok()) << loaded.error().message;
        CommandOutput out = (*session)->run("seam panic --json");
        ASSERT_TRUE(out.ok) << out.text();
        json j = json::parse(out.output, nullptr, false);
        ASSERT_FALSE(j.is_discarded()) << out.output;
        EXPECT_EQ(comparable(j), comparable(live[i])) << "core of stop " << stop_of[i];
        // The same crash gives the same signature, from the live process or from its core.
        json sig =
            signature_at(**session, c.kind, crate, fmt::format("core of stop {}", stop_of[i]));
        if (sig != live_signatures[i] && c.kind == "stack_overflow" &&
            !(*session)->run("memory read -s8 -c1 $sp").ok) {
            // LLDB 19 leaves the stack out of a minidump whose SP is its mapping's first byte
            // (StackOverflowCore.*): such a core unwinds no further than frame #0. It must still
            // sign the crash alike, and show the frames it has as the live process did.
            std::cout << "[ EXCUSED ] " << c.binary << " stack_overflow core of stop " << stop_of[i]
                      << ": LLDB saved no stack; frames compared as far as the core has them\n";
            EXPECT_EQ(sig["hash"], live_signatures[i]["hash"]);
            EXPECT_EQ(sig["site"], live_signatures[i]["site"]);
            ASSERT_FALSE(sig["frames"].empty());
            for (size_t f = 0; f < sig["frames"].size() && f < live_signatures[i]["frames"].size();
                 ++f)
                EXPECT_EQ(sig["frames"][f], live_signatures[i]["frames"][f]) << f;
            continue;
        }
        EXPECT_EQ(sig, live_signatures[i]);
    }
    if (HasFailure()) {
        scratch.keep();
        std::cerr << "kept " << output << "\n";
    }
}

std::vector<Case> all_cases() {
    std::vector<Case> out;
    for (std::string b : {"crash-O0", "crash-O2", "crash_abort-O0", "crash_abort-O2"})
        for (std::string k :
             {"panic_literal", "panic_format", "unwrap_none", "expect_err", "index_oob", "overflow",
              "refcell", "process_abort", "callback_panic", "double_panic", "stack_overflow",
              "c_segv", "c_abort", "double_free", "exit"})
            out.push_back({b, k});
    return out;
}

INSTANTIATE_TEST_SUITE_P(Kinds, Panic, testing::ValuesIn(all_cases()), case_name);

TEST(PanicCommand, TextNamesMessageLocationAndCulprit) {
    const std::string exe = std::string(SEAM_E2E_FIXTURE_DIR) + "/crash_abort-O0";
    ASSERT_TRUE(fs::exists(exe));
    ScratchDir scratch("panic-text");
    auto session = Session::create(SEAM_E2E_PLUGIN);
    ASSERT_TRUE(session.ok()) << session.error().message;
    auto first = (*session)->launch(
        exe, {{"SEAM_CRASH_KIND", "index_oob"}, {"RUST_BACKTRACE", "0"}}, scratch.path("out"));
    ASSERT_TRUE(first.ok()) << first.error().message;
    auto stop = (*session)->resume(); // no --break: straight to panic_abort's SIGABRT
    ASSERT_TRUE(stop.ok()) << stop.error().message;
    CommandOutput out = (*session)->run("seam panic");
    ASSERT_TRUE(out.ok) << out.text();
    // std prints the path rustc was given (absolute, canonical).
    const std::string file = fs::weakly_canonical(k_sources / "crash_kinds.rs").string();
    const uint32_t line = marker_line(file, "index_oob");
    const std::string loc = fmt::format("{}:{}:5", file, line);
    const std::string msg = "index out of bounds: the len is 3 but the index is 7";
    std::string expected_head = fmt::format("rust-panic: Rust panic (abort) at {}: {}\n"
                                            "  strategy: abort\n"
                                            "  message:  {}\n"
                                            "  location: {}\n",
                                            loc, msg, msg, loc);
    EXPECT_TRUE(out.output.starts_with(expected_head)) << out.output;
    EXPECT_NE(out.output.find(fmt::format("  culprit:  frame #"), 0), std::string::npos);
    EXPECT_NE(out.output.find(fmt::format("crash_abort::crash_kinds::index_oob at "
                                          "crash_kinds.rs:{}\n",
                                          line)),
              std::string::npos)
        << out.output;
}

// The column of `what` on the line marked `marker` of a fixture source (1-based, as Location).
uint32_t marker_column(const std::string& file, const std::string& marker,
                       const std::string& what) {
    std::ifstream in(file);
    std::string line;
    for (uint32_t n = 1; std::getline(in, line); ++n)
        if (n == marker_line(file, marker)) return uint32_t(line.find(what) + 1);
    return 0;
}

// A panic in an extern "C" callback aborts with std's second panic; `seam panic` and seam-report
// show the first one (its message from panic_unwind's exception object, its location from the
// callback's code) before std's, at -O0 and -O2, live, from a minidump and from an ELF core.
class CannotUnwind : public testing::TestWithParam<std::string> {};

TEST_P(CannotUnwind, OriginalPanicFirstLiveAndFromCores) {
    const std::string exe = std::string(SEAM_E2E_FIXTURE_DIR) + "/crash-" + GetParam();
    ASSERT_TRUE(fs::exists(exe));
    ScratchDir scratch("panic-cannot-unwind-" + GetParam());
    auto session = Session::create(SEAM_E2E_PLUGIN);
    ASSERT_TRUE(session.ok()) << session.error().message;
    auto first = (*session)->launch(
        exe, {{"SEAM_CRASH_KIND", "callback_panic"}, {"RUST_BACKTRACE", "0"}}, scratch.path("err"));
    ASSERT_TRUE(first.ok()) << first.error().message;
    // A panic leaving an `extern "C"` fn aborts ("panic in a function that cannot unwind") only
    // where the callback's landing pad calls core's panic_cannot_unwind (Aborts above); with
    // rustc 1.63 the unwind crosses the boundary and the fixture does not abort.
    if (!has_symbol(**session, "panic_cannot_unwind"))
        GTEST_SKIP() << "the fixture links no core::panicking::panic_cannot_unwind: its std lets "
                        "a panic unwind out of an extern \"C\" fn";
    auto stop = (*session)->resume(); // no --break: straight to the abort
    ASSERT_TRUE(stop.ok()) << stop.error().message;
    const std::vector<PanicBlock> blocks = panic_blocks(slurp(scratch.path("err")));
    ASSERT_EQ(blocks.size(), 2u) << slurp(scratch.path("err"));
    const std::string source = (k_sources / "crash_kinds.rs").string();
    // std's own hook printed the first panic at the marked line and column.
    const std::string original_at = blocks[0].location;
    ASSERT_TRUE(original_at.ends_with(
        fmt::format("crash_kinds.rs:{}:{}", marker_line(source, "callback_panic"),
                    marker_column(source, "callback_panic", "panic!"))))
        << original_at;
    ASSERT_EQ(blocks[0].message, "callback got 5");
    const std::string then_at = blocks[1].location, then_msg = blocks[1].message;
    const std::string headline =
        fmt::format("Rust panic could not unwind at {}: callback got 5 (then aborted at {}: {})",
                    original_at, then_at, then_msg);
    const std::string expected = fmt::format("panic-cannot-unwind: {}\n"
                                             "  strategy: unwind\n"
                                             "  original panic (could not unwind):\n"
                                             "    message:  callback got 5\n"
                                             "    location: {}\n"
                                             "  then:\n"
                                             "    message:  {}\n"
                                             "    location: {}\n",
                                             headline, original_at, then_msg, then_at);
    CommandOutput live = (*session)->run("seam panic");
    ASSERT_TRUE(live.ok) << live.text();
    EXPECT_TRUE(live.output.starts_with(expected)) << live.output;
    EXPECT_NE(live.output.find("  evidence: crash::crash_kinds::callback could not unwind\n"),
              std::string::npos)
        << live.output;

    const std::string dump = scratch.path("core.dmp");
    ASSERT_TRUE((*session)->save_core(dump).ok());
    (*session)->kill();
    auto loaded = (*session)->load_core(exe, dump);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    CommandOutput from_dump = (*session)->run("seam panic");
    ASSERT_TRUE(from_dump.ok) << from_dump.text();
    EXPECT_TRUE(from_dump.output.starts_with(expected)) << from_dump.output;

    // An ELF core as the kernel (here gdb's gcore) writes it, through seam-report.
    const std::string elf = scratch.path("core.elf");
    ASSERT_TRUE(gcore_at_crash(exe, {"callback_panic"}, elf).ok());
    const std::string tool =
        (fs::path(SEAM_E2E_PLUGIN).parent_path().parent_path() / "cli" / "seam-report").string();
    ShellRun text = run_shell(quote(tool) + " " + quote(elf));
    ASSERT_EQ(text.status, 0) << text.err << text.out;
    const std::string rows = fmt::format("summary:        {}\n"
                                         "original panic: {}: callback got 5\n"
                                         "panic:          {}: {}\n",
                                         headline, original_at, then_at, then_msg);
    EXPECT_NE(text.out.find("classification: panic-cannot-unwind\n" + rows), std::string::npos)
        << text.out;
    ShellRun md = run_shell(quote(tool) + " --format markdown " + quote(elf));
    ASSERT_EQ(md.status, 0) << md.err;
    EXPECT_NE(
        md.out.find(fmt::format("| original panic | {}: callback got 5 |\n| panic | {}: {} |\n",
                                original_at, then_at, then_msg)),
        std::string::npos)
        << md.out;
    ShellRun js = run_shell(quote(tool) + " --format json " + quote(elf));
    ASSERT_EQ(js.status, 0) << js.err;
    json j = json::parse(js.out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << js.out;
    EXPECT_EQ(j["panic"]["original"], json({{"message", "callback got 5"},
                                            {"location", original_at},
                                            {"location_source", "code"},
                                            {"missing", nullptr}}))
        << j["panic"].dump();
    EXPECT_EQ(j["panic"]["message"], then_msg);
    std::ifstream schema_file(k_sources.parent_path().parent_path() / "docs" /
                              "report.schema.json");
    json schema = json::parse(schema_file, nullptr, false);
    ASSERT_FALSE(schema.is_discarded());
    EXPECT_EQ(validate_json(schema, j), std::vector<std::string>{});
    EXPECT_EQ(j["classification"]["original_panic"]["location"]["line"],
              marker_line(source, "callback_panic"));
}

INSTANTIATE_TEST_SUITE_P(Levels, CannotUnwind, testing::Values("O0", "O2"));

} // namespace
} // namespace seam::e2e
