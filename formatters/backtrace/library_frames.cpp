// Library frames (library_frames.h).
#include "formatters/backtrace/library_frames.h"

#include <cctype>

namespace seam::bt {

namespace {

// Exact names; glibc's internal aliases (`__GI_raise`) and versioned symbols (`raise@GLIBC…`)
// are folded before the lookup.
constexpr std::string_view k_c_runtime_functions[] = {
    // glibc's abort path: abort() -> raise() -> pthread_kill(); gsignal is raise's alias.
    "abort", "raise", "gsignal", "pthread_kill", "__pthread_kill_implementation",
    "__pthread_kill_internal",
    // Its fatal-error reporters, each ending in abort().
    "__assert_fail", "__assert_fail_base", "__assert_perror_fail", "__libc_message", "__libc_fatal",
    "__fortify_fail", "__chk_fail", "__stack_chk_fail", "malloc_printerr",
    // The C++ runtime's throw and terminate.
    "__cxa_throw", "__cxa_rethrow", "__cxa_call_terminate", "std::terminate",
    "__gxx_personality_v0", "__gcc_personality_v0"};

// Name prefixes: the Itanium unwinder interface (`_Unwind_Resume`, `_Unwind_RaiseException`)
// whichever library implements it, and LLVM libunwind's own functions.
constexpr std::string_view k_c_runtime_prefixes[] = {"_Unwind_", "__libunwind_", "unw_",
                                                     "libunwind::"};

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

} // namespace

bool in_system_library(std::string_view module) {
    static constexpr std::string_view k_prefixes[] = {
        "libc.so", "libc-",     "ld-linux", "ld64.so",  "libpthread", "libgcc_s",
        "libm.so", "libstdc++", "libdl.so", "librt.so", "linux-vdso", "[vdso]"};
    for (std::string_view p : k_prefixes)
        if (module.starts_with(p)) return true;
    return false;
}

bool is_rust_library_crate(std::string_view crate) {
    static constexpr std::string_view k_crates[] = {
        "std", "core", "alloc", "panic_abort", "panic_unwind", "__rustc", "compiler_builtins"};
    for (std::string_view c : k_crates)
        if (crate == c) return true;
    return false;
}

std::string_view without_clone_suffix(std::string_view name) {
    // Suffixes come innermost last (`f.part.0.cold`, `f.constprop.0.isra.0`): drop from the end.
    for (;;) {
        auto dot = name.rfind('.');
        if (dot == std::string_view::npos || dot == 0) return name;
        std::string_view last = name.substr(dot + 1);
        std::string_view head = name.substr(0, dot);
        if (last == "cold") {
            name = head;
            continue;
        }
        if (!all_digits(last)) return name;
        // `.constprop.0`, `.isra.1`, `.part.2`, `.lto_priv.0`, `.llvm.123456`, `.cold.1`
        auto kind_dot = head.rfind('.');
        if (kind_dot == std::string_view::npos) return name;
        std::string_view kind = head.substr(kind_dot + 1);
        if (kind != "constprop" && kind != "isra" && kind != "part" && kind != "lto_priv" &&
            kind != "llvm" && kind != "cold" && kind != "clone" && kind != "specialized")
            return name;
        name = head.substr(0, kind_dot);
    }
}

std::string_view without_cold_suffix(std::string_view name, bool& cold) {
    cold = false;
    auto dot = name.rfind('.');
    if (dot == std::string_view::npos || dot == 0) return name;
    std::string_view last = name.substr(dot + 1), head = name.substr(0, dot);
    if (all_digits(last)) { // `.cold.1`
        auto kind_dot = head.rfind('.');
        if (kind_dot == std::string_view::npos || kind_dot == 0 ||
            head.substr(kind_dot + 1) != "cold")
            return name;
        cold = true;
        return head.substr(0, kind_dot);
    }
    if (last != "cold") return name;
    cold = true;
    return head;
}

bool is_c_runtime_function(std::string_view name) {
    name = without_clone_suffix(name.substr(0, name.find('@')));
    // glibc calls its own exported functions through internal aliases.
    if (name.starts_with("__GI_")) name.remove_prefix(5);
    for (std::string_view f : k_c_runtime_functions)
        if (name == f) return true;
    for (std::string_view p : k_c_runtime_prefixes)
        if (name.starts_with(p)) return true;
    return false;
}

} // namespace seam::bt
