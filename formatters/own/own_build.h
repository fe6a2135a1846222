#pragma once
/// Internal to formatters/own: what the walk (own_build.cpp) hands to the resolution of
/// pointer targets (own_resolve.cpp) once every allocation is known.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "formatters/own/own_graph.h"

namespace seam::own {

inline constexpr NodeId kNoNode = ~NodeId(0);
inline constexpr EdgeId kNoEdge = ~EdgeId(0);

/// Appends `item` to `list` with its index as its id, and returns the id.
template <class T> uint32_t append_with_id(std::deque<T>& list, T&& item) {
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

/// Node ids by start address: open addressing (linear probing, a power-of-two table at most
/// half full). The walk looks an address up for every owning pointer it meets; a node-based
/// map costs an allocation per node and a good part of a million-node graph's time.
class AddressMap {
public:
    std::optional<NodeId> find(uint64_t address) const {
        if (address == 0) return m_zero;
        if (m_slots.empty()) return std::nullopt;
        for (size_t i = home(address);; i = (i + 1) & (m_slots.size() - 1)) {
            if (m_slots[i].key == address) return m_slots[i].id;
            if (m_slots[i].key == 0) return std::nullopt;
        }
    }
    void set(uint64_t address, NodeId id) {
        if (address == 0) {
            m_zero = id;
            return;
        }
        if ((m_used + 1) * 2 > m_slots.size()) grow();
        size_t i = home(address);
        while (m_slots[i].key != 0 && m_slots[i].key != address) i = (i + 1) & (m_slots.size() - 1);
        if (m_slots[i].key == 0) ++m_used;
        m_slots[i] = {address, id};
    }

private:
    struct Slot {
        uint64_t key = 0; ///< 0: empty (address 0 is kept apart)
        NodeId id = 0;
    };
    // Fibonacci hashing: allocations are 16-aligned, so their low bits say nothing.
    size_t home(uint64_t address) const {
        return size_t((address * 0x9E3779B97F4A7C15ull) >> m_shift);
    }
    void grow() {
        std::vector<Slot> old = std::move(m_slots);
        size_t size = old.empty() ? 64 : old.size() * 2;
        m_slots.assign(size, Slot{});
        m_shift = 64 - unsigned(__builtin_ctzll(size));
        m_used = 0;
        for (const Slot& s : old)
            if (s.key != 0) set(s.key, s.id);
    }
    std::vector<Slot> m_slots;
    size_t m_used = 0;
    unsigned m_shift = 64;
    std::optional<NodeId> m_zero;
};

struct BuildState {
    AddressMap by_address; ///< allocation and object nodes by start
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
