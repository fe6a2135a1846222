// The message of a panic handed to a #[panic_handler] (the Linux kernel's rust_begin_unwind) is
// still core's unformatted fmt::Arguments: seam formats it from memory. Here a real program
// builds one with arguments of many types, none of which has a formatter of seam's own in the
// crash reader: a struct and an enum with derived Debug, a String and a &str (Display), a char
// (Debug), an integer and a pointer (`{:p}`); it writes what Display of the Arguments gives (the
// oracle) and waits while the test reads its memory. The formatters come from the user's crate
// (DWARF with `self`) or from std's, which rustup ships without variables: their names give
// the type.
#include <cstdlib>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "formatters/crash/crash_internal.h"
#include "formatters/dwarf/debug_info.h"
#include "tests/engine/dwarf_test_support.h"
#include "tests/engine/live_process.h"

namespace seam::crash::detail {
namespace {

// The oracle both programs share: `hold` writes the Arguments as the program formats them,
// prints their address and waits while the test reads them.
constexpr const char* kHold = R"(
#[inline(never)]
fn hold(args: std::fmt::Arguments) {
    let oracle = std::env::var("SEAM_ORACLE").unwrap();
    std::fs::write(oracle, format!("{}", args)).unwrap();
    println!("args {:#x}", &args as *const _ as usize);
    println!("ready");
    std::io::stdout().flush().unwrap();
    let mut rest = Vec::new();
    std::io::stdin().read_to_end(&mut rest).unwrap();
}
)";

const std::string kSource = R"(
use std::io::{Read, Write};

#[allow(dead_code)]
#[derive(Debug)]
struct Slot {
    index: usize,
    owner: &'static str,
    tags: Vec<u8>,
}

#[allow(dead_code)]
#[derive(Debug)]
enum Mode {
    Fast,
    Slow(u32),
}
)" + std::string(kHold) + R"(
fn main() {
    let slot = Slot { index: 5, owner: "seam", tags: vec![1, 2] };
    let mode = Mode::Slow(std::env::args().count() as u32 + 2);
    let name = String::from("kernel \"sample\"");
    let text = "plain";
    let c = if std::env::args().count() > 5 { 'x' } else { '\u{e9}' };
    let n = 41u8 + std::env::args().count() as u8;
    let r = &slot.index;
    let neg = -(n as i64) * 1000;
    let x = 2.0f64 / 3.0 + n as f64;
    let small = 0.1f32 * n as f32;
    let yes = n > 3;
    let w = 7usize + std::env::args().count() - 1;
    if std::env::var_os("SEAM_ALTERNATE").is_some() {
        hold(format_args!("{:#?} {:#x} {:#b}", slot, n, n));
    } else if std::env::var_os("SEAM_PADDED").is_some() {
        // Every option core's Formatter applies to the types seam formats itself.
        hold(format_args!(
            "{:>8}|{:08.3}|{:<5}|{:^9}|{:*^9}|{:+}|{:+05}|{:05}|{:<6}|{:#010x}|{:#X}|{:8b}|{:x?}|{:#o}|\
             {:>12}|{:.3}|{:-<10.2}|{:>6}|{:^7}|{:é>4}|{:>5?}|{:10.1?}|{:+.2}|{:>w$}|{:.*}|\
             {:>20p}|{:8?}|{:e^6}|",
            n, x, n, name, text, n, neg, neg, yes, n, n, n, n, n,
            name, text, name, c, yes, c, text, x, small, n, 2, x, r, c, text,
        ));
    } else {
        hold(format_args!("{} gave up {:?} in {:?}: {} {} {:?} at {:p}", name, slot, mode, text, n, c, r));
    }
}
)";

// The program's own text of its fmt::Arguments and seam's from its memory; `alternate` asks for
// the message with `#` options.
struct Formatted {
    std::string oracle;
    std::optional<FormattedArguments> seam;
    std::string error;
};

Formatted format_live(bool alternate, bool padded = false, const std::string& source = kSource) {
    Formatted out;
    const std::string binary =
        dwarf_test::build_fixture("panic_arguments", "rs", source, "-g -C opt-level=0", out.error);
    if (binary.empty()) return out;
    const std::string oracle_path = binary + (alternate ? ".alternate"
                                              : padded  ? ".padded"
                                                        : ".oracle");
    ::setenv("SEAM_ORACLE", oracle_path.c_str(), 1);
    for (auto [name, set] : {std::pair{"SEAM_ALTERNATE", alternate}, {"SEAM_PADDED", padded}}) {
        if (set)
            ::setenv(name, "1", 1);
        else
            ::unsetenv(name);
    }
    live_test::LiveProcess proc;
    if (!proc.start(binary, out.error)) return out;
    auto info = DebugInfo::open(binary, proc.load_bias(binary));
    if (!info) {
        out.error = info.error().message;
        return out;
    }
    std::ifstream in(oracle_path);
    std::stringstream oracle;
    oracle << in.rdbuf();
    out.oracle = oracle.str();
    Reader reader(proc, 1 << 20);
    out.seam = read_arguments(reader, **info, proc.at("args"));
    return out;
}

TEST(PanicArgumentsLive, EveryArgumentFormattedAsTheProgramFormatsIt) {
    Formatted f = format_live(false);
    ASSERT_TRUE(f.error.empty()) << f.error;
    ASSERT_FALSE(f.oracle.empty());
    ASSERT_TRUE(f.seam) << "no fmt::Arguments where the program said";
    EXPECT_EQ(f.seam->text, f.oracle) << f.seam->missing;
    EXPECT_EQ(f.seam->missing, "");
}

