#pragma once
/// The roots of the ownership graph (formatters/own/own_graph.h), read through the SB API: the
/// variables of one frame, of every frame of a thread, or of every thread plus the statics of
/// every module with DWARF. Works over any target, live or core.
#include <lldb/API/SBFrame.h>
#include <lldb/API/SBProcess.h>

#include <string>
#include <vector>

#include "formatters/core/memory.h"
#include "formatters/core/result.h"
#include "formatters/dwarf/debug_info.h"
#include "formatters/own/own_graph.h"
#include "plugin/lldb/frame_values.h"

namespace seam::lldb {

enum class RootScope {
    Frame,   ///< the selected frame's variables
    Thread,  ///< every frame of the selected thread
    Process, ///< every frame of every thread, and the statics of every module with DWARF
};

struct OwnRoots {
    std::vector<own::Root> roots;
    /// The types the graph is built with (Context's TypeIndex): the selected frame's module,
    /// else the executable's. Never null on success.
    const DebugInfo* info = nullptr;
    /// What could not be taken, one line each, for the user (`#5 __libc_start_call_main: no
    /// debug info`): a root that is missing is said, never silently dropped.
    std::vector<std::string> skipped;
    /// Frames with no DWARF (rustc's C-ABI `main`, `_start`, C built without -g): no variables
    /// to read, named once together (`#15 main`).
    std::vector<std::string> frames_without_dwarf;
};

/// The roots of `scope`, from the selected thread and frame of `process`. A frame's roots are
/// labelled `#N function` and share its CFA; statics are labelled by their qualified name.
/// Variables whose location cannot be read at the PC (optimised out) are left out and counted
/// in `skipped`.
Result<OwnRoots> collect_roots(::lldb::SBProcess process, RootScope scope, MemoryReader& mem);

/// What building one ownership graph may read: a whole process's heap, not a value's page.
Budget graph_budget();

/// `#N function`: how a frame's roots are labelled (the graph names the frame by it).
std::string frame_label(const FrameScope& scope);

/// The roots of one frame (`<prefix>#N function` label, its CFA); appends to `out`.
void add_frame_roots(::lldb::SBFrame frame, MemoryReader& mem, OwnRoots& out,
                     const std::string& prefix = {});

} // namespace seam::lldb
