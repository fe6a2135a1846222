#pragma once
/// A debugging session driven through the SB API without lldb's command interpreter: what
/// tests, seam-report and seam-gui open a program, a process or a core with.
///
/// Note for code inside `namespace seam`: this namespace is `seam::lldb`, so LLDB's own types
/// must be spelled `::lldb::SBFrame` there.
#include <lldb/API/SBDebugger.h>
#include <lldb/API/SBFrame.h>
#include <lldb/API/SBProcess.h>
#include <lldb/API/SBTarget.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "formatters/core/result.h"

namespace seam::lldb {

struct LaunchOptions {
    std::vector<std::string> args; ///< argv[1..]
    std::vector<std::string> env;  ///< "NAME=value", the program's environment
    /// The program also inherits the debugger's own environment (as `process launch` and gdb
    /// give it; what a user launching from seam-gui expects). Off, it has `env` alone: tests
    /// stay independent of the environment they run in (RUST_BACKTRACE, ...).
    bool inherit_env = false;
    std::vector<std::string> breakpoints; ///< function names to stop at, set before launching
    /// A breakpoint name the executable lacks waits for the shared libraries (`clock_nanosleep`
    /// in libc), as lldb's own `breakpoint set` does; otherwise it is an error before launch.
    bool pending_breakpoints = false;
    std::string working_dir; ///< "" = the current one
    std::string stdout_path = "/dev/null";
    std::string stderr_path = "/dev/null";
};

class Session {
public:
    /// Launches `exe` and returns once it first stops (a breakpoint, a crash) or exits.
    static Result<std::unique_ptr<Session>> launch(const std::string& exe,
                                                   const LaunchOptions& options = {});
    /// Attaches to a running process; `exe` may be "" (LLDB finds it from the pid).
    static Result<std::unique_ptr<Session>> attach(uint64_t pid, const std::string& exe = "");
    /// Connects to a gdb-remote stub at `host_port` (`localhost:1234`: QEMU's `-s`,
    /// `lldb-server gdbserver`, gdbserver) and returns once the target shows it stopped. `exe`
    /// (may be "") gives the symbols and DWARF of what runs there. The target is detached, not
    /// killed, when the session ends.
    static Result<std::unique_ptr<Session>> connect_remote(const std::string& host_port,
                                                           const std::string& exe = "");
    /// Opens a core file of `exe`. Needs no lldb-server.
    static Result<std::unique_ptr<Session>> open_core(const std::string& exe,
                                                      const std::string& core);
    /// Kills a launched process, detaches from an attached or remote one, destroys the debugger.
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    ::lldb::SBDebugger debugger() const { return m_debugger; }
    ::lldb::SBTarget target() const { return m_target; }
    ::lldb::SBProcess process() const { return m_process; }

    /// Resumes and returns at the next stop or exit.
    Status resume();
    /// Kills a launched process and returns once the session shows it exited. (LLDB 19 in
    /// synchronous mode leaves the state `stopped` after SBProcess::Kill until the exit's event
    /// is taken from the debugger's listener.)
    Status kill();
    /// Takes the events LLDB has queued on the debugger's listener without waiting: in
    /// synchronous mode that is what brings the process's state up to date after an action no
    /// call waited on (a `process kill` typed in a console).
    void take_events();
    /// True while the process exists and is stopped (a core is always stopped).
    bool stopped() const;
    /// The exit status, once the process has exited.
    std::optional<int> exit_status() const;
    /// Frame `index` of the selected thread, which also becomes the selected frame.
    Result<::lldb::SBFrame> select_frame(uint32_t index);
    /// The selected frame of the selected thread.
    ::lldb::SBFrame selected_frame() const;

private:
    enum class Origin { Launched, Attached, Remote, Core };
    Session(::lldb::SBDebugger debugger, Origin origin);
    ::lldb::SBDebugger m_debugger;
    ::lldb::SBTarget m_target;
    ::lldb::SBProcess m_process;
    Origin m_origin;
};

} // namespace seam::lldb
