#pragma once
/// Drives one fixture program under LLDB through the SB API, with the seam plugin loaded:
/// launch to each probe stop (frame 1 selected), run commands there, save and load cores.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <lldb/API/LLDB.h>

#include "formatters/core/result.h"

namespace seam::e2e {

/// Sets LLDB_DEBUGSERVER_PATH to `<lldb_bin>/lldb-server` when unset (Debian's liblldb does not
/// find its server on its own), then initialises the SB API. Call once per process.
void initialize_lldb(const std::string& lldb_bin);
void terminate_lldb();

struct CommandOutput {
    bool ok = false;
    std::string output; ///< what the command printed (stdout)
    std::string error;  ///< what it reported as an error
    /// The text a comparison should see: the output, or "error: ..." when the command failed.
    std::string text() const { return ok ? output : output + error; }
};

enum class StopKind { Probe, Exited, Other };

struct Stop {
    StopKind kind = StopKind::Other;
    int exit_status = 0;     ///< Exited
    std::string description; ///< Other: why the process stopped; Probe: the frame-1 function
};

class Session {
public:
    /// A fresh debugger (no init files) with `plugin load <plugin_path>` done.
    static Result<std::unique_ptr<Session>> create(const std::string& plugin_path);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    /// Launches `exe` with `env` added to the inherited environment and a breakpoint on
    /// seam_probe; stdout and stderr of the program go to `output_path`. Returns the first stop.
    Result<Stop> launch(const std::string& exe,
                        const std::vector<std::pair<std::string, std::string>>& env,
                        const std::string& output_path);
    /// Continues to the next probe, or to the exit.
    Result<Stop> resume();
    /// Saves a full core of the stopped process (minidump: LLDB 19 writes no ELF cores on Linux).
    Status save_core(const std::string& path);
    /// Opens `core` for `exe` in a new target, selects the thread stopped in seam_probe and its
    /// frame 1.
    Result<Stop> load_core(const std::string& exe, const std::string& core);
    void kill();

    CommandOutput run(const std::string& command);

private:
    explicit Session(lldb::SBDebugger dbg) : m_dbg(dbg) {}
    Stop classify();

    lldb::SBDebugger m_dbg;
    lldb::SBTarget m_target;
    lldb::SBProcess m_process;
};

} // namespace seam::e2e
