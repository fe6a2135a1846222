// DWARF attribute forms read from raw bytes: the sizes DWARF 2-5 and the GNU extensions give
// them. Shared by the unit scanner; every read is bounded by the cursor.
#include "formatters/dwarf/dwarf_forms.h"

#include <cstring>

namespace seam::dwarf {

bool read_form(Cursor& c, uint16_t form, int64_t implicit, const UnitHeader& h, FormValue& v,
               int indirections) {
    switch (form) {
    case DW_FORM_addr:
        v.u = c.fixed(h.address_size);
        break;
    case DW_FORM_data1:
    case DW_FORM_ref1:
    case DW_FORM_flag:
    case DW_FORM_strx1:
    case DW_FORM_addrx1:
        v.u = c.u8();
        break;
    case DW_FORM_data2:
    case DW_FORM_ref2:
    case DW_FORM_strx2:
    case DW_FORM_addrx2:
        v.u = c.fixed(2);
        break;
    case DW_FORM_strx3:
    case DW_FORM_addrx3:
        v.u = c.fixed(3);
        break;
    case DW_FORM_data4:
    case DW_FORM_ref4:
    case DW_FORM_strx4:
    case DW_FORM_addrx4:
    case DW_FORM_ref_sup4:
        v.u = c.fixed(4);
        break;
    case DW_FORM_data8:
    case DW_FORM_ref8:
    case DW_FORM_ref_sig8:
    case DW_FORM_ref_sup8:
        v.u = c.fixed(8);
        break;
    case DW_FORM_data16:
        v.data = c.p;
        v.len = 16;
        c.skip(16);
        break;
    case DW_FORM_sdata:
        v.u = uint64_t(c.sleb());
        break;
    case DW_FORM_udata:
    case DW_FORM_ref_udata:
    case DW_FORM_strx:
    case DW_FORM_addrx:
    case DW_FORM_loclistx:
    case DW_FORM_rnglistx:
    case DW_FORM_GNU_addr_index:
    case DW_FORM_GNU_str_index:
        v.u = c.uleb();
        break;
    case DW_FORM_strp:
    case DW_FORM_line_strp:
    case DW_FORM_sec_offset:
    case DW_FORM_strp_sup:
    case DW_FORM_GNU_ref_alt:
    case DW_FORM_GNU_strp_alt:
        v.u = c.fixed(h.offset_size);
        break;
    case DW_FORM_ref_addr:
        v.u = c.fixed(h.version <= 2 ? h.address_size : h.offset_size);
        break;
    case DW_FORM_string: {
        const void* nul = c.p < c.end ? std::memchr(c.p, 0, size_t(c.end - c.p)) : nullptr;
        if (!nul) return false;
        v.data = c.p;
        v.len = uint64_t(static_cast<const uint8_t*>(nul) - c.p);
        c.p += v.len + 1;
        break;
    }
    case DW_FORM_block1:
    case DW_FORM_block2:
    case DW_FORM_block4:
    case DW_FORM_block:
    case DW_FORM_exprloc:
        v.len = form == DW_FORM_block1   ? c.u8()
                : form == DW_FORM_block2 ? c.fixed(2)
                : form == DW_FORM_block4 ? c.fixed(4)
                                         : c.uleb();
        v.data = c.p;
        c.skip(v.len);
        break;
    case DW_FORM_flag_present:
        v.u = 1;
        break;
    case DW_FORM_implicit_const:
        v.u = uint64_t(implicit);
        break;
    case DW_FORM_indirect: {
        uint64_t real = c.uleb();
        if (indirections > 2 || real == DW_FORM_implicit_const || real > 0xffff) return false;
        return read_form(c, uint16_t(real), 0, h, v, indirections + 1);
    }
    default:
        return false; // a form this scanner does not know
    }
    return !c.bad;
}

/// The size of a form's value when it does not depend on the bytes, else -1.
int64_t fixed_form_size(uint16_t form, unsigned offset_size, unsigned address_size,
                        uint16_t version) {
    switch (form) {
    case DW_FORM_flag_present:
    case DW_FORM_implicit_const:
        return 0;
    case DW_FORM_data1:
    case DW_FORM_ref1:
    case DW_FORM_flag:
    case DW_FORM_strx1:
    case DW_FORM_addrx1:
        return 1;
    case DW_FORM_data2:
    case DW_FORM_ref2:
    case DW_FORM_strx2:
    case DW_FORM_addrx2:
        return 2;
    case DW_FORM_strx3:
    case DW_FORM_addrx3:
        return 3;
    case DW_FORM_data4:
    case DW_FORM_ref4:
    case DW_FORM_strx4:
    case DW_FORM_addrx4:
    case DW_FORM_ref_sup4:
        return 4;
    case DW_FORM_data8:
    case DW_FORM_ref8:
    case DW_FORM_ref_sig8:
    case DW_FORM_ref_sup8:
        return 8;
    case DW_FORM_data16:
        return 16;
    case DW_FORM_addr:
        return address_size;
    case DW_FORM_strp:
    case DW_FORM_line_strp:
    case DW_FORM_sec_offset:
    case DW_FORM_strp_sup:
    case DW_FORM_GNU_ref_alt:
    case DW_FORM_GNU_strp_alt:
        return offset_size;
    case DW_FORM_ref_addr:
        return version <= 2 ? address_size : offset_size;
    default:
        return -1;
    }
}

} // namespace seam::dwarf
