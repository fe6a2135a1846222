// Statics located by DWARF 5's `DW_OP_addrx` (tests/fixtures/dwarf5_statics.rs/.c): the C half
// built by clang 19 with -gdwarf-5, as the kernel's C units are, the Rust half with
// `-C dwarf-version=5` where rustc has it. Each static holding what Rust gave away, or a Box of
// its own, is a root of `seam own --process`, and `seam own PATH` names it in the chain that
// keeps the value alive. Before, only Rust units' DW_OP_addrx statics were read: C's were no
// roots, and a Box only C held had no chain at all. Live and from a core, at -O0 and -O2.
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "tests/e2e/fixture_launch.h"
#include "tests/e2e/session.h"

namespace seam::e2e {
namespace {

std::string normalised(const std::string& text) {
    static const std::regex address("0x[0-9a-f]+");
    return std::regex_replace(text, address, "0x…");
}

// The part of `seam own PATH` from "why alive:" up to the findings that follow it.
std::string why_alive(const std::string& text) {
    size_t from = text.find("why alive:\n");
    if (from == std::string::npos) return "<no why alive in>\n" + text;
    size_t to = text.find("crossing: ", from);
    return normalised(text.substr(from, to == std::string::npos ? to : to - from));
}

void check_roots(Session& s, const std::string& where) {
    SCOPED_TRACE(where);
    CommandOutput graph = s.run("seam own --process");
    ASSERT_TRUE(graph.ok) << graph.text();
    const std::string g = normalised(graph.output);
    for (const char* lines :
         {"n\\d+ static c_keeper, 16 bytes\n  c_keeper.kept → n\\d+ crossing \\(crossing, void "
          "\\*\\)\n",
          "n\\d+ static c_kept_arc, 8 bytes\n  c_kept_arc → n\\d+ crossing \\(crossing, void "
          "\\*\\) at 0x…\n",
          "n\\d+ static dwarf5_statics::RUST_KEPT, 8 bytes\n  dwarf5_statics::RUST_KEPT.0 → "
          "n\\d+ owns \\(Box\\)\n"})
        EXPECT_TRUE(std::regex_search(g, std::regex(std::string("\n") + lines)))
            << "no match for\n"
            << lines << "\nin\n"
            << g;

    EXPECT_EQ(why_alive(s.run("seam own *given").output),
              "why alive:\n"
              "  static c_keeper: c_keeper.kept (crossing, void *) → Payload at 0x…\n");
    EXPECT_EQ(why_alive(s.run("seam own shared").output),
              "why alive:\n"
              "  frame #1 dwarf5_statics::statics: shared (Arc strong 2) → ArcInner<Payload> at "
              "0x…\n"
              "  static c_kept_arc: c_kept_arc (crossing, void *) → ArcInner<Payload> at 0x…\n");
    EXPECT_EQ(why_alive(s.run("seam own *kept").output),
              "why alive:\n"
              "  static dwarf5_statics::RUST_KEPT: dwarf5_statics::RUST_KEPT.0 (Box) → Payload "
              "at 0x…\n");
}

class Dwarf5Statics : public testing::TestWithParam<std::string> {};

TEST_P(Dwarf5Statics, AreRootsLiveAndInACore) {
    check_live_and_core("dwarf5_statics-" + GetParam(), "dwarf5-" + GetParam(), check_roots);
}

INSTANTIATE_TEST_SUITE_P(Levels, Dwarf5Statics, testing::Values("O0", "O2"));

} // namespace
} // namespace seam::e2e
