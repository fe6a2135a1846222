#include "gui/debugger/debug_worker.h"

#include <lldb/API/SBBreakpoint.h>
#include <lldb/API/SBCommandInterpreter.h>
#include <lldb/API/SBCommandReturnObject.h>
#include <lldb/API/SBStream.h>
#include <lldb/API/SBTarget.h>
#include <lldb/API/SBThread.h>
#include <lldb/API/SBUnixSignals.h>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <string_view>

#include "formatters/core/rust_names.h"
#include "gui/debugger/frame_graph.h"
#include "gui/debugger/stop_view.h"
#include "plugin/lldb/backtrace_collect.h"
#include "plugin/lldb/exit_replies.h"
#include "plugin/lldb/report_collect.h"
#include "plugin/lldb/session.h"
#include "plugin/lldb/stop_facts.h"

namespace seam::gui {

namespace {

// How long `run` takes, in ms (LLDB's share of a step, StopTiming).
template <typename Run> double elapsed_ms(Run&& run) {
    QElapsedTimer clock;
    clock.start();
    run();
    return double(clock.nsecsElapsed()) / 1e6;
}

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

std::vector<std::string> strings(const QStringList& l) {
    std::vector<std::string> out;
    for (const QString& s : l) out.push_back(s.toStdString());
    return out;
}

// A signal's name as the target's platform numbers it (SIGKILL is 9 on Linux, not everywhere).
QString signal_name(::lldb::SBProcess process, int sig) {
    const char* name = process.GetUnixSignals().GetSignalAsCString(sig);
    return name ? QString::fromLatin1(name) : QStringLiteral("signal %1").arg(sig);
}

// Signals a process is usually ended by from outside (kill, the OOM killer, a crash): an exit
// status equal to one of them is likely that death. LLDB reports a death by signal as the
// signal's number with no description (lldb-server's `X09` and `W09` end up alike): where
// lldb-server's reply was not seen (exit_replies.h), the number is all there is.
bool likely_fatal_signal(::lldb::SBProcess process, int status) {
    ::lldb::SBUnixSignals unix_signals = process.GetUnixSignals();
    for (const char* name : {"SIGKILL", "SIGTERM", "SIGSEGV", "SIGABRT", "SIGBUS"})
        if (unix_signals.GetSignalNumberFromName(name) == status) return true;
    return false;
}

QString state_text(::lldb::SBProcess process, bool core) {
    if (!process.IsValid()) return QStringLiteral("no process");
    switch (process.GetState()) {
    case ::lldb::eStateStopped:
        return core ? QStringLiteral("core file") : QStringLiteral("stopped");
    case ::lldb::eStateExited: {
        int status = process.GetExitStatus();
        const char* desc = process.GetExitDescription();
        // Killed by this debugger (the Kill action, mid-step too, or `process kill`): LLDB says
        // "killed", and the status is the signal it sent.
        if (desc && std::string_view(desc) == "killed" && status > 0)
            return QStringLiteral("killed by %1").arg(signal_name(process, status));
        // Ended otherwise: lldb-server's reply says whether by a signal (kill from outside, the
        // OOM killer) or by exit() with that number, which SBProcess gives alike.
        std::optional<lldb::ExitReply> reply = lldb::exit_reply(process.GetProcessID());
        if (reply && reply->code == status && reply->signaled)
            return QStringLiteral("killed by %1").arg(signal_name(process, status));
        if (desc && *desc)
            return QStringLiteral("exited with status %1 (%2)").arg(status).arg(desc);
        // No reply seen (the connection lost first): the number of a fatal signal is only likely.
        if (!reply && likely_fatal_signal(process, status))
            return QStringLiteral("exited with status %1 (killed by %2?)")
                .arg(status)
                .arg(signal_name(process, status));
        return QStringLiteral("exited with status %1").arg(status);
    }
    case ::lldb::eStateCrashed:
        return QStringLiteral("crashed");
    case ::lldb::eStateDetached:
        return QStringLiteral("detached");
    case ::lldb::eStateRunning:
    case ::lldb::eStateStepping:
        return QStringLiteral("running");
    default:
        return QStringLiteral("state %1").arg(int(process.GetState()));
    }
}

// The plugin whose `seam` commands the console offers: the user's, an installed seam-gui's
// (relative to it, as installed), or this build's.
QString plugin_path() {
    QString env = qEnvironmentVariable("SEAM_GUI_PLUGIN");
    if (!env.isEmpty()) return env;
    QString installed =
        QDir(QCoreApplication::applicationDirPath()).filePath(SEAM_GUI_INSTALLED_PLUGIN);
    if (QFileInfo::exists(installed)) return installed;
    return QStringLiteral(SEAM_GUI_BUILD_PLUGIN);
}

} // namespace

DebugWorker::DebugWorker() = default;

DebugWorker::~DebugWorker() {
    shutdown();
}

void DebugWorker::interrupt() {
    std::lock_guard lock(m_process_mutex);
    if (m_process.IsValid()) m_process.SendAsyncInterrupt();
}

bool DebugWorker::ready(const char* what) {
    if (m_session && m_session->stopped() && m_core.isEmpty()) return true;
    emit failed(QStringLiteral("cannot %1: %2")
                    .arg(what)
                    .arg(!m_session          ? QStringLiteral("no process")
                         : !m_core.isEmpty() ? QStringLiteral("a core file does not run")
                                             : QStringLiteral("the process is %1")
                                                   .arg(state_text(m_session->process(), false))));
    return false;
}

void DebugWorker::started(std::unique_ptr<lldb::Session> session) {
    m_session = std::move(session);
    {
        std::lock_guard lock(m_process_mutex);
        m_process = m_session->process();
    }
    m_first_stop = true;
    loadPlugin();
    publish();
}

void DebugWorker::loadPlugin() {
    ::lldb::SBCommandReturnObject result;
    QByteArray cmd = ("plugin load \"" + plugin_path() + "\"").toUtf8();
    m_session->debugger().GetCommandInterpreter().HandleCommand(cmd.constData(), result);
    if (!result.Succeeded())
        emit commandOutput(QStringLiteral("seam commands unavailable: %1")
                               .arg(QString::fromUtf8(result.GetError())),
                           true);
}

void DebugWorker::openCore(const QString& exe, const QString& core) {
    shutdown();
    auto s = lldb::Session::open_core(exe.toStdString(), core.toStdString());
    if (!s) {
        emit failed(qs(s.error().message));
        return;
    }
    m_core = core;
    started(std::move(*s));
}

void DebugWorker::launch(const QString& exe, const QStringList& args,
                         const QStringList& breakpoints) {
    shutdown();
    lldb::LaunchOptions options;
    options.args = strings(args);
    options.breakpoints = strings(breakpoints);
    options.pending_breakpoints = true;
    options.inherit_env = true; // the user's environment, as any debugger launches with
    emit running(true);
    auto s = lldb::Session::launch(exe.toStdString(), options);
    emit running(false);
    if (!s) {
        emit failed(qs(s.error().message));
        return;
    }
    m_core.clear();
    for (const QString& b : breakpoints)
        m_breakpoint_names.insert(int(m_breakpoint_names.size()) + 1, b);
    started(std::move(*s));
}

void DebugWorker::attach(uint64_t pid, const QString& exe) {
    shutdown();
    auto s = lldb::Session::attach(pid, exe.toStdString());
    if (!s) {
        emit failed(qs(s.error().message));
        return;
    }
    m_core.clear();
    started(std::move(*s));
}

void DebugWorker::connectRemote(const QString& host_port, const QString& exe,
                                const QStringList& breakpoints) {
    shutdown();
    emit running(true);
    auto s = lldb::Session::connect_remote(host_port.toStdString(), exe.toStdString());
    if (s && !breakpoints.isEmpty()) {
        for (const QString& b : breakpoints) {
            ::lldb::SBBreakpoint bp = (*s)->target().BreakpointCreateByName(b.toUtf8().constData());
            m_breakpoint_names.insert(int(bp.GetID()), b);
        }
        if (Status st = (*s)->resume(); !st) emit failed(qs(st.error().message));
    }
    emit running(false);
    if (!s) {
        emit failed(qs(s.error().message));
        return;
    }
    m_core.clear();
    started(std::move(*s));
}

void DebugWorker::resume() {
    if (!ready("continue")) return;
    emit running(true);
    Status st = ok_status();
    double lldb_ms = elapsed_ms([&] { st = m_session->resume(); });
    emit running(false);
    if (!st) emit failed(qs(st.error().message));
    publish(lldb_ms);
}

template <typename Step> void DebugWorker::step(Step&& how) {
    if (!ready("step")) return;
    ::lldb::SBThread thread = m_session->process().GetSelectedThread();
    ::lldb::SBError error;
    emit running(true);
    double lldb_ms = elapsed_ms([&] { how(thread, error); });
    emit running(false);
    if (error.Fail()) emit failed(QString::fromUtf8(error.GetCString()));
    publish(lldb_ms);
}

void DebugWorker::stepOver() {
    step([](::lldb::SBThread& t, ::lldb::SBError& e) {
        t.StepOver(::lldb::eOnlyDuringStepping, e);
    });
}

void DebugWorker::stepInto() {
    step([](::lldb::SBThread& t, ::lldb::SBError&) { t.StepInto(); });
}

void DebugWorker::stepOut() {
    step([](::lldb::SBThread& t, ::lldb::SBError& e) { t.StepOut(e); });
}

void DebugWorker::kill() {
    if (!m_session || !m_core.isEmpty()) return;
    if (!m_session->stopped()) {
        publish(); // gone already (it exited, or died while a step ran): say how
        return;
    }
    if (Status st = m_session->kill(); !st) emit failed(qs(st.error().message));
    publish();
}

void DebugWorker::selectThread(uint32_t index) {
    if (!m_session || !m_session->stopped()) return;
    m_session->process().SetSelectedThreadByIndexID(index);
    m_first_stop = false;
    publish();
}

void DebugWorker::selectFrame(int frame) {
    if (!m_session || !m_session->stopped() || frame < 0) return;
    if (auto f = m_session->select_frame(uint32_t(frame)); !f) {
        emit failed(qs(f.error().message));
        return;
    }
    emit frameReady(frameView(frame));
}

void DebugWorker::setFullStack(bool full) {
    m_full_stack = full;
    if (m_session && m_session->stopped()) {
        bool first = m_first_stop;
        m_first_stop = false;
        publish();
        m_first_stop = first;
    }
}

void DebugWorker::addBreakpoint(const QString& function) {
    if (!m_session) {
        emit failed(QStringLiteral("open a program before setting breakpoints"));
        return;
    }
    ::lldb::SBBreakpoint bp =
        m_session->target().BreakpointCreateByName(function.toUtf8().constData());
    m_breakpoint_names.insert(int(bp.GetID()), function);
    if (bp.GetNumLocations() == 0)
        emit failed(
            QStringLiteral("no function named '%1' (the breakpoint waits for it)").arg(function));
    publishBreakpoints();
}

void DebugWorker::toggleLineBreakpoint(const QString& file, int line) {
    if (!m_session) {
        emit failed(QStringLiteral("open a program before setting breakpoints"));
        return;
    }
    ::lldb::SBTarget target = m_session->target();
    for (auto it = m_breakpoint_lines.begin(); it != m_breakpoint_lines.end(); ++it)
        if (it->file == file && it->line == line) {
            target.BreakpointDelete(::lldb::break_id_t(it.key()));
            m_breakpoint_lines.erase(it);
            publishBreakpoints();
            return;
        }
    ::lldb::SBBreakpoint bp =
        target.BreakpointCreateByLocation(file.toUtf8().constData(), uint32_t(line));
    if (!bp.IsValid()) {
        emit failed(QStringLiteral("cannot set a breakpoint at %1:%2").arg(file).arg(line));
        return;
    }
    m_breakpoint_lines.insert(int(bp.GetID()), {file, line});
    if (bp.GetNumLocations() == 0)
        emit failed(QStringLiteral("no code at %1:%2 (the breakpoint waits for it)")
                        .arg(file.section('/', -1))
                        .arg(line));
    publishBreakpoints();
}

void DebugWorker::runToLine(const QString& file, int line) {
    if (!ready("run to the line")) return;
    ::lldb::SBTarget target = m_session->target();
    ::lldb::SBBreakpoint bp =
        target.BreakpointCreateByLocation(file.toUtf8().constData(), uint32_t(line));
    if (!bp.IsValid() || bp.GetNumLocations() == 0) {
        if (bp.IsValid()) target.BreakpointDelete(bp.GetID());
        emit failed(QStringLiteral("no code at %1:%2").arg(file.section('/', -1)).arg(line));
        return;
    }
    bp.SetOneShot(true);
    ::lldb::break_id_t id = bp.GetID();
    emit running(true);
    Status st = m_session->resume();
    emit running(false);
    // Stopped elsewhere first (another breakpoint, a crash, the exit): the line is forgotten.
    if (target.FindBreakpointByID(id).IsValid()) target.BreakpointDelete(id);
    if (!st) emit failed(qs(st.error().message));
    publish();
}

void DebugWorker::publishBreakpoints() {
    QVector<BreakpointInfo> out;
    ::lldb::SBTarget target = m_session->target();
    for (uint32_t i = 0; i < target.GetNumBreakpoints(); ++i) {
        ::lldb::SBBreakpoint bp = target.GetBreakpointAtIndex(i);
        if (bp.IsOneShot()) continue; // run to cursor's, gone at the next stop
        if (auto at = m_breakpoint_lines.find(int(bp.GetID())); at != m_breakpoint_lines.end()) {
            out.push_back({int(bp.GetID()), QString(), at->file, at->line,
                           int(bp.GetNumLocations()), int(bp.GetHitCount())});
            continue;
        }
        // Set here by name, or typed in the console: then LLDB's own description of it.
        QString function = m_breakpoint_names.value(int(bp.GetID()));
        if (function.isEmpty()) {
            ::lldb::SBStream desc;
            bp.GetDescription(desc, false);
            function = QString::fromUtf8(desc.GetData(), int(desc.GetSize())).trimmed();
        }
        out.push_back({int(bp.GetID()), function, QString(), 0, int(bp.GetNumLocations()),
                       int(bp.GetHitCount())});
    }
    emit breakpointsChanged(out);
}

void DebugWorker::fetchChildren(uint64_t generation, uint64_t id, uint64_t start, uint64_t count) {
    if (generation != m_generation || !m_session || !m_session->stopped()) return;
    VariableStore::Page page = m_store.children(m_session->process(), id, start, count);
    emit childrenReady(generation, id, page.next, page.rows);
}

void DebugWorker::fetchValueText(uint64_t generation, uint64_t id, ValueTextKind kind) {
    if (generation != m_generation || !m_session || !m_session->stopped()) {
        emit failed(QStringLiteral("the value is gone (the process moved on)"));
        return;
    }
    auto text = m_store.text(m_session->process(), id, kind);
    if (!text) {
        emit failed(qs(text.error().message));
        return;
    }
    emit valueTextReady({generation, id, kind, *text});
}

void DebugWorker::runCommand(const QString& line) {
    if (!m_session) {
        emit commandOutput(QStringLiteral("no session: open a core or launch a program first"),
                           true);
        return;
    }
    ::lldb::SBCommandReturnObject result;
    emit running(true);
    m_session->debugger().GetCommandInterpreter().HandleCommand(line.toUtf8().constData(), result);
    emit running(false);
    if (result.GetOutputSize()) emit commandOutput(QString::fromUtf8(result.GetOutput()), false);
    if (result.GetErrorSize()) emit commandOutput(QString::fromUtf8(result.GetError()), true);
    m_session->take_events();
    // The command may have stepped, selected a frame or set breakpoints: show what is now.
    m_first_stop = false;
    publish();
}

void DebugWorker::buildGraph() {
    if (!m_session || !m_session->stopped()) {
        emit failed(QStringLiteral("no stopped process to draw"));
        return;
    }
    GraphInfo g = m_graph.build(m_session->process());
    g.generation = m_generation;
    emit graphReady(g);
}

void DebugWorker::focusGraph(uint64_t generation, uint64_t id, const QString& name) {
    if (generation != m_generation || !m_session || !m_session->stopped()) return;
    if (!m_graph.built()) m_graph.build(m_session->process());
    GraphInfo g = m_graph.focus(m_store.memory_of(id), name);
    g.generation = m_generation;
    emit graphReady(g);
}

void DebugWorker::shutdown() {
    {
        std::lock_guard lock(m_process_mutex);
        m_process = {};
    }
    m_store.clear();
    m_graph.clear();
    m_session.reset();
    m_breakpoint_names.clear();
    m_breakpoint_lines.clear();
}

FrameView DebugWorker::frameView(int frame) {
    FrameView v;
    v.generation = ++m_generation;
    m_store.clear();
    m_graph.clear();
    ::lldb::SBFrame f = m_session->process().GetSelectedThread().GetFrameAtIndex(uint32_t(frame));
    if (!f.IsValid()) return v;
    v.frame = frame;
    // The name the stack shows for the frame (bt::shown_name); LLDB's for a frame the last
    // backtrace did not reach.
    v.name = m_frame_names.value(frame);
    if (v.name.isEmpty()) {
        const char* name = f.GetDisplayFunctionName();
        v.name = qs(clean_rust_name(name ? name : "??"));
    }
    auto roots = m_store.roots(f);
    if (roots)
        v.variables = std::move(*roots);
    else
        v.variables_error = qs(roots.error().message);
    v.source = source_at(f);
    return v;
}

void DebugWorker::publish(double lldb_ms) {
    QElapsedTimer clock;
    clock.start();
    publishBreakpoints(); // their hit counts moved
    StopSnapshot s;
    // Stamped as it is handed over, on every path out.
    auto stamp = [&] {
        s.timing.lldb_ms = lldb_ms;
        s.timing.snapshot_ms = double(clock.nsecsElapsed()) / 1e6;
        s.timing.ready_ns = monotonic_ns();
    };
    ::lldb::SBProcess process = m_session->process();
    s.process_state = state_text(process, !m_core.isEmpty());
    if (!m_session->stopped()) {
        // Exited or killed: nothing left to show but that.
        m_store.clear();
        s.frame.generation = ++m_generation;
        m_graph.clear();
        stamp();
        emit snapshotReady(s);
        return;
    }
    s.live = m_core.isEmpty();
    s.pid = process.GetProcessID();
    // A core, or a live crash: the crashing thread is the one to explain, the report the view.
    ::lldb::SBThread crashing = lldb::crashing_thread(process);
    std::optional<report::Report> report;
    if (!s.live || (crashing.IsValid() && stopped_by_crash(crashing))) {
        if (m_first_stop && crashing.IsValid()) process.SetSelectedThread(crashing);
        auto r = lldb::collect_report(process, m_core.toStdString());
        if (r) {
            report = std::move(*r);
            s.crash = crash_info(*report);
        }
    }
    s.threads = thread_infos(process);
    ::lldb::SBThread thread = process.GetSelectedThread();
    s.thread = thread.GetIndexID();
    lldb::BacktraceOptions options;
    // The stack shows names, not arguments: the variables view has those.
    options.arguments = false;
    bt::Backtrace bt = report && report->crashing && report->crashing->thread.index == s.thread
                           ? *report->crashing
                           : bt::classify(lldb::collect_thread(thread, options));
    s.stack = stack_rows(bt, m_full_stack);
    m_frame_names.clear();
    for (const bt::Frame& f : bt.frames)
        if (f.raw.debugger_index)
            m_frame_names.insert(int(*f.raw.debugger_index), qs(bt::shown_name(f, false)));
    s.unwind_note = qs(bt.thread.unwind_note);
    int frame = int(thread.GetSelectedFrame().GetFrameID());
    if (m_first_stop && report)
        if (auto user = innermost_user_frame(*report)) frame = *user;
    m_first_stop = false;
    if (thread.GetNumFrames() > 0) {
        thread.SetSelectedFrame(uint32_t(frame));
        s.frame = frameView(frame);
    } else {
        s.frame.generation = ++m_generation;
        m_graph.clear();
        m_store.clear();
    }
    stamp();
    emit snapshotReady(s);
}

} // namespace seam::gui
