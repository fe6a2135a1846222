#pragma once
/// The main window: views wired to the models, the models fed by the worker's signals, the
/// user's actions sent to the worker as queued calls. Nothing here talks to LLDB.
#include <QMainWindow>
#include <QSet>
#include <QThread>

#include "gui/model/breakpoint_model.h"
#include "gui/model/debug_data.h"
#include "gui/model/stack_model.h"
#include "gui/model/thread_model.h"
#include "gui/model/variable_model.h"

class QAction;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSvgWidget;
class QTabWidget;
class QTableView;
class QTreeView;

namespace seam::gui {

class DebugWorker;
class SourceView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow();
    ~MainWindow() override;

    void openCore(const QString& exe, const QString& core);
    void launch(const QString& exe, const QStringList& args, const QStringList& breakpoints);
    void attach(uint64_t pid, const QString& exe);
    /// Connects to a gdb-remote target at `host_port`; `exe` (may be "") gives its symbols.
    void connectRemote(const QString& host_port, const QString& exe,
                       const QStringList& breakpoints = {});
    ThreadModel& threads() { return m_threads; }
    StackModel& stack() { return m_stack; }
    VariableModel& variables() { return m_variables; }
    BreakpointModel& breakpoints() { return m_breakpoints; }
    const StopSnapshot& snapshot() const { return m_snapshot; }
    const FrameView& frame() const { return m_snapshot.frame; }
    QString consoleText() const;
    /// Runs a console line as if typed.
    void runCommand(const QString& line);
    /// The toolbar's actions, as the user clicks them.
    void resume();
    void stepOver();
    void stepInto();
    void stepOut();
    void interrupt();
    void kill();
    void addBreakpoint(const QString& function);
    /// Continues to the line the source view's cursor is on.
    void runToCursor();
    void selectFrame(int frame);
    SourceView* sourceView() const { return m_source; }
    QTreeView* variableView() const { return m_variable_view; }
    /// Asks for the Debug text or `[raw]` view of the value at `index` (the variables view's
    /// context menu); shown in the Value tab, valueTextShown when it is.
    void showValueText(const QModelIndex& index, ValueTextKind kind);
    const ValueText& valueText() const { return m_value_text; }
    /// Builds the ownership graph of the selected frame (graphShown when it is drawn).
    void buildGraph();
    const GraphInfo& graph() const { return m_graph_info; }
    /// The drawn graph: where node `id` (`n3`) is in the widget's coordinates, and which node is
    /// at a point ("" for none). A click on a node selects its variable in the variables view.
    QWidget* graphWidget() const;
    QRect graphNodeRect(const QString& id) const;
    QString graphNodeAt(const QPoint& at) const;

signals:
    /// A stop's snapshot (or a frame's view) is shown.
    void snapshotShown();
    void frameShown();
    void failed(const QString& message);
    /// The worker answered a page of children.
    void childrenShown();
    void consoleChanged();
    void graphShown();
    void valueTextShown();

private:
    /// Sends `call(worker)` to the worker's thread; returns at once.
    template <typename F> void toWorker(F&& call);
    void buildViews();
    void buildActions();
    void showSnapshot(const StopSnapshot& s);
    void showFrame(const FrameView& f);
    void showSource(const SourceInfo& s);
    void markBreakpoints();
    bool eventFilter(QObject* watched, QEvent* event) override;
    void focusGraph(const QModelIndex& value);
    QString valuePath(const QModelIndex& index) const;
    void showGraph(const GraphInfo& g);
    void setRunning(bool on);
    void appendConsole(const QString& text, bool error);
    QString expansionKey(const QModelIndex& index) const;
    void reexpand(const QModelIndex& parent, int first, int last);

    QThread m_thread;
    DebugWorker* m_worker = nullptr; ///< lives on m_thread
    ThreadModel m_threads;
    StackModel m_stack;
    VariableModel m_variables;
    BreakpointModel m_breakpoints;
    StopSnapshot m_snapshot;
    /// Values the user expanded, by frame and path of names (`own::rc_weak/a/*`): kept apart
    /// from the values, so that a step or a return to the frame shows them expanded again.
    QSet<QString> m_expanded;

    QTableView* m_thread_view = nullptr;
    QTableView* m_stack_view = nullptr;
    QTreeView* m_variable_view = nullptr;
    SourceView* m_source = nullptr;
    QLabel* m_source_title = nullptr;
    QPlainTextEdit* m_crash = nullptr;
    QPlainTextEdit* m_console = nullptr;
    QLineEdit* m_console_input = nullptr;
    QTableView* m_breakpoint_view = nullptr;
    QLineEdit* m_breakpoint_input = nullptr;
    QLabel* m_state = nullptr;
    QSvgWidget* m_graph = nullptr;
    QTabWidget* m_graph_tabs = nullptr;
    QPlainTextEdit* m_findings = nullptr;
    GraphInfo m_graph_info;
    QPlainTextEdit* m_value_view = nullptr;
    QLabel* m_value_title = nullptr;
    ValueText m_value_text;
    QList<QAction*> m_run_actions; ///< enabled only while a live process is stopped
    QAction* m_interrupt = nullptr;
    QAction* m_kill = nullptr;
    bool m_running = false; ///< the worker is inside a continue or a step
};

} // namespace seam::gui
