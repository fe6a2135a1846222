#pragma once
/// What a core file says of the executable that dumped it, read from the file itself: LLDB
/// loads whatever executable it is given with an ELF core, even one with another build-id, and
/// then unwinds garbage; seam-report checks the build-ids first.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "formatters/core/result.h"

namespace seam::report {

/// One thread's signal as an ELF core records it: NT_PRSTATUS's pr_cursig, and the si_signo
/// of the NT_SIGINFO note that follows it (the kernel writes one for the thread that took the
/// fatal signal). A Linux minidump's exception stream gives its thread's signal as
/// `siginfo_signal`. Read so that a core LLDB cannot load can be refused before LLDB is given it.
struct CoreThreadSignal {
    int32_t tid = 0;
    int32_t prstatus_signal = 0;
    int32_t siginfo_signal = 0; ///< 0 when the thread has no NT_SIGINFO note
    /// NT_SIGINFO's si_addr for a fault (SIGSEGV, SIGBUS, SIGILL, SIGFPE): the address that
    /// faulted. LLDB 19 describes an ELF core's SIGSEGV without it (a live process and a
    /// minidump with it), and a stack overflow is told by it.
    std::optional<uint64_t> fault_address;
};

struct CoreExecutable {
    std::string format;   ///< "elf" or "minidump"
    std::string path;     ///< the executable's path as the core records it; "" if not recorded
    std::string build_id; ///< lowercase hex; "" when the core does not record it
    std::vector<CoreThreadSignal> threads; ///< in note order; a Linux minidump's exceptions
};

/// Reads an ELF core (NT_FILE's first file mapping, and the build-id note in that mapping's
/// first page, which the kernel and gdb dump) or a minidump (its first module's name and
/// CodeView build-id record). An error for a file that is neither, or is cut short.
Result<CoreExecutable> read_core_executable(const std::string& core);

/// The GNU build-id of an ELF file (lowercase hex), "" when it has none.
Result<std::string> read_build_id(const std::string& elf);

/// An error when `exe` (whose build-id is `exe_build_id`) is not the executable that dumped the
/// core: LLDB would load it anyway and unwind garbage. Passes when either side records none.
Status check_build_ids(const CoreExecutable& recorded, const std::string& exe,
                       const std::string& exe_build_id);

} // namespace seam::report
