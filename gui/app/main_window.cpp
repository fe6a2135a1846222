#include "gui/app/main_window.h"

#include <QAction>
#include <QClipboard>
#include <QDockWidget>
#include <QFileDialog>
#include <QGuiApplication>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMouseEvent>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QSvgRenderer>
#include <QSvgWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTextBlock>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

#include "gui/app/source_view.h"
#include "gui/debugger/debug_worker.h"

namespace seam::gui {

namespace {

QWidget* titled(const QString& title, QWidget* body, QLabel** label = nullptr) {
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(2, 2, 2, 2);
    auto* l = new QLabel(QStringLiteral("<b>%1</b>").arg(title));
    layout->addWidget(l);
    layout->addWidget(body);
    if (label) *label = l;
    return box;
}

QPlainTextEdit* text_view() {
    auto* t = new QPlainTextEdit;
    t->setReadOnly(true);
    t->setLineWrapMode(QPlainTextEdit::NoWrap);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::TypeWriter);
    t->setFont(mono);
    return t;
}

} // namespace

template <typename F> void MainWindow::toWorker(F&& call) {
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, call = std::forward<F>(call)]() mutable { call(*w); },
        Qt::QueuedConnection);
}

MainWindow::MainWindow() {
    qRegisterMetaType<StopSnapshot>();
    qRegisterMetaType<FrameView>();
    qRegisterMetaType<GraphInfo>();
    qRegisterMetaType<ValueText>();
    qRegisterMetaType<QVector<VariableRow>>();
    qRegisterMetaType<QVector<BreakpointInfo>>();
    qRegisterMetaType<uint64_t>("uint64_t");
    m_worker = new DebugWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.setObjectName(QStringLiteral("seam-debugger"));
    m_thread.start();

    connect(m_worker, &DebugWorker::snapshotReady, this, &MainWindow::showSnapshot);
    connect(m_worker, &DebugWorker::frameReady, this, &MainWindow::showFrame);
    connect(m_worker, &DebugWorker::childrenReady, this,
            [this](uint64_t gen, uint64_t id, uint64_t next, const QVector<VariableRow>& rows) {
                m_variables.addChildren(gen, id, next, rows);
                emit childrenShown();
            });
    connect(m_worker, &DebugWorker::graphReady, this, &MainWindow::showGraph);
    connect(m_worker, &DebugWorker::valueTextReady, this, [this](const ValueText& t) {
        if (t.generation != m_variables.generation()) return; // of an earlier stop
        m_value_text = t;
        // A text editor lays a long line out on the UI thread, ~1 s for the 100000 elements of
        // a huge Vec's Debug: show the start, and offer the whole text on the clipboard.
        constexpr qsizetype k_shown = 16 * 1024;
        m_value_view->setPlainText(
            t.text.size() <= k_shown
                ? t.text
                : t.text.left(k_shown) +
                      QStringLiteral("\n<… %1 more characters: Copy takes the whole text>")
                          .arg(t.text.size() - k_shown));
        m_graph_tabs->setCurrentIndex(m_graph_tabs->count() - 1);
        emit valueTextShown();
    });
    connect(m_worker, &DebugWorker::breakpointsChanged, &m_breakpoints,
            &BreakpointModel::setBreakpoints);
    connect(m_worker, &DebugWorker::commandOutput, this, &MainWindow::appendConsole);
    connect(m_worker, &DebugWorker::running, this, &MainWindow::setRunning);
    connect(m_worker, &DebugWorker::failed, this, [this](const QString& m) {
        appendConsole(m, true);
        statusBar()->showMessage(m, 10'000);
        emit failed(m);
    });
    connect(&m_variables, &VariableModel::childrenWanted, this,
            [this](uint64_t gen, uint64_t id, uint64_t start, uint64_t count) {
                toWorker([=](DebugWorker& w) { w.fetchChildren(gen, id, start, count); });
            });
    buildViews();
    buildActions();
    setWindowTitle(QStringLiteral("seam-gui"));
    resize(1400, 900);
}

MainWindow::~MainWindow() {
    // A process still running keeps the worker in LLDB: stop it, then end the session on the
    // worker's own thread before that thread ends.
    m_worker->interrupt();
    toWorker([](DebugWorker& w) { w.shutdown(); });
    m_thread.quit();
    m_thread.wait();
}

void MainWindow::buildViews() {
    m_thread_view = new QTableView;
    m_thread_view->setModel(&m_threads);
    m_thread_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_thread_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_thread_view->verticalHeader()->hide();
    m_thread_view->horizontalHeader()->setStretchLastSection(true);
    connect(m_thread_view, &QTableView::activated, this, [this](const QModelIndex& i) {
        if (!i.isValid()) return;
        uint32_t index = m_threads.data(i, ThreadModel::ThreadIndexRole).toUInt();
        toWorker([index](DebugWorker& w) { w.selectThread(index); });
    });

    m_stack_view = new QTableView;
    m_stack_view->setModel(&m_stack);
    m_stack_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_stack_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_stack_view->verticalHeader()->hide();
    m_stack_view->setShowGrid(false);
    m_stack_view->horizontalHeader()->setStretchLastSection(true);
    connect(m_stack_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& i) {
                if (!i.isValid()) return;
                int frame = m_stack.data(i, StackModel::FrameRole).toInt();
                if (frame >= 0 && frame != m_snapshot.frame.frame) selectFrame(frame);
            });

    m_variable_view = new QTreeView;
    m_variable_view->setModel(&m_variables);
    m_variable_view->setUniformRowHeights(true);
    m_variable_view->header()->resizeSection(VariableModel::Name, 130);
    m_variable_view->header()->resizeSection(VariableModel::Summary, 190);
    m_variable_view->header()->resizeSection(VariableModel::Badge, 90);

    // On demand: a value's Debug text as the program prints it, and its fields as they lie in
    // memory ([raw]).
    m_variable_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_variable_view, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
        QModelIndex i = m_variable_view->indexAt(at);
        const VariableRow* r = i.isValid() ? m_variables.rowAt(i) : nullptr;
        if (!r || !r->id) return;
        QMenu menu;
        menu.addAction(QStringLiteral("Debug {:?}"), this,
                       [this, i] { showValueText(i, ValueTextKind::Debug); });
        menu.addAction(QStringLiteral("Debug {:#?}"), this,
                       [this, i] { showValueText(i, ValueTextKind::PrettyDebug); });
        menu.addAction(QStringLiteral("[raw]"), this,
                       [this, i] { showValueText(i, ValueTextKind::Raw); });
        menu.exec(m_variable_view->viewport()->mapToGlobal(at));
    });
    // With a graph drawn, the value selected is drawn with only the chains that keep it alive.
    connect(m_variable_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& i) { focusGraph(i); });
    connect(m_variable_view, &QTreeView::expanded, this,
            [this](const QModelIndex& i) { m_expanded.insert(expansionKey(i)); });
    connect(m_variable_view, &QTreeView::collapsed, this,
            [this](const QModelIndex& i) { m_expanded.remove(expansionKey(i)); });
    // After the insertion is over, not inside it: expanding asks for a page, and the model
    // inserts its `loading…` row, which must not nest in the insertion being announced.
    connect(&m_variables, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex& parent, int first, int last) {
                QMetaObject::invokeMethod(
                    this,
                    [this, p = QPersistentModelIndex(parent), first, last,
                     gen = m_variables.generation()] {
                        if (gen == m_variables.generation() && p.isValid())
                            reexpand(p, first, last);
                    },
                    Qt::QueuedConnection);
            });
    connect(&m_variables, &QAbstractItemModel::modelReset, this, [this] {
        QMetaObject::invokeMethod(
            this,
            [this, gen = m_variables.generation()] {
                if (gen == m_variables.generation()) reexpand({}, 0, m_variables.rowCount() - 1);
            },
            Qt::QueuedConnection);
    });

    m_source = new SourceView;
    // A breakpoint on a line of a source file (disassembly has no lines to break on).
    connect(m_source, &SourceView::gutterClicked, this, [this](int line) {
        QString file = m_snapshot.frame.source.path;
        if (file.isEmpty()) return;
        toWorker([file, line](DebugWorker& w) { w.toggleLineBreakpoint(file, line); });
    });
    connect(&m_breakpoints, &QAbstractItemModel::modelReset, this, &MainWindow::markBreakpoints);
    m_crash = text_view();
    m_crash->setMaximumHeight(260);
    m_console = text_view();
    m_console_input = new QLineEdit;
    m_console_input->setPlaceholderText(
        QStringLiteral("lldb or seam command (seam bt, seam print x, frame variable)"));
    connect(m_console_input, &QLineEdit::returnPressed, this, [this] {
        runCommand(m_console_input->text());
        m_console_input->clear();
    });
    auto* console = new QWidget;
    auto* cl = new QVBoxLayout(console);
    cl->setContentsMargins(0, 0, 0, 0);
    cl->addWidget(m_console);
    cl->addWidget(m_console_input);

    m_breakpoint_view = new QTableView;
    m_breakpoint_view->setModel(&m_breakpoints);
    m_breakpoint_view->verticalHeader()->hide();
    m_breakpoint_view->horizontalHeader()->setStretchLastSection(true);
    m_breakpoint_input = new QLineEdit;
    m_breakpoint_input->setPlaceholderText(QStringLiteral("break at function…"));
    connect(m_breakpoint_input, &QLineEdit::returnPressed, this, [this] {
        QString f = m_breakpoint_input->text().trimmed();
        m_breakpoint_input->clear();
        if (!f.isEmpty()) toWorker([f](DebugWorker& w) { w.addBreakpoint(f); });
    });
    auto* bps = new QWidget;
    auto* bl = new QVBoxLayout(bps);
    bl->setContentsMargins(0, 0, 0, 0);
    bl->addWidget(m_breakpoint_view);
    bl->addWidget(m_breakpoint_input);

    auto* left = new QSplitter(Qt::Vertical);
    left->addWidget(titled(QStringLiteral("Threads"), m_thread_view));
    left->addWidget(titled(QStringLiteral("Stack"), m_stack_view));
    left->setStretchFactor(1, 3);
    // The ownership graph: drawn on demand (it may walk a large heap), for the selected frame.
    m_graph = new QSvgWidget;
    m_graph->installEventFilter(this);
    m_graph->setCursor(Qt::PointingHandCursor);
    m_findings = text_view();
    m_findings->setMaximumHeight(120);
    auto* draw = new QPushButton(QStringLiteral("Draw the ownership graph of this frame"));
    connect(draw, &QPushButton::clicked, this, &MainWindow::buildGraph);
    auto* graph = new QWidget;
    auto* gl = new QVBoxLayout(graph);
    gl->setContentsMargins(0, 0, 0, 0);
    gl->addWidget(draw);
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_graph);
    scroll->setWidgetResizable(false);
    gl->addWidget(scroll, 1);
    gl->addWidget(m_findings);
    auto* tabs = new QTabWidget;
    tabs->addTab(titled(QStringLiteral("Source"), m_source, &m_source_title),
                 QStringLiteral("Source"));
    tabs->addTab(graph, QStringLiteral("Ownership graph"));
    m_value_view = text_view();
    auto* copy = new QPushButton(QStringLiteral("Copy"));
    connect(copy, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_value_text.text); });
    auto* value = new QWidget;
    auto* vl = new QVBoxLayout(value);
    vl->setContentsMargins(0, 0, 0, 0);
    vl->addWidget(m_value_view, 1);
    vl->addWidget(copy, 0, Qt::AlignRight);
    tabs->addTab(titled(QStringLiteral("Value"), value, &m_value_title), QStringLiteral("Value"));
    m_graph_tabs = tabs;
    auto* middle = new QSplitter(Qt::Vertical);
    middle->addWidget(titled(QStringLiteral("Crash"), m_crash));
    middle->addWidget(tabs);
    middle->setStretchFactor(1, 3);
    auto* top = new QSplitter(Qt::Horizontal);
    top->addWidget(left);
    top->addWidget(middle);
    top->addWidget(titled(QStringLiteral("Variables"), m_variable_view));
    top->setSizes({520, 440, 440});
    auto* bottom = new QSplitter(Qt::Horizontal);
    bottom->addWidget(titled(QStringLiteral("Console"), console));
    bottom->addWidget(titled(QStringLiteral("Breakpoints"), bps));
    bottom->setSizes({1000, 400});
    auto* all = new QSplitter(Qt::Vertical);
    all->addWidget(top);
    all->addWidget(bottom);
    all->setSizes({680, 220});
    setCentralWidget(all);
    m_crash->parentWidget()->hide();
    m_state = new QLabel;
    statusBar()->addPermanentWidget(m_state);
}

