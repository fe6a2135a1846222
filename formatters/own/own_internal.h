#pragma once
/// Internal to formatters/own: the phrases findings, chains and the text renderer share, so
/// that one fact reads the same wherever it is printed.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "formatters/own/own_graph.h"

namespace seam::own {

/// `frame #0 own::main: list.head`: the node holding the pointer, then the path in it.
std::string place_text(const Graph& g, NodeId node, const std::string& path);
/// Where an edge's pointer sits: place_text of its `from` and `path`.
std::string edge_place(const Graph& g, const Edge& e);
/// The pointer's type without its generic arguments: `Rc`, `Box`, `&`, `void *`; empty if
/// unknown.
std::string pointer_word(const Edge& e);
/// `(Rc strong 2)`, `(Box)`, `(crossing, void *)`: the edge's kind and counts in a chain.
std::string edge_note(const Edge& e);
/// `strong 2 weak 0` of a shared allocation; `strong 1` where the pointer keeps no weak count
/// (the kernel crate's Arc).
std::string count_text(const Ownership& fact);
/// `0x55d0c0de0010`.
std::string hex(uint64_t v);
/// What a graph leaves out, a line each: the limit that cut it, the values that could not be
/// read, each walk that ended on a marked error. Empty for a whole graph; the text view and the
/// DOT view both say it.
std::string caveats_text(const Graph& g);

// Ranges sorted by start, with the greatest end so far: a look-up walks back only while some
// earlier range still reaches the address.
class RangeIndex {
public:
    void add(uint64_t begin, uint64_t size, uint32_t node) {
        if (size > 0) m_ranges.push_back({begin, begin + size, node});
    }
    void seal() {
        std::sort(m_ranges.begin(), m_ranges.end(),
                  [](const R& a, const R& b) { return a.begin < b.begin; });
        m_reach.resize(m_ranges.size());
        uint64_t reach = 0;
        for (size_t i = 0; i < m_ranges.size(); ++i)
            m_reach[i] = reach = std::max(reach, m_ranges[i].end);
    }
    /// The smallest range holding `a` whose id passes `keep`.
    template <class Keep> std::optional<uint32_t> find(uint64_t a, Keep keep) const {
        auto it = std::upper_bound(m_ranges.begin(), m_ranges.end(), a,
                                   [](uint64_t x, const R& r) { return x < r.begin; });
        std::optional<uint32_t> best;
        uint64_t best_size = ~uint64_t(0);
        for (size_t i = size_t(it - m_ranges.begin()); i-- > 0;) {
            if (m_reach[i] <= a) break;
            const R& r = m_ranges[i];
            if (a < r.end && r.end - r.begin < best_size && keep(r.node)) {
                best = r.node;
                best_size = r.end - r.begin;
            }
        }
        return best;
    }
    std::optional<uint32_t> find(uint64_t a) const {
        return find(a, [](uint32_t) { return true; });
    }

private:
    struct R {
        uint64_t begin, end;
        uint32_t node;
    };
    std::vector<R> m_ranges;
    std::vector<uint64_t> m_reach;
};

/// The cells and locks of a graph by address: which one a guard holds, which one a borrow
/// points into.
class SiteIndex {
public:
    explicit SiteIndex(const Graph& g);
    /// The site a guard edge holds: the smallest RefCell (for Ref/RefMut) or lock (for the
    /// lock guards) whose bytes contain its `guarded` address; null for other edges.
    const Site* guarded_by(const Graph& g, const Edge& e) const;
    /// The smallest site whose bytes contain `address`.
    const Site* containing(const Graph& g, uint64_t address) const;

private:
    RangeIndex m_index;
};

} // namespace seam::own
