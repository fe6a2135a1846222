#pragma once
/// How a live process ended, as lldb-server saw it. LLDB 19 hands a death by a signal over as the
/// signal's number with no description, exactly as it hands `exit(9)` over (SBProcess gives 9
/// either way). lldb-server's stop reply tells the two apart: the gdb-remote protocol's `X09` is
/// "terminated by signal 9", `W09` "exited with status 9", from the wait status it reaped. LLDB
/// keeps only the number, but its `gdb-remote process` log prints each reply a continue or a
/// step ends with ("SendContinuePacketAndWaitForResponse () got packet: X09;process:6ff6"):
/// watching that log gives the real answer, never a guess.
#include <lldb/API/SBDebugger.h>

#include <cstdint>
#include <optional>
#include <string_view>

namespace seam::lldb {

struct ExitReply {
    uint64_t pid = 0;
    bool signaled = false; ///< `X`: killed by signal `code`; `W`: exited with status `code`
    int code = 0;
};

/// Routes `debugger`'s `gdb-remote process` log to the record exit_reply() reads. LLDB's log
/// channels are process-wide: the last debugger to enable one receives every debugger's lines
/// (each names its pid), and a `log enable gdb-remote` typed later takes the channel away (the
/// record then stays empty, never wrong).
void watch_exit_replies(::lldb::SBDebugger debugger);

/// The last exit reply seen for process `pid`; nullopt when none was (not watched, or the
/// connection was lost before the reply).
std::optional<ExitReply> exit_reply(uint64_t pid);

/// One log line's exit reply, if it holds one (`X09;process:6ff6`, `W00;process:4e51`).
std::optional<ExitReply> parse_exit_reply(std::string_view line);

} // namespace seam::lldb
