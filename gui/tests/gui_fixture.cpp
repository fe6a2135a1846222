#include "gui/tests/gui_fixture.h"

#include <QDateTime>
#include <QFile>
#include <QSignalSpy>
#include <QTest>

#include <sys/stat.h>

namespace seam::gui::test {

QStringList markers(const StackModel& m) {
    QStringList out;
    for (const StackRow& r : m.rows())
        if (r.kind == StackRow::Kind::Marker) out << r.text;
    return out;
}

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

void GuiFixture::initTestCase() {
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(k_crash) && QFile::exists(k_own) && QFile::exists(k_vecs),
             "fixtures not built");
}

MainWindow& GuiFixture::window(bool test_variables) {
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

void GuiFixture::closeWindow() {
    m_testers.clear();
    m_window.reset();
}

bool GuiFixture::waitSnapshot(MainWindow& w, int timeout) {
    QSignalSpy spy(&w, &MainWindow::snapshotShown);
    bool ok = spy.wait(timeout);
    qInfo("snapshot: %s", qPrintable(w.snapshot().process_state));
    return ok;
}

bool GuiFixture::stopAtProbe(MainWindow& w, const QString& exe, const QStringList& args) {
    w.launch(exe, args, {"seam_probe"});
    if (!waitSnapshot(w)) return false;
    QSignalSpy frames(&w, &MainWindow::frameShown);
    w.selectFrame(1);
    return frames.wait(30'000);
}

bool GuiFixture::loaded(MainWindow& w, const QModelIndex& value) {
    return !w.variables().loading(value) && w.variables().rowCount(value) > 0;
}

int GuiFixture::variableRow(MainWindow& w, const QString& name) {
    for (int i = 0; i < w.variables().rowCount(); ++i)
        if (w.variables().rowAt(w.variables().index(i, 0))->name == name) return i;
    return -1;
}

} // namespace seam::gui::test
