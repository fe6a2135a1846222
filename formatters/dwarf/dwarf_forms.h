#pragma once
/// Private to formatters/dwarf: reading DWARF attribute values from raw section bytes, for the
/// unit scanner (dwarf_scan.cpp) and the CFI expression evaluator (cfi.cpp). Little-endian only
/// (dwarf_raw.cpp maps nothing else).
#include <cstdint>

#include <dwarf.h>

namespace seam::dwarf {

/// A bounded little-endian reader; reading past the end sets `bad` and yields zeros.
struct Cursor {
    const uint8_t* p = nullptr;
    const uint8_t* end = nullptr;
    bool bad = false;

    bool need(uint64_t n) {
        if (uint64_t(end - p) < n) {
            bad = true;
            p = end;
            return false;
        }
        return true;
    }
    uint64_t fixed(unsigned n) {
        if (!need(n)) return 0;
        uint64_t v = 0;
        for (unsigned i = 0; i < n; ++i) v |= uint64_t(p[i]) << (8 * i);
        p += n;
        return v;
    }
    uint8_t u8() { return need(1) ? *p++ : 0; }
    uint64_t uleb() {
        uint64_t v = 0;
        for (unsigned shift = 0;; shift += 7) {
            if (!need(1)) return 0;
            uint8_t b = *p++;
            if (shift < 64) v |= uint64_t(b & 0x7f) << shift;
            if (!(b & 0x80)) return v;
        }
    }
    int64_t sleb() {
        // Built unsigned: the sign extension of a 64-bit value shifts into the top bit, which
        // signed arithmetic may not do (UBSan found `-(1 << 63)` on a real unit).
        uint64_t v = 0;
        unsigned shift = 0;
        uint8_t b = 0;
        do {
            if (!need(1)) return 0;
            b = *p++;
            if (shift < 64) v |= uint64_t(b & 0x7f) << shift;
            shift += 7;
        } while (b & 0x80);
        if (shift < 64 && (b & 0x40)) v |= ~uint64_t(0) << shift;
        return int64_t(v);
    }
    void skip(uint64_t n) {
        if (need(n)) p += n;
    }
};

/// What a unit's header (and its root DIE) say about the sizes of its values.
struct UnitHeader {
    unsigned offset_size = 4;
    unsigned address_size = 8;
    uint16_t version = 0;
    uint64_t abbrev_offset = 0;
    uint64_t str_offsets_base = 0;
    bool has_str_offsets_base = false;
    uint64_t addr_base = 0; ///< the unit DIE's DW_AT_addr_base: its table in .debug_addr
    bool has_addr_base = false;
};

/// One attribute value as read: a number, or bytes (block, exprloc, inline string, data16).
struct FormValue {
    uint64_t u = 0;
    const uint8_t* data = nullptr;
    uint64_t len = 0;
};

/// Reads one value of `form` at `c` (DW_FORM_indirect followed), leaving `c` after it. False for
/// a form the scanner does not know or a value running past the end.
bool read_form(Cursor& c, uint16_t form, int64_t implicit, const UnitHeader& h, FormValue& v,
               int indirections = 0);
/// The size of a form's value when it does not depend on the bytes, else -1.
int64_t fixed_form_size(uint16_t form, unsigned offset_size, unsigned address_size,
                        uint16_t version);

} // namespace seam::dwarf
