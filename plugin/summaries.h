#pragma once
/// `frame variable` summaries for Rust's std types: a type category "seam" whose summaries
/// call into the engine.
#include <lldb/API/SBDebugger.h>

namespace seam::plugin {

/// Creates and enables the "seam" category in `debugger`. False when LLDB refused it.
bool register_summaries(::lldb::SBDebugger debugger);

/// Gives `frame variable` seam's summary for the C types the installed recipes name (Rust types
/// have it already): each rule's struct, a [[list]]'s `T *`. Idempotent; call after recipes
/// are installed, from a command (never from inside a formatter callback).
bool register_recipe_summaries(::lldb::SBDebugger debugger);

} // namespace seam::plugin
