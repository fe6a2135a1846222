#include "gui/model/breakpoint_model.h"

namespace seam::gui {

void BreakpointModel::setBreakpoints(const QVector<BreakpointInfo>& bps) {
    beginResetModel();
    m_bps = bps;
    endResetModel();
}

int BreakpointModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_bps.size());
}

int BreakpointModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BreakpointModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || role != Qt::DisplayRole) return {};
    const BreakpointInfo& b = m_bps[index.row()];
    switch (index.column()) {
    case Id:
        return b.id;
    case Function:
        return b.function;
    case Locations:
        return b.locations;
    case Hits:
        return b.hits;
    }
    return {};
}

QVariant BreakpointModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* names[] = {"id", "function", "locations", "hits"};
    return section >= 0 && section < ColumnCount ? QString(names[section]) : QVariant();
}

} // namespace seam::gui
