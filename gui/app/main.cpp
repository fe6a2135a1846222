// seam-gui: open a core or launch a program, and debug it across the C/Rust boundary.
// `--screenshot FILE.png` and `--state-json FILE` show the first stop, write, and exit.
#include <QApplication>
#include <QFile>
#include <QTimer>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "gui/app/main_window.h"
#include "gui/app/state_json.h"

namespace {

struct Options {
    std::string exe;
    std::string core;
    std::vector<std::string> args;
    std::vector<std::string> breaks;
    std::string screenshot;
    std::string state_json;
    uint64_t pid = 0;
    std::string gdb_remote;
    int frame = -1;
    bool graph = false;
};

QStringList qlist(const std::vector<std::string>& v) {
    QStringList out;
    for (const std::string& s : v) out << QString::fromStdString(s);
    return out;
}

bool write_outputs(seam::gui::MainWindow& w, const Options& o) {
    bool ok = true;
    if (!o.state_json.empty()) {
        QFile f(QString::fromStdString(o.state_json));
        std::string text = seam::gui::state_json(w).dump(2) + "\n";
        ok = f.open(QIODevice::WriteOnly) &&
             f.write(text.data(), qint64(text.size())) == qint64(text.size());
        if (!ok) std::fprintf(stderr, "seam-gui: cannot write %s\n", o.state_json.c_str());
    }
    if (!o.screenshot.empty() && !w.grab().save(QString::fromStdString(o.screenshot))) {
        std::fprintf(stderr, "seam-gui: cannot write %s\n", o.screenshot.c_str());
        ok = false;
    }
    return ok;
}

} // namespace

int main(int argc, char** argv) {
    Options o;
    CLI::App cli{"seam-gui: a debugger for C and Rust together", "seam-gui"};
    cli.add_option("--exe", o.exe, "the program (with --core: the one that dumped it)");
    cli.add_option("--core", o.core, "a core file of --exe to open");
    cli.add_option("--args", o.args, "arguments of the program to launch")->expected(0, -1);
    cli.add_option("--break", o.breaks, "stop at this function (repeatable)");
    cli.add_option("--pid", o.pid, "attach to this running process (--exe optional)");
    cli.add_option("--gdb-remote", o.gdb_remote,
                   "connect to a gdb-remote target HOST:PORT (--exe: its symbols)");
    cli.add_option("--screenshot", o.screenshot,
                   "save the window at the first stop as PNG and exit");
    cli.add_option("--state-json", o.state_json,
                   "write what the views show at the first stop and exit");
    cli.add_option("--frame", o.frame, "select this frame (LLDB's number) at the first stop");
    cli.add_flag("--graph", o.graph, "draw the selected frame's ownership graph at the first stop");
    // CLI11 reports by throwing; Qt's own options (-platform) are left to QApplication.
    cli.allow_extras();
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e);
    }
    if (!o.core.empty() && o.exe.empty()) {
        std::fprintf(stderr, "seam-gui: --core needs --exe\n");
        return 2;
    }
    QApplication app(argc, argv);
    seam::gui::MainWindow window;
    window.show();
    bool batch = !o.screenshot.empty() || !o.state_json.empty();
    if (batch && o.exe.empty() && !o.pid && o.gdb_remote.empty()) {
        std::fprintf(stderr,
                     "seam-gui: --screenshot and --state-json need --exe, --pid or --gdb-remote\n");
        return 2;
    }
    int status = 0;
    // At the first stop: select --frame, draw --graph, then write the files and quit.
    bool first = true;
    auto finish = [&] {
        if (!batch) return;
        // Let the views lay the rows out before the window is grabbed.
        QTimer::singleShot(50, &app, [&] {
            status = write_outputs(window, o) ? 0 : 1;
            app.quit();
        });
    };
    auto draw = [&] {
        if (o.graph)
            window.buildGraph();
        else
            finish();
    };
    QObject::connect(&window, &seam::gui::MainWindow::graphShown, &app, [&] { finish(); });
    QObject::connect(&window, &seam::gui::MainWindow::snapshotShown, &app, [&] {
        if (!first) return;
        first = false;
        if (o.frame >= 0 && window.frame().frame != o.frame) {
            auto once = std::make_shared<QMetaObject::Connection>();
            *once = QObject::connect(&window, &seam::gui::MainWindow::frameShown, &app, [&, once] {
                QObject::disconnect(*once);
                draw();
            });
            window.selectFrame(o.frame);
        } else {
            draw();
        }
    });
    if (batch)
        QObject::connect(&window, &seam::gui::MainWindow::failed, &app, [&](const QString& m) {
            if (window.snapshot().process_state.isEmpty()) {
                std::fprintf(stderr, "seam-gui: %s\n", qPrintable(m));
                status = 1;
                app.quit();
            }
        });
    if (!o.gdb_remote.empty())
        window.connectRemote(QString::fromStdString(o.gdb_remote), QString::fromStdString(o.exe),
                             qlist(o.breaks));
    else if (o.pid)
        window.attach(o.pid, QString::fromStdString(o.exe));
    else if (!o.core.empty())
        window.openCore(QString::fromStdString(o.exe), QString::fromStdString(o.core));
    else if (!o.exe.empty())
        window.launch(QString::fromStdString(o.exe), qlist(o.args), qlist(o.breaks));
    int rc = app.exec();
    return batch ? status : rc;
}
