#pragma once
/// The ownership graph of one frame for the graph view: the roots `seam own --frame` takes, the
/// engine's graph and findings, Graphviz's SVG of its DOT. Built on demand (a graph may walk a
/// large heap) and kept, so that a value selected afterwards is drawn over the same graph: only
/// the chains that keep it alive (own::why_alive) in colour.
#include <lldb/API/SBProcess.h>

#include <optional>

#include "formatters/own/own_graph.h"
#include "gui/model/debug_data.h"

namespace seam::gui {

class FrameGraph {
public:
    /// Builds the graph of the selected frame of the selected thread of `process`, and keeps it.
    GraphInfo build(::lldb::SBProcess process);
    /// The kept graph drawn for one value (`name` as the variables view shows its path): the
    /// chains that keep alive the node holding `address` (the allocation the value owns or
    /// points to, or the memory the value sits in).
    GraphInfo focus(uint64_t address, const QString& name);
    bool built() const { return m_graph.has_value(); }
    void clear() { m_graph.reset(); }

private:
    GraphInfo draw(const own::DotFocus* focus);
    std::optional<own::Graph> m_graph;
    QString m_error; ///< why the last build made no graph
};

} // namespace seam::gui
