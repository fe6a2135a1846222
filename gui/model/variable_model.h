#pragma once
/// The selected frame's variables as a tree: name, summary, ownership badge, type. Children
/// are loaded lazily: expanding a value asks for its first page (fetchMore emits
/// childrenWanted; the worker answers with addChildren), and the next page is asked for only
/// once the last loaded child has been shown (the view asked for its data: the user scrolled
/// there), so a ten-million-element Vec is never read whole. (QTreeView calls fetchMore on an
/// expanded value at every layout, which with answers arriving later would load page after
/// page unasked.) While a page is on its way the value shows one `loading…` row at the end
/// of its children, so that a slow or huge value is never a frozen or empty branch. A value a
/// std family or a recipe formatted has its `[raw]` view as its first row (VariableRow::raw),
/// expandable like any other: rows are asked for by row, and the worker maps them to children.
#include <QAbstractItemModel>
#include <QHash>

#include <memory>
#include <vector>

#include "gui/model/debug_data.h"

namespace seam::gui {

class VariableModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Name, Summary, Badge, Type, ColumnCount };
    enum Role {
        IdRole = Qt::UserRole + 1,
        LoadingRole, ///< true on the `loading…` row of a page on its way
    };
    /// Children asked for at a time.
    static constexpr uint64_t k_page = 100;

    explicit VariableModel(QObject* parent = nullptr);
    ~VariableModel() override;

    /// Replaces the tree with the variables of a new stop or frame.
    void setVariables(uint64_t generation, const QVector<VariableRow>& rows);
    /// The answer to childrenWanted: rows `start ..` of value `id`, `next` being the row
    /// to ask from for the following page (a formatter may skip children it has no row for).
    void addChildren(uint64_t generation, uint64_t id, uint64_t next,
                     const QVector<VariableRow>& rows);
    uint64_t generation() const { return m_generation; }
    const VariableRow* rowAt(const QModelIndex& index) const;
    /// Whether a page of `index`'s children has been asked for and not yet come.
    bool loading(const QModelIndex& index) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

signals:
    void childrenWanted(uint64_t generation, uint64_t id, uint64_t start, uint64_t count);

private:
    struct Node {
        VariableRow row;
        Node* parent = nullptr;
        int position = 0; ///< row under its parent
        std::vector<std::unique_ptr<Node>> children;
        uint64_t next = 0;        ///< the child index to ask from next
        bool pending = false;     ///< a page has been asked for and not answered
        bool tail_seen = false;   ///< the last loaded child has been shown since it came
        bool placeholder = false; ///< the `loading…` row, last child of a pending value
    };
    void append(Node* parent, const VariableRow& row, bool placeholder);
    Node* node(const QModelIndex& index) const;
    void noteShown(Node* n) const;
    QModelIndex indexOf(Node* n) const;

    std::unique_ptr<Node> m_root;
    QHash<uint64_t, Node*> m_by_id;
    uint64_t m_generation = 0;
};

} // namespace seam::gui
