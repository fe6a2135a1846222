#pragma once
/// Which frames are library code rather than the program's: the system's C libraries by module,
/// Rust's own crates by crate, and the C runtime functions on every abort, assertion failure and
/// unwind by name (a static build links those into the executable, where no module tells them
/// apart). Shared by the crash classifier and the crash signature, so that both draw the line in
/// the same place.
#include <string_view>

namespace seam::bt {

/// The system's C libraries and the dynamic loader (`libc.so.6`, `ld-linux-x86-64.so.2`,
/// `libgcc_s.so.1`, the vDSO, ...), by the module's file name: glibc may come with its DWARF
/// (libc6-dbg), so DWARF alone does not make a C frame the user's.
bool in_system_library(std::string_view module);

/// std, core, alloc, the panic runtimes, compiler_builtins and std's `__rustc` entry points.
bool is_rust_library_crate(std::string_view crate);

/// A C runtime function on the path of an abort, an assertion failure or an unwind: glibc's
/// `abort`, `raise`, `__pthread_kill_implementation`, `__assert_fail`, `__libc_message`,
/// `malloc_printerr`, `__stack_chk_fail`, ...; the unwinders' `_Unwind_*` (libgcc's and LLVM's
/// libunwind) and the C++ runtime's `__cxa_throw`, `std::terminate`. Compared without a clone
/// suffix (`__pthread_kill_implementation.constprop.0` in a static glibc).
bool is_c_runtime_function(std::string_view name);

/// `name` without the suffixes compilers give a function's clones and split parts: GCC's
/// `.constprop.0`, `.isra.0`, `.part.0`, `.cold`, `.lto_priv.0`, LLVM's `.llvm.1234`. Which
/// clones exist is the optimiser's choice, not the program's: one function, one name.
std::string_view without_clone_suffix(std::string_view name);

/// `name` without a last `.cold` / `.cold.N` suffix, and whether it had one: gcc's name for the
/// cold part of a function it split (-freorder-blocks-and-partition, on at -O2), whose code and
/// CFI (an FDE of its own) lie apart from the function's entry. `f.part.0.cold` -> `f.part.0`.
std::string_view without_cold_suffix(std::string_view name, bool& cold);

} // namespace seam::bt
