// Language, crate and runtime classification of frames, and the boundaries between them.
#include "formatters/backtrace/backtrace.h"
#include "formatters/backtrace/library_frames.h"
#include "formatters/core/rust_names.h"

namespace seam::bt {

namespace {

// Frames every Rust program has between libc's start-up and `main`, and those panicking
// passes through: std's own functions, the FnOnce shims that call closures and `main`
// through a vtable, and glibc's start-up and signal return trampoline.
constexpr std::string_view k_runtime_prefixes[] = {
    "std::rt::",
    "std::panicking::",
    "std::panic::",
    "core::panicking::",
    "std::sys::backtrace::__rust_begin_short_backtrace",
    "std::sys_common::backtrace::__rust_begin_short_backtrace", // std before 1.80
    "core::ops::function::FnOnce::call_once",
    "__rust_begin_short_backtrace",
    "__libc_start_main",
    "__libc_start_call_main",
    "__restore_rt",
    "rust_begin_unwind",
    "rust_panic",
    // What a panic goes through after the hook, and how std aborts: with panic=abort and in a
    // panic that may not unwind, these sit between the user's frame and libc's abort.
    "std::sys::backtrace::__rust_end_short_backtrace",
    "std::sys_common::backtrace::__rust_end_short_backtrace", // std before 1.80
    "std::process::abort",
    "panic_abort::",
    "panic_unwind::",
    "__rustc::", // 1.95 names its panic entry points __rustc::rust_panic, ...
    "__rust_start_panic",
    "__rust_end_short_backtrace",
};

constexpr std::string_view k_runtime_exact[] = {"_start", "lang_start", "lang_start_internal"};

// Functions rustc or std put into every Rust program with no DWARF of their own and a plain
// symbol, which the mangling rule would call C: `__rust_try` is the catch shim rustc generates
// inside every `catch_unwind` (so at every callback a wrapper crate guards), the allocator
// shims route Box/Vec to the global allocator (`__rg_*`: a #[global_allocator]'s, `__rdl_*`:
// std's default), and the panic runtime's entry points and personality routine.
constexpr std::string_view k_rust_runtime_shims[] = {
    "__rust_try",
    "__rust_alloc",
    "__rust_dealloc",
    "__rust_realloc",
    "__rust_alloc_zeroed",
    "__rust_alloc_error_handler",
    "__rust_alloc_error_handler_should_panic",
    "__rust_no_alloc_shim_is_unstable",
    "__rg_alloc",
    "__rg_dealloc",
    "__rg_realloc",
    "__rg_alloc_zeroed",
    "__rg_oom",
    "__rdl_alloc",
    "__rdl_dealloc",
    "__rdl_realloc",
    "__rdl_alloc_zeroed",
    "__rdl_oom",
    "rust_begin_unwind",
    "rust_panic",
    "rust_eh_personality",
    "__rust_start_panic",
    "__rust_panic_cleanup",
    "__rust_drop_panic",
    "__rust_foreign_exception",
    "__rust_begin_short_backtrace",
    "__rust_end_short_backtrace",
};

bool starts_a_path(std::string_view name, std::string_view prefix) {
    if (!name.starts_with(prefix)) return false;
    // `std::rt::` is a path prefix; `__libc_start_main` must not match `__libc_start_mainly`,
    // but does match glibc's versioned `__libc_start_main_impl` and `@@GLIBC_2.34` forms.
    if (prefix.ends_with("::") || name.size() == prefix.size()) return true;
    char next = name[prefix.size()];
    return next == '_' || next == '@' || next == ':' || next == '<' || next == '{';
}

Lang choose_lang(const RawFrame& raw, const std::string& name, LangSource& source) {
    if (raw.dwarf_lang != Lang::Unknown) {
        source = LangSource::Dwarf;
        return raw.dwarf_lang;
    }
    if (!raw.symbol.empty()) {
        Lang lang = language_of_symbol(raw.symbol);
        // A plain symbol is C's unless rustc or std emitted it.
        if (lang == Lang::C && is_rust_runtime_shim(name)) {
            source = LangSource::Runtime;
            return Lang::Rust;
        }
        source = LangSource::Mangling;
        return lang;
    }
    // No symbol at all (a PC in unmapped or stripped code): C is the only safe guess.
    source = LangSource::Default;
    return Lang::C;
}

// The user frame that made the call into the C frame at `c`: its caller, or the first frame
// above a run of Rust runtime shims (a closure's `call_once` between user code and C).
// When std itself made the call (abort after a panic), no user frame did: none.
std::optional<size_t> wrapper_above(const std::vector<Frame>& frames, size_t c) {
    for (size_t j = c + 1; j < frames.size() && frames[j].lang == Lang::Rust; ++j) {
        if (!frames[j].runtime) return j;
        if (frames[j].name.find("call_once") == std::string::npos) return std::nullopt;
    }
    return std::nullopt;
}

} // namespace

bool is_rust_runtime_shim(std::string_view name) {
    // glibc-style version suffixes (`@@…`) never appear on these, but LLDB may append them.
    name = name.substr(0, name.find('@'));
    for (std::string_view shim : k_rust_runtime_shims)
        if (name == shim) return true;
    return false;
}

bool is_std_abort(std::string_view name) {
    // std moves its platform module between releases (`std::sys::unix::` in 1.63,
    // `std::sys::pal::unix::` later, `std::sys::` now): the crate and the last segment say what
    // the function is wherever it lives.
    return name.starts_with("std::sys::") && name.ends_with("::abort_internal");
}

bool is_runtime_name(std::string_view name) {
    if (is_rust_runtime_shim(name) || is_std_abort(name)) return true;
    // A #[global_allocator]'s shims are generated in the user's crate, inside an anonymous
    // `const _`, with DWARF: `app::_::__rust_alloc` (1.95), `app::_::__rg_alloc` (older).
    if (auto at = name.rfind("::_::");
        at != std::string_view::npos && is_rust_runtime_shim(name.substr(at + 5)))
        return true;
    for (std::string_view p : k_runtime_prefixes)
        if (starts_a_path(name, p)) return true;
    for (std::string_view e : k_runtime_exact)
        if (name == e) return true;
    // `<&dyn core::ops::function::Fn<()> as core::ops::function::FnOnce<()>>::call_once`,
    // `core::ops::function::impls::<impl FnOnce<A> for &F>::call_once` (LLDB's names) and
    // `core::ops::function::impls::{impl#2}::call_once<&dyn …, ()>` (the DWARF's, inlined
    // frames included): shims, not user code.
    if (name.find("core::ops::function::") == std::string_view::npos) return false;
    std::string path = elide_generics(name);
    if (path.ends_with("<…>")) path.resize(path.size() - std::string_view("<…>").size());
    return path.ends_with("::call_once") || path.ends_with("::call_once{{vtable.shim}}");
}

Backtrace classify(RawThread thread) {
    Backtrace bt;
    bt.frames.reserve(thread.frames.size());
    for (RawFrame& raw : thread.frames) {
        Frame f;
        const std::string& source_name = raw.function.empty() ? raw.symbol : raw.function;
        f.name = source_name.empty() ? "??" : clean_rust_name(source_name);
        // A split function's cold part reads as the function (the DWARF names it so already;
        // without DWARF the name is the symbol's `foo.cold`), tagged `[cold part]`.
        without_cold_suffix(raw.symbol, f.cold_part);
        if (f.cold_part) {
            bool cold = false;
            f.name = std::string(without_cold_suffix(f.name, cold));
        }
        f.short_name = elide_generics(f.name);
        f.lang = choose_lang(raw, f.name, f.lang_source);
        if (f.lang == Lang::Rust) f.crate = crate_of(f.name);
        f.runtime = is_runtime_name(f.name);
        f.raw = std::move(raw);
        bt.frames.push_back(std::move(f));
    }
    // rustc emits a C-ABI `main` (no DWARF, a plain symbol) that only calls std::rt::lang_start
    // (lang_start_internal at -O2, lang_start inlined into it): Rust's start-up, not a C caller.
    for (size_t i = 1; i < bt.frames.size(); ++i) {
        Frame& f = bt.frames[i];
        if (f.name == "main" && f.raw.dwarf_lang == Lang::Unknown &&
            bt.frames[i - 1].name.starts_with("std::rt::lang_start")) {
            f.runtime = true;
            f.lang = Lang::Rust;
            f.lang_source = LangSource::Runtime;
        }
    }
    for (size_t i = 0; i + 1 < bt.frames.size(); ++i) {
        const Frame& callee = bt.frames[i];
        const Frame& caller = bt.frames[i + 1];
        if (callee.lang == caller.lang) continue;
        Boundary b{i, caller.lang, callee.lang, std::nullopt};
        if (caller.lang == Lang::Rust && !callee.runtime)
            if (auto w = wrapper_above(bt.frames, i)) {
                bt.frames[*w].wrapper = true;
                b.wrapper = w;
            }
        bt.boundaries.push_back(b);
    }
    thread.frames.clear();
    bt.thread = std::move(thread);
    return bt;
}

} // namespace seam::bt
