// The kernel's counters, as C code and the kernel crate's bindings hold them:
//   typedef struct { int counter; } atomic_t;        (atomic64_t, atomic_long_t: s64 counter)
//   typedef struct refcount_struct { atomic_t refs; } refcount_t;
//   struct kref { refcount_t refcount; };
// An atomic prints as its number. A refcount prints as its count with a `shared` ownership
// fact, and says when the count means the object is gone or leaked: 0 (freed, or being freed)
// and the saturated range (refcount_t saturates at REFCOUNT_SATURATED = INT_MIN / 2 on overflow
// or underflow and never frees the object again; every negative value is in that range).
// The shapes are matched, not names alone: atomic_t is an anonymous struct behind a typedef.
// Bindgen's copies in a Rust unit (`bindings::kref`) are the same types (is_c_record).
#include <fmt/format.h>

#include "formatters/c/c_parts.h"

namespace seam::c_values {
namespace {

bool is_int(const Type* t) {
    t = strip(t);
    return t && t->kind == TypeKind::Base &&
           (t->encoding == Encoding::Signed || t->encoding == Encoding::Unsigned) && t->size >= 4 &&
           t->size <= 8;
}

// `{ counter }` with an integer counter: atomic_t, atomic64_t, atomic_long_t.
bool is_atomic(const Type* t) {
    t = strip(t);
    return t && t->kind == TypeKind::Struct && is_c_record(*t) && t->fields.size() == 1 &&
           t->fields[0].name == "counter" && is_int(t->fields[0].type);
}

// The chain of single members from a refcount down to its atomic's counter, with the offset
// of the counter: refcount_struct.refs.counter, kref.refcount.refs.counter.
struct Counter {
    uint64_t offset = 0;
    uint64_t size = 0;
    const char* what = nullptr; ///< "refcount_t", "kref"
};

std::optional<Counter> refcount_counter(const Type& t) {
    if (t.kind != TypeKind::Struct || !is_c_record(t) || t.fields.size() != 1) return std::nullopt;
    const Field& only = t.fields[0];
    if (t.name == "refcount_struct" && only.name == "refs" && is_atomic(only.type)) {
        const Field& c = strip(only.type)->fields[0];
        return Counter{only.offset + c.offset, strip(c.type)->size, "refcount_t"};
    }
    if (t.name == "kref" && only.name == "refcount" && strip(only.type)) {
        auto inner = refcount_counter(*strip(only.type));
        if (!inner) return std::nullopt;
        return Counter{only.offset + inner->offset, inner->size, "kref"};
    }
    return std::nullopt;
}

Result<int64_t> read_signed(Context& ctx, const Value& v, uint64_t offset, uint64_t size) {
    auto raw = ctx.read_uint(v, offset, size);
    if (!raw) return raw.error();
    if (size == 4) return int64_t(int32_t(uint32_t(*raw)));
    return int64_t(*raw);
}

class AtomicFormatter final : public Formatter {
public:
    std::string_view name() const override { return "c.atomic"; }
    bool matches(const Type& t) const override { return is_atomic(&t); }
    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        const Field& c = t.fields[0];
        const Type* ct = strip(c.type);
        auto raw = ctx.read_uint(v, c.offset, ct->size);
        if (!raw) return error_value(fmt::format("<error: {}>", raw.error().message));
        int64_t n = ct->encoding == Encoding::Signed && ct->size == 4 ? int32_t(uint32_t(*raw))
                                                                      : int64_t(*raw);
        Formatted f =
            leaf(ct->encoding == Encoding::Signed ? fmt::format("{}", n) : fmt::format("{}", *raw));
        f.type_name = c_type_name(v.type);
        f.own.kind = OwnKind::C;
        if (v.address) f.own.address = *v.address;
        return f;
    }
};

class RefcountFormatter final : public Formatter {
public:
    std::string_view name() const override { return "c.refcount"; }
    bool matches(const Type& t) const override { return refcount_counter(t).has_value(); }
    Formatted format(Context& ctx, const Value& v) const override {
        auto c = *refcount_counter(*strip(v.type));
        auto n = read_signed(ctx, v, c.offset, c.size);
        if (!n) return error_value(fmt::format("<error: {}>", n.error().message));
        Formatted f = leaf(fmt::format("{}({})", c.what, *n));
        f.type_name = c_type_name(v.type);
        f.own.kind = OwnKind::Shared;
        f.own.strong = *n;
        if (v.address) f.own.address = *v.address;
        if (*n == 0) {
            f.own.note = "zero: the object is freed or being freed";
            f.summary = fmt::format("refs=0 ({})", f.own.note);
        } else if (*n < 0) {
            f.own.note =
                fmt::format("saturated ({:#x}): the object is leaked, never freed", uint32_t(*n));
            f.summary = "refs=" + f.own.note;
        } else {
            f.summary = fmt::format("refs={}", *n);
        }
        return f;
    }
};

} // namespace

std::unique_ptr<Formatter> make_atomic_formatter() {
    return std::make_unique<AtomicFormatter>();
}
std::unique_ptr<Formatter> make_refcount_formatter() {
    return std::make_unique<RefcountFormatter>();
}

} // namespace seam::c_values
