#pragma once
/// What seam checks of a core before LLDB is given it. LLDB 19's SBTarget::LoadCore waits, with
/// no timeout, for the core's process to stop; a core whose threads carry only signals LLDB does
/// not stop at (SIGCHLD, or a number that is no signal, as a corrupt NT_SIGINFO holds) never
/// stops, and the call never returns. Such a core is refused with a clear error instead.
#include <lldb/API/SBDebugger.h>

#include <vector>

#include "formatters/core/result.h"
#include "formatters/report/core_file.h"

namespace seam::lldb {

/// An error when loading `core`, whose threads record these signals, would hang `debugger`'s
/// LLDB. The signal each thread stops with is chosen as LLDB's core loaders do: an ELF core's
/// NT_SIGINFO where any thread has one, else NT_PRSTATUS's, else SIGSTOP for the first thread;
/// a Linux minidump's exception stream. Whether LLDB stops at a signal is asked of LLDB's own
/// signal table.
Status check_core_signals(::lldb::SBDebugger debugger, const report::CoreExecutable& core);

/// What seam-report checks of a core before LLDB is given it, for the other front ends (seam-gui):
/// the core can be read (an ELF core or a minidump, not cut short), `exe` is the executable
/// that dumped it (build-ids), and its signals would not hang LLDB. The errors are
/// seam-report's.
Status check_core_file(::lldb::SBDebugger debugger, const std::string& core,
                       const std::string& exe);

} // namespace seam::lldb
