#include "gui/debugger/variable_store.h"

#include <lldb/API/SBTarget.h>
#include <lldb/API/SBThread.h>

#include "formatters/render/render.h"
#include "formatters/render/render_children.h"
#include "plugin/lldb/debug_info_cache.h"
#include "plugin/lldb/frame_values.h"
#include "plugin/lldb/sb_memory.h"

namespace seam::gui {

void VariableStore::clear() {
    m_entries.clear();
    m_info = nullptr;
}

namespace {
// Whether `f` is shown otherwise than its fields lie in memory: a std family or a recipe made
// it, not one of the language-level formatters raw_registry holds. Compared by name, so that
// no type's memo of its formatter is swapped between the two registries.
bool formatted_beyond_raw(const Formatted& f) {
    if (f.shape == Shape::Error || !f.formatter || f.value.synthetic || !f.value.type) return false;
    for (const auto& raw : raw_registry().all())
        if (raw->name() == f.formatter->name()) return false;
    return true;
}
} // namespace

VariableRow VariableStore::row(Context& ctx, const QString& name, const Formatted& f, bool raw) {
    VariableRow r;
    r.name = name;
    r.type = QString::fromStdString(f.type_name);
    // The very line `frame variable`, `seam print` and seam-report show beside the value.
    r.summary =
        QString::fromStdString(f.shape == Shape::Error ? f.text : render_summary_line(ctx, f));
    if (f.shape != Shape::Error) r.badge = QString::fromStdString(ownership_badge(f.own));
    r.children = f.shape == Shape::Error ? 0 : f.count;
    r.raw = !raw && formatted_beyond_raw(f);
    r.id = m_next_id++;
    m_entries.emplace(r.id, Entry{name, f, m_info, raw, r.raw});
    return r;
}

VariableRow VariableStore::raw_row(MemoryReader& mem, const Entry& e) {
    Context ctx(mem, e.info, raw_registry(), k_budget);
    return row(ctx, QStringLiteral("[raw]"), ctx.format(e.value.value), true);
}

Result<QVector<VariableRow>> VariableStore::roots(::lldb::SBFrame frame) {
    auto scope = lldb::frame_scope(frame, lldb::DebugInfoCache::shared());
    if (!scope) return scope.error();
    m_info = scope->info;
    ::lldb::SBProcess process = frame.GetThread().GetProcess();
    lldb::SBMemoryReader mem(process, process.GetTarget());
    auto vars = lldb::frame_variables(*scope, mem);
    if (!vars) return vars.error();
    QVector<VariableRow> out;
    for (const lldb::NamedValue& nv : *vars) {
        // A context per variable: one huge value must not spend the others' budget.
        Context ctx(mem, m_info, builtin_registry(), k_budget);
        out.push_back(row(ctx, QString::fromStdString(nv.name), ctx.format(nv.value), false));
    }
    return out;
}

VariableStore::Page VariableStore::children(::lldb::SBProcess process, uint64_t id, uint64_t start,
                                            uint64_t count) {
    Page page;
    page.next = start + count;
    auto it = m_entries.find(id);
    if (it == m_entries.end() || !count) return page;
    // Copied: row() below may grow the table and move the entry.
    Entry entry = it->second;
    lldb::SBMemoryReader mem(process, process.GetTarget());
    // Row 0 of a value formatted beyond its fields is its `[raw]` view; child i is row i + 1.
    uint64_t first = start;
    if (entry.raw_row) {
        if (start == 0) {
            page.rows.push_back(raw_row(mem, entry));
            --count;
        } else {
            --first;
        }
    }
    if (!count || first >= entry.value.count) return page;
    Context ctx(mem, entry.info, entry.raw ? raw_registry() : builtin_registry(), k_budget);
    std::vector<Child> kids = ctx.children(entry.value, first, count);
    for (size_t i = 0; i < kids.size(); ++i) {
        auto tc = tree_child(ctx, entry.value, first + i, kids[i]);
        if (tc)
            page.rows.push_back(row(ctx, QString::fromStdString(tc->label), tc->value, entry.raw));
    }
    // A formatter that gave fewer children than asked hit a fault of its own: say so.
    if (kids.size() < count && first + kids.size() < entry.value.count) {
        VariableRow missing;
        missing.name = QStringLiteral("[%1]").arg(first + kids.size());
        missing.summary =
            QString::fromStdString(more_marker(entry.value.count - first - kids.size()));
        page.rows.push_back(missing);
        page.next = entry.value.count + (entry.raw_row ? 1 : 0);
    }
    return page;
}

} // namespace seam::gui

namespace seam::gui {

uint64_t VariableStore::memory_of(uint64_t id) const {
    auto it = m_entries.find(id);
    if (it == m_entries.end()) return 0;
    const Formatted& f = it->second.value;
    return f.own.address ? f.own.address : f.value.address.value_or(0);
}

Result<QString> VariableStore::text(::lldb::SBProcess process, uint64_t id, ValueTextKind kind) {
    auto it = m_entries.find(id);
    if (it == m_entries.end()) return err("the value is gone (the process moved on)");
    const Entry& entry = it->second;
    lldb::SBMemoryReader mem(process, process.GetTarget());
    if (kind == ValueTextKind::Raw) {
        // The fields as memory holds them, a few levels down: enough to see a Vec's RawVec and
        // its pointer, never a whole buffer.
        Context ctx(mem, entry.info, raw_registry(), k_raw_budget);
        return QString::fromStdString(
            render_tree(ctx, entry.value.value, entry.name.toStdString(), k_raw_depth));
    }
    // `seam print --debug`'s budget: the whole value, as the program would print it.
    Context ctx(mem, entry.info, builtin_registry(), Budget{});
    return QString::fromStdString(
        render_debug(ctx, entry.value, kind == ValueTextKind::PrettyDebug));
}

} // namespace seam::gui
