// The generic Rust formatter over types shaped like rustc 1.95's DWARF (checked with
// llvm-dwarfdump on small programs); expected texts are what `{:?}`/`{:#?}` printed.
#include <gtest/gtest.h>

#include "tests/engine/fake_target.h"

namespace seam {
namespace {

using namespace fake_target;
using Rust = RustTypes;

TEST(GenericRust, IntegersOfEveryWidthAndSign) {
    Rust r;
    Env env;
    env.mem.put(0x1000, std::vector<uint8_t>(16, 0xff));
    env.mem.put(0x2000, cat({le(0, 8), le(0x8000000000000000, 8)}));
    EXPECT_EQ(env.debug(Value::at(r.u128, 0x1000)), "340282366920938463463374607431768211455");
    EXPECT_EQ(env.debug(Value::at(r.i128, 0x1000)), "-1");
    EXPECT_EQ(env.debug(Value::at(r.i128, 0x2000)), "-170141183460469231731687303715884105728");
    EXPECT_EQ(env.debug(Value::at(r.u8, 0x1000)), "255"); // a number, never a char
    EXPECT_EQ(env.debug(Value::at(r.i32, 0x1000)), "-1");
    EXPECT_EQ(env.debug(Value::at(r.unit, 0x1000)), "()");
}

TEST(GenericRust, BoolCharAndFloatIncludingInvalidBitPatterns) {
    Rust r;
    Env env;
    env.mem.put(0x1000, {1, 2, 0, 0});
    env.mem.put(0x2000, cat({le(0x301, 4), le(0x110000, 4), le(0xD800, 4)}));
    env.mem.put(0x3000, le(0x3FB999999999999A, 8)); // 0.1
    EXPECT_EQ(env.debug(Value::at(r.boolean, 0x1000)), "true");
    EXPECT_EQ(env.debug(Value::at(r.boolean, 0x1001)), "<invalid: bool 0x2>");
    EXPECT_EQ(env.debug(Value::at(r.ch, 0x2000)), "'\\u{301}'");
    EXPECT_EQ(env.debug(Value::at(r.ch, 0x2004)), "<invalid: char 0x110000>");
    EXPECT_EQ(env.debug(Value::at(r.ch, 0x2008)), "<invalid: char 0xd800>");
    EXPECT_EQ(env.debug(Value::at(r.f64, 0x3000)), "0.1");
}

TEST(GenericRust, TuplesArraysAndStructs) {
    Rust r;
    Env env;
    const Type* pair = &r.record(TypeKind::Struct, "(u8, i32)", 8,
                                 {Types::field("__0", r.u8, 4), Types::field("__1", r.i32, 0)});
    const Type* one = &r.record(TypeKind::Struct, "(u8)", 1, {Types::field("__0", r.u8, 0)});
    const Type* arr = r.array(r.u8, {4});
    const Type* point = &r.record(TypeKind::Struct, "Point<u8>", 8,
                                  {Types::field("x", r.i32, 4), Types::field("y", r.u8, 0)});
    const Type* wrap = &r.record(TypeKind::Struct, "Wrap", 8, {Types::field("__0", r.i32, 0)});
    const Type* unit = &r.record(TypeKind::Struct, "Unit", 0, {});
    env.mem.put(0x1000, cat({le(0xfffffffe, 4), le(7, 4)}));
    EXPECT_EQ(env.debug(Value::at(pair, 0x1000)), "(7, -2)");
    EXPECT_EQ(env.debug(Value::at(one, 0x1004)), "(7,)");
    EXPECT_EQ(env.debug(Value::at(one, 0x1004), true), "(\n    7,\n)");
    EXPECT_EQ(env.debug(Value::at(arr, 0x1000)), "[254, 255, 255, 255]");
    EXPECT_EQ(env.format(Value::at(arr, 0x1000)).type_name, "[u8; 4]");
    EXPECT_EQ(env.debug(Value::at(point, 0x1000)), "Point { x: 7, y: 254 }");
    EXPECT_EQ(env.debug(Value::at(wrap, 0x1000)), "Wrap(-2)");
    EXPECT_EQ(env.debug(Value::at(unit, 0x1000)), "Unit");
}

TEST(GenericRust, ReferencesPrintTheReferentRawPointersTheAddress) {
    Rust r;
    Env env;
    const Type* ref = r.pointer("&u64", r.u64);
    const Type* mut_ref = r.pointer("&mut u64", r.u64);
    const Type* raw = r.pointer("*const u64", r.u64);
    env.mem.put(0x1000, le(0x7ffd5e8c1a2c, 8));
    env.mem.put(0x7ffd5e8c1a2c, le(42, 8));
    EXPECT_EQ(env.debug(Value::at(ref, 0x1000)), "42");
    Formatted f = env.format(Value::at(mut_ref, 0x1000));
    EXPECT_EQ(f.own.kind, OwnKind::BorrowedMut);
    EXPECT_EQ(f.own.address, 0x7ffd5e8c1a2cu);
    EXPECT_EQ(env.debug(Value::at(raw, 0x1000)), "0x7ffd5e8c1a2c");
    Formatted p = env.format(Value::at(raw, 0x1000));
    EXPECT_EQ(p.pretty_text, "0x00007ffd5e8c1a2c");
    EXPECT_EQ(p.own.kind, OwnKind::Raw);
}

// Option<String>: the niche is String's capacity, 0x8000000000000000 for None (rustc 1.95).
TEST(GenericRust, NicheEnumsCompareAllDiscriminantBits) {
    Rust r;
    Env env;
    Type& opt = r.record(TypeKind::Struct, "Option<u64>", 8, {});
    opt.variant_part.emplace();
    Field discr = Types::field("", r.u64, 0);
    discr.artificial = true;
    opt.variant_part->discr = discr;
    opt.variant_part->variants.push_back(r.variant("None", 8, {}, {0x8000000000000000}));
    opt.variant_part->variants.push_back(
        r.variant("Some", 8, {Types::field("__0", r.u64, 0)}, {}, true));
    env.mem.put(0x1000, cat({le(0x8000000000000000, 8), le(0, 8), le(5, 8)}));
    EXPECT_EQ(env.debug(Value::at(&opt, 0x1000)), "None");
    EXPECT_EQ(env.debug(Value::at(&opt, 0x1008)), "Some(0)");
    EXPECT_EQ(env.debug(Value::at(&opt, 0x1010), true), "Some(\n    5,\n)");

    // Option<bool>: None is the bool byte holding 2.
    Type& ob = r.record(TypeKind::Struct, "Option<bool>", 1, {});
    ob.variant_part.emplace();
    ob.variant_part->discr = Types::field("", r.u8, 0);
    ob.variant_part->variants.push_back(r.variant("None", 1, {}, {2}));
    ob.variant_part->variants.push_back(
        r.variant("Some", 1, {Types::field("__0", r.boolean, 0)}, {}, true));
    env.mem.put(0x2000, {2, 1, 0});
    EXPECT_EQ(env.debug(Value::at(&ob, 0x2000)), "None");
    EXPECT_EQ(env.debug(Value::at(&ob, 0x2001)), "Some(true)");
    EXPECT_EQ(env.debug(Value::at(&ob, 0x2002)), "Some(false)");
}

// #[repr(u64)] enum Big { A = 1, B(u8) = 0xffff_ffff_ffff_fff0 }, struct-like variants, and
// `enum A { A(B) }`, a single-variant enum with no discriminant at all.
TEST(GenericRust, TaggedEnumsWithLargeDiscriminantsAndNesting) {
    Rust r;
    Env env;
    Type& big = r.record(TypeKind::Struct, "Big", 16, {});
    big.variant_part.emplace();
    big.variant_part->discr = Types::field("", r.u64, 0);
    big.variant_part->variants.push_back(r.variant("A", 16, {}, {1}));
    big.variant_part->variants.push_back(
        r.variant("B", 16, {Types::field("__0", r.u8, 8)}, {0xfffffffffffffff0}));
    big.variant_part->variants.push_back(
        r.variant("C", 16, {Types::field("x", r.u8, 8), Types::field("y", r.i32, 12)}, {2}));
    env.mem.put(0x1000, cat({le(0xfffffffffffffff0, 8), le(3, 8), le(1, 16), le(2, 8), le(9, 4),
                             le(0xffffffff, 4), le(0xfffffff0, 8), le(0, 8)}));
    EXPECT_EQ(env.debug(Value::at(&big, 0x1000)), "B(3)");
    EXPECT_EQ(env.debug(Value::at(&big, 0x1010)), "A");
    EXPECT_EQ(env.debug(Value::at(&big, 0x1020)), "C { x: 9, y: -1 }");
    // 0xfffffff0 is what a 32-bit truncation (LLDB 19) would confuse with B.
    EXPECT_EQ(env.debug(Value::at(&big, 0x1030)),
              "<invalid: discriminant 0xfffffff0 matches no variant of Big>");

    Type& b = r.record(TypeKind::Struct, "B", 1, {});
    b.variant_part.emplace();
    b.variant_part->variants.push_back(r.variant("B", 1, {Types::field("__0", r.u8, 0)}, {}));
    Type& a = r.record(TypeKind::Struct, "A", 1, {});
    a.variant_part.emplace();
    a.variant_part->variants.push_back(r.variant("A", 1, {Types::field("__0", &b, 0)}, {}));
    env.mem.put(0x2000, {7});
    EXPECT_EQ(env.debug(Value::at(&a, 0x2000)), "A(B(7))");
}

TEST(GenericRust, FieldlessEnumsUpTo128Bits) {
    Rust r;
    Env env;
    Type& huge = r.make(TypeKind::Enum, "Huge", 16);
    huge.target = r.u128;
    huge.enumerators = {{"X", Int128{1, 0}}, {"Y", Int128{0xfffffffffffffff0, ~0ull}}};
    env.mem.put(0x1000, cat({le(0xfffffffffffffff0, 8), le(~0ull, 8), le(5, 16)}));
    EXPECT_EQ(env.debug(Value::at(&huge, 0x1000)), "Y");
    EXPECT_EQ(env.debug(Value::at(&huge, 0x1010)),
              "<invalid: discriminant 0x5 matches no variant of Huge>");
    // Ordering's Less is -1 as an i8: the enumerator may be stored sign-extended.
    Type& ord = r.make(TypeKind::Enum, "Ordering", 1);
    ord.enum_is_signed = true;
    ord.enumerators = {{"Less", Int128{~0ull, ~0ull}}, {"Equal", {}}, {"Greater", Int128{1, 0}}};
    env.mem.put(0x2000, {0xff});
    EXPECT_EQ(env.debug(Value::at(&ord, 0x2000)), "Less");
}

TEST(GenericRust, FatRawPointersAndPhantomData) {
    Rust r;
    Env env;
    const Type* usize = r.base("usize", Encoding::Unsigned, 8);
    const Type* data = r.pointer("", r.u8);
    const Type* slice =
        &r.record(TypeKind::Struct, "*const [u8]", 16,
                  {Types::field("data_ptr", data, 0), Types::field("length", usize, 8)});
    env.mem.put(0x1000, cat({le(0x55e6e8e5f768, 8), le(2, 8)}));
    EXPECT_EQ(env.debug(Value::at(slice, 0x1000)), "Pointer { addr: 0x55e6e8e5f768, metadata: 2 }");
    Type& ph = r.record(TypeKind::Struct,
                        "PhantomData<std::collections::hash::map::HashMap<u8, u8, "
                        "std::hash::random::RandomState, alloc::alloc::Global>>",
                        0, {});
    ph.qualified = "core::marker::" + ph.name;
    EXPECT_EQ(env.debug(Value::at(&ph, 0x1000)),
              "PhantomData<std::collections::hash::map::HashMap<u8, u8>>");
}

// std's Debug of that era, chosen by the rustc version in the unit's DW_AT_producer.
TEST(GenericRust, Rustc163DebugFormsOfFatRawPointersMaybeUninitAndPhantomData) {
    Rust r;
    Env env;
    const Type* usize = r.base("usize", Encoding::Unsigned, 8);
    const Type* data = r.pointer("", r.u8);
    Type& slice = r.record(TypeKind::Struct, "*const [u8]", 16,
                           {Types::field("data_ptr", data, 0), Types::field("length", usize, 8)});
    slice.rustc = rustc_from_producer("clang LLVM (rustc version 1.63.0 (4b91a6ea7 2022-08-08))");
    env.mem.put(0x1000, cat({le(0x7fffffffe43d, 8), le(2, 8)}));
    EXPECT_EQ(env.debug(Value::at(&slice, 0x1000)), "0x7fffffffe43d");
    EXPECT_EQ(env.debug(Value::at(&slice, 0x1000), true), "0x00007fffffffe43d");
    slice.rustc = rustc_version(1, 86);
    EXPECT_EQ(env.debug(Value::at(&slice, 0x1000)),
              "Pointer { addr: 0x7fffffffe43d, metadata: 2 }");

    Type& mu = r.record(TypeKind::Union, "MaybeUninit<u32>", 4,
                        {Types::field("uninit", r.unit, 0), Types::field("value", r.u32, 0)});
    mu.qualified = "core::mem::maybe_uninit::MaybeUninit<u32>";
    mu.template_params.push_back({"T", r.u32});
    mu.rustc = rustc_version(1, 63);
    EXPECT_EQ(env.debug(Value::at(&mu, 0x1000)), "core::mem::maybe_uninit::MaybeUninit<u32>");
    mu.rustc = rustc_version(1, 85);
    EXPECT_EQ(env.debug(Value::at(&mu, 0x1000)), "MaybeUninit<u32>");

    // PhantomData names its type argument since 1.66.
    Type& ph =
        r.record(TypeKind::Struct, "PhantomData<alloc::vec::Vec<u8, alloc::alloc::Global>>", 0, {});
    ph.qualified = "core::marker::" + ph.name;
    ph.rustc = rustc_version(1, 63);
    EXPECT_EQ(env.debug(Value::at(&ph, 0x1000)), "PhantomData");
    EXPECT_EQ(env.debug(Value::at(&ph, 0x1000), true), "PhantomData");
    ph.rustc = rustc_version(1, 65);
    EXPECT_EQ(env.debug(Value::at(&ph, 0x1000)), "PhantomData");
    ph.rustc = rustc_version(1, 66);
    EXPECT_EQ(env.debug(Value::at(&ph, 0x1000)), "PhantomData<alloc::vec::Vec<u8>>");
}

// Before rustc 1.79 every NonZero width was its own tuple struct; Debug prints the integer.
TEST(GenericRust, OldNonZeroStructsPrintTheirInteger) {
    Rust r;
    Env env;
    env.mem.put(0x1000, cat({le(9, 8), le(0, 8)}));
    for (auto [name, type] : {std::pair{"NonZeroU32", r.u32}, std::pair{"NonZeroI128", r.i128},
                              std::pair{"NonZeroU8", r.u8}}) {
        Type& nz = r.record(TypeKind::Struct, name, type->size, {Types::field("__0", type, 0)});
        nz.qualified = std::string("core::num::nonzero::") + name;
        EXPECT_EQ(env.debug(Value::at(&nz, 0x1000)), "9") << name;
    }
    Type& other = r.record(TypeKind::Struct, "NonZeroThing", 4, {Types::field("__0", r.u32, 0)});
    other.qualified = "core::num::nonzero::NonZeroThing";
    EXPECT_EQ(env.debug(Value::at(&other, 0x1000)), "NonZeroThing(9)");
}

TEST(GenericRust, RustcVersionFromProducer) {
    EXPECT_EQ(rustc_from_producer("clang LLVM (rustc version 1.63.0 (4b91a6ea7 2022-08-08))"),
              rustc_version(1, 63));
    EXPECT_EQ(rustc_from_producer("clang LLVM (rustc version 1.95.0-nightly (abc 2026-01-01))"),
              rustc_version(1, 95));
    EXPECT_EQ(rustc_from_producer("GNU C17 12.2.0"), 0u);
    EXPECT_EQ(rustc_from_producer("rustc version 1."), 0u);
    EXPECT_EQ(rustc_from_producer("rustc version x.y"), 0u);
}

} // namespace
} // namespace seam
