#include "gui/debugger/frame_graph.h"

#include <deque>

#include "formatters/svg/dot_svg.h"
#include "plugin/lldb/own_roots.h"
#include "plugin/lldb/sb_memory.h"

namespace seam::gui {

namespace {

// The variable a root edge starts from: its path up to the first field or element.
QString root_variable(const std::string& path) {
    size_t end = path.find_first_of(".[");
    return QString::fromStdString(path.substr(0, end));
}

// For each node, the frame variable through which the walk first reaches it (breadth first
// from the frames: the shortest way there), keyed by the node's id in the SVG (`n3`). Clicking
// a node selects that variable.
QHash<QString, QString> node_variables(const own::Graph& g) {
    QHash<QString, QString> out;
    std::vector<std::vector<own::EdgeId>> from(g.nodes.size());
    for (const own::Edge& e : g.edges) from[e.from].push_back(e.id);
    std::vector<QString> via(g.nodes.size());
    std::deque<own::NodeId> todo;
    for (const own::Node& n : g.nodes)
        if (n.kind == own::NodeKind::Frame)
            for (own::EdgeId id : from[n.id]) {
                const own::Edge& e = g.edges[id];
                if (!via[e.to].isEmpty() || g.nodes[e.to].kind == own::NodeKind::Frame) continue;
                via[e.to] = root_variable(e.path);
                todo.push_back(e.to);
            }
    while (!todo.empty()) {
        own::NodeId n = todo.front();
        todo.pop_front();
        for (own::EdgeId id : from[n]) {
            own::NodeId to = g.edges[id].to;
            if (!via[to].isEmpty() || g.nodes[to].kind == own::NodeKind::Frame) continue;
            via[to] = via[n];
            todo.push_back(to);
        }
    }
    for (const own::Node& n : g.nodes)
        if (!via[n.id].isEmpty()) out.insert(QStringLiteral("n%1").arg(n.id), via[n.id]);
    return out;
}

} // namespace

GraphInfo FrameGraph::build(::lldb::SBProcess process) {
    m_graph.reset();
    m_error.clear();
    lldb::SBMemoryReader mem(process, process.GetTarget());
    auto roots = lldb::collect_roots(process, lldb::RootScope::Frame, mem);
    if (!roots) {
        m_error = QString::fromStdString(roots.error().message);
        GraphInfo out;
        out.error = m_error;
        return out;
    }
    Context ctx(mem, roots->info, builtin_registry(), lldb::graph_budget());
    m_graph = own::build_graph(ctx, roots->roots);
    return draw(nullptr);
}

GraphInfo FrameGraph::focus(uint64_t address, const QString& name) {
    if (!m_graph) {
        GraphInfo out;
        out.error = m_error.isEmpty() ? QStringLiteral("no graph drawn") : m_error;
        return out;
    }
    std::optional<own::NodeId> node = address ? own::node_at(*m_graph, address) : std::nullopt;
    if (!node) {
        GraphInfo out = draw(nullptr);
        out.focus = name;
        out.chains
            << QStringLiteral("%1 is no allocation of the graph: its frame holds it").arg(name);
        return out;
    }
    own::DotFocus focus{*node, own::keep_alive_edges(*m_graph, *node)};
    GraphInfo out = draw(&focus);
    out.focus = name;
    std::vector<own::Chain> chains = own::why_alive(*m_graph, *node);
    for (const own::Chain& c : chains)
        out.chains << QString::fromStdString(own::chain_text(*m_graph, c));
    if (chains.empty())
        out.chains << QStringLiteral("nothing keeps %1 alive: %2")
                          .arg(name, QString::fromStdString(own::node_text(*m_graph, *node)));
    return out;
}

GraphInfo FrameGraph::draw(const own::DotFocus* focus) {
    const own::Graph& g = *m_graph;
    GraphInfo out;
    out.nodes = int(g.nodes.size());
    out.edges = int(g.edges.size());
    for (const own::Finding& f : g.findings)
        out.findings << QStringLiteral("%1: %2").arg(own::finding_kind_name(f.kind),
                                                     QString::fromStdString(f.message));
    if (g.truncated)
        out.findings << QStringLiteral("truncated: ") + QString::fromStdString(g.truncated_reason);
    for (const own::GraphError& e : g.errors)
        out.findings << QStringLiteral("error: ") + QString::fromStdString(own::error_text(g, e));
    out.node_variables = node_variables(g);
    auto svg = svg::dot_to_svg(own::render_dot(g, {.node_ids = true, .focus = focus}));
    if (svg)
        out.svg = QByteArray::fromStdString(*svg);
    else
        out.error = QString::fromStdString(svg.error().message);
    return out;
}

} // namespace seam::gui
