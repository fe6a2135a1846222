// Frame languages, crates and runtime frames without a debugger, from what LLDB hands over for
// rustc's and gcc's symbols (cleaning the names: rust_names_test.cpp).
#include <gtest/gtest.h>

#include "formatters/backtrace/backtrace.h"

namespace seam::bt {
namespace {

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
          // The DWARF's names, which inlined frames carry too.
          "core::ops::function::impls::{impl#2}::call_once<&dyn core::ops::function::Fn<(), "
          "Output=i32>, ()>",
          "core::ops::function::FnOnce::call_once<fn(), ()>", "__rust_try", "__rust_dealloc",
          "core::panicking::panic_fmt", "__libc_start_main", "__libc_start_main_impl",
          "__libc_start_main@@GLIBC_2.34", "__libc_start_call_main", "_start", "__restore_rt",
          // A #[global_allocator]'s shims, with the user crate's DWARF.
          "seam_flate2::_::__rust_alloc", "app::_::__rg_alloc", "app::_::__rust_dealloc",
          // std's abort in each of the modules it has lived in (1.63, 1.7x-1.8x, 1.95), and what
          // reaches it after a panic in 1.63.
          "std::sys::unix::abort_internal", "std::sys::pal::unix::abort_internal",
          "std::sys::abort_internal", "std::sys_common::backtrace::__rust_end_short_backtrace"})
        EXPECT_TRUE(is_runtime_name(name)) << name;
    for (const char* name : {"demo::main", "main", "device_for_each", "_starter", "std::fs::read",
                             "__libc_start_mainly", "core::ops::function::FnMut::call_mut",
                             "demo::run::{{closure}}", "app::_::helper", "app::_::__rust_allocate",
                             "std::sys::unix::fs::readdir", "app::sys::abort_internal"})
        EXPECT_FALSE(is_runtime_name(name)) << name;
}

} // namespace
} // namespace seam::bt
