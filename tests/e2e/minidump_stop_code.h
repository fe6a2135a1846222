#pragma once
// LLDB 22's minidump writer stores a breakpoint stop's value (the breakpoint site's id) as the
// exception code, and LLDB's minidump reader (19's and 22's) takes that code for a signal
// number. A site id that is a signal LLDB does not stop for (14 SIGALRM, 17 SIGCHLD, 18 SIGCONT,
// 28 SIGWINCH, ...) makes LoadCore resume the core and wait forever. Site ids count up across a
// whole test process, so which test's core hangs depends on how many ran before it. LLDB 19
// writes no exception stream for a breakpoint stop. docs/install.md ("Other LLDB versions").
#include <string>

#include "formatters/core/result.h"

namespace seam::e2e {

/// After LLDB saved a minidump of a thread stopped at a breakpoint: an LLDB-written exception
/// record's code becomes SIGTRAP, the signal a breakpoint stop is on Linux, so that the core
/// loads as stopped at that breakpoint. A core with no such record is left as it is.
Status mark_breakpoint_stop_as_sigtrap(const std::string& path);

} // namespace seam::e2e
