// A unit's index read straight from .debug_info and .debug_abbrev: the walk of dwarf_index.cpp
// (namespaces and types, never into function bodies) without a libdwarf DIE handle per DIE.
// On 105 MB of gcc DWARF the libdwarf walk spent 70% of its time inside libdwarf (abbreviation
// look-ups, attribute sizes, a malloc and free per DIE and per attribute); this decodes each
// attribute once, keeps only the few the index needs, and jumps over subtrees it does not enter
// with DW_AT_sibling where the producer wrote one. Anything unusual (a form it does not know, a
// string in a supplementary file, a bad offset) gives up on the unit, which libdwarf then walks.
#include <cstring>

#include "formatters/dwarf/dwarf_forms.h"
#include "formatters/dwarf/dwarf_internal.h"

namespace seam::dwarf {

namespace {

struct AttrSpec {
    uint16_t at = 0;
    uint16_t form = 0;
    int64_t implicit = 0; ///< DW_FORM_implicit_const's value, from the abbreviation
};

struct Abbrev {
    uint16_t tag = 0;
    bool children = false;
    /// Whether the index reads any attribute of such a DIE. A member, enumerator or
    /// parameter without children is only an offset and a scope: with `fixed_size` known, the
    /// scanner steps over it in one add (most of a large unit's DIEs are members).
    bool wanted = true;
    int64_t fixed_size = -1; ///< bytes of all attribute values, -1 if any is of variable size
    std::vector<AttrSpec> attrs;
};

/// The DIEs whose names the index keeps (types and scopes); others need none.
bool needs_name(uint16_t tag) {
    return is_type_tag(tag) || opens_scope(tag);
}

/// What the index needs of one DIE; the rest of its attributes are read past.
struct DieFacts {
    uint64_t offset = 0;
    const Abbrev* abbrev = nullptr;
    bool has_name = false;
    uint16_t name_form = 0;
    FormValue name;
    bool declaration = false;
    bool has_sibling = false;
    uint64_t sibling = 0; ///< .debug_info offset
    bool has_low = false, has_high = false, has_ranges = false;
    uint16_t low_form = 0, high_form = 0;
    uint64_t low = 0, high = 0;
    bool has_location = false;
    uint16_t location_form = 0;
    FormValue location;
    bool has_str_offsets_base = false; ///< the unit DIE's, for DW_FORM_strx names
    uint64_t str_offsets_base = 0;
    bool has_addr_base = false; ///< the unit DIE's, for DW_FORM_addrx and DW_OP_addrx
    uint64_t addr_base = 0;
};

class UnitScanner {
public:
    UnitScanner(const RawSections& raw, Dwarf_Debug dbg, const Cu& cu, CuIndex& idx)
        : m_raw(raw), m_dbg(dbg), m_cu(cu), m_idx(idx) {}

