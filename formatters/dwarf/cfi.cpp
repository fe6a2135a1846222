// CFI rows through libdwarf's DWARF 3 frame interface, and one unwind step over plain data.
#include "formatters/dwarf/cfi.h"

#include <dwarf.h>
#include <libdwarf.h>

#include "formatters/dwarf/dwarf_forms.h"
#include "formatters/dwarf/dwarf_internal.h"

#include <cstring>
#include <sys/stat.h>

namespace seam::cfi {

struct CfiTable::Impl {
    /// The file read in place (dwarf_raw.cpp): a vmlinux's .debug_frame is not copied and
    /// relocated with its 2 MB of .rela.debug_frame. Declared first: it outlives `dbg`.
    std::unique_ptr<dwarf::MappedElf> elf;
    Dwarf_Debug dbg = nullptr;
    struct List {
        Dwarf_Cie* cies = nullptr;
        Dwarf_Signed cie_count = 0;
        Dwarf_Fde* fdes = nullptr;
        Dwarf_Signed fde_count = 0;
    };
    List debug_frame, eh_frame;

    ~Impl() {
        if (!dbg) return;
        for (List* l : {&debug_frame, &eh_frame})
            if (l->fdes)
                dwarf_fde_cie_list_dealloc(dbg, l->cies, l->cie_count, l->fdes, l->fde_count);
        dwarf::finish_libdwarf(dbg, elf.get());
    }
};

namespace {

std::vector<uint8_t> block(Dwarf_Ptr p, Dwarf_Signed len) {
    if (!p || len <= 0) return {};
    auto* b = static_cast<const uint8_t*>(p);
    return {b, b + len};
}

Rule rule_of(const Dwarf_Regtable_Entry3& e) {
    Rule r;
    if (e.dw_regnum == DW_FRAME_SAME_VAL) return r;
    if (e.dw_regnum == DW_FRAME_UNDEFINED_VAL) {
        r.kind = Rule::Undefined;
        return r;
    }
    switch (e.dw_value_type) {
    case DW_EXPR_OFFSET:
        // offset(N) when the offset is relevant (the register is the CFA), else register(R).
        if (e.dw_offset_relevant) {
            r.kind = Rule::AtCfaOffset;
            r.offset = static_cast<int64_t>(e.dw_offset_or_block_len);
        } else {
            r.kind = Rule::InRegister;
            r.reg = e.dw_regnum;
        }
        break;
    case DW_EXPR_VAL_OFFSET:
        r.kind = Rule::ValCfaOffset;
        r.offset = static_cast<int64_t>(e.dw_offset_or_block_len);
        break;
    case DW_EXPR_EXPRESSION:
        r.kind = Rule::AtExpression;
        r.expr = block(e.dw_block_ptr, static_cast<Dwarf_Signed>(e.dw_offset_or_block_len));
        break;
    case DW_EXPR_VAL_EXPRESSION:
        r.kind = Rule::ValExpression;
        r.expr = block(e.dw_block_ptr, static_cast<Dwarf_Signed>(e.dw_offset_or_block_len));
        break;
    default:
        r.kind = Rule::Undefined;
    }
    return r;
}

Result<uint64_t> read_word(MemoryReader& mem, uint64_t addr) {
    uint64_t v = 0;
    auto st = mem.read(addr, std::as_writable_bytes(std::span(&v, 1)));
    if (!st) return err("cannot read the word at {:#x}: {}", addr, st.error().message);
    return v;
}

// The expression's operands through the DWARF readers' bounded cursor. An operand cut off by the
// expression's end reads as zero and leaves `i` one past the end: the evaluation's loop ends, and
// evaluate() reports the truncation rather than a value computed from the zero.
using dwarf::Cursor;

template <typename Read> auto read_at(const std::vector<uint8_t>& e, size_t& i, Read read) {
    Cursor c{e.data() + i, e.data() + e.size()};
    auto v = read(c);
    i = c.bad ? e.size() + 1 : size_t(c.p - e.data());
    return v;
}

uint64_t uleb(const std::vector<uint8_t>& e, size_t& i) {
    return read_at(e, i, [](Cursor& c) { return c.uleb(); });
}

int64_t sleb(const std::vector<uint8_t>& e, size_t& i) {
    return read_at(e, i, [](Cursor& c) { return c.sleb(); });
}

uint64_t fixed(const std::vector<uint8_t>& e, size_t& i, size_t n) {
    return read_at(e, i, [n](Cursor& c) { return c.fixed(unsigned(n)); });
}

} // namespace

Result<uint64_t> evaluate(const std::vector<uint8_t>& expr, const Registers& regs,
                          MemoryReader& mem, std::optional<uint64_t> initial) {
    std::vector<uint64_t> stack;
    if (initial) stack.push_back(*initial);
    auto pop = [&]() -> std::optional<uint64_t> {
        if (stack.empty()) return std::nullopt;
        uint64_t v = stack.back();
        stack.pop_back();
        return v;
    };
    size_t i = 0;
    while (i < expr.size()) {
        uint8_t op = expr[i++];
        if (op >= DW_OP_lit0 && op <= DW_OP_lit31) {
            stack.push_back(op - DW_OP_lit0);
        } else if (op >= DW_OP_breg0 && op <= DW_OP_breg31) {
            unsigned r = op - DW_OP_breg0;
            int64_t off = sleb(expr, i);
            if (r >= k_reg_count || !regs[r])
                return err("CFI expression reads unknown register {}", r);
            stack.push_back(*regs[r] + off);
        } else if (op >= DW_OP_reg0 && op <= DW_OP_reg31) {
            return err("CFI expression names a register location (DW_OP_reg{})", op - DW_OP_reg0);
        } else {
            switch (op) {
            case DW_OP_const1u:
                stack.push_back(fixed(expr, i, 1));
                break;
            case DW_OP_const2u:
                stack.push_back(fixed(expr, i, 2));
                break;
            case DW_OP_const4u:
                stack.push_back(fixed(expr, i, 4));
                break;
            case DW_OP_const8u:
                stack.push_back(fixed(expr, i, 8));
                break;
            case DW_OP_const1s:
                stack.push_back(uint64_t(int64_t(int8_t(fixed(expr, i, 1)))));
                break;
            case DW_OP_const2s:
                stack.push_back(uint64_t(int64_t(int16_t(fixed(expr, i, 2)))));
                break;
            case DW_OP_const4s:
                stack.push_back(uint64_t(int64_t(int32_t(fixed(expr, i, 4)))));
                break;
            case DW_OP_const8s:
                stack.push_back(fixed(expr, i, 8));
                break;
            case DW_OP_constu:
                stack.push_back(uleb(expr, i));
                break;
            case DW_OP_consts:
                stack.push_back(uint64_t(sleb(expr, i)));
                break;
            case DW_OP_dup:
                if (stack.empty()) return err("CFI expression: dup of an empty stack");
                stack.push_back(stack.back());
                break;
            case DW_OP_deref: {
                auto a = pop();
                if (!a) return err("CFI expression: deref of an empty stack");
                auto v = read_word(mem, *a);
                if (!v) return v.error();
                stack.push_back(*v);
                break;
            }
            case DW_OP_plus_uconst: {
                auto a = pop();
                if (!a) return err("CFI expression: plus_uconst of an empty stack");
                stack.push_back(*a + uleb(expr, i));
                break;
            }
            case DW_OP_plus:
            case DW_OP_minus:
            case DW_OP_and:
            case DW_OP_mul: {
                auto b = pop(), a = pop();
                if (!a || !b) return err("CFI expression: operator {:#x} needs two values", op);
                stack.push_back(op == DW_OP_plus    ? *a + *b
                                : op == DW_OP_minus ? *a - *b
                                : op == DW_OP_and   ? (*a & *b)
                                                    : *a * *b);
                break;
            }
            case DW_OP_bregx: {
                unsigned r = unsigned(uleb(expr, i));
                int64_t off = sleb(expr, i);
                if (r >= k_reg_count || !regs[r])
                    return err("CFI expression reads unknown register {}", r);
                stack.push_back(*regs[r] + off);
                break;
            }
            default:
                return err("CFI expression uses DW_OP {:#x}, which seam does not evaluate", op);
            }
        }
    }
    if (i > expr.size()) return err("CFI expression ends inside an operand");
    if (stack.empty()) return err("CFI expression left no value");
    return stack.back();
}

Result<Registers> step(const Row& row, const Registers& regs, MemoryReader& mem) {
    uint64_t cfa = 0;
    if (row.cfa_is_expr) {
        auto v = evaluate(row.cfa_expr, regs, mem, std::nullopt);
        if (!v) return v.error();
        cfa = *v;
    } else {
        if (row.cfa_reg >= k_reg_count || !regs[row.cfa_reg])
            return err("the CFA is based on register {}, whose value is not known", row.cfa_reg);
        cfa = *regs[row.cfa_reg] + row.cfa_offset;
    }
    Registers out;
    for (unsigned i = 0; i < k_reg_count; ++i) {
        const Rule& r = row.rules[i];
        switch (r.kind) {
        case Rule::SameValue:
            // The return-address column has no "same value": it is the callee's own PC.
            if (i != Rip) out[i] = regs[i];
            break;
        case Rule::Undefined:
            break;
        case Rule::AtCfaOffset:
            if (auto v = read_word(mem, cfa + r.offset))
                out[i] = *v;
            else if (i == Rip)
                return v.error();
            break;
        case Rule::ValCfaOffset:
            out[i] = cfa + r.offset;
            break;
        case Rule::InRegister:
            if (r.reg < k_reg_count) out[i] = regs[r.reg];
            break;
        case Rule::AtExpression:
        case Rule::ValExpression: {
            auto v = evaluate(r.expr, regs, mem, cfa);
            if (v && r.kind == Rule::AtExpression) v = read_word(mem, *v);
            if (v)
                out[i] = *v;
            else if (i == Rip)
                return v.error();
            break;
        }
        }
    }
    if (!out[Rip]) return err("the return address is undefined (the outermost frame)");
    out[Rsp] = cfa;
    return out;
}

CfiTable::CfiTable(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
CfiTable::~CfiTable() = default;

Result<std::unique_ptr<CfiTable>> CfiTable::open(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return err("{}: no such file", path);
    auto impl = std::make_unique<Impl>();
    Dwarf_Error e = nullptr;
    int rc = dwarf::open_libdwarf(path, impl->elf, &impl->dbg, &e);
    if (rc == DW_DLV_NO_ENTRY) return err("{}: no DWARF sections, no CFI", path);
    if (rc == DW_DLV_ERROR) {
        impl->dbg = nullptr;
        return dwarf::take_error(nullptr, e, path);
    }
    // Registers no rule mentions keep their value (the callee-saved ones are what matters);
    // the table holds exactly the x86-64 columns seam evaluates.
    dwarf_set_frame_rule_initial_value(impl->dbg, DW_FRAME_SAME_VAL);
    dwarf_set_frame_rule_table_size(impl->dbg, k_reg_count);
    auto& df = impl->debug_frame;
    rc = dwarf_get_fde_list(impl->dbg, &df.cies, &df.cie_count, &df.fdes, &df.fde_count, &e);
    if (rc == DW_DLV_ERROR) {
        dwarf_dealloc(impl->dbg, e, DW_DLA_ERROR);
        e = nullptr;
        df = {};
    }
    auto& eh = impl->eh_frame;
    rc = dwarf_get_fde_list_eh(impl->dbg, &eh.cies, &eh.cie_count, &eh.fdes, &eh.fde_count, &e);
    if (rc == DW_DLV_ERROR) {
        dwarf_dealloc(impl->dbg, e, DW_DLA_ERROR);
        e = nullptr;
        eh = {};
    }
    if (!df.fdes && !eh.fdes) return err("{}: neither .debug_frame nor .eh_frame", path);
    return std::unique_ptr<CfiTable>(new CfiTable(std::move(impl)));
}

bool CfiTable::has_debug_frame() const {
    return m_impl->debug_frame.fdes != nullptr;
}
bool CfiTable::has_eh_frame() const {
    return m_impl->eh_frame.fdes != nullptr;
}

Result<Row> CfiTable::row_at(uint64_t pc) const {
    for (Section section : {Section::DebugFrame, Section::EhFrame}) {
        const Impl::List& list =
            section == Section::DebugFrame ? m_impl->debug_frame : m_impl->eh_frame;
        if (!list.fdes) continue;
        Dwarf_Fde fde = nullptr;
        Dwarf_Addr lo = 0, hi = 0;
        Dwarf_Error e = nullptr;
        int rc = dwarf_get_fde_at_pc(list.fdes, pc, &fde, &lo, &hi, &e);
        if (rc == DW_DLV_ERROR) dwarf_dealloc(m_impl->dbg, e, DW_DLA_ERROR);
        if (rc != DW_DLV_OK) continue;
        std::array<Dwarf_Regtable_Entry3, k_reg_count> entries{};
        Dwarf_Regtable3 table{};
        table.rt3_reg_table_size = k_reg_count;
        table.rt3_rules = entries.data();
        Dwarf_Addr row_pc = 0;
        e = nullptr;
        rc = dwarf_get_fde_info_for_all_regs3(fde, pc, &table, &row_pc, &e);
        if (rc == DW_DLV_ERROR)
            return dwarf::take_error(m_impl->dbg, e, fmt::format("CFI row at {:#x}", pc));
        if (rc != DW_DLV_OK) continue;
        Row row;
        row.section = section;
        row.fde_low = lo;
        row.fde_high = hi;
        row.row_pc = row_pc;
        const Dwarf_Regtable_Entry3& c = table.rt3_cfa_rule;
        if (c.dw_value_type == DW_EXPR_EXPRESSION || c.dw_value_type == DW_EXPR_VAL_EXPRESSION) {
            row.cfa_is_expr = true;
            row.cfa_expr =
                block(c.dw_block_ptr, static_cast<Dwarf_Signed>(c.dw_offset_or_block_len));
        } else {
            row.cfa_reg = c.dw_regnum;
            row.cfa_offset = static_cast<int64_t>(c.dw_offset_or_block_len);
        }
        for (unsigned i = 0; i < k_reg_count; ++i) row.rules[i] = rule_of(entries[i]);
        return row;
    }
    return err("no FDE covers {:#x}", pc);
}

} // namespace seam::cfi
