#pragma once
/// Turns a child seam formatted into an SBValue LLDB can show, type it and expand.
#include <lldb/API/SBTarget.h>
#include <lldb/API/SBValue.h>

#include <string>

#include "formatters/core/context.h"
#include "plugin/lldb/sb_value_map.h"

namespace seam::plugin {

/// The SBValue for `child`, named `name`, created below `parent` (the value LLDB asked about):
///   - in memory, with an SBType LLDB knows for the child's DWARF type: a value at its address;
///   - held in bytes (a register, a value seam synthesised), with such a type: a value over
///     those bytes;
///   - otherwise a `char` array holding seam's summary of it, which LLDB shows as a string.
/// The child is remembered (seam::lldb::remember_created) so that its summary and its own
/// children map back to `child` exactly. Never throws; an invalid SBValue when LLDB refused.
::lldb::SBValue make_child(::lldb::SBValue parent, Context& ctx, const DebugInfo* info,
                           const std::string& name, const Value& child);
/// The same with the child's SBType already found (find_sb_type), as a provider that keeps
/// one per child type does: the search is skipped.
::lldb::SBValue make_child(::lldb::SBValue& parent, Context& ctx, const DebugInfo* info,
                           const std::string& name, const Value& child, ::lldb::SBType type);
/// A leaf child that LLDB shows as `text` (a `char` array holding it), with no children.
::lldb::SBValue text_child(::lldb::SBValue& parent, const std::string& name,
                           const std::string& text);

/// The SBType of `t` in `target`: among the types `parent` (the containing value's type)
/// reaches, else by name (Rust spelling first, then LLDB's C spelling), pointers and arrays
/// built from their element types; checked against the DWARF size. Invalid when LLDB has none.
::lldb::SBType find_sb_type(::lldb::SBTarget target, ::lldb::SBType parent, const Type* t);

} // namespace seam::plugin
