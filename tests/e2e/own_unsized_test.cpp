// `seam own` names an unsized slice's allocation as the array it holds, with the element type and
// length its summary gives (`strong=2 weak=0 → [10, 20, 30]` shares an `ArcInner<[u32; 3]>`), as
// it names a sized one's (`Arc<[String; 2]>` shares an `ArcInner<[String; 2]>`). Before, the node
// carried its owner's name, `Arc<[u32]>`, with no length. Every such allocation gives its size in
// bytes, as a sized one does: an `Rc<str>`'s is how its text's length shows. std's Rc, Arc and Box
// over tests/fixtures/pointers.rs and arrays.rs, at -O0 and -O2; the kernel crate's Arc and KBox in
// kernel_frame_variable_test.cpp (KernelFrameVariable.UnsizedArcAndBox).
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "tests/e2e/fixture_launch.h"
#include "tests/e2e/session.h"

namespace seam::e2e {
namespace {

// std renamed the allocation behind an Rc from RcBox to RcInner in Rust 1.84.
std::string normalised(const std::string& text) {
    static const std::regex address("0x[0-9a-f]+"), rc_box("RcBox<");
    return std::regex_replace(std::regex_replace(text, address, "0x…"), rc_box, "RcInner<");
}

// The graph's line for the node `variable` points at (`  variable → nN ...`).
std::string node_of(const std::string& graph, const std::string& variable) {
    std::smatch m;
    if (!std::regex_search(graph, m, std::regex("\n  " + variable + " → (n\\d+) ")))
        return "<no edge from " + variable + ">";
    const std::string head = "\n" + m[1].str() + " ";
    size_t at = graph.find(head);
    if (at == std::string::npos) return "<no node " + m[1].str() + ">";
    size_t end = graph.find('\n', at + 1);
    return normalised(graph.substr(at + 1, end - at - 1));
}

// `seam own`'s graph in frame 1 at `fixture`'s probe whose frame holds `variable`.
Result<std::string> graph_at(const std::string& fixture, const std::string& variable) {
    auto launched = launched_at(fixture, "own-unsized-", variable);
    if (!launched) return launched.error();
    Session& s = *launched->session;
    if (!s.run("frame select 1").ok) return err("{}: no frame 1", fixture);
    return s.run("seam own").output;
}

class OwnUnsized : public testing::TestWithParam<std::string> {};

TEST_P(OwnUnsized, SliceAllocationsAreNamedByElementAndLength) {
    auto shown = graph_at("pointers-" + GetParam(), "arc_u32");
    ASSERT_TRUE(shown) << shown.error().message;
    const std::string& graph = *shown;
    const std::pair<const char*, const char*> expected[] = {
        // The two counts (16 bytes), the elements, padded to the counts' 8-byte alignment.
        {"arc_u32", "allocation ArcInner<[u32; 3]> at 0x…, 32 bytes, strong 2 weak 0"},
        {"arc_empty", "allocation ArcInner<[u32; 0]> at 0x…, 16 bytes, strong 1 weak 0"},
        {"rc_points", "allocation RcInner<[Point; 2]> at 0x…, 32 bytes, strong 1 weak 0"},
        {"rc_strings", "allocation RcInner<[String; 2]> at 0x…, 64 bytes, strong 1 weak 0"},
        {"arc_u8", "allocation ArcInner<[u8; 5]> at 0x…, 24 bytes, strong 1 weak 0"},
        // A str has no sized twin to be named by: its byte length shows in the size.
        {"rc_s", "allocation RcInner<str> at 0x…, 40 bytes, strong 2 weak 0"},       // 17 bytes
        {"rc_s_empty", "allocation RcInner<str> at 0x…, 16 bytes, strong 1 weak 0"}, // 0
        {"rc_s_quote", "allocation RcInner<str> at 0x…, 32 bytes, strong 1 weak 0"}, // 15
        {"arc_s", "allocation ArcInner<str> at 0x…, 24 bytes, strong 1 weak 0"},     // 7
    };
    for (const auto& [variable, line] : expected) {
        // -O2 may keep a local in a register the probe clobbers: it is then no root.
        if (GetParam() == "O2" && graph.find("\n  " + std::string(variable) + " → ") == graph.npos)
            continue;
        const std::string node = node_of(graph, variable);
        EXPECT_EQ(node.substr(node.find(' ') + 1), line) << variable << " in\n" << graph;
    }
}

TEST_P(OwnUnsized, BoxedSliceIsNamedByElementAndLength) {
    auto shown = graph_at("arrays-" + GetParam(), "in_box_slice");
    ASSERT_TRUE(shown) << shown.error().message;
    const std::string& graph = *shown;
    if (GetParam() == "O2" && graph.find("\n  in_box_slice → ") == graph.npos)
        GTEST_SKIP() << "rustc -O2 keeps in_box_slice in a register the probe clobbers";
    const std::string node = node_of(graph, "in_box_slice");
    EXPECT_EQ(node.substr(node.find(' ') + 1), "allocation [[u8; 2]; 2] at 0x…, 4 bytes") << graph;
}

INSTANTIATE_TEST_SUITE_P(Levels, OwnUnsized, testing::Values("O0", "O2"));

} // namespace
} // namespace seam::e2e