    bool run() {
        const auto* info = reinterpret_cast<const uint8_t*>(m_raw.info.data());
        if (m_cu.end_offset > m_raw.info.size() || m_cu.header_offset >= m_cu.end_offset)
            return false;
        m_info = info;
        Cursor c{info + m_cu.header_offset, info + m_cu.end_offset};
        if (!read_header(c) || uint64_t(c.p - info) != m_cu.die_offset) return false;
        if (!read_abbrevs()) return false;
        DieFacts root;
        if (!read_die(c, root)) return false;
        m_h.has_str_offsets_base = root.has_str_offsets_base;
        m_h.str_offsets_base = root.str_offsets_base;
        m_h.has_addr_base = root.has_addr_base;
        m_h.addr_base = root.addr_base;
        if (!root.abbrev || !root.abbrev->children) return true; // no children: nothing to index
        return walk(c, 0, 0) && !c.bad;
    }

private:
    bool read_header(Cursor& c) {
        uint64_t length = c.fixed(4);
        if (length == 0xffffffff) {
            m_h.offset_size = 8;
            c.fixed(8);
        } else if (length >= 0xfffffff0) {
            return false;
        }
        m_h.version = uint16_t(c.fixed(2));
        if (m_h.version < 2 || m_h.version > 5 || m_h.version != m_cu.version) return false;
        if (m_h.version >= 5) {
            uint8_t unit_type = c.u8();
            m_h.address_size = c.u8();
            m_h.abbrev_offset = c.fixed(m_h.offset_size);
            switch (unit_type) {
            case DW_UT_compile:
            case DW_UT_partial:
                break;
            case DW_UT_skeleton:
            case DW_UT_split_compile:
                c.skip(8); // dwo id
                break;
            case DW_UT_type:
            case DW_UT_split_type:
                c.skip(8 + m_h.offset_size); // signature, type offset
                break;
            default:
                return false;
            }
        } else {
            m_h.abbrev_offset = c.fixed(m_h.offset_size);
            m_h.address_size = c.u8();
        }
        if (m_h.address_size != 4 && m_h.address_size != 8) return false;
        return !c.bad;
    }

    bool read_abbrevs() {
        if (m_h.abbrev_offset >= m_raw.abbrev.size()) return false;
        const auto* base = reinterpret_cast<const uint8_t*>(m_raw.abbrev.data());
        Cursor c{base + m_h.abbrev_offset, base + m_raw.abbrev.size()};
        for (;;) {
            uint64_t code = c.uleb();
            if (c.bad) return false;
            if (code == 0) return true;
            Abbrev a;
            a.tag = uint16_t(c.uleb());
            a.children = c.u8() == DW_CHILDREN_yes;
            for (;;) {
                uint64_t at = c.uleb();
                uint64_t form = c.uleb();
                if (c.bad || at > 0xffff || form > 0xffff) return false;
                if (at == 0 && form == 0) break;
                AttrSpec spec{uint16_t(at), uint16_t(form), 0};
                if (form == DW_FORM_implicit_const) spec.implicit = c.sleb();
                a.attrs.push_back(spec);
            }
            a.wanted = a.children || needs_name(a.tag) || a.tag == DW_TAG_subprogram ||
                       a.tag == DW_TAG_variable || a.tag == DW_TAG_compile_unit ||
                       a.tag == DW_TAG_partial_unit || a.tag == DW_TAG_type_unit ||
                       a.tag == DW_TAG_skeleton_unit;
            a.fixed_size = 0;
            for (const AttrSpec& spec : a.attrs) {
                int64_t n =
                    fixed_form_size(spec.form, m_h.offset_size, m_h.address_size, m_h.version);
                if (n < 0) {
                    a.fixed_size = -1;
                    break;
                }
                a.fixed_size += n;
            }
            // Codes are small and dense in practice (1..N); a code this large means garbage.
            if (code > (1u << 20)) return false;
            if (code >= m_abbrevs.size()) m_abbrevs.resize(code + 1);
            if (!m_abbrevs[code].second) m_abbrevs[code] = {std::move(a), true};
        }
    }

