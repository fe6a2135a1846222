#pragma once
/// Maps a value LLDB hands seam (an SBValue in a `frame variable` summary callback) to a seam
/// Value with its DWARF type, the most precise way available (DESIGN.md):
///   1. a frame variable or a path of fields below one, by the frame, the root's name and the
///      DWARF's own fields, checked against LLDB's address and size; a root variable of the
///      frame that seam cannot locate (rustc -O2 kept no location for a piece of it) maps to
///      seam's error, never to LLDB's zero-filled bytes;
///   2. otherwise by type name, with Clang's renaming of Rust types undone
///      (`unsigned long` is `u64` or `usize`) and the byte size as the tie-break.
#include <lldb/API/SBValue.h>

#include <string>
#include <utility>
#include <vector>

#include "formatters/core/context.h"
#include "formatters/dwarf/debug_info.h"

namespace seam::lldb {

struct MappedValue {
    MappedValue() = default;
    MappedValue(Value v, const DebugInfo* from, bool frame)
        : value(std::move(v)), info(from), by_frame(frame) {}

    Value value;
    const DebugInfo* info = nullptr; ///< the type index the value's type came from
    bool by_frame = false;           ///< mapped through the frame (1.), not by name (2.)
    /// Why the frame's own variable could not be located, as `seam print` says it (`cannot
    /// locate 'x' in frame #0 (f): part of the value is optimised out (field data_ptr)`);
    /// `value` is then the leaf `<error: ...>`. Empty for a value that was mapped.
    std::string error;
};

/// `value` must be the non-synthetic view. Pointers are not followed here. A value seam created
/// itself (a synthetic child, see remember_created) maps back to the seam Value it was made from.
Result<MappedValue> map_sb_value(::lldb::SBValue value, const Budget& budget);

/// Records that seam created an SBValue of LLDB type `lldb_type_name` at `load_address` from
/// `mapped`: a later map_sb_value of it (its summary, its own children) gets `mapped` back
/// instead of guessing from the type name. Thread-safe; bounded in size.
void remember_created(uint64_t load_address, const std::string& lldb_type_name,
                      const MappedValue& mapped);
/// The same for a child LLDB holds no address for (bytes seam read or synthesised), by the
/// created SBValue's id.
void remember_created_id(uint64_t value_id, const MappedValue& mapped);

/// True when seam created `value` (remember_created / remember_created_id): a child of a Rust
/// value, whatever LLDB's name for its type (`double`, `unsigned char *`) would suggest.
bool created_by_seam(::lldb::SBValue value);

/// The Rust spellings a type name as LLDB shows it may stand for, most likely first:
/// `alloc::vec::Vec<unsigned long, alloc::alloc::Global>` gives the `u64` and the `usize`
/// forms. At most `limit` names; the name itself always comes first.
std::vector<std::string> rust_name_candidates(const std::string& lldb_name, size_t limit = 64);

} // namespace seam::lldb
