// Why a thread stopped, from the signal and the names of the frames on its stack.
#include <fmt/format.h>

#include "formatters/crash/crash.h"
#include "formatters/crash/crash_internal.h"

namespace seam::crash {

namespace {

using bt::Frame;

constexpr int k_sigill = 4, k_sigtrap = 5, k_sigabrt = 6, k_sigbus = 7, k_sigfpe = 8,
              k_sigsegv = 11;

// libc's machinery between a call to abort()/raise() and the kernel: never the culprit.
constexpr std::string_view k_libc_abort_path[] = {"abort",
                                                  "raise",
                                                  "gsignal",
                                                  "pthread_kill",
                                                  "__pthread_kill_implementation",
                                                  "__pthread_kill_internal",
                                                  "__GI_raise",
                                                  "__GI_abort",
                                                  "__pthread_kill",
                                                  "__GI___pthread_kill"};

// Where std and core route every panic (1.95; `__rustc::` is the prefix of std-internal
// symbols since 1.88, the bare names are older toolchains').
constexpr std::string_view k_panic_machinery[] = {
    "std::panicking::rust_panic_with_hook",
    "std::panicking::begin_panic_handler",
    "std::panicking::panic_handler",
    "std::panicking::begin_panic",
    "std::panicking::panic_with_hook",
    "__rustc::rust_begin_unwind",
    "rust_begin_unwind",
    "__rustc::rust_panic",
    "rust_panic",
    "std::panicking::rust_panic",
    "core::panicking::panic_fmt",
};

// A panic std turns into an abort because it may not unwind: out of an `extern "C"` function
// (panic_cannot_unwind), out of a destructor run during unwinding (panic_in_cleanup), or a
// `panic_nounwind` from core itself.
constexpr std::string_view k_cannot_unwind[] = {
    "core::panicking::panic_cannot_unwind",
    "core::panicking::panic_in_cleanup",
    "core::panicking::panic_nounwind",
    "core::panicking::panic_nounwind_fmt",
    "core::panicking::panic_nounwind_nobacktrace",
};

// The two of them that std calls from a landing pad, with a panic's exception in flight: the
// frame above them is the one the first panic could not unwind out of.
constexpr std::string_view k_landing_pad_abort[] = {
    "core::panicking::panic_cannot_unwind",
    "core::panicking::panic_in_cleanup",
};

// glibc's report of a corrupted heap: `free(): double free detected in tcache 2`,
// `malloc(): corrupted top size`, ... all end in malloc_printerr -> __libc_message -> abort.
constexpr std::string_view k_allocator_abort[] = {"malloc_printerr", "__libc_message",
                                                  "__libc_message_impl"};

constexpr std::string_view k_panic_abort_runtime[] = {
    "panic_abort::__rust_start_panic", "__rustc::__rust_start_panic", "__rust_start_panic"};
constexpr std::string_view k_panic_unwind_runtime[] = {
    "panic_unwind::__rust_start_panic", "panic_unwind::imp::panic", "_Unwind_RaiseException"};

template <size_t N> bool matches_any(std::string_view name, const std::string_view (&paths)[N]) {
    for (std::string_view p : paths)
        if (detail::name_is(name, p)) return true;
    return false;
}

template <size_t N>
std::optional<size_t> find_frame(const bt::Backtrace& bt, const std::string_view (&paths)[N]) {
    for (size_t i = 0; i < bt.frames.size(); ++i)
        if (matches_any(bt.frames[i].name, paths)) return i;
    return std::nullopt;
}

// A frame's name as the verdict shows it: generic arguments collapsed unless asked for whole
// names (Inputs::full_names).
const std::string& shown(const Inputs& in, const Frame& f) {
    return bt::shown_name(f, in.full_names);
}

// A frame's name and where it is: its line, else, for C, the library holding it (a distro's C
// library has symbols and no line table: `wr_checksum in libwrapper_c.so`; a Rust path names
// its crate already).
std::string where(const Inputs& in, const Frame& f) {
    std::string s = shown(in, f);
    if (!f.raw.file.empty())
        s += fmt::format(" ({}:{})", f.raw.file, f.raw.line);
    else if (!f.raw.module.empty() && f.lang != Lang::Rust)
        s += " in " + f.raw.module;
    return s;
}

// The innermost frame of user code (not std/core/alloc, not libc), from `from` outwards.
std::optional<size_t> first_user_frame(const bt::Backtrace& bt, size_t from = 0) {
    for (size_t i = from; i < bt.frames.size(); ++i)
        if (!detail::is_library_frame(bt.frames[i]) && !bt.frames[i].runtime) return i;
    return std::nullopt;
}

std::optional<size_t> first_rust_user_frame(const bt::Backtrace& bt, size_t from) {
    for (size_t i = from; i < bt.frames.size(); ++i)
        if (bt.frames[i].lang == Lang::Rust && !detail::is_library_frame(bt.frames[i]) &&
            !bt.frames[i].runtime)
            return i;
    return std::nullopt;
}

bool is_fault(int sig) {
    return sig == k_sigsegv || sig == k_sigbus || sig == k_sigfpe || sig == k_sigill;
}

// A fault within a few pages below the faulting frame's stack pointer is a write to the guard
// page: the stack has run out (a call pushing its return address, a frame's first store).
bool near_stack_pointer(const StopFacts& stop, const bt::Backtrace& bt) {
    if (!stop.fault_address || bt.frames.empty() || bt.frames[0].raw.sp == 0) return false;
    // At -O0 a big frame faults on its own first store above SP (`sub rsp` moved SP into the
    // guard page already); optimised code faults on the push of a return address just below.
    uint64_t sp = bt.frames[0].raw.sp, addr = *stop.fault_address;
    constexpr uint64_t k_reach = 64 * 1024;
    return addr < sp ? sp - addr <= k_reach : addr - sp <= k_reach;
}

std::string panic_headline(const Panic& p, std::string_view what) {
    std::string s(what);
    if (p.location)
        s += fmt::format(" at {}:{}:{}", p.location->file, p.location->line, p.location->column);
    if (p.message)
        s += ": " + *p.message;
    else if (!p.missing.empty())
        s += fmt::format(" (message not recovered: {})", p.missing);
    return s;
}

// The first frame from `from` outwards whose line is the panic's location (the same file name
// and line: a panic records the path rustc was given, the line table may hold another spelling).
std::optional<size_t> frame_at_location(const bt::Backtrace& bt, size_t from,
                                        const SourceLocation& loc) {
    auto base = [](std::string_view path) {
        auto slash = path.rfind('/');
        return slash == std::string_view::npos ? path : path.substr(slash + 1);
    };
    for (size_t i = from; i < bt.frames.size(); ++i) {
        const bt::RawFrame& f = bt.frames[i].raw;
        if (f.line == loc.line && !f.file.empty() && base(f.file) == base(loc.file)) return i;
    }
    return std::nullopt;
}

// The hook function calling std's abort itself, not through a panic runtime: std gave the panic
// up instead of unwinding it. A panic while panicking (in 1.63 the drop that panics during
// unwinding ends here, "thread panicked while panicking. aborting."), a panic in the hook, or a
// panic that may not unwind. With panic=abort the runtime's __rust_start_panic aborts instead.
std::optional<size_t> hook_gave_up(const bt::Backtrace& bt) {
    for (size_t i = 0; i + 1 < bt.frames.size(); ++i)
        if (bt::is_std_abort(bt.frames[i].name))
            return detail::is_panic_hook(bt.frames[i + 1].name) ? std::optional(i + 1)
                                                                : std::nullopt;
    return std::nullopt;
}

// A panic while panicking that std's hook gave up (a std whose landing pads call no
// panic_in_cleanup, 1.63's): the first panic is still in flight, and the frame that was
// unwinding it is the one whose cleanup ran the destructor that panicked. Landing pads call
// drop glue only, so that frame is the first user frame past the innermost
// `core::ptr::drop_in_place` outward of the second panic. None when no drop glue is on the
// stack (a panic in the hook, or one that may not unwind).
std::optional<size_t> unwinding_frame(const bt::Backtrace& bt, size_t from) {
    for (size_t i = from; i < bt.frames.size(); ++i)
        if (detail::name_is(bt.frames[i].name, "core::ptr::drop_in_place"))
            return first_user_frame(bt, i + 1);
    return std::nullopt;
}

void classify_panic(const Inputs& in, Classification& c) {
    const bt::Backtrace& bt = *in.backtrace;
    auto gave_up = hook_gave_up(bt);
    bool cannot_unwind = find_frame(bt, k_cannot_unwind).has_value() || gave_up.has_value();
    // Since 1.88 both runtimes export `__rustc::__rust_start_panic`: the frame says a runtime
    // took over, the executable's symbols (StopFacts::panic_runtime) say which.
    std::string strategy, why;
    if (find_frame(bt, k_panic_unwind_runtime)) {
        strategy = "unwind", why = "the unwinding runtime is on the stack";
    } else if (cannot_unwind) {
        // Only an unwinding panic can reach a frame that may not unwind.
        strategy = "unwind", why = "the panic was unwinding";
    } else if (!in.stop.panic_runtime.empty()) {
        strategy = in.stop.panic_runtime;
        why = strategy == "abort" ? "the executable links no panic_unwind (panic=abort)"
                                  : "the executable links panic_unwind";
    } else if (find_frame(bt, k_panic_abort_runtime)) {
        strategy = "abort", why = "__rust_start_panic is on the stack below a SIGABRT";
    }
    auto machinery = find_frame(bt, k_panic_machinery);
    // The user frame that panicked: past core's #[track_caller] helpers (unwrap_failed,
    // panic_bounds_check, RefCell's panic_already_borrowed) and the generic std code
    // instantiated in the user's crate.
    c.culprit_frame = first_user_frame(bt, machinery.value_or(0));
    c.kind = cannot_unwind ? Kind::PanicCannotUnwind : Kind::RustPanic;
    c.panic = detail::recover_panic(in, c.culprit_frame, strategy);
    // A wrapper crate's #[track_caller] code (the kernel crate's `Vec` indexing, a user's own
    // helpers) is not std's, so it looks like user code; the panic's own location names the
    // caller it was tracking: that frame panicked.
    if (c.culprit_frame && c.panic->location && c.panic->location_source == "hook")
        if (auto at = frame_at_location(bt, *c.culprit_frame, *c.panic->location))
            c.culprit_frame = at;
    if (machinery) c.evidence.push_back("panicking through " + shown(in, bt.frames[*machinery]));
    if (cannot_unwind) {
        if (auto f = find_frame(bt, k_cannot_unwind))
            c.evidence.push_back(shown(in, bt.frames[*f]) +
                                 ": the panic may not unwind out of here");
        else
            c.evidence.push_back(shown(in, bt.frames[*gave_up]) +
                                 " aborted instead of unwinding (a panic while panicking)");
        auto pad = find_frame(bt, k_landing_pad_abort);
        std::optional<size_t> stuck;
        bool from_cleanup = false;
        if (pad && *pad + 1 < bt.frames.size()) {
            // Out of a destructor (panic_in_cleanup) the panic came from a callee, never the
            // frame's own code.
            stuck = *pad + 1;
            from_cleanup = detail::name_is(bt.frames[*pad].name, k_landing_pad_abort[1]);
        } else if (gave_up && c.culprit_frame) {
            stuck = unwinding_frame(bt, *c.culprit_frame);
        }
        if (stuck) {
            // The root cause first: the panic that was unwinding when std gave up.
            c.original = detail::recover_original_panic(in, *stuck, from_cleanup);
            c.evidence.push_back(shown(in, bt.frames[*stuck]) +
                                 (pad ? " could not unwind"
                                      : " was unwinding the first panic when a destructor its "
                                        "cleanup ran panicked"));
            c.headline = panic_headline(*c.original, "Rust panic could not unwind") + " (then " +
                         panic_headline(*c.panic, "aborted") + ")";
        } else {
            c.headline = panic_headline(*c.panic, "Rust panic could not unwind");
        }
    } else {
        c.headline = panic_headline(
            *c.panic, strategy.empty() ? "Rust panic" : fmt::format("Rust panic ({})", strategy));
    }
    if (!strategy.empty())
        c.evidence.push_back(fmt::format("panic strategy {}: {}", strategy, why));
}

void classify_abort(const Inputs& in, Classification& c) {
    const bt::Backtrace& bt = *in.backtrace;
    if (auto a = find_frame(bt, k_allocator_abort)) {
        c.kind = Kind::AllocatorAbort;
        c.culprit_frame = first_user_frame(bt, *a);
        c.evidence.push_back(shown(in, bt.frames[*a]) + ": glibc found the heap corrupted");
        c.headline = "allocator abort (glibc found a corrupted heap or a double free)";
        if (c.culprit_frame) c.headline += " in " + where(in, bt.frames[*c.culprit_frame]);
        return;
    }
    // std::process::abort called by user code (not by the panic runtime).
    for (size_t i = 0; i < bt.frames.size(); ++i) {
        if (!detail::name_is(bt.frames[i].name, "std::process::abort")) continue;
        auto user = first_user_frame(bt, i + 1);
        if (!user || *user != i + 1) break;
        c.kind = Kind::AbortInRust;
        c.culprit_frame = user;
        c.evidence.push_back("std::process::abort called by " + shown(in, bt.frames[*user]));
        Panic p;
        p.missing = "std::process::abort carries no message";
        const Frame& f = bt.frames[*user];
        if (!f.raw.file.empty()) p.location = SourceLocation{f.raw.file, f.raw.line, f.raw.column};
        c.panic = p;
        c.headline = "std::process::abort() called from " + where(in, f);
        return;
    }
    size_t i = 0;
    while (i < bt.frames.size() && (matches_any(bt.frames[i].name, k_libc_abort_path) ||
                                    bt::in_system_library(bt.frames[i].raw.module)))
        ++i;
    c.culprit_frame = first_user_frame(bt, i);
    if (i < bt.frames.size() && bt.frames[i].lang != Lang::Rust) {
        c.kind = Kind::AbortInC;
        c.headline = "abort() called from C function " + where(in, bt.frames[i]);
        c.last_rust_frame = first_rust_user_frame(bt, i);
        if (c.last_rust_frame)
            c.headline += ", called from Rust " + where(in, bt.frames[*c.last_rust_frame]);
        c.evidence.push_back("SIGABRT raised by abort() called from " + shown(in, bt.frames[i]));
        return;
    }
    c.kind = Kind::Signal;
    c.headline = "SIGABRT";
    if (i < bt.frames.size()) c.headline += " raised from " + where(in, bt.frames[i]);
}

void classify_fault(const Inputs& in, Classification& c) {
    const bt::Backtrace& bt = *in.backtrace;
    const StopFacts& s = in.stop;
    std::string at = s.fault_address ? fmt::format(" at {:#x}", *s.fault_address) : "";
    if (s.signal == k_sigsegv || s.signal == k_sigbus) {
        if (near_stack_pointer(s, bt)) {
            c.kind = Kind::StackOverflow;
            c.culprit_frame = first_user_frame(bt);
            if (!s.fault_address_deduced.empty())
                c.evidence.push_back("fault address deduced: " + s.fault_address_deduced);
            c.evidence.push_back(
                fmt::format("fault address {:#x} within 64 KiB of the stack pointer {:#x}",
                            *s.fault_address, bt.frames[0].raw.sp));
            c.headline = "stack overflow";
            if (c.culprit_frame) c.headline += " in " + where(in, bt.frames[*c.culprit_frame]);
            return;
        }
    }
    if (bt.frames.empty()) {
        c.kind = Kind::FaultInC;
        c.headline = s.signal_name + at;
        return;
    }
    // The frame the signal interrupted (the innermost) decides the language: a distro's C library
    // has no DWARF, but its symbol says C (bt::Frame::lang), and the fault is C's even though the
    // library is not user code.
    const size_t faulted = 0;
    if (bt.frames[faulted].lang == Lang::Rust) {
        c.kind = Kind::FaultInRust;
        // std's and core's frames (a `ptr::read` at -O0) report it; the user's code did it.
        c.culprit_frame = first_user_frame(bt, faulted);
        const Frame& f = bt.frames[c.culprit_frame.value_or(faulted)];
        c.headline = fmt::format("{}{} in Rust function {}", s.signal_name, at, where(in, f));
    } else {
        c.kind = Kind::FaultInC;
        // The C function to name: the first C frame that is not the system's C runtime (a
        // memcpy handed a bad pointer names its caller), else the frame that faulted.
        c.culprit_frame = faulted;
        for (size_t i = faulted; i < bt.frames.size() && bt.frames[i].lang != Lang::Rust; ++i)
            if (!bt.frames[i].runtime && !bt::in_system_library(bt.frames[i].raw.module)) {
                c.culprit_frame = i;
                break;
            }
        c.headline = fmt::format("{}{} in C function {}", s.signal_name, at,
                                 where(in, bt.frames[*c.culprit_frame]));
        c.last_rust_frame = first_rust_user_frame(bt, *c.culprit_frame);
        if (c.last_rust_frame)
            c.headline += ", called from Rust " + where(in, bt.frames[*c.last_rust_frame]);
    }
    c.evidence.push_back(fmt::format("{}{} in frame #{} {} ({}, language from {})", s.signal_name,
                                     at, bt.frames[faulted].raw.index,
                                     shown(in, bt.frames[faulted]),
                                     bt::lang_name(bt.frames[faulted].lang),
                                     bt::lang_source_name(bt.frames[faulted].lang_source)));
}

} // namespace

namespace detail {

bool name_is(std::string_view name, std::string_view path) {
    if (!name.starts_with(path)) return false;
    if (name.size() == path.size()) return true;
    std::string_view rest = name.substr(path.size());
    return rest.starts_with("::") || rest[0] == '<' || rest[0] == '{' || rest[0] == '@';
}

bool is_panic_hook(std::string_view name) {
    // `rust_panic_with_hook` in older std (1.63).
    return name_is(name, "std::panicking::panic_with_hook") ||
           name_is(name, "std::panicking::rust_panic_with_hook");
}

bool is_library_frame(const Frame& f) {
    if (bt::in_system_library(f.raw.module)) return true;
    if (f.lang == Lang::Rust) {
        if (bt::is_rust_library_crate(f.crate)) return true;
        // `<T as core::...>::fmt`-style names belong to their trait's crate when the frame has
        // no DWARF of its own.
        return f.raw.dwarf_lang == Lang::Unknown && f.crate.empty();
    }
    // C: user code has DWARF; libc and the dynamic loader here do not.
    return f.raw.dwarf_lang == Lang::Unknown;
}

} // namespace detail

std::string_view kind_name(Kind kind) {
    switch (kind) {
    case Kind::RustPanic:
        return "rust-panic";
    case Kind::PanicCannotUnwind:
        return "panic-cannot-unwind";
    case Kind::AbortInC:
        return "abort-in-c";
    case Kind::AbortInRust:
        return "abort-in-rust";
    case Kind::AllocatorAbort:
        return "allocator-abort";
    case Kind::FaultInC:
        return "fault-in-c";
    case Kind::FaultInRust:
        return "fault-in-rust";
    case Kind::StackOverflow:
        return "stack-overflow";
    case Kind::Exit:
        return "exit";
    case Kind::Signal:
        return "signal";
    case Kind::Breakpoint:
        return "breakpoint";
    case Kind::Unknown:
        return "unknown";
    }
    return "unknown";
}

Classification classify(const Inputs& in) {
    Classification c;
    const StopFacts& s = in.stop;
    if (s.exit_status) {
        c.kind = Kind::Exit;
        c.headline = fmt::format("the process exited with status {}", *s.exit_status);
        c.evidence.push_back(c.headline);
        return c;
    }
    static const bt::Backtrace k_empty;
    Inputs with_bt = in;
    if (!with_bt.backtrace) with_bt.backtrace = &k_empty;
    const bt::Backtrace& bt = *with_bt.backtrace;
    if (!s.description.empty()) c.evidence.push_back("stop: " + s.description);

    // std's stack-overflow handler runs on the alternate signal stack, prints
    // "thread '…' has overflowed its stack" and aborts: the handler frame says it all.
    for (size_t i = 0; i < bt.frames.size(); ++i)
        if (bt.frames[i].name.find("::stack_overflow::") != std::string::npos &&
            bt.frames[i].name.find("signal_handler") != std::string::npos) {
            c.kind = Kind::StackOverflow;
            c.culprit_frame = first_user_frame(bt, i + 1);
            c.evidence.push_back(shown(in, bt.frames[i]) + ": std's guard-page handler");
            c.headline = "stack overflow (std's guard-page handler aborted)";
            if (c.culprit_frame) c.headline += " in " + where(in, bt.frames[*c.culprit_frame]);
            return c;
        }

    bool panicking = find_frame(bt, k_panic_machinery) || find_frame(bt, k_cannot_unwind);
    if (panicking && (s.signal == k_sigabrt || s.signal == 0 || s.signal == k_sigtrap)) {
        classify_panic(with_bt, c);
        return c;
    }
    if (s.signal == k_sigabrt) {
        classify_abort(with_bt, c);
        return c;
    }
    if (is_fault(s.signal)) {
        classify_fault(with_bt, c);
        return c;
    }
    if (s.signal != 0 && s.signal != k_sigtrap) {
        c.kind = Kind::Signal;
        c.culprit_frame = first_user_frame(bt);
        c.headline = s.signal_name.empty() ? fmt::format("signal {}", s.signal) : s.signal_name;
        if (c.culprit_frame) c.headline += " in " + where(in, bt.frames[*c.culprit_frame]);
        return c;
    }
    c.kind = Kind::Breakpoint;
    c.headline = s.description.empty() ? "stopped (not a crash)"
                                       : "stopped: " + s.description + " (not a crash)";
    return c;
}

nlohmann::json to_json(const Panic& panic) {
    nlohmann::json p;
    p["strategy"] = panic.strategy;
    p["message"] = panic.message ? nlohmann::json(*panic.message) : nlohmann::json();
    if (panic.location)
        p["location"] = {{"file", panic.location->file},
                         {"line", panic.location->line},
                         {"column", panic.location->column}};
    else
        p["location"] = nullptr;
    p["location_source"] = panic.location_source;
    p["missing"] = panic.missing;
    return p;
}

nlohmann::json to_json(const Classification& c) {
    nlohmann::json j;
    j["kind"] = std::string(kind_name(c.kind));
    j["headline"] = c.headline;
    j["panic"] = c.panic ? to_json(*c.panic) : nlohmann::json();
    j["original_panic"] = c.original ? to_json(*c.original) : nlohmann::json();
    j["culprit_frame"] = c.culprit_frame ? nlohmann::json(*c.culprit_frame) : nlohmann::json();
    j["last_rust_frame"] =
        c.last_rust_frame ? nlohmann::json(*c.last_rust_frame) : nlohmann::json();
    j["evidence"] = c.evidence;
    return j;
}

} // namespace seam::crash
