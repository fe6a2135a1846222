// seam-gui's tests on the offscreen platform, over real fixture cores (made with gdb's gcore at
// the crash) and real processes: `gui_tests CLASS [QtTest options]` runs one test class
// (core_views, live_control, values or graph); ctest runs each as a test of its own.
#include <QApplication>
#include <QTest>

#include <cstdio>
#include <cstring>
#include <memory>

#include "gui/tests/gui_fixture.h"

int main(int argc, char** argv) {
    using namespace seam::gui::test;
    struct Class {
        const char* name;
        QObject* (*make)();
    };
    const Class classes[] = {{"core_views", make_core_views_test},
                             {"live_control", make_live_control_test},
                             {"values", make_values_test},
                             {"graph", make_graph_test}};
    QApplication app(argc, argv);
    const Class* chosen = nullptr;
    for (const Class& c : classes)
        if (argc > 1 && std::strcmp(argv[1], c.name) == 0) chosen = &c;
    if (!chosen) {
        std::fprintf(stderr, "usage: %s core_views|live_control|values|graph [QtTest options]\n",
                     argv[0]);
        return 2;
    }
    std::unique_ptr<QObject> test(chosen->make());
    argv[1] = argv[0]; // QtTest reads its options after the program's name
    return QTest::qExec(test.get(), argc - 1, argv + 1);
}
