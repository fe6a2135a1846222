#pragma once
/// The facts of a stop read through the SB API, and the one call every front end makes to
/// learn why a thread stopped: `seam panic`, seam-report and the GUI all use classify_thread.
#include <lldb/API/SBProcess.h>
#include <lldb/API/SBThread.h>

#include "formatters/backtrace/backtrace.h"
#include "formatters/core/result.h"
#include "formatters/crash/crash.h"
#include "plugin/lldb/backtrace_collect.h"

namespace seam::lldb {

/// Signal number and name, fault address (from the stop description, else the siginfo),
/// exit status, and whether the process is a core file.
crash::StopFacts stop_facts(::lldb::SBProcess process, ::lldb::SBThread thread);

struct ThreadVerdict {
    crash::Classification classification;
    bt::Backtrace backtrace; ///< the thread's, classified; frame positions index into it
};

/// Collects `thread`'s backtrace and classifies its stop, reading the panic's payload from
/// the process memory (live or core) with the executable's DWARF from `cache`.
Result<ThreadVerdict> classify_thread(::lldb::SBProcess process, ::lldb::SBThread thread,
                                      const BacktraceOptions& options = {});

/// The thread to explain in `process`: the one stopped by a signal or exception (a crash),
/// else the selected thread.
::lldb::SBThread crashing_thread(::lldb::SBProcess process);

} // namespace seam::lldb
