// Classification, boundary markers, folding and rendering over plain frames shaped like the
// demo fixture's stack at seam_probe (main -> device_for_each -> on_device -> seam_probe).
#include <gtest/gtest.h>

#include "formatters/backtrace/backtrace.h"
#include "formatters/backtrace/library_frames.h"

namespace seam::bt {
namespace {

RawFrame frame(uint32_t index, std::string function, std::string symbol, Lang dwarf,
               std::string file = "", uint32_t line = 0, uint32_t column = 0,
               std::string module = "demo-O0") {
    RawFrame f;
    f.index = index;
    f.pc = 0x1000 + index;
    f.function = std::move(function);
    f.symbol = std::move(symbol);
    f.dwarf_lang = dwarf;
    f.file = std::move(file);
    f.line = line;
    f.column = column;
    f.module = std::move(module);
    return f;
}

RawThread demo_thread() {
    RawThread t;
    t.index = 1;
    t.name = "demo-O0";
    t.stop_reason = "breakpoint 1.1";
    t.frames = {
        frame(0, "demo::probe::seam_probe", "seam_probe", Lang::Rust, "probe.rs", 110, 33),
        frame(1, "demo::on_device::h34c5e5c41654b273", "_ZN4demo9on_device17h34c5e5c41654b273E",
              Lang::Rust, "probe.rs", 118, 9),
        frame(2, "device_for_each", "device_for_each", Lang::C, "demo.c", 31, 65),
        frame(3, "demo::main::h38e95565b6f46d0e", "_ZN4demo4main17h38e95565b6f46d0eE", Lang::Rust,
              "demo.rs", 106, 14),
        frame(4, "core::ops::function::FnOnce::call_once::ha99581b2f6b5ed54",
              "_ZN4core3ops8function6FnOnce9call_once17ha99581b2f6b5ed54E", Lang::Rust,
              "function.rs", 250, 5),
        frame(5, "std::rt::lang_start_internal", "_RNvNtCsjrHSEGnQ3l9_3std2rt19lang_start_internal",
              Lang::Rust, "rt.rs", 171, 5),
        frame(6, "std::rt::lang_start::hd621b1a708749579",
              "_ZN3std2rt10lang_start17hd621b1a708749579E", Lang::Rust, "rt.rs", 205, 5),
        // rustc's C main: no DWARF, an unmangled symbol.
        frame(7, "main", "main", Lang::Unknown),
        frame(8, "__libc_start_call_main", "__libc_start_call_main", Lang::C,
              "libc_start_call_main.h", 58, 16, "libc.so.6"),
        frame(9, "__libc_start_main_impl", "__libc_start_main@@GLIBC_2.34", Lang::Unknown, "", 0, 0,
              "libc.so.6"),
        frame(10, "_start", "_start", Lang::Unknown),
    };
    t.frames[1].arguments = std::vector<Argument>{{"dev", "0x5555555c5650"}, {"ctx", "0x7ffe0"}};
    t.frames[1].inlined = false;
    return t;
}

TEST(BacktraceLayout, Languages) {
    Backtrace bt = classify(demo_thread());
    ASSERT_EQ(bt.frames.size(), 11u);
    EXPECT_EQ(bt.frames[1].lang, Lang::Rust);
    EXPECT_EQ(bt.frames[1].lang_source, LangSource::Dwarf);
    EXPECT_EQ(bt.frames[1].name, "demo::on_device");
    EXPECT_EQ(bt.frames[1].crate, "demo");
    EXPECT_EQ(bt.frames[2].lang, Lang::C);
    EXPECT_EQ(bt.frames[2].crate, "");
    // No DWARF: the mangling decides, but rustc's C-ABI main is Rust's start-up.
    EXPECT_EQ(bt.frames[7].lang, Lang::Rust);
    EXPECT_EQ(bt.frames[7].lang_source, LangSource::Runtime);
    EXPECT_EQ(bt.frames[9].lang, Lang::C);
    EXPECT_EQ(bt.frames[9].lang_source, LangSource::Mangling);
    std::vector<bool> runtime;
    for (const Frame& f : bt.frames) runtime.push_back(f.runtime);
    EXPECT_EQ(runtime, (std::vector<bool>{false, false, false, false, true, true, true, true, true,
                                          true, true}));
}

TEST(BacktraceLayout, NoDwarfRustSymbolIsRust) {
    RawThread t;
    t.frames = {frame(0, "std::rt::lang_start_internal",
                      "_RNvNtCsjrHSEGnQ3l9_3std2rt19lang_start_internal", Lang::Unknown),
                frame(1, "demo::main::h38e95565b6f46d0e", "_ZN4demo4main17h38e95565b6f46d0eE",
                      Lang::Unknown),
                frame(2, "", "", Lang::Unknown)};
    Backtrace bt = classify(std::move(t));
    EXPECT_EQ(bt.frames[0].lang, Lang::Rust);
    EXPECT_EQ(bt.frames[0].lang_source, LangSource::Mangling);
    EXPECT_EQ(bt.frames[1].lang, Lang::Rust);
    EXPECT_EQ(bt.frames[1].crate, "demo");
    EXPECT_EQ(bt.frames[2].name, "??");
    EXPECT_EQ(bt.frames[2].lang_source, LangSource::Default);
}

TEST(BacktraceLayout, Boundaries) {
    Backtrace bt = classify(demo_thread());
    ASSERT_EQ(bt.boundaries.size(), 3u);
    EXPECT_EQ(bt.boundaries[0].callee, 1u); // device_for_each (C) calls on_device (Rust)
    EXPECT_EQ(bt.boundaries[0].from, Lang::C);
    EXPECT_EQ(bt.boundaries[0].to, Lang::Rust);
    EXPECT_EQ(bt.boundaries[1].callee, 2u); // demo::main (Rust) calls device_for_each (C)
    EXPECT_EQ(bt.boundaries[1].from, Lang::Rust);
    EXPECT_EQ(bt.boundaries[1].to, Lang::C);
    EXPECT_EQ(bt.boundaries[2].callee, 7u); // libc calls rustc's main, Rust's start-up
    EXPECT_EQ(bt.boundaries[2].from, Lang::C);
    EXPECT_EQ(bt.boundaries[2].to, Lang::Rust);
}

TEST(BacktraceLayout, FoldedText) {
    std::string text = render_text(classify(demo_thread()), {});
    EXPECT_EQ(text,
              "thread #1 'demo-O0', stop reason = breakpoint 1.1\n"
              "  #0 0x0000000000001000 Rust demo    demo::probe::seam_probe at probe.rs:110:33\n"
              "  #1 0x0000000000001001 Rust demo    demo::on_device (dev = 0x5555555c5650, ctx = "
              "0x7ffe0) at probe.rs:118:9\n"
              "  ── C -> Rust: device_for_each calls extern \"C\" demo::on_device ──\n"
              "  #2 0x0000000000001002 C    demo-O0 device_for_each at demo.c:31:65\n"
              "  ── Rust -> C: wrapper demo::main calls device_for_each ──\n"
              "  #3 0x0000000000001003 Rust demo    demo::main [wrapper] at demo.rs:106:14\n"
              "  … 7 runtime frames folded (seam bt --full shows them)\n");
}

// The rows a GUI shows are the text's lines: each frame by its position, the markers and the
// fold with the text `seam bt` prints.
TEST(BacktraceLayout, Rows) {
    Backtrace bt = classify(demo_thread());
    std::vector<Row> rows = layout(bt, {});
    std::vector<std::string> seen;
    for (const Row& r : rows)
        seen.push_back(r.kind == Row::Kind::Frame ? "frame " + std::to_string(r.frame) + " " +
                                                        bt.frames[r.frame].short_name
                                                  : r.text);
    EXPECT_EQ(seen, (std::vector<std::string>{
                        "frame 0 demo::probe::seam_probe",
                        "frame 1 demo::on_device",
                        "── C -> Rust: device_for_each calls extern \"C\" demo::on_device ──",
                        "frame 2 device_for_each",
                        "── Rust -> C: wrapper demo::main calls device_for_each ──",
                        "frame 3 demo::main",
                        "… 7 runtime frames folded (seam bt --full shows them)",
                    }));
    EXPECT_EQ(rows.back().kind, Row::Kind::Fold);
    EXPECT_EQ(rows.back().frame, 4u);
    EXPECT_EQ(rows.back().folded, 7u);
    EXPECT_EQ(owner_of(bt.frames[2]), "demo-O0");
    EXPECT_EQ(owner_of(bt.frames[3]), "demo");
    // Unfolded: one row per frame, and no fold.
    size_t frames = 0;
    for (const Row& r : layout(bt, {.full = true})) {
        EXPECT_NE(r.kind, Row::Kind::Fold);
        frames += r.kind == Row::Kind::Frame;
    }
    EXPECT_EQ(frames, bt.frames.size());
}

TEST(BacktraceLayout, FullText) {
    RawThread t = demo_thread();
    t.frames.erase(t.frames.begin(), t.frames.begin() + 3);
    t.frames[2].inlined = true;
    std::string text = render_text(classify(std::move(t)), {.full = true, .header = false});
    EXPECT_EQ(text,
              "  #3  0x0000000000001003 Rust demo      demo::main at demo.rs:106:14\n"
              "  #4  0x0000000000001004 Rust core      core::ops::function::FnOnce::call_once at "
              "function.rs:250:5\n"
              "  #5  0x0000000000001005 Rust std       std::rt::lang_start_internal [inlined] at "
              "rt.rs:171:5\n"
              "  #6  0x0000000000001006 Rust std       std::rt::lang_start at rt.rs:205:5\n"
              "  #7  0x0000000000001007 Rust demo-O0   main\n"
              "  ── C -> Rust: __libc_start_call_main calls extern \"C\" main ──\n"
              "  #8  0x0000000000001008 C    libc.so.6 __libc_start_call_main at "
              "libc_start_call_main.h:58:16\n"
              "  #9  0x0000000000001009 C    libc.so.6 __libc_start_main_impl\n"
              "  #10 0x000000000000100a C    demo-O0   _start\n");
}

// A marker spans folded shims: user Rust reaching C through a closure's call_once is still
// the user frame calling C.
TEST(BacktraceLayout, MarkerAcrossFoldedFrames) {
    RawThread t;
    t.frames = {frame(0, "c_work", "c_work", Lang::C, "w.c", 3, 1),
                frame(1, "core::ops::function::FnOnce::call_once", "_RNv_x", Lang::Rust),
                frame(2, "app::run", "_RNv_y", Lang::Rust, "app.rs", 9, 5)};
    Backtrace bt = classify(std::move(t));
    EXPECT_EQ(render_text(bt, {.header = false}),
              "  #0 0x0000000000001000 C    demo-O0 c_work at w.c:3:1\n"
              "  ── Rust -> C: wrapper app::run calls c_work ──\n"
              "  … 1 runtime frame folded (seam bt --full shows them)\n"
              "  #2 0x0000000000001002 Rust app     app::run [wrapper] at app.rs:9:5\n");
    // The shim is plumbing, not the wrapper; --full shows the call it actually made.
    EXPECT_EQ(render_text(bt, {.full = true, .header = false}),
              "  #0 0x0000000000001000 C    demo-O0 c_work at w.c:3:1\n"
              "  ── Rust -> C: core::ops::function::FnOnce::call_once calls c_work ──\n"
              "  #1 0x0000000000001001 Rust core    core::ops::function::FnOnce::call_once\n"
              "  #2 0x0000000000001002 Rust app     app::run [wrapper] at app.rs:9:5\n");
    ASSERT_EQ(bt.boundaries.size(), 1u);
    EXPECT_EQ(bt.boundaries[0].wrapper, std::optional<size_t>(2));
}

// Only a Rust frame that called C is a wrapper: not one a signal interrupted (its callee is
// the trampoline), not the Rust callee of C, not a Rust frame that calls Rust.
TEST(BacktraceLayout, WrapperFrames) {
    RawThread t;
    t.frames = {frame(0, "handler", "handler", Lang::C),
                frame(1, "__restore_rt", "__restore_rt", Lang::Unknown, "", 0, 0, "libc.so.6"),
                frame(2, "app::spin", "_RNv_s", Lang::Rust),
                frame(3, "c_loop", "c_loop", Lang::C),
                frame(4, "app::sys::c_loop_safe", "_RNv_w", Lang::Rust),
                frame(5, "app::main", "_RNv_m", Lang::Rust)};
    Backtrace bt = classify(std::move(t));
    std::vector<bool> wrapper;
    for (const Frame& f : bt.frames) wrapper.push_back(f.wrapper);
    EXPECT_EQ(wrapper, (std::vector<bool>{false, false, false, false, true, false}));
    ASSERT_EQ(bt.boundaries.size(), 3u); // restore_rt|spin, spin|c_loop, c_loop|c_loop_safe
    EXPECT_FALSE(bt.boundaries[0].wrapper);
    EXPECT_FALSE(bt.boundaries[1].wrapper);
    EXPECT_EQ(bt.boundaries[2].wrapper, std::optional<size_t>(4));
    EXPECT_EQ(render_text(bt, {.full = true, .header = false}),
              "  #0 0x0000000000001000 C    demo-O0   handler\n"
              "  #1 0x0000000000001001 C    libc.so.6 __restore_rt\n"
              "  ── Rust -> C: app::spin calls __restore_rt ──\n"
              "  #2 0x0000000000001002 Rust app       app::spin\n"
              "  ── C -> Rust: c_loop calls extern \"C\" app::spin ──\n"
              "  #3 0x0000000000001003 C    demo-O0   c_loop\n"
              "  ── Rust -> C: wrapper app::sys::c_loop_safe calls c_loop ──\n"
              "  #4 0x0000000000001004 Rust app       app::sys::c_loop_safe [wrapper]\n"
              "  #5 0x0000000000001005 Rust app       app::main\n");
}

TEST(BacktraceLayout, Json) {
    nlohmann::json j = render_json({classify(demo_thread())});
    EXPECT_EQ(j["schema"], "seam.backtrace/1");
    const auto& t = j["threads"][0];
    EXPECT_EQ(t["frames"].size(), 11u);
    EXPECT_EQ(t["frames"][1]["function"], "demo::on_device");
    EXPECT_EQ(t["frames"][1]["language"], "Rust");
    EXPECT_EQ(t["frames"][1]["language_source"], "dwarf");
    EXPECT_EQ(t["frames"][1]["crate"], "demo");
    EXPECT_EQ(t["frames"][1]["pc"], "0x1001");
    EXPECT_EQ(t["frames"][1]["arguments"][0]["name"], "dev");
    EXPECT_TRUE(t["frames"][2]["crate"].is_null());
    EXPECT_TRUE(t["frames"][2]["arguments"].is_null());
    EXPECT_EQ(t["frames"][7]["language_source"], "runtime");
    EXPECT_EQ(t["frames"][9]["language_source"], "mangling");
    EXPECT_EQ(t["frames"][7]["runtime"], true);
    EXPECT_EQ(t["boundaries"].size(), 3u);
    EXPECT_EQ(t["boundaries"][1]["caller"], 3);
    EXPECT_EQ(t["boundaries"][1]["callee"], 2);
    EXPECT_EQ(t["boundaries"][1]["from"], "Rust");
    EXPECT_EQ(t["boundaries"][1]["to"], "C");
    EXPECT_EQ(t["boundaries"][1]["wrapper"], 3);
    EXPECT_TRUE(t["boundaries"][0]["wrapper"].is_null());
    EXPECT_EQ(t["boundaries"][1]["text"],
              "── Rust -> C: wrapper demo::main calls device_for_each ──");
    EXPECT_EQ(t["frames"][3]["wrapper"], true);
    EXPECT_EQ(t["frames"][1]["wrapper"], false);
}

// The stack of a callback from a C library (no DWARF) into Rust that guards its body with
// catch_unwind, as wrapper crates do, at -O0: rustc's `__rust_try` catch shim (no DWARF, a
// plain symbol) sits between std's catch_unwind frames. It is Rust's runtime: no marker on
// either side of it, folded, and the only markers are the two real crossings.
RawThread callback_thread() {
    RawThread t;
    t.frames = {
        frame(0, "wrapper::visit_item", "_ZN7wrapper10visit_item17h4c6149335980977cE", Lang::Rust,
              "wrapper.rs", 98, 9),
        frame(1, "wrapper::on_item::{closure#0}",
              "_ZN7wrapper7on_item28_$u7b$$u7b$closure$u7d$$u7d$"
              "17h4b8e4b3839aec05cE",
              Lang::Rust, "wrapper.rs", 115, 44),
        frame(2, "core::ops::function::FnOnce::call_once<wrapper::on_item::{closure_env#0}, ()>",
              "_ZN4core3ops8function6FnOnce9call_once17he5ea46a8e6775876E", Lang::Rust,
              "function.rs", 250, 5),
        frame(3,
              "std::panicking::catch_unwind::do_call<core::panic::unwind_safe::AssertUnwindSafe<"
              "wrapper::on_item::{closure_env#0}>, i32>",
              "_ZN3std9panicking12catch_unwind7do_call17h3b13182e7d22cd7fE", Lang::Rust,
              "panicking.rs", 581, 40),
        frame(4, "__rust_try", "__rust_try", Lang::Unknown),
        frame(5,
              "std::panic::catch_unwind<core::panic::unwind_safe::AssertUnwindSafe<wrapper::"
              "on_item::{closure_env#0}>, i32>",
              "_ZN3std5panic12catch_unwind17h8fa7f2098f14e768E", Lang::Rust, "panic.rs", 359, 14),
        frame(6, "wrapper::on_item", "_ZN7wrapper7on_item17h4168c91f976f2a5bE", Lang::Rust,
              "wrapper.rs", 115, 11),
        frame(7, "wr_for_each", "wr_for_each", Lang::Unknown, "", 0, 0, "libwrapper_c.so"),
        frame(8, "wrapper::for_each", "_ZN7wrapper8for_each17h1972a2937d4d893eE", Lang::Rust,
              "wrapper.rs", 125, 9),
        frame(9, "wrapper::main", "_ZN7wrapper4main17h71086fec219f580bE", Lang::Rust, "wrapper.rs",
              138, 21),
        frame(10, "std::rt::lang_start_internal",
              "_RNvNtCsjrHSEGnQ3l9_3std2rt19lang_start_internal", Lang::Rust, "rt.rs", 171, 5),
        frame(11, "main", "main", Lang::Unknown),
        frame(12, "__libc_start_call_main", "__libc_start_call_main", Lang::Unknown, "", 0, 0,
              "libc.so.6"),
    };
    return t;
}

TEST(BacktraceLayout, RustTryIsRuntimeNotC) {
    Backtrace bt = classify(callback_thread());
    EXPECT_EQ(bt.frames[4].lang, Lang::Rust);
    EXPECT_EQ(bt.frames[4].lang_source, LangSource::Runtime);
    EXPECT_TRUE(bt.frames[4].runtime);
    EXPECT_EQ(bt.frames[7].lang, Lang::C); // the C library: its symbol says C
    EXPECT_EQ(bt.frames[7].lang_source, LangSource::Mangling);
    EXPECT_EQ(bt.frames[11].lang, Lang::Rust);
    // Only the real crossings: C library -> callback, wrapper -> C library, libc -> main.
    std::vector<std::pair<size_t, std::string>> crossings;
    for (const Boundary& b : bt.boundaries)
        crossings.emplace_back(b.callee, std::string(lang_name(b.from)) + "->" +
                                             std::string(lang_name(b.to)));
    EXPECT_EQ(crossings, (std::vector<std::pair<size_t, std::string>>{
                             {6, "C->Rust"}, {7, "Rust->C"}, {11, "C->Rust"}}));
    EXPECT_EQ(
        render_text(bt, {.header = false}),
        "  #0 0x0000000000001000 Rust wrapper         wrapper::visit_item at wrapper.rs:98:9\n"
        "  #1 0x0000000000001001 Rust wrapper         wrapper::on_item::{closure#0} at "
        "wrapper.rs:115:44\n"
        "  … 4 runtime frames folded (seam bt --full shows them)\n"
        "  #6 0x0000000000001006 Rust wrapper         wrapper::on_item at wrapper.rs:115:11\n"
        "  ── C -> Rust: wr_for_each calls extern \"C\" wrapper::on_item ──\n"
        "  #7 0x0000000000001007 C    libwrapper_c.so wr_for_each\n"
        "  ── Rust -> C: wrapper wrapper::for_each calls wr_for_each ──\n"
        "  #8 0x0000000000001008 Rust wrapper         wrapper::for_each [wrapper] at "
        "wrapper.rs:125:9\n"
        "  #9 0x0000000000001009 Rust wrapper         wrapper::main at wrapper.rs:138:21\n"
        "  … 3 runtime frames folded (seam bt --full shows them)\n");
}

// Every shim rustc or std emits with a plain symbol and no DWARF is Rust runtime; C functions
// of the same shape stay C.
TEST(BacktraceLayout, RuntimeShimsWithoutDwarf) {
    const char* shims[] = {"__rust_try",
                           "__rust_alloc",
                           "__rust_dealloc",
                           "__rust_realloc",
                           "__rust_alloc_zeroed",
                           "__rg_alloc",
                           "__rdl_dealloc",
                           "rust_eh_personality",
                           "rust_begin_unwind",
                           "__rust_start_panic",
                           "__rust_begin_short_backtrace"};
    for (const char* shim : shims) {
        RawThread t;
        t.frames = {
            frame(0, "c_callback", "c_callback", Lang::C, "cb.c", 3, 1),
            frame(1, shim, shim, Lang::Unknown),
            frame(2, "app::run", "_ZN3app3run17h0123456789abcdefE", Lang::Rust, "app.rs", 4, 1)};
        Backtrace bt = classify(std::move(t));
        EXPECT_EQ(bt.frames[1].lang, Lang::Rust) << shim;
        EXPECT_TRUE(bt.frames[1].runtime) << shim;
        ASSERT_EQ(bt.boundaries.size(), 1u) << shim;
        EXPECT_EQ(bt.boundaries[0].callee, 0u) << shim;
    }
    for (const char* c_name : {"__rust_tryhard", "rust_helper", "main"}) {
        RawThread t;
        t.frames = {frame(0, c_name, c_name, Lang::Unknown, "", 0, 0, "libfoo.so")};
        EXPECT_EQ(classify(std::move(t)).frames[0].lang, Lang::C) << c_name;
    }
}

// Names in the text output keep their path and collapse generic arguments, unless full.
TEST(BacktraceLayout, ShortAndFullNames) {
    RawThread t;
    t.frames = {frame(0,
                      "alloc::vec::spec_from_iter_nested::{impl#0}::from_iter<(i64, "
                      "alloc::string::String), core::iter::adapters::map::Map<core::ops::range::"
                      "Range<i64>, app::build::{closure_env#0}>>",
                      "_ZN5alloc3vec9from_iter17h0123456789abcdefE", Lang::Rust, "spec.rs", 20, 5),
                frame(1, "app::build<u32>", "_ZN3app5build17h0123456789abcdefE", Lang::Rust,
                      "app.rs", 7, 3)};
    Backtrace bt = classify(std::move(t));
    EXPECT_EQ(bt.frames[0].short_name, "alloc::vec::spec_from_iter_nested::{impl#0}::from_iter<…>");
    EXPECT_EQ(render_text(bt, {.header = false}),
              "  #0 0x0000000000001000 Rust alloc alloc::vec::spec_from_iter_nested::{impl#0}::"
              "from_iter<…> at spec.rs:20:5\n"
              "  #1 0x0000000000001001 Rust app   app::build<…> at app.rs:7:3\n");
    std::string full = render_text(bt, {.header = false, .full_names = true});
    EXPECT_NE(full.find(" app::build<u32> at app.rs:7:3\n"), std::string::npos) << full;
    EXPECT_NE(full.find("Map<core::ops::range::Range<i64>, app::build::{closure_env#0}>> at "),
              std::string::npos)
        << full;
    nlohmann::json j = render_json({bt});
    EXPECT_EQ(j["threads"][0]["frames"][1]["function"], "app::build<u32>");
    EXPECT_EQ(j["threads"][0]["frames"][1]["short_function"], "app::build<…>");
}

// gcc's cold part of a split C function reads as its function, tagged, in C, with no boundary
// to the rest of the C function's callers: named by the DWARF (`crash_c_abort`) or, without
// DWARF, from its symbol (`__assert_fail_base.cold.1` in a distro libc).
TEST(BacktraceLayout, ColdPartsReadAsTheirFunction) {
    RawThread t;
    t.index = 1;
    t.frames = {
        frame(0, "__assert_fail_base.cold.1", "__assert_fail_base.cold.1", Lang::Unknown, "", 0, 0,
              "libc.so.6"),
        frame(1, "crash_c_abort", "crash_c_abort.cold", Lang::C, "crash.c", 11, 9),
        frame(2, "app::call_c_abort", "_RNvCs1_3app12call_c_abort", Lang::Rust, "app.rs", 3, 14),
    };
    Backtrace bt = classify(t);
    EXPECT_EQ(bt.frames[0].name, "__assert_fail_base");
    EXPECT_EQ(bt.frames[1].name, "crash_c_abort");
    EXPECT_TRUE(bt.frames[0].cold_part && bt.frames[1].cold_part);
    EXPECT_FALSE(bt.frames[2].cold_part);
    EXPECT_EQ(
        render_text(bt, {.header = false}),
        "  #0 0x0000000000001000 C    libc.so.6 __assert_fail_base [cold part]\n"
        "  #1 0x0000000000001001 C    demo-O0   crash_c_abort [cold part] at crash.c:11:9\n"
        "  ── Rust -> C: wrapper app::call_c_abort calls crash_c_abort ──\n"
        "  #2 0x0000000000001002 Rust app       app::call_c_abort [wrapper] at app.rs:3:14\n");
    EXPECT_EQ(render_json({bt})["threads"][0]["frames"][1]["cold_part"], true);
}

TEST(BacktraceLayout, ColdSuffixes) {
    bool cold = false;
    EXPECT_EQ(without_cold_suffix("f.cold", cold), "f");
    EXPECT_TRUE(cold);
    EXPECT_EQ(without_cold_suffix("f.part.0.cold.2", cold), "f.part.0");
    EXPECT_TRUE(cold);
    EXPECT_EQ(without_cold_suffix("f.constprop.0", cold), "f.constprop.0");
    EXPECT_FALSE(cold);
    EXPECT_EQ(without_cold_suffix(".cold", cold), ".cold");
    EXPECT_FALSE(cold);
    EXPECT_EQ(without_cold_suffix("cold", cold), "cold");
    EXPECT_FALSE(cold);
}

} // namespace
} // namespace seam::bt
