#pragma once
/// Internal to formatters/own: what the walk (own_build.cpp) hands to the resolution of
/// pointer targets (own_resolve.cpp) once every allocation is known.
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "formatters/own/own_graph.h"

namespace seam::own {

inline constexpr NodeId kNoNode = ~NodeId(0);
inline constexpr EdgeId kNoEdge = ~EdgeId(0);

/// Appends `item` to `list` with its index as its id, and returns the id.
template <class T> uint32_t append_with_id(std::deque<T>& list, T item) {
    item.id = uint32_t(list.size());
    list.push_back(std::move(item));
    return list.back().id;
}

/// Memory a root's value occupies: a borrow of a local is a borrow of its frame.
struct RootRange {
    uint64_t begin = 0;
    uint64_t size = 0;
    NodeId node = 0;
};

/// An edge whose `to` is not known yet, and the type its pointer names (for an object node).
struct PendingEdge {
    EdgeId edge = 0;
    const Type* pointee = nullptr;
};

struct BuildState {
    std::unordered_map<uint64_t, NodeId> by_address; ///< allocation and object nodes by start
    std::vector<RootRange> ranges;
    std::vector<PendingEdge> pending;
};

/// Points every pending edge at the node holding its target (the smallest one where several
/// do), making an object node where none does; a C pointer (or a pointer in C memory) to Rust
/// memory becomes a crossing; a guard's edge takes the state of the cell or lock it holds.
void resolve_pointers(Graph& g, BuildState& s);

/// `Node`, `Vec<u64>`, `struct holder` as seam prints a type, by its language.
std::string type_label(const Type* t);
/// "rust", "c" or "".
std::string language_of(const Type* t);

} // namespace seam::own
