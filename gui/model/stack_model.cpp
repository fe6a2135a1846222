#include "gui/model/stack_model.h"

#include <QBrush>
#include <QColor>

namespace seam::gui {

namespace {

// The colours the languages are known by (Rust's orange, C's blue), light enough for text.
QColor language_colour(const QString& lang) {
    if (lang == QLatin1String("Rust")) return QColor(0xf4, 0xc7, 0xa1);
    if (lang == QLatin1String("C")) return QColor(0xb5, 0xcd, 0xf0);
    if (lang == QLatin1String("C++")) return QColor(0xc9, 0xb8, 0xeb);
    return QColor(0xdd, 0xdd, 0xdd);
}

} // namespace

void StackModel::setRows(const QVector<StackRow>& rows) {
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

int StackModel::rowOfFrame(int frame) const {
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].kind == StackRow::Kind::Frame && m_rows[i].frame == frame) return i;
    return -1;
}

int StackModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int StackModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

Qt::ItemFlags StackModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) return Qt::NoItemFlags;
    const StackRow& r = m_rows[index.row()];
    if (r.kind != StackRow::Kind::Frame || r.frame < 0) return Qt::ItemIsEnabled;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

QVariant StackModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid()) return {};
    const StackRow& r = m_rows[index.row()];
    if (role == FrameRole) return r.kind == StackRow::Kind::Frame ? r.frame : -1;
    if (role == KindRole) return int(r.kind);
    if (r.kind != StackRow::Kind::Frame) {
        if (role == Qt::DisplayRole && index.column() == 0) return r.text;
        if (role == Qt::ForegroundRole)
            return QBrush(r.kind == StackRow::Kind::Marker ? QColor(0xb0, 0x30, 0x30)
                                                           : QColor(0x70, 0x70, 0x70));
        return {};
    }
    if (role == Qt::BackgroundRole && index.column() == Language)
        return QBrush(language_colour(r.language));
    if (role == Qt::TextAlignmentRole && index.column() == Language) return int(Qt::AlignCenter);
    if (role == Qt::ToolTipRole) return QStringLiteral("pc 0x%1 %2").arg(r.pc, 0, 16).arg(r.tags);
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
    case Index:
        return QStringLiteral("#%1").arg(r.index);
    case Language:
        return r.language;
    case Owner:
        return r.owner;
    case Name:
        return r.tags.isEmpty() ? r.name : r.name + QStringLiteral(" [") + r.tags + ']';
    case Location:
        return r.location;
    }
    return {};
}

QVariant StackModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* names[] = {"#", "lang", "crate / library", "function", "location"};
    return section >= 0 && section < ColumnCount ? QString(names[section]) : QVariant();
}

} // namespace seam::gui
