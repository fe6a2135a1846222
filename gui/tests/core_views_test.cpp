// A core file in the window: the mixed stack with its boundary markers, the variables' summaries
// and ownership badges, the crash view, and `--state-json`/`--screenshot` on a core.
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

#include <fstream>

#include "gui/tests/gui_fixture.h"
#include "tests/e2e/core_mutants.h"
#include "tests/e2e/report_cores.h"

using namespace seam::gui;
using namespace seam::gui::test;

class CoreViewsTest : public GuiFixture {
    Q_OBJECT
private:
    QString m_callback_core;
    QString m_refcell_core;

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY2(QFile::exists(k_crash), "fixtures not built");
        m_callback_core = m_dir.filePath("callback.core");
        m_refcell_core = m_dir.filePath("refcell.core");
        auto a = seam::e2e::gcore_at_crash(k_crash.toStdString(), {"callback_panic"},
                                           m_callback_core.toStdString());
        QVERIFY2(a.ok(), a.ok() ? "" : a.error().message.c_str());
        auto b = seam::e2e::gcore_at_crash(k_crash.toStdString(), {"refcell"},
                                           m_refcell_core.toStdString());
        QVERIFY2(b.ok(), b.ok() ? "" : b.error().message.c_str());
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

    // `--state-json` works on any core seam-report can read: the crash kinds of the crash
    // fixture (panics, aborts, faults in C, a double free), and seeded mutants of a core (bit
    // flips in notes, headers, DWARF and unwind tables; truncation). Where seam-report makes a
    // report, seam-gui's crash view says the same (kind, headline, signature); where it gives
    // an error, seam-gui exits with one too. Neither ever hangs or crashes.
    void everyCoreSeamReportReads() {
        QDir dir(m_dir.filePath("any-core"));
        QVERIFY(dir.mkpath("bin") && dir.mkpath("cores"));
        std::string exe = dir.filePath("bin/crash-base").toStdString();
        QVERIFY(QFile::copy(k_crash, QString::fromStdString(exe)));
        std::string cores = dir.filePath("cores").toStdString();
        for (const char* kind : {"panic_literal", "unwrap_none", "index_oob", "process_abort",
                                 "double_panic", "c_segv", "c_abort", "double_free"}) {
            auto made = seam::e2e::gcore_at_crash(exe, {kind}, cores + "/" + kind + ".core");
            QVERIFY2(made.ok(), made.ok() ? "" : made.error().message.c_str());
        }
        seam::e2e::MutationPlan plan;
        plan.seed = 7;
        plan.core_headers = 4, plan.truncations = 2, plan.exe_headers = 0, plan.dwarf = 4,
        plan.unwind = 2;
        auto mutants = seam::e2e::make_mutants({{cores + "/c_segv.core", exe}},
                                               dir.filePath("mutants").toStdString(), plan);
        QVERIFY2(mutants.ok(), mutants.ok() ? "" : mutants.error().message.c_str());

        QProcess report;
        report.start(QStringLiteral(SEAM_GUI_REPORT_EXE),
                     {"--format", "json", "--jobs", "2", "--timeout", "30",
                      QString::fromStdString(cores), dir.filePath("mutants")});
        QVERIFY(report.waitForFinished(600'000));
        nlohmann::json batch =
            nlohmann::json::parse(report.readAllStandardOutput().toStdString(), nullptr, false);
        QVERIFY(!batch.is_discarded());
        QCOMPARE(int(batch["cores"].size()), 8 + int(mutants->size()));
        int reported = 0, refused = 0;
        for (const auto& entry : batch["cores"]) {
            QString core = js(entry["core"]);
            QString json = m_dir.filePath("any-core/state.json");
            QFile::remove(json);
            QString core_exe = entry["status"] == "ok" ? js(entry["report"]["executable"])
                                                       : QString::fromStdString(exe);
            QProcess gui;
            gui.start(QStringLiteral(SEAM_GUI_EXE),
                      {"--exe", core_exe, "--core", core, "--state-json", json});
            QVERIFY2(gui.waitForFinished(120'000), qPrintable(core + ": no answer"));
            QVERIFY2(gui.exitStatus() == QProcess::NormalExit, qPrintable(core + ": crashed"));
            QString err = QString::fromUtf8(gui.readAllStandardError());
            if (entry["status"] != "ok") {
                // seam-report could not read it: seam-gui says so, and writes nothing.
                QVERIFY2(gui.exitCode() != 0,
                         qPrintable(core + ": seam-report: " + js(entry["error"])));
                QVERIFY2(err.contains("seam-gui: "), qPrintable(core + ": " + err));
                ++refused;
                continue;
            }
            QVERIFY2(gui.exitCode() == 0, qPrintable(core + ": " + err));
            std::ifstream in(json.toStdString());
            nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
            QVERIFY2(!j.is_discarded(), qPrintable(core));
            const nlohmann::json& r = entry["report"];
            QCOMPARE(js(j["crash"]["kind"]), js(r["classification"]["kind"]));
            QCOMPARE(js(j["crash"]["headline"]), js(r["classification"]["headline"]));
            QCOMPARE(js(j["crash"]["signature"]), js(r["signature"]["hash"]));
            ++reported;
        }
        qInfo("%d cores reported alike by seam-report and seam-gui, %d refused by both", reported,
              refused);
        QVERIFY(reported >= 8); // every crash kind, and the mutants LLDB still reads
    }
};

namespace seam::gui::test {
QObject* make_core_views_test() {
    return new CoreViewsTest;
}
} // namespace seam::gui::test

#include "core_views_test.moc"
