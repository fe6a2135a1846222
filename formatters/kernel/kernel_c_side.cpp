// The kernel's C objects in C frames (and bindgen's copies of their types in Rust): a
// `struct mutex`, a spinlock and a `task_struct` keep the record formatting C's formatters give
// them (every member), and say on their line what a kernel developer reads them for: a lock's
// state and owner (`locked by "insmod" (pid 312)`), a task's `"comm" (pid N)`. A type that only
// shares a name (a user-space `struct mutex` without an `owner` word) is left as it is.
#include <fmt/format.h>

#include "formatters/kernel/kernel_parts.h"
#include "formatters/rust/rust_std_support.h"

namespace seam::kernel {
namespace {

bool c_or_bindgen(const Type& t) {
    if (t.lang == Lang::C || t.lang == Lang::Cpp) return true;
    std::string_view q = t.qualified.empty() ? std::string_view(t.name) : t.qualified;
    return t.lang == Lang::Rust && q.starts_with("bindings::");
}

// The formatter the value would get without `self`: the C record's, or the Rust struct's.
Formatted base(Context& ctx, const Formatter* self, const Value& v) {
    const Formatter* next = next_formatter(ctx.registry(), self, *strip(v.type));
    if (!next) return error_value("<error: no formatter for the record>");
    Formatted f = next->format(ctx, v);
    if (!f.formatter) f.formatter = next;
    f.value = v;
    return f;
}

std::vector<Child> base_children(Context& ctx, const Formatter* self, const Value& v,
                                 uint64_t start, uint64_t count) {
    const Formatter* next = next_formatter(ctx.registry(), self, *strip(v.type));
    return next ? next->children(ctx, v, start, count) : std::vector<Child>{};
}

class CLockFormatter final : public Formatter {
public:
    std::string_view name() const override { return "kernel.c_lock"; }
    bool reads_state() const override { return true; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && c_or_bindgen(t) &&
               (t.name == "mutex" || t.name == "spinlock" || t.name == "raw_spinlock" ||
                t.name == "qspinlock");
    }
    Formatted format(Context& ctx, const Value& v) const override {
        Formatted f = base(ctx, this, v);
        if (f.shape == Shape::Error) return f;
        auto s = decode_lock(ctx, v);
        if (!s) return f; // the name only: keep the record as it is
        f.formatter = this;
        f.own.kind = OwnKind::Lock;
        f.own.address = v.address.value_or(0);
        f.own.state = s->state;
        if (!rust_std::in_nested_summary()) f.summary = lock_line(ctx, *s);
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        return base_children(ctx, this, v, start, count);
    }
};

class CTaskFormatter final : public Formatter {
public:
    std::string_view name() const override { return "kernel.c_task"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && c_or_bindgen(t) && t.name == "task_struct" &&
               find_field(&t, "comm") && find_field(&t, "pid");
    }
    Formatted format(Context& ctx, const Value& v) const override {
        Formatted f = base(ctx, this, v);
        if (f.shape == Shape::Error || !v.address || rust_std::in_nested_summary()) return f;
        f.formatter = this;
        if (auto task = task_text(ctx, *v.address, v.type)) f.summary = *task;
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        return base_children(ctx, this, v, start, count);
    }
};

} // namespace

std::unique_ptr<Formatter> make_c_lock_formatter() {
    return std::make_unique<CLockFormatter>();
}
std::unique_ptr<Formatter> make_c_task_formatter() {
    return std::make_unique<CTaskFormatter>();
}

} // namespace seam::kernel
