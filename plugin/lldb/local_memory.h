#pragma once
/// Direct reads of a live process on this machine, without a gdb-remote round trip.
///
/// LLDB on Linux reads a live process through lldb-server: every read the engine makes is a
/// packet, a process_vm_readv in the server, and a reply decoded in lldb (about 100 ms for
/// 10 MB, tens of microseconds for a small read). GDB reads a native inferior's memory itself
/// (/proc/PID/mem); seam does the same with process_vm_readv, but only where it is certainly
/// the process LLDB stopped and certainly the bytes LLDB would return:
/// - the process is live, driven by lldb-server on this host (not a core, not a remote stub,
///   not QEMU), stopped, and on x86 (whose breakpoint is the one byte 0xCC);
/// - /proc/PID/exe is the very file (device and inode) the target was created from, and the
///   process is traced and in a tracing stop (not a namesake in another pid namespace);
/// - the range lies in no module section (code, .rodata, .data go through LLDB, which hides
///   the int3 of its software breakpoints), and the bytes read hold no 0xCC at all (a
///   breakpoint anywhere else, set at any time, can only show as that byte);
/// - SEAM_DIRECT_MEMORY=0 in the environment turns it off.
/// Anything else, and any failed or short read, goes through LLDB as before.
#include <lldb/API/SBProcess.h>
#include <lldb/API/SBTarget.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace seam::lldb {

class LocalMemory {
public:
    /// The direct reader for `process` at its current stop, or null where direct reads are
    /// not certain to be right. Cheap after the first call for a process (cached per stop).
    static std::shared_ptr<const LocalMemory> for_process(::lldb::SBProcess process);

    /// True when `out` was filled from `address`; false: read through LLDB instead.
    bool read(uint64_t address, std::span<std::byte> out) const;

    struct State; // per-stop facts, defined in the .cpp
    explicit LocalMemory(std::shared_ptr<const State> state) : m_state(std::move(state)) {}

private:
    std::shared_ptr<const State> m_state;
};

} // namespace seam::lldb
