// crash::classify over hand-built backtraces and memory: the kinds from signals and frame
// names, and the panic payload read back from a PanicHookInfo laid out as std 1.95 leaves it.
#include <algorithm>

#include <gtest/gtest.h>

#include "formatters/crash/crash.h"
#include "tests/engine/fake_target.h"

namespace seam::crash {
namespace {

using fake_target::cat;
using fake_target::FakeMemory;
using fake_target::le;

bt::RawFrame frame(std::string name, Lang dwarf, std::string module, std::string file = "",
                   uint32_t line = 0) {
    bt::RawFrame f;
    f.function = std::move(name);
    f.symbol = f.function;
    f.dwarf_lang = dwarf;
    f.module = std::move(module);
    f.file = std::move(file);
    f.line = line;
    f.column = line ? 5 : 0;
    return f;
}

bt::Backtrace trace(std::vector<bt::RawFrame> frames) {
    bt::RawThread t;
    for (size_t i = 0; i < frames.size(); ++i) frames[i].index = uint32_t(i);
    t.frames = std::move(frames);
    return bt::classify(std::move(t));
}

StopFacts signal(int number, std::string name) {
    StopFacts s;
    s.signal = number;
    s.signal_name = name;
    s.description = "signal " + name;
    return s;
}

TEST(Crash, KindNamesAreStable) {
    EXPECT_EQ(kind_name(Kind::RustPanic), "rust-panic");
    EXPECT_EQ(kind_name(Kind::PanicCannotUnwind), "panic-cannot-unwind");
    EXPECT_EQ(kind_name(Kind::AbortInC), "abort-in-c");
    EXPECT_EQ(kind_name(Kind::AbortInRust), "abort-in-rust");
    EXPECT_EQ(kind_name(Kind::AllocatorAbort), "allocator-abort");
    EXPECT_EQ(kind_name(Kind::FaultInC), "fault-in-c");
    EXPECT_EQ(kind_name(Kind::FaultInRust), "fault-in-rust");
    EXPECT_EQ(kind_name(Kind::StackOverflow), "stack-overflow");
    EXPECT_EQ(kind_name(Kind::Exit), "exit");
    EXPECT_EQ(kind_name(Kind::Signal), "signal");
    EXPECT_EQ(kind_name(Kind::Breakpoint), "breakpoint");
    EXPECT_EQ(kind_name(Kind::Unknown), "unknown");
}

TEST(Crash, SegfaultInCNamesTheRustCaller) {
    bt::Backtrace bt = trace({frame("crash_c_read", Lang::C, "app", "crash.c", 11),
                              frame("app::config::load", Lang::Rust, "app", "config.rs", 40),
                              frame("app::main", Lang::Rust, "app", "main.rs", 3)});
    StopFacts s = signal(11, "SIGSEGV");
    s.fault_address = 0;
    Classification c = classify({.stop = s, .backtrace = &bt});
    EXPECT_EQ(c.kind, Kind::FaultInC);
    EXPECT_EQ(c.headline, "SIGSEGV at 0x0 in C function crash_c_read (crash.c:11), called from "
                          "Rust app::config::load (config.rs:40)");
    EXPECT_EQ(c.culprit_frame, 0u);
    EXPECT_EQ(c.last_rust_frame, 1u);
}

// A distro's C library has symbols and no DWARF: its frame is C by its symbol, and a fault
// there is C's, named with its library, called from the last Rust frame.
TEST(Crash, SegfaultInCLibraryWithoutDwarf) {
    bt::Backtrace bt =
        trace({frame("wr_checksum", Lang::Unknown, "libwrapper_c.so"),
               frame("app::{impl#0}::checksum", Lang::Rust, "app", "app.rs", 44),
               frame("app::main", Lang::Rust, "app", "app.rs", 140),
               frame("std::rt::lang_start_internal", Lang::Rust, "app", "rt.rs", 171)});
    StopFacts s = signal(11, "SIGSEGV");
    s.fault_address = 0x18;
    Classification c = classify({.stop = s, .backtrace = &bt});
    EXPECT_EQ(kind_name(c.kind), "fault-in-c");
    EXPECT_EQ(c.headline, "SIGSEGV at 0x18 in C function wr_checksum in libwrapper_c.so, called "
                          "from Rust app::{impl#0}::checksum (app.rs:44)");
    EXPECT_EQ(c.culprit_frame, 0u);
    EXPECT_EQ(c.last_rust_frame, 1u);
    EXPECT_EQ(c.evidence.back(), "SIGSEGV at 0x18 in frame #0 wr_checksum (C, language from "
                                 "mangling)");
}

// libc's memcpy handed a bad pointer: the fault is in C; the C function named is the caller
// of libc's, user C code if any, else libc's own with its library.
TEST(Crash, SegfaultInLibcNamesTheCodeThatCalledIt) {
    StopFacts s = signal(11, "SIGSEGV");
    s.fault_address = 0x18;
    bt::Backtrace via_c = trace({frame("__memmove_avx_unaligned_erms", Lang::Unknown, "libc.so.6"),
                                 frame("copy_items", Lang::C, "app", "items.c", 12),
                                 frame("app::run", Lang::Rust, "app", "app.rs", 3)});
    Classification c = classify({.stop = s, .backtrace = &via_c});
    EXPECT_EQ(c.kind, Kind::FaultInC);
    EXPECT_EQ(c.headline, "SIGSEGV at 0x18 in C function copy_items (items.c:12), called from "
                          "Rust app::run (app.rs:3)");
    bt::Backtrace direct = trace({frame("__memmove_avx_unaligned_erms", Lang::Unknown, "libc.so.6"),
                                  frame("app::copy", Lang::Rust, "app", "app.rs", 7)});
    c = classify({.stop = s, .backtrace = &direct});
    EXPECT_EQ(c.kind, Kind::FaultInC);
    EXPECT_EQ(c.headline, "SIGSEGV at 0x18 in C function __memmove_avx_unaligned_erms in "
                          "libc.so.6, called from Rust app::copy (app.rs:7)");
}

// A fault in a generic Rust function: named with its generic arguments collapsed, so that the
// headline is the same for every instantiation; whole under full_names.
TEST(Crash, FaultInGenericRustNamesShortly) {
    bt::Backtrace bt =
        trace({frame("core::ptr::read_volatile<u8>", Lang::Rust, "app", "ptr.rs", 2070),
               frame("app::read_first<alloc::string::String>", Lang::Rust, "app", "app.rs", 9),
               frame("app::main", Lang::Rust, "app", "app.rs", 20)});
    StopFacts s = signal(11, "SIGSEGV");
    s.fault_address = 0x18;
    Classification c = classify({.stop = s, .backtrace = &bt});
    EXPECT_EQ(c.kind, Kind::FaultInRust);
    EXPECT_EQ(c.headline, "SIGSEGV at 0x18 in Rust function app::read_first<…> (app.rs:9)");
    EXPECT_EQ(c.culprit_frame, 1u);
    c = classify({.stop = s, .backtrace = &bt, .full_names = true});
    EXPECT_EQ(c.headline,
              "SIGSEGV at 0x18 in Rust function app::read_first<alloc::string::String> (app.rs:9)");
}

TEST(Crash, GlibcWithDebugInfoIsStillLibrary) {
    // libc6-dbg gives glibc's frames DWARF: the module, not the DWARF, makes them library code.
    bt::Backtrace bt =
        trace({frame("__pthread_kill_implementation", Lang::C, "libc.so.6"),
               frame("raise", Lang::C, "libc.so.6"), frame("abort", Lang::C, "libc.so.6"),
               frame("__libc_message", Lang::C, "libc.so.6"),
               frame("malloc_printerr", Lang::C, "libc.so.6"), frame("free", Lang::C, "libc.so.6"),
               frame("release", Lang::C, "app", "pool.c", 17),
               frame("app::pool::drop_all", Lang::Rust, "app", "pool.rs", 9)});
    Classification c = classify({.stop = signal(6, "SIGABRT"), .backtrace = &bt});
    EXPECT_EQ(c.kind, Kind::AllocatorAbort);
    EXPECT_EQ(c.culprit_frame, 6u);
    EXPECT_EQ(c.headline,
              "allocator abort (glibc found a corrupted heap or a double free) in release "
              "(pool.c:17)");
}

TEST(Crash, AbortFromCAndFromRust) {
    bt::Backtrace in_c =
        trace({frame("abort", Lang::C, "libc.so.6"), frame("check", Lang::C, "app", "check.c", 8),
               frame("app::run", Lang::Rust, "app", "main.rs", 20)});
    Classification c = classify({.stop = signal(6, "SIGABRT"), .backtrace = &in_c});
    EXPECT_EQ(c.kind, Kind::AbortInC);
    EXPECT_EQ(c.headline, "abort() called from C function check (check.c:8), called from Rust "
                          "app::run (main.rs:20)");

    bt::Backtrace in_rust = trace({frame("abort", Lang::C, "libc.so.6"),
                                   frame("std::sys::pal::unix::abort_internal", Lang::Rust, "app"),
                                   frame("std::process::abort", Lang::Rust, "app"),
                                   frame("app::bail", Lang::Rust, "app", "main.rs", 31)});
    c = classify({.stop = signal(6, "SIGABRT"), .backtrace = &in_rust});
    EXPECT_EQ(c.kind, Kind::AbortInRust);
    ASSERT_TRUE(c.panic);
    EXPECT_FALSE(c.panic->message);
    EXPECT_EQ(c.panic->missing, "std::process::abort carries no message");
    ASSERT_TRUE(c.panic->location);
    EXPECT_EQ(c.panic->location->line, 31u);
}

// std 1.63 gives a panic while panicking up in its hook function, which calls std's abort
// itself: no panic runtime, no panic_in_cleanup frame. It could not unwind; with panic=abort the
// runtime's __rust_start_panic aborts instead, and the panic is a plain one.
TEST(Crash, PanicGivenUpByTheHookCouldNotUnwind) {
    bt::Backtrace given_up = trace(
        {frame("abort", Lang::C, "libc.so.6"),
         frame("std::sys::unix::abort_internal", Lang::Rust, "app"),
         frame("std::panicking::rust_panic_with_hook", Lang::Rust, "app"),
         frame("std::panicking::begin_panic_handler::{{closure}}", Lang::Rust, "app"),
         frame("std::sys_common::backtrace::__rust_end_short_backtrace", Lang::Rust, "app"),
         frame("rust_begin_unwind", Lang::Rust, "app"),
         frame("core::panicking::panic_fmt", Lang::Rust, "app"),
         frame("<app::Guard as core::ops::drop::Drop>::drop", Lang::Rust, "app", "main.rs", 74),
         frame("app::run", Lang::Rust, "app", "main.rs", 83)});
    Classification c = classify({.stop = signal(6, "SIGABRT"), .backtrace = &given_up});
    EXPECT_EQ(c.kind, Kind::PanicCannotUnwind);
    EXPECT_EQ(c.culprit_frame, 7u);
    EXPECT_FALSE(c.original);
    EXPECT_EQ(c.headline, "Rust panic could not unwind at main.rs:74:5 (message not recovered: no "
                          "memory to read; the location is the culprit frame's line)");
    EXPECT_NE(std::find(c.evidence.begin(), c.evidence.end(),
                        "std::panicking::rust_panic_with_hook aborted instead of unwinding (a "
                        "panic while panicking)"),
              c.evidence.end());

    bt::Backtrace runtime_abort = trace(
        {frame("abort", Lang::C, "libc.so.6"),
         frame("panic_abort::__rust_start_panic::abort", Lang::Rust, "app"),
         frame("__rust_start_panic", Lang::Rust, "app"), frame("rust_panic", Lang::Rust, "app"),
         frame("std::panicking::rust_panic_with_hook", Lang::Rust, "app"),
         frame("app::run", Lang::Rust, "app", "main.rs", 83)});
    EXPECT_EQ(classify({.stop = signal(6, "SIGABRT"), .backtrace = &runtime_abort}).kind,
              Kind::RustPanic);
}

TEST(Crash, FaultNearTheStackPointerIsAStackOverflow) {
    std::vector<bt::RawFrame> frames = {frame("app::recurse", Lang::Rust, "app", "main.rs", 4),
                                        frame("app::recurse", Lang::Rust, "app", "main.rs", 4)};
    frames[0].sp = 0x7fff0000'1000;
    bt::Backtrace bt = trace(frames);
    StopFacts s = signal(11, "SIGSEGV");
    s.fault_address = 0x7fff0000'0ff8;
    Classification c = classify({.stop = s, .backtrace = &bt});
    EXPECT_EQ(c.kind, Kind::StackOverflow);
    EXPECT_EQ(c.headline, "stack overflow in app::recurse (main.rs:4)");
    s.fault_address = 0x10; // far from the stack: a null dereference
    EXPECT_EQ(classify({.stop = s, .backtrace = &bt}).kind, Kind::FaultInRust);
    // A fault address the front end deduced (a minidump carries none) says how, first.
    s.fault_address = 0x7fff0000'0ff8;
    s.fault_address_deduced = "`callq 0x1000` at 0x1000 stores at SP-8";
    c = classify({.stop = s, .backtrace = &bt});
    EXPECT_EQ(c.kind, Kind::StackOverflow);
    ASSERT_EQ(c.evidence.size(), 3u);
    EXPECT_EQ(c.evidence[1], "fault address deduced: `callq 0x1000` at 0x1000 stores at SP-8");
    EXPECT_EQ(c.evidence[2],
              "fault address 0x7fff00000ff8 within 64 KiB of the stack pointer 0x7fff00001000");
}

TEST(Crash, ExitAndBreakpointAreNotCrashes) {
    StopFacts exited;
    exited.exit_status = 3;
    Classification c = classify({.stop = exited});
    EXPECT_EQ(c.kind, Kind::Exit);
    EXPECT_EQ(c.headline, "the process exited with status 3");
    StopFacts bp;
    bp.description = "breakpoint 1.1";
    bt::Backtrace bt = trace({frame("app::main", Lang::Rust, "app", "main.rs", 2)});
    c = classify({.stop = bp, .backtrace = &bt});
    EXPECT_EQ(c.kind, Kind::Breakpoint);
    EXPECT_EQ(c.headline, "stopped: breakpoint 1.1 (not a crash)");
}

// The frames of a panic=abort panic at its SIGABRT, with panic_with_hook's frame at [lo, hi).
bt::Backtrace abort_panic_trace(uint64_t lo, uint64_t hi) {
    std::vector<bt::RawFrame> f = {
        frame("abort", Lang::C, "libc.so.6"),
        frame("std::sys::pal::unix::abort_internal", Lang::Rust, "app"),
        frame("__rustc::__rust_start_panic", Lang::Rust, "app"),
        frame("__rustc::rust_panic", Lang::Rust, "app"),
        frame("std::panicking::panic_with_hook", Lang::Rust, "app"),
        frame("std::panicking::panic_handler::{closure#0}", Lang::Rust, "app"),
        frame("__rustc::rust_begin_unwind", Lang::Rust, "app"),
        frame("core::panicking::panic_fmt", Lang::Rust, "app"),
        frame("app::parse", Lang::Rust, "app", "main.rs", 12),
    };
    f[0].sp = lo - 0x200;
    f[4].sp = lo;
    f[4].cfa = hi;
    return trace(f);
}

// PanicHookInfo {payload data, payload vtable, &Location, bools} at k_stack + 0x40, as std
// 1.95 leaves it; the payload (a String the hook formatted, or a &str) at k_stack + 0x80; the
// vtable and the Location in the executable's read-only data, the text on the heap.
constexpr uint64_t k_stack = 0x7ffd'0000'7000, k_rodata = 0x5555'0000'9000,
                   k_heap = 0x5555'1000'a000;

void put_panic(FakeMemory& mem, uint64_t vtable_size, const std::string& text) {
    mem.put(k_stack, std::vector<uint8_t>(0x100, 0));
    mem.poke_u64(k_stack + 0x40, k_stack + 0x80);
    mem.poke_u64(k_stack + 0x48, k_rodata);
    mem.poke_u64(k_stack + 0x50, k_rodata + 0x100);
    if (vtable_size == 24) {
        mem.poke_u64(k_stack + 0x80, text.size() + 8); // cap
        mem.poke_u64(k_stack + 0x88, k_heap);          // ptr
        mem.poke_u64(k_stack + 0x90, text.size());     // len
    } else {
        mem.poke_u64(k_stack + 0x80, k_heap);
        mem.poke_u64(k_stack + 0x88, text.size());
    }
    mem.put(k_rodata, cat({le(0x1234, 8), le(vtable_size, 8), le(8, 8)}));
    const std::string file = std::string("src/main.rs") + '\0';
    mem.put(k_rodata + 0x100,
            cat({le(k_rodata + 0x200, 8), le(file.size(), 8), le(12, 4), le(5, 4)}));
    mem.put_text(k_rodata + 0x200, file);
    mem.put_text(k_heap, text);
}

TEST(Crash, PanicMessageFromTheHookFrame) {
    const std::string msg = "index out of bounds: the len is 3 but the index is 7";
    for (uint64_t size : {24u, 16u}) {
        FakeMemory mem;
        put_panic(mem, size, msg);
        bt::Backtrace bt = abort_panic_trace(k_stack, k_stack + 0x100);
        StopFacts s = signal(6, "SIGABRT");
        s.panic_runtime = "abort";
        Classification c = classify({.stop = s, .backtrace = &bt, .memory = &mem});
        EXPECT_EQ(c.kind, Kind::RustPanic);
        ASSERT_TRUE(c.panic);
        EXPECT_EQ(c.panic->strategy, "abort");
        EXPECT_EQ(c.panic->message, msg) << c.panic->missing;
        ASSERT_TRUE(c.panic->location);
        EXPECT_EQ(c.panic->location->file, "src/main.rs");
        EXPECT_EQ(c.panic->location->line, 12u);
        EXPECT_EQ(c.panic->location->column, 5u);
        EXPECT_EQ(c.headline, "Rust panic (abort) at src/main.rs:12:5: " + msg);
        EXPECT_EQ(c.culprit_frame, 8u);
    }
}

TEST(Crash, CorruptPayloadFallsBackToTheCulpritLine) {
    FakeMemory mem;
    put_panic(mem, 24, "message");
    mem.poke_u64(k_stack + 0x90, 1ull << 40); // len beyond cap: not a String
    bt::Backtrace bt = abort_panic_trace(k_stack, k_stack + 0x100);
    Classification c = classify({.stop = signal(6, "SIGABRT"), .backtrace = &bt, .memory = &mem});
    ASSERT_TRUE(c.panic);
    EXPECT_FALSE(c.panic->message);
    EXPECT_EQ(c.panic->missing, "the payload string is unreadable or corrupt");
    ASSERT_TRUE(c.panic->location); // the location still comes from the hook's PanicHookInfo
    EXPECT_EQ(c.panic->location->file, "src/main.rs");
    FakeMemory empty;
    c = classify({.stop = signal(6, "SIGABRT"), .backtrace = &bt, .memory = &empty});
    ASSERT_TRUE(c.panic);
    EXPECT_FALSE(c.panic->message);
    ASSERT_TRUE(c.panic->location);
    EXPECT_EQ(c.panic->location->file, "main.rs");
    EXPECT_EQ(c.panic->location->line, 12u);
    EXPECT_EQ(c.panic->missing,
              "the stack at 0x7ffd00007000 is not readable; the location is the culprit frame's "
              "line");
    EXPECT_EQ(to_json(c)["panic"]["message"], nullptr);
}

// --- a panic that could not unwind: the original panic from panic_unwind's exception object ---

constexpr uint64_t k_code = 0x5555'0000'1000, k_canary = 0x5555'0000'a000,
                   k_cleanup = 0x5555'0000'2000, k_callback_sp = 0x7ffd'0000'8000,
                   k_main_sp = 0x7ffd'0000'9000;

class FakeQueries : public ProcessQueries {
public:
    std::vector<MemoryRegion> heap_regions() override { return {{k_heap, k_heap + 0x1000, ""}}; }
    std::optional<uint64_t> symbol_address(std::string_view name) override {
        if (name == "panic_unwind::imp::CANARY") return k_canary;
        if (name == "panic_unwind::imp::panic::exception_cleanup") return k_cleanup;
        return std::nullopt;
    }
    std::optional<std::pair<uint64_t, uint64_t>> function_range(uint64_t pc) override {
        if (pc >= k_code && pc < k_code + 0x40) return std::make_pair(k_code, k_code + 0x40);
        return std::nullopt;
    }
};

// The abort of std's second panic, called from the landing pad of app::callback (an extern "C"
// function at [k_code, k_code + 0x40)) by its last instruction: the frame's PC, a return
// address, is the first byte past the function (rustc -O2 leaves the call there).
bt::Backtrace cannot_unwind_trace(std::string_view pad_function) {
    std::vector<bt::RawFrame> f = {
        frame("abort", Lang::C, "libc.so.6"),
        frame("std::process::abort", Lang::Rust, "app"),
        frame("std::panicking::panic_with_hook", Lang::Rust, "app"),
        frame("__rustc::rust_begin_unwind", Lang::Rust, "app"),
        frame("core::panicking::panic_nounwind_fmt", Lang::Rust, "app"),
        frame("core::panicking::panic_nounwind", Lang::Rust, "app"),
        frame(std::string(pad_function), Lang::Rust, "app"),
        frame("app::callback", Lang::Rust, "app", "main.rs", 20),
        frame("c_calls_back", Lang::C, "app", "lib.c", 4),
        frame("app::main", Lang::Rust, "app", "main.rs", 30),
    };
    f[7].pc = k_code + 0x40;
    f[7].sp = k_callback_sp;
    f[9].sp = k_main_sp;
    return trace(f);
}

// An Exception { _uwe: {class, cleanup, private_1, private_2}, canary, cause: (data, vtable) }.
void put_exception(FakeMemory& mem, uint64_t at, uint64_t handler_sp, uint64_t payload) {
    mem.poke_u64(at, 0x54535552005a4f4dULL); // the bytes "MOZ\0RUST"
    mem.poke_u64(at + 8, k_cleanup);
    mem.poke_u64(at + 16, 0);
    mem.poke_u64(at + 24, handler_sp);
    mem.poke_u64(at + 32, k_canary);
    mem.poke_u64(at + 40, payload);
    mem.poke_u64(at + 48, k_rodata); // the vtable of String (size 24, align 8)
}

void put_string(FakeMemory& mem, uint64_t at, uint64_t text_at, const std::string& text) {
    mem.poke_u64(at, text.size()); // cap
    mem.poke_u64(at + 8, text_at);
    mem.poke_u64(at + 16, text.size());
}

FakeMemory cannot_unwind_memory() {
    FakeMemory mem;
    mem.block(k_heap, 0x1000);
    // A freed exception: the allocator's free-list links took its header.
    put_exception(mem, k_heap + 0x10, k_callback_sp, k_heap + 0x300);
    mem.poke_u64(k_heap + 0x10, 0x5555'1000'a800);
    mem.poke_u64(k_heap + 0x18, 0x1234);
    // The first panic of a double panic, still unwinding towards app::main's catch.
    put_exception(mem, k_heap + 0x100, k_main_sp, k_heap + 0x340);
    // The one app::callback's landing pad took.
    put_exception(mem, k_heap + 0x200, k_callback_sp, k_heap + 0x300);
    put_string(mem, k_heap + 0x300, k_heap + 0x400, "callback got 5");
    put_string(mem, k_heap + 0x340, k_heap + 0x440, "the outer panic");
    auto text = [&](uint64_t at, std::string_view s) {
        for (size_t i = 0; i < s.size(); ++i) {
            uint64_t word = 0;
            for (size_t k = 0; k < 8 && i + k < s.size(); ++k)
                word |= uint64_t(uint8_t(s[i + k])) << (8 * k);
            if (i % 8 == 0) mem.poke_u64(at + i, word);
        }
    };
    text(k_heap + 0x400, "callback got 5");
    text(k_heap + 0x440, "the outer panic");
    mem.put(k_rodata, cat({le(0x1234, 8), le(24, 8), le(8, 8)}));
    // app::callback's code: `lea 0x...(%rip), %rdx` to its panic's Location, then a call.
    uint64_t location = k_rodata + 0x100;
    int32_t disp = int32_t(location - (k_code + 0x10 + 7));
    std::vector<uint8_t> code(0x40, 0xcc);
    std::vector<uint8_t> lea = cat({{0x48, 0x8d, 0x15}, le(uint32_t(disp), 4)});
    std::copy(lea.begin(), lea.end(), code.begin() + 0x10);
    mem.put(k_code, code);
    const std::string file = std::string("src/main.rs") + '\0';
    mem.put(location, cat({le(k_rodata + 0x200, 8), le(file.size(), 8), le(22, 4), le(9, 4)}));
    mem.put_text(k_rodata + 0x200, file);
    return mem;
}

TEST(Crash, CannotUnwindRecoversTheOriginalPanicFromTheException) {
    FakeMemory mem = cannot_unwind_memory();
    FakeQueries queries;
    bt::Backtrace bt = cannot_unwind_trace("core::panicking::panic_cannot_unwind");
    Classification c = classify(
        {.stop = signal(6, "SIGABRT"), .backtrace = &bt, .memory = &mem, .process = &queries});
    EXPECT_EQ(c.kind, Kind::PanicCannotUnwind);
    ASSERT_TRUE(c.original);
    EXPECT_EQ(c.original->message, "callback got 5") << c.original->missing;
    ASSERT_TRUE(c.original->location);
    EXPECT_EQ(c.original->location->file, "src/main.rs");
    EXPECT_EQ(c.original->location->line, 22u);
    EXPECT_EQ(c.original->location->column, 9u);
    EXPECT_EQ(c.original->location_source, "code");
    EXPECT_EQ(c.original->missing, "");
    EXPECT_TRUE(c.headline.starts_with("Rust panic could not unwind at src/main.rs:22:9: "
                                       "callback got 5 (then aborted at main.rs:20:5"))
        << c.headline;
    EXPECT_EQ(to_json(c)["original_panic"]["message"], "callback got 5");
}

// fuzz_crash: a heap that repeats an exception object's bytes made the scan keep every copy
// (up to 8 million in its 64 MiB); only the nearest is kept now, and it is still the right one.
TEST(Crash, ExceptionObjectsRepeatedThroughTheHeapKeepTheNearest) {
    FakeMemory mem = cannot_unwind_memory();
    for (uint64_t at = k_heap + 0x500; at + 0x40 <= k_heap + 0x1000; at += 0x40)
        put_exception(mem, at, k_main_sp, k_heap + 0x340);
    FakeQueries queries;
    bt::Backtrace bt = cannot_unwind_trace("core::panicking::panic_cannot_unwind");
    Classification c = classify(
        {.stop = signal(6, "SIGABRT"), .backtrace = &bt, .memory = &mem, .process = &queries});
    ASSERT_TRUE(c.original);
    EXPECT_EQ(c.original->message, "callback got 5") << c.original->missing;
}

TEST(Crash, PanicInCleanupTakesTheNearestExceptionAndTheFrameLine) {
    FakeMemory mem = cannot_unwind_memory();
    FakeQueries queries;
    // The landing pad that took the exception is further out: the callback's own exception is
    // gone and only the outer panic's remains.
    mem.poke_u64(k_heap + 0x200, 0);
    bt::Backtrace bt = cannot_unwind_trace("core::panicking::panic_in_cleanup");
    Classification c = classify(
        {.stop = signal(6, "SIGABRT"), .backtrace = &bt, .memory = &mem, .process = &queries});
    ASSERT_TRUE(c.original);
    EXPECT_EQ(c.original->message, "the outer panic");
    ASSERT_TRUE(c.original->location);
    EXPECT_EQ(c.original->location->line, 20u);
    EXPECT_EQ(c.original->location_source, "frame");
    EXPECT_EQ(c.original->missing,
              "the panic came from a destructor that app::callback's cleanup called; the "
              "location is the line of the frame that could not unwind");
}

TEST(Crash, NoExceptionObjectIsSaidAndAnUnwindingPanicHasNoOriginal) {
    FakeMemory mem = cannot_unwind_memory();
    mem.poke_u64(k_heap + 0x100, 0);
    mem.poke_u64(k_heap + 0x200, 0);
    FakeQueries queries;
    bt::Backtrace bt = cannot_unwind_trace("core::panicking::panic_cannot_unwind");
    Classification c = classify(
        {.stop = signal(6, "SIGABRT"), .backtrace = &bt, .memory = &mem, .process = &queries});
    ASSERT_TRUE(c.original);
    EXPECT_FALSE(c.original->message);
    EXPECT_EQ(c.original->missing,
              "no panic_unwind exception object (class MOZ\\0RUST) whose landing pad is at or "
              "above app::callback in 4 KiB of heap");
    // An ordinary panic: no original, whatever the heap holds.
    bt::Backtrace plain = abort_panic_trace(k_stack, k_stack + 0x100);
    c = classify(
        {.stop = signal(6, "SIGABRT"), .backtrace = &plain, .memory = &mem, .process = &queries});
    EXPECT_EQ(c.kind, Kind::RustPanic);
    EXPECT_FALSE(c.original);
    EXPECT_EQ(to_json(c)["original_panic"], nullptr);
}

} // namespace
} // namespace seam::crash
