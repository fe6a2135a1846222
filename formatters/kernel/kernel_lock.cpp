// kernel::sync::lock::Lock<T, B> (Mutex<T> = Lock<T, MutexBackend>, SpinLock<T> = Lock<T,
// SpinLockBackend>) and its Guard. Lock { state: Opaque<B::State>, _pin, data: UnsafeCell<T> }:
// the state is the C lock, decoded as the kernel's C reads it:
// - struct mutex: `owner` (atomic_long_t) is the owning task_struct's address with three flag
//   bits below it (MUTEX_FLAG_WAITERS 0x01, HANDOFF 0x02, PICKUP 0x04); 0 is unlocked.
// - spinlock_t (x86's qspinlock): `val` is the locked byte, the pending byte and the waiters'
//   tail; 0 is unlocked, pending or a tail means others wait. On a uniprocessor kernel it is
//   empty (size 0): no state to read.
// The kernel gives Lock no Debug: seam shows `Mutex { data: 5, .. }` and, on the summary line,
// the state and a mutex's owner (`locked by "insmod" (pid 312) → 5`).
#include <fmt/format.h>

#include "formatters/kernel/kernel_parts.h"
#include "formatters/rust/rust_layout.h"
#include "formatters/rust/rust_std_support.h"

namespace seam::kernel {
namespace {

// The first member named `name` anywhere inside `t` (through C's anonymous unions and bindgen's
// `__bindgen_anon_N`), its offset added to `offset`. Depth-bounded.
const Field* find_member(const Type* t, std::string_view name, uint64_t& offset, int depth = 0) {
    t = strip(t);
    if (!t || depth > 6 || (t->kind != TypeKind::Struct && t->kind != TypeKind::Union))
        return nullptr;
    if (const Field* f = find_field(t, name)) {
        offset += f->offset;
        return f;
    }
    for (const Field& f : t->fields) {
        uint64_t inner = offset + f.offset;
        if (const Field* found = find_member(f.type, name, inner, depth + 1)) {
            offset = inner;
            return found;
        }
    }
    return nullptr;
}

Result<LockState> decode_c_lock(Context& ctx, const Value& c) {
    const Type* t = strip(c.type);
    if (!t) return err("the lock state has no type");
    LockState s;
    // A uniprocessor kernel without spinlock debugging keeps no lock word: its arch_spinlock_t
    // is an empty struct (spinlock_types_up.h), so spinlock_t has size 0 and whether it is held
    // is nowhere in memory. A mutex always has its owner word.
    if (t->has_size && t->size == 0) {
        s.kind = "spinlock";
        s.state = "state not kept (uniprocessor kernel)";
        return s;
    }
    uint64_t off = 0;
    if (t->name == "mutex") {
        const Field* owner = find_member(t, "owner", off);
        if (!owner) return err("struct mutex has no owner");
        auto word = ctx.uint_at(c.sub(owner->type, off), {"counter"});
        if (!word) return word.error();
        s.kind = "mutex";
        s.owner = *word & ~uint64_t(0x07);
        s.state = *word == 0 ? "unlocked" : (*word & 0x01) ? "contended" : "locked";
        return s;
    }
    if (t->name == "spinlock" || t->name == "raw_spinlock" || t->name == "qspinlock") {
        const Field* val = find_member(t, "val", off);
        if (!val) return err("{} has no val", t->name);
        auto word = ctx.uint_at(c.sub(val->type, off), {"counter"});
        if (!word) return word.error();
        uint32_t w = uint32_t(*word);
        s.kind = "spinlock";
        s.state = w == 0 ? "unlocked" : (w & ~0xffu) ? "contended" : "locked";
        return s;
    }
    return err("unknown lock state {}", t->name);
}

} // namespace

Result<LockState> decode_lock(Context& ctx, const Value& state) {
    // bindgen's struct has C's member names (kernel_c_objects.cpp), so the lock word is read
    // from it directly; C's twin only where it does not serve (an opaque blob). Finding the
    // twin takes the whole-file type index: 0.3 s of CPU on a 44 MB vmlinux at the first
    // `seam print` of a Mutex, seconds on a distro's.
    Value c = see_through(state);
    auto s = decode_c_lock(ctx, c);
    if (s) return s;
    const Type* twin = c_twin(ctx, c.type);
    if (twin == c.type) return s;
    c.type = twin;
    return decode_c_lock(ctx, c);
}

std::string lock_line(Context& ctx, const LockState& s) {
    if (s.kind != "mutex" || !s.owner) return s.state;
    auto task = task_text(ctx, s.owner);
    std::string who = task ? *task : fmt::format("task {:#x}", s.owner);
    return s.state == "contended" ? "contended, locked by " + who : "locked by " + who;
}

namespace {

std::string lock_name(const Type& t) {
    const Type* b = strip(template_arg(&t, 1));
    std::string_view n = b ? bare_name(b->name) : "";
    if (n == "MutexBackend") return "Mutex";
    if (n == "SpinLockBackend") return "SpinLock";
    return "Lock";
}

Result<Value> data_of(Context& ctx, const Value& lock) {
    auto cell = ctx.field(lock, "data");
    if (!cell) return cell.error();
    return see_through(*cell);
}

class LockFormatter final : public Formatter {
public:
    std::string_view name() const override { return "kernel.lock"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && has_path(&t, "kernel::sync::lock::Lock");
    }
    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        auto state = ctx.field(v, "state");
        auto s = state ? decode_lock(ctx, *state) : Result<LockState>(state.error());
        if (!s) return error_value(fmt::format("<error: {}>", s.error().message));
        Formatted f = rust_std::named(Shape::Struct, lock_name(t), t, 1);
        f.non_exhaustive = true;
        f.own.kind = OwnKind::Lock;
        f.own.address = v.address.value_or(0);
        f.own.state = s->state;
        if (rust_std::in_nested_summary()) return f;
        std::string head = lock_line(ctx, *s);
        auto data = data_of(ctx, v);
        f.summary = data ? with_value(ctx, head, *data) : head;
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        if (start != 0 || count == 0) return {};
        return rust_std::single_child("data", data_of(ctx, v));
    }
};

class GuardFormatter final : public Formatter {
public:
    std::string_view name() const override { return "kernel.lock_guard"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && has_path(&t, "kernel::sync::lock::Guard");
    }
    Formatted format(Context& ctx, const Value& v) const override {
        auto data = target(ctx, v);
        if (!data) return error_value(fmt::format("<error: {}>", data.error().message));
        Formatted f = rust_std::guard_of(v, *data, OwnKind::BorrowedMut);
        auto lock = ctx.uint_at(v, {"lock"});
        if (lock) f.own.guarded = *lock;
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        if (start != 0 || count == 0) return {};
        return rust_std::single_child("*", target(ctx, v));
    }

private:
    static Result<Value> target(Context& ctx, const Value& v) {
        auto ref = ctx.field(v, "lock");
        if (!ref) return ref.error();
        const Type* lock_type = rust_std::pointee_of(*ref);
        auto addr = rust_std::address_of(ctx, *ref);
        if (!addr) return addr.error();
        if (!lock_type || *addr == 0) return err("the guard holds no lock");
        return data_of(ctx, Value::at(lock_type, *addr));
    }
};

} // namespace

std::unique_ptr<Formatter> make_lock_formatter() {
    return std::make_unique<LockFormatter>();
}
std::unique_ptr<Formatter> make_guard_formatter() {
    return std::make_unique<GuardFormatter>();
}

} // namespace seam::kernel
