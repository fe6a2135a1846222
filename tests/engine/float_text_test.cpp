// Float text against rustc itself: the build compiles tests/engine/float_text_oracle.rs with
// the configured rustc, which prints a seeded stream of values with their `{:?}` and `{}`; every
// line must match debug_f64/display_f64 (debug_f32/display_f32) byte for byte.
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include <charconv>
#include <gtest/gtest.h>

#include "formatters/render/render.h"

namespace seam {
namespace {

// The significant digits of a float text (`-1.25e-5`, `0.00125`, `1250.0` all give "125").
std::string significant(std::string_view text) {
    std::string d;
    for (char c : text.substr(0, text.find('e')))
        if (c >= '0' && c <= '9') d += c;
    size_t first = d.find_first_not_of('0');
    if (first == std::string::npos) return "0";
    d.erase(0, first);
    while (d.size() > 1 && d.back() == '0') d.pop_back();
    return d;
}

struct Tally {
    uint64_t values = 0;
    uint64_t debug_exact = 0;
    uint64_t display_exact = 0;
    uint64_t ties = 0; ///< values whose Rust digits differ from std::to_chars' shortest digits
    std::string first_failures;
    unsigned failures_shown = 0;
};

template <typename F, typename Bits>
void compare_with_rustc(const char* type, uint64_t seed, uint64_t count, Tally& t,
                        std::string (*debug)(F), std::string (*display)(F)) {
    std::string cmd = std::string(SEAM_FLOAT_TEXT_ORACLE) + " " + type + " " +
                      std::to_string(seed) + " " + std::to_string(count);
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(cmd.c_str(), "r"), ::pclose);
    ASSERT_TRUE(pipe) << cmd;
    char* line = nullptr;
    size_t cap = 0;
    ssize_t n = 0;
    while ((n = ::getline(&line, &cap, pipe.get())) > 0) {
        std::string_view l(line, size_t(n));
        if (l.back() == '\n') l.remove_suffix(1);
        size_t a = l.find(' '), b = l.find(' ', a + 1);
        if (a == l.npos || b == l.npos) {
            ADD_FAILURE() << "oracle line: " << l;
            break;
        }
        uint64_t raw = 0;
        std::from_chars(l.data(), l.data() + a, raw, 16);
        F v = std::bit_cast<F>(Bits(raw));
        std::string_view want_debug = l.substr(a + 1, b - a - 1), want_display = l.substr(b + 1);
        std::string got_debug = debug(v), got_display = display(v);
        ++t.values;
        t.debug_exact += got_debug == want_debug;
        t.display_exact += got_display == want_display;
        if (std::isfinite(v) && v != 0) {
            char buf[64];
            auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
            t.ties += significant({buf, size_t(r.ptr - buf)}) != significant(want_debug);
        }
        if ((got_debug != want_debug || got_display != want_display) && t.failures_shown++ < 10) {
            std::ostringstream s;
            s << std::hex << "bits 0x" << raw << ": rustc " << want_debug << " / " << want_display
              << ", seam " << got_debug << " / " << got_display << "\n";
            t.first_failures += s.str();
        }
    }
    std::free(line);
}

void report(const char* type, const Tally& t, uint64_t count) {
    std::printf("%s: %llu values from rustc, Debug exact %llu, Display exact %llu; %llu of them "
                "exact ties that std::to_chars rounds the other way\n",
                type, (unsigned long long)t.values, (unsigned long long)t.debug_exact,
                (unsigned long long)t.display_exact, (unsigned long long)t.ties);
    EXPECT_EQ(t.values, count) << "the oracle stopped early";
    EXPECT_EQ(t.debug_exact, t.values) << t.first_failures;
    EXPECT_EQ(t.display_exact, t.values) << t.first_failures;
    // The stream is built to hold ties (float_text_oracle.rs, tie()): 3 values in 16 are
    // constructed ties, and in about a third of them to_chars' even digit is the lower one
    // (with the seeds below: 34990 of the f64, 13532 of the f32, rustc 1.95 and 1.63 alike).
    EXPECT_GT(t.ties, count / 100);
}

constexpr uint64_t kCount = 1000000;

TEST(FloatText, F64DebugAndDisplayMatchRustcOnAMillionSeededValues) {
    Tally t;
    compare_with_rustc<double, uint64_t>("f64", 0x5EA3F64, kCount, t, debug_f64, display_f64);
    report("f64", t, kCount);
}

TEST(FloatText, F32DebugAndDisplayMatchRustcOnAMillionSeededValues) {
    Tally t;
    compare_with_rustc<float, uint32_t>("f32", 0x5EA3F32, kCount, t, debug_f32, display_f32);
    report("f32", t, kCount);
}

// The value of the report (issue 13): exactly ...448.25, halfway between the two shortest
// candidates; Rust rounds the tie up, std::to_chars to the even digit.
TEST(FloatText, ExactTiesRoundUpAsRustDoes) {
    EXPECT_EQ(debug_f64(-1130608537202448.25), "-1130608537202448.3");
    EXPECT_EQ(display_f64(-1130608537202448.25), "-1130608537202448.3");
    // 2^-25 = 2.98023223876953125e-8: the interval is lopsided (a power of two) and still holds
    // both neighbours.
    EXPECT_EQ(debug_f64(std::ldexp(1.0, -25)), "2.9802322387695313e-8");
    EXPECT_EQ(debug_f32(std::bit_cast<float>(0xCA3AAFADu)), "-3058667.3"); // -3058667.25
    EXPECT_EQ(debug_f32(std::bit_cast<float>(0x4B000001u)), "8388609.0");  // exact, no tie
    EXPECT_EQ(display_f64(-0.0), "-0");
    EXPECT_EQ(debug_f64(-0.0), "-0.0");
    EXPECT_EQ(display_f32(1e16f), "10000000000000000");
}

} // namespace
} // namespace seam
