// Classification, boundary markers, folding and rendering over plain frames shaped like the
// demo fixture's stack at seam_probe (main -> device_for_each -> on_device -> seam_probe).
#include <gtest/gtest.h>

#include "formatters/backtrace/backtrace.h"

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
    // No DWARF: the mangling decides.
    EXPECT_EQ(bt.frames[7].lang, Lang::C);
    EXPECT_EQ(bt.frames[7].lang_source, LangSource::Mangling);
    EXPECT_EQ(bt.frames[9].lang, Lang::C);
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
    EXPECT_EQ(bt.boundaries[2].callee, 6u); // rustc's C main calls std::rt::lang_start
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
              "  ── C -> Rust: main calls extern \"C\" std::rt::lang_start ──\n"
              "  #7  0x0000000000001007 C    demo-O0   main\n"
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
    EXPECT_EQ(t["frames"][7]["language_source"], "mangling");
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

} // namespace
} // namespace seam::bt
