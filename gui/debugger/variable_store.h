#pragma once
/// The values behind the variables view, on the worker's thread: each value gets an id; a page
/// of its children, or its Debug text, is formatted when the view asks for it (never before),
/// through the engine's formatters over the frame's DWARF. Cleared at every stop and frame
/// change: an id names a value of one stop only.
#include <lldb/API/SBFrame.h>
#include <lldb/API/SBProcess.h>

#include <unordered_map>

#include "formatters/core/context.h"
#include "formatters/core/result.h"
#include "formatters/dwarf/debug_info.h"
#include "gui/model/debug_data.h"

namespace seam::gui {

class VariableStore {
public:
    /// Forgets every value; ids handed out so far mean nothing from now on.
    void clear();
    /// The variables of `frame`, parameters first, each summarised with its ownership badge.
    Result<QVector<VariableRow>> roots(::lldb::SBFrame frame);

    struct Page {
        QVector<VariableRow> rows;
        uint64_t next = 0; ///< the child index after the last one asked for
    };
    /// Rows `start .. start + count` under value `id` (fewer where a child has no row of its
    /// own: a scalar pointee, whose text its parent's summary already shows). A value that a
    /// std family or a recipe formatted (VariableRow::raw) has its `[raw]` row first, its
    /// children after it: row `i + 1` is child `i`. The `[raw]` row's own children, and theirs,
    /// are the fields as memory holds them (raw_registry: no family, no recipe).
    Page children(::lldb::SBProcess process, uint64_t id, uint64_t start, uint64_t count);

    /// The text of value `id` on demand: its Debug (`{:?}`, `{:#?}`) or its `[raw]` tree.
    Result<QString> text(::lldb::SBProcess process, uint64_t id, ValueTextKind kind);

    /// Where value `id` leads in memory: the allocation or referent its ownership fact names,
    /// else the address the value itself sits at; 0 when neither (a value in registers).
    uint64_t memory_of(uint64_t id) const;

    /// Per value: the view shows a line per value, never a whole container at once.
    static constexpr Budget k_budget = {
        .max_bytes = 4 << 20, .max_elements = 10'000, .max_children = 256};

    static constexpr Budget k_raw_budget = {.max_bytes = 1 << 20, .max_children = 64};
    static constexpr unsigned k_raw_depth = 8;

private:
    struct Entry {
        QString name;
        Formatted value;
        const DebugInfo* info = nullptr;
        bool raw = false;     ///< formatted with raw_registry (under a `[raw]` row)
        bool raw_row = false; ///< its first row is its `[raw]` view
    };
    /// `raw`: `f` was formatted with raw_registry, and so are its children.
    VariableRow row(Context& ctx, const QString& name, const Formatted& f, bool raw);
    /// The `[raw]` row of `e`: its value again, formatted with raw_registry.
    VariableRow raw_row(MemoryReader& mem, const Entry& e);
    std::unordered_map<uint64_t, Entry> m_entries;
    uint64_t m_next_id = 1;
    const DebugInfo* m_info = nullptr; ///< of the frame the roots came from
};

} // namespace seam::gui