    /// Reads the DIE at `c` (its code and every attribute), leaving `c` at its first child or
    /// next sibling. A null entry reads as a DIE with no abbreviation.
    bool read_die(Cursor& c, DieFacts& d) {
        d.offset = uint64_t(c.p - m_info);
        uint64_t code = c.uleb();
        if (c.bad) return false;
        if (code == 0) return true;
        if (code >= m_abbrevs.size() || !m_abbrevs[code].second) return false;
        d.abbrev = &m_abbrevs[code].first;
        if (!d.abbrev->wanted && d.abbrev->fixed_size >= 0) {
            c.skip(uint64_t(d.abbrev->fixed_size));
            return !c.bad;
        }
        for (const AttrSpec& spec : d.abbrev->attrs) {
            FormValue v;
            uint16_t form = spec.form;
            if (form == DW_FORM_indirect) {
                Cursor peek = c;
                uint64_t real = peek.uleb();
                if (peek.bad || real > 0xffff) return false;
                form = uint16_t(real); // the value is read below through read_form's indirection
            }
            if (!read_form(c, spec.form, spec.implicit, m_h, v)) return false;
            switch (spec.at) {
            case DW_AT_name:
                d.has_name = true;
                d.name_form = form;
                d.name = v;
                break;
            case DW_AT_declaration:
                // libdwarf's dwarf_formflag takes these two forms only; anything else is false.
                d.declaration = (form == DW_FORM_flag || form == DW_FORM_flag_present) && v.u;
                break;
            case DW_AT_sibling:
                if (form == DW_FORM_ref1 || form == DW_FORM_ref2 || form == DW_FORM_ref4 ||
                    form == DW_FORM_ref8 || form == DW_FORM_ref_udata) {
                    d.has_sibling = true;
                    d.sibling = m_cu.header_offset + v.u;
                } else if (form == DW_FORM_ref_addr) {
                    d.has_sibling = true;
                    d.sibling = v.u;
                }
                break;
            case DW_AT_low_pc:
                d.has_low = true;
                d.low_form = form;
                d.low = v.u;
                break;
            case DW_AT_high_pc:
                d.has_high = true;
                d.high_form = form;
                d.high = v.u;
                break;
            case DW_AT_ranges:
                d.has_ranges = true;
                break;
            case DW_AT_str_offsets_base:
                d.has_str_offsets_base = form == DW_FORM_sec_offset;
                d.str_offsets_base = v.u;
                break;
            case DW_AT_addr_base:
            case DW_AT_GNU_addr_base:
                d.has_addr_base = form == DW_FORM_sec_offset;
                d.addr_base = v.u;
                break;
            case DW_AT_location:
                d.has_location = true;
                d.location_form = form;
                d.location = v;
                break;
            default:
                break;
            }
        }
        return true;
    }

    /// The DIE's DW_AT_name as libdwarf's dwarf_diename reads it: false when the scanner
    /// cannot resolve the form (the unit goes to libdwarf).
    bool name_of(const DieFacts& d, std::string_view& out) {
        out = {};
        if (!d.has_name) return true;
        auto cstr = [&](std::string_view sec, uint64_t off) {
            if (off >= sec.size()) return false;
            const char* s = sec.data() + off;
            const void* nul = std::memchr(s, 0, sec.size() - off);
            if (!nul) return false;
            out = std::string_view(s, size_t(static_cast<const char*>(nul) - s));
            return true;
        };
        switch (d.name_form) {
        case DW_FORM_string:
            out = std::string_view(reinterpret_cast<const char*>(d.name.data), d.name.len);
            return true;
        case DW_FORM_strp:
            return cstr(m_raw.str, d.name.u);
        case DW_FORM_line_strp:
            return cstr(m_raw.line_str, d.name.u);
        case DW_FORM_strx:
        case DW_FORM_strx1:
        case DW_FORM_strx2:
        case DW_FORM_strx3:
        case DW_FORM_strx4: {
            if (!m_h.has_str_offsets_base) return false;
            uint64_t at = m_h.str_offsets_base + d.name.u * m_h.offset_size;
            if (at + m_h.offset_size > m_raw.str_offsets.size()) return false;
            Cursor c{reinterpret_cast<const uint8_t*>(m_raw.str_offsets.data()) + at,
                     reinterpret_cast<const uint8_t*>(m_raw.str_offsets.data()) +
                         m_raw.str_offsets.size()};
            return cstr(m_raw.str, c.fixed(m_h.offset_size));
        }
        default:
            return false;
        }
    }

