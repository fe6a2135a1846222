// libdwarf at the boundary: DIE handles, attribute values and pc ranges, with every
// Dwarf_Error turned into seam::Error (or freed) where it arises.
#include <cstring>

#include "formatters/dwarf/dwarf_internal.h"

namespace seam::dwarf {

namespace {

struct AttrDeleter {
    void operator()(Dwarf_Attribute a) const { dwarf_dealloc_attribute(a); }
};
using Attr = std::unique_ptr<std::remove_pointer_t<Dwarf_Attribute>, AttrDeleter>;

Attr get_attr(Dwarf_Die die, Dwarf_Half at) {
    Dwarf_Attribute a = nullptr;
    Dwarf_Error e = nullptr;
    int rc = dwarf_attr(die, at, &a, &e);
    if (rc == DW_DLV_ERROR) drop_error(nullptr, e);
    return Attr(rc == DW_DLV_OK ? a : nullptr);
}

Dwarf_Half form_of(Dwarf_Attribute a) {
    Dwarf_Half form = 0;
    Dwarf_Error e = nullptr;
    if (dwarf_whatform(a, &form, &e) == DW_DLV_ERROR) drop_error(nullptr, e);
    return form;
}

Int128 from_le_bytes(const uint8_t* p, size_t n, bool is_signed) {
    Int128 v;
    n = std::min<size_t>(n, 16);
    for (size_t i = 0; i < n; ++i) {
        if (i < 8)
            v.lo |= uint64_t(p[i]) << (8 * i);
        else
            v.hi |= uint64_t(p[i]) << (8 * (i - 8));
    }
    if (is_signed && n > 0 && n < 16 && (p[n - 1] & 0x80)) {
        // Sign-extend from n bytes to 128 bits.
        if (n < 8) v.lo |= ~uint64_t(0) << (8 * n);
        v.hi |= n <= 8 ? ~uint64_t(0) : ~uint64_t(0) << (8 * (n - 8));
    }
    return v;
}

Int128 from_i64(int64_t s) {
    return Int128{uint64_t(s), s < 0 ? ~uint64_t(0) : 0};
}

} // namespace

Error take_error(Dwarf_Debug dbg, Dwarf_Error e, std::string_view what) {
    std::string msg = e ? dwarf_errmsg(e) : "unknown libdwarf error";
    if (e) dwarf_dealloc_error(dbg, e);
    return err("{}: {}", what, msg);
}

void drop_error(Dwarf_Debug dbg, Dwarf_Error e) {
    // With no Dwarf_Debug at hand libdwarf cannot free it safely; dwarf_finish will.
    if (dbg && e) dwarf_dealloc_error(dbg, e);
}

Result<Die> die_at(Dwarf_Debug dbg, uint64_t offset) {
    Dwarf_Die d = nullptr;
    Dwarf_Error e = nullptr;
    int rc = dwarf_offdie_b(dbg, offset, true, &d, &e);
    if (rc == DW_DLV_ERROR) return take_error(dbg, e, fmt::format("DIE at {:#x}", offset));
    if (rc != DW_DLV_OK) return err("no DIE at {:#x}", offset);
    return Die(d);
}

uint64_t die_offset(Dwarf_Die die) {
    Dwarf_Off off = 0;
    Dwarf_Error e = nullptr;
    if (dwarf_dieoffset(die, &off, &e) == DW_DLV_ERROR) drop_error(nullptr, e);
    return off;
}

Dwarf_Half die_tag(Dwarf_Die die) {
    Dwarf_Half tag = 0;
    Dwarf_Error e = nullptr;
    if (dwarf_tag(die, &tag, &e) == DW_DLV_ERROR) drop_error(nullptr, e);
    return tag;
}

std::string die_name(Dwarf_Die die) {
    char* name = nullptr;
    Dwarf_Error e = nullptr;
    int rc = dwarf_diename(die, &name, &e);
    if (rc == DW_DLV_ERROR) drop_error(nullptr, e);
    return rc == DW_DLV_OK && name ? std::string(name) : std::string();
}

bool has_attr(Dwarf_Die die, Dwarf_Half at) {
    Dwarf_Bool b = 0;
    Dwarf_Error e = nullptr;
    if (dwarf_hasattr(die, at, &b, &e) == DW_DLV_ERROR) drop_error(nullptr, e);
    return b != 0;
}

namespace {

/// Runs one libdwarf form reader on `a`: the value, or none when the attribute's form is not one
/// the reader takes (its error is released, not leaked).
template <class T, class Reader> std::optional<T> read_form(Dwarf_Attribute a, Reader reader) {
    T v{};
    Dwarf_Error e = nullptr;
    int rc = reader(a, &v, &e);
    if (rc == DW_DLV_ERROR) drop_error(nullptr, e);
    if (rc != DW_DLV_OK) return std::nullopt;
    return v;
}

} // namespace

bool attr_flag(Dwarf_Die die, Dwarf_Half at) {
    Attr a = get_attr(die, at);
    if (!a) return false;
    auto b = read_form<Dwarf_Bool>(a.get(), dwarf_formflag);
    return b && *b != 0;
}

std::optional<uint64_t> attr_udata(Dwarf_Die die, Dwarf_Half at) {
    Attr a = get_attr(die, at);
    if (!a) return std::nullopt;
    if (auto v = read_form<Dwarf_Unsigned>(a.get(), dwarf_formudata)) return *v;
    // DW_FORM_sdata holding a non-negative count, as some producers write.
    auto s = read_form<Dwarf_Signed>(a.get(), dwarf_formsdata);
    if (s && *s >= 0) return uint64_t(*s);
    return std::nullopt;
}

std::optional<int64_t> attr_sdata(Dwarf_Die die, Dwarf_Half at) {
    Attr a = get_attr(die, at);
    if (!a) return std::nullopt;
    if (auto v = read_form<Dwarf_Signed>(a.get(), dwarf_formsdata)) return *v;
    if (auto u = read_form<Dwarf_Unsigned>(a.get(), dwarf_formudata)) return int64_t(*u);
    return std::nullopt;
}

std::optional<std::string> attr_string(Dwarf_Die die, Dwarf_Half at) {
    Attr a = get_attr(die, at);
    if (!a) return std::nullopt;
    auto s = read_form<char*>(a.get(), dwarf_formstring);
    if (!s || !*s) return std::nullopt;
    return std::string(*s);
}

std::optional<uint64_t> attr_ref(Dwarf_Die die, Dwarf_Half at) {
    Attr a = get_attr(die, at);
    if (!a) return std::nullopt;
    return read_form<Dwarf_Off>(a.get(), dwarf_global_formref);
}

std::optional<std::vector<uint8_t>> attr_block(Dwarf_Debug dbg, Dwarf_Die die, Dwarf_Half at) {
    Attr a = get_attr(die, at);
    if (!a) return std::nullopt;
    Dwarf_Error e = nullptr;
    if (form_of(a.get()) == DW_FORM_exprloc) {
        Dwarf_Unsigned len = 0;
        Dwarf_Ptr p = nullptr;
        int rc = dwarf_formexprloc(a.get(), &len, &p, &e);
        if (rc == DW_DLV_ERROR) drop_error(nullptr, e);
        if (rc != DW_DLV_OK) return std::nullopt;
        auto* b = static_cast<const uint8_t*>(p);
        return std::vector<uint8_t>(b, b + len);
    }
    Dwarf_Block* blk = nullptr;
    int rc = dwarf_formblock(a.get(), &blk, &e);
    if (rc == DW_DLV_ERROR) drop_error(nullptr, e);
    if (rc != DW_DLV_OK) return std::nullopt;
    auto* b = static_cast<const uint8_t*>(blk->bl_data);
    std::vector<uint8_t> out(b, b + blk->bl_len);
    dwarf_dealloc(dbg, blk, DW_DLA_BLOCK);
    return out;
}

std::optional<Int128> attr_int128(Dwarf_Debug dbg, Dwarf_Die die, Dwarf_Half at, bool is_signed) {
    Attr a = get_attr(die, at);
    if (!a) return std::nullopt;
    switch (form_of(a.get())) {
    case DW_FORM_block:
    case DW_FORM_block1:
    case DW_FORM_block2:
    case DW_FORM_block4: {
        // LLVM writes u128/i128 discriminants and enumerators as a block of 16 LE bytes.
        auto bytes = attr_block(dbg, die, at);
        if (!bytes) return std::nullopt;
        return from_le_bytes(bytes->data(), bytes->size(), is_signed);
    }
    case DW_FORM_data16: {
        auto d = read_form<Dwarf_Form_Data16>(a.get(), dwarf_formdata16);
        if (!d) return std::nullopt;
        return from_le_bytes(reinterpret_cast<const uint8_t*>(d->fd_data), 16, false);
    }
    case DW_FORM_sdata:
    case DW_FORM_implicit_const: {
        auto s = attr_sdata(die, at);
        if (!s) return std::nullopt;
        return from_i64(*s);
    }
    case DW_FORM_udata: {
        auto u = attr_udata(die, at);
        if (!u) return std::nullopt;
        return Int128{*u, 0};
    }
    default:
        break;
    }
    if (is_signed) {
        auto s = attr_sdata(die, at);
        if (s) return from_i64(*s);
        return std::nullopt;
    }
    auto u = attr_udata(die, at);
    if (!u) return std::nullopt;
    return Int128{*u, 0};
}

Lang lang_from_dwarf(uint64_t dw_lang) {
    switch (dw_lang) {
    case DW_LANG_Rust:
        return Lang::Rust;
    case DW_LANG_C89:
    case DW_LANG_C:
    case DW_LANG_C99:
    case DW_LANG_C11:
    case 0x2c: // DW_LANG_C17
        return Lang::C;
    case DW_LANG_C_plus_plus:
    case DW_LANG_C_plus_plus_03:
    case DW_LANG_C_plus_plus_11:
    case DW_LANG_C_plus_plus_14:
    case 0x2a: // DW_LANG_C_plus_plus_17
    case 0x2b: // DW_LANG_C_plus_plus_20
        return Lang::Cpp;
    default:
        return Lang::Unknown;
    }
}

namespace {

void add_range(std::vector<AddrRange>& out, uint64_t lo, uint64_t hi) {
    // Dead code's ranges survive linking as [0, n) or [1, 1) (rustc): never a real pc.
    if (lo < hi && lo > 1) out.emplace_back(lo, hi);
}

void debug_ranges(Dwarf_Debug dbg, Dwarf_Die die, uint64_t offset, uint64_t base,
                  std::vector<AddrRange>& out) {
    Dwarf_Ranges* buf = nullptr;
    Dwarf_Signed count = 0;
    Dwarf_Unsigned bytes = 0;
    Dwarf_Off real = 0;
    Dwarf_Error e = nullptr;
    int rc = dwarf_get_ranges_b(dbg, offset, die, &real, &buf, &count, &bytes, &e);
    if (rc == DW_DLV_ERROR) drop_error(dbg, e);
    if (rc != DW_DLV_OK) return;
    for (Dwarf_Signed i = 0; i < count; ++i) {
        const Dwarf_Ranges& r = buf[i];
        if (r.dwr_type == DW_RANGES_END) break;
        if (r.dwr_type == DW_RANGES_ADDRESS_SELECTION)
            base = r.dwr_addr2;
        else
            add_range(out, base + r.dwr_addr1, base + r.dwr_addr2);
    }
    dwarf_ranges_dealloc(dbg, buf, count);
}

void rnglists(Dwarf_Debug dbg, Dwarf_Attribute a, Dwarf_Half form, std::vector<AddrRange>& out) {
    Dwarf_Error e = nullptr;
    Dwarf_Unsigned value = 0;
    int rc = form == DW_FORM_rnglistx ? dwarf_formudata(a, &value, &e)
                                      : dwarf_global_formref(a, &value, &e);
    if (rc == DW_DLV_ERROR) {
        drop_error(dbg, e);
        rc = dwarf_formudata(a, &value, &e);
        if (rc == DW_DLV_ERROR) drop_error(dbg, e);
    }
    if (rc != DW_DLV_OK) return;
    Dwarf_Rnglists_Head head = nullptr;
    Dwarf_Unsigned count = 0, global = 0;
    rc = dwarf_rnglists_get_rle_head(a, form, value, &head, &count, &global, &e);
    if (rc == DW_DLV_ERROR) drop_error(dbg, e);
    if (rc != DW_DLV_OK) return;
    for (Dwarf_Unsigned i = 0; i < count; ++i) {
        unsigned len = 0, code = 0;
        Dwarf_Unsigned raw1 = 0, raw2 = 0, lo = 0, hi = 0;
        Dwarf_Bool unavailable = 0;
        rc = dwarf_get_rnglists_entry_fields_a(head, i, &len, &code, &raw1, &raw2, &unavailable,
                                               &lo, &hi, &e);
        if (rc == DW_DLV_ERROR) drop_error(dbg, e);
        if (rc != DW_DLV_OK || code == DW_RLE_end_of_list) break;
        if (unavailable || code == DW_RLE_base_address || code == DW_RLE_base_addressx) continue;
        add_range(out, lo, hi); // libdwarf hands back the cooked (base-applied) addresses
    }
    dwarf_dealloc_rnglists_head(head);
}

} // namespace

std::vector<AddrRange> die_ranges(Dwarf_Debug dbg, Dwarf_Die die, const Cu& cu) {
    std::vector<AddrRange> out;
    Dwarf_Error e = nullptr;
    Dwarf_Addr low = 0;
    int rc = dwarf_lowpc(die, &low, &e);
    if (rc == DW_DLV_ERROR) drop_error(dbg, e);
    if (rc == DW_DLV_OK) {
        Dwarf_Addr high = 0;
        Dwarf_Half form = 0;
        Dwarf_Form_Class cls = DW_FORM_CLASS_UNKNOWN;
        rc = dwarf_highpc_b(die, &high, &form, &cls, &e);
        if (rc == DW_DLV_ERROR) drop_error(dbg, e);
        if (rc == DW_DLV_OK) {
            add_range(out, low, cls == DW_FORM_CLASS_CONSTANT ? low + high : high);
            return out;
        }
    }
    Attr a = get_attr(die, DW_AT_ranges);
    if (!a) return out;
    Dwarf_Half form = form_of(a.get());
    if (cu.version >= 5 || form == DW_FORM_rnglistx) {
        rnglists(dbg, a.get(), form, out);
    } else {
        Dwarf_Off off = 0;
        rc = dwarf_global_formref(a.get(), &off, &e);
        if (rc == DW_DLV_ERROR) {
            drop_error(dbg, e);
            Dwarf_Unsigned u = 0;
            rc = dwarf_formudata(a.get(), &u, &e);
            if (rc == DW_DLV_ERROR) drop_error(dbg, e);
            off = u;
        }
        if (rc == DW_DLV_OK) debug_ranges(dbg, die, off, cu.base_address, out);
    }
    return out;
}

bool ranges_contain(const std::vector<AddrRange>& ranges, uint64_t addr) {
    for (const auto& [lo, hi] : ranges)
        if (addr >= lo && addr < hi) return true;
    return false;
}

} // namespace seam::dwarf
