#pragma once
/// Synthetic children for LLDB: a Python class of a few lines (seam_children.py, installed
/// beside libseam.so) that forwards to the extern "C" seam_* functions of the plugin.
#include <lldb/API/SBDebugger.h>
#include <lldb/API/SBTypeCategory.h>
#include <lldb/API/SBTypeSummary.h>

namespace seam::plugin {

/// Imports seam_children.py from the plugin's own directory and adds its provider to
/// `category` for every type matching `regexes`, and `enum_summary` plus the provider to Rust
/// enums LLDB would show as `$variants$`. Where lldb has no Python (or the import fails) it says
/// so once on the debugger's error stream and returns false; summaries are unaffected.
bool register_children(::lldb::SBDebugger debugger, ::lldb::SBTypeCategory category,
                       const char* const* regexes, size_t count,
                       ::lldb::SBTypeSummary enum_summary);

} // namespace seam::plugin
