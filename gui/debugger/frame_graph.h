#pragma once
/// The ownership graph of one frame for the graph view: the roots `seam own --frame` takes, the
/// engine's graph and findings, Graphviz's SVG of its DOT. Built on demand: a graph may walk a
/// large heap.
#include <lldb/API/SBProcess.h>

#include "gui/model/debug_data.h"

namespace seam::gui {

/// The graph of the selected frame of the selected thread of `process`.
GraphInfo frame_graph(::lldb::SBProcess process);

} // namespace seam::gui
