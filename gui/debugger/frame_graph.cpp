#include "gui/debugger/frame_graph.h"

#include "formatters/own/own_graph.h"
#include "formatters/svg/dot_svg.h"
#include "plugin/lldb/own_roots.h"
#include "plugin/lldb/sb_memory.h"

namespace seam::gui {

GraphInfo frame_graph(::lldb::SBProcess process) {
    GraphInfo out;
    lldb::SBMemoryReader mem(process, process.GetTarget());
    auto roots = lldb::collect_roots(process, lldb::RootScope::Frame, mem);
    if (!roots) {
        out.error = QString::fromStdString(roots.error().message);
        return out;
    }
    Context ctx(mem, roots->info, builtin_registry(), lldb::graph_budget());
    own::Graph g = own::build_graph(ctx, roots->roots);
    out.nodes = int(g.nodes.size());
    out.edges = int(g.edges.size());
    for (const own::Finding& f : g.findings)
        out.findings << QStringLiteral("%1: %2").arg(own::finding_kind_name(f.kind),
                                                     QString::fromStdString(f.message));
    if (g.truncated)
        out.findings << QStringLiteral("truncated: ") + QString::fromStdString(g.truncated_reason);
    auto svg = svg::dot_to_svg(own::render_dot(g));
    if (svg)
        out.svg = QByteArray::fromStdString(*svg);
    else
        out.error = QString::fromStdString(svg.error().message);
    return out;
}

} // namespace seam::gui
