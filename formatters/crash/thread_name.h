#pragma once
/// A Rust thread's name read from the process's memory, where a core file keeps none: std's
/// thread-locals of that thread (x86-64 ELF TLS, variant II: the executable's TLS block lies
/// just below the thread pointer, `fs_base`). The debugger layer finds the thread pointer and
/// the symbols; this reads and validates. Knows no LLDB.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "formatters/core/memory.h"
#include "formatters/crash/crash.h"

namespace seam {
class DebugInfo; // formatters/dwarf/debug_info.h
}

namespace seam::crash {

/// What locates std's thread-locals in one thread.
struct RustThreadTls {
    uint64_t thread_pointer = 0; ///< `fs_base`; 0: not known
    /// The executable's PT_TLS segment: where its block lies below the thread pointer.
    uint64_t tls_memsz = 0, tls_align = 1, tls_vaddr = 0;
    /// Offsets in that segment (the symbols' values) of `std::thread::current::CURRENT` (the
    /// thread's handle, set once the thread asked for it; always in spawned threads) and
    /// `std::thread::current::id::ID` (its ThreadId, set at start).
    std::optional<uint64_t> current_offset, id_offset;
    /// Older std's (1.63's) place for the handle instead: the offset of
    /// `std::sys_common::thread_info::THREAD_INFO::__getit::VAL`, a
    /// `RefCell<Option<ThreadInfo>>` whose layout only DWARF gives.
    std::optional<uint64_t> thread_info_offset;
    /// Where `std::thread::main_thread::MAIN` (the main thread's ThreadId) lies.
    std::optional<uint64_t> main_id_address;
};

/// How far below the thread pointer glibc puts the executable's TLS block (its l_tls_offset
/// on x86-64: the block, aligned, ends at the thread pointer).
uint64_t tls_block_offset(uint64_t memsz, uint64_t align, uint64_t vaddr);

struct RustThreadName {
    /// The name: the one given to `thread::Builder::name`, `main` for the main thread; ""
    /// for an unnamed Rust thread (`known` set) or when nothing could be read (`known` unset).
    std::string name;
    bool known = false; ///< std's thread-locals were read: an empty name means unnamed
    std::string why;    ///< when not known: what was missing
};

/// Reads the thread's handle (`std::thread::thread::Inner`: `id`, `name`, offsets from
/// `debug_info` where the program instantiated std's thread types, else rustc 1.95's), or
/// its ThreadId alone when the handle was never made (the main thread of a program that never
/// called `thread::current()`); in an older std, the handle in `THREAD_INFO` (layout from
/// `debug_info` only). Every read is bounded and validated.
RustThreadName rust_thread_name(MemoryReader& mem, const DebugInfo* debug_info,
                                const RustThreadTls& tls);

/// The thread pointer of the thread whose stack pointer is `sp`, found in memory where the core
/// gives none (LLDB 19's minidumps): glibc's control block (`struct pthread`, whose words 0 and
/// 2 point to itself). A spawned thread's lies at the top of its own stack mapping, above its
/// stack pointer; the main thread's in a small mapping of its own, so one found outside every
/// thread's stack (`all_sps`) is taken for a thread whose stack holds none, when it is the
/// only one. `regions`: the process's writable memory.
std::optional<uint64_t> find_thread_pointer(MemoryReader& mem, uint64_t sp,
                                            const std::vector<MemoryRegion>& regions,
                                            const std::vector<uint64_t>& all_sps);

} // namespace seam::crash
