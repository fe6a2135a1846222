#pragma once
/// The process's threads, one row each: index, OS id, name, stop reason, innermost user frame.
#include <QAbstractTableModel>

#include "gui/model/debug_data.h"

namespace seam::gui {

class ThreadModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Index, Id, Name, StopReason, Top, ColumnCount };
    enum Role { ThreadIndexRole = Qt::UserRole + 1 };
    using QAbstractTableModel::QAbstractTableModel;

    void setThreads(const QVector<ThreadInfo>& threads);
    const QVector<ThreadInfo>& threads() const { return m_threads; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

private:
    QVector<ThreadInfo> m_threads;
};

} // namespace seam::gui
