// Crash signatures: which frames name a crash, and the hash that names them.
#include "formatters/report/report.h"

#include <fmt/format.h>

namespace seam::report {

namespace {

// Crates whose frames say how a crash was reported (unwrap_failed, handle_error, a Vec's
// bounds check), not where it came from: two crashes in different user code that both end in
// `core::result::unwrap_failed` must not share a signature.
constexpr std::string_view k_library_crates[] = {"std", "core", "alloc", "panic_unwind",
                                                 "panic_abort"};

// The system's C libraries: `raise`, `abort`, `__pthread_kill_implementation` and the
// allocator's `malloc_printerr` sit on top of every abort, whatever called it.
constexpr std::string_view k_library_modules[] = {"libc.so",      "ld-linux", "libgcc_s.so",
                                                  "libstdc++.so", "libm.so",  "libpthread.so",
                                                  "linux-vdso.so"};

std::vector<std::string> pick(const bt::Backtrace& bt, size_t count, bool skip_libraries) {
    std::vector<std::string> out;
    for (const bt::Frame& f : bt.frames) {
        if (out.size() >= count) break;
        if (f.runtime || (skip_libraries && is_library_frame(f))) continue;
        // A frame seam inferred from a sibling call has no frame on the stack: whether the
        // compiler made the call a jump depends on the optimiser and the rustc (a merged
        // generic's thunk), not on the crash.
        if (f.raw.found_by == bt::FoundBy::TailCall) continue;
        // Generic arguments collapsed: the same crash in `parse<u32>` and `parse<String>`, or
        // named by another rustc that spells a type argument differently, is one crash.
        out.push_back(bt::shown_name(f, false));
    }
    return out;
}

} // namespace

bool is_library_frame(const bt::Frame& frame) {
    for (std::string_view c : k_library_crates)
        if (frame.crate == c) return true;
    for (std::string_view m : k_library_modules)
        if (frame.raw.module.starts_with(m)) return true;
    return false;
}

std::string hash_names(const std::vector<std::string>& names) {
    uint64_t h = 0xcbf29ce484222325ull;
    auto mix = [&](unsigned char c) {
        h ^= c;
        h *= 0x100000001b3ull;
    };
    for (size_t i = 0; i < names.size(); ++i) {
        if (i) mix('\n');
        for (char c : names[i]) mix(static_cast<unsigned char>(c));
    }
    return fmt::format("{:016x}", h);
}

Signature signature_of(const bt::Backtrace& bt, size_t count) {
    Signature s;
    s.frames = pick(bt, count, true);
    if (s.frames.empty()) s.frames = pick(bt, count, false);
    if (!s.frames.empty()) s.hash = hash_names(s.frames);
    return s;
}

} // namespace seam::report
