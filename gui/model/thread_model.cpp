#include "gui/model/thread_model.h"

#include <QFont>

namespace seam::gui {

void ThreadModel::setThreads(const QVector<ThreadInfo>& threads) {
    beginResetModel();
    m_threads = threads;
    endResetModel();
}

int ThreadModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_threads.size());
}

int ThreadModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ThreadModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid()) return {};
    const ThreadInfo& t = m_threads[index.row()];
    if (role == ThreadIndexRole) return t.index;
    if (role == Qt::FontRole && t.selected) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
    case Index:
        return QStringLiteral("#%1").arg(t.index);
    case Id:
        return QString::number(t.id);
    case Name:
        return t.name;
    case StopReason:
        return t.stop_reason;
    case Top:
        return t.top;
    }
    return {};
}

QVariant ThreadModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* names[] = {"#", "tid", "name", "stop reason", "where"};
    return section >= 0 && section < ColumnCount ? QString(names[section]) : QVariant();
}

} // namespace seam::gui
