#pragma once
// What the tests expect differently of the LLDB they run under (docs/install.md, "Other LLDB
// versions"): only where LLDB itself changed, never to excuse seam.
#include <cstdlib>
#include <cstring>

#include <lldb/API/LLDB.h>

namespace seam::e2e {

/// The major version of the liblldb the tests run under (19, 22).
inline int lldb_major_version() {
    static const int major = [] {
        const char* v = lldb::SBDebugger::GetVersionString(); // "lldb version 22.1.8 ..."
        const char* digits = v ? std::strpbrk(v, "0123456789") : nullptr;
        return digits ? std::atoi(digits) : 0;
    }();
    return major;
}

/// LLDB 22 merges Rust types whose C names collide (`u64` and `usize` are both `unsigned long`;
/// llvm/llvm-project#196812): the second of `Vec<u64>` / `Vec<usize>` it reads has no usable
/// type, and a struct loses a field of such a type. LLDB then calls no formatter, so neither
/// LLDB's view nor seam's summary in it can show the value. Seen in LLDB 22, not in 19 (20 and
/// 21 are not measured: they are held to what 19 does).
inline bool lldb_merges_colliding_types() {
    return lldb_major_version() >= 22;
}

/// LLDB 19 unwinds the cold part of a function gcc split (`foo.cold`, placed after `foo`) by the
/// CFI of the hot part, and finds a wrong caller there: seam unwinds on from that frame itself
/// and tags the frames it found. LLDB 22 unwinds split functions right (measured with 22.1.8).
inline bool lldb_unwinds_cold_parts() {
    return lldb_major_version() >= 22;
}

/// LLDB 22's `frame variable` error for such a value.
inline constexpr const char* k_lldb_merged_type_error = "Invalid type: Cannot determine size";

} // namespace seam::e2e
