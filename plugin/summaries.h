#pragma once
/// `frame variable` summaries for Rust's std types: a type category "seam" whose summaries
/// call into the engine.
#include <lldb/API/SBDebugger.h>

namespace seam::plugin {

/// Creates and enables the "seam" category in `debugger`. False when LLDB refused it.
bool register_summaries(::lldb::SBDebugger debugger);

} // namespace seam::plugin
