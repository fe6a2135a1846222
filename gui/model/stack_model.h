#pragma once
/// The selected thread's mixed stack as `seam bt` lays it out: frames with a language badge,
/// boundary markers (`── C -> Rust: … ──`) between frames of different languages, and runs of
/// runtime frames folded into one row. A marker or fold row spans the columns (its text is in
/// the first one) and cannot be selected as a frame.
#include <QAbstractTableModel>

#include "gui/model/debug_data.h"

namespace seam::gui {

class StackModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Index, Language, Owner, Name, Location, ColumnCount };
    enum Role {
        FrameRole = Qt::UserRole + 1, ///< LLDB frame index (-1: a marker, fold or seam's frame)
        KindRole,                     ///< StackRow::Kind as int
    };
    using QAbstractTableModel::QAbstractTableModel;

    void setRows(const QVector<StackRow>& rows);
    const QVector<StackRow>& rows() const { return m_rows; }
    /// The row of LLDB frame `frame`, or -1.
    int rowOfFrame(int frame) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    QVector<StackRow> m_rows;
};

} // namespace seam::gui
