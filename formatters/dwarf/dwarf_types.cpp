// DIEs to seam::Type. Each type is created, cached under its DIE offset and only then filled,
// so recursive types (a list node pointing at itself) terminate; sizes and names come from the
// DIE's own attributes before any member is visited, so a type reached again mid-build still
// answers them.
#include "formatters/dwarf/dwarf_internal.h"

namespace seam {

using namespace dwarf;

namespace {

Encoding encoding_from(uint64_t ate) {
    switch (ate) {
    case DW_ATE_signed:
        return Encoding::Signed;
    case DW_ATE_unsigned:
        return Encoding::Unsigned;
    case DW_ATE_signed_char:
        return Encoding::SignedChar;
    case DW_ATE_unsigned_char:
        return Encoding::UnsignedChar;
    case DW_ATE_float:
        return Encoding::Float;
    case DW_ATE_boolean:
        return Encoding::Bool;
    case DW_ATE_UTF:
        return Encoding::Utf;
    case DW_ATE_address:
        return Encoding::Address;
    default:
        return Encoding::None;
    }
}

bool is_signed_type(const Type* t) {
    t = strip(t);
    if (!t) return false;
    if (t->kind == TypeKind::Enum) return t->enum_is_signed;
    return t->encoding == Encoding::Signed || t->encoding == Encoding::SignedChar;
}

bool is_aggregate_tag(Dwarf_Half tag) {
    return tag == DW_TAG_structure_type || tag == DW_TAG_class_type || tag == DW_TAG_union_type ||
           tag == DW_TAG_enumeration_type;
}

/// Reads LEB128 numbers out of a DW_AT_discr_list block.
struct LebReader {
    const std::vector<uint8_t>& bytes;
    size_t pos = 0;
    bool done() const { return pos >= bytes.size(); }
    uint8_t byte() { return done() ? 0 : bytes[pos++]; }
    Int128 number(bool is_signed) {
        uint64_t lo = 0, hi = 0;
        unsigned shift = 0;
        uint8_t b = 0;
        do {
            b = byte();
            uint64_t bits = b & 0x7f;
            if (shift < 64) {
                lo |= bits << shift;
                if (shift > 57) hi |= bits >> (64 - shift);
            } else if (shift < 128) {
                hi |= bits << (shift - 64);
            }
            shift += 7;
        } while ((b & 0x80) && !done());
        if (is_signed && (b & 0x40) && shift < 128) {
            if (shift < 64) {
                lo |= ~uint64_t(0) << shift;
                hi = ~uint64_t(0);
            } else {
                hi |= ~uint64_t(0) << (shift - 64);
            }
        }
        return Int128{lo, hi};
    }
};

class TypeBuilder {
public:
    TypeBuilder(DebugInfo::Impl& impl, Cu* cu) : m_impl(impl), m_dbg(impl.dbg), m_cu(cu) {}

    void fill(Type& t, Dwarf_Die die, Dwarf_Half tag) {
        switch (tag) {
        case DW_TAG_base_type:
            t.kind = TypeKind::Base;
            t.encoding = encoding_from(attr_udata(die, DW_AT_encoding).value_or(0));
            break;
        case DW_TAG_pointer_type:
        case DW_TAG_reference_type:
        case DW_TAG_rvalue_reference_type:
            t.kind = TypeKind::Pointer;
            t.is_reference = tag != DW_TAG_pointer_type;
            t.target = target_or_void(die);
            if (!t.has_size) set_size(t, m_cu ? m_cu->address_size : 8);
            if (t.name.empty()) t.name = t.qualified = pointer_name(t);
            break;
        case DW_TAG_typedef:
            t.kind = TypeKind::Typedef;
            t.target = target_or_void(die);
            if (t.target->has_size) set_size(t, t.target->size);
            break;
        case DW_TAG_const_type:
        case DW_TAG_volatile_type:
        case DW_TAG_restrict_type:
        case DW_TAG_atomic_type:
            fill_qualifier(t, die, tag);
            break;
        case DW_TAG_structure_type:
        case DW_TAG_class_type:
        case DW_TAG_union_type:
            t.kind = tag == DW_TAG_union_type ? TypeKind::Union : TypeKind::Struct;
            fill_members(t, die);
            break;
        case DW_TAG_enumeration_type:
            fill_enum(t, die);
            break;
        case DW_TAG_array_type:
            fill_array(t, die);
            break;
        case DW_TAG_subroutine_type:
            fill_function(t, die);
            break;
        default: // DW_TAG_unspecified_type and anything we do not model
            t.kind = TypeKind::Void;
            break;
        }
        if (auto ct = attr_ref(die, DW_AT_containing_type)) t.containing_type = m_impl.type_at(*ct);
    }

private:
    static void set_size(Type& t, uint64_t size) {
        t.size = size;
        t.has_size = true;
    }

