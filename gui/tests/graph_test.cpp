// The ownership graph of a frame: a planted Rc cycle highlighted, the chains that keep a selected
// value alive (every one, two from one variable included), a click on a node selecting its
// variable, and the graph in `--state-json`.
#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTest>
#include <QTreeView>

#include <fstream>

#include "gui/tests/gui_fixture.h"

using namespace seam::gui;
using namespace seam::gui::test;

class GraphTest : public GuiFixture {
    Q_OBJECT

private slots:
    // The ownership graph of a frame holding an Rc cycle: drawn, and the cycle found.
    void graphShowsPlantedCycle() {
        MainWindow& w = window();
        QVERIFY(stopAtProbe(w, k_own, {"rc_cycle"}));
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
        QVERIFY(stopAtProbe(w, k_own, {"rc_cycle"}));
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
        // A chain from each variable that keeps it alive, the shortest first: a itself, then b
        // through the cycle's `next`. std named the allocation RcBox before 1.77 (the DWARF name
        // shows through).
        QCOMPARE(g.chains.size(), 2);
        static const QRegularExpression a_chain(
            "^frame #1 own::rc_cycle: a \\(Rc strong 2\\) → Rc(Inner|Box)<Node> at 0x");
        QVERIFY2(a_chain.match(g.chains[0]).hasMatch(), qPrintable(g.chains[0]));
        static const QRegularExpression b_chain(
            "^frame #1 own::rc_cycle: b \\(Rc strong 2\\) → \\*\\.next\\.value\\.0 \\(Rc strong "
            "2\\) → Rc(Inner|Box)<Node> at 0x");
        QVERIFY2(b_chain.match(g.chains[1]).hasMatch(), qPrintable(g.chains[1]));
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

    // Every chain that keeps a value alive, not one per variable: one Rc cloned into both
    // elements of a Vec (own.rs's rc_two_ways) is alive through `held[0]` and through
    // `held[1]`, two chains from the one root edge `held`, both listed and both drawn in blue.
    void everyChainFromOneRoot() {
        MainWindow& w = window();
        QVERIFY(stopAtProbe(w, k_own, {"rc_two_ways"}));
        QCOMPARE(w.frame().name, QStringLiteral("own::rc_two_ways"));
        QSignalSpy drawn(&w, &MainWindow::graphShown);
        w.buildGraph();
        QVERIFY(drawn.wait(60'000));
        QVERIFY2(w.graph().findings.isEmpty(), qPrintable(w.graph().findings.join('\n')));
        QModelIndex held = w.variables().index(variableRow(w, "held"), 0);
        QCOMPARE(w.variables().rowAt(held)->summary,
                 QStringLiteral(
                     "len=2 cap=2 [Payload { id: 14, label: \"two ways\" }, Payload { id: 14, "
                     "label: \"two ways\" }]"));
        w.variableView()->expand(held);
        QTRY_VERIFY_WITH_TIMEOUT(loaded(w, held), 30'000);
        // Row 0 is the Vec's [raw] view; its elements follow.
        QModelIndex first = w.variables().index(1, 0, held);
        QCOMPARE(w.variables().rowAt(first)->name, QStringLiteral("[0]"));
        QCOMPARE(w.variables().rowAt(first)->badge, QStringLiteral("shared 2/0"));
        w.variableView()->setCurrentIndex(first);
        QVERIFY(drawn.wait(60'000));
        const GraphInfo& g = w.graph();
        QCOMPARE(g.focus, QStringLiteral("held.[0]"));
        for (const QString& c : g.chains) qInfo("chain: %s", qPrintable(c));
        QCOMPARE(g.chains.size(), 2);
        static const QRegularExpression chain(
            "^frame #1 own::rc_two_ways: held \\(Vec\\) → \\[([01])\\] \\(Rc strong 2\\) → "
            "Rc(Inner|Box)<Payload> at (0x[0-9a-f]+)$");
        QRegularExpressionMatch m0 = chain.match(g.chains[0]), m1 = chain.match(g.chains[1]);
        QVERIFY2(m0.hasMatch(), qPrintable(g.chains[0]));
        QVERIFY2(m1.hasMatch(), qPrintable(g.chains[1]));
        QCOMPARE(m0.captured(1), QStringLiteral("0"));
        QCOMPARE(m1.captured(1), QStringLiteral("1"));
        QCOMPARE(m0.captured(3), m1.captured(3)); // one allocation
        // In blue: held, [0] and [1]; greyed: the Payload's String buffer.
        QCOMPARE(g.svg.count("<path fill=\"none\" stroke=\"blue\""), 3);
        QCOMPARE(g.svg.count("<path fill=\"none\" stroke=\"#cccccc\""), 1);
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

namespace seam::gui::test {
QObject* make_graph_test() {
    return new GraphTest;
}
} // namespace seam::gui::test

#include "graph_test.moc"