    /// Skips the children of a DIE the walk does not enter: to its DW_AT_sibling when the
    /// producer wrote one, else DIE by DIE.
    bool skip_children(Cursor& c, const DieFacts& d) {
        if (d.has_sibling) {
            if (d.sibling <= d.offset || d.sibling >= m_cu.end_offset) return false;
            c.p = m_info + d.sibling;
            return true;
        }
        for (unsigned level = 1; level > 0;) {
            DieFacts child;
            if (!read_die(c, child)) return false;
            if (!child.abbrev) {
                --level;
            } else if (child.abbrev->children) {
                if (child.has_sibling) {
                    if (child.sibling <= child.offset || child.sibling >= m_cu.end_offset)
                        return false;
                    c.p = m_info + child.sibling;
                } else {
                    ++level;
                }
            }
        }
        return true;
    }

    /// The children of one DIE, `c` at the first; leaves `c` past their null entry. Mirrors
    /// dwarf_index.cpp's UnitWalker::walk and visit.
    bool walk(Cursor& c, uint32_t scope, int depth) {
        bool record = depth <= 64;
        for (;;) {
            DieFacts d;
            if (!read_die(c, d)) return false;
            if (!d.abbrev) return true;
            uint16_t tag = d.abbrev->tag;
            std::optional<uint32_t> inner;
            if (record) {
                std::string_view name;
                if (needs_name(tag) && !name_of(d, name)) return false;
                if (!visit(d, tag, name, scope, inner)) return false;
            }
            if (!d.abbrev->children) continue;
            if (inner) {
                if (!walk(c, *inner, depth + 1)) return false;
            } else if (!skip_children(c, d)) {
                return false;
            }
        }
    }

    bool visit(const DieFacts& d, uint16_t tag, std::string_view name, uint32_t scope,
               std::optional<uint32_t>& inner) {
        m_idx.scope_of.emplace_back(d.offset, scope);
        const std::string& prefix = m_idx.scopes[scope];
        bool plain = prefix.empty() || name.empty() || m_cu.lang == Lang::C;
        auto qualified = [&] {
            std::string q;
            if (plain) return std::string(name);
            q.reserve(prefix.size() + 2 + name.size());
            q.append(prefix).append("::").append(name);
            return q;
        };
        if (is_type_tag(tag) && !name.empty() && !d.declaration)
            m_idx.type_names.emplace_back(qualified(), d.offset);
        if (tag == DW_TAG_subprogram && !d.declaration && !add_subprogram(d)) return false;
        if (tag == DW_TAG_variable && !d.declaration && d.has_location &&
            (d.location_form == DW_FORM_exprloc || d.location_form == DW_FORM_block1 ||
             d.location_form == DW_FORM_block2 || d.location_form == DW_FORM_block4 ||
             d.location_form == DW_FORM_block) &&
            d.location.len == 9 && d.location.data[0] == DW_OP_addr) {
            uint64_t addr = 0;
            for (int i = 0; i < 8; ++i) addr |= uint64_t(d.location.data[1 + i]) << (8 * i);
            m_idx.globals.emplace_back(addr, d.offset);
        } else if (tag == DW_TAG_variable && !d.declaration && d.has_location &&
                   d.location_form == DW_FORM_exprloc && d.location.len >= 2 &&
                   d.location.data[0] == DW_OP_addrx) {
            // DWARF 5 from LLVM (clang's C, rustc's with -C dwarf-version=5, the kernel's): the
            // address is an entry of the unit's table in .debug_addr, in C units as in Rust
            // ones (a vtable is such a global, and names a trait object's concrete type).
            Cursor op{d.location.data + 1, d.location.data + d.location.len};
            uint64_t index = op.uleb();
            if (op.bad || op.p != op.end) {
                // More than the one op: not an address of its own.
            } else if (auto addr = indexed_address(index)) {
                m_idx.globals.emplace_back(*addr, d.offset);
            } else {
                // No table the scanner can read: libdwarf's reading of it.
                if (!m_dbg) return false;
                if (auto die = die_at(m_dbg, d.offset))
                    if (auto a = indexed_static_address(m_dbg, die->get(), m_cu))
                        m_idx.globals.emplace_back(*a, d.offset);
            }
        } else if (tag == DW_TAG_variable && !d.declaration && d.has_location &&
                   d.location_form != DW_FORM_sec_offset && d.location_form != DW_FORM_loclistx) {
            if (auto tls = tls_offset_of(d.location.data, d.location.len))
                m_idx.thread_locals.emplace_back(*tls, d.offset);
        }
        if (opens_scope(tag) && !name.empty()) {
            m_idx.scopes.push_back(qualified());
            inner = uint32_t(m_idx.scopes.size() - 1);
        }
        return true;
    }

