#pragma once
/// Core files of real fixture crashes for the seam-report tests, made the two ways crash dumps
/// arrive: an ELF core that gdb's `gcore` writes at the crash (what the kernel writes too), and
/// a minidump that LLDB's SaveCore writes at the crash stop.
#include <string>
#include <vector>

#include "formatters/core/result.h"

namespace seam::e2e {

/// Runs `exe args...` under gdb to its crash and writes an ELF core to `core`.
Status gcore_at_crash(const std::string& exe, const std::vector<std::string>& args,
                      const std::string& core);
/// Launches `exe args...` under liblldb to its crash (or to `breakpoint`, a function name, when
/// not "") and saves a minidump to `core`. `dirty_only` leaves out the pages the process never
/// wrote, as the kernel leaves out file-backed read-only pages (.rodata): what is read there must
/// come from the executable.
Status minidump_at_crash(const std::string& exe, const std::vector<std::string>& args,
                         const std::string& core, const std::string& breakpoint = "",
                         bool dirty_only = false);

/// The report tests' cores, in `dir`: two separate runs of crash_abort-O0's C fault (ELF cores
/// `segv1.elf`, `segv2.elf`), the same fault saved by LLDB (`segv.dmp`), an abort() in C
/// (`abort.elf`), a panic (`panic.elf`), an index out of bounds (`oob.elf`), demo-O0 at its probe
/// (`demo.elf`, gdb's breakpoint) and boundary-O0 at its first probe in a minidump without the
/// pages the process never wrote (`boundary.dmp`).
Status make_report_cores(const std::string& dir);

struct ShellRun {
    int status = -1; ///< exit status, or -1 when the program did not exit normally
    std::string out;
    std::string err;
};
/// Runs a shell command line, capturing its standard output and error.
ShellRun run_shell(const std::string& command);

/// `'s'` with the shell's quoting.
std::string quote(const std::string& s);

} // namespace seam::e2e
