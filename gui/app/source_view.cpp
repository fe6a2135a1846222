#include "gui/app/source_view.h"

#include <QMouseEvent>
#include <QPainter>
#include <QTextBlock>

namespace seam::gui {

class SourceGutter : public QWidget {
public:
    explicit SourceGutter(SourceView* view) : QWidget(view), m_view(view) {}
    QSize sizeHint() const override { return {m_view->gutterWidth(), 0}; }

protected:
    void paintEvent(QPaintEvent* e) override { m_view->paintGutter(e); }
    void mousePressEvent(QMouseEvent* e) override {
        int line = m_view->lineAt(e->position().toPoint().y());
        if (line > 0) emit m_view->gutterClicked(line);
    }

private:
    SourceView* m_view;
};

SourceView::SourceView(QWidget* parent) : QPlainTextEdit(parent) {
    setReadOnly(true);
    // A read-only view still shows where "run to cursor" goes.
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::TypeWriter);
    setFont(mono);
    m_gutter = new SourceGutter(this);
    m_gutter->setCursor(Qt::PointingHandCursor);
    m_gutter->setToolTip(QStringLiteral("click to set or remove a breakpoint on this line"));
    connect(this, &QPlainTextEdit::blockCountChanged, this,
            [this] { setViewportMargins(gutterWidth(), 0, 0, 0); });
    connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect& r, int dy) {
        if (dy)
            m_gutter->scroll(0, dy);
        else
            m_gutter->update(0, r.y(), m_gutter->width(), r.height());
    });
    setViewportMargins(gutterWidth(), 0, 0, 0);
}

int SourceView::gutterWidth() const {
    int digits = QString::number(std::max(1, blockCount())).size();
    // Room for the breakpoint dot before the number.
    return 8 + fontMetrics().height() + fontMetrics().horizontalAdvance(QLatin1Char('9')) * digits;
}

void SourceView::resizeEvent(QResizeEvent* e) {
    QPlainTextEdit::resizeEvent(e);
    QRect cr = contentsRect();
    m_gutter->setGeometry(QRect(cr.left(), cr.top(), gutterWidth(), cr.height()));
}

void SourceView::showText(const QString& text, int current) {
    m_current = current;
    // A step mostly stays in one file: then only the marker moves (setPlainText lays the
    // whole file out again, the larger part of a step's refresh in a long file).
    if (text != m_text || document()->isEmpty()) {
        m_text = text;
        setPlainText(text);
    }
    QList<QTextEdit::ExtraSelection> marks;
    if (current > 0) {
        QTextEdit::ExtraSelection mark;
        mark.cursor = QTextCursor(document()->findBlockByNumber(current - 1));
        mark.format.setBackground(QColor(0xff, 0xf0, 0x9a));
        mark.format.setProperty(QTextFormat::FullWidthSelection, true);
        marks << mark;
        moveCursorToLine(current);
        centerCursor();
    }
    setExtraSelections(marks);
    m_gutter->update();
}

void SourceView::setBreakpointLines(const QSet<int>& lines) {
    m_breakpoints = lines;
    m_gutter->update();
}

void SourceView::moveCursorToLine(int line) {
    QTextBlock block = document()->findBlockByNumber(line - 1);
    if (!block.isValid()) return;
    setTextCursor(QTextCursor(block));
    ensureCursorVisible();
}

QRect SourceView::gutterRect(int line) const {
    QTextBlock block = document()->findBlockByNumber(line - 1);
    if (!block.isValid() || !block.isVisible()) return {};
    QRectF r = blockBoundingGeometry(block).translated(contentOffset());
    if (r.bottom() < 0 || r.top() > viewport()->height()) return {};
    return QRect(0, int(r.top()), m_gutter->width(), int(r.height()));
}

int SourceView::lineAt(int y) const {
    for (QTextBlock block = firstVisibleBlock(); block.isValid(); block = block.next()) {
        QRectF r = blockBoundingGeometry(block).translated(contentOffset());
        if (r.top() > y) break;
        if (y < r.bottom()) return block.blockNumber() + 1;
    }
    return 0;
}

void SourceView::paintGutter(QPaintEvent* e) {
    QPainter p(m_gutter);
    p.fillRect(e->rect(), QColor(0xf0, 0xf0, 0xf0));
    int h = fontMetrics().height();
    for (QTextBlock block = firstVisibleBlock(); block.isValid(); block = block.next()) {
        QRectF r = blockBoundingGeometry(block).translated(contentOffset());
        if (r.top() > e->rect().bottom()) break;
        if (r.bottom() < e->rect().top()) continue;
        int line = block.blockNumber() + 1;
        if (m_breakpoints.contains(line)) {
            p.setRenderHint(QPainter::Antialiasing);
            p.setBrush(QColor(0xd0, 0x30, 0x30));
            p.setPen(Qt::NoPen);
            p.drawEllipse(QRectF(3, r.top() + 2, h - 4, h - 4));
        }
        p.setPen(line == m_current ? Qt::black : Qt::gray);
        p.drawText(QRect(0, int(r.top()), m_gutter->width() - 4, h), Qt::AlignRight,
                   QString::number(line));
    }
}

} // namespace seam::gui