    /// The subprogram's pc ranges as die_ranges gives them. The common low/high pair is read
    /// here; DW_AT_ranges, an indexed address or an odd form goes through libdwarf.
    bool add_subprogram(const DieFacts& d) {
        auto add = [&](uint64_t lo, uint64_t hi) {
            if (lo < hi && lo > 1) m_idx.subprograms.push_back({lo, hi, d.offset});
        };
        if (!d.has_low && !d.has_ranges) return true; // no code: an abstract instance
        bool constant_high = d.high_form == DW_FORM_data1 || d.high_form == DW_FORM_data2 ||
                             d.high_form == DW_FORM_data4 || d.high_form == DW_FORM_data8 ||
                             d.high_form == DW_FORM_udata;
        if (d.has_low && d.low_form == DW_FORM_addr && d.has_high &&
            (constant_high || d.high_form == DW_FORM_addr)) {
            add(d.low, constant_high ? d.low + d.high : d.high);
            return true;
        }
        // DWARF 5 from LLVM: the low pc an entry of .debug_addr, the high pc its length.
        if (d.has_low && is_addrx_form(d.low_form) && d.has_high && constant_high)
            if (auto low = indexed_address(d.low)) {
                add(*low, *low + d.high);
                return true;
            }
        if (!m_dbg) return false;
        auto die = die_at(m_dbg, d.offset);
        if (!die) return false;
        for (const auto& [lo, hi] : die_ranges(m_dbg, die->get(), m_cu))
            m_idx.subprograms.push_back({lo, hi, d.offset});
        return true;
    }

    /// Entry `index` of the unit's address table (DW_AT_addr_base into .debug_addr), read from
    /// the section's bytes; none without a base or past the section's end.
    std::optional<uint64_t> indexed_address(uint64_t index) const {
        const uint64_t size = m_h.address_size;
        if (!m_h.has_addr_base || m_raw.addr.size() < size || index > m_raw.addr.size() / size)
            return std::nullopt;
        uint64_t at = m_h.addr_base + index * size;
        if (at < m_h.addr_base || at > m_raw.addr.size() - size) return std::nullopt;
        Cursor c{reinterpret_cast<const uint8_t*>(m_raw.addr.data()) + at,
                 reinterpret_cast<const uint8_t*>(m_raw.addr.data()) + m_raw.addr.size()};
        return c.fixed(unsigned(size));
    }

    static bool is_addrx_form(uint16_t form) {
        return form == DW_FORM_addrx || form == DW_FORM_addrx1 || form == DW_FORM_addrx2 ||
               form == DW_FORM_addrx3 || form == DW_FORM_addrx4;
    }

    const RawSections& m_raw;
    Dwarf_Debug m_dbg;
    const Cu& m_cu;
    CuIndex& m_idx;
    const uint8_t* m_info = nullptr;
    UnitHeader m_h;
    std::vector<std::pair<Abbrev, bool>> m_abbrevs; ///< by code; second: defined
};

} // namespace

bool scan_unit(const RawSections& raw, Dwarf_Debug dbg, const Cu& cu, CuIndex& out) {
    return UnitScanner(raw, dbg, cu, out).run();
}

} // namespace seam::dwarf