    /// C's spelling for unnamed derived types (rustc names its own: `&str`, `[u8; 4]`).
    static std::string function_signature(const Type& f, std::string_view declarator) {
        std::string out =
            (f.target ? f.target->qualified : "void") + " " + std::string(declarator) + "(";
        for (size_t i = 0; i < f.params.size(); ++i)
            out += (i ? ", " : "") + f.params[i]->qualified;
        return out + ")";
    }
    static std::string pointer_name(const Type& p) {
        if (p.target->kind == TypeKind::Function)
            return function_signature(*p.target, p.is_reference ? "(&)" : "(*)");
        return p.target->qualified + (p.is_reference ? " &" : " *");
    }

    const Type* target_or_void(Dwarf_Die die) {
        auto ref = attr_ref(die, DW_AT_type);
        return ref ? m_impl.type_at(*ref) : &m_impl.void_type;
    }

    void fill_qualifier(Type& t, Dwarf_Die die, Dwarf_Half tag) {
        t.kind = TypeKind::Qualified;
        t.target = target_or_void(die);
        if (t.target->has_size) set_size(t, t.target->size);
        const char* word = tag == DW_TAG_const_type      ? "const "
                           : tag == DW_TAG_volatile_type ? "volatile "
                           : tag == DW_TAG_restrict_type ? "restrict "
                                                         : "_Atomic ";
        if (t.name.empty()) {
            t.name = word + t.target->name;
            t.qualified = word + t.target->qualified;
        }
    }

    Field make_field(Dwarf_Die m) {
        Field f;
        f.name = die_name(m);
        f.type = target_or_void(m);
        f.artificial = attr_flag(m, DW_AT_artificial);
        if (auto off = attr_udata(m, DW_AT_data_member_location)) {
            f.offset = *off;
        } else if (auto expr = attr_block(m_dbg, m, DW_AT_data_member_location)) {
            // DWARF 2 style: DW_OP_plus_uconst N.
            if (expr->size() >= 2 && (*expr)[0] == DW_OP_plus_uconst) {
                LebReader r{*expr, 1};
                f.offset = r.number(false).lo;
            }
        }
        auto bit_size = attr_udata(m, DW_AT_bit_size);
        if (!bit_size) return f;
        f.bit_size = uint32_t(*bit_size);
        uint64_t total_bits = 0;
        if (auto dbo = attr_udata(m, DW_AT_data_bit_offset)) {
            total_bits = *dbo;
        } else if (auto old = attr_udata(m, DW_AT_bit_offset)) {
            // DWARF 2/3 counts from the most significant bit of the storage unit; on a
            // little-endian target the field's lowest bit is storage_bits - offset - size.
            uint64_t storage = attr_udata(m, DW_AT_byte_size)
                                   .value_or(f.type && f.type->has_size ? f.type->size : 0);
            total_bits = f.offset * 8 + storage * 8 - *old - *bit_size;
        } else {
            total_bits = f.offset * 8;
        }
        f.offset = total_bits / 8;
        f.bit_offset = uint32_t(total_bits % 8);
        return f;
    }

