// A panic stopped in a #[panic_handler] with no std hook (the Linux kernel's rust_begin_unwind,
// a #![no_std] program's handler): the message is still core's unformatted fmt::Arguments,
// found through core's PanicInfo on the stack. The types and the formatter function come from a
// small program compiled here (its DWARF gives PanicInfo, Arguments, Location and rt::Argument
// as the configured rustc lays them out); the memory is hand-built in those layouts.
#include <algorithm>
#include <cstring>

#include <gtest/gtest.h>

#include "formatters/crash/crash.h"
#include "formatters/dwarf/debug_info.h"
#include "tests/engine/dwarf_test_support.h"
#include "tests/engine/fake_target.h"

namespace seam::crash {
namespace {

using fake_target::cat;
using fake_target::FakeMemory;
using fake_target::le;

// `fmt::Display for u32` under a module named `fmt`: a formatter with DWARF (its `self: &u32`)
// whose legacy-mangled name spells `fmt..Display`, as core's own integer formatters do in a
// kernel built with core's debug info. std's, from rustup, have no variables to read.
constexpr const char* kSource = R"(
mod fmt {
    pub trait Display {
        fn fmt(&self) -> u32;
    }
    impl Display for u32 {
        #[inline(never)]
        fn fmt(&self) -> u32 { *self + 1 }
    }
}
// An argument type with a derived Debug (its formatter has DWARF: `self: &Config`) and a
// Display of its own that seam cannot know.
#[derive(Debug)]
pub struct Config {
    id: u32,
    name: &'static str,
}
impl std::fmt::Display for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "config {}", self.id)
    }
}
#[inline(never)]
pub fn handler(info: &core::panic::PanicInfo<'_>) -> usize { info as *const _ as usize }
fn main() {
    let x: u32 = std::hint::black_box(3);
    println!("{} {}", fmt::Display::fmt(&x), format_args!("{}", x));
    let c = std::hint::black_box(Config { id: 7, name: "seven" });
    println!("{:?} {} {:p}", c, c, &c);
    println!("{}", handler as fn(&core::panic::PanicInfo<'_>) -> usize as usize);
}
)";

struct Program {
    std::string binary, error;
    std::unique_ptr<DebugInfo> info;
    uint64_t formatter = 0;
    uint64_t config_debug = 0, config_display = 0; ///< Config's Debug and Display formatters
};

const Program& program() {
    static Program p = [] {
        Program p;
        p.binary =
            dwarf_test::build_fixture("panic_info", "rs", kSource, "-g -C opt-level=0", p.error);
        if (p.binary.empty()) return p;
        auto info = DebugInfo::open(p.binary, 0);
        if (!info) {
            p.error = info.error().message;
            return p;
        }
        p.info = std::move(*info);
        if (auto s = dwarf_test::nm_symbol(p.binary, "fmt..Display$GT$3fmt"))
            p.formatter = s->address;
        if (auto s = dwarf_test::nm_symbol(p.binary, "Config$u20$as$u20$core..fmt..Debug$GT$3fmt"))
            p.config_debug = s->address;
        if (auto s =
                dwarf_test::nm_symbol(p.binary, "Config$u20$as$u20$core..fmt..Display$GT$3fmt"))
            p.config_display = s->address;
        return p;
    }();
    return p;
}

bt::RawFrame frame(std::string name, Lang lang, std::string file, uint32_t line) {
    bt::RawFrame f;
    f.function = std::move(name);
    f.symbol = f.function;
    f.dwarf_lang = lang;
    f.module = "vmlinux";
    f.file = std::move(file);
    f.line = line;
    f.column = 5;
    return f;
}

constexpr uint64_t k_stack = 0xffff'c900'0000'b000, k_rodata = 0xffff'ffff'8160'0000;

// The kernel's panic: rust_helper_BUG (C) <- kernel::panic (the handler) <- core's panic_fmt,
// which built the PanicInfo in its frame <- the sample that panicked, at main.rs:12.
bt::Backtrace kernel_panic_trace() {
    std::vector<bt::RawFrame> f = {
        frame("rust_helper_BUG", Lang::C, "bug.c", 7),
        frame("kernel::panic", Lang::Rust, "lib.rs", 119),
        frame("core::panicking::panic_fmt", Lang::Rust, "panicking.rs", 80),
        frame("app::run", Lang::Rust, "main.rs", 12)};
    f[0].sp = k_stack;
    f[3].cfa = k_stack + 0x100;
    bt::RawThread t;
    for (size_t i = 0; i < f.size(); ++i) f[i].index = uint32_t(i);
    t.frames = std::move(f);
    return bt::classify(std::move(t));
}

// Bytes written into the one page of read-only data (a block of its own, so that a read of the
// template runs on to the page's end, as in a real mapping).
void rodata(FakeMemory& mem, uint64_t offset, const std::vector<uint8_t>& bytes) {
    std::vector<uint8_t> page(0x1000, 0);
    for (uint64_t a = 0; a < page.size(); a += 8) {
        std::vector<std::byte> word(8);
        if (mem.read(k_rodata + a, word)) std::memcpy(page.data() + a, word.data(), 8);
    }
    std::copy(bytes.begin(), bytes.end(), page.begin() + offset);
    mem.put(k_rodata, page);
}

std::vector<uint8_t> text(std::string_view s) {
    return {s.begin(), s.end()};
}

// PanicInfo { message: &Arguments, location: &Location, .. } at k_stack + 0x40 (message first,
// as both rustc 1.95 and 1.96 order them), the Arguments at k_stack + 0x80, the Location and
// the texts in read-only data.
FakeMemory panic_memory(uint64_t templ, uint64_t args) {
    FakeMemory mem;
    mem.log_reads = false;
    mem.put(k_stack, std::vector<uint8_t>(0x100, 0));
    mem.poke_u64(k_stack + 0x40, k_stack + 0x80);
    mem.poke_u64(k_stack + 0x48, k_rodata + 0x100);
    mem.poke_u64(k_stack + 0x80, templ);
    mem.poke_u64(k_stack + 0x88, args);
    const std::string file = "src/main.rs";
    rodata(mem, 0x100, cat({le(k_rodata + 0x200, 8), le(file.size(), 8), le(12, 4), le(5, 4)}));
    rodata(mem, 0x200, text(file));
    return mem;
}

Classification classify_stop(FakeMemory& mem, const bt::Backtrace& bt) {
    StopFacts s;
    s.description = "breakpoint 1.1";
    return classify(
        {.stop = s, .backtrace = &bt, .memory = &mem, .debug_info = program().info.get()});
}

// The memory below is hand-built in the template form of fmt::Arguments (rustc 1.95 and 1.96,
// the kernel's). An older rustc's DWARF gives `Arguments { pieces, fmt, args }`, which seam reads
// from a real program's memory (formatters/crash/crash_fmt_arguments.cpp) but which this memory
// does not match.
bool template_form(const Program& p) {
    const Type* args = p.info->find_type("core::fmt::Arguments");
    return args && !find_field(args, "pieces");
}

TEST(CrashPanicInfo, LiteralMessageAndLocation) {
    const Program& p = program();
    ASSERT_TRUE(p.info) << p.error;
    if (!template_form(p)) GTEST_SKIP() << "this rustc's fmt::Arguments has pieces, not a template";
    // `panic!("boom")`: the literal form, `len << 1 | 1` beside the text's pointer.
    FakeMemory mem = panic_memory(k_rodata + 0x300, (4 << 1) | 1);
    rodata(mem, 0x300, text("boom"));
    bt::Backtrace bt = kernel_panic_trace();
    Classification c = classify_stop(mem, bt);
    EXPECT_EQ(c.kind, Kind::RustPanic);
    ASSERT_TRUE(c.panic);
    EXPECT_EQ(c.headline, "Rust panic at src/main.rs:12:5: boom");
    EXPECT_EQ(c.panic->missing, "");
    EXPECT_EQ(c.culprit_frame, 3u);
}

TEST(CrashPanicInfo, TemplateWithAnIntegerArgument) {
    const Program& p = program();
    ASSERT_TRUE(p.info) << p.error;
    if (!template_form(p)) GTEST_SKIP() << "this rustc's fmt::Arguments has pieces, not a template";
    ASSERT_NE(p.formatter, 0u) << "no fmt::Display formatter in " << p.binary;
    // `panic!("count {} now", 41)`: pieces and a placeholder in the template's byte code, the
    // argument an rt::Argument { value: &u32, formatter }.
    FakeMemory mem = panic_memory(k_rodata + 0x400, k_stack + 0xc0);
    rodata(mem, 0x400, cat({{6}, text("count "), {0xc0}, {4}, text(" now"), {0}}));
    mem.poke_u64(k_stack + 0xc0, k_stack + 0xe0);
    mem.poke_u64(k_stack + 0xc8, p.formatter);
    mem.put(k_stack + 0xe0, le(41, 4));
    bt::Backtrace bt = kernel_panic_trace();
    Classification c = classify_stop(mem, bt);
    ASSERT_TRUE(c.panic);
    EXPECT_EQ(c.headline, "Rust panic at src/main.rs:12:5: count 41 now") << c.panic->missing;
    // A formatter with no DWARF (std's, from rustup) is said, not guessed.
    mem.poke_u64(k_stack + 0xc8, 0x1234);
    c = classify_stop(mem, bt);
    ASSERT_TRUE(c.panic);
    EXPECT_EQ(c.panic->message, "count {argument 0} now");
    EXPECT_EQ(c.panic->missing, "argument 0 not formatted: a formatter at 0x1234 with no DWARF");
    // A template that is no template: the message is not made up.
    rodata(mem, 0x400, std::vector<uint8_t>(64, 0x9f));
    c = classify_stop(mem, bt);
    ASSERT_TRUE(c.panic);
    EXPECT_FALSE(c.panic->message);
    EXPECT_EQ(c.panic->location_source, "frame");
}

// `panic!("bad {:?} ({})", config, config)`: an argument of a type with no formatter of seam's
// own is formatted from its DWARF by the engine, as `seam print --debug` writes it; its own
// Display, which no memory says, is marked and said.
TEST(CrashPanicInfo, TemplateWithAStructArgument) {
    const Program& p = program();
    ASSERT_TRUE(p.info) << p.error;
    if (!template_form(p)) GTEST_SKIP() << "this rustc's fmt::Arguments has pieces, not a template";
    ASSERT_NE(p.config_debug, 0u) << "no <Config as Debug>::fmt in " << p.binary;
    ASSERT_NE(p.config_display, 0u) << "no <Config as Display>::fmt in " << p.binary;
    const Type* config = strip(p.info->find_type("panic_info::Config"));
    ASSERT_TRUE(config);
    const Field* id = find_field(config, "id");
    const Field* name = find_field(config, "name");
    ASSERT_TRUE(id && name);
    FakeMemory mem = panic_memory(k_rodata + 0x400, k_stack + 0xc0);
    rodata(mem, 0x400,
           cat({{4}, text("bad "), {0xc0}, {2}, text(" ("), {0xc0}, {1}, text(")"), {0}}));
    rodata(mem, 0x500, text("seven"));
    // Two rt::Arguments (value, formatter), then the Config they both point at.
    mem.poke_u64(k_stack + 0xc0, k_stack + 0xe0);
    mem.poke_u64(k_stack + 0xc8, p.config_debug);
    mem.poke_u64(k_stack + 0xd0, k_stack + 0xe0);
    mem.poke_u64(k_stack + 0xd8, p.config_display);
    // Into the stack's block (FakeMemory reads no value across two blocks): the u32 and the
    // padding after it.
    mem.poke_u64(k_stack + 0xe0 + id->offset, 7);
    mem.poke_u64(k_stack + 0xe0 + name->offset, k_rodata + 0x500);
    mem.poke_u64(k_stack + 0xe0 + name->offset + 8, 5);
    bt::Backtrace bt = kernel_panic_trace();
    Classification c = classify_stop(mem, bt);
    ASSERT_TRUE(c.panic);
    EXPECT_EQ(c.panic->message, "bad Config { id: 7, name: \"seven\" } ({argument 1})");
    EXPECT_EQ(c.panic->missing,
              "argument 1 not formatted: <panic_info::Config as core::fmt::Display>::fmt "
              "(Config): seam knows no Display of Config");
}

} // namespace
} // namespace seam::crash
