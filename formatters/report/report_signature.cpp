// Crash signatures: which frames name a crash, and the hash that names them.
#include "formatters/report/report.h"

#include "formatters/backtrace/library_frames.h"

#include <algorithm>

#include <fmt/format.h>

namespace seam::report {

namespace {

// Library functions that say which check failed, kept in front of the user frame that called
// them (Socorro's prefix list, with the names newer std gives them): an `unwrap()` on `None`
// and an index out of bounds in the same function are two crashes, not one. The panic
// machinery below them (`core::panicking::`) is runtime and never hashed, so a bounds check
// (`panic_bounds_check`) or an explicit `panic!` keeps the bare user frame, as in Socorro.
constexpr std::string_view k_failed_checks[] = {
    "core::result::unwrap_failed",
    "core::option::unwrap_failed",
    "core::option::expect_failed",
    "core::option::expect_none_failed",
    "core::str::slice_error_fail",
    "core::slice::index::slice_start_index_len_fail",
    "core::slice::index::slice_end_index_len_fail",
    "core::slice::index::slice_index_order_fail",
    "core::slice::index::slice_start_index_overflow_fail",
    "core::slice::index::slice_end_index_overflow_fail",
    "core::slice::index::slice_index_fail", // 1.9x's one function for the ones above
    "core::cell::panic_already_borrowed",
    "core::cell::panic_already_mutably_borrowed",
    "alloc::raw_vec::capacity_overflow",
    "alloc::raw_vec::handle_error", // 1.8x: a Vec's capacity overflow or failed allocation
};

bool names_a_failed_check(const std::string& name) {
    for (std::string_view c : k_failed_checks)
        if (name == c) return true;
    return false;
}

struct Picked {
    std::vector<std::string> frames;
    size_t key_frames = 0; ///< the frames the hash covers (Signature::key_frames)
};

Picked pick(const bt::Backtrace& bt, size_t count, bool skip_libraries) {
    Picked out;
    std::string failed_check; // the last one seen above the first user frame
    size_t user_frames = 0;
    for (const bt::Frame& f : bt.frames) {
        // Never fewer frames than the key: `--signature-frames 1` must not hash a failed
        // check (`core::option::unwrap_failed`) alone, which every unwrap shares.
        if (out.frames.size() >= count && out.key_frames != 0) break;
        if (f.runtime) continue;
        if (skip_libraries && is_library_frame(f)) {
            if (out.frames.empty() && names_a_failed_check(bt::shown_name(f, false)))
                failed_check = bt::shown_name(f, false);
            continue;
        }
        // A frame seam inferred from a sibling call has no frame on the stack: whether the
        // compiler made the call a jump depends on the optimiser and the rustc (a merged
        // generic's thunk), not on the crash.
        if (f.raw.found_by == bt::FoundBy::TailCall) continue;
        if (out.frames.empty() && !failed_check.empty()) out.frames.push_back(failed_check);
        // Generic arguments collapsed: the same crash in `parse<u32>` and `parse<String>`, or
        // named by another rustc that spells a type argument differently, is one crash. And a
        // C function's clone suffix dropped (`crash_c_read.cold`, `.constprop.0`): which clones
        // exist is the optimiser's choice.
        out.frames.push_back(std::string(bt::without_clone_suffix(bt::shown_name(f, false))));
        // The key ends at the first user frame whose name says whose it is (a crate or
        // namespace path). A C or `#[no_mangle]` name belongs to no program in particular
        // (`seam_probe`, `parse_config`, `main`): its caller is the key's too.
        ++user_frames;
        if (out.key_frames == 0 &&
            (out.frames.back().find("::") != std::string::npos || user_frames == 2))
            out.key_frames = out.frames.size();
    }
    if (out.key_frames == 0) out.key_frames = out.frames.size();
    return out;
}

// `src/main.rs:12:5` -> `main.rs:12:5`. The directories are the build machine's (an absolute
// path unless remapped); the frames already say which crate and function.
std::string site_of(std::string_view location) {
    auto colon = location.find(':');
    auto slash = location.substr(0, colon).rfind('/');
    return std::string(slash == std::string_view::npos ? location : location.substr(slash + 1));
}

} // namespace

// Library frames say how a crash was reported (unwrap_failed, a Vec's bounds check, abort and
// raise on top of every abort), not where it came from: two crashes in different user code
// that both end in `core::result::unwrap_failed` must not share a signature, and the same crash
// in a static build (glibc's abort linked into the executable) must keep its own.
bool is_library_frame(const bt::Frame& frame) {
    if (bt::in_system_library(frame.raw.module) || bt::is_rust_library_crate(frame.crate))
        return true;
    // By name only without DWARF: a user's C function that happens to be called `raise` has it.
    return frame.raw.dwarf_lang == Lang::Unknown && bt::is_c_runtime_function(frame.name);
}

uint64_t fnv1a64(std::string_view bytes, uint64_t h) {
    for (char c : bytes) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ull;
    }
    return h;
}

std::string hash_names(const std::vector<std::string>& names) {
    uint64_t h = fnv1a64("");
    for (size_t i = 0; i < names.size(); ++i) h = fnv1a64(names[i], i ? fnv1a64("\n", h) : h);
    return fmt::format("{:016x}", h);
}

std::vector<std::string> signature_key(const Signature& s) {
    std::vector<std::string> key(s.frames.begin(),
                                 s.frames.begin() + std::min(s.key_frames, s.frames.size()));
    if (!s.site.empty()) key.push_back("at " + s.site);
    return key;
}

Signature signature_of(const bt::Backtrace& bt, size_t count, std::string_view panic_site) {
    Signature s;
    Picked user = pick(bt, count, true);
    if (user.frames.empty()) {
        // No user code: all of the library frames name the crash.
        user = pick(bt, count, false);
        user.key_frames = user.frames.size();
    }
    s.frames = std::move(user.frames);
    s.key_frames = user.key_frames;
    if (!panic_site.empty()) s.site = site_of(panic_site);
    if (!s.frames.empty()) s.hash = hash_names(signature_key(s));
    return s;
}

} // namespace seam::report
