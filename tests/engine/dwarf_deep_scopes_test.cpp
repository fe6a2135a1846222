// A long function: rustc opens one DW_TAG_lexical_block per `let`, at -O0 and at -O2, so the
// pc of a call after 700 `let`s sits 700 blocks deep. Every local must still be found (a walk
// that capped its depth at 64 lost all but the first 59), and a name declared again deeper in
// the function must resolve to the innermost declaration. The call site is found with objdump,
// independently of the DWARF.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "tests/engine/dwarf_test_support.h"

namespace seam {
namespace {

using namespace dwarf_test;

constexpr int kLets = 700;

std::string long_source() {
    std::string s = "use std::hint::black_box;\n"
                    "#[inline(never)]\n#[no_mangle]\npub extern \"C\" fn seam_stop() { "
                    "unsafe { std::arch::asm!(\"\", options(nostack)) } }\n"
                    "#[inline(never)]\nfn long_function() {\n"
                    "    let shadowed: u64 = black_box(1);\n    black_box(&shadowed);\n";
    for (int i = 0; i < kLets; ++i)
        s += "    let v" + std::to_string(i) + ": u64 = black_box(" + std::to_string(i) + ");\n";
    s += "    let shadowed: u32 = black_box(2);\n    seam_stop();\n    black_box(&shadowed);\n";
    for (int i = 0; i < kLets; ++i) s += "    black_box(&v" + std::to_string(i) + ");\n";
    s += "}\nfn main() { long_function(); }\n";
    return s;
}

struct Built {
    std::string binary, error;
};

class DeepScopes : public ::testing::TestWithParam<int> {
protected:
    void SetUp() override {
        int level = GetParam();
        static std::map<int, Built> built;
        if (!built.count(level)) {
            Built b;
            b.binary = build_fixture("deep_scopes_O" + std::to_string(level), "rs", long_source(),
                                     "-g -C opt-level=" + std::to_string(level) +
                                         " -C debuginfo=2 --crate-name deep_scopes",
                                     b.error);
            built[level] = b;
        }
        const Built& b = built[level];
        ASSERT_FALSE(b.binary.empty()) << b.error;
        auto di = DebugInfo::open(b.binary, 0);
        ASSERT_TRUE(di) << di.error().message;
        info = std::move(*di);
        auto fn = nm_symbol(b.binary, "13long_function17h");
        ASSERT_TRUE(fn);
        std::regex call(R"(^\s*([0-9a-f]+):\s+call\s+[0-9a-f]+ <seam_stop>)");
        std::istringstream lines(run("objdump -d --no-show-raw-insn " + b.binary));
        std::smatch m;
        for (std::string line; std::getline(lines, line);) {
            if (!std::regex_search(line, m, call)) continue;
            uint64_t at = std::stoull(m[1].str(), nullptr, 16);
            if (at >= fn->address && at < fn->address + fn->size) call_pc = at + 1;
        }
        ASSERT_NE(call_pc, 0u) << "no call to seam_stop in long_function";
    }

    std::unique_ptr<DebugInfo> info;
    uint64_t call_pc = 0;
};

TEST_P(DeepScopes, EveryLocalIsFoundHundredsOfBlocksDeep) {
    auto vars = info->variables_at(call_pc);
    ASSERT_TRUE(vars) << vars.error().message;
    std::set<std::string> names;
    for (const Variable& v : *vars) names.insert(v.name);
    int missing = 0;
    std::string first_missing;
    for (int i = 0; i < kLets; ++i) {
        if (names.count("v" + std::to_string(i))) continue;
        if (!missing++) first_missing = "v" + std::to_string(i);
    }
    EXPECT_EQ(missing, 0) << "first missing: " << first_missing << " of " << kLets;
}

TEST_P(DeepScopes, TheInnermostDeclarationShadowsTheOuter) {
    auto vars = info->variables_at(call_pc);
    ASSERT_TRUE(vars) << vars.error().message;
    int count = 0;
    for (const Variable& v : *vars) {
        if (v.name != "shadowed") continue;
        ++count;
        ASSERT_NE(v.type, nullptr);
        EXPECT_EQ(v.type->name, "u32") << "the outer `shadowed` (u64) was taken";
    }
    EXPECT_EQ(count, 1);
}

INSTANTIATE_TEST_SUITE_P(OptLevels, DeepScopes, ::testing::Values(0, 2),
                         [](const ::testing::TestParamInfo<int>& i) {
                             return "O" + std::to_string(i.param);
                         });

} // namespace
} // namespace seam
