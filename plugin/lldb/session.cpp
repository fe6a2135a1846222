#include "plugin/lldb/session.h"

#include <lldb/API/SBEnvironment.h>

#include <lldb/API/SBError.h>
#include <lldb/API/SBEvent.h>
#include <lldb/API/SBLaunchInfo.h>
#include <lldb/API/SBListener.h>
#include <lldb/API/SBThread.h>

#include <cstdlib>
#include <mutex>

#include "plugin/lldb/core_preflight.h"
#include "plugin/lldb/exit_replies.h"

namespace seam::lldb {

namespace {

// Debian's liblldb looks for lldb-server beside itself and does not find it: an embedding
// program must name it (DESIGN.md, "Facts found on this machine"). The user's choice wins.
void ensure_debugserver_path() {
    setenv("LLDB_DEBUGSERVER_PATH", SEAM_LLDB_BIN "/lldb-server", 0);
}

// `live`: the session drives a process through lldb-server, whose exit replies it watches (a
// death by a signal and exit() with that number look alike through SBProcess).
::lldb::SBDebugger make_debugger(bool live) {
    static std::once_flag once;
    std::call_once(once, [] { ::lldb::SBDebugger::Initialize(); });
    ::lldb::SBDebugger debugger = ::lldb::SBDebugger::Create(false);
    if (live) watch_exit_replies(debugger);
    // Synchronous: Launch, Continue and LoadCore return once the process has stopped.
    debugger.SetAsync(false);
    return debugger;
}

Error sb_error(std::string_view what, const ::lldb::SBError& e) {
    const char* s = e.GetCString();
    return err("{}: {}", what, s && *s ? s : "unknown error");
}

std::vector<const char*> c_strings(const std::vector<std::string>& v) {
    std::vector<const char*> out;
    for (const auto& s : v) out.push_back(s.c_str());
    out.push_back(nullptr);
    return out;
}

} // namespace

Session::Session(::lldb::SBDebugger debugger, Origin origin)
    : m_debugger(debugger), m_origin(origin) {}

Session::~Session() {
    if (m_process.IsValid()) {
        if (m_origin == Origin::Launched)
            m_process.Kill();
        else if (m_origin == Origin::Attached || m_origin == Origin::Remote)
            m_process.Detach();
    }
    ::lldb::SBDebugger::Destroy(m_debugger);
}

Result<std::unique_ptr<Session>> Session::launch(const std::string& exe,
                                                 const LaunchOptions& options) {
    ensure_debugserver_path();
    std::unique_ptr<Session> s(new Session(make_debugger(true), Origin::Launched));
    ::lldb::SBError error;
    s->m_target = s->m_debugger.CreateTarget(exe.c_str(), nullptr, nullptr, true, error);
    if (!s->m_target.IsValid()) return sb_error("cannot load " + exe, error);
    for (const auto& name : options.breakpoints)
        if (s->m_target.BreakpointCreateByName(name.c_str()).GetNumLocations() == 0 &&
            !options.pending_breakpoints)
            return err("no function named '{}' in {}", name, exe);

    ::lldb::SBLaunchInfo info(nullptr);
    auto argv = c_strings(options.args);
    info.SetArguments(argv.data(), false);
    // SBTarget::GetEnvironment is the debugger's (it honours target.inherit-env); a bare
    // SBLaunchInfo starts the program with none at all.
    ::lldb::SBEnvironment env =
        options.inherit_env ? s->m_target.GetEnvironment() : ::lldb::SBEnvironment();
    for (const std::string& entry : options.env) env.PutEntry(entry.c_str());
    info.SetEnvironment(env, false);
    if (!options.working_dir.empty()) info.SetWorkingDirectory(options.working_dir.c_str());
    info.AddOpenFileAction(0, "/dev/null", true, false);
    info.AddOpenFileAction(1, options.stdout_path.c_str(), false, true);
    info.AddOpenFileAction(2, options.stderr_path.c_str(), false, true);
    s->m_process = s->m_target.Launch(info, error);
    if (!s->m_process.IsValid() || error.Fail()) return sb_error("cannot launch " + exe, error);
    return s;
}

Result<std::unique_ptr<Session>> Session::attach(uint64_t pid, const std::string& exe) {
    ensure_debugserver_path();
    std::unique_ptr<Session> s(new Session(make_debugger(true), Origin::Attached));
    ::lldb::SBError error;
    s->m_target = s->m_debugger.CreateTarget(exe.empty() ? nullptr : exe.c_str(), nullptr, nullptr,
                                             true, error);
    if (!s->m_target.IsValid()) return sb_error("cannot create a target", error);
    ::lldb::SBListener listener = s->m_debugger.GetListener();
    s->m_process = s->m_target.AttachToProcessWithID(listener, pid, error);
    if (!s->m_process.IsValid() || error.Fail())
        return sb_error(fmt::format("cannot attach to {}", pid), error);
    return s;
}

Result<std::unique_ptr<Session>> Session::connect_remote(const std::string& host_port,
                                                         const std::string& exe) {
    std::unique_ptr<Session> s(new Session(make_debugger(true), Origin::Remote));
    ::lldb::SBError error;
    s->m_target = s->m_debugger.CreateTarget(exe.empty() ? nullptr : exe.c_str(), nullptr, nullptr,
                                             true, error);
    if (!s->m_target.IsValid()) return sb_error("cannot create a target", error);
    std::string url =
        host_port.find("://") == std::string::npos ? "connect://" + host_port : host_port;
    ::lldb::SBListener listener = s->m_debugger.GetListener();
    s->m_process = s->m_target.ConnectRemote(listener, url.c_str(), "gdb-remote", error);
    if (!s->m_process.IsValid() || error.Fail())
        return sb_error(fmt::format("cannot connect to {}", host_port), error);
    // Synchronous mode returns from the connection before the stub's first stop reply has
    // been taken: wait for the stop (a stub always reports the target halted).
    ::lldb::SBEvent event;
    for (int i = 0; i < 10 && !s->stopped(); ++i)
        if (!listener.WaitForEvent(1, event)) continue;
    if (!s->stopped())
        return err("connected to {}, but the target did not stop (state {})", host_port,
                   int(s->m_process.GetState()));
    return s;
}

Result<std::unique_ptr<Session>> Session::open_core(const std::string& exe,
                                                    const std::string& core) {
    std::unique_ptr<Session> s(new Session(make_debugger(false), Origin::Core));
    ::lldb::SBError error;
    s->m_target = s->m_debugger.CreateTarget(exe.c_str(), nullptr, nullptr, true, error);
    if (!s->m_target.IsValid()) return sb_error("cannot load " + exe, error);
    if (Status loads = check_core_file(s->m_debugger, core, exe); !loads) return loads.error();
    s->m_process = s->m_target.LoadCore(core.c_str(), error);
    if (!s->m_process.IsValid() || error.Fail()) return sb_error("cannot open " + core, error);
    return s;
}

Status Session::resume() {
    if (m_origin == Origin::Core) return err("a core file cannot be resumed");
    if (!stopped()) return err("the process is not stopped");
    ::lldb::SBError error = m_process.Continue();
    if (error.Fail()) return sb_error("cannot continue", error);
    return ok_status();
}

Status Session::kill() {
    if (m_origin == Origin::Core) return err("a core file cannot be killed");
    if (!m_process.IsValid()) return err("no process");
    ::lldb::SBError error = m_process.Kill();
    if (error.Fail()) return sb_error("cannot kill", error);
    ::lldb::SBListener listener = m_debugger.GetListener();
    ::lldb::SBEvent event;
    for (int i = 0; i < 10 && m_process.GetState() != ::lldb::eStateExited; ++i)
        if (!listener.WaitForEvent(1, event)) break;
    return ok_status();
}

void Session::take_events() {
    ::lldb::SBListener listener = m_debugger.GetListener();
    ::lldb::SBEvent event;
    while (listener.GetNextEvent(event)) {
    }
}

bool Session::stopped() const {
    ::lldb::SBProcess process = m_process; // the SB getters are not const
    if (!process.IsValid()) return false;
    auto state = process.GetState();
    return state == ::lldb::eStateStopped || state == ::lldb::eStateSuspended;
}

std::optional<int> Session::exit_status() const {
    ::lldb::SBProcess process = m_process;
    if (!process.IsValid() || process.GetState() != ::lldb::eStateExited) return std::nullopt;
    return process.GetExitStatus();
}

Result<::lldb::SBFrame> Session::select_frame(uint32_t index) {
    ::lldb::SBThread thread = m_process.GetSelectedThread();
    if (!thread.IsValid()) return err("no thread selected");
    if (index >= thread.GetNumFrames())
        return err("frame {} does not exist: the thread has {} frames", index,
                   thread.GetNumFrames());
    return thread.SetSelectedFrame(index);
}

::lldb::SBFrame Session::selected_frame() const {
    ::lldb::SBProcess process = m_process;
    return process.GetSelectedThread().GetSelectedFrame();
}

} // namespace seam::lldb
