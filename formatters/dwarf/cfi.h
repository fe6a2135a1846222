#pragma once
/// Call-frame information (DWARF CFI) read with libdwarf, and one unwind step evaluated over
/// plain data: a register set and a MemoryReader. What seam uses when LLDB's unwinder stops
/// early or goes wrong. `.debug_frame` first (what `-fno-asynchronous-unwind-tables -g` C has,
/// as kernel C does), `.eh_frame` otherwise. x86-64 only (System V DWARF register numbers).
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "formatters/core/memory.h"
#include "formatters/core/result.h"

namespace seam::cfi {

/// x86-64 DWARF register numbers (System V psABI, figure 3.36); 16 is the return address.
enum Reg : unsigned {
    Rax = 0,
    Rdx = 1,
    Rcx = 2,
    Rbx = 3,
    Rsi = 4,
    Rdi = 5,
    Rbp = 6,
    Rsp = 7,
    R8 = 8,
    R9,
    R10,
    R11,
    R12,
    R13,
    R14,
    R15,
    Rip = 16,
};
constexpr unsigned k_reg_count = 17;

/// A frame's registers; an empty slot is not known (clobbered or never read).
struct Registers {
    std::array<std::optional<uint64_t>, k_reg_count> r;
    std::optional<uint64_t>& operator[](unsigned i) { return r[i]; }
    const std::optional<uint64_t>& operator[](unsigned i) const { return r[i]; }
};

/// How a register of the caller is found (DWARF 5 §6.4.1).
struct Rule {
    enum Kind {
        SameValue,
        Undefined,
        AtCfaOffset,
        ValCfaOffset,
        InRegister,
        AtExpression,
        ValExpression
    };
    Kind kind = SameValue;
    int64_t offset = 0;        ///< AtCfaOffset, ValCfaOffset
    unsigned reg = 0;          ///< InRegister
    std::vector<uint8_t> expr; ///< AtExpression, ValExpression
};

enum class Section { DebugFrame, EhFrame };

/// The row of the CFI table at one PC.
struct Row {
    Section section = Section::DebugFrame;
    uint64_t fde_low = 0, fde_high = 0; ///< file addresses the FDE covers
    uint64_t row_pc = 0;                ///< file address where this row starts
    bool cfa_is_expr = false;
    unsigned cfa_reg = Rsp;
    int64_t cfa_offset = 0;
    std::vector<uint8_t> cfa_expr;
    std::array<Rule, k_reg_count> rules; ///< index Rip is the return-address column
};

/// The CFI of one ELF file.
class CfiTable {
public:
    /// Opens `path`; an error when it has neither `.debug_frame` nor `.eh_frame`.
    static Result<std::unique_ptr<CfiTable>> open(const std::string& path);
    ~CfiTable();
    CfiTable(const CfiTable&) = delete;
    CfiTable& operator=(const CfiTable&) = delete;

    bool has_debug_frame() const;
    bool has_eh_frame() const;
    /// The row at file address `pc`: from `.debug_frame` when an FDE there covers it, else
    /// from `.eh_frame`; an error when no FDE covers it.
    Result<Row> row_at(uint64_t pc) const;

    struct Impl;

private:
    explicit CfiTable(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

/// Evaluates a DWARF expression of a CFI rule (the breg/deref/arithmetic subset compilers and
/// glibc's signal trampoline use); `initial` is pushed first when given (the CFA, for
/// register rules).
Result<uint64_t> evaluate(const std::vector<uint8_t>& expr, const Registers& regs,
                          MemoryReader& mem, std::optional<uint64_t> initial);

/// The caller's registers from the callee's (`regs`) and the callee's row: the CFA by its rule,
/// each register by its rule, the caller's %rsp = CFA, its %rip = the return address.
Result<Registers> step(const Row& row, const Registers& regs, MemoryReader& mem);

} // namespace seam::cfi
