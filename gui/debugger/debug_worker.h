#pragma once
/// The debugger, on a thread of its own: a QObject moved to a QThread that owns the session
/// (and so the SBDebugger). Every request is a slot called through a queued connection; every
/// answer a signal the UI thread receives queued. While the target runs (continue, a step) the
/// worker is blocked in LLDB, and requests wait in its queue; interrupt() alone is called
/// directly from the UI thread, and only sends the stop.
#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>
#include <mutex>

#include <lldb/API/SBProcess.h>

#include "gui/debugger/frame_graph.h"
#include "gui/debugger/variable_store.h"
#include "gui/model/debug_data.h"

namespace seam::lldb {
class Session;
}

namespace seam::gui {

class DebugWorker : public QObject {
    Q_OBJECT
public:
    DebugWorker();
    ~DebugWorker() override;

    /// Thread-safe: asks a running process to stop; the blocked continue or step returns, and a
    /// snapshot follows. Never blocks.
    void interrupt();

public slots:
    void openCore(const QString& exe, const QString& core);
    /// Launches `exe` with `args`, stopping at each function in `breakpoints`.
    void launch(const QString& exe, const QStringList& args, const QStringList& breakpoints);
    /// Attaches to a running process (`exe` may be ""); it stops, and is detached at the end.
    void attach(uint64_t pid, const QString& exe);
    /// Connects to a gdb-remote stub (`host:port`: QEMU's gdb stub, `lldb-server gdbserver`);
    /// `exe` (may be "") gives the symbols. With `breakpoints` it goes on to the first of them
    /// (a stub reports the target halted wherever it was). Detached at the end, not killed.
    void connectRemote(const QString& host_port, const QString& exe,
                       const QStringList& breakpoints);
    void resume();
    void stepOver();
    void stepInto();
    void stepOut();
    /// Kills the process (a step or continue in progress is interrupted first: MainWindow::kill);
    /// the state then names the signal, `killed by SIGKILL`.
    void kill();
    void selectThread(uint32_t index);
    void selectFrame(int frame);
    /// Shows runtime frames instead of folding them.
    void setFullStack(bool full);
    void addBreakpoint(const QString& function);
    /// Sets a breakpoint on `line` of `file`, or removes the one set there (the source gutter).
    void toggleLineBreakpoint(const QString& file, int line);
    /// Continues to `line` of `file` (or the next stop on the way): a one-shot breakpoint,
    /// removed at whatever stop comes first, that the breakpoints panel never lists.
    void runToLine(const QString& file, int line);
    void fetchChildren(uint64_t generation, uint64_t id, uint64_t start, uint64_t count);
    /// A value's Debug text or `[raw]` view: valueTextReady.
    void fetchValueText(uint64_t generation, uint64_t id, seam::gui::ValueTextKind kind);
    /// An lldb command line, `seam` commands included (the plugin is loaded into the session).
    void runCommand(const QString& line);
    /// The ownership graph of the selected frame: graphReady.
    void buildGraph();
    /// The same graph drawn for value `id` (`name`: its path in the variables view): only the
    /// chains that keep it alive in colour. Builds the graph first where none is kept.
    void focusGraph(uint64_t generation, uint64_t id, const QString& name);
    /// Ends the session (kills a launched process) on this thread, where it was made.
    void shutdown();

signals:
    void snapshotReady(const seam::gui::StopSnapshot& snapshot);
    void frameReady(const seam::gui::FrameView& frame);
    void childrenReady(uint64_t generation, uint64_t id, uint64_t next,
                       const QVector<seam::gui::VariableRow>& rows);
    void valueTextReady(const seam::gui::ValueText& text);
    void graphReady(const seam::gui::GraphInfo& graph);
    void breakpointsChanged(const QVector<seam::gui::BreakpointInfo>& breakpoints);
    void commandOutput(const QString& text, bool error);
    /// The target runs (true) or stopped (false): the UI greys its run controls meanwhile.
    void running(bool on);
    void failed(const QString& message);

private:
    bool ready(const char* what);
    void started(std::unique_ptr<lldb::Session> session);
    /// Emits the stop's snapshot; `lldb_ms` is how long LLDB's step or run before it took.
    void publish(double lldb_ms = 0);
    FrameView frameView(int frame);
    void publishBreakpoints();
    template <typename Step> void step(Step&& how);
    void loadPlugin();

    std::unique_ptr<lldb::Session> m_session;
    QString m_core; ///< the core's path; "" for a live process
    bool m_first_stop = true;
    bool m_full_stack = false;
    VariableStore m_store;
    FrameGraph m_graph; ///< of the frame view m_generation names
    uint64_t m_generation = 0;
    QHash<int, QString> m_frame_names;      ///< readable names of the last stack, by LLDB frame
    QHash<int, QString> m_breakpoint_names; ///< the functions breakpoints were set on, by id
    struct SourceLine {
        QString file;
        int line = 0;
    };
    QHash<int, SourceLine> m_breakpoint_lines; ///< the lines breakpoints were set on, by id
    std::mutex m_process_mutex;                ///< guards m_process for interrupt()
    ::lldb::SBProcess m_process;
};

} // namespace seam::gui
