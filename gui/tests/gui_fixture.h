#pragma once
/// What seam-gui's tests share: the fixtures they run, a fresh window whose models are all under
/// QAbstractItemModelTester, and waits on the window's signals. Each test class (one per view
/// or concern, one ctest each: gui/tests/CMakeLists.txt) derives from GuiFixture.
#include <QAbstractItemModelTester>
#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "gui/app/main_window.h"

namespace seam::gui::test {

inline const QString k_fixtures = QStringLiteral(SEAM_GUI_FIXTURE_DIR);
inline const QString k_crash = k_fixtures + "/crash_abort-O0";
inline const QString k_own = k_fixtures + "/own-O0";
inline const QString k_vecs = k_fixtures + "/vecs-O0";
inline const QString k_own_source = QStringLiteral(SEAM_GUI_SOURCE_DIR "/tests/fixtures/own.rs");

// The markers `seam bt` prints for a panic in a Rust callback that C called from Rust.
inline const QString k_c_to_rust = QStringLiteral(
    "── C -> Rust: crash_c_call_back calls extern \"C\" crash_abort::crash_kinds::callback ──");
inline const QString k_rust_to_c = QStringLiteral(
    "── Rust -> C: wrapper crash_abort::crash_kinds::run calls crash_c_call_back ──");

/// The stack's boundary marker rows, in order.
QStringList markers(const StackModel& m);
/// The 1-based line of the first line of `file` holding `text`; 0 if none.
int line_of(const QString& file, const QString& text);
/// A JSON value as text: a string's own text, anything else dumped.
QString js(const nlohmann::json& j);
/// `lldb-server gdbserver` on a free loopback port running `exe args`: the port, or 0.
int start_gdbserver(QProcess& server, const QString& dir, const QString& exe,
                    const QStringList& args);

class GuiFixture : public QObject {
    Q_OBJECT
protected:
    QTemporaryDir m_dir;

    /// A fresh window with every model under a tester (fatal on any violation). The tester
    /// fetches every page of every expandable value after each change (its checkChildren calls
    /// fetchMore), so the test of paging itself leaves the variables' tester out.
    MainWindow& window(bool test_variables = true);
    /// Drops the window and its testers (each test's cleanup()).
    void closeWindow();
    bool waitSnapshot(MainWindow& w, int timeout = 120'000);
    /// `exe args` launched and stopped at its probe, with the probe's caller (frame #1, the
    /// fixture's case) shown.
    bool stopAtProbe(MainWindow& w, const QString& exe, const QStringList& args = {});
    /// The value's first page has come (not only its `loading…` row).
    static bool loaded(MainWindow& w, const QModelIndex& value);
    /// The row of the top-level variable `name`; -1 if none.
    int variableRow(MainWindow& w, const QString& name);

protected slots:
    // QtTest runs these for every test class (a class may declare its own initTestCase).
    void initTestCase();
    void cleanup() { closeWindow(); }

private:
    std::unique_ptr<MainWindow> m_window;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> m_testers;
};

} // namespace seam::gui::test

namespace seam::gui::test {
// The test classes (gui_tests_main.cpp runs the one its first argument names).
QObject* make_core_views_test();
QObject* make_live_control_test();
QObject* make_values_test();
QObject* make_graph_test();
} // namespace seam::gui::test
