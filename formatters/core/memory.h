#pragma once
/// The memory reader the engine reads through, and the budget every formatting runs under.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "formatters/core/result.h"

namespace seam {

/// Reads target memory. The LLDB layer implements it over SBProcess (falling back to the
/// executable's file sections for a core, which holds no read-only file-backed pages); tests
/// implement it over a byte buffer.
class MemoryReader {
public:
    virtual ~MemoryReader() = default;
    /// Fills `out` with the bytes at `address`, all or nothing.
    virtual Status read(uint64_t address, std::span<std::byte> out) = 0;
};

/// Limits on one formatting request. A corrupted value (a length of 2^61, a cycle, a garbage
/// bucket mask) must end as a marked error within these, never as a hang.
struct Budget {
    uint64_t max_bytes = 64ull << 20;  ///< bytes read from the target
    uint64_t max_elements = 1'000'000; ///< container elements visited
    unsigned max_depth = 64;           ///< nesting of values
    uint64_t max_string = 16ull << 20; ///< bytes of one string
    uint64_t max_children = 100'000;   ///< children rendered of one container before "..."
};

struct Usage {
    uint64_t bytes = 0;
    uint64_t reads = 0;
    uint64_t elements = 0;
};

} // namespace seam
