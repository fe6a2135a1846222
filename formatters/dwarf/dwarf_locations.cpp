// Location attributes to LocationRange. A single expression (exprloc) is copied byte for byte;
// location lists (DWARF 4 .debug_loc, DWARF 5 .debug_loclists) come from libdwarf already
// split into entries and decoded into ops, so each entry's ops are encoded back to bytes (the
// form evaluate_location takes). DW_OP_addrx is rewritten to DW_OP_addr with the address
// libdwarf looked up in .debug_addr, so the evaluator needs no section access.
#include <algorithm>
#include <cstring>

#include "formatters/dwarf/dwarf_internal.h"

namespace seam::dwarf {

namespace {

void put_fixed(std::vector<uint8_t>& out, uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out.push_back(uint8_t(v >> (8 * i)));
}

void put_uleb(std::vector<uint8_t>& out, uint64_t v) {
    do {
        uint8_t b = v & 0x7f;
        v >>= 7;
        out.push_back(v ? b | 0x80 : b);
    } while (v);
}

void put_sleb(std::vector<uint8_t>& out, int64_t v) {
    for (;;) {
        uint8_t b = v & 0x7f;
        v >>= 7; // arithmetic shift
        bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
        out.push_back(done ? b : b | 0x80);
        if (done) return;
    }
}

void put_block(std::vector<uint8_t>& out, uint64_t len, uint64_t ptr) {
    // libdwarf hands blocks (implicit_value, entry_value) over as a pointer into the section.
    const auto* p = reinterpret_cast<const uint8_t*>(static_cast<uintptr_t>(ptr));
    if (p) out.insert(out.end(), p, p + len);
}

struct Op {
    uint8_t atom = 0;
    Dwarf_Unsigned op1 = 0, op2 = 0, op3 = 0;
    Dwarf_Unsigned raw1 = 0;
};

/// Encodes one decoded op back to DWARF bytes (addresses are 8 bytes: x86-64 only).
void encode(std::vector<uint8_t>& out, const Op& op, int offset_size) {
    uint8_t a = op.atom;
    if ((a == DW_OP_addrx || a == DW_OP_GNU_addr_index) && op.op1 != op.raw1) {
        out.push_back(DW_OP_addr);
        put_fixed(out, op.op1, 8);
        return;
    }
    if ((a == DW_OP_constx || a == DW_OP_GNU_const_index) && op.op1 != op.raw1) {
        out.push_back(DW_OP_const8u);
        put_fixed(out, op.op1, 8);
        return;
    }
    out.push_back(a);
    if (a >= DW_OP_breg0 && a <= DW_OP_breg31) return put_sleb(out, int64_t(op.op1));
    switch (a) {
    case DW_OP_addr:
    case DW_OP_const8u:
    case DW_OP_const8s:
        return put_fixed(out, op.op1, 8);
    case DW_OP_const1u:
    case DW_OP_const1s:
    case DW_OP_pick:
    case DW_OP_deref_size:
    case DW_OP_xderef_size:
        return put_fixed(out, op.op1, 1);
    case DW_OP_const2u:
    case DW_OP_const2s:
    case DW_OP_skip:
    case DW_OP_bra:
    case DW_OP_call2:
        return put_fixed(out, op.op1, 2);
    case DW_OP_const4u:
    case DW_OP_const4s:
    case DW_OP_call4:
    case DW_OP_GNU_parameter_ref:
        return put_fixed(out, op.op1, 4);
    case DW_OP_call_ref:
        return put_fixed(out, op.op1, offset_size);
    case DW_OP_constu:
    case DW_OP_plus_uconst:
    case DW_OP_regx:
    case DW_OP_piece:
    case DW_OP_addrx:
    case DW_OP_constx:
    case DW_OP_GNU_addr_index:
    case DW_OP_GNU_const_index:
    case DW_OP_convert:
    case DW_OP_GNU_convert:
    case DW_OP_reinterpret:
    case DW_OP_GNU_reinterpret:
        return put_uleb(out, op.op1);
    case DW_OP_consts:
    case DW_OP_fbreg:
        return put_sleb(out, int64_t(op.op1));
    case DW_OP_bregx:
        put_uleb(out, op.op1);
        return put_sleb(out, int64_t(op.op2));
    case DW_OP_bit_piece:
    case DW_OP_regval_type:
    case DW_OP_GNU_regval_type:
        put_uleb(out, op.op1);
        return put_uleb(out, op.op2);
    case DW_OP_deref_type:
    case DW_OP_GNU_deref_type:
    case DW_OP_xderef_type:
        put_fixed(out, op.op1, 1);
        return put_uleb(out, op.op2);
    case DW_OP_implicit_value:
    case DW_OP_entry_value:
    case DW_OP_GNU_entry_value:
        put_uleb(out, op.op1);
        return put_block(out, op.op1, op.op2);
    case DW_OP_const_type:
    case DW_OP_GNU_const_type:
        put_uleb(out, op.op1);
        put_fixed(out, op.op2, 1);
        return put_block(out, op.op2, op.op3);
    case DW_OP_implicit_pointer:
    case DW_OP_GNU_implicit_pointer:
        put_fixed(out, op.op1, offset_size);
        return put_sleb(out, int64_t(op.op2));
    default:
        return; // no operands
    }
}

/// True when a raw expression needs .debug_addr (DWARF 5 from LLVM): decode it through
/// libdwarf instead. A false positive (the byte inside an operand) only costs the detour.
bool needs_address_table(const std::vector<uint8_t>& expr) {
    return std::any_of(expr.begin(), expr.end(), [](uint8_t b) {
        return b == DW_OP_addrx || b == DW_OP_constx || b == DW_OP_GNU_addr_index ||
               b == DW_OP_GNU_const_index;
    });
}

Result<std::vector<LocationRange>> decode_list(Dwarf_Debug dbg, Dwarf_Attribute attr,
                                               uint64_t load_bias) {
    Dwarf_Loc_Head_c head = nullptr;
    Dwarf_Unsigned count = 0;
    Dwarf_Error e = nullptr;
    int rc = dwarf_get_loclist_c(attr, &head, &count, &e);
    if (rc == DW_DLV_ERROR) return take_error(dbg, e, "location list");
    if (rc != DW_DLV_OK) return std::vector<LocationRange>{};
    unsigned kind = DW_LKIND_unknown;
    if (dwarf_get_loclist_head_kind(head, &kind, &e) == DW_DLV_ERROR) drop_error(dbg, e);
    std::vector<LocationRange> out;
    for (Dwarf_Unsigned i = 0; i < count; ++i) {
        Dwarf_Small lle = 0, source = 0;
        Dwarf_Unsigned raw_lo = 0, raw_hi = 0, nops = 0, expr_off = 0, desc_off = 0;
        Dwarf_Bool unavailable = 0;
        Dwarf_Addr lo = 0, hi = 0;
        Dwarf_Locdesc_c desc = nullptr;
        rc = dwarf_get_locdesc_entry_d(head, i, &lle, &raw_lo, &raw_hi, &unavailable, &lo, &hi,
                                       &nops, &desc, &source, &expr_off, &desc_off, &e);
        if (rc == DW_DLV_ERROR) {
            dwarf_loc_head_c_dealloc(head);
            return take_error(dbg, e, "location list entry");
        }
        if (rc != DW_DLV_OK) break;
        bool everywhere = kind == DW_LKIND_expression;
        if (!everywhere) {
            if (lle == DW_LLE_end_of_list) break;
            if (unavailable || lle == DW_LLE_base_address || lle == DW_LLE_base_addressx ||
                nops == 0 || lo >= hi)
                continue;
        }
        LocationRange r;
        r.everywhere = everywhere;
        r.low = everywhere ? 0 : lo + load_bias;
        r.high = everywhere ? 0 : hi + load_bias;
        for (Dwarf_Unsigned j = 0; j < nops; ++j) {
            Op op;
            Dwarf_Unsigned raw2 = 0, raw3 = 0, branch = 0;
            rc = dwarf_get_location_op_value_d(desc, j, &op.atom, &op.op1, &op.op2, &op.op3,
                                               &op.raw1, &raw2, &raw3, &branch, &e);
            if (rc != DW_DLV_OK) {
                if (rc == DW_DLV_ERROR) drop_error(dbg, e);
                break;
            }
            encode(r.expr, op, 4);
        }
        out.push_back(std::move(r));
    }
    dwarf_loc_head_c_dealloc(head);
    return out;
}

struct AttrDeleter {
    void operator()(Dwarf_Attribute a) const { dwarf_dealloc_attribute(a); }
};

} // namespace

Result<std::vector<LocationRange>> read_location(Dwarf_Debug dbg, Dwarf_Die die, Dwarf_Half at,
                                                 const Cu& cu, uint64_t load_bias) {
    Dwarf_Attribute raw = nullptr;
    Dwarf_Error e = nullptr;
    int rc = dwarf_attr(die, at, &raw, &e);
    if (rc == DW_DLV_ERROR) return take_error(dbg, e, "location attribute");
    if (rc != DW_DLV_OK) return std::vector<LocationRange>{};
    std::unique_ptr<std::remove_pointer_t<Dwarf_Attribute>, AttrDeleter> attr(raw);
    Dwarf_Half form = 0;
    if (dwarf_whatform(raw, &form, &e) == DW_DLV_ERROR) drop_error(dbg, e);
    bool single = form == DW_FORM_exprloc || form == DW_FORM_block1 || form == DW_FORM_block2 ||
                  form == DW_FORM_block4 || form == DW_FORM_block;
    if (single) {
        auto bytes = attr_block(dbg, die, at);
        if (!bytes) return err("unreadable location expression");
        if (bytes->empty()) return std::vector<LocationRange>{}; // optimised out
        if (cu.version < 5 || !needs_address_table(*bytes)) {
            LocationRange r;
            r.everywhere = true;
            r.expr = std::move(*bytes);
            return std::vector<LocationRange>{std::move(r)};
        }
    }
    return decode_list(dbg, raw, load_bias);
}

std::optional<uint64_t> indexed_static_address(Dwarf_Debug dbg, Dwarf_Die die, const Cu&) {
    // `DW_OP_addrx INDEX` alone: the address is entry INDEX of the unit's .debug_addr table,
    // which libdwarf finds through the unit's DW_AT_addr_base.
    auto expr = attr_block(dbg, die, DW_AT_location);
    if (!expr || expr->size() < 2 || (*expr)[0] != DW_OP_addrx) return std::nullopt;
    uint64_t index = 0;
    unsigned shift = 0;
    size_t i = 1;
    for (; i < expr->size() && shift < 64; ++i, shift += 7) {
        index |= uint64_t((*expr)[i] & 0x7f) << shift;
        if (!((*expr)[i] & 0x80)) break;
    }
    if (i + 1 != expr->size()) return std::nullopt; // more than the one op
    Dwarf_Addr addr = 0;
    Dwarf_Error e = nullptr;
    int rc = dwarf_debug_addr_index_to_addr(die, index, &addr, &e);
    if (rc == DW_DLV_ERROR) drop_error(dbg, e);
    if (rc != DW_DLV_OK) return std::nullopt;
    return addr;
}

} // namespace seam::dwarf
