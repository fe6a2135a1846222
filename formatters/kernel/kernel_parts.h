#pragma once
/// Internal to the kernel-crate family (formatters/kernel): the pieces register_kernel()
/// assembles and the readers they share. The kernel crate's types are matched by their real
/// paths (`kernel::sync::arc::Arc`); every offset comes from the DWARF by field name, and a
/// layout that drifted between kernel versions is told apart by the fields it has, never by a
/// version (fixtures/README.md, "The kernel crate").
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "formatters/core/context.h"
#include "formatters/rust/rust_layout.h"

namespace seam::kernel {

std::unique_ptr<Formatter> make_arc_formatter();         ///< Arc, UniqueArc, ListArc
std::unique_ptr<Formatter> make_arc_borrow_formatter();  ///< ArcBorrow
std::unique_ptr<Formatter> make_aref_formatter();        ///< ARef (kernel::types, sync::aref)
std::unique_ptr<Formatter> make_box_formatter();         ///< kernel::alloc::kbox::Box
std::unique_ptr<Formatter> make_vec_formatter();         ///< kernel::alloc::kvec::Vec
std::unique_ptr<Formatter> make_cstr_formatter();        ///< &CStr, &BStr
std::unique_ptr<Formatter> make_cstring_formatter();     ///< CString
std::unique_ptr<Formatter> make_error_formatter();       ///< kernel::error::Error
std::unique_ptr<Formatter> make_opaque_formatter();      ///< kernel::types::Opaque
std::unique_ptr<Formatter> make_scope_guard_formatter(); ///< kernel::types::ScopeGuard
std::unique_ptr<Formatter> make_lock_formatter();        ///< kernel::sync::lock::Lock
std::unique_ptr<Formatter> make_guard_formatter();       ///< kernel::sync::lock::Guard
std::unique_ptr<Formatter> make_list_formatter();        ///< kernel::list::List
std::unique_ptr<Formatter> make_device_formatter();      ///< kernel::device::Device

/// The byte size of `t` (typedefs stripped), 0 when unknown or zero-sized.
inline uint64_t size_of(const Type* t) {
    t = strip(t);
    return t && t->has_size ? t->size : 0;
}

/// A kernel::alloc::kvec::Vec<T, A>: ptr, len, capacity (`layout.len`) and T.
Result<rust_layout::Buffer> read_kvec(Context& ctx, const Value& vec);

/// The kernel's name of errno `n` (positive), as its errname() gives it (`EINVAL`), or "".
std::string_view errno_name(int64_t n);

/// The value a kernel wrapper holds, seen through: Opaque (6.12's `{value:
/// UnsafeCell<MaybeUninit<T>>, _pin}` and the older `(MaybeUninit<UnsafeCell<T>>)`), Refcount,
/// UnsafeCell, MaybeUninit, ManuallyDrop: each is descended through its only sized member.
/// Any other type is returned as it is.
Value see_through(const Value& v);

/// The C type a bindgen'd Rust type stands for (`bindings::bindings_raw::task_struct` ->
/// C's `struct task_struct`), when the DWARF has it with the same size; else `t` itself. C's
/// formatters know the kernel's C idioms (refcount_t, list_head, char arrays as text).
const Type* c_twin(Context& ctx, const Type* t);

/// The count of a refcount_t (`refs.counter`) held anywhere `v` sees through to, bindgen's or
/// C's: an Opaque<refcount_t>, a Refcount, a kref, or the refcount_struct itself.
Result<int64_t> read_refcount(Context& ctx, const Value& v);

/// The refcount member of a C object (task_struct's `usage`, a kref): the first member whose
/// type is a refcount_struct or kref, as a sub-value, or an error.
Result<Value> refcount_member(Context& ctx, const Value& object);

/// `"comm" (pid N)` of the task_struct at `address` (a mutex owner, `current`): read through the
/// DWARF's C task_struct, else bindgen's.
Result<std::string> task_text(Context& ctx, uint64_t address, const Type* hint = nullptr);

/// What a count means: "" when it is a live count, else why not (zero: freed; negative:
/// saturated, leaked).
std::string refcount_problem(int64_t count);

/// A C lock as the kernel's C reads it: a `struct mutex` (owner word: task and flag bits) or a
/// spinlock_t / raw_spinlock / qspinlock (`val`), C's type or bindgen's, seen through an Opaque.
struct LockState {
    std::string state;  ///< unlocked, locked, contended
    uint64_t owner = 0; ///< a mutex's owning task_struct
    std::string kind;   ///< "mutex", "spinlock"
};
Result<LockState> decode_lock(Context& ctx, const Value& lock);
/// `locked by "insmod" (pid 312)`, `contended, locked by ...`, `unlocked`, `locked`.
std::string lock_line(Context& ctx, const LockState& s);

/// The C side's own values (kernel_c_side.cpp): `struct mutex`, spinlocks and `task_struct` in
/// C frames and bindgen's types, their record formatting kept and their state on the line.
std::unique_ptr<Formatter> make_c_lock_formatter();
std::unique_ptr<Formatter> make_c_task_formatter();

/// `head → value` with the value's nested summary, or `head` alone inside another summary.
std::string with_value(Context& ctx, std::string head, const Value& value);

/// A kernel type's name as a user writes it, the allocator turned back into the alias the
/// kernel writes (`Box<u64, Kmalloc>` -> `KBox<u64>`): `prefix` is "Box" or "Vec".
std::string alias_name(const Type& t, std::string_view prefix);

} // namespace seam::kernel
