#pragma once
/// The breakpoints set in the target: id, where (a function, or `file.rs:12` for a line),
/// locations resolved, hits.
#include <QAbstractTableModel>
#include <QSet>

#include "gui/model/debug_data.h"

namespace seam::gui {

class BreakpointModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Id, Function, Locations, Hits, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;

    void setBreakpoints(const QVector<BreakpointInfo>& bps);
    const QVector<BreakpointInfo>& breakpoints() const { return m_bps; }
    /// The lines of `file` that carry a breakpoint (what the source gutter marks).
    QSet<int> linesIn(const QString& file) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

private:
    QVector<BreakpointInfo> m_bps;
};

} // namespace seam::gui
