#pragma once
/// Internal to the sequence family (rust_vec.cpp registers them): the formatters that live in
/// files of their own because their ring or node walks are long enough to deserve one.
#include <cstdint>
#include <memory>
#include <string>

#include "formatters/core/formatter.h"

namespace seam::rust_collections {

/// `alloc::collections::VecDeque<T, A>`: a ring of `cap` slots, elements from `head`, wrapping.
std::unique_ptr<Formatter> make_vec_deque_formatter();
/// `alloc::collections::LinkedList<T, A>`: boxed nodes from `head`, `len` of them.
std::unique_ptr<Formatter> make_linked_list_formatter();

/// Reads one byte at each end of `[ptr + from, ptr + to)` (`to` at most `bytes`), so that a null
/// or dangling pointer, or a length past the mapping, is found before any child is asked for.
/// The range is the part of the `bytes` at `ptr` that a renderer reads first (its children
/// budget): both bytes then come from that read, and a buffer larger than the budget costs no
/// read of its own for its far end. Returns the `<error: cannot read N bytes at 0x..>` marker
/// (N being `bytes`), or "" when both are readable.
std::string probe_range(Context& ctx, uint64_t ptr, uint64_t bytes, uint64_t from = 0,
                        uint64_t to = UINT64_MAX);

} // namespace seam::rust_collections
