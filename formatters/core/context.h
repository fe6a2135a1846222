#pragma once
/// Everything one formatting request needs: memory, type look-ups, the formatters, and the
/// budget it must stay within. Not thread-safe; make one per request.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "formatters/core/formatter.h"
#include "formatters/core/memory.h"

namespace seam {

class Context {
public:
    Context(MemoryReader& mem, const TypeIndex* types, const Registry& registry,
            Budget budget = {});

    const TypeIndex* types() const { return m_types; }
    const Registry& registry() const { return m_registry; }
    const Budget& budget() const { return m_budget; }
    const Usage& usage() const { return m_usage; }

    /// Reads target memory, counted against the byte budget.
    Status read(uint64_t address, std::span<std::byte> out);
    /// Reads `out.size()` bytes of `v` starting `offset` bytes in, wherever `v` lives.
    Status read_bytes(const Value& v, uint64_t offset, std::span<std::byte> out);
    /// Little-endian unsigned integer of `size` (1..8) bytes at `offset` in `v`.
    Result<uint64_t> read_uint(const Value& v, uint64_t offset, size_t size);
    /// The named field of a struct value (typedefs stripped), as a sub-value.
    Result<Value> field(const Value& v, std::string_view name);
    /// Follows a pointer path of field names: field(field(v, a), b)...
    Result<Value> path(const Value& v, std::initializer_list<std::string_view> names);
    /// An unsigned integer field's value (pointers too), by field path.
    Result<uint64_t> uint_at(const Value& v, std::initializer_list<std::string_view> names);

    /// Counts `n` elements visited against the element budget; false once it is spent.
    bool take_elements(uint64_t n);

    /// Declares `[begin, end)` part of one allocation that the caller is about to read piece by
    /// piece (a Vec's elements, a hash table's control bytes or buckets). A read inside it then
    /// fetches a whole chunk around it in one MemoryReader::read, and later reads inside that
    /// chunk cost no read at all. `whole`: the first chunk is the whole range (the caller will
    /// read all of it); otherwise chunks start at 64 KiB and double, so that at most about as
    /// much again as was used is read. `descending`: the caller walks down (hashbrown's buckets
    /// lie below the control bytes, bucket 0 highest). Chunks never exceed read_chunk() nor a
    /// quarter of the byte budget left, and a chunk that cannot be read falls back to the read
    /// asked for.
    void prefetch(uint64_t begin, uint64_t end, bool whole = false, bool descending = false);
    /// The largest chunk prefetch() reads at once (default 16 MiB).
    void set_read_chunk(uint64_t bytes) { m_read_chunk = bytes; }
    uint64_t read_chunk() const { return m_read_chunk; }
    /// Distinct heap allocations the values formatted so far own (Vec and String buffers, Box
    /// and Rc allocations, hash tables): what `reads` is compared with.
    uint64_t allocations() const { return m_allocations.size(); }
    /// Whether allocations() is kept (it is by default). A walk that counts its allocations
    /// itself (the ownership graph) turns it off: a set of a million addresses is not free.
    void set_count_allocations(bool on) { m_count_allocations = on; }
    bool count_allocations() const { return m_count_allocations; }

    /// Where a formatter's walk over `key` (a hash table's control bytes) stopped last: the
    /// `ordinal`-th item is found from `position` on. Kept for the request, so that the next
    /// page resumes there instead of starting over.
    struct Resume {
        uint64_t ordinal = 0;
        uint64_t position = 0;
    };
    std::optional<Resume> resume_point(uint64_t key) const;
    void set_resume_point(uint64_t key, Resume r);

    /// Formats `v` with the registry's formatter; depth-limited; a value with no formatter, or
    /// a synthetic leaf, is handled here.
    Formatted format(const Value& v);
    /// Children of a formatted value, `start .. start+count`.
    std::vector<Child> children(const Formatted& f, uint64_t start, uint64_t count);
    /// Formatter::memory_children of a formatted value (what Debug hides behind a borrow or a
    /// lock included), `start .. start+count`.
    std::vector<Child> memory_children(const Formatted& f, uint64_t start, uint64_t count);

    /// Depth of nested format() calls, for renderers that recurse.
    unsigned depth() const { return m_depth; }
    struct DepthGuard {
        Context& c;
        explicit DepthGuard(Context& ctx) : c(ctx) { ++c.m_depth; }
        ~DepthGuard() { --c.m_depth; }
    };

private:
    struct Region {
        uint64_t begin = 0, end = 0;
        bool descending = false;
        uint64_t next_chunk = 0;
    };
    struct Block {
        uint64_t address = 0;
        std::vector<std::byte> bytes;
        uint64_t used = 0; ///< LRU stamp
    };
    bool read_cached(uint64_t address, std::span<std::byte> out);
    bool covered(uint64_t begin, uint64_t end) const;
    Status read_chunked(Region& r, uint64_t address, std::span<std::byte> out);
    void note_allocation(const Formatted& f);

    MemoryReader& m_mem;
    const TypeIndex* m_types;
    const Registry& m_registry;
    Budget m_budget;
    Usage m_usage;
    unsigned m_depth = 0;
    uint64_t m_read_chunk = 16ull << 20;
    std::vector<Region> m_regions; ///< newest last, a few dozen at most
    std::vector<Region> m_small;   ///< small values read whole on first use
    std::vector<Block> m_blocks;   ///< chunks read, least recently used evicted
    uint64_t m_clock = 0;
    std::unordered_set<uint64_t> m_allocations;
    bool m_count_allocations = true;
    std::unordered_map<uint64_t, Resume> m_resume;
};

} // namespace seam
