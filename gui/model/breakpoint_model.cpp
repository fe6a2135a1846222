#include "gui/model/breakpoint_model.h"

namespace seam::gui {

void BreakpointModel::setBreakpoints(const QVector<BreakpointInfo>& bps) {
    beginResetModel();
    m_bps = bps;
    endResetModel();
}

QSet<int> BreakpointModel::linesIn(const QString& file) const {
    QSet<int> out;
    for (const BreakpointInfo& b : m_bps)
        if (b.line && !file.isEmpty() && b.file == file) out.insert(b.line);
    return out;
}

int BreakpointModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_bps.size());
}

int BreakpointModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BreakpointModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid()) return {};
    const BreakpointInfo& b = m_bps[index.row()];
    if (role == Qt::ToolTipRole && index.column() == Function && b.line)
        return QStringLiteral("%1:%2").arg(b.file).arg(b.line);
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
    case Id:
        return b.id;
    case Function:
        return b.line ? QStringLiteral("%1:%2").arg(b.file.section('/', -1)).arg(b.line)
                      : b.function;
    case Locations:
        return b.locations;
    case Hits:
        return b.hits;
    }
    return {};
}

QVariant BreakpointModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* names[] = {"id", "where", "locations", "hits"};
    return section >= 0 && section < ColumnCount ? QString(names[section]) : QVariant();
}

} // namespace seam::gui
