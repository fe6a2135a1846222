#include "tests/e2e/session.h"

#include "tests/e2e/minidump_stop_code.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

namespace seam::e2e {
namespace {

bool frame_is_probe(lldb::SBFrame frame) {
    if (frame.IsInlined()) return false;
    const char* name = frame.GetFunctionName();
    if (!name) name = frame.GetSymbol().GetName();
    return name && std::strcmp(name, "seam_probe") == 0;
}

// The frame that called seam_probe: frame 1 normally. Should a toolchain inline something into
// seam_probe, LLDB lists those inlined frames first; the caller follows seam_probe's own frame.
// Returns 0 when the thread is not stopped in seam_probe.
uint32_t probe_caller_index(lldb::SBThread thread) {
    uint32_t n = std::min<uint32_t>(thread.GetNumFrames(), 8);
    for (uint32_t i = 0; i + 1 < n; ++i)
        if (frame_is_probe(thread.GetFrameAtIndex(i))) return i + 1;
    return 0;
}

// A hang in seam (or in a fixture) would otherwise show only as CTest's timeout, saying
// nothing of where. Every step that can block marks itself here; a watchdog thread ends the
// process, naming the step, once one has run longer than $SEAM_E2E_STEP_TIMEOUT seconds.
struct Watchdog {
    std::mutex mutex;
    std::string step;
    std::chrono::steady_clock::time_point since;
    bool busy = false;
};

Watchdog& watchdog() {
    static Watchdog w;
    return w;
}

class StepGuard {
public:
    explicit StepGuard(std::string step) {
        std::lock_guard lock(watchdog().mutex);
        watchdog().step = std::move(step);
        watchdog().since = std::chrono::steady_clock::now();
        watchdog().busy = true;
    }
    ~StepGuard() {
        std::lock_guard lock(watchdog().mutex);
        watchdog().busy = false;
    }
};

void start_watchdog() {
    long limit = 120;
    if (const char* env = std::getenv("SEAM_E2E_STEP_TIMEOUT"))
        limit = std::max(1L, std::atol(env));
    std::thread([limit] {
        for (;;) {
            std::this_thread::sleep_for(std::chrono::seconds(1));
            std::lock_guard lock(watchdog().mutex);
            if (!watchdog().busy) continue;
            auto spent = std::chrono::steady_clock::now() - watchdog().since;
            if (spent < std::chrono::seconds(limit)) continue;
            std::fprintf(stderr, "\ne2e watchdog: `%s` has run for %ld s: aborting the run\n",
                         watchdog().step.c_str(), limit);
            std::fflush(stderr);
            std::_Exit(3);
        }
    }).detach();
}

} // namespace

void initialize_lldb(const std::string& lldb_bin) {
    if (!std::getenv("LLDB_DEBUGSERVER_PATH"))
        setenv("LLDB_DEBUGSERVER_PATH", (lldb_bin + "/lldb-server").c_str(), 1);
    lldb::SBDebugger::Initialize();
    start_watchdog();
}

void terminate_lldb() {
    lldb::SBDebugger::Terminate();
}

Result<std::unique_ptr<Session>> Session::create(const std::string& plugin_path) {
    lldb::SBDebugger dbg = lldb::SBDebugger::Create(false);
    if (!dbg.IsValid()) return err("cannot create an SBDebugger");
    dbg.SetAsync(false);
    std::unique_ptr<Session> s(new Session(dbg));
    CommandOutput load = s->run("plugin load " + plugin_path);
    if (!load.ok) return err("plugin load {} failed: {}", plugin_path, load.text());
    return s;
}

Session::~Session() {
    kill();
    lldb::SBDebugger::Destroy(m_dbg);
}

void Session::kill() {
    if (m_process.IsValid()) {
        lldb::StateType st = m_process.GetState();
        if (st != lldb::eStateExited && st != lldb::eStateDetached && st != lldb::eStateInvalid)
            m_process.Kill();
    }
    m_process = lldb::SBProcess();
}

Result<Stop> Session::launch(const std::string& exe,
                             const std::vector<std::pair<std::string, std::string>>& env,
                             const std::string& output_path) {
    lldb::SBError error;
    m_target = m_dbg.CreateTarget(exe.c_str(), nullptr, nullptr, true, error);
    if (!m_target.IsValid())
        return err("cannot create a target for {}: {}", exe,
                   error.GetCString() ? error.GetCString() : "?");
    m_dbg.SetSelectedTarget(m_target);
    lldb::SBBreakpoint bp = m_target.BreakpointCreateByName("seam_probe");
    if (!bp.IsValid() || bp.GetNumLocations() == 0) return err("{} has no seam_probe", exe);

    // The target's own launch info carries the inherited environment (target.inherit-env).
    lldb::SBLaunchInfo info = m_target.GetLaunchInfo();
    lldb::SBEnvironment environment = info.GetEnvironment();
    for (const auto& [key, value] : env) environment.Set(key.c_str(), value.c_str(), true);
    info.SetEnvironment(environment, false);
    info.AddOpenFileAction(0, "/dev/null", true, false);
    info.AddOpenFileAction(1, output_path.c_str(), false, true);
    info.AddOpenFileAction(2, output_path.c_str(), false, true);
    StepGuard step("launch " + exe);
    m_process = m_target.Launch(info, error);
    if (!m_process.IsValid() || error.Fail())
        return err("cannot launch {}: {}", exe, error.GetCString() ? error.GetCString() : "?");
    return classify();
}

Result<Stop> Session::resume() {
    if (!m_process.IsValid()) return err("no process");
    StepGuard step("continue");
    lldb::SBError error = m_process.Continue();
    if (error.Fail())
        return err("continue failed: {}", error.GetCString() ? error.GetCString() : "?");
    return classify();
}

Stop Session::classify() {
    Stop stop;
    lldb::StateType state = m_process.GetState();
    if (state == lldb::eStateExited) {
        stop.kind = StopKind::Exited;
        stop.exit_status = m_process.GetExitStatus();
        return stop;
    }
    if (state != lldb::eStateStopped) {
        stop.description = std::string("process state ") + lldb::SBDebugger::StateAsCString(state);
        return stop;
    }
    // The thread at the probe, not merely the selected one: a fixture may run threads.
    for (uint32_t i = 0; i < m_process.GetNumThreads(); ++i) {
        lldb::SBThread thread = m_process.GetThreadAtIndex(i);
        uint32_t caller = probe_caller_index(thread);
        if (caller == 0) continue;
        m_process.SetSelectedThread(thread);
        thread.SetSelectedFrame(caller);
        stop.kind = StopKind::Probe;
        const char* name = thread.GetFrameAtIndex(caller).GetDisplayFunctionName();
        stop.description = name ? name : "?";
        return stop;
    }
    lldb::SBThread thread = m_process.GetSelectedThread();
    char why[512] = {0};
    thread.GetStopDescription(why, sizeof why);
    lldb::SBStream where;
    thread.GetFrameAtIndex(0).GetDescription(where);
    stop.description = std::string(why) + " at " + (where.GetData() ? where.GetData() : "?");
    return stop;
}

Status Session::save_core(const std::string& path) {
    if (!m_process.IsValid()) return err("no process");
    lldb::SBSaveCoreOptions options;
    options.SetPluginName("minidump");
    options.SetStyle(lldb::eSaveCoreFull);
    options.SetOutputFile(lldb::SBFileSpec(path.c_str(), false));
    StepGuard step("save core " + path);
    lldb::SBError error = m_process.SaveCore(options);
    if (error.Fail())
        return err("save core {}: {}", path, error.GetCString() ? error.GetCString() : "?");
    if (m_process.GetSelectedThread().GetStopReason() == lldb::eStopReasonBreakpoint)
        return mark_breakpoint_stop_as_sigtrap(path);
    return ok_status();
}

Result<Stop> Session::load_core(const std::string& exe, const std::string& core) {
    kill();
    lldb::SBError error;
    m_target = m_dbg.CreateTarget(exe.c_str(), nullptr, nullptr, true, error);
    if (!m_target.IsValid()) return err("cannot create a target for {}", exe);
    m_dbg.SetSelectedTarget(m_target);
    StepGuard step("load core " + core);
    m_process = m_target.LoadCore(core.c_str(), error);
    if (!m_process.IsValid() || error.Fail())
        return err("cannot load core {}: {}", core, error.GetCString() ? error.GetCString() : "?");
    return classify();
}

CommandOutput Session::run(const std::string& command) {
    StepGuard step(command);
    lldb::SBCommandReturnObject ret;
    m_dbg.GetCommandInterpreter().HandleCommand(command.c_str(), ret);
    CommandOutput out;
    out.ok = ret.Succeeded();
    if (const char* o = ret.GetOutput()) out.output = o;
    if (const char* e = ret.GetError()) out.error = e;
    return out;
}

} // namespace seam::e2e