void MainWindow::buildActions() {
    QToolBar* bar = addToolBar(QStringLiteral("Run"));
    // A gdb-remote stub: QEMU's (`-s`: localhost:1234), lldb-server's or gdbserver's.
    QAction* connect_remote = bar->addAction(QStringLiteral("Connect…"));
    connect_remote->setToolTip(QStringLiteral("connect to a gdb-remote target (host:port)"));
    connect(connect_remote, &QAction::triggered, this, [this] {
        bool ok = false;
        QString target =
            QInputDialog::getText(this, QStringLiteral("Connect to a gdb-remote target"),
                                  QStringLiteral("host:port (QEMU -s: localhost:1234)"),
                                  QLineEdit::Normal, QStringLiteral("localhost:1234"), &ok);
        if (!ok || target.trimmed().isEmpty()) return;
        QString exe = QFileDialog::getOpenFileName(
            this, QStringLiteral("The program it runs, for its symbols (cancel: none)"));
        connectRemote(target.trimmed(), exe);
    });
    bar->addSeparator();
    auto add = [&](const QString& text, const QKeySequence& key, void (MainWindow::*slot)()) {
        QAction* a = bar->addAction(text);
        a->setShortcut(key);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    m_run_actions << add(QStringLiteral("Continue"), Qt::Key_F5, &MainWindow::resume)
                  << add(QStringLiteral("Step over"), Qt::Key_F10, &MainWindow::stepOver)
                  << add(QStringLiteral("Step into"), Qt::Key_F11, &MainWindow::stepInto)
                  << add(QStringLiteral("Step out"), Qt::SHIFT | Qt::Key_F11, &MainWindow::stepOut);
    m_run_actions << add(QStringLiteral("Run to cursor"), Qt::CTRL | Qt::Key_F10,
                         &MainWindow::runToCursor);
    // Not a run action: a target running or stepping can be killed too.
    m_kill = add(QStringLiteral("Kill"), QKeySequence(), &MainWindow::kill);
    m_kill->setEnabled(false);
    // Called directly: the worker is inside LLDB while the target runs.
    m_interrupt = add(QStringLiteral("Interrupt"), QKeySequence(), &MainWindow::interrupt);
    m_interrupt->setEnabled(false);
    bar->addSeparator();
    QAction* full = bar->addAction(QStringLiteral("Runtime frames"));
    full->setCheckable(true);
    connect(full, &QAction::toggled, this,
            [this](bool on) { toWorker([on](DebugWorker& w) { w.setFullStack(on); }); });
    for (QAction* a : m_run_actions) a->setEnabled(false);
}

QString MainWindow::expansionKey(const QModelIndex& index) const {
    QStringList path;
    for (QModelIndex i = index; i.isValid(); i = i.parent())
        path.prepend(m_variables.rowAt(i)->name);
    return m_snapshot.frame.name + '/' + path.join('/');
}

void MainWindow::reexpand(const QModelIndex& parent, int first, int last) {
    for (int row = first; row <= last; ++row) {
        QModelIndex i = m_variables.index(row, 0, parent);
        // Expanding asks for the first page; its rows come back here in turn.
        if (m_expanded.contains(expansionKey(i))) m_variable_view->expand(i);
    }
}

void MainWindow::openCore(const QString& exe, const QString& core) {
    setWindowTitle(QStringLiteral("seam-gui — %1 (core %2)").arg(exe, core));
    toWorker([exe, core](DebugWorker& w) { w.openCore(exe, core); });
}

void MainWindow::launch(const QString& exe, const QStringList& args,
                        const QStringList& breakpoints) {
    setWindowTitle(QStringLiteral("seam-gui — %1").arg(exe));
    toWorker([=](DebugWorker& w) { w.launch(exe, args, breakpoints); });
}

void MainWindow::attach(uint64_t pid, const QString& exe) {
    setWindowTitle(QStringLiteral("seam-gui — pid %1").arg(pid));
    toWorker([=](DebugWorker& w) { w.attach(pid, exe); });
}

void MainWindow::connectRemote(const QString& host_port, const QString& exe,
                               const QStringList& breakpoints) {
    setWindowTitle(QStringLiteral("seam-gui — gdb-remote %1").arg(host_port));
    toWorker([=](DebugWorker& w) { w.connectRemote(host_port, exe, breakpoints); });
}

void MainWindow::runCommand(const QString& line) {
    appendConsole(QStringLiteral("(seam) ") + line, false);
    toWorker([line](DebugWorker& w) { w.runCommand(line); });
}

void MainWindow::resume() {
    toWorker([](DebugWorker& w) { w.resume(); });
}

void MainWindow::stepOver() {
    toWorker([](DebugWorker& w) { w.stepOver(); });
}

void MainWindow::stepInto() {
    toWorker([](DebugWorker& w) { w.stepInto(); });
}

void MainWindow::stepOut() {
    toWorker([](DebugWorker& w) { w.stepOut(); });
}

void MainWindow::interrupt() {
    m_worker->interrupt();
}

void MainWindow::kill() {
    // Mid-step or running, the worker is inside LLDB: stop the target first (as Interrupt
    // does), then the kill queued behind the step runs as soon as it returns.
    if (m_running) m_worker->interrupt();
    toWorker([](DebugWorker& w) { w.kill(); });
}

void MainWindow::addBreakpoint(const QString& function) {
    toWorker([function](DebugWorker& w) { w.addBreakpoint(function); });
}

void MainWindow::runToCursor() {
    QString file = m_snapshot.frame.source.path;
    if (file.isEmpty()) {
        emit failed(QStringLiteral("run to cursor needs a source line"));
        return;
    }
    int line = m_source->cursorLine();
    toWorker([file, line](DebugWorker& w) { w.runToLine(file, line); });
}

void MainWindow::markBreakpoints() {
    m_source->setBreakpointLines(m_breakpoints.linesIn(m_snapshot.frame.source.path));
}

void MainWindow::selectFrame(int frame) {
    toWorker([frame](DebugWorker& w) { w.selectFrame(frame); });
}

QString MainWindow::consoleText() const {
    return m_console->toPlainText();
}

void MainWindow::appendConsole(const QString& text, bool error) {
    QString t = text.endsWith('\n') ? text.chopped(1) : text;
    m_console->appendPlainText(error ? QStringLiteral("error: ") + t : t);
    emit consoleChanged();
}

void MainWindow::setRunning(bool on) {
    m_running = on;
    m_interrupt->setEnabled(on);
    m_kill->setEnabled(on || m_snapshot.live);
    for (QAction* a : m_run_actions) a->setEnabled(!on && m_snapshot.live);
    if (on) m_state->setText(QStringLiteral("running…"));
}

void MainWindow::showSnapshot(const StopSnapshot& s) {
    m_snapshot = s;
    m_state->setText(s.process_state);
    for (QAction* a : m_run_actions) a->setEnabled(s.live);
    m_kill->setEnabled(s.live);
    m_threads.setThreads(s.threads);
    m_stack.setRows(s.stack);
    m_stack_view->clearSpans();
    for (int r = 0; r < s.stack.size(); ++r)
        if (s.stack[r].kind != StackRow::Kind::Frame)
            m_stack_view->setSpan(r, 0, 1, StackModel::ColumnCount);
    m_stack_view->resizeColumnsToContents();
    m_crash->parentWidget()->setVisible(s.crash.present);
    m_crash->setPlainText(s.crash.text);
    showFrame(s.frame);
    emit snapshotShown();
}

void MainWindow::showFrame(const FrameView& f) {
    m_snapshot.frame = f;
    m_variables.setVariables(f.generation, f.variables);
    int row = m_stack.rowOfFrame(f.frame);
    if (row >= 0) {
        QSignalBlocker block(m_stack_view->selectionModel());
        m_stack_view->selectRow(row);
    }
    showSource(f.source);
    m_graph_info = {};
    m_graph->load(QByteArray());
    m_findings->clear();
    emit frameShown();
}

void MainWindow::showValueText(const QModelIndex& index, ValueTextKind kind) {
    const VariableRow* r = m_variables.rowAt(index);
    if (!r || !r->id) return;
    static const char* what[] = {"{:?}", "{:#?}", "[raw]"};
    QStringList path;
    for (QModelIndex i = index; i.isValid(); i = i.parent())
        path.prepend(m_variables.rowAt(i)->name);
    m_value_title->setText(
        QStringLiteral("<b>%1 %2</b>").arg(path.join('.').toHtmlEscaped(), what[int(kind)]));
    m_value_view->setPlainText(QStringLiteral("formatting…"));
    uint64_t gen = m_variables.generation(), id = r->id;
    toWorker([=](DebugWorker& w) { w.fetchValueText(gen, id, kind); });
}

QString MainWindow::valuePath(const QModelIndex& index) const {
    QStringList path;
    for (QModelIndex i = index; i.isValid(); i = i.parent())
        path.prepend(m_variables.rowAt(i)->name);
    return path.join('.');
}

void MainWindow::focusGraph(const QModelIndex& value) {
    const VariableRow* r = value.isValid() ? m_variables.rowAt(value) : nullptr;
    bool drawn = m_graph_info.generation == m_variables.generation() && m_graph_info.nodes > 0;
    if (!r || !r->id || !drawn) return;
    m_findings->setPlainText(QStringLiteral("drawing what keeps %1 alive…").arg(valuePath(value)));
    uint64_t gen = m_variables.generation(), id = r->id;
    QString name = valuePath(value);
    toWorker([=](DebugWorker& w) { w.focusGraph(gen, id, name); });
}

QWidget* MainWindow::graphWidget() const {
    return m_graph;
}

QRect MainWindow::graphNodeRect(const QString& id) const {
    QSvgRenderer* svg = m_graph->renderer();
    if (!svg->isValid() || !svg->elementExists(id)) return {};
    // The element's box in the SVG's user space, scaled to the widget as the renderer draws it.
    QRectF box = svg->transformForElement(id).mapRect(svg->boundsOnElement(id));
    QRectF view = svg->viewBoxF();
    if (view.isEmpty()) return {};
    double sx = m_graph->width() / view.width(), sy = m_graph->height() / view.height();
    return QRectF((box.x() - view.x()) * sx, (box.y() - view.y()) * sy, box.width() * sx,
                  box.height() * sy)
        .toRect();
}

QString MainWindow::graphNodeAt(const QPoint& at) const {
    for (auto it = m_graph_info.node_variables.begin(); it != m_graph_info.node_variables.end();
         ++it)
        if (graphNodeRect(it.key()).contains(at)) return it.key();
    // Nodes reached through no variable (the frame itself) select nothing.
    return {};
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_graph && event->type() == QEvent::MouseButtonPress) {
        QString node = graphNodeAt(static_cast<QMouseEvent*>(event)->position().toPoint());
        QString name = m_graph_info.node_variables.value(node);
        for (int row = 0; !name.isEmpty() && row < m_variables.rowCount(); ++row) {
            QModelIndex i = m_variables.index(row, 0);
            if (m_variables.rowAt(i)->name != name) continue;
            m_variable_view->setCurrentIndex(i);
            m_variable_view->scrollTo(i);
            return true;
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::buildGraph() {
    m_findings->setPlainText(QStringLiteral("building the graph…"));
    toWorker([](DebugWorker& w) { w.buildGraph(); });
}

void MainWindow::showGraph(const GraphInfo& g) {
    // A graph of an earlier frame or stop is not this frame's.
    if (g.generation != m_snapshot.frame.generation) return;
    m_graph_info = g;
    m_graph->load(g.svg);
    m_graph->resize(m_graph->renderer()->defaultSize());
    QString text = QStringLiteral("%1 nodes, %2 edges\n").arg(g.nodes).arg(g.edges);
    if (!g.error.isEmpty()) text += QStringLiteral("error: ") + g.error + '\n';
    text += g.findings.isEmpty() ? QStringLiteral("no findings") : g.findings.join('\n');
    if (!g.focus.isEmpty())
        text += QStringLiteral("\nwhat keeps %1 alive:\n  ").arg(g.focus) + g.chains.join("\n  ");
    m_findings->setPlainText(text);
    m_graph_tabs->setCurrentIndex(1);
    emit graphShown();
}

void MainWindow::showSource(const SourceInfo& s) {
    m_source_title->setText(
        QStringLiteral("<b>%1</b>")
            .arg(s.path.isEmpty() ? QStringLiteral("Disassembly") : s.path.toHtmlEscaped()));
    m_source->showText(s.text, s.line);
    markBreakpoints();
}

} // namespace seam::gui
