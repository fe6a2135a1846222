// The older form of `core::fmt::Arguments` (rustc 1.63 to the 1.9x): `Arguments { pieces:
// &[&str], fmt: Option<&[Placeholder]>, args: &[Argument] }`, formatted as core::fmt::write
// formats it, each placeholder's options read from its own fields by their DWARF.
#include <algorithm>
#include <cstring>

#include "formatters/crash/crash_fmt_parts.h"
#include "formatters/dwarf/debug_info.h"

namespace seam::crash::detail {

namespace {

// Before the template (1.63 to the 1.9x), `Arguments { pieces, fmt: Option<&[P]>, args }`: with
// `fmt: Some`, each placeholder P carries its argument's position and options in fields of
// its own. 1.63's P is `rt::v1::Argument { position, format: FormatSpec { fill, align, flags,
// precision, width } }`, later ones' `rt::Placeholder { position, fill, align, flags,
// precision, width }`, and once fill and alignment moved into `flags`, `Placeholder { position,
// flags, precision, width }`. Every offset, the alignment's enumerators and the Count enum's
// variants (`Is(n)`, `Param(i)`, `Implied`) come from the DWARF.
struct PlaceholderLayout {
    const Type* type = nullptr;
    uint64_t base = 0; ///< where the options sit (FormatSpec's offset in 1.63's Argument)
    const Field *position = nullptr, *fill = nullptr, *align = nullptr, *flags = nullptr,
                *precision = nullptr, *width = nullptr;
};

std::optional<PlaceholderLayout> placeholder_layout(const DebugInfo& info) {
    PlaceholderLayout l;
    for (const char* name : {"core::fmt::rt::Placeholder", "core::fmt::rt::v1::Argument"})
        if ((l.type = strip(info.find_type(name)))) break;
    if (!l.type) return std::nullopt;
    l.position = find_field(l.type, "position");
    const Type* options = l.type;
    if (const Field* format = find_field(l.type, "format")) {
        options = strip(format->type);
        l.base = format->offset;
    }
    if (!options || !l.position) return std::nullopt;
    l.fill = find_field(options, "fill");
    l.align = find_field(options, "align");
    l.flags = find_field(options, "flags");
    l.precision = find_field(options, "precision");
    l.width = find_field(options, "width");
    if (!l.flags || !l.precision || !l.width || (l.fill != nullptr) != (l.align != nullptr))
        return std::nullopt;
    return l;
}

std::optional<uint64_t> read_uint(Reader& r, uint64_t at, const Type* t) {
    t = strip(t);
    if (!t || t->size == 0 || t->size > 8) return std::nullopt;
    auto b = r.bytes(at, t->size);
    if (!b) return std::nullopt;
    uint64_t v = 0;
    std::memcpy(&v, b->data(), t->size);
    return v;
}

// The variant of the Rust enum `t` at `at` (by its variant part's discriminant) and its one
// payload field's value: `Count::Is(3)` is {"Is", 3}.
std::optional<std::pair<std::string, uint64_t>> read_variant(Reader& r, uint64_t at,
                                                             const Type* t) {
    t = strip(t);
    if (!t || !t->variant_part || !t->variant_part->discr) return std::nullopt;
    const Field& discr = *t->variant_part->discr;
    auto d = read_uint(r, at + discr.offset, discr.type);
    if (!d) return std::nullopt;
    const Variant* chosen = nullptr;
    for (const Variant& v : t->variant_part->variants) {
        for (const Int128& value : v.discr_values)
            if (value.lo == *d) chosen = &v;
        if (!chosen && v.is_default && v.discr_values.empty()) chosen = &v;
    }
    if (!chosen) return std::nullopt;
    const Type* payload = strip(chosen->member.type);
    const Field* n = payload ? find_field(payload, "__0") : nullptr;
    if (!n) return std::pair{chosen->member.name, uint64_t(0)};
    auto value = read_uint(r, at + chosen->member.offset + n->offset, n->type);
    if (!value) return std::nullopt;
    return std::pair{chosen->member.name, *value};
}

// A width or precision: `Is(n)` is n, `Param(i)` argument i's usize (an ArgumentType::Count, or
// a value pointer at a usize in older Arguments), `Implied` none. False when unreadable.
bool read_count_option(Reader& r, const DebugInfo& info, const ArgumentLayout& l, uint64_t args,
                       uint64_t at, const Type* count, std::optional<uint16_t>& out) {
    auto v = read_variant(r, at, count);
    if (!v) return false;
    if (v->first == "Implied") return true;
    if (v->first == "Is") {
        out = uint16_t(std::min<uint64_t>(v->second, 0xffff));
        return true;
    }
    if (v->first != "Param") return false;
    if (auto c = read_count(r, info, l, args, v->second)) {
        out = *c;
        return true;
    }
    auto a = read_argument(r, l, args, v->second);
    auto n = a ? r.word(a->value) : std::nullopt;
    if (!n) return false;
    out = uint16_t(std::min<uint64_t>(*n, 0xffff));
    return true;
}

// Placeholder `p`'s argument position and options, or none when unreadable.
std::optional<std::pair<size_t, FormatSpec>> read_placeholder(Reader& r, const DebugInfo& info,
                                                              const PlaceholderLayout& pl,
                                                              const ArgumentLayout& l,
                                                              uint64_t args, uint64_t p) {
    auto position = read_uint(r, p + pl.position->offset, pl.position->type);
    auto flags = read_uint(r, p + pl.base + pl.flags->offset, pl.flags->type);
    if (!position || !flags) return std::nullopt;
    FormatSpec spec;
    if (!pl.fill) {
        spec = spec_from_flags(uint32_t(*flags), 0, 0); // fill and alignment inside the flags
        spec.width.reset(), spec.precision.reset();
    } else {
        // FlagV1: SignPlus, SignMinus, Alternate, SignAwareZeroPad, DebugLowerHex, DebugUpperHex.
        spec.plus = *flags & 1, spec.minus = *flags & 2, spec.alternate = *flags & 4;
        spec.zero_pad = *flags & 8, spec.debug_lower_hex = *flags & 16;
        spec.debug_upper_hex = *flags & 32;
        auto fill = read_uint(r, p + pl.base + pl.fill->offset, pl.fill->type);
        auto align = read_uint(r, p + pl.base + pl.align->offset, pl.align->type);
        if (!fill || !align) return std::nullopt;
        spec.fill = uint32_t(*fill);
        const Type* align_type = strip(pl.align->type);
        for (const Enumerator& e : align_type ? align_type->enumerators : std::vector<Enumerator>{})
            if (e.value.lo == *align)
                spec.align = e.name == "Left"     ? FormatSpec::Align::Left
                             : e.name == "Right"  ? FormatSpec::Align::Right
                             : e.name == "Center" ? FormatSpec::Align::Center
                                                  : FormatSpec::Align::Unknown;
    }
    if (!read_count_option(r, info, l, args, p + pl.base + pl.width->offset, pl.width->type,
                           spec.width) ||
        !read_count_option(r, info, l, args, p + pl.base + pl.precision->offset, pl.precision->type,
                           spec.precision))
        return std::nullopt;
    return std::pair{size_t(*position), spec};
}

} // namespace

std::optional<FormattedArguments> read_pieces(Reader& r, const DebugInfo& info, const Type* type,
                                              uint64_t addr) {
    const Field* pieces = find_field(type, "pieces");
    const Field* args = find_field(type, "args");
    const Field* specs = find_field(type, "fmt");
    if (!pieces || !args) return std::nullopt;
    auto pieces_ptr = r.word(addr + pieces->offset), pieces_len = r.word(addr + pieces->offset + 8);
    auto args_ptr = r.word(addr + args->offset), args_len = r.word(addr + args->offset + 8);
    if (!pieces_ptr || !pieces_len || !args_ptr || !args_len) return std::nullopt;
    if (*pieces_len > k_max_args || *args_len > k_max_args) return std::nullopt;
    FormattedArguments out;
    ArgumentLayout layout = argument_layout(info);
    // `Option<&[Placeholder]>`: the slice's pointer is the niche, 0 for None.
    std::optional<uint64_t> spec_ptr, spec_len;
    if (specs) spec_ptr = r.word(addr + specs->offset), spec_len = r.word(addr + specs->offset + 8);
    auto piece_at = [&](uint64_t i) -> std::optional<std::string> {
        auto ptr = r.word(*pieces_ptr + 16 * i), len = r.word(*pieces_ptr + 16 * i + 8);
        if (!ptr || !len) return std::nullopt;
        return read_utf8(r, *ptr, *len);
    };
    if (spec_ptr && *spec_ptr != 0) {
        // core::fmt::write with `fmt: Some`: piece i, then placeholder i's argument under its
        // options; the piece after the last placeholder, if any.
        auto pl = placeholder_layout(info);
        if (!pl || !spec_len || *spec_len > k_max_args || !pl->type->size) {
            add_missing(out.missing, "the message's placeholders have a layout seam does not "
                                     "know: their format options are not applied");
            pl.reset();
        }
        uint64_t count = pl ? *spec_len : std::min(*pieces_len, *args_len);
        for (uint64_t i = 0; i < count; ++i) {
            if (i < *pieces_len) {
                auto piece = piece_at(i);
                if (!piece) return std::nullopt;
                out.text += *piece;
            }
            auto p = pl ? read_placeholder(r, info, *pl, layout, *args_ptr,
                                           *spec_ptr + i * pl->type->size)
                        : std::optional<std::pair<size_t, FormatSpec>>{{size_t(i), FormatSpec{}}};
            if (!p || p->first >= *args_len) return std::nullopt;
            append_argument(r, info, layout, *args_ptr, p->first, p->second, out.text, out.missing);
        }
        if (count < *pieces_len) {
            auto piece = piece_at(count);
            if (!piece) return std::nullopt;
            out.text += *piece;
        }
        return out;
    }
    for (uint64_t i = 0; i < *pieces_len; ++i) {
        auto piece = piece_at(i);
        if (!piece) return std::nullopt;
        out.text += *piece;
        if (i < *args_len)
            append_argument(r, info, layout, *args_ptr, i, FormatSpec{}, out.text, out.missing);
    }
    return out;
}

} // namespace seam::crash::detail
