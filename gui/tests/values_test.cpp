// The variables view's values: Rust Debug text and the raw view on demand, expansion kept across
// steps, children paged, and a 10M-element Vec that never blocks the UI.
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QTreeView>

#include "gui/debugger/variable_store.h"
#include "gui/tests/gui_fixture.h"
#include "tests/e2e/expectations.h"

using namespace seam::gui;
using namespace seam::gui::test;

class ValuesTest : public GuiFixture {
    Q_OBJECT

private slots:
    // A value's Debug text on demand is byte for byte what the program printed with {:?} and
    // {:#?} (the probe's records), for every recorded local of the vecs fixture; [raw] shows
    // the fields as memory holds them.
    void valueDebugTextAndRaw() {
        QString expect = m_dir.filePath("vecs.expect");
        qputenv("SEAM_EXPECT", expect.toLocal8Bit());
        MainWindow& w = window(false);
        QVERIFY(stopAtProbe(w, k_vecs));
        qunsetenv("SEAM_EXPECT");
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

    // A value a std family formatted (a Box, a String) has its [raw] view as its first child
    // row, expandable like any other: the fields as memory holds them, with no family's
    // formatter down the whole subtree, line for line the [raw] text the engine renders for the
    // same value. A value shown as its fields already (a raw pointer, a plain struct) has none.
    // The variables model stays under QAbstractItemModelTester throughout.
    void rawViewIsAChildRow() {
        MainWindow& w = window();
        QVERIFY(stopAtProbe(w, k_own, {"single_box"}));
        QCOMPARE(w.frame().name, QStringLiteral("own::single_box"));
        VariableModel& m = w.variables();
        const VariableRow* raw_ptr = m.rowAt(m.index(variableRow(w, "raw"), 0));
        QCOMPARE(raw_ptr->type, QStringLiteral("*mut Payload"));
        QVERIFY(!raw_ptr->raw);
        QModelIndex only = m.index(variableRow(w, "only"), 0);
        QVERIFY(m.rowAt(only)->raw);
        QCOMPARE(m.rowAt(only)->children, uint64_t(1));
        // Every row under `index`, `depth` levels down, as render_tree lays out its lines.
        std::function<void(const QModelIndex&, int, int, QStringList&)> lines =
            [&](const QModelIndex& index, int level, int depth, QStringList& out) {
                const VariableRow* r = m.rowAt(index);
                out << QStringLiteral("%1(%2) %3 = %4")
                           .arg(QString(2 * level, ' '), r->type, r->name, r->summary);
                if (level == depth || !m.hasChildren(index)) return;
                w.variableView()->expand(index);
                QTRY_VERIFY_WITH_TIMEOUT(
                    !m.loading(index) && (m.rowCount(index) > 0 || !m.hasChildren(index)), 30'000);
                for (int i = 0; i < m.rowCount(index); ++i)
                    lines(m.index(i, 0, index), level + 1, depth, out);
            };
        QStringList tree;
        lines(only, 0, 3, tree);
        QCOMPARE(tree.mid(1, 1),
                 QStringList{"  (Box<Payload>) [raw] = " + m.rowAt(m.index(0, 0, only))->summary});
        QVERIFY(!m.rowAt(m.index(0, 0, only))->raw); // no [raw] under [raw]
        // After the [raw] row, Box's own child: the Payload, whose String has a [raw] row too.
        QModelIndex star = m.index(1, 0, only);
        QCOMPARE(m.rowAt(star)->name, QStringLiteral("*"));
        QStringList payload;
        lines(star, 0, 2, payload);
        QCOMPARE(payload, (QStringList{"(Payload) * = Payload { id: 8, label: \"once\" }",
                                       "  (u32) id = 8", "  (String) label = \"once\"",
                                       "    (String) [raw] = " +
                                           m.rowAt(m.index(0, 0, m.index(1, 0, star)))->summary}));
        // The String's own fields, its Vec's, ...: what std's formatter hides.
        QVERIFY2(payload[3].startsWith("    (String) [raw] = String { vec: Vec { buf: RawVec { "),
                 qPrintable(payload[3]));
        // A [raw] subtree, eight levels down, is line for line the engine's [raw] text of the
        // same value (but for the ownership facts, which the rows show as a badge): for the
        // Box, one line (Box is a pointer in the DWARF); for its String, the String's fields,
        // its Vec's, its RawVec's, down to the buffer's pointer.
        auto raw_rows_and_text = [&](const QModelIndex& value) {
            QSignalSpy shown(&w, &MainWindow::valueTextShown);
            w.showValueText(value, ValueTextKind::Raw);
            if (!shown.wait(30'000)) return std::pair<QStringList, QStringList>{};
            QStringList text = w.valueText().text.split('\n', Qt::SkipEmptyParts);
            static const QRegularExpression facts(" \\[(owned|shared|borrowed|borrowed-mut|"
                                                  "cell|lock|raw|c|crossing)( [^\\]]*)?\\]$");
            for (QString& line : text) line.remove(facts);
            QStringList rows;
            lines(m.index(0, 0, value), 0, int(VariableStore::k_raw_depth), rows);
            // The first line names the value; its [raw] row is named [raw].
            if (!rows.isEmpty()) rows[0].replace(") [raw] = ", ") " + m.rowAt(value)->name + " = ");
            return std::pair{rows, text};
        };
        auto [box_rows, box_text] = raw_rows_and_text(only);
        QCOMPARE(box_rows, box_text);
        QCOMPARE(box_rows.size(), 1);
        QVERIFY2(QRegularExpression("^\\(Box<Payload>\\) only = 0x[0-9a-f]+$")
                     .match(box_rows[0])
                     .hasMatch(),
                 qPrintable(box_rows[0]));
        auto [label_rows, label_text] = raw_rows_and_text(m.index(1, 0, star));
        qInfo("[raw] of only's label, as rows:\n%s", qPrintable(label_rows.join('\n')));
        QCOMPARE(label_rows, label_text);
        QVERIFY2(label_rows.size() > 4, qPrintable(label_rows.join('\n')));
        // "once": len 4, and the buffer's pointer, as memory holds them.
        QCOMPARE(label_rows.filter(QRegularExpression("^ +\\(usize\\) len = 4$")).size(), 1);
        QCOMPARE(
            label_rows.filter(QRegularExpression("^ +\\(\\*const u8\\) pointer = 0x[0-9a-f]+$"))
                .size(),
            1);
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
        // Row 0 is the Rc's [raw] view; its pointee follows.
        QModelIndex star = w.variables().index(1, 0, a);
        QCOMPARE(w.variables().rowAt(star)->name, QStringLiteral("*"));
        w.variableView()->expand(star);
        QTRY_VERIFY_WITH_TIMEOUT(loaded(w, star), 30'000);
        w.stepOver();
        QVERIFY(waitSnapshot(w));
        a = w.variables().index(variableRow(w, "a"), 0);
        QTRY_VERIFY_WITH_TIMEOUT(loaded(w, a), 30'000);
        QVERIFY(w.variableView()->isExpanded(a));
        star = w.variables().index(1, 0, a);
        QCOMPARE(w.variables().rowAt(star)->name, QStringLiteral("*"));
        QTRY_VERIFY_WITH_TIMEOUT(loaded(w, star), 30'000);
        QVERIFY(w.variableView()->isExpanded(star));
        QStringList fields;
        for (int i = 0; i < w.variables().rowCount(star); ++i)
            fields << w.variables().rowAt(w.variables().index(i, 0, star))->name;
        QCOMPARE(fields, (QStringList{"name", "next", "prev"}));
    }

    // A 5000-element Vec: expanding it reads the first page only; the next comes on demand.
    void childrenArePaged() {
        MainWindow& w = window(false);
        QVERIFY(stopAtProbe(w, k_vecs));
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
        // A page is rows: the [raw] row, then elements 0 to 98.
        QCOMPARE(w.variables().rowAt(w.variables().index(0, 0, big))->name,
                 QStringLiteral("[raw]"));
        const VariableRow* last = w.variables().rowAt(w.variables().index(99, 0, big));
        QCOMPARE(last->name, QStringLiteral("[98]"));
        QCOMPARE(last->summary, QStringLiteral("98"));
        // Scrolled to the end of the first page: the second comes, and no other.
        w.variableView()->scrollTo(w.variables().index(99, 0, big));
        QTRY_COMPARE_WITH_TIMEOUT(w.variables().rowCount(big), 2 * int(VariableModel::k_page),
                                  30'000);
        const VariableRow* next = w.variables().rowAt(w.variables().index(151, 0, big));
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
        QVERIFY(stopAtProbe(w, k_vecs, {"huge"}));
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
        // The second page's loading row, seen as it is inserted (the answer may follow it
        // quickly). Watched from before the expand: the view may ask for the second page by
        // itself as soon as the first one is shown.
        bool saw_loading_row = false;
        auto watch = connect(&w.variables(), &QAbstractItemModel::rowsInserted, this,
                             [&](const QModelIndex& parent, int first, int last) {
                                 if (parent == huge && first == last && first == 100)
                                     saw_loading_row |= loading_row(first);
                             });
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
        QCOMPARE(w.variables().rowAt(w.variables().index(0, 0, huge))->name,
                 QStringLiteral("[raw]"));
        for (int i : {0, 1, 57, 98}) {
            const VariableRow* c = w.variables().rowAt(w.variables().index(i + 1, 0, huge));
            QCOMPARE(c->name, QStringLiteral("[%1]").arg(i));
            QCOMPARE(c->summary, QString::number(i));
        }
        // The worker's next job is long (the whole Debug text); the next page waits behind it
        // with its loading row shown.
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
        QCOMPARE(w.variables().rowAt(w.variables().index(151, 0, huge))->summary,
                 QStringLiteral("150"));
        QTest::qWait(100);
        QCOMPARE(w.variables().rowCount(huge), 2 * int(VariableModel::k_page)); // none unasked
        tick.stop();
        qInfo("10M-element Vec: first page %lld ms after the expand; whole Debug text %lld ms; "
              "longest UI-thread gap %lld ms",
              first_page, debug_text, worst);
        QVERIFY2(worst < 250, qPrintable(QString::number(worst)));
    }
};

namespace seam::gui::test {
QObject* make_values_test() {
    return new ValuesTest;
}
} // namespace seam::gui::test

#include "values_test.moc"