    void fill_members(Type& t, Dwarf_Die die) {
        for_each_child(m_dbg, die, [&](Dwarf_Die child) {
            switch (die_tag(child)) {
            case DW_TAG_member:
                // DWARF 4 static members are declared members; they have no offset here.
                if (!attr_flag(child, DW_AT_declaration) && !attr_flag(child, DW_AT_external))
                    t.fields.push_back(make_field(child));
                break;
            case DW_TAG_template_type_parameter:
                t.template_params.push_back({die_name(child), target_or_void(child)});
                break;
            case DW_TAG_variant_part:
                t.variant_part = make_variant_part(child);
                break;
            default:
                break;
            }
            return true;
        });
    }

    VariantPart make_variant_part(Dwarf_Die part) {
        VariantPart vp;
        bool discr_signed = false;
        if (auto ref = attr_ref(part, DW_AT_discr)) {
            if (auto d = die_at(m_dbg, *ref)) {
                vp.discr = make_field(d->get());
                discr_signed = is_signed_type(vp.discr->type);
            }
        }
        for_each_child(m_dbg, part, [&](Dwarf_Die child) {
            if (die_tag(child) != DW_TAG_variant) return true;
            Variant v;
            if (auto value = attr_int128(m_dbg, child, DW_AT_discr_value, discr_signed)) {
                v.discr_values.push_back(*value);
            } else if (auto list = attr_block(m_dbg, child, DW_AT_discr_list)) {
                read_discr_list(*list, discr_signed, v);
            } else {
                v.is_default = true;
            }
            for_each_child(m_dbg, child, [&](Dwarf_Die m) {
                if (die_tag(m) != DW_TAG_member) return true;
                v.member = make_field(m);
                return false;
            });
            vp.variants.push_back(std::move(v));
            return true;
        });
        return vp;
    }

    static void read_discr_list(const std::vector<uint8_t>& list, bool is_signed, Variant& v) {
        LebReader r{list};
        while (!r.done()) {
            uint8_t kind = r.byte();
            Int128 first = r.number(is_signed);
            if (kind == DW_DSC_range)
                v.discr_ranges.emplace_back(first, r.number(is_signed));
            else
                v.discr_values.push_back(first);
        }
    }

    void fill_enum(Type& t, Dwarf_Die die) {
        t.kind = TypeKind::Enum;
        if (auto ref = attr_ref(die, DW_AT_type)) t.target = m_impl.type_at(*ref);
        t.enum_is_signed = is_signed_type(t.target);
        bool any_negative = false;
        for_each_child(m_dbg, die, [&](Dwarf_Die child) {
            if (die_tag(child) != DW_TAG_enumerator) return true;
            Enumerator e;
            e.name = die_name(child);
            e.value =
                attr_int128(m_dbg, child, DW_AT_const_value, t.enum_is_signed).value_or(Int128{});
            any_negative |= e.value.hi >> 63 != 0;
            t.enumerators.push_back(std::move(e));
            return true;
        });
        // Without an underlying type (gcc's DWARF 4) only a DW_FORM_sdata negative value tells.
        if (!t.target && any_negative) t.enum_is_signed = true;
    }

    void fill_array(Type& t, Dwarf_Die die) {
        t.kind = TypeKind::Array;
        t.target = target_or_void(die);
        for_each_child(m_dbg, die, [&](Dwarf_Die child) {
            if (die_tag(child) != DW_TAG_subrange_type) return true;
            std::optional<uint64_t> count = attr_udata(child, DW_AT_count);
            if (!count) {
                // A constant upper bound; a reference or expression bound (a VLA) stays unknown.
                if (auto upper = attr_udata(child, DW_AT_upper_bound)) {
                    uint64_t lower = attr_udata(child, DW_AT_lower_bound).value_or(0);
                    count = *upper == ~uint64_t(0) ? 0 : *upper + 1 - lower;
                }
            }
            t.dims.push_back(count);
            return true;
        });
        if (t.name.empty()) {
            t.name = t.target->qualified;
            for (const auto& d : t.dims) t.name += d ? fmt::format("[{}]", *d) : "[]";
            t.qualified = t.name;
        }
        if (t.has_size || !t.target->has_size) return;
        uint64_t n = 1;
        for (const auto& d : t.dims) {
            if (!d) return;
            n *= *d;
        }
        set_size(t, n * t.target->size);
    }

