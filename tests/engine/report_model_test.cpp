// The report model without LLDB: which frames a signature hashes, that the hash is the stable
// FNV-1a of their names, batch grouping and its lines.
#include <gtest/gtest.h>

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
    EXPECT_EQ(s.hash, hash_names(s.frames));
    EXPECT_EQ(signature_of(abort_in_c(), 2).frames,
              (std::vector<std::string>{"crash_c_abort", "app::wrapper"}));
}

TEST(ReportSignature, FallsBackToLibraryFramesWhenThereIsNothingElse) {
    bt::Backtrace bt;
    bt.frames = {frame("raise", "libc.so.6"), frame("abort", "libc.so.6"),
                 frame("__libc_start_main", "libc.so.6", "", true)};
    EXPECT_EQ(signature_of(bt).frames, (std::vector<std::string>{"raise", "abort"}));
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
              "     1 × 1111111111111111  abort-in-c           f <- g\n");
    nlohmann::json j = batch_to_json(entries);
    EXPECT_EQ(j["schema"], "seam.report-batch/1");
    EXPECT_EQ(j["failed"], 1);
    EXPECT_EQ(j["groups"][0]["cores"], (nlohmann::json{"c2", "c4"}));
    EXPECT_EQ(j["cores"][2]["status"], "error");
}

TEST(ReportJson, BriefReadsBackWhatToJsonWrote) {
    Report r;
    r.verdict.kind = "fault-in-c";
    r.verdict.headline = "SIGSEGV in C function f";
    r.signature = {"0123456789abcdef", {"f", "main"}};
    Brief b = brief_of(to_json(r));
    EXPECT_EQ(b.kind, "fault-in-c");
    EXPECT_EQ(b.headline, "SIGSEGV in C function f");
    EXPECT_EQ(b.signature, "0123456789abcdef");
    EXPECT_EQ(b.frames, (std::vector<std::string>{"f", "main"}));
    EXPECT_EQ(to_json(r)["crashing_thread"], nullptr);
    EXPECT_EQ(to_json(r)["panic"], nullptr);
}

} // namespace
} // namespace seam::report
