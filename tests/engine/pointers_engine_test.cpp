// The pointer, cell, sync and misc families over types shaped like rustc 1.95's DWARF (checked
// with llvm-dwarfdump); expected texts are what `{:?}`/`{:#?}` printed in small programs.
// The fixtures (tests/fixtures/{pointers,cells,sync,misc}.rs) check the same against live
// processes; these cover what a fixture cannot: cycles, corruption and exact Duration rules.
#include <chrono>

#include <gtest/gtest.h>

#include "tests/engine/fake_target.h"

namespace seam {
namespace {

using namespace fake_target;

struct Rust : RustTypes {

    // Rc<T> { ptr: NonNull<RcInner<T>> { pointer: *const RcInner<T> } } with RcInner<T>
    // { strong: usize, weak: usize, value: T }; `value` may be set later (recursive types).
    Type& rc_inner(std::string name, const Type* value, uint64_t size) {
        return record(TypeKind::Struct, "alloc::rc::RcInner<" + name + ">", size,
                      {Types::field("strong", usize, 0), Types::field("weak", usize, 8),
                       Types::field("value", value, 16)});
    }
    const Type* rc(std::string kind, std::string name, const Type* inner) {
        const Type* ptr = pointer("*const alloc::rc::RcInner<" + name + ">", inner);
        const Type* nonnull = &record(
            TypeKind::Struct, "core::ptr::non_null::NonNull<alloc::rc::RcInner<" + name + ">>", 8,
            {Types::field("pointer", ptr, 0)});
        return &record(TypeKind::Struct,
                       "alloc::rc::" + kind + "<" + name + ", alloc::alloc::Global>", 8,
                       {Types::field("ptr", nonnull, 0)});
    }
    const Type* duration() {
        const Type* nanos = &record(TypeKind::Struct, "core::num::niche_types::Nanoseconds", 4,
                                    {Types::field("__0", u32, 0)});
        return &record(TypeKind::Struct, "core::time::Duration", 16,
                       {Types::field("secs", u64, 0), Types::field("nanos", nanos, 8)});
    }
};

TEST(RustPointers, RcCycleEndsAsBudgetMarkerQuickly) {
    Rust r;
    Env env;
    // struct Node { val: i32, next: Rc<Node> } whose `next` is itself.
    Type& node = r.record(TypeKind::Struct, "cycle::Node", 16, {Types::field("val", r.i32, 0)});
    Type& inner = r.rc_inner("cycle::Node", &node, 32);
    const Type* rc = r.rc("Rc", "cycle::Node", &inner);
    node.fields.push_back(Types::field("next", rc, 8));
    env.mem.put(0x1000, cat({le(1, 8), le(1, 8), le(7, 4), le(0, 4), le(0x1000, 8)}));
    env.mem.put(0x2000, le(0x1000, 8));

    auto start = std::chrono::steady_clock::now();
    std::string text = env.debug(Value::at(rc, 0x2000));
    Formatted f = env.format(Value::at(rc, 0x2000));
    auto took = std::chrono::steady_clock::now() - start;
    EXPECT_TRUE(text.starts_with("Node { val: 7, next: Node { val: 7, next: Node {")) << text;
    EXPECT_NE(text.find("<budget: nesting deeper than"), std::string::npos) << text;
    EXPECT_TRUE(f.summary.starts_with("strong=1 weak=0 \u2192 Node { val: 7, next: Node {"))
        << f.summary;
    EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(took).count(), 1000);
}

TEST(RustPointers, RcCountsAndDanglingWeak) {
    Rust r;
    Env env;
    Type& inner = r.rc_inner("u32", r.u32, 24);
    const Type* rc = r.rc("Rc", "u32", &inner);
    const Type* weak = r.rc("Weak", "u32", &inner);
    env.mem.put(0x1000, cat({le(2, 8), le(2, 8), le(42, 4), le(0, 4)}));
    env.mem.put(0x2000, cat({le(0x1000, 8), le(~0ull, 8), le(0, 8)}));
    Formatted f = env.format(Value::at(rc, 0x2000));
    EXPECT_EQ(env.debug(Value::at(rc, 0x2000)), "42");
    EXPECT_EQ(f.own.kind, OwnKind::Shared);
    EXPECT_EQ(f.own.strong, 2);
    EXPECT_EQ(f.own.weak, 1); // Rc::weak_count: the stored weak less the strong refs' one
    EXPECT_EQ(f.summary, "strong=2 weak=1 \u2192 42");
    Formatted live = env.format(Value::at(weak, 0x2000));
    EXPECT_EQ(env.debug(Value::at(weak, 0x2000), true), "(Weak)");
    EXPECT_EQ(live.summary, "(Weak) strong=2 weak=1 \u2192 42");
    Formatted dangling = env.format(Value::at(weak, 0x2008));
    EXPECT_EQ(env.debug(Value::at(weak, 0x2008)), "(Weak)");
    EXPECT_EQ(dangling.own.note, "dangling");
    EXPECT_EQ(dangling.own.strong, 0);
    // Freed memory read through an Rc: a marked error, not a value.
    env.mem.put(0x3000, cat({le(0, 8), le(1, 8), le(42, 4), le(0, 4)}));
    env.mem.put(0x4000, le(0x3000, 8));
    EXPECT_EQ(env.debug(Value::at(rc, 0x4000)), "<invalid: Rc with strong count 0 (freed)>");
    env.mem.put(0x4008, le(0x9000, 8));
    EXPECT_TRUE(env.debug(Value::at(rc, 0x4008)).starts_with("<error"))
        << env.debug(Value::at(rc, 0x4008));
}

TEST(RustMisc, DurationDebugFollowsCoreTime) {
    Rust r;
    Env env;
    const Type* d = r.duration();
    struct Case {
        uint64_t secs;
        uint32_t nanos;
        const char* text;
    };
    // Every expectation printed by rustc 1.95's `{:?}`.
    const Case cases[] = {
        {0, 0, "0ns"},
        {0, 1, "1ns"},
        {0, 999, "999ns"},
        {0, 1000, "1\u00b5s"},
        {0, 1500, "1.5\u00b5s"},
        {0, 1001, "1.001\u00b5s"},
        {0, 100'000'000, "100ms"},
        {0, 1'000'001, "1.000001ms"},
        {0, 999'999'999, "999.999999ms"},
        {1, 0, "1s"},
        {1, 500'000'000, "1.5s"},
        {1, 1, "1.000000001s"},
        {1'000'000, 120'000'000, "1000000.12s"},
        {~0ull, 999'999'999, "18446744073709551615.999999999s"},
        {3600, 0, "3600s"},
        {2, 62'500'000, "2.0625s"},
        {0, 10'000, "10\u00b5s"},
        {0, 250'007, "250.007\u00b5s"},
    };
    uint64_t addr = 0x1000;
    for (const auto& c : cases) {
        env.mem.put(addr, cat({le(c.secs, 8), le(c.nanos, 4), le(0, 4)}));
        EXPECT_EQ(env.debug(Value::at(d, addr)), c.text);
        EXPECT_EQ(env.debug(Value::at(d, addr), true), c.text);
        addr += 0x100;
    }
    env.mem.put(addr, cat({le(1, 8), le(1'000'000'000, 4), le(0, 4)}));
    EXPECT_EQ(env.debug(Value::at(d, addr)), "<invalid: Duration with 1000000000 nanoseconds>");
}

TEST(RustCells, RefCellStatesFromTheBorrowFlag) {
    Rust r;
    Env env;
    const Type* flag_cell =
        &r.record(TypeKind::Struct, "core::cell::Cell<isize>", 8,
                  {Types::field("value",
                                &r.record(TypeKind::Struct, "core::cell::UnsafeCell<isize>", 8,
                                          {Types::field("value", r.isize, 0)}),
                                0)});
    const Type* value_cell = &r.record(TypeKind::Struct, "core::cell::UnsafeCell<i32>", 4,
                                       {Types::field("value", r.i32, 0)});
    const Type* refcell =
        &r.record(TypeKind::Struct, "core::cell::RefCell<i32>", 16,
                  {Types::field("borrow", flag_cell, 0), Types::field("value", value_cell, 8)});
    env.mem.put(0x1000, cat({le(0, 8), le(5, 4), le(0, 4)}));
    env.mem.put(0x2000, cat({le(2, 8), le(5, 4), le(0, 4)}));
    env.mem.put(0x3000, cat({le(~0ull, 8), le(5, 4), le(0, 4)}));
    EXPECT_EQ(env.debug(Value::at(refcell, 0x1000)), "RefCell { value: 5 }");
    EXPECT_EQ(env.format(Value::at(refcell, 0x1000)).own.state, "free");
    EXPECT_EQ(env.format(Value::at(refcell, 0x2000)).own.state, "reading 2");
    EXPECT_EQ(env.debug(Value::at(refcell, 0x3000), true), "RefCell {\n    value: <borrowed>,\n}");
    Formatted w = env.format(Value::at(refcell, 0x3000));
    EXPECT_EQ(w.own.state, "writing");
    EXPECT_EQ(w.summary, "writing 5"); // the debugger sees what Debug hides
}

// A held Mutex's Debug shows `data: <locked>`: a placeholder printed bare until std made it a
// str (quoted) in rustc 1.91; a write-held RwLock's stays bare. Chosen by the unit's rustc.
TEST(RustSync, LockedMutexPlaceholderFollowsTheRustcVersion) {
    Rust r;
    Env env;
    const Type* futex = &r.record(TypeKind::Struct, "std::sys::sync::mutex::futex::Mutex", 4,
                                  {Types::field("futex", r.u32, 0)});
    const Type* flag = &r.record(TypeKind::Struct, "std::sync::poison::Flag", 1,
                                 {Types::field("failed", r.u8, 0)});
    const Type* cell = &r.record(TypeKind::Struct, "core::cell::UnsafeCell<i32>", 4,
                                 {Types::field("value", r.i32, 0)});
    Type& mutex = r.record(TypeKind::Struct, "std::sync::poison::mutex::Mutex<i32>", 12,
                           {Types::field("inner", futex, 0), Types::field("poison", flag, 4),
                            Types::field("data", cell, 8)});
    env.mem.put(0x1000, cat({le(1, 4), le(0, 4), le(5, 4)}));
    EXPECT_EQ(env.debug(Value::at(&mutex, 0x1000)),
              R"(Mutex { data: "<locked>", poisoned: false, .. })");
    mutex.rustc = rustc_version(1, 91);
    EXPECT_EQ(env.debug(Value::at(&mutex, 0x1000)),
              R"(Mutex { data: "<locked>", poisoned: false, .. })");
    mutex.rustc = rustc_version(1, 90);
    EXPECT_EQ(env.debug(Value::at(&mutex, 0x1000)),
              "Mutex { data: <locked>, poisoned: false, .. }");
    mutex.rustc = rustc_version(1, 63);
    EXPECT_EQ(env.debug(Value::at(&mutex, 0x1000), true),
              "Mutex {\n    data: <locked>,\n    poisoned: false,\n    ..\n}");
    env.mem.put(0x2000, cat({le(0, 4), le(0, 4), le(5, 4)}));
    EXPECT_EQ(env.debug(Value::at(&mutex, 0x2000)), "Mutex { data: 5, poisoned: false, .. }");
}

} // namespace
} // namespace seam
