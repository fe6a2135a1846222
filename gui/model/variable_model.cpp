#include "gui/model/variable_model.h"

#include <QBrush>
#include <QFont>

#include <QColor>
#include <algorithm>

namespace seam::gui {

VariableModel::VariableModel(QObject* parent)
    : QAbstractItemModel(parent), m_root(std::make_unique<Node>()) {}

VariableModel::~VariableModel() = default;

void VariableModel::setVariables(uint64_t generation, const QVector<VariableRow>& rows) {
    beginResetModel();
    m_generation = generation;
    m_root = std::make_unique<Node>();
    m_by_id.clear();
    for (const VariableRow& r : rows) append(m_root.get(), r, false);
    endResetModel();
}

void VariableModel::append(Node* parent, const VariableRow& row, bool placeholder) {
    auto n = std::make_unique<Node>();
    n->row = row;
    n->parent = parent;
    n->placeholder = placeholder;
    n->position = int(parent->children.size());
    if (row.id) m_by_id.insert(row.id, n.get());
    parent->children.push_back(std::move(n));
}

void VariableModel::addChildren(uint64_t generation, uint64_t id, uint64_t next,
                                const QVector<VariableRow>& rows) {
    // A page asked for before the last step describes memory as it was: drop it.
    if (generation != m_generation) return;
    Node* p = m_by_id.value(id);
    if (!p) return;
    QModelIndex parent = indexOf(p);
    if (!p->children.empty() && p->children.back()->placeholder) {
        int last = int(p->children.size()) - 1;
        beginRemoveRows(parent, last, last);
        p->children.pop_back();
        endRemoveRows();
    }
    p->pending = false;
    p->tail_seen = false;
    p->next = std::max(next, p->next + (rows.isEmpty() ? 1 : 0));
    if (!rows.isEmpty()) {
        int first = int(p->children.size());
        beginInsertRows(parent, first, first + int(rows.size()) - 1);
        for (const VariableRow& r : rows) append(p, r, false);
        endInsertRows();
    }
    // A value whose children all turned out to have no row (a scalar pointee) has none.
    if (p->children.empty() && p->next >= p->row.rows())
        emit dataChanged(parent, parent.siblingAtColumn(ColumnCount - 1));
}

const VariableRow* VariableModel::rowAt(const QModelIndex& index) const {
    Node* n = node(index);
    return n == m_root.get() ? nullptr : &n->row;
}

bool VariableModel::loading(const QModelIndex& index) const {
    Node* n = node(index);
    return n != m_root.get() && n->pending;
}

VariableModel::Node* VariableModel::node(const QModelIndex& index) const {
    return index.isValid() ? static_cast<Node*>(index.internalPointer()) : m_root.get();
}

QModelIndex VariableModel::indexOf(Node* n) const {
    if (!n || n == m_root.get()) return {};
    return createIndex(n->position, 0, n);
}

QModelIndex VariableModel::index(int row, int column, const QModelIndex& parent) const {
    if (!hasIndex(row, column, parent)) return {};
    Node* p = node(parent);
    return createIndex(row, column, p->children[size_t(row)].get());
}

QModelIndex VariableModel::parent(const QModelIndex& child) const {
    if (!child.isValid()) return {};
    return indexOf(static_cast<Node*>(child.internalPointer())->parent);
}

int VariableModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() && parent.column() != 0) return 0;
    return int(node(parent)->children.size());
}

int VariableModel::columnCount(const QModelIndex&) const {
    return ColumnCount;
}

bool VariableModel::hasChildren(const QModelIndex& parent) const {
    if (parent.isValid() && parent.column() != 0) return false;
    Node* n = node(parent);
    if (n == m_root.get()) return !n->children.empty();
    return !n->children.empty() || n->next < n->row.rows();
}

bool VariableModel::canFetchMore(const QModelIndex& parent) const {
    if (parent.isValid() && parent.column() != 0) return false;
    Node* n = node(parent);
    return n != m_root.get() && n->row.id && !n->pending && n->next < n->row.rows() &&
           (n->children.empty() || n->tail_seen);
}

void VariableModel::noteShown(Node* n) const {
    Node* p = n->parent;
    if (n->placeholder || !p || p == m_root.get() || p->tail_seen ||
        n->position + 1 != int(p->children.size()))
        return;
    p->tail_seen = true;
    // The user reached the end of what is loaded: the next page, once this paint is over.
    QModelIndex parent = indexOf(p);
    if (!canFetchMore(parent)) return;
    auto* self = const_cast<VariableModel*>(this); // data() is const; fetching is not
    QMetaObject::invokeMethod(
        self,
        [self, id = p->row.id, gen = m_generation] {
            Node* q = self->m_by_id.value(id);
            if (gen == self->m_generation && q) self->fetchMore(self->indexOf(q));
        },
        Qt::QueuedConnection);
}

void VariableModel::fetchMore(const QModelIndex& parent) {
    if (!canFetchMore(parent)) return;
    Node* n = node(parent);
    n->pending = true;
    // The `loading…` row, shown at the next turn of the event loop (fetchMore is called from
    // inside other changes' signals, a view's reset or layout, where no rows may be inserted),
    // long before the answer: the worker may be busy with the target or a huge value.
    QMetaObject::invokeMethod(
        this,
        [this, id = n->row.id, gen = m_generation] {
            Node* q = m_by_id.value(id);
            if (gen != m_generation || !q || !q->pending ||
                (!q->children.empty() && q->children.back()->placeholder))
                return;
            int at = int(q->children.size());
            beginInsertRows(indexOf(q), at, at);
            VariableRow loading_row;
            loading_row.summary = QStringLiteral("loading…");
            append(q, loading_row, true);
            endInsertRows();
        },
        Qt::QueuedConnection);
    emit childrenWanted(m_generation, n->row.id, n->next,
                        std::min<uint64_t>(k_page, n->row.rows() - n->next));
}

QVariant VariableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid()) return {};
    Node* n = static_cast<Node*>(index.internalPointer());
    const VariableRow& r = n->row;
    if (role == Qt::DisplayRole) noteShown(n);
    if (role == IdRole) return QVariant::fromValue<qulonglong>(r.id);
    if (role == LoadingRole) return n->placeholder;
    if (n->placeholder && role == Qt::ForegroundRole) return QBrush(Qt::gray);
    if (n->placeholder && role == Qt::FontRole) {
        QFont italic;
        italic.setItalic(true);
        return italic;
    }
    if (role == Qt::ForegroundRole && index.column() == Badge)
        return QBrush(QColor(0x20, 0x60, 0xa0));
    if (role == Qt::ForegroundRole && r.summary.startsWith('<'))
        return QBrush(QColor(0xb0, 0x30, 0x30));
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
    switch (index.column()) {
    case Name:
        return r.name;
    case Summary:
        return r.summary;
    case Badge:
        return r.badge;
    case Type:
        return r.type;
    }
    return {};
}

QVariant VariableModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* names[] = {"name", "value", "ownership", "type"};
    return section >= 0 && section < ColumnCount ? QString(names[section]) : QVariant();
}

} // namespace seam::gui
