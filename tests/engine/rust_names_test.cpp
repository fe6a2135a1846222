// Names as users read them (formatters/core/rust_names.h): what a C++ demangler, LLDB's
// included, leaves of rustc's legacy symbols, and the symbols the DWARF reader falls back on.
#include <gtest/gtest.h>

#include "formatters/core/rust_names.h"

namespace seam {
namespace {

TEST(RustNames, StripsLegacyHash) {
    EXPECT_EQ(clean_rust_name("demo::main::h38e95565b6f46d0e"), "demo::main");
    EXPECT_EQ(clean_rust_name("core::ops::function::FnOnce::call_once::ha99581b2f6b5ed54"),
              "core::ops::function::FnOnce::call_once");
    // Not a hash: too short, or not hex.
    EXPECT_EQ(clean_rust_name("demo::h1234"), "demo::h1234");
    EXPECT_EQ(clean_rust_name("demo::hzzzzzzzzzzzzzzzz"), "demo::hzzzzzzzzzzzzzzzz");
    EXPECT_EQ(clean_rust_name("device_for_each"), "device_for_each");
}

TEST(RustNames, UndoesLegacyEscapes) {
    EXPECT_EQ(
        clean_rust_name("std::rt::lang_start::_$u7b$$u7b$closure$u7d$$u7d$::hc6ac2921ddeee6e5"),
        "std::rt::lang_start::{{closure}}");
    EXPECT_EQ(
        clean_rust_name("_$LT$alloc..vec..Vec$LT$T$C$A$GT$$u20$as$u20$core..ops..drop..Drop$GT$::"
                        "drop::h0123456789abcdef"),
        "<alloc::vec::Vec<T,A> as core::ops::drop::Drop>::drop");
    // A code point beyond ASCII comes back as UTF-8.
    EXPECT_EQ(clean_rust_name("demo::caf$u e9$::h0123456789abcdef"), "demo::caf$u e9$");
    EXPECT_EQ(clean_rust_name("demo::caf$ue9$::h0123456789abcdef"), "demo::caf\xc3\xa9");
    // v0 names come demangled without escapes and stay byte for byte, `..` included.
    EXPECT_EQ(clean_rust_name("std::rt::lang_start_internal::{closure#0}"),
              "std::rt::lang_start_internal::{closure#0}");
    EXPECT_EQ(clean_rust_name("demo::f::<0..=9>"), "demo::f::<0..=9>");
}

TEST(RustNames, DemanglesSymbols) {
    EXPECT_EQ(demangle_symbol("_ZN4demo9on_device17h34c5e5c41654b273E"), "demo::on_device");
    EXPECT_EQ(demangle_symbol("_ZN4demo12Vec$LT$T$GT$5inner17h0123456789abcdefE"),
              "demo::Vec<T>::inner");
    EXPECT_EQ(demangle_symbol("_ZN3std2rt10lang_start28_$u7b$$u7b$closure$u7d$$u7d$"
                              "17hc6ac2921ddeee6e5E"),
              "std::rt::lang_start::{{closure}}");
    // C++ keeps its own spelling; C names and what is not a valid mangling stay as they are.
    EXPECT_EQ(demangle_symbol("_Z3addii"), "add(int, int)");
    EXPECT_EQ(demangle_symbol("_ZN3foo3barEv"), "foo::bar()");
    EXPECT_EQ(demangle_symbol("device_for_each"), "device_for_each");
    EXPECT_EQ(demangle_symbol("_Zgarbage"), "_Zgarbage");
    // v0 is LLDB's to demangle (rust_names.h): the symbol comes back unchanged.
    EXPECT_EQ(demangle_symbol("_RNvNtCsjrHSEGnQ3l9_3std2rt19lang_start_internal"),
              "_RNvNtCsjrHSEGnQ3l9_3std2rt19lang_start_internal");
}

// The readable names of seam bt, reports and signatures: the path kept, generic arguments
// collapsed, the same for every instantiation and every spelling of one function.
TEST(RustNames, ElidesGenericArguments) {
    EXPECT_EQ(elide_generics("alloc::vec::spec_from_iter_nested::{impl#0}::from_iter<(i64, "
                             "alloc::string::String), core::iter::adapters::map::Map<core::ops::"
                             "range::Range<i64>, app::f::{closure_env#0}>>"),
              "alloc::vec::spec_from_iter_nested::{impl#0}::from_iter<…>");
    EXPECT_EQ(elide_generics("app::parse<u32>"),
              elide_generics("app::parse<alloc::string::String>"));
    EXPECT_EQ(elide_generics("app::{impl#2}::checksum_at::{closure#0}<u32>"),
              "app::{impl#2}::checksum_at::{closure#0}<…>");
    // A `fn(A) -> B` argument: `->` closes nothing.
    EXPECT_EQ(elide_generics("app::apply<fn(&u8) -> u8, u8>::inner"), "app::apply<…>::inner");
    // LLVM's v0 demangling writes a turbofish; the DWARF does not. One spelling either way.
    EXPECT_EQ(elide_generics("core::ptr::drop_in_place::<alloc::vec::Vec<u8>>"),
              "core::ptr::drop_in_place<…>");
    EXPECT_EQ(elide_generics("std::rt::lang_start::<()>::{closure#0}"),
              "std::rt::lang_start<…>::{closure#0}");
    // Qualified paths stay; their types' arguments collapse.
    EXPECT_EQ(elide_generics("<alloc::vec::Vec<T,A> as core::ops::drop::Drop>::drop"),
              "<alloc::vec::Vec<…> as core::ops::drop::Drop>::drop");
    EXPECT_EQ(elide_generics("<&dyn core::ops::function::Fn<(), Output = i32> as "
                             "core::ops::function::FnOnce<()>>::call_once"),
              "<&dyn core::ops::function::Fn<…> as core::ops::function::FnOnce<…>>::call_once");
    EXPECT_EQ(elide_generics("<[T]>::len"), "<[T]>::len");
    EXPECT_EQ(elide_generics("core::fmt::num::<impl core::fmt::Debug for usize>::fmt"),
              "core::fmt::num::<impl core::fmt::Debug for usize>::fmt");
    EXPECT_EQ(elide_generics("core::slice::<impl [T]>::iter<u8>"),
              "core::slice::<impl [T]>::iter<…>");
    // C and C++ names: nothing to collapse, or C++'s own template arguments; operators stay.
    EXPECT_EQ(elide_generics("device_for_each"), "device_for_each");
    EXPECT_EQ(elide_generics("std::vector<int, std::allocator<int> >::push_back(int const&)"),
              "std::vector<…>::push_back(int const&)");
    EXPECT_EQ(elide_generics("operator<(a const&, b const&)"), "operator<(a const&, b const&)");
    EXPECT_EQ(elide_generics("app::broken<u8"), "app::broken<u8");
}

} // namespace
} // namespace seam
