#pragma once
/// Thread names that say where they came from. A core file keeps no thread names (LLDB names
/// every thread of an ELF core after the process), so a Rust thread's name is read from std's
/// thread-locals in its memory (formatters/crash/thread_name.h); the OS's name is taken only
/// from a live process and only where Rust's is not known.
#include <lldb/API/SBThread.h>

#include <cstdint>
#include <optional>
#include <string>

namespace seam::lldb {

struct ThreadNaming {
    std::string name;   ///< "" when no name is known, or the Rust thread is unnamed
    std::string source; ///< `rust-tls`, `os`, or "" (none)
};

ThreadNaming thread_name(::lldb::SBThread thread);

/// Where the executable's own thread-locals lie in `thread`: the address of its static TLS block
/// (x86-64: below the thread pointer, laid out by glibc's rules). None when the executable has
/// no PT_TLS or the thread pointer is not known (a core whose thread pointer is neither in its
/// registers nor found in its memory).
std::optional<uint64_t> exe_tls_block(::lldb::SBThread thread);

} // namespace seam::lldb
