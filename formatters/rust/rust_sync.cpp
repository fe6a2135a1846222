// Locks: Mutex, RwLock and their guards, OnceLock, std's lazy thread-local storage, Condvar
// (atomics in rust_atomics.cpp).
// Debug goes through try_lock()/try_read(): a write-held RwLock prints `data: <locked>`
// (format_args, unquoted) and a held Mutex `data: "<locked>"` (a str, so quoted) in rustc 1.95,
// but unquoted in 1.63 and 1.85 (a placeholder struct, then format_args). The str is taken to
// have come with rust-lang/rust#144022 (nonpoison::Mutex, which aligned the two Mutexes;
// merged 2025-08, rustc 1.91): no std between 1.85 and 1.95 was measured.
// Lock states come from the futex word of std's Linux implementation (sys::sync::*::futex):
// Mutex 0 unlocked / 1 locked / 2 contended; RwLock's low 30 bits count readers, all ones
// meaning write-locked, and bits 30/31 flag waiting readers/writers. Other platforms'
// implementations keep their state elsewhere: it is reported as unknown and the data shown.
#include <fmt/format.h>

#include "formatters/rust/families.h"
#include "formatters/rust/rust_layout.h"
#include "formatters/rust/rust_std_support.h"

namespace seam {
namespace {

using rust_std::is_path;
using rust_std::single_child;

constexpr uint64_t kRwMask = (1u << 30) - 1;
constexpr uint64_t kRwWriteLocked = kRwMask;
constexpr uint64_t kRwMaxReaders = kRwMask - 1;
constexpr uint64_t kRwWaiting = 3u << 30;

bool is_mutex(const Type& t) {
    return is_path(t, "std::sync::poison::mutex::Mutex") || is_path(t, "std::sync::mutex::Mutex");
}
bool is_rwlock(const Type& t) {
    return is_path(t, "std::sync::poison::rwlock::RwLock") ||
           is_path(t, "std::sync::rwlock::RwLock");
}

struct LockState {
    std::string state;        ///< unlocked, locked, contended, reading N, unknown
    bool data_visible = true; ///< what try_lock()/try_read() would allow Debug to show
    bool poisoned = false;
};

Result<LockState> read_state(Context& ctx, const Value& lock, bool rwlock) {
    LockState s;
    auto poisoned = ctx.path(lock, {"poison", "failed"});
    if (!poisoned) return poisoned.error();
    auto flag = rust_layout::scalar(ctx, *poisoned);
    if (!flag) return flag.error();
    s.poisoned = *flag != 0;
    auto inner = ctx.field(lock, "inner");
    if (!inner) return inner.error();
    const char* word = rwlock ? "state" : "futex";
    // In older std (1.63's) the futex lock sat in a sys_common wrapper,
    // `MovableMutex(Mutex { futex })` / `MovableRwLock(RwLock { state, .. })`: look through
    // single-field tuple wrappers, a bounded few.
    for (int depth = 0; depth < 3 && !find_field(strip(inner->type), word); ++depth) {
        const Type* it = strip(inner->type);
        if (!it || it->fields.size() != 1 || it->fields[0].name != "__0") break;
        auto next = ctx.field(*inner, "__0");
        if (!next) return next.error();
        inner = std::move(next);
    }
    if (!find_field(strip(inner->type), word)) {
        s.state = "unknown";
        return s;
    }
    auto state = rust_std::int_field(ctx, *inner, word);
    if (!state) return state.error();
    if (!rwlock) {
        s.state = *state == 0 ? "unlocked" : *state == 1 ? "locked" : "contended";
        s.data_visible = *state == 0;
        return s;
    }
    uint64_t readers = *state & kRwMask;
    bool waiting = (*state & kRwWaiting) != 0;
    if (readers == kRwWriteLocked)
        s.state = waiting ? "contended" : "locked";
    else if (readers > 0)
        s.state = fmt::format("reading {}", readers);
    else
        s.state = "unlocked";
    s.data_visible = readers < kRwMaxReaders && !waiting;
    return s;
}

Result<Value> lock_data(Context& ctx, const Value& lock) {
    return rust_std::unsafe_cell_field(ctx, lock, "data");
}

// Mutex<T> and RwLock<T>: `Mutex { data: 5, poisoned: false, .. }`.
class LockFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.lock"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && (is_mutex(t) || is_rwlock(t)) &&
               find_field(&t, "data") && find_field(&t, "poison");
    }
    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        auto s = read_state(ctx, v, is_rwlock(t));
        if (!s)
            return error_value(fmt::format("<error: cannot read the lock: {}>", s.error().message));
        Formatted f = rust_std::named(Shape::Struct, std::string(bare_name(t.name)), t, 2);
        f.non_exhaustive = true;
        f.own.kind = OwnKind::Lock;
        f.own.state = s->state;
        f.own.poisoned = s->poisoned;
        // Unlike Debug, the debugger may look at data that another thread holds.
        if (!rust_std::in_nested_summary())
            f.summary = rust_std::summary_with_content(
                ctx, s->poisoned ? s->state + " poisoned" : s->state, lock_data(ctx, v));
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        return lock_children(ctx, v, start, count, false);
    }
    // A held lock's data is memory all the same: the ownership graph walks it.
    std::vector<Child> memory_children(Context& ctx, const Value& v, uint64_t start,
                                       uint64_t count) const override {
        return lock_children(ctx, v, start, count, true);
    }

