#include "plugin/lldb/core_preflight.h"

#include <lldb/API/SBPlatform.h>
#include <lldb/API/SBUnixSignals.h>

#include <fmt/format.h>

#include <algorithm>

namespace seam::lldb {

namespace {

std::string describe(::lldb::SBUnixSignals& signals, int32_t signo) {
    const char* name = signals.GetSignalAsCString(signo);
    if (!name) return fmt::format("{:#x}, which is no signal", uint32_t(signo));
    return fmt::format("{} ({}), at which LLDB does not stop", signo, name);
}

} // namespace

Status check_core_signals(::lldb::SBDebugger debugger, const report::CoreExecutable& core) {
    const std::vector<report::CoreThreadSignal>& threads = core.threads;
    bool from_siginfo = std::any_of(threads.begin(), threads.end(),
                                    [](const auto& t) { return t.siginfo_signal != 0; });
    ::lldb::SBUnixSignals signals = debugger.GetSelectedPlatform().GetUnixSignals();
    if (!signals.IsValid()) return ok_status();
    bool minidump = core.format == "minidump";
    const char* source = minidump       ? "its exception stream"
                         : from_siginfo ? "NT_SIGINFO"
                                        : "NT_PRSTATUS";
    std::string seen;
    for (const auto& t : threads) {
        int32_t signo = from_siginfo ? t.siginfo_signal : t.prstatus_signal;
        if (signo == 0) continue;
        if (signals.GetSignalAsCString(signo) && signals.GetShouldStop(signo)) return ok_status();
        if (seen.empty())
            seen = fmt::format("thread {}'s signal is {} ({})", t.tid, describe(signals, signo),
                               source);
    }
    if (seen.empty()) return ok_status(); // no signal at all: LLDB stops the first with SIGSTOP
    // LLDB 22's own minidump writer puts a breakpoint's site id where the signal goes.
    return err("not loaded: LLDB would wait forever for this core's process to stop, because no "
               "thread stopped with a signal LLDB stops at: {}; {}",
               seen,
               minidump ? "the minidump is corrupt, or was saved at a stop that was no signal"
                        : "the core is corrupt");
}

Status check_core_file(::lldb::SBDebugger debugger, const std::string& core,
                       const std::string& exe) {
    auto recorded = report::read_core_executable(core);
    if (!recorded) return err("cannot read core: {}", recorded.error().message);
    if (!exe.empty()) { // else LLDB finds the executable the core names
        auto exe_id = report::read_build_id(exe);
        if (!exe_id) return err("cannot read executable: {}", exe_id.error().message);
        if (Status same = report::check_build_ids(*recorded, exe, *exe_id); !same) return same;
    }
    return check_core_signals(debugger, *recorded);
}

} // namespace seam::lldb