// `{:#?}` pretty-prints, `{:#x}` and `{:#b}` prefix: the `#` flag of the placeholders, in the
// template (rustc 1.95 on) or in the placeholders' own fields (older Arguments, 1.63's).
TEST(PanicArgumentsLive, TheAlternateFlagIsApplied) {
    Formatted f = format_live(true);
    ASSERT_TRUE(f.error.empty()) << f.error;
    ASSERT_TRUE(f.seam) << "no fmt::Arguments where the program said";
    EXPECT_EQ(f.seam->text, f.oracle) << f.seam->missing;
    EXPECT_EQ(f.seam->missing, "");
}

// Fill, alignment, sign, `0`, width and precision, as core's Formatter applies them to integers
// (Display, hex, octal, binary, `{:x?}`), floats, bools, chars, strings and pointers, widths and
// precisions taken from arguments (`{:w$}`, `{:.*}`, `{:1$}`) too; str's and char's Debug take
// none; in the template (rustc 1.95 on) and in the older Arguments' placeholders alike (1.63's
// FormatSpec, read from its DWARF). Before, every option but `#` was left out.
TEST(PanicArgumentsLive, WidthFillPrecisionAndAlignmentAreApplied) {
    Formatted f = format_live(false, true);
    ASSERT_TRUE(f.error.empty()) << f.error;
    ASSERT_TRUE(f.seam) << "no fmt::Arguments where the program said";
    EXPECT_EQ(f.seam->text, f.oracle) << f.seam->missing;
    EXPECT_EQ(f.seam->missing, "");
}

// A seeded generator of placeholders: `count` of them, each a value of a type seam formats
// itself (integers, floats, bools, chars, strings, a pointer) under random options that type
// takes, in a program whose `hold` receives them all as one fmt::Arguments.
std::string generated_source(uint64_t seed, int count) {
    std::mt19937_64 rng(seed);
    auto pick = [&](size_t n) { return size_t(rng() % n); };
    struct Kind {
        const char* value;
        bool number, is_float, is_pointer;
        std::vector<const char*> traits; // the type letters after the options
    };
    const std::vector<Kind> kinds = {
        {"a", true, false, false, {"", "?", "x", "X", "o", "b", "x?", "X?"}},
        {"b", true, false, false, {"", "?", "x", "b"}},
        {"d", true, true, false, {"", "?"}},
        {"e", true, true, false, {"", "?"}},
        {"f", false, false, false, {"", "?"}},
        {"g", false, false, false, {"", "?"}},
        {"h", false, false, false, {"", "?"}},
        {"i", false, false, false, {"", "?"}},
        {"p", false, false, true, {"p"}},
    };
    const char* fills[] = {"", "*", "é", "-", "0"};
    const char* aligns[] = {"<", ">", "^"};
    std::string format, args;
    for (int k = 0; k < count; ++k) {
        const Kind& kind = kinds[pick(kinds.size())];
        std::string spec;
        if (pick(2)) spec += std::string(fills[pick(5)]) + aligns[pick(3)];
        if ((kind.number || kind.is_pointer) && pick(3) == 0) spec += "+";
        if (pick(3) == 0) spec += "#";
        if ((kind.number || kind.is_pointer) && pick(3) == 0) spec += "0";
        if (pick(3)) spec += std::to_string(pick(14));
        if ((kind.is_float || !kind.number) && !kind.is_pointer && pick(2))
            spec += "." + std::to_string(pick(6));
        spec += kind.traits[pick(kind.traits.size())];
        format += spec.empty() ? "{}|" : "{:" + spec + "}|";
        args += std::string(kind.value) + ", ";
    }
    return R"(
use std::io::{Read, Write};
)" + std::string(kHold) +
           R"(
fn main() {
    let n = std::env::args().count();
    let a = 41u8 + n as u8;
    let b = -(n as i64) * 123457;
    let d = 2.0f64 / 3.0 + n as f64;
    let e = -0.1f32 * n as f32;
    let f = n > 3;
    let g = if n > 5 { 'x' } else { '\u{e9}' };
    let h = "plain";
    let i = String::from("text \u{e9}!");
    let p = &a;
    hold(format_args!(")" +
           format + "\", " + args + R"());
}
)";
}

// Generated placeholders, each as the program itself formats it: four rounds of 48 from a fixed
// seed (SEAM_FMT_SEED=N runs another).
TEST(PanicArgumentsLive, GeneratedFormatOptionsAreAppliedAsRustAppliesThem) {
    uint64_t seed = 20261207;
    if (const char* env = std::getenv("SEAM_FMT_SEED")) seed = std::strtoull(env, nullptr, 10);
    for (uint64_t round = 0; round < 4; ++round) {
        SCOPED_TRACE(testing::Message() << "seed " << seed + round);
        const std::string source = generated_source(seed + round, 48);
        Formatted f = format_live(false, false, source);
        ASSERT_TRUE(f.error.empty()) << f.error << "\n" << source;
        ASSERT_TRUE(f.seam) << "no fmt::Arguments where the program said";
        EXPECT_EQ(f.seam->text, f.oracle) << f.seam->missing << "\n" << source;
        EXPECT_EQ(f.seam->missing, "");
    }
}

} // namespace
} // namespace seam::crash::detail