private:
    static std::vector<Child> lock_children(Context& ctx, const Value& v, uint64_t start,
                                            uint64_t count, bool memory) {
        const Type& t = *strip(v.type);
        bool rwlock = is_rwlock(t);
        auto s = read_state(ctx, v, rwlock);
        std::vector<Child> out;
        for (uint64_t i = start; i < start + count && i < 2; ++i) {
            if (!s) {
                out.push_back(rust_std::error_child(i == 0 ? "data" : "poisoned", s.error()));
            } else if (i == 1) {
                out.push_back(
                    Child{"poisoned", Value::leaf(s->poisoned ? "true" : "false"), std::nullopt});
            } else if (!s->data_visible && !memory) {
                bool quoted = !rwlock && rustc_at_least(&t, 1, 91);
                out.push_back(
                    Child{"data", Value::leaf(quoted ? "\"<locked>\"" : "<locked>"), std::nullopt});
            } else if (auto data = lock_data(ctx, v)) {
                out.push_back(Child{"data", *data, std::nullopt});
            } else {
                out.push_back(rust_std::error_child("data", data.error()));
            }
        }
        return out;
    }
};

// MutexGuard { lock: &Mutex<T> }, RwLockWriteGuard { lock: &RwLock<T> }, RwLockReadGuard
// { data: NonNull<T> }: Debug prints the T.
class LockGuardFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.lock-guard"; }
    bool matches(const Type& t) const override {
        if (t.kind != TypeKind::Struct) return false;
        for (std::string_view p :
             {"std::sync::poison::mutex::MutexGuard", "std::sync::poison::rwlock::RwLockReadGuard",
              "std::sync::poison::rwlock::RwLockWriteGuard", "std::sync::mutex::MutexGuard",
              "std::sync::rwlock::RwLockReadGuard", "std::sync::rwlock::RwLockWriteGuard"})
            if (is_path(t, p)) return find_field(&t, "lock") || find_field(&t, "data");
        return false;
    }
    Formatted format(Context& ctx, const Value& v) const override {
        auto target = guarded(ctx, v);
        if (!target) return error_value(target.error().message);
        std::string_view n = rust_layout::match_name(*strip(v.type));
        bool read = n.find("RwLockReadGuard") != std::string_view::npos;
        Formatted f =
            rust_std::guard_of(v, *target, read ? OwnKind::Borrowed : OwnKind::BorrowedMut);
        f.own.guarded = lock_address(ctx, v);
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        if (start != 0 || count == 0) return {};
        return single_child("*", guarded(ctx, v));
    }

private:
    // The lock the guard holds: `lock: &Mutex<T>` / `&RwLock<T>`, or a read guard's
    // `inner_lock: &sys::RwLock` (inside the RwLock).
    static std::optional<uint64_t> lock_address(Context& ctx, const Value& v) {
        for (const char* name : {"lock", "inner_lock"}) {
            auto ptr = ctx.field(v, name);
            if (!ptr) continue;
            auto addr = rust_std::address_of(ctx, *ptr);
            if (addr && *addr != 0) return *addr;
        }
        return std::nullopt;
    }
    static Result<Value> guarded(Context& ctx, const Value& v) {
        bool via_lock = find_field(strip(v.type), "lock") != nullptr;
        auto ptr = ctx.field(v, via_lock ? "lock" : "data");
        if (!ptr) return ptr.error();
        const Type* target = rust_std::pointee_of(*ptr);
        if (!target) return err("<error: the guard holds no thin pointer>");
        auto addr = rust_std::address_of(ctx, *ptr);
        if (!addr) return addr.error();
        if (*addr == 0) return err("<invalid: guard of a null lock>");
        Value pointee = Value::at(target, *addr);
        return via_lock ? lock_data(ctx, pointee) : Result<Value>(pointee);
    }
};

// OnceLock<T> { once: Once, value: UnsafeCell<MaybeUninit<T>> }: `OnceLock(5)`,
// `OnceLock(<uninit>)`; LazyLock<T, F> { data: UnsafeCell<union { value, f }>, once: Once }:
// `LazyLock([1])`, `LazyLock(<uninit>)` (a poisoned or running one prints `<uninit>` too).
Result<Value> once_lock_content(Context& ctx, const Value& v) {
    auto once = ctx.field(v, "once");
    if (!once) return once.error();
    auto complete = rust_std::once_complete(ctx, *once);
    if (!complete) return complete.error();
    if (!*complete) return Value::leaf("<uninit>");
    bool lazy = find_field(strip(v.type), "data") != nullptr;
    // OnceLock: MaybeUninit<T> { uninit, value }; LazyLock: union Data { value, f }.
    auto storage = rust_std::unsafe_cell_field(ctx, v, lazy ? "data" : "value");
    if (!storage) return storage.error();
    auto value = ctx.field(*storage, "value");
    if (!value) return value.error();
    return rust_std::manually_drop_value(ctx, *value);
}

