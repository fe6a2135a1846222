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

// The thread-local symbols (STT_TLS: a symbol's value is its offset in the TLS segment), as
// `name@offset:size` with name `name`, of which `keep` says yes to the symbol's name.
template <typename Keep>
std::vector<std::string> tls_symbols(const std::string& bin, const std::string& name, Keep keep) {
    std::istringstream lines(dwarf_test::run("readelf -sW " + bin));
    std::vector<std::string> out;
    for (std::string line; std::getline(lines, line);) {
        std::istringstream f(line);
        std::string num, value, size, type, bind, vis, ndx, sym;
        if (!(f >> num >> value >> size >> type >> bind >> vis >> ndx >> sym) || type != "TLS" ||
            !keep(sym))
            continue;
        out.push_back(name + "@" + std::to_string(std::stoull(value, nullptr, 16)) + ":" +
                      std::to_string(std::stoull(size, nullptr, 0)));
    }
    std::sort(out.begin(), out.end());
    return out;
}

// `name@offset:size` of the thread-local symbol called `name`.
std::string at_symbol(const std::string& bin, const std::string& name) {
    auto found = tls_symbols(bin, name, [&](const std::string& sym) { return sym == name; });
    return found.size() == 1 ? found[0] : "no single thread-local symbol " + name;
}

TEST(DwarfTls, RustThreadLocalsAtTheirSymbolsOffsets) {
    std::string error;
    std::string bin = dwarf_test::build_fixture("tls_rs", "rs", kRust, "-g -C opt-level=0", error);
    ASSERT_FALSE(bin.empty()) << error;
    auto names = found(bin, true);
    // std's own thread-locals come with the binary. The program's two are statics inside the
    // macro's expansion (`tls_rs::HITS::...::VAL`), with, in older std, a dtor-state flag beside
    // a const one's value (`tls_rs::HITS::__getit::STATE`): each is at its symbol's offset.
    std::vector<std::string> mine;
    std::vector<std::string> variables;
    for (const std::string& n : names) {
        if (!n.starts_with("tls_rs::")) continue;
        mine.push_back("tls_rs" + n.substr(n.find('@')));
        variables.push_back(n.substr(0, n.find("::", 8)));
    }
    std::sort(mine.begin(), mine.end());
    EXPECT_EQ(mine, tls_symbols(bin, "tls_rs",
                                [](const std::string& sym) {
                                    return sym.find("6tls_rs") != std::string::npos;
                                }))
        << ::testing::PrintToString(names);
    std::sort(variables.begin(), variables.end());
    variables.erase(std::unique(variables.begin(), variables.end()), variables.end());
    EXPECT_EQ(variables, (std::vector<std::string>{"tls_rs::HITS", "tls_rs::NAMES"}));
    EXPECT_EQ(found(bin, false), names);
}

TEST(DwarfTls, CThreadLocalsAtTheirSymbolsOffsets) {
    std::string error;
    std::string bin = dwarf_test::build_fixture("tls_c", "c", kC, "-g -O0", error);
    ASSERT_FALSE(bin.empty()) << error;
    auto names = found(bin, true);
    EXPECT_EQ(names, (std::vector<std::string>{at_symbol(bin, "hits"), at_symbol(bin, "last"),
                                               at_symbol(bin, "tag")}))
        << "sorted by offset, a file's static among them";
    EXPECT_EQ(found(bin, false), names);
}

} // namespace
} // namespace seam
