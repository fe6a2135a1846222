// Thread-locals in the DWARF (DebugInfo::thread_locals): a Rust `thread_local!` (LLVM writes
// DW_OP_const8u + DW_OP_GNU_push_tls_address) and C `__thread` variables (GCC 12 writes
// DW_OP_form_tls_address), each at the offset its symbol has in the TLS segment, found alike by
// the fast unit scan and by the libdwarf walk.
#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/engine/dwarf_test_support.h"

namespace seam {
namespace {

constexpr const char* kRust = R"(
use std::cell::{Cell, RefCell};
thread_local! {
    static NAMES: RefCell<Vec<String>> = RefCell::new(Vec::new());
    static HITS: Cell<u64> = const { Cell::new(0) };
}
fn main() {
    NAMES.with(|n| n.borrow_mut().push(String::from("a")));
    HITS.with(|h| h.set(3));
}
)";

constexpr const char* kC = R"(
struct pair { long a, b; };
__thread int hits = 1;
__thread struct pair last;
static __thread char tag[3];
int main(void) { last.a = hits; return (int)last.b; }
)";

// Every thread-local DebugInfo finds, as `name@offset`, by the scan or by libdwarf.
std::vector<std::string> found(const std::string& bin, bool scan) {
    if (!scan) ::setenv("SEAM_DWARF_SCAN", "0", 1);
    auto info = DebugInfo::open(bin, 0);
    ::unsetenv("SEAM_DWARF_SCAN");
    std::vector<std::string> out;
    if (!info) return {"open failed: " + info.error().message};
    for (const ThreadLocalVariable& v : (*info)->thread_locals())
        out.push_back(v.name + "@" + std::to_string(v.offset) + ":" +
                      std::to_string(v.type ? v.type->size : 0));
    return out;
}

// `name@offset:size` of the thread-local symbol (STT_TLS: its value is its offset in the TLS
// segment) whose name is `part` or, mangled, holds it.
std::string at_symbol(const std::string& bin, const std::string& name, const std::string& part) {
    std::istringstream lines(dwarf_test::run("readelf -sW " + bin));
    std::string partial;
    for (std::string line; std::getline(lines, line);) {
        std::istringstream f(line);
        std::string num, value, size, type, bind, vis, ndx, sym;
        if (!(f >> num >> value >> size >> type >> bind >> vis >> ndx >> sym) || type != "TLS")
            continue;
        std::string found = name + "@" + std::to_string(std::stoull(value, nullptr, 16)) + ":" +
                            std::to_string(std::stoull(size, nullptr, 0));
        if (sym == part) return found;
        if (partial.empty() && sym.find(part) != std::string::npos) partial = found;
    }
    return partial.empty() ? "no thread-local symbol " + part : partial;
}

TEST(DwarfTls, RustThreadLocalsAtTheirSymbolsOffsets) {
    std::string error;
    std::string bin = dwarf_test::build_fixture("tls_rs", "rs", kRust, "-g -C opt-level=0", error);
    ASSERT_FALSE(bin.empty()) << error;
    auto names = found(bin, true);
    // std's own thread-locals come with the binary; the program's are these two.
    std::vector<std::string> mine;
    for (const std::string& n : names)
        if (n.starts_with("tls_rs::"))
            mine.push_back(n.substr(0, n.find("::", 8)) + n.substr(n.find('@')));
    std::sort(mine.begin(), mine.end());
    EXPECT_EQ(mine, (std::vector<std::string>{at_symbol(bin, "tls_rs::HITS", "6tls_rs4HITS"),
                                              at_symbol(bin, "tls_rs::NAMES", "6tls_rs5NAMES")}))
        << ::testing::PrintToString(names);
    EXPECT_EQ(found(bin, false), names);
}

TEST(DwarfTls, CThreadLocalsAtTheirSymbolsOffsets) {
    std::string error;
    std::string bin = dwarf_test::build_fixture("tls_c", "c", kC, "-g -O0", error);
    ASSERT_FALSE(bin.empty()) << error;
    auto names = found(bin, true);
    EXPECT_EQ(names, (std::vector<std::string>{at_symbol(bin, "hits", "hits"),
                                               at_symbol(bin, "last", "last"),
                                               at_symbol(bin, "tag", "tag")}))
        << "sorted by offset, a file's static among them";
    EXPECT_EQ(found(bin, false), names);
}

} // namespace
} // namespace seam
