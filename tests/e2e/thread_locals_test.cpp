// Thread-locals as roots of the ownership graph (tests/fixtures/thread_locals.rs/.c): every
// thread's own copy of the executable's Rust `thread_local!`s and C `__thread` variables, read
// from its TLS block, owns what its value owns; `seam own PATH` names a thread-local as what keeps
// a value alive. Live and from a core (whose thread pointers LLDB 19 reads wrong: seam finds
// them in memory), at -O0 and -O2.
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "tests/e2e/fixture_launch.h"
#include "tests/e2e/session.h"

namespace seam::e2e {
namespace {

void expect_match(const std::string& text, const std::string& pattern, const std::string& where) {
    EXPECT_TRUE(std::regex_search(text, std::regex(pattern))) << where << ": no match for\n"
                                                              << pattern << "\nin\n"
                                                              << text;
}

void check_roots(Session& s, const std::string& where) {
    CommandOutput graph = s.run("seam own --process");
    ASSERT_TRUE(graph.ok) << where << ": " << graph.text();
    // The main thread's copies (the selected thread's roots carry no thread prefix), then the
    // worker's: each owns its own Vec of Strings.
    expect_match(graph.output,
                 R"(\n(n\d+) thread-local thread_locals::NAMES, \d+ bytes\n)"
                 R"(  thread_locals::NAMES\S* → n\d+ owns \(Vec\)\n)",
                 where);
    expect_match(graph.output,
                 R"(\nn\d+ thread-local thread #\d+ thread_locals::NAMES, \d+ bytes\n)"
                 R"(  thread_locals::NAMES\S* → n\d+ owns \(Vec\)\n)",
                 where);
    expect_match(graph.output, R"(\nn\d+ thread-local thread_locals::HITS, 8 bytes\n)", where);
    expect_match(graph.output, R"(\nn\d+ thread-local c_hits, 4 bytes\n)", where);
    expect_match(graph.output, R"(\nn\d+ thread-local thread #\d+ c_hits, 4 bytes\n)", where);
    EXPECT_EQ(graph.output.find("thread-locals: the thread pointer is not known"),
              std::string::npos)
        << where;

    CommandOutput why = s.run("seam own *first");
    ASSERT_TRUE(why.ok) << where << ": " << why.text();
    expect_match(why.output,
                 R"(^\(String\) \*first = "alpha" \[owned 0x[0-9a-f]+ size=5 len=5 cap=5\]\n)"
                 R"(allocation: 0x[0-9a-f]+ String \(5 bytes\)\n(.*\n)*why alive:\n)"
                 R"(  thread-local thread_locals::NAMES: thread_locals::NAMES\S* \(Vec\) → )"
                 R"(\[0\] \(String\) → String at 0x[0-9a-f]+\n)",
                 where);
}

class ThreadLocals : public testing::TestWithParam<std::string> {};

TEST_P(ThreadLocals, AreRootsLiveAndInACore) {
    check_live_and_core("thread_locals-" + GetParam(), "tls-" + GetParam(), check_roots);
}

INSTANTIATE_TEST_SUITE_P(Levels, ThreadLocals, testing::Values("O0", "O2"));

} // namespace
} // namespace seam::e2e
