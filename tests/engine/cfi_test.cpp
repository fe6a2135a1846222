// The CFI reader and one unwind step over the real .debug_frame of tests/fixtures/unwind.c,
// built as the fixture builds it (-fno-asynchronous-unwind-tables -fomit-frame-pointer: no
// .eh_frame), at -O0 and -O2. The oracle is binutils: every row `readelf
// --debug-dump=frames-interp` prints must be the row seam reads at that PC and mid-row.
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "formatters/dwarf/cfi.h"
#include "tests/engine/dwarf_test_support.h"

namespace seam {
namespace {

using dwarf_test::build_fixture;
using dwarf_test::run;

std::string fixture_c() {
    std::filesystem::path p =
        std::filesystem::path(SEAM_SOURCE_DIR) / "tests" / "fixtures" / "unwind.c";
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string build(int level, std::string& error) {
    return build_fixture("libunwind_cfi.so", "c", fixture_c(),
                         "-g -O" + std::to_string(level) +
                             " -fno-asynchronous-unwind-tables -fomit-frame-pointer -shared -fPIC",
                         error);
}

const std::map<std::string, unsigned> k_reg_names = {
    {"rax", 0},  {"rdx", 1},  {"rcx", 2},  {"rbx", 3},  {"rsi", 4},  {"rdi", 5},
    {"rbp", 6},  {"rsp", 7},  {"r8", 8},   {"r9", 9},   {"r10", 10}, {"r11", 11},
    {"r12", 12}, {"r13", 13}, {"r14", 14}, {"r15", 15}, {"ra", 16}};

struct OracleRow {
    uint64_t loc = 0, next = 0;           ///< this row covers [loc, next)
    std::string cfa;                      ///< `rsp+8`
    std::map<unsigned, std::string> cols; ///< `c-16`, `u`
};

// The rows of every .debug_frame FDE as readelf interprets them.
std::vector<OracleRow> oracle(const std::string& lib) {
    std::istringstream in(run("readelf --debug-dump=frames-interp " + lib));
    std::vector<OracleRow> rows;
    bool debug_frame = false;
    std::vector<unsigned> header;
    uint64_t fde_end = 0;
    size_t fde_first = 0;
    bool in_fde = false;
    for (std::string line; std::getline(in, line);) {
        if (line.find("Contents of the .debug_frame") != std::string::npos) debug_frame = true;
        if (!debug_frame) continue;
        // A CIE prints its initial row too, at LOC 0: only an FDE's rows are rows at PCs.
        if (line.find(" CIE ") != std::string::npos) {
            in_fde = false;
            header.clear();
            continue;
        }
        if (auto at = line.find(" FDE "); at != std::string::npos) {
            in_fde = true;
            auto dots = line.find("..");
            fde_end = std::stoull(line.substr(dots + 2), nullptr, 16);
            fde_first = rows.size();
            header.clear();
            continue;
        }
        std::istringstream f(line);
        std::string first;
        if (!(f >> first)) continue;
        if (!in_fde) continue;
        if (first == "LOC") {
            std::string cfa, name;
            f >> cfa;
            while (f >> name) header.push_back(k_reg_names.at(name));
            continue;
        }
        if (header.empty() || first.size() != 16) continue;
        OracleRow r;
        r.loc = std::stoull(first, nullptr, 16);
        f >> r.cfa;
        for (unsigned reg : header) f >> r.cols[reg];
        if (rows.size() > fde_first) rows.back().next = r.loc;
        r.next = fde_end;
        rows.push_back(r);
    }
    return rows;
}

std::string cfa_text(const cfi::Row& row) {
    for (const auto& [name, num] : k_reg_names)
        if (num == row.cfa_reg) return fmt::format("{}{:+}", name, row.cfa_offset);
    return "?";
}

std::string rule_text(const cfi::Rule& r) {
    switch (r.kind) {
    case cfi::Rule::SameValue:
    case cfi::Rule::Undefined:
        return "u";
    case cfi::Rule::AtCfaOffset:
        return fmt::format("c{:+}", r.offset);
    default:
        return "other";
    }
}

class Cfi : public ::testing::TestWithParam<int> {};

TEST_P(Cfi, RowsMatchReadelfAtEveryPc) {
    std::string error;
    std::string lib = build(GetParam(), error);
    ASSERT_FALSE(lib.empty()) << error;
    auto table = cfi::CfiTable::open(lib);
    ASSERT_TRUE(table) << table.error().message;
    EXPECT_TRUE((*table)->has_debug_frame());
    auto rows = oracle(lib);
    ASSERT_GE(rows.size(), 20u); // every unwind_c_* function has a prologue and an epilogue
    for (const OracleRow& o : rows) {
        for (uint64_t pc : {o.loc, o.loc + (o.next - o.loc) / 2}) {
            auto row = (*table)->row_at(pc);
            ASSERT_TRUE(row) << row.error().message;
            EXPECT_EQ(row->section, cfi::Section::DebugFrame);
            EXPECT_FALSE(row->cfa_is_expr);
            EXPECT_EQ(cfa_text(*row), o.cfa) << fmt::format("pc {:#x}", pc);
            for (const auto& [reg, text] : o.cols)
                EXPECT_EQ(rule_text(row->rules[reg]), text)
                    << fmt::format("pc {:#x} reg {}", pc, reg);
        }
    }
}

// A fake stack: words at addresses, everything else unreadable.
class StackMemory : public MemoryReader {
public:
    std::map<uint64_t, uint64_t> words;
    Status read(uint64_t address, std::span<std::byte> out) override {
        if (out.size() != 8 || !words.count(address)) return err("unmapped {:#x}", address);
        std::memcpy(out.data(), &words[address], 8);
        return ok_status();
    }
};

// At the call in unwind_c_on_stack the CFA is %rbx-based (the stack was switched): one step
// must find the caller's %rsp, %rip and saved %rbx/%rbp from the old stack, whatever %rsp is.
TEST_P(Cfi, StepThroughTheSwitchedStack) {
    std::string error;
    std::string lib = build(GetParam(), error);
    ASSERT_FALSE(lib.empty()) << error;
    auto table = cfi::CfiTable::open(lib);
    ASSERT_TRUE(table) << table.error().message;
    const OracleRow* rbx_row = nullptr;
    auto rows = oracle(lib);
    for (const OracleRow& o : rows)
        if (o.cfa.starts_with("rbx+")) {
            rbx_row = &o;
            break;
        }
    ASSERT_NE(rbx_row, nullptr) << "no %rbx-based CFA row in .debug_frame";
    int64_t off = std::stoll(rbx_row->cfa.substr(4));
    auto row = (*table)->row_at(rbx_row->loc);
    ASSERT_TRUE(row);
    cfi::Registers regs;
    regs[cfi::Rsp] = 0x7000'0000; // the other stack
    regs[cfi::Rbx] = 0x7ffe'1000; // the old %rsp
    regs[cfi::Rip] = rbx_row->loc;
    regs[cfi::R12] = 0x1212;
    StackMemory mem;
    uint64_t cfa = 0x7ffe'1000 + off;
    mem.words[cfa - 8] = 0x5555'0000'1234;
    for (const auto& [reg, text] : rbx_row->cols)
        if (reg != cfi::Rip && text.starts_with("c"))
            mem.words[cfa + std::stoll(text.substr(1))] = 0xab00 + reg;
    auto caller = cfi::step(*row, regs, mem);
    ASSERT_TRUE(caller) << caller.error().message;
    EXPECT_EQ((*caller)[cfi::Rsp], cfa);
    EXPECT_EQ((*caller)[cfi::Rip], 0x5555'0000'1234u);
    EXPECT_EQ((*caller)[cfi::R12], 0x1212u); // never saved: same value
    for (const auto& [reg, text] : rbx_row->cols)
        if (reg != cfi::Rip && text.starts_with("c")) EXPECT_EQ((*caller)[reg], 0xab00u + reg);
    // A return address that cannot be read is an error, not a guess.
    mem.words.erase(cfa - 8);
    EXPECT_FALSE(cfi::step(*row, regs, mem));
}

TEST_P(Cfi, NoRowOutsideEveryFde) {
    std::string error;
    std::string lib = build(GetParam(), error);
    ASSERT_FALSE(lib.empty()) << error;
    auto table = cfi::CfiTable::open(lib);
    ASSERT_TRUE(table);
    auto row = (*table)->row_at(0x10);
    ASSERT_FALSE(row);
    EXPECT_EQ(row.error().message, "no FDE covers 0x10");
}

INSTANTIATE_TEST_SUITE_P(Levels, Cfi, ::testing::Values(0, 2),
                         [](const auto& info) { return "O" + std::to_string(info.param); });

// glibc's __restore_rt describes the interrupted frame with expressions over the ucontext:
// CFA = *(%rsp + 160), %rip = *(%rsp + 168).
TEST(CfiExpression, SignalFrameStyle) {
    StackMemory mem;
    mem.words[0x1000 + 160] = 0x2000;
    cfi::Registers regs;
    regs[cfi::Rsp] = 0x1000;
    std::vector<uint8_t> cfa = {DW_OP_breg7, 0xa0, 0x01, DW_OP_deref};
    auto v = cfi::evaluate(cfa, regs, mem, std::nullopt);
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(*v, 0x2000u);
    std::vector<uint8_t> plus = {DW_OP_lit4, DW_OP_plus_uconst, 0x04, DW_OP_const1s,
                                 0xfe,       DW_OP_plus};
    EXPECT_EQ(*cfi::evaluate(plus, regs, mem, 10), 6u); // 10 pushed first, then 8 - 2 on top
    std::vector<uint8_t> unknown = {DW_OP_breg3, 0x00};
    auto bad = cfi::evaluate(unknown, regs, mem, std::nullopt);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message, "CFI expression reads unknown register 3");
}

// Signed operands at the ends of their range, and an operand the expression's end cuts off.
// INT64_MIN's sign extension shifts into the top bit: built in signed arithmetic it was undefined
// behaviour (UBSan, the whole suite), which this test runs under in CI's sanitizer build.
TEST(CfiExpression, SignedOperandsAtTheirLimits) {
    StackMemory mem;
    cfi::Registers regs;
    auto consts = [&](std::vector<uint8_t> sleb) {
        sleb.insert(sleb.begin(), DW_OP_consts);
        return cfi::evaluate(sleb, regs, mem, std::nullopt);
    };
    EXPECT_EQ(*consts({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f}),
              uint64_t(INT64_MIN));
    EXPECT_EQ(*consts({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00}),
              uint64_t(INT64_MAX));
    EXPECT_EQ(*consts({0x7f}), uint64_t(-1));
    EXPECT_EQ(*consts({0x40}), uint64_t(-64));
    EXPECT_EQ(*consts({0x3f}), 63u);
    EXPECT_EQ(*consts({0x80, 0x7f}), uint64_t(-128));
    auto cut = consts({0x80, 0x80});
    ASSERT_FALSE(cut);
    EXPECT_EQ(cut.error().message, "CFI expression ends inside an operand");
    std::vector<uint8_t> short_const = {DW_OP_const4u, 0x01, 0x02};
    auto cut4 = cfi::evaluate(short_const, regs, mem, std::nullopt);
    ASSERT_FALSE(cut4);
    EXPECT_EQ(cut4.error().message, "CFI expression ends inside an operand");
}

} // namespace
} // namespace seam