// A `thread_local!` with a lazy initialiser keeps its value in std's
// native::lazy::Storage<T, D> { value: UnsafeCell<MaybeUninit<T>>, state: Cell<State<D>> },
// State { Uninitialized, Alive, Destroyed(D) }: the value exists only while Alive (a thread-local
// root of `seam own` then owns what the value owns). `Storage(["hello"])`, `Storage(<uninit>)`,
// `Storage(<destroyed>)`.
Result<Value> lazy_thread_local_content(Context& ctx, const Value& v) {
    auto cell = ctx.field(v, "state");
    if (!cell) return cell.error();
    auto state = rust_std::unsafe_cell_field(ctx, *cell, "value");
    if (!state) return state.error();
    auto arm = rust_layout::active_variant(ctx, *state);
    if (!arm) return arm.error();
    const std::string& name = (*arm)->member.name;
    if (name == "Uninitialized") return Value::leaf("<uninit>");
    if (name == "Destroyed") return Value::leaf("<destroyed>");
    if (name != "Alive") return err("<invalid: thread-local state `{}`>", name);
    auto storage = rust_std::unsafe_cell_field(ctx, v, "value");
    if (!storage) return storage.error();
    auto value = ctx.field(*storage, "value");
    if (!value) return value.error();
    return rust_std::manually_drop_value(ctx, *value);
}

// Older std (1.63 to about 1.77) keeps a lazy `thread_local!` in a fast::Key<T> { inner:
// LazyKeyInner<T> { inner: UnsafeCell<Option<T>> }, dtor_state: Cell<DtorState> }: the value
// exists while the Option is Some; None after the destructor ran (RunningOrHasRun) means
// destroyed, before it uninitialised. Printed like Storage: `Key(["hello"])`, `Key(<uninit>)`.
Result<Value> fast_key_thread_local_content(Context& ctx, const Value& v) {
    auto lazy = ctx.field(v, "inner");
    if (!lazy) return lazy.error();
    auto option = rust_std::unsafe_cell_field(ctx, *lazy, "inner");
    if (!option) return option.error();
    auto arm = rust_layout::active_variant(ctx, *option);
    if (!arm) return arm.error();
    const Field& m = (*arm)->member;
    if (m.name == "Some") {
        auto value = ctx.field(option->sub(m.type, m.offset), "__0");
        if (!value) return value.error();
        return *value;
    }
    if (m.name != "None") return err("<invalid: thread-local state `{}`>", m.name);
    auto cell = ctx.field(v, "dtor_state");
    if (!cell) return cell.error();
    auto dtor = rust_std::unsafe_cell_field(ctx, *cell, "value");
    if (!dtor) return dtor.error();
    auto state = rust_layout::active_variant(ctx, *dtor);
    if (!state) return state.error();
    return Value::leaf((*state)->member.name == "RunningOrHasRun" ? "<destroyed>" : "<uninit>");
}

// Condvar's Debug shows nothing of its state: `Condvar { .. }`.
class CondvarFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.condvar"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && (is_path(t, "std::sync::poison::condvar::Condvar") ||
                                              is_path(t, "std::sync::condvar::Condvar"));
    }
    Formatted format(Context&, const Value&) const override {
        Formatted f;
        f.shape = Shape::Struct;
        f.text = "Condvar";
        f.type_name = "Condvar";
        f.non_exhaustive = true;
        return f;
    }
};

} // namespace

void register_rust_sync(Registry& r) {
    r.add(std::make_unique<LockFormatter>());
    r.add(std::make_unique<LockGuardFormatter>());
    r.add(rust_std::make_once_formatter(
        "rust.oncelock", {"std::sync::once_lock::OnceLock", "std::sync::lazy_lock::LazyLock"},
        once_lock_content));
    r.add(rust_std::make_once_formatter("rust.thread-local",
                                        {"std::sys::thread_local::native::lazy::Storage"},
                                        lazy_thread_local_content));
    r.add(rust_std::make_once_formatter("rust.thread-local-key",
                                        {"std::thread::local::fast::Key",
                                         "std::sys::common::thread_local::fast_local::Key",
                                         "std::sys::thread_local::fast_local::Key"},
                                        fast_key_thread_local_content));
    r.add(std::make_unique<CondvarFormatter>());
    r.add(rust_std::make_atomic_formatter());
}

} // namespace seam
