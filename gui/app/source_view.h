#pragma once
/// The source (or disassembly) at the selected frame: read-only text with a gutter of line
/// numbers on its left. The gutter marks the current line and the lines that carry a
/// breakpoint; a click on it asks for a breakpoint on that line to be toggled (the window sends
/// that to the worker, and the marks follow the breakpoints model, never the click itself).
#include <QPlainTextEdit>
#include <QSet>

namespace seam::gui {

class SourceView : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit SourceView(QWidget* parent = nullptr);

    /// Shows `text` with `current` (1-based; 0: none) marked and scrolled into view.
    void showText(const QString& text, int current);
    /// The 1-based lines that hold a breakpoint in the file shown.
    void setBreakpointLines(const QSet<int>& lines);
    const QSet<int>& breakpointLines() const { return m_breakpoints; }
    /// The 1-based line the text cursor is on (what "run to cursor" runs to).
    int cursorLine() const { return textCursor().blockNumber() + 1; }
    /// Puts the text cursor on `line` and scrolls it into view.
    void moveCursorToLine(int line);
    QWidget* gutter() const { return m_gutter; }
    /// Where `line` is drawn in the gutter's coordinates (empty when it is scrolled away).
    QRect gutterRect(int line) const;

signals:
    void gutterClicked(int line);

protected:
    void resizeEvent(QResizeEvent* e) override;

private:
    friend class SourceGutter;
    int gutterWidth() const;
    void paintGutter(QPaintEvent* e);
    int lineAt(int y) const;

    QWidget* m_gutter = nullptr;
    QSet<int> m_breakpoints;
    int m_current = 0;
    QString m_text; ///< what showText last laid out
};

} // namespace seam::gui
