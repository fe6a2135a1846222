// C scalars and enums, and the registration of every C formatter (layout rules: c_parts.h).
#include <array>
#include <bit>
#include <cstring>
#include <optional>

#include <fmt/format.h>

#include "formatters/c/c_parts.h"
#include "formatters/core/formatter.h"
#include "formatters/render/render.h"
#include "formatters/rust/families.h"

namespace seam {
namespace c_values {
namespace {

Formatted c_leaf(std::string text, const Value& v) {
    Formatted f = leaf(std::move(text));
    f.type_name = c_type_name(v.type);
    f.own.kind = OwnKind::C;
    return f;
}

Result<uint64_t> read_le(Context& ctx, const Value& v, size_t size) {
    return ctx.read_uint(v, 0, size);
}

int64_t sign_extend(uint64_t x, size_t size) {
    if (size >= 8) return int64_t(x);
    unsigned bits = unsigned(size) * 8;
    uint64_t m = uint64_t(1) << (bits - 1);
    x &= (uint64_t(1) << bits) - 1;
    return int64_t((x ^ m) - m);
}

class ScalarFormatter final : public Formatter {
public:
    std::string_view name() const override { return "c.scalar"; }
    bool matches(const Type& t) const override { return t.kind == TypeKind::Base && is_c(t); }
    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        if (t.size == 0) return c_leaf("void", v);
        if (t.size > 16) return error_value(fmt::format("<error: {}-byte {}>", t.size, t.name));
        std::array<std::byte, 16> buf{};
        auto st = ctx.read_bytes(v, 0, std::span<std::byte>(buf.data(), t.size));
        if (!st) return error_value(fmt::format("<error: {}>", st.error().message));
        uint64_t lo = 0, hi = 0;
        std::memcpy(&lo, buf.data(), std::min<size_t>(t.size, 8));
        if (t.size > 8) std::memcpy(&hi, buf.data() + 8, t.size - 8);
        switch (t.encoding) {
        case Encoding::Bool:
            return c_leaf(lo ? "true" : "false", v);
        case Encoding::Float:
            if (t.size == 4) return c_leaf(debug_f32(std::bit_cast<float>(uint32_t(lo))), v);
            if (t.size == 8) return c_leaf(debug_f64(std::bit_cast<double>(lo)), v);
            if (t.size == 16 || t.size == 10) {
                // x86-64 long double: the 80-bit extended format in the low 10 bytes.
                long double ld = 0;
                static_assert(sizeof(long double) >= 10);
                std::memcpy(&ld, buf.data(), 10);
                return c_leaf(fmt::format("{}", static_cast<double>(ld)), v);
            }
            return error_value(fmt::format("<error: {}-byte float {}>", t.size, t.name));
        case Encoding::SignedChar:
            if (is_char_type(v.type)) return c_leaf(c_char_text(int8_t(lo)), v);
            return c_leaf(fmt::format("{}", sign_extend(lo, t.size)), v);
        case Encoding::UnsignedChar:
            if (is_char_type(v.type)) return c_leaf(c_char_text(uint8_t(lo)), v);
            return c_leaf(fmt::format("{}", lo), v);
        case Encoding::Signed:
            if (t.size == 16) return c_leaf(debug_i128(true, lo, hi), v);
            return c_leaf(fmt::format("{}", sign_extend(lo, t.size)), v);
        case Encoding::Unsigned:
        case Encoding::Utf:
        case Encoding::Address:
        case Encoding::None:
            if (t.size == 16) return c_leaf(debug_i128(false, lo, hi), v);
            return c_leaf(fmt::format("{}", lo), v);
        }
        return error_value(fmt::format("<error: base type {} has an unknown encoding>", t.name));
    }
};

class EnumFormatter final : public Formatter {
public:
    std::string_view name() const override { return "c.enum"; }
    bool matches(const Type& t) const override { return t.kind == TypeKind::Enum && is_c(t); }
    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        size_t size = t.has_size ? t.size : 4;
        if (size == 0 || size > 8)
            return error_value(fmt::format("<error: {}-byte enum {}>", size, t.name));
        auto raw = read_le(ctx, v, size);
        if (!raw) return error_value(fmt::format("<error: {}>", raw.error().message));
        uint64_t mask = size >= 8 ? ~uint64_t(0) : (uint64_t(1) << (8 * size)) - 1;
        uint64_t x = *raw & mask;
        for (const auto& e : t.enumerators)
            if ((e.value.lo & mask) == x) return c_leaf(e.name, v);
        if (auto flags = as_flags(t, x, mask)) return c_leaf(*flags, v);
        if (t.enum_is_signed) return c_leaf(fmt::format("{}", sign_extend(x, size)), v);
        return c_leaf(fmt::format("{}", x), v);
    }

private:
    /// `(A | B)` when the enumerators are disjoint bit flags and the value is a combination
    /// of them; nothing otherwise (a value with bits no enumerator names prints as a number,
    /// so that a sequential enum {A, B, C} holding 7 does not read as `(B | C | 0x4)`).
    static std::optional<std::string> as_flags(const Type& t, uint64_t x, uint64_t mask) {
        uint64_t seen = 0;
        for (const auto& e : t.enumerators) {
            uint64_t bits = e.value.lo & mask;
            if (bits == 0) continue;
            if (seen & bits) return std::nullopt;
            seen |= bits;
        }
        std::string out;
        uint64_t rest = x;
        for (const auto& e : t.enumerators) {
            uint64_t bits = e.value.lo & mask;
            if (bits == 0 || (x & bits) != bits) continue;
            out += (out.empty() ? "(" : " | ") + e.name;
            rest &= ~bits;
        }
        if (out.empty() || rest) return std::nullopt;
        return out + ")";
    }
};

} // namespace

std::unique_ptr<Formatter> make_scalar_formatter() {
    return std::make_unique<ScalarFormatter>();
}
std::unique_ptr<Formatter> make_enum_formatter() {
    return std::make_unique<EnumFormatter>();
}

} // namespace c_values

void register_c(Registry& r) {
    r.add(c_values::make_scalar_formatter());
    r.add(c_values::make_enum_formatter());
    r.add(c_values::make_pointer_formatter());
    // The kernel's idioms before the plain struct they are.
    r.add(c_values::make_atomic_formatter());
    r.add(c_values::make_refcount_formatter());
    r.add(c_values::make_list_view_formatter());
    auto record = c_values::make_record_formatter();
    r.add(c_values::make_list_head_formatter(record.get()));
    r.add(std::move(record));
    r.add(c_values::make_array_formatter());
}

} // namespace seam
