#pragma once
/// Symbol and function names as a user reads them, for every front end (backtraces, the DWARF
/// reader's symbol fallback, the plugin's frame names). One place undoes what rustc's legacy
/// mangling leaves behind a C++ demangler.
///
/// Rust v0 names (`_RNvNtCs…_3std2rt19lang_start_internal`) are not demangled here: the names
/// `seam bt` shows come from the DWARF (qualified names) or from LLDB, whose symbol table
/// demangles v0 with LLVM's Rust demangler (`std::rt::lang_start_internal::{closure#0}`, no
/// disambiguators, no escapes). A v0 symbol reaching demangle_symbol comes back unchanged.
#include <string>
#include <string_view>

namespace seam {

/// Drops a trailing legacy-Rust hash segment (`::h` and 16 hex digits) and undoes legacy
/// mangling's escapes (`$LT$`, `$u7b$`, `..` for `::`, a `_` before a segment starting with
/// `$`) that a C++ demangler keeps. A name without `$` (v0, C, C++) keeps its bytes, hash aside.
std::string clean_rust_name(std::string_view demangled);

/// The readable form of a function name (`seam bt`, reports and crash signatures by default):
/// the path kept, every generic argument list collapsed to `<…>`, as crash-signature systems
/// collapse them to `<T>`. `alloc::vec::spec_from_iter_nested::{impl#0}::from_iter<(i64,
/// alloc::string::String), core::iter::adapters::map::Map<…>>` becomes
/// `alloc::vec::spec_from_iter_nested::{impl#0}::from_iter<…>`. A turbofish (`drop_in_place::<T>`,
/// LLVM's v0 demangling) becomes `drop_in_place<…>` as the DWARF spells it, so that one function
/// reads the same whoever named it. Qualified paths stay, their types' arguments collapsed:
/// `<alloc::vec::Vec<T, A> as core::ops::drop::Drop>::drop` becomes
/// `<alloc::vec::Vec<…> as core::ops::drop::Drop>::drop`, and so do legacy impl segments
/// (`core::fmt::num::<impl core::fmt::Debug for usize>::fmt`). Names without `<` (C) keep
/// their bytes; an unbalanced `<` (C++'s `operator<`) and what follows it are kept as they are.
std::string elide_generics(std::string_view name);

/// A linkage name as a user reads it: legacy Rust (`_ZN…17h<16 hex>E`) demangled with the hash
/// dropped and escapes undone, C++ (`_Z…`) demangled, anything else (C, v0 Rust) unchanged.
std::string demangle_symbol(std::string_view symbol);

} // namespace seam
