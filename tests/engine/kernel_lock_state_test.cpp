// decode_lock (formatters/kernel/kernel_lock.cpp) on the spinlock_t of both kinds of kernel:
// SMP's qspinlock word, and a uniprocessor kernel's, which holds nothing (arch_spinlock_t is an
// empty struct without CONFIG_DEBUG_SPINLOCK, so spinlock_t has size 0). The real uniprocessor
// kernel (tests/kernel, tinyconfig before it turned SMP on) printed
// `<error: unknown lock state Opaque<bindings::bindings_raw::spinlock>>` for every SpinLock.
#include <gtest/gtest.h>

#include "formatters/core/formatter.h"
#include "formatters/kernel/kernel_parts.h"
#include "tests/engine/fake_target.h"

namespace seam::kernel {
namespace {

using fake_target::Types;

// bindgen's spinlock { __bindgen_anon_1: union { rlock: raw_spinlock { raw_lock } } } inside the
// kernel crate's Opaque { value: UnsafeCell<MaybeUninit<spinlock>> }; `arch` is the
// arch_spinlock_t (qspinlock's `val` word, or nothing).
const Type* opaque_spinlock(Types& rust, const Type* arch) {
    Type& raw = rust.make(TypeKind::Struct, "raw_spinlock", arch->size,
                          "bindings::bindings_raw::raw_spinlock");
    Types::add(raw, "raw_lock", arch, 0);
    Type& anon = rust.make(TypeKind::Union, "spinlock__bindgen_ty_1", arch->size,
                           "bindings::bindings_raw::spinlock__bindgen_ty_1");
    Types::add(anon, "rlock", &raw, 0);
    Type& lock =
        rust.make(TypeKind::Struct, "spinlock", arch->size, "bindings::bindings_raw::spinlock");
    Types::add(lock, "__bindgen_anon_1", &anon, 0);
    std::string mu = "core::mem::maybe_uninit::MaybeUninit<bindings::bindings_raw::spinlock>";
    Type& uninit = rust.make(TypeKind::Union, "MaybeUninit<spinlock>", arch->size, mu);
    Types::add(uninit, "value", &lock, 0);
    std::string cell = "core::cell::UnsafeCell<" + mu + ">";
    Type& unsafe_cell =
        rust.make(TypeKind::Struct, "UnsafeCell<MaybeUninit<spinlock>>", arch->size, cell);
    Types::add(unsafe_cell, "value", &uninit, 0);
    std::string q = "kernel::types::Opaque<bindings::bindings_raw::spinlock>";
    Type& opaque =
        rust.make(TypeKind::Struct, "Opaque<bindings::bindings_raw::spinlock>", arch->size, q);
    Types::add(opaque, "value", &unsafe_cell, 0);
    return &opaque;
}

TEST(KernelLockState, UniprocessorSpinlockKeepsNoState) {
    Types rust{Lang::Rust};
    const Type& arch = rust.make(TypeKind::Struct, "arch_spinlock_t", 0);
    fake_target::FakeMemory mem;
    Context ctx(mem, nullptr, builtin_registry());
    auto s = decode_lock(ctx, Value::at(opaque_spinlock(rust, &arch), 0x1000));
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->kind, "spinlock");
    EXPECT_EQ(s->state, "state not kept (uniprocessor kernel)");
    EXPECT_EQ(lock_line(ctx, *s), "state not kept (uniprocessor kernel)");
}

TEST(KernelLockState, SmpSpinlockWord) {
    Types rust{Lang::Rust};
    Type& atomic = rust.make(TypeKind::Struct, "atomic_t", 4, "bindings::bindings_raw::atomic_t");
    Types::add(atomic, "counter", rust.base("i32", Encoding::Signed, 4), 0);
    Type& arch = rust.make(TypeKind::Struct, "qspinlock", 4, "bindings::bindings_raw::qspinlock");
    Types::add(arch, "val", &atomic, 0);
    const Type* lock = opaque_spinlock(rust, &arch);
    for (auto [word, state] : {std::pair<uint32_t, const char*>{0, "unlocked"},
                               {1, "locked"},
                               {0x101, "contended"},
                               {0x40001, "contended"}}) {
        fake_target::FakeMemory mem;
        mem.put(0x1000, fake_target::le(word, 4));
        Context ctx(mem, nullptr, builtin_registry());
        auto s = decode_lock(ctx, Value::at(lock, 0x1000));
        ASSERT_TRUE(s) << s.error().message;
        EXPECT_EQ(s->state, state) << word;
    }
}

} // namespace
} // namespace seam::kernel
