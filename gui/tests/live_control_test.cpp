// A live process in the window: breakpoints by name and in the gutter, steps, run to cursor,
// gdb-remote and attach, interrupt and kill, and a target that dies under the window.
#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include <csignal>
#include <fstream>

#include "gui/app/source_view.h"
#include "gui/tests/gui_fixture.h"

using namespace seam::gui;
using namespace seam::gui::test;

class LiveControlTest : public GuiFixture {
    Q_OBJECT

private slots:
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
        // LLDB gives a signal's death as its number, with no description; lldb-server's reply
        // (X09, exit_replies.h) says it was the signal.
        QCOMPARE(w.snapshot().process_state, QStringLiteral("killed by SIGKILL"));
        QVERIFY(!w.snapshot().live);
        QCOMPARE(w.stack().rowCount(), 0);
    }

    // exit(9) is no kill, although SBProcess gives it exactly as a death by SIGKILL: lldb-server's
    // reply (W09, not X09) tells them apart. So does it for the exit(15) a shell passes on.
    void exitWithASignalsNumberIsNoKill() {
        MainWindow& w = window();
        for (int status : {9, 15}) {
            w.launch("/bin/sh", {"-c", QStringLiteral("exit %1").arg(status)}, {});
            QVERIFY(waitSnapshot(w));
            QCOMPARE(w.snapshot().process_state,
                     QStringLiteral("exited with status %1").arg(status));
            QVERIFY(!w.snapshot().live);
        }
    }

    // Killed mid-step from the toolbar: the step in progress (out of a 30 s sleep) is cut short,
    // the views say which signal ended the process, and the window refuses what no longer
    // applies. Then killed mid-step from outside: the same, the signal named from lldb-server's
    // reply.
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
        QCOMPARE(w.snapshot().process_state, QStringLiteral("killed by SIGKILL"));
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
};

namespace seam::gui::test {
QObject* make_live_control_test() {
    return new LiveControlTest;
}
} // namespace seam::gui::test

#include "live_control_test.moc"
