// Small std types whose Debug is hand-written: Duration (`1.5s`, `100ms`, `1.000000001s`) and
// the ranges (`1..5`, `1..=5`, `1..=5 (exhausted)`, `..5`, `..=5`, `3..`, `..`).
// Ordering, Bound and PhantomData are plain enums/structs: the generic formatter prints them.
#include <fmt/format.h>

#include "formatters/render/render.h"
#include "formatters/rust/families.h"
#include "formatters/rust/rust_layout.h"
#include "formatters/rust/rust_std_support.h"

namespace seam {
namespace {

using rust_std::is_path;

constexpr uint32_t kNanosPerSec = 1'000'000'000;
constexpr uint32_t kNanosPerMilli = 1'000'000;
constexpr uint32_t kNanosPerMicro = 1'000;

// core::time's fmt_decimal without a precision: the fractional digits down to the last
// non-zero one, no rounding (every digit fits: nanoseconds are exact).
std::string decimal(uint64_t integer, uint32_t fraction, uint32_t divisor, std::string_view unit) {
    std::string digits;
    while (fraction > 0 && divisor > 0 && digits.size() < 9) {
        digits += char('0' + fraction / divisor);
        fraction %= divisor;
        divisor /= 10;
    }
    return digits.empty() ? fmt::format("{}{}", integer, unit)
                          : fmt::format("{}.{}{}", integer, digits, unit);
}

std::string duration_text(uint64_t secs, uint32_t nanos) {
    if (secs > 0) return decimal(secs, nanos, kNanosPerSec / 10, "s");
    if (nanos >= kNanosPerMilli)
        return decimal(nanos / kNanosPerMilli, nanos % kNanosPerMilli, kNanosPerMilli / 10, "ms");
    if (nanos >= kNanosPerMicro)
        return decimal(nanos / kNanosPerMicro, nanos % kNanosPerMicro, kNanosPerMicro / 10,
                       "\u00b5s");
    return decimal(nanos, 0, 1, "ns");
}

// Duration { secs: u64, nanos: Nanoseconds(u32) } (a plain u32 before rustc 1.79).
class DurationFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.duration"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && is_path(t, "core::time::Duration");
    }
    Formatted format(Context& ctx, const Value& v) const override {
        auto secs = rust_std::int_field(ctx, v, "secs");
        auto nanos = rust_std::int_field(ctx, v, "nanos");
        if (!secs || !nanos) return error_value("<error: cannot read the Duration>");
        if (*nanos >= kNanosPerSec)
            return error_value(fmt::format("<invalid: Duration with {} nanoseconds>", *nanos));
        Formatted f = leaf(duration_text(*secs, uint32_t(*nanos)));
        f.type_name = "Duration";
        return f;
    }
};

// The range family prints its bounds with the caller's flags around `..`: no builder is
// involved, so the Debug text is made here from the bounds' own renderings, `{:?}` and `{:#?}`.
struct RangeKind {
    std::string_view path;
    bool start;
    bool end;
    std::string_view dots;
};
constexpr RangeKind kRanges[] = {
    {"core::ops::range::Range", true, true, ".."},
    {"core::ops::range::RangeInclusive", true, true, "..="},
    {"core::ops::range::RangeFrom", true, false, ".."},
    {"core::ops::range::RangeTo", false, true, ".."},
    {"core::ops::range::RangeToInclusive", false, true, "..="},
    {"core::ops::range::RangeFull", false, false, ".."},
};

const RangeKind* range_kind(const Type& t) {
    for (const auto& k : kRanges)
        if (is_path(t, k.path)) return &k;
    return nullptr;
}

class RangeFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.range"; }
    bool matches(const Type& t) const override {
        const RangeKind* k = t.kind == TypeKind::Struct ? range_kind(t) : nullptr;
        return k && (!k->start || find_field(&t, "start")) && (!k->end || find_field(&t, "end"));
    }
    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        const RangeKind& k = *range_kind(t);
        std::string compact, pretty;
        auto bound = [&](std::string_view field) {
            auto b = ctx.field(v, field);
            if (!b) {
                compact += "<error>";
                pretty += "<error>";
                return;
            }
            compact += render_debug(ctx, *b, false);
            pretty += render_debug(ctx, *b, true);
        };
        if (k.start) bound("start");
        compact += k.dots;
        pretty += k.dots;
        if (k.end) bound("end");
        // RangeInclusive iterated to its end keeps start == end and sets `exhausted`.
        if (find_field(&t, "exhausted")) {
            auto done = ctx.uint_at(v, {"exhausted"});
            if (done && *done != 0) {
                compact += " (exhausted)";
                pretty += " (exhausted)";
            }
        }
        Formatted f = leaf(std::move(compact));
        if (pretty != f.text) f.pretty_text = std::move(pretty);
        f.type_name = rust_layout::display_name(&t);
        // The bounds, for the tree views; Debug of a leaf never looks at them.
        f.count = (k.start ? 1 : 0) + (k.end ? 1 : 0);
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        const RangeKind& k = *range_kind(*strip(v.type));
        std::vector<std::string_view> names;
        if (k.start) names.push_back("start");
        if (k.end) names.push_back("end");
        std::vector<Child> out;
        for (uint64_t i = start; i < start + count && i < names.size(); ++i) {
            auto b = ctx.field(v, names[i]);
            out.push_back(Child{std::string(names[i]),
                                b ? *b : Value::leaf(fmt::format("<error: {}>", b.error().message)),
                                std::nullopt});
        }
        return out;
    }
};

} // namespace

void register_rust_misc(Registry& r) {
    r.add(std::make_unique<DurationFormatter>());
    r.add(std::make_unique<RangeFormatter>());
}

} // namespace seam
