// The report model without LLDB: which frames a signature hashes, that the hash is the stable
// FNV-1a of their names, batch grouping and its lines.
#include <set>

#include <gtest/gtest.h>

#include "formatters/backtrace/library_frames.h"
#include "formatters/report/report.h"

namespace seam::report {
namespace {

bt::Frame frame(std::string name, std::string module, std::string crate = "",
                bool runtime = false) {
    bt::Frame f;
    f.name = std::move(name);
    f.raw.module = std::move(module);
    f.crate = std::move(crate);
    f.runtime = runtime;
    return f;
}

bt::Backtrace abort_in_c() {
    bt::Backtrace bt;
    bt.frames = {frame("__pthread_kill_implementation", "libc.so.6"),
                 frame("raise", "libc.so.6"),
                 frame("abort", "libc.so.6"),
                 frame("crash_c_abort", "app"),
                 frame("core::result::unwrap_failed", "app", "core"),
                 frame("app::wrapper", "app", "app"),
                 frame("app::main", "app", "app"),
                 frame("std::rt::lang_start_internal", "app", "std", true),
                 frame("__libc_start_main", "libc.so.6", "", true)};
    return bt;
}

TEST(ReportSignature, SkipsRuntimeAndLibraryFrames) {
    Signature s = signature_of(abort_in_c(), 5);
    EXPECT_EQ(s.frames, (std::vector<std::string>{"crash_c_abort", "app::wrapper", "app::main"}));
    // The hash covers the innermost user frame, and its caller as well when its name has no
    // path (a C function's name could be any program's); the callers past them are context.
    EXPECT_EQ(s.key_frames, 2u);
    EXPECT_EQ(s.hash, hash_names({"crash_c_abort", "app::wrapper"}));
    EXPECT_EQ(signature_of(abort_in_c(), 2).frames,
              (std::vector<std::string>{"crash_c_abort", "app::wrapper"}));
}

TEST(ReportSignature, FallsBackToLibraryFramesWhenThereIsNothingElse) {
    bt::Backtrace bt;
    bt.frames = {frame("raise", "libc.so.6"), frame("abort", "libc.so.6"),
                 frame("__libc_start_main", "libc.so.6", "", true)};
    EXPECT_EQ(signature_of(bt).frames, (std::vector<std::string>{"raise", "abort"}));
    // No user frame to stop at: all of them are the key.
    EXPECT_EQ(signature_of(bt).hash, hash_names({"raise", "abort"}));
    EXPECT_EQ(signature_of(bt::Backtrace{}).hash, "");
}

// Frames as bt::classify makes them: the same crash in `checksum_at<u32>` and in
// `checksum_at<String>` (generic arguments collapsed), through rustc's `__rust_try` and C-ABI
// `main` (runtime, never hashed), is one signature.
bt::Backtrace generic_crash(const std::string& type) {
    auto raw = [](std::string function, std::string symbol, Lang dwarf, std::string module) {
        bt::RawFrame f;
        f.function = std::move(function);
        f.symbol = std::move(symbol);
        f.dwarf_lang = dwarf;
        f.module = std::move(module);
        return f;
    };
    bt::RawThread t;
    t.frames = {
        raw("wr_checksum", "wr_checksum", Lang::Unknown, "libwrapper_c.so"),
        raw("app::{impl#3}::checksum_at::{closure#0}<" + type + ">",
            "_ZN3app1f17h0123456789abcdefE", Lang::Rust, "app"),
        raw("std::panicking::catch_unwind::do_call<" + type + ">", "_ZN3std1f17h0123456789abcdefE",
            Lang::Rust, "app"),
        raw("__rust_try", "__rust_try", Lang::Unknown, "app"),
        raw("app::{impl#3}::checksum_at<" + type + ">", "_ZN3app1g17h0123456789abcdefE", Lang::Rust,
            "app"),
        raw("app::main", "_ZN3app4main17h0123456789abcdefE", Lang::Rust, "app"),
        raw("std::rt::lang_start_internal", "_RNvNtCs1_3std2rt19lang_start_internal", Lang::Rust,
            "app"),
        raw("main", "main", Lang::Unknown, "app"),
    };
    return bt::classify(std::move(t));
}

TEST(ReportSignature, SameForEveryInstantiationAndNoShims) {
    Signature u32 = signature_of(generic_crash("u32"));
    EXPECT_EQ(u32.frames,
              (std::vector<std::string>{"wr_checksum", "app::{impl#3}::checksum_at::{closure#0}<…>",
                                        "app::{impl#3}::checksum_at<…>", "app::main"}));
    EXPECT_EQ(signature_of(generic_crash("alloc::string::String")).hash, u32.hash);
    // A thunk one rustc emits for a merged instantiation (a sibling call, inferred by seam) and
    // another does not: no frame on the stack, not hashed.
    bt::Backtrace with_thunk = generic_crash("u32");
    bt::Frame thunk = with_thunk.frames[4];
    thunk.raw.found_by = bt::FoundBy::TailCall;
    with_thunk.frames.insert(with_thunk.frames.begin() + 5, thunk);
    EXPECT_EQ(signature_of(with_thunk).hash, u32.hash);
}

// The same abort in C, built against the shared glibc and statically (`-C
// target-feature=+crt-static`: glibc's abort path linked into the executable, no DWARF, GCC's
// clone suffixes on its names), as bt::classify makes the frames. Socorro lists abort's and
// raise's frames as irrelevant, Sentry as `category:throw` (`-group`): by name, not by library.
bt::Backtrace linked_abort(bool static_glibc, std::string c_name = "crash_c_abort") {
    auto raw = [](std::string function, Lang dwarf, std::string module) {
        bt::RawFrame f;
        f.function = function;
        f.symbol = dwarf == Lang::Rust ? "_ZN3app1f17h0123456789abcdefE" : function;
        f.dwarf_lang = dwarf;
        f.module = std::move(module);
        return f;
    };
    std::string libc = static_glibc ? "app" : "libc.so.6";
    bt::RawThread t;
    t.frames = {
        raw(static_glibc ? "__pthread_kill_implementation.constprop.0"
                         : "__pthread_kill_implementation",
            Lang::Unknown, libc),
        raw(static_glibc ? "gsignal" : "raise", Lang::Unknown, libc),
        raw("abort", Lang::Unknown, libc),
        raw(c_name, Lang::C, "app"),
        raw("app::wrapper", Lang::Rust, "app"),
        raw("app::main", Lang::Rust, "app"),
        raw("__libc_start_call_main", Lang::Unknown, libc),
    };
    return bt::classify(std::move(t));
}

TEST(ReportSignature, StaticAndSharedGlibcSignTheSame) {
    Signature shared = signature_of(linked_abort(false));
    EXPECT_EQ(shared.frames,
              (std::vector<std::string>{"crash_c_abort", "app::wrapper", "app::main"}));
    EXPECT_EQ(signature_of(linked_abort(true)).frames, shared.frames);
    // A split or cloned user function is the same function.
    EXPECT_EQ(signature_of(linked_abort(true, "crash_c_abort.cold")).frames, shared.frames);
    EXPECT_EQ(signature_of(linked_abort(true, "crash_c_abort.constprop.0.isra.0")).frames,
              shared.frames);
    // A user's own C function called `raise` has DWARF: it is the crash's, not the runtime's.
    EXPECT_EQ(signature_of(linked_abort(true, "raise")).frames,
              (std::vector<std::string>{"raise", "app::wrapper", "app::main"}));
}

TEST(ReportSignature, UnwinderAndCRuntimeFramesByName) {
    auto c_frame = [](const char* name) {
        bt::Frame f = frame(name, "app");
        f.lang = Lang::C;
        return f;
    };
    for (const char* name :
         {"_Unwind_Resume", "_Unwind_RaiseException", "__GI_raise", "__GI___assert_fail",
          "__assert_fail_base.cold", "malloc_printerr", "__stack_chk_fail", "__libc_message",
          "__fortify_fail", "abort@plt", "__cxa_throw", "std::terminate", "unw_step",
          "__libunwind_Unwind_Resume"})
        EXPECT_TRUE(is_library_frame(c_frame(name))) << name;
    for (const char* name :
         {"abortion", "raise_alarm", "Unwind_Resume", "my_abort", "crash_c_read"})
        EXPECT_FALSE(is_library_frame(c_frame(name))) << name;
    bt::Frame with_dwarf = c_frame("abort");
    with_dwarf.raw.dwarf_lang = Lang::C;
    EXPECT_FALSE(is_library_frame(with_dwarf)) << "a user's `abort` with DWARF";
    // Rust's own crates as the crash classifier has them.
    EXPECT_TRUE(
        is_library_frame(frame("compiler_builtins::mem::memcpy", "app", "compiler_builtins")));
    EXPECT_TRUE(is_library_frame(frame("__rustc::rust_begin_unwind", "app", "__rustc")));
}

TEST(ReportSignature, CloneSuffixesAreDropped) {
    using bt::without_clone_suffix;
    EXPECT_EQ(without_clone_suffix("f.cold"), "f");
    EXPECT_EQ(without_clone_suffix("f.cold.1"), "f");
    EXPECT_EQ(without_clone_suffix("f.part.0.cold"), "f");
    EXPECT_EQ(without_clone_suffix("f.constprop.0.isra.0"), "f");
    EXPECT_EQ(without_clone_suffix("f.lto_priv.0"), "f");
    EXPECT_EQ(without_clone_suffix("_ZN3app1f.llvm.1234567890"), "_ZN3app1f");
    EXPECT_EQ(without_clone_suffix("f"), "f");
    EXPECT_EQ(without_clone_suffix("f.2"), "f.2");
    EXPECT_EQ(without_clone_suffix("f.hot"), "f.hot");
    EXPECT_EQ(without_clone_suffix(".cold"), ".cold");
    EXPECT_EQ(without_clone_suffix("app::{impl#0}::fmt"), "app::{impl#0}::fmt");
}

// Four ways to fail in one function, as rustc 1.95's std reaches them at -O2 (crash_kinds.rs):
// the library function that names the check goes first (Socorro's prefix list), so they are
// four signatures; a bounds check and a plain panic! go through core::panicking (runtime) only.
bt::Backtrace failed_in(const std::vector<std::string>& library, const std::string& user) {
    bt::Backtrace bt;
    bt.frames = {frame("abort", "libc.so.6"), frame("std::process::abort", "app", "std", true),
                 frame("core::panicking::panic_fmt", "app", "core", true)};
    for (const std::string& name : library) bt.frames.push_back(frame(name, "app", "core"));
    bt.frames.push_back(frame(user, "app", "app"));
    bt.frames.push_back(frame("app::main", "app", "app"));
    return bt;
}

TEST(ReportSignature, TheFailedCheckGoesFirst) {
    using V = std::vector<std::string>;
    Signature unwrap = signature_of(
        failed_in({"core::option::unwrap_failed", "core::option::Option<…>::unwrap<…>"}, "app::f"));
    EXPECT_EQ(unwrap.frames, (V{"core::option::unwrap_failed", "app::f", "app::main"}));
    Signature expect = signature_of(
        failed_in({"core::result::unwrap_failed", "core::result::Result<…>::expect<…>"}, "app::f"));
    EXPECT_EQ(expect.frames, (V{"core::result::unwrap_failed", "app::f", "app::main"}));
    Signature refcell = signature_of(
        failed_in({"core::cell::panic_already_borrowed::do_panic::runtime",
                   "core::cell::panic_already_borrowed::do_panic",
                   "core::cell::panic_already_borrowed", "core::cell::RefCell<…>::borrow_mut<…>"},
                  "app::f"));
    EXPECT_EQ(refcell.frames, (V{"core::cell::panic_already_borrowed", "app::f", "app::main"}));
    Signature bounds = signature_of(failed_in({}, "app::f")); // panic_bounds_check: runtime
    EXPECT_EQ(bounds.frames, (V{"app::f", "app::main"}));
    std::set<std::string> hashes{unwrap.hash, expect.hash, refcell.hash, bounds.hash};
    EXPECT_EQ(hashes.size(), 4u) << "four checks in one function, four signatures";
    // The same check in two functions stays two crashes.
    EXPECT_NE(signature_of(failed_in({"core::option::unwrap_failed"}, "app::g")).hash, unwrap.hash);
    // Asked for one frame, a signature still holds its whole key.
    EXPECT_EQ(signature_of(failed_in({"core::option::unwrap_failed"}, "app::f"), 1).frames,
              (V{"core::option::unwrap_failed", "app::f"}));
    // Not a check's name: a library frame as any other, not hashed.
    EXPECT_EQ(signature_of(failed_in({"core::fmt::write"}, "app::f")).frames,
              (V{"app::f", "app::main"}));
}

// The same bug reached from two callers is one crash (Socorro's rule: the failed check and the
// first frame past it); the frames past the key are shown, not hashed.
TEST(ReportSignature, CallersAreContextNotKey) {
    bt::Backtrace a = failed_in({"core::option::unwrap_failed"}, "app::f");
    bt::Backtrace b = a;
    b.frames.back() = frame("app::replay", "app", "app");
    Signature sa = signature_of(a), sb = signature_of(b);
    EXPECT_EQ(sa.key_frames, 2u);
    EXPECT_EQ(signature_key(sa),
              (std::vector<std::string>{"core::option::unwrap_failed", "app::f"}));
    EXPECT_EQ(sa.hash, sb.hash);
    EXPECT_NE(sa.frames, sb.frames);
}

// Two panics in one function through the same check (two `expect`s) are two bugs, told apart by
// where they panicked; the directories of the location are the build machine's, not the bug's.
TEST(ReportSignature, APanicsSiteIsPartOfItsKey) {
    bt::Backtrace bt = failed_in({"core::result::unwrap_failed"}, "app::parse_settings");
    Signature port = signature_of(bt, 5, "/home/ci/app/src/settings.rs:48:35");
    Signature timeout = signature_of(bt, 5, "/home/ci/app/src/settings.rs:51:34");
    EXPECT_EQ(port.site, "settings.rs:48:35");
    EXPECT_NE(port.hash, timeout.hash);
    EXPECT_EQ(port.hash, hash_names({"core::result::unwrap_failed", "app::parse_settings",
                                     "at settings.rs:48:35"}));
    EXPECT_EQ(signature_of(bt, 5, "src/settings.rs:48:35").hash, port.hash);
    EXPECT_EQ(signature_of(bt, 5, "settings.rs:48:35").hash, port.hash);
    EXPECT_NE(signature_of(bt).hash, port.hash); // no location recovered: names only
}

TEST(ReportSignature, HashIsFnv1aOfTheNamesJoinedByNewlines) {
    // FNV-1a 64 of "" is its offset basis; of "a" a published test vector.
    EXPECT_EQ(hash_names({}), "cbf29ce484222325");
    EXPECT_EQ(hash_names({"a"}), "af63dc4c8601ec8c");
    EXPECT_NE(hash_names({"a", "b"}), hash_names({"ab"}));
    EXPECT_NE(hash_names({"a", "b"}), hash_names({"b", "a"}));
}

BatchEntry ok_entry(std::string core, std::string hash, std::string kind) {
    BatchEntry e;
    e.core = std::move(core);
    e.ok = true;
    e.brief = {kind, kind + " headline", hash, {"f", "g"}};
    return e;
}

TEST(ReportBatch, GroupsLargestFirstAndCountsFailures) {
    BatchEntry bad;
    bad.core = "c3";
    bad.error = "cannot read core: c3 is truncated";
    std::vector<BatchEntry> entries = {ok_entry("c1", "1111111111111111", "abort-in-c"),
                                       ok_entry("c2", "2222222222222222", "fault-in-c"), bad,
                                       ok_entry("c4", "2222222222222222", "fault-in-c")};
    auto groups = group_by_signature(entries);
    ASSERT_EQ(groups.size(), 2u);
    EXPECT_EQ(groups[0].signature, "2222222222222222");
    EXPECT_EQ(groups[0].members, (std::vector<size_t>{1, 3}));
    EXPECT_EQ(groups[1].members, (std::vector<size_t>{0}));
    EXPECT_EQ(render_batch_text(entries),
              "c1  ok     1111111111111111  abort-in-c           abort-in-c headline\n"
              "c2  ok     2222222222222222  fault-in-c           fault-in-c headline\n"
              "c3  error  cannot read core: c3 is truncated\n"
              "c4  ok     2222222222222222  fault-in-c           fault-in-c headline\n"
              "\n"
              "4 cores, 3 analysed, 1 failed, 2 signatures\n"
              "     2 × 2222222222222222  fault-in-c           f <- g\n"
              "         first seen -  last seen -  representative c2\n"
              "     1 × 1111111111111111  abort-in-c           f <- g\n"
              "         first seen -  last seen -  representative c1\n");
    nlohmann::json j = batch_to_json(entries);
    EXPECT_EQ(j["schema"], "seam.report-batch/1");
    EXPECT_EQ(j["failed"], 1);
    EXPECT_EQ(j["groups"][0]["cores"], (nlohmann::json{"c2", "c4"}));
    EXPECT_EQ(j["cores"][2]["status"], "error");
}

// One bug from two callers: one group, showing the frames both share, and where it panicked.
TEST(ReportBatch, AGroupShowsTheFramesItsMembersShare) {
    std::vector<BatchEntry> entries = {ok_entry("c1", "3333333333333333", "rust-panic"),
                                       ok_entry("c2", "3333333333333333", "rust-panic")};
    entries[0].brief.frames = {"app::parse", "app::handle_request", "app::main"};
    entries[1].brief.frames = {"app::parse", "app::replay_job", "app::main"};
    entries[0].brief.site = entries[1].brief.site = "main.rs:48:35";
    auto groups = group_by_signature(entries);
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(groups[0].frames, (std::vector<std::string>{"app::parse"}));
    EXPECT_EQ(render_groups_text(entries),
              "2 cores, 2 analysed, 0 failed, 1 signature\n"
              "     2 × 3333333333333333  rust-panic           app::parse  at main.rs:48:35\n"
              "         first seen -  last seen -  representative c1\n");
    EXPECT_EQ(groups_to_json(entries)["groups"][0]["site"], "main.rs:48:35");
}

TEST(ReportJson, BriefReadsBackWhatToJsonWrote) {
    Report r;
    r.verdict.kind = "fault-in-c";
    r.verdict.headline = "SIGSEGV in C function f";
    r.signature = {"0123456789abcdef", {"f", "main"}, 1, "main.rs:3:5"};
    Brief b = brief_of(to_json(r));
    EXPECT_EQ(b.site, "main.rs:3:5");
    EXPECT_EQ(b.kind, "fault-in-c");
    EXPECT_EQ(b.headline, "SIGSEGV in C function f");
    EXPECT_EQ(b.signature, "0123456789abcdef");
    EXPECT_EQ(b.frames, (std::vector<std::string>{"f", "main"}));
    EXPECT_EQ(to_json(r)["crashing_thread"], nullptr);
    EXPECT_EQ(to_json(r)["panic"], nullptr);
}

} // namespace
} // namespace seam::report
