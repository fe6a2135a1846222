// seam-gui's models and window on the offscreen platform, over real fixture cores (made here
// with gdb's gcore at the crash) and real processes: every model under
// QAbstractItemModelTester, the stack's boundary markers, the variables' summaries and
// ownership badges, breakpoints and steps, and the --state-json / --screenshot command line.
#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QElapsedTimer>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>

#include <sys/stat.h>

#include <csignal>
#include <fstream>
#include <memory>

#include <nlohmann/json.hpp>

#include "gui/app/main_window.h"
#include "gui/app/source_view.h"
#include "tests/e2e/expectations.h"
#include "tests/e2e/report_cores.h"

using namespace seam::gui;

namespace {

const QString k_fixtures = QStringLiteral(SEAM_GUI_FIXTURE_DIR);
const QString k_crash = k_fixtures + "/crash_abort-O0";
const QString k_own = k_fixtures + "/own-O0";
const QString k_vecs = k_fixtures + "/vecs-O0";

// The markers `seam bt` prints for a panic in a Rust callback that C called from Rust.
const QString k_c_to_rust = QStringLiteral(
    "── C -> Rust: crash_c_call_back calls extern \"C\" crash_abort::crash_kinds::callback ──");
const QString k_rust_to_c = QStringLiteral(
    "── Rust -> C: wrapper crash_abort::crash_kinds::run calls crash_c_call_back ──");

QStringList markers(const StackModel& m) {
    QStringList out;
    for (const StackRow& r : m.rows())
        if (r.kind == StackRow::Kind::Marker) out << r.text;
    return out;
}

// The 1-based line of the first line of `file` holding `text`.
int line_of(const QString& file, const QString& text) {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) return 0;
    QStringList lines = QString::fromUtf8(f.readAll()).split('\n');
    for (int i = 0; i < lines.size(); ++i)
        if (lines[i].contains(text)) return i + 1;
    return 0;
}

QString js(const nlohmann::json& j) {
    return QString::fromStdString(j.is_string() ? j.get<std::string>() : j.dump());
}

// `lldb-server gdbserver` on a free loopback port running `exe args`: the port, or 0.
int start_gdbserver(QProcess& server, const QString& dir, const QString& exe,
                    const QStringList& args) {
    QString fifo = dir + "/port-" + QString::number(qint64(QDateTime::currentMSecsSinceEpoch()));
    if (::mkfifo(fifo.toLocal8Bit().constData(), 0600) != 0) return 0;
    server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    server.start(QStringLiteral(SEAM_GUI_LLDB_SERVER),
                 QStringList{"gdbserver", "--named-pipe", fifo, "127.0.0.1:0", "--", exe} + args);
    if (!server.waitForStarted()) return 0;
    // lldb-server writes the port it listens on, once it listens, and closes the pipe.
    QFile pipe(fifo);
    if (!pipe.open(QIODevice::ReadOnly)) return 0;
    return QString::fromLatin1(pipe.readAll()).trimmed().remove(QChar('\0')).toInt();
}

const QString k_own_source = QStringLiteral(SEAM_GUI_SOURCE_DIR "/tests/fixtures/own.rs");

} // namespace

class GuiTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_callback_core;
    QString m_refcell_core;
    std::unique_ptr<MainWindow> m_window;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> m_testers;

    // A fresh window with every model under a tester (fatal on any violation). The tester
    // fetches every page of every expandable value after each change (its checkChildren calls
    // fetchMore), so the test of paging itself leaves the variables' tester out.
    MainWindow& window(bool test_variables = true) {
        m_testers.clear();
        m_window = std::make_unique<MainWindow>();
        auto mode = QAbstractItemModelTester::FailureReportingMode::QtTest;
        std::vector<QAbstractItemModel*> models{&m_window->threads(), &m_window->stack(),
                                                &m_window->breakpoints()};
        if (test_variables) models.push_back(&m_window->variables());
        for (QAbstractItemModel* m : models)
            m_testers.push_back(std::make_unique<QAbstractItemModelTester>(m, mode));
        m_window->show();
        return *m_window;
    }

    bool waitSnapshot(MainWindow& w, int timeout = 120'000) {
        QSignalSpy spy(&w, &MainWindow::snapshotShown);
        bool ok = spy.wait(timeout);
        qInfo("snapshot: %s", qPrintable(w.snapshot().process_state));
        return ok;
    }

    // own.rs's rc_cycle case stopped at its probe, with the case's frame (#1) shown.
    bool stopInRcCycle(MainWindow& w) {
        w.launch(k_own, {"rc_cycle"}, {"seam_probe"});
        if (!waitSnapshot(w)) return false;
        QSignalSpy frames(&w, &MainWindow::frameShown);
        w.selectFrame(1);
        return frames.wait(30'000);
    }

    // The value's first page has come (not only its `loading…` row).
    static bool loaded(MainWindow& w, const QModelIndex& value) {
        return !w.variables().loading(value) && w.variables().rowCount(value) > 0;
    }

    int variableRow(MainWindow& w, const QString& name) {
        for (int i = 0; i < w.variables().rowCount(); ++i)
            if (w.variables().rowAt(w.variables().index(i, 0))->name == name) return i;
        return -1;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY2(QFile::exists(k_crash) && QFile::exists(k_own), "fixtures not built");
        m_callback_core = m_dir.filePath("callback.core");
        m_refcell_core = m_dir.filePath("refcell.core");
        auto a = seam::e2e::gcore_at_crash(k_crash.toStdString(), {"callback_panic"},
                                           m_callback_core.toStdString());
        QVERIFY2(a.ok(), a.ok() ? "" : a.error().message.c_str());
        auto b = seam::e2e::gcore_at_crash(k_crash.toStdString(), {"refcell"},
                                           m_refcell_core.toStdString());
        QVERIFY2(b.ok(), b.ok() ? "" : b.error().message.c_str());
    }

    void cleanup() {
        m_testers.clear();
        m_window.reset();
    }

    // The stack of a core shows both boundary markers, frames carry their language, runtime
    // frames are folded, and the crash view opens on the innermost user frame.
    void coreStackShowsBoundaries() {
        MainWindow& w = window();
        w.openCore(k_crash, m_callback_core);
        QVERIFY(waitSnapshot(w));
        QCOMPARE(w.snapshot().process_state, QStringLiteral("core file"));
        // The runtime's abort after the panic, then the user's two crossings. Who calls abort
        // differs between toolchains: `std::sys::pal::unix::abort_internal` today, the
        // panic_abort crate's `__rust_start_panic::abort` in 1.63.
        QStringList marks = markers(w.stack());
        QCOMPARE(marks.size(), 3);
        QVERIFY2((marks[0].startsWith("── Rust -> C: std::") ||
                  marks[0].startsWith("── Rust -> C: panic_abort::")) &&
                     marks[0].endsWith(" calls abort ──"),
                 qPrintable(marks[0]));
        QCOMPARE(marks.mid(1), (QStringList{k_c_to_rust, k_rust_to_c}));
        bool folded = false;
        for (const StackRow& r : w.stack().rows()) folded |= r.kind == StackRow::Kind::Fold;
        QVERIFY(folded);
        int row = w.stack().rowOfFrame(w.frame().frame);
        QVERIFY(row >= 0);
        QCOMPARE(w.stack().rows()[row].name, QStringLiteral("crash_abort::crash_kinds::callback"));
        QCOMPARE(w.stack().rows()[row].language, QStringLiteral("Rust"));
        int c_row = -1;
        for (int i = 0; i < w.stack().rows().size(); ++i)
            if (w.stack().rows()[i].name == "crash_c_call_back") c_row = i;
        QVERIFY(c_row >= 0);
        QCOMPARE(w.stack().rows()[c_row].language, QStringLiteral("C"));
        QCOMPARE(w.stack()
                     .data(w.stack().index(c_row, StackModel::Language), Qt::DisplayRole)
                     .toString(),
                 QStringLiteral("C"));
        const CrashInfo& c = w.snapshot().crash;
        QVERIFY(c.present);
        // panic=abort: the panic aborts where it is raised, inside the callback.
        QCOMPARE(c.kind, QStringLiteral("rust-panic"));
        QCOMPARE(c.panic_message, QStringLiteral("callback got 5"));
        QVERIFY(c.text.contains(k_c_to_rust));
        QCOMPARE(w.frame().source.line,
                 line_of(QStringLiteral(SEAM_GUI_SOURCE_DIR "/tests/fixtures/crash_kinds.rs"),
                         "MARK:callback_panic"));
        // libc's frame has line tables (libc6-dbg) but no source here: its disassembly, with
        // the current instruction marked.
        QSignalSpy frames(&w, &MainWindow::frameShown);
        w.selectFrame(0);
        QVERIFY(frames.wait(30'000));
        QCOMPARE(w.frame().frame, 0);
        QCOMPARE(w.frame().name, QStringLiteral("__pthread_kill_implementation"));
        QVERIFY(w.frame().source.path.isEmpty());
        QVERIFY(w.frame().source.line > 0);
        QString current = w.frame().source.text.section('\n', w.frame().source.line - 1,
                                                        w.frame().source.line - 1);
        QVERIFY2(current.startsWith("0x"), qPrintable(current));
        QCOMPARE(w.stack().rowOfFrame(0), 0);
        // The callback's parameter, as `seam print` shows it (the frame's index depends on how
        // many frames the toolchain's panic runtime takes).
        w.selectFrame(w.stack().rows()[row].frame);
        QVERIFY(frames.wait(30'000));
        int arg = variableRow(w, "arg");
        QVERIFY(arg >= 0);
        QCOMPARE(w.variables().rowAt(w.variables().index(arg, 0))->summary, QStringLiteral("5"));
        QCOMPARE(w.variables().rowAt(w.variables().index(arg, 0))->type, QStringLiteral("i32"));
    }

    // Variables with the engine's summaries and ownership badges; children fetched lazily.
    void coreVariablesBadges() {
        MainWindow& w = window();
        w.openCore(k_crash, m_refcell_core);
        QVERIFY(waitSnapshot(w));
        QCOMPARE(w.frame().name, QStringLiteral("crash_abort::crash_kinds::refcell_twice"));
        QStringList rows;
        for (int i = 0; i < w.variables().rowCount(); ++i) {
            const VariableRow* r = w.variables().rowAt(w.variables().index(i, 0));
            rows << QStringLiteral("%1 | %2 | %3 | %4").arg(r->name, r->type, r->summary, r->badge);
        }
        QCOMPARE(
            rows.join('\n'),
            QStringLiteral("c | &RefCell<Vec<u32>> | RefCell { value: <borrowed> } | borrowed\n"
                           "first | RefMut<Vec<u32>> | [1, 2] | borrowed mut"));
        // Nothing is read for children until the value is expanded.
        int c = variableRow(w, "c");
        QModelIndex ci = w.variables().index(c, 0);
        QVERIFY(w.variables().hasChildren(ci));
        w.variableView()->expand(ci);
        // The page arrives from the worker (the model tester may have asked for it already).
        QTRY_VERIFY_WITH_TIMEOUT(loaded(w, ci), 30'000);
        QStringList child_rows;
        std::function<void(const QModelIndex&, int)> walk = [&](const QModelIndex& p, int depth) {
            for (int i = 0; i < w.variables().rowCount(p); ++i) {
                QModelIndex ix = w.variables().index(i, 0, p);
                const VariableRow* r = w.variables().rowAt(ix);
                child_rows << QStringLiteral("%1%2 | %3 | %4")
                                  .arg(QString(depth * 2, ' '), r->name, r->summary, r->badge);
            }
        };
        walk(ci, 1);
        QCOMPARE(child_rows.join(QChar('\n')),
                 QStringLiteral("  * | writing [1, 2] | cell writing"));
    }

    // A live process: run to a breakpoint, step over, into and out, continue to the end, and
    // the window survives the exit (the console still answers).
    void liveBreakpointAndStep() {
        MainWindow& w = window();
        w.launch(k_own, {"rc_weak"}, {"own::rc_weak"});
        QVERIFY(waitSnapshot(w));
        QCOMPARE(w.snapshot().process_state, QStringLiteral("stopped"));
        QVERIFY(w.snapshot().live);
        QCOMPARE(w.frame().name, QStringLiteral("own::rc_weak"));
        QCOMPARE(w.breakpoints().rowCount(), 1);
        QCOMPARE(w.breakpoints().breakpoints()[0].function, QStringLiteral("own::rc_weak"));
        QCOMPARE(w.breakpoints().breakpoints()[0].hits, 1);
        QCOMPARE(w.frame().source.path, QFileInfo(k_own_source).canonicalFilePath());
        int a_line = line_of(k_own_source, "fn rc_weak()") + 1;
        QCOMPARE(w.frame().source.line, a_line);
        QElapsedTimer clock;
        clock.start();
        w.stepOver();
        QVERIFY(waitSnapshot(w));
        qInfo("step over to the refreshed views: %lld ms", clock.elapsed());
        QCOMPARE(w.frame().source.line, a_line + 1);
        QCOMPARE(w.variables().rowAt(w.variables().index(variableRow(w, "a"), 0))->badge,
                 QStringLiteral("shared 1/0"));
        w.stepInto();
        QVERIFY(waitSnapshot(w));
        QCOMPARE(w.frame().name, QStringLiteral("own::node"));
        w.stepOut();
        QVERIFY(waitSnapshot(w));
        QCOMPARE(w.frame().name, QStringLiteral("own::rc_weak"));
        // The console's command, then the views as they are after it.
        w.runCommand("seam bt");
        QVERIFY(waitSnapshot(w));
        QVERIFY2(w.consoleText().contains("own::rc_weak"), qPrintable(w.consoleText()));
        w.resume();
        QVERIFY(waitSnapshot(w));
        QCOMPARE(w.snapshot().process_state, QStringLiteral("exited with status 0"));
        QVERIFY(!w.snapshot().live);
        QCOMPARE(w.stack().rowCount(), 0);
        QCOMPARE(w.variables().rowCount(), 0);
        w.stepOver(); // refused, not a crash
        QSignalSpy failed(&w, &MainWindow::failed);
        QVERIFY(failed.wait(10'000));
    }

    // A click in the source gutter sets a line breakpoint: the panel lists it, the gutter marks
    // it, the process stops there; a second click removes it. Run to cursor stops on the
    // cursor's line and leaves no breakpoint behind.
    void gutterBreakpointAndRunToCursor() {
        MainWindow& w = window();
        w.launch(k_own, {"rc_weak"}, {"own::rc_weak"});
        QVERIFY(waitSnapshot(w));
        const QString path = QFileInfo(k_own_source).canonicalFilePath();
        QCOMPARE(w.frame().source.path, path);
        const int record_a = line_of(k_own_source, "record(\"a\", &a);");
        const int record_b = line_of(k_own_source, "record(\"b\", &b);");
        QVERIFY(record_a > w.frame().source.line && record_b > record_a);
        SourceView* src = w.sourceView();
        QRect at = src->gutterRect(record_a);
        QVERIFY2(!at.isEmpty(), "the line is not in view");
        QSignalSpy bps(&w.breakpoints(), &QAbstractItemModel::modelReset);
        QTest::mouseClick(src->gutter(), Qt::LeftButton, {}, at.center());
        QTRY_COMPARE_WITH_TIMEOUT(w.breakpoints().rowCount(), 2, 30'000);
        const BreakpointInfo& bp = w.breakpoints().breakpoints()[1];
        QCOMPARE(bp.file, path);
        QCOMPARE(bp.line, record_a);
        QCOMPARE(bp.locations, 1);
        QCOMPARE(w.breakpoints()
                     .data(w.breakpoints().index(1, BreakpointModel::Function), Qt::DisplayRole)
                     .toString(),
                 QStringLiteral("own.rs:%1").arg(record_a));
        QCOMPARE(src->breakpointLines(), QSet<int>{record_a});
        w.resume();
        QVERIFY(waitSnapshot(w));
        QCOMPARE(w.frame().name, QStringLiteral("own::rc_weak"));
        QCOMPARE(w.frame().source.line, record_a);
        QCOMPARE(w.snapshot().threads[0].stop_reason.left(10), QStringLiteral("breakpoint"));
        QCOMPARE(w.breakpoints().breakpoints()[1].hits, 1);
        // The same click again: gone from the panel and the gutter.
        at = src->gutterRect(record_a);
        QVERIFY(!at.isEmpty());
        QTest::mouseClick(src->gutter(), Qt::LeftButton, {}, at.center());
        QTRY_COMPARE_WITH_TIMEOUT(w.breakpoints().rowCount(), 1, 30'000);
        QCOMPARE(src->breakpointLines(), QSet<int>{});
        // Run to cursor: the cursor on `record("b", &b)`.
        src->moveCursorToLine(record_b);
        w.runToCursor();
        QVERIFY(waitSnapshot(w));
        QCOMPARE(w.frame().name, QStringLiteral("own::rc_weak"));
        QCOMPARE(w.frame().source.line, record_b);
        QCOMPARE(w.breakpoints().rowCount(), 1);
        // On to the end: no line breakpoint is left to stop at.
        w.resume();
        QVERIFY(waitSnapshot(w));
        QCOMPARE(w.snapshot().process_state, QStringLiteral("exited with status 0"));
    }

    // A gdb-remote target (lldb-server gdbserver running the fixture, as QEMU's stub runs a
    // kernel): connected from the window, on to a breakpoint, the mixed stack read; then the
    // same from the command line with --gdb-remote. The target is detached, not killed.
    void gdbRemoteTarget() {
        QProcess server;
        int port = start_gdbserver(server, m_dir.path(), k_own, {"rc_weak"});
        QVERIFY(port > 0);
        {
            MainWindow& w = window();
            w.connectRemote(QStringLiteral("127.0.0.1:%1").arg(port), k_own, {"own::rc_weak"});
            QVERIFY(waitSnapshot(w));
            QCOMPARE(w.snapshot().process_state, QStringLiteral("stopped"));
            QVERIFY(w.snapshot().live);
            QCOMPARE(w.frame().name, QStringLiteral("own::rc_weak"));
            QCOMPARE(w.frame().source.path, QFileInfo(k_own_source).canonicalFilePath());
            QCOMPARE(w.frame().source.line, line_of(k_own_source, "fn rc_weak()") + 1);
            QStringList frames;
            for (const StackRow& r : w.stack().rows())
                if (r.kind == StackRow::Kind::Frame && r.language == "Rust") frames << r.name;
            QCOMPARE(frames.mid(0, 2), (QStringList{"own::rc_weak", "own::main"}));
            QCOMPARE(w.breakpoints().breakpoints()[0].hits, 1);
            // Stepping works over the stub as over a local process.
            w.stepOver();
            QVERIFY(waitSnapshot(w));
            QCOMPARE(w.frame().source.line, line_of(k_own_source, "fn rc_weak()") + 2);
            QCOMPARE(w.variables().rowAt(w.variables().index(variableRow(w, "a"), 0))->badge,
                     QStringLiteral("shared 1/0"));
            cleanup(); // detached: the fixture runs to its end, and the server with it
        }
        QVERIFY(server.waitForFinished(30'000));

        QProcess server2;
        port = start_gdbserver(server2, m_dir.path(), k_own, {"rc_weak"});
        QVERIFY(port > 0);
        QString json = m_dir.filePath("remote-state.json");
        QProcess p;
        p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        p.start(QStringLiteral(SEAM_GUI_EXE),
                {"--gdb-remote", QStringLiteral("127.0.0.1:%1").arg(port), "--exe", k_own,
                 "--break", "own::rc_weak", "--state-json", json});
        QVERIFY(p.waitForFinished(120'000));
        QCOMPARE(p.exitCode(), 0);
        std::ifstream in(json.toStdString());
        nlohmann::json j = nlohmann::json::parse(in);
        QCOMPARE(js(j["process"]), QString("stopped"));
        QCOMPARE(js(j["stack"][0]["function"]), QString("own::rc_weak"));
        QCOMPARE(js(j["stack"][0]["language"]), QString("Rust"));
        QCOMPARE(js(j["selected_frame"]["function"]), QString("own::rc_weak"));
        QVERIFY(server2.waitForFinished(30'000));
    }

    // A value's Debug text on demand is byte for byte what the program printed with {:?} and
    // {:#?} (the probe's records), for every recorded local of the vecs fixture; [raw] shows
    // the fields as memory holds them.
    void valueDebugTextAndRaw() {
        QString expect = m_dir.filePath("vecs.expect");
        qputenv("SEAM_EXPECT", expect.toLocal8Bit());
        MainWindow& w = window(false);
        w.launch(k_vecs, {}, {"seam_probe"});
        QVERIFY(waitSnapshot(w));
        qunsetenv("SEAM_EXPECT");
        QSignalSpy frames(&w, &MainWindow::frameShown);
        w.selectFrame(1);
        QVERIFY(frames.wait(30'000));
        QCOMPARE(w.frame().name, QStringLiteral("vecs::vecs"));
        auto records = seam::e2e::read_expectations(expect.toStdString());
        QVERIFY2(records.ok(), records.ok() ? "" : records.error().message.c_str());
        auto text_of = [&](int row, ValueTextKind kind) {
            QSignalSpy shown(&w, &MainWindow::valueTextShown);
            w.showValueText(w.variables().index(row, 0), kind);
            if (!shown.wait(30'000)) return QStringLiteral("<no answer>");
            return w.valueText().text;
        };
        int compared = 0;
        for (const seam::e2e::Record& r : records->records) {
            int row = variableRow(w, QString::fromStdString(r.name));
            if (row < 0 || !r.limitation.empty()) continue;
            QCOMPARE(text_of(row, ValueTextKind::Debug), QString::fromStdString(r.debug));
            QCOMPARE(text_of(row, ValueTextKind::PrettyDebug), QString::fromStdString(r.pretty));
            ++compared;
        }
        qInfo("Debug texts compared with the program's own: %d values", compared);
        QVERIFY(compared >= 25);
        QString raw = text_of(variableRow(w, "v_u8"), ValueTextKind::Raw);
        QVERIFY2(raw.startsWith("(Vec<u8>) v_u8 = "), qPrintable(raw));
        QVERIFY2(raw.contains(QRegularExpression("\\n +\\(usize\\) len = 5\\n")), qPrintable(raw));
        QVERIFY2(raw.contains(QRegularExpression("\\n +\\(RawVec<u8>\\) buf = RawVec \\{")),
                 qPrintable(raw));
        QVERIFY2(raw.contains(QRegularExpression("\\n +\\(\\*const u8\\) pointer = 0x[0-9a-f]+ ")),
                 qPrintable(raw));
    }

    // What the user expanded stays expanded across a step, down to the nested value.
    void expansionSurvivesStep() {
        MainWindow& w = window();
        w.launch(k_own, {"rc_weak"}, {"own::rc_weak"});
        QVERIFY(waitSnapshot(w));
        w.stepOver();
        QVERIFY(waitSnapshot(w));
        w.stepOver();
        QVERIFY(waitSnapshot(w));
        QModelIndex a = w.variables().index(variableRow(w, "a"), 0);
        w.variableView()->expand(a);
        QTRY_VERIFY_WITH_TIMEOUT(loaded(w, a), 30'000);
        QModelIndex star = w.variables().index(0, 0, a);
        QCOMPARE(w.variables().rowAt(star)->name, QStringLiteral("*"));
        w.variableView()->expand(star);
        QTRY_VERIFY_WITH_TIMEOUT(loaded(w, star), 30'000);
        w.stepOver();
        QVERIFY(waitSnapshot(w));
        a = w.variables().index(variableRow(w, "a"), 0);
        QTRY_VERIFY_WITH_TIMEOUT(loaded(w, a), 30'000);
        QVERIFY(w.variableView()->isExpanded(a));
        star = w.variables().index(0, 0, a);
        QTRY_VERIFY_WITH_TIMEOUT(loaded(w, star), 30'000);
        QVERIFY(w.variableView()->isExpanded(star));
        QStringList fields;
        for (int i = 0; i < w.variables().rowCount(star); ++i)
            fields << w.variables().rowAt(w.variables().index(i, 0, star))->name;
        QCOMPARE(fields, (QStringList{"name", "next", "prev"}));
    }

    // The ownership graph of a frame holding an Rc cycle: drawn, and the cycle found.
    void graphShowsPlantedCycle() {
        MainWindow& w = window();
        QVERIFY(stopInRcCycle(w));
        QCOMPARE(w.frame().name, QStringLiteral("own::rc_cycle"));
        QSignalSpy drawn(&w, &MainWindow::graphShown);
        QElapsedTimer clock;
        clock.start();
        w.buildGraph();
        QVERIFY(drawn.wait(60'000));
        qInfo("ownership graph of the frame, laid out and drawn: %lld ms", clock.elapsed());
        const GraphInfo& g = w.graph();
        QVERIFY2(g.error.isEmpty(), qPrintable(g.error));
        QVERIFY(g.svg.startsWith("<?xml") || g.svg.contains("<svg"));
        QCOMPARE(g.findings.size(), 1);
        // The allocations' addresses (and std's name for them) vary; the rest is exact.
        QVERIFY2(
            g.findings[0].startsWith("cycle: Rc cycle of strong references among 2 allocations: "),
            qPrintable(g.findings[0]));
        QVERIFY2(g.findings[0].endsWith(
                     "held from outside the cycle by frame #1 own::rc_cycle: a (Rc strong 2), "
                     "frame #1 own::rc_cycle: b (Rc strong 2): it leaks when those are dropped"),
                 qPrintable(g.findings[0]));
        // The frame, the two RcInner<Node> and their names' String buffers; a, b, the two
        // `next` and the two `name` edges.
        QCOMPARE(g.nodes, 5);
        QCOMPARE(g.edges, 6);
        QSvgRenderer svg(g.svg);
        QVERIFY(svg.isValid());
    }

    // With the graph drawn, selecting a value draws only the chains that keep it alive; a click
    // on a node selects, in the variables view, the variable it is reached through.
    void graphFocusAndClick() {
        MainWindow& w = window();
        QVERIFY(stopInRcCycle(w));
        QSignalSpy drawn(&w, &MainWindow::graphShown);
        w.buildGraph();
        QVERIFY(drawn.wait(60'000));
        QVERIFY(w.graph().focus.isEmpty());
        QVERIFY(!w.graph().svg.contains("stroke=\"blue\""));
        w.variableView()->setCurrentIndex(w.variables().index(variableRow(w, "a"), 0));
        QVERIFY(drawn.wait(60'000));
        const GraphInfo& g = w.graph();
        QCOMPARE(g.focus, QStringLiteral("a"));
        for (const QString& c : g.chains) qInfo("chain: %s", qPrintable(c));
        // The shortest chain from the frame: a itself.
        QCOMPARE(g.chains.size(), 1);
        QVERIFY2(
            g.chains[0].startsWith("frame #1 own::rc_cycle: a (Rc strong 2) → RcInner<Node> at 0x"),
            qPrintable(g.chains[0]));
        // In blue, every edge that keeps a's RcInner alive: a, b, and both `next`s of the cycle;
        // greyed, the two names' String buffers.
        QCOMPARE(g.svg.count("<path fill=\"none\" stroke=\"blue\""), 4);
        QCOMPARE(g.svg.count("<path fill=\"none\" stroke=\"#cccccc\""), 2);
        // The value's node filled, the frame and b's RcInner outlined in blue.
        QCOMPARE(g.svg.count("<polygon fill=\"lightyellow\" stroke=\"blue\""), 1);
        QCOMPARE(g.svg.count("<polygon fill=\"none\" stroke=\"blue\""), 2);
        // Click b's allocation in the graph: b is selected, and drawn for.
        QString b_node;
        for (auto it = g.node_variables.begin(); it != g.node_variables.end(); ++it)
            if (it.value() == "b" && b_node.isEmpty()) b_node = it.key();
        QVERIFY(!b_node.isEmpty());
        QRect at = w.graphNodeRect(b_node);
        QVERIFY(!at.isEmpty());
        QCOMPARE(w.graphNodeAt(at.center()), b_node);
        QTest::mouseClick(w.graphWidget(), Qt::LeftButton, {}, at.center());
        QCOMPARE(w.variables().rowAt(w.variableView()->currentIndex())->name, QStringLiteral("b"));
        QVERIFY(drawn.wait(60'000));
        QCOMPARE(w.graph().focus, QStringLiteral("b"));
        QVERIFY2(w.graph().chains[0].startsWith("frame #1 own::rc_cycle: b (Rc strong 2) → "),
                 qPrintable(w.graph().chains[0]));
    }

    // A target that runs on: continue, interrupt from the UI thread while the worker is inside
    // LLDB, then kill it; the window shows each state and refuses what no longer applies.
    void liveInterruptAndKill() {
        MainWindow& w = window();
        w.launch("/bin/sleep", {"30"}, {"clock_nanosleep"});
        QVERIFY(waitSnapshot(w));
        QCOMPARE(w.snapshot().process_state, QStringLiteral("stopped"));
        QSignalSpy stops(&w, &MainWindow::snapshotShown);
        w.resume();
        QVERIFY(!stops.wait(500)); // sleeping: no stop, and the UI thread is free meanwhile
        QElapsedTimer clock;
        clock.start();
        w.interrupt();
        QVERIFY(stops.wait(30'000));
        qInfo("interrupt to the stopped views: %lld ms", clock.elapsed());
        QCOMPARE(w.snapshot().process_state, QStringLiteral("stopped"));
        QVERIFY2(w.snapshot().threads[0].stop_reason.contains("SIGSTOP"),
                 qPrintable(w.snapshot().threads[0].stop_reason));
        bool in_libc = false;
        for (const StackRow& r : w.stack().rows()) in_libc |= r.owner == "libc.so.6";
        QVERIFY(in_libc);
        w.kill();
        QVERIFY(waitSnapshot(w));
        QCOMPARE(w.snapshot().process_state, QStringLiteral("killed by SIGKILL"));
        QCOMPARE(w.threads().rowCount(), 0);
        QSignalSpy failed(&w, &MainWindow::failed);
        w.resume();
        QVERIFY(failed.wait(10'000));
    }

    // `process kill` typed in the console: the views show the exit, as the toolbar's Kill does.
    void consoleKill() {
        MainWindow& w = window();
        w.launch("/bin/sleep", {"30"}, {"clock_nanosleep"});
        QVERIFY(waitSnapshot(w));
        w.runCommand("process kill");
        QVERIFY(waitSnapshot(w));
        QCOMPARE(w.snapshot().process_state, QStringLiteral("killed by SIGKILL"));
        QCOMPARE(w.threads().rowCount(), 0);
    }

    // Killed by someone else while it runs: the blocked continue returns, the views say so.
    void liveKilledFromOutside() {
        MainWindow& w = window();
        w.launch("/bin/sleep", {"30"}, {"clock_nanosleep"});
        QVERIFY(waitSnapshot(w));
        qint64 pid = qint64(w.snapshot().pid);
        QVERIFY(pid > 0);
        w.resume();
        QTest::qWait(300);
        QVERIFY(::kill(pid_t(pid), SIGKILL) == 0);
        QVERIFY(waitSnapshot(w));
        // LLDB gives a signal's death as its number, with no description: SIGKILL's number is
        // named, as likely.
        QCOMPARE(w.snapshot().process_state,
                 QStringLiteral("exited with status 9 (killed by SIGKILL?)"));
        QVERIFY(!w.snapshot().live);
        QCOMPARE(w.stack().rowCount(), 0);
    }

    // Killed mid-step from the toolbar: the step in progress (out of a 30 s sleep) is cut short,
    // the views say which signal ended the process, and the window refuses what no longer
    // applies. Then killed mid-step from outside: the same, with the signal named as likely.
    void killedMidStep() {
        MainWindow& w = window();
        w.launch("/bin/sleep", {"30"}, {"clock_nanosleep"});
        QVERIFY(waitSnapshot(w));
        QSignalSpy stops(&w, &MainWindow::snapshotShown);
        QElapsedTimer clock;
        clock.start();
        w.stepOut(); // returns when the sleep is over: 30 s
        QVERIFY(!stops.wait(500));
        w.kill();
        QTRY_COMPARE_WITH_TIMEOUT(w.snapshot().process_state, QStringLiteral("killed by SIGKILL"),
                                  30'000);
        qInfo("killed mid-step: %lld ms from the step", clock.elapsed());
        QVERIFY(clock.elapsed() < 20'000);
        QVERIFY(!w.snapshot().live);
        QCOMPARE(w.threads().rowCount(), 0);
        QCOMPARE(w.stack().rowCount(), 0);
        QCOMPARE(w.variables().rowCount(), 0);
        QSignalSpy failed(&w, &MainWindow::failed);
        w.stepOver();
        QVERIFY(failed.wait(10'000));
        QCOMPARE(failed[0][0].toString(),
                 QStringLiteral("cannot step: the process is killed by SIGKILL"));

        w.launch("/bin/sleep", {"30"}, {"clock_nanosleep"});
        QVERIFY(waitSnapshot(w));
        qint64 pid = qint64(w.snapshot().pid);
        QVERIFY(pid > 0);
        clock.restart();
        w.stepOut();
        QVERIFY(!stops.wait(500));
        QVERIFY(::kill(pid_t(pid), SIGKILL) == 0);
        QVERIFY(waitSnapshot(w));
        QVERIFY(clock.elapsed() < 20'000);
        QCOMPARE(w.snapshot().process_state,
                 QStringLiteral("exited with status 9 (killed by SIGKILL?)"));
        QCOMPARE(w.threads().rowCount(), 0);
        // The window lives on: a new session in it runs.
        w.launch(k_own, {"rc_weak"}, {"own::rc_weak"});
        QVERIFY(waitSnapshot(w));
        QCOMPARE(w.frame().name, QStringLiteral("own::rc_weak"));
    }

    // Attach to a running process: it stops, shows its stack, and lives on after the window.
    void attachToPid() {
        QProcess sleeper;
        sleeper.start("/bin/sleep", {"60"});
        QVERIFY(sleeper.waitForStarted());
        {
            MainWindow& w = window();
            w.attach(uint64_t(sleeper.processId()), QString());
            QVERIFY(waitSnapshot(w));
            QCOMPARE(w.snapshot().process_state, QStringLiteral("stopped"));
            QCOMPARE(w.snapshot().pid, uint64_t(sleeper.processId()));
            QCOMPARE(w.threads().rowCount(), 1);
            bool in_libc = false;
            for (const StackRow& r : w.stack().rows()) in_libc |= r.owner == "libc.so.6";
            QVERIFY(in_libc);
            cleanup(); // the window ends the session: detached, not killed
        }
        QTest::qWait(200);
        QCOMPARE(sleeper.state(), QProcess::Running);
        // Detached and running again (sleeping), not left stopped or traced.
        QFile stat(QStringLiteral("/proc/%1/stat").arg(sleeper.processId()));
        QVERIFY(stat.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromLatin1(stat.readAll()).section(')', 1).trimmed().left(1),
                 QStringLiteral("S"));
        sleeper.kill();
        sleeper.waitForFinished();
    }

    // A 5000-element Vec: expanding it reads the first page only; the next comes on demand.
    void childrenArePaged() {
        MainWindow& w = window(false);
        w.launch(k_vecs, {}, {"seam_probe"});
        QVERIFY(waitSnapshot(w));
        QSignalSpy frames(&w, &MainWindow::frameShown);
        w.selectFrame(1);
        QVERIFY(frames.wait(30'000));
        QCOMPARE(w.frame().name, QStringLiteral("vecs::vecs"));
        int row = variableRow(w, "v_big");
        QVERIFY(row >= 0);
        QModelIndex big = w.variables().index(row, 0);
        const VariableRow* r = w.variables().rowAt(big);
        QCOMPARE(r->children, uint64_t(5000));
        QCOMPARE(r->badge, QStringLiteral("owned"));
        QVERIFY2(r->summary.startsWith("len=5000 cap=5000 [0, 1, 2, "), qPrintable(r->summary));
        QElapsedTimer clock;
        clock.start();
        w.variableView()->expand(big);
        QTRY_COMPARE_WITH_TIMEOUT(w.variables().rowCount(big), int(VariableModel::k_page), 30'000);
        qInfo("first page of a 5000-element Vec: %lld ms after the expand", clock.elapsed());
        QTest::qWait(100);
        QCOMPARE(w.variables().rowCount(big), int(VariableModel::k_page)); // no more unasked
        const VariableRow* last = w.variables().rowAt(w.variables().index(99, 0, big));
        QCOMPARE(last->name, QStringLiteral("[99]"));
        QCOMPARE(last->summary, QStringLiteral("99"));
        // Scrolled to the end of the first page: the second comes, and no other.
        w.variableView()->scrollTo(w.variables().index(99, 0, big));
        QTRY_COMPARE_WITH_TIMEOUT(w.variables().rowCount(big), 2 * int(VariableModel::k_page),
                                  30'000);
        const VariableRow* next = w.variables().rowAt(w.variables().index(150, 0, big));
        QCOMPARE(next->name, QStringLiteral("[150]"));
        QCOMPARE(next->summary, QStringLiteral("150"));
        QTest::qWait(100);
        QCOMPARE(w.variables().rowCount(big), 2 * int(VariableModel::k_page));
    }

    // A 10-million-element Vec: expanding it shows a `loading…` row at once and its first page
    // soon after; scrolling on while the worker is busy rendering the same Vec's whole Debug
    // text shows the next page's loading row, and the page comes when the worker gets to it.
    // The UI thread keeps ticking all along.
    void hugeVecNeverBlocksTheUi() {
        MainWindow& w = window(false);
        w.launch(k_vecs, {"huge"}, {"seam_probe"});
        QVERIFY(waitSnapshot(w));
        QSignalSpy frames(&w, &MainWindow::frameShown);
        w.selectFrame(1);
        QVERIFY(frames.wait(30'000));
        QCOMPARE(w.frame().name, QStringLiteral("vecs::huge"));
        QModelIndex huge = w.variables().index(variableRow(w, "v_huge"), 0);
        const VariableRow* r = w.variables().rowAt(huge);
        QCOMPARE(r->children, uint64_t(10'000'000));
        QCOMPARE(r->badge, QStringLiteral("owned"));
        QVERIFY2(r->summary.startsWith("len=10000000 cap=10000000 [0, 1, 2, "),
                 qPrintable(r->summary));
        // A heartbeat on the UI thread: the longest gap between two 5 ms ticks.
        QElapsedTimer beat;
        qint64 worst = 0;
        QTimer tick;
        tick.setInterval(5);
        connect(&tick, &QTimer::timeout, this, [&] { worst = std::max(worst, beat.restart()); });
        beat.start();
        tick.start();
        auto loading_row = [&](int row) {
            QModelIndex i = w.variables().index(row, VariableModel::Summary, huge);
            return w.variables().data(i, VariableModel::LoadingRole).toBool() &&
                   w.variables().data(i, Qt::DisplayRole).toString() == "loading…";
        };
        QElapsedTimer clock;
        clock.start();
        w.variableView()->expand(huge);
        // At once (the next turn of the event loop): the loading row, then the first page.
        QVERIFY(w.variables().loading(huge));
        QCoreApplication::processEvents();
        QVERIFY(w.variables().rowCount(huge) == 1 ? loading_row(0) : loaded(w, huge));
        QTRY_VERIFY_WITH_TIMEOUT(loaded(w, huge), 60'000);
        qint64 first_page = clock.elapsed();
        QCOMPARE(w.variables().rowCount(huge), int(VariableModel::k_page));
        for (int i : {0, 1, 57, 99}) {
            const VariableRow* c = w.variables().rowAt(w.variables().index(i, 0, huge));
            QCOMPARE(c->name, QStringLiteral("[%1]").arg(i));
            QCOMPARE(c->summary, QString::number(i));
        }
        // The worker's next job is long (the whole Debug text); the next page waits behind it
        // with its loading row shown.
        // The loading row, seen as it is inserted (the answer may follow it quickly).
        bool saw_loading_row = false;
        auto watch = connect(&w.variables(), &QAbstractItemModel::rowsInserted, this,
                             [&](const QModelIndex& parent, int first, int last) {
                                 if (parent == huge && first == last && first == 100)
                                     saw_loading_row |= loading_row(first);
                             });
        QSignalSpy text(&w, &MainWindow::valueTextShown);
        clock.restart();
        w.showValueText(huge, ValueTextKind::Debug);
        w.variableView()->scrollTo(w.variables().index(99, 0, huge));
        QVERIFY(text.count() > 0 || text.wait(60'000));
        qint64 debug_text = clock.elapsed();
        // `seam print --debug`'s budget: 100000 elements, then the marker of the rest.
        QVERIFY(w.valueText().text.startsWith("[0, 1, 2, 3, "));
        QVERIFY2(w.valueText().text.endsWith(", 99999, <... 9900000 more>]"),
                 qPrintable(w.valueText().text.right(60)));
        QTRY_COMPARE_WITH_TIMEOUT(w.variables().rowCount(huge), 2 * int(VariableModel::k_page),
                                  30'000);
        disconnect(watch);
        QVERIFY(saw_loading_row);
        QVERIFY(!w.variables().loading(huge));
        QCOMPARE(w.variables().rowAt(w.variables().index(150, 0, huge))->summary,
                 QStringLiteral("150"));
        QTest::qWait(100);
        QCOMPARE(w.variables().rowCount(huge), 2 * int(VariableModel::k_page)); // none unasked
        tick.stop();
        qInfo("10M-element Vec: first page %lld ms after the expand; whole Debug text %lld ms; "
              "longest UI-thread gap %lld ms",
              first_page, debug_text, worst);
        QVERIFY2(worst < 250, qPrintable(QString::number(worst)));
    }

    // `seam-gui --exe --core --state-json --screenshot`: the window's content as JSON and PNG.
    void stateJsonAndScreenshotOfCore() {
        QString json = m_dir.filePath("core-state.json");
        QString png = m_dir.filePath("core.png");
        QProcess p;
        p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QElapsedTimer clock;
        clock.start();
        p.start(QStringLiteral(SEAM_GUI_EXE), {"--exe", k_crash, "--core", m_callback_core,
                                               "--state-json", json, "--screenshot", png});
        QVERIFY(p.waitForFinished(120'000));
        QCOMPARE(p.exitCode(), 0);
        qInfo("seam-gui --core --state-json --screenshot: %lld ms", clock.elapsed());
        std::ifstream in(json.toStdString());
        nlohmann::json j = nlohmann::json::parse(in);
        QCOMPARE(js(j["schema"]), QString("seam.gui-state/1"));
        QCOMPARE(js(j["process"]), QString("core file"));
        QCOMPARE(js(j["crash"]["kind"]), QString("rust-panic"));
        QCOMPARE(js(j["crash"]["panic_message"]), QString("callback got 5"));
        QCOMPARE(js(j["selected_frame"]["function"]),
                 QString("crash_abort::crash_kinds::callback"));
        QCOMPARE(js(j["selected_frame"]["variables"][0]["name"]), QString("arg"));
        QCOMPARE(js(j["selected_frame"]["variables"][0]["summary"]), QString("5"));
        QStringList marks;
        for (const auto& row : j["stack"])
            if (row["kind"] == "marker") marks << js(row["text"]);
        QCOMPARE(marks.mid(1), (QStringList{k_c_to_rust, k_rust_to_c}));
        for (const auto& row : j["stack"])
            if (row["kind"] == "frame" && row["function"] == "crash_c_call_back")
                QCOMPARE(js(row["language"]), QStringLiteral("C"));
        QCOMPARE(int(j["threads"].size()), 1);
        QCOMPARE(js(j["threads"][0]["selected"]), QStringLiteral("true"));
        QImage shot(png);
        QVERIFY(!shot.isNull());
        QCOMPARE(shot.size(), QSize(1400, 900));
    }

    // The same on a live process stopped at a breakpoint.
    void stateJsonOfLiveBreak() {
        QString json = m_dir.filePath("live-state.json");
        QProcess p;
        p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        p.start(QStringLiteral(SEAM_GUI_EXE), {"--exe", k_own, "--args", "rc_weak", "--break",
                                               "own::rc_weak", "--state-json", json});
        QVERIFY(p.waitForFinished(120'000));
        QCOMPARE(p.exitCode(), 0);
        std::ifstream in(json.toStdString());
        nlohmann::json j = nlohmann::json::parse(in);
        QCOMPARE(js(j["process"]), QString("stopped"));
        QCOMPARE(js(j["crash"]), QStringLiteral("null"));
        QCOMPARE(js(j["selected_frame"]["function"]), QString("own::rc_weak"));
        QCOMPARE(js(j["selected_frame"]["source"]["line"]),
                 QString::number(line_of(k_own_source, "fn rc_weak()") + 1));
        QCOMPARE(js(j["stack"][0]["function"]), QString("own::rc_weak"));
        QCOMPARE(js(j["stack"][0]["language"]), QString("Rust"));
        QCOMPARE(js(j["breakpoints"][0]["function"]), QString("own::rc_weak"));
    }

    // --frame and --graph: the caller's frame and its ownership graph in the JSON.
    void stateJsonOfFrameGraph() {
        QString json = m_dir.filePath("graph-state.json");
        QProcess p;
        p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        p.start(QStringLiteral(SEAM_GUI_EXE),
                {"--exe", k_own, "--args", "rc_cycle", "--break", "seam_probe", "--frame", "1",
                 "--graph", "--state-json", json});
        QVERIFY(p.waitForFinished(120'000));
        QCOMPARE(p.exitCode(), 0);
        std::ifstream in(json.toStdString());
        nlohmann::json j = nlohmann::json::parse(in);
        QCOMPARE(js(j["selected_frame"]["function"]), QString("own::rc_cycle"));
        QCOMPARE(js(j["selected_frame"]["variables"][0]["name"]), QString("a"));
        QCOMPARE(js(j["selected_frame"]["variables"][0]["type"]), QString("Rc<Node>"));
        QCOMPARE(js(j["selected_frame"]["variables"][0]["ownership"]), QString("shared 2/0"));
        QCOMPARE(js(j["graph"]["nodes"]), QString("5"));
        QCOMPARE(js(j["graph"]["edges"]), QString("6"));
        QCOMPARE(int(j["graph"]["findings"].size()), 1);
        QVERIFY(js(j["graph"]["findings"][0]).startsWith("cycle: Rc cycle of strong references"));
    }
};

QTEST_MAIN(GuiTest)
#include "gui_test.moc"