    void fill_function(Type& t, Dwarf_Die die) {
        t.kind = TypeKind::Function;
        if (auto ref = attr_ref(die, DW_AT_type)) t.target = m_impl.type_at(*ref);
        for_each_child(m_dbg, die, [&](Dwarf_Die child) {
            if (die_tag(child) == DW_TAG_formal_parameter)
                t.params.push_back(target_or_void(child));
            return true;
        });
        if (t.name.empty()) t.name = t.qualified = function_signature(t, "");
    }

    DebugInfo::Impl& m_impl;
    Dwarf_Debug m_dbg;
    Cu* m_cu;
};

} // namespace

std::optional<uint64_t> DebugInfo::Impl::type_ref(Dwarf_Die die) {
    std::optional<uint64_t> ref;
    along_origins(dbg, die, [&](Dwarf_Die d) {
        ref = attr_ref(d, DW_AT_type);
        return ref.has_value();
    });
    return ref;
}

const Type* DebugInfo::Impl::type_at(uint64_t offset) {
    if (auto it = types.find(offset); it != types.end()) return it->second;
    auto die = die_at(dbg, offset);
    if (!die) {
        Type& bad = type_store.emplace_back();
        bad.name = bad.qualified = fmt::format("<unreadable type: {}>", die.error().message);
        bad.id = offset;
        types[offset] = &bad;
        return &bad;
    }
    Cu* cu = cu_for_offset(offset);
    Dwarf_Half tag = die_tag(die->get());
    std::string name = die_name(die->get());
    std::string qualified = cu ? qualified_name(*cu, offset, name) : name;
    bool deferred = false;
    if (is_aggregate_tag(tag) && attr_flag(die->get(), DW_AT_declaration) && !qualified.empty()) {
        // A declaration (a C `struct foo;`, a type another unit defines): use the definition.
        // Finding it takes the whole-file name index: until something else built that, the
        // declaration stays one and is completed in place when a value of it (or a pointer
        // to it) is formatted (DebugInfo::complete).
        if (!names_built) {
            deferred = true;
        } else if (auto def = type_by_name.find(qualified); def != type_by_name.end()) {
            const Type* t = type_at(def->second);
            types[offset] = t;
            return t;
        }
    }
    Type& t = type_store.emplace_back();
    types[offset] = &t;
    if (deferred) deferred_declarations.push_back(&t);
    t.id = offset;
    t.lang = cu ? cu->lang : Lang::Unknown;
    t.rustc = cu ? cu->rustc : 0;
    t.name = std::move(name);
    t.qualified = std::move(qualified);
    t.declaration = attr_flag(die->get(), DW_AT_declaration);
    if (auto size = attr_udata(die->get(), DW_AT_byte_size)) {
        t.size = *size;
        t.has_size = true;
    }
    // Deep in a chain of types, a struct or union is a shell for now (kind, names and size:
    // all that the types around it read while they are built) and its members come later,
    // from the outermost call's loop: the stack holds at most k_max_build_depth builds.
    constexpr unsigned k_max_build_depth = 64;
    bool aggregate =
        tag == DW_TAG_structure_type || tag == DW_TAG_class_type || tag == DW_TAG_union_type;
    if (aggregate && type_build_depth >= k_max_build_depth) {
        t.kind = tag == DW_TAG_union_type ? TypeKind::Union : TypeKind::Struct;
        pending_types.emplace_back(&t, offset);
        return &t;
    }
    ++type_build_depth;
    TypeBuilder(*this, cu).fill(t, die->get(), tag);
    --type_build_depth;
    if (type_build_depth == 0) {
        while (!pending_types.empty()) {
            auto [shell, at] = pending_types.back();
            pending_types.pop_back();
            auto shell_die = die_at(dbg, at);
            if (!shell_die) continue; // read once already: cannot fail now but for memory
            ++type_build_depth;
            TypeBuilder(*this, cu_for_offset(at))
                .fill(*shell, shell_die->get(), die_tag(shell_die->get()));
            --type_build_depth;
        }
    }
    return &t;
}

} // namespace seam
