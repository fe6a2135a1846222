#pragma once
/// Variables of an LLDB frame, read through seam's DWARF reader, never through LLDB's Clang
/// types (DESIGN.md: LLDB 19 truncates Rust discriminants and renames Rust types).
#include <lldb/API/SBFrame.h>

#include <string>
#include <string_view>
#include <vector>

#include "formatters/core/context.h"
#include "formatters/dwarf/debug_info.h"
#include "plugin/lldb/debug_info_cache.h"

namespace seam::lldb {

/// What reading values in one frame needs: its module's DWARF and the PC to look up.
struct FrameScope {
    ::lldb::SBFrame frame;
    const DebugInfo* info = nullptr;
    /// The PC for scope and location-list look-ups: the frame's PC in the innermost frame,
    /// the return address minus one in callers (the return address may already lie in the
    /// next scope, or past the end of the function for a call to a noreturn function).
    uint64_t lookup_pc = 0;
    uint32_t index = 0;   ///< frame number, for messages
    std::string function; ///< qualified function name, for messages
    /// How many inlined frames LLDB shows between this frame and the innermost frame of the
    /// same physical frame: the `inline_depth` of DebugInfo::variables_at.
    unsigned inline_depth = 0;
    /// Safety net for a physical frame where LLDB and the DWARF reader disagree on how many
    /// inlined calls hold the PC (then the depth may name the wrong function): variables are
    /// kept only where LLDB places the same name and declaration line in this frame.
    /// This is the only path that asks LLDB for a frame's variables (`SBFrame::GetVariables`,
    /// names and declaration lines only, in frame_scope): everything else is DWARF alone, so
    /// LLDB's Clang view of Rust types (which overflows LLDB 19's stack on nested enums) is
    /// never built on the normal path.
    bool filtered = false;
    std::vector<std::pair<std::string, uint32_t>> own_variables;
};

/// How a map's entry is named, in LLDB's children (`[key]`) and in paths (`map[key]`): its key's
/// summary, cut at k_map_key_width characters.
constexpr size_t k_map_key_width = 60;
std::string map_key_text(Context& ctx, const Value& key);

/// The scope of `frame`; an error naming the frame when its module has no DWARF.
Result<FrameScope> frame_scope(::lldb::SBFrame frame, DebugInfoCache& cache);

/// `#1 (main::f)`, how messages name a frame.
std::string describe_frame(const FrameScope& scope);

struct NamedValue {
    std::string name;
    Value value; ///< a leaf `<error: ...>` when the variable could not be located
    bool is_parameter = false;
};

/// Every variable in scope at the frame's PC, parameters first, in declaration order.
Result<std::vector<NamedValue>> frame_variables(const FrameScope& scope, MemoryReader& mem);

/// The declarations of the frame's parameters, every one of them: Rust shadows parameters
/// all the time (`let dev = &mut *dev;`), so a function that is a physical frame of its own is
/// looked up at its entry, where no inner block is open yet; an inlined frame (whose entry is
/// its caller's code) at its own PC and inline depth. Locate them at `scope.lookup_pc`.
Result<std::vector<Variable>> frame_parameters(const FrameScope& scope);

/// Resolves a variable path in the frame: `a`, `a.b.c`, `a.0` (tuple field `__0`), `*a`,
/// `a[3]`, `a->b`. Fields of structs and elements of arrays are taken from the DWARF type;
/// a path step the type does not hold (an enum's payload, a Vec's element) is taken from the
/// children the value's formatter gives, so `opt.0` and `v[2]` work as `seam print` shows them.
Result<Value> resolve_path(const FrameScope& scope, Context& ctx, MemoryReader& mem,
                           std::string_view path);

/// Applies the steps after the root variable to `root` (shared with summary mapping, which
/// starts from an LLDB expression path).
Result<Value> resolve_steps(Context& ctx, Value root, std::string_view root_name,
                            std::string_view steps);

} // namespace seam::lldb
