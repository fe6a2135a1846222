// Frame names and languages without a debugger: what LLDB hands over for rustc's and gcc's
// symbols, and what seam makes of them.
#include <gtest/gtest.h>

#include "formatters/backtrace/backtrace.h"

namespace seam::bt {
namespace {

TEST(BacktraceNames, StripsLegacyHash) {
    EXPECT_EQ(clean_name("demo::main::h38e95565b6f46d0e"), "demo::main");
    EXPECT_EQ(clean_name("core::ops::function::FnOnce::call_once::ha99581b2f6b5ed54"),
              "core::ops::function::FnOnce::call_once");
    // Not a hash: too short, or not hex.
    EXPECT_EQ(clean_name("demo::h1234"), "demo::h1234");
    EXPECT_EQ(clean_name("demo::hzzzzzzzzzzzzzzzz"), "demo::hzzzzzzzzzzzzzzzz");
    EXPECT_EQ(clean_name("device_for_each"), "device_for_each");
}

TEST(BacktraceNames, UndoesLegacyEscapes) {
    EXPECT_EQ(clean_name("std::rt::lang_start::_$u7b$$u7b$closure$u7d$$u7d$::hc6ac2921ddeee6e5"),
              "std::rt::lang_start::{{closure}}");
    EXPECT_EQ(clean_name("_$LT$alloc..vec..Vec$LT$T$C$A$GT$$u20$as$u20$core..ops..drop..Drop$GT$::"
                         "drop::h0123456789abcdef"),
              "<alloc::vec::Vec<T,A> as core::ops::drop::Drop>::drop");
    // v0 names come demangled without escapes and stay byte for byte.
    EXPECT_EQ(clean_name("std::rt::lang_start_internal::{closure#0}"),
              "std::rt::lang_start_internal::{closure#0}");
}

TEST(BacktraceNames, LanguageOfSymbol) {
    EXPECT_EQ(language_of_symbol("_ZN4demo9on_device17h34c5e5c41654b273E"), Lang::Rust);
    EXPECT_EQ(language_of_symbol("_RNvNtCsjrHSEGnQ3l9_3std2rt19lang_start_internal"), Lang::Rust);
    EXPECT_EQ(language_of_symbol("_ZN3foo3barEv"), Lang::Cpp);
    EXPECT_EQ(language_of_symbol("_Z3addii"), Lang::Cpp);
    // A legacy-looking name whose last segment is not a hash is C++.
    EXPECT_EQ(language_of_symbol("_ZN4demo9on_device17x34c5e5c41654b273E"), Lang::Cpp);
    EXPECT_EQ(language_of_symbol("device_for_each"), Lang::C);
    EXPECT_EQ(language_of_symbol("__libc_start_main@@GLIBC_2.34"), Lang::C);
}

TEST(BacktraceNames, CrateOf) {
    EXPECT_EQ(crate_of("demo::on_device"), "demo");
    EXPECT_EQ(crate_of("std::rt::lang_start_internal::{closure#0}"), "std");
    EXPECT_EQ(crate_of("<&dyn core::ops::function::Fn<(), Output = i32> as "
                       "core::ops::function::FnOnce<()>>::call_once"),
              "core");
    EXPECT_EQ(crate_of("<alloc::vec::Vec<T,A> as core::ops::drop::Drop>::drop"), "alloc");
    EXPECT_EQ(crate_of("<*mut demo::Device as core::fmt::Debug>::fmt"), "demo");
    EXPECT_EQ(crate_of("seam_probe"), "");
    EXPECT_EQ(crate_of("??"), "");
}

TEST(BacktraceNames, RuntimeNames) {
    for (const char* name :
         {"std::rt::lang_start", "std::rt::lang_start::{{closure}}", "std::rt::lang_start_internal",
          "std::sys::backtrace::__rust_begin_short_backtrace",
          "core::ops::function::FnOnce::call_once",
          "core::ops::function::FnOnce::call_once{{vtable.shim}}",
          "<&dyn core::ops::function::Fn<(), Output = i32> + core::marker::Sync as "
          "core::ops::function::FnOnce<()>>::call_once",
          "std::panicking::catch_unwind::do_call<isize>", "std::panic::catch_unwind<i32>",
          "core::panicking::panic_fmt", "__libc_start_main", "__libc_start_main_impl",
          "__libc_start_main@@GLIBC_2.34", "__libc_start_call_main", "_start", "__restore_rt"})
        EXPECT_TRUE(is_runtime_name(name)) << name;
    for (const char* name :
         {"demo::main", "main", "device_for_each", "_starter", "std::fs::read",
          "__libc_start_mainly", "core::ops::function::FnMut::call_mut", "demo::run::{{closure}}"})
        EXPECT_FALSE(is_runtime_name(name)) << name;
}

} // namespace
} // namespace seam::bt
