#pragma once
/// Everything one formatting request needs: memory, type look-ups, the formatters, and the
/// budget it must stay within. Not thread-safe; make one per request.
#include <cstdint>
#include <span>
#include <string_view>

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

    /// Formats `v` with the registry's formatter; depth-limited; a value with no formatter, or
    /// a synthetic leaf, is handled here.
    Formatted format(const Value& v);
    /// Children of a formatted value, `start .. start+count`.
    std::vector<Child> children(const Formatted& f, uint64_t start, uint64_t count);

    /// Depth of nested format() calls, for renderers that recurse.
    unsigned depth() const { return m_depth; }
    struct DepthGuard {
        Context& c;
        explicit DepthGuard(Context& ctx) : c(ctx) { ++c.m_depth; }
        ~DepthGuard() { --c.m_depth; }
    };

private:
    MemoryReader& m_mem;
    const TypeIndex* m_types;
    const Registry& m_registry;
    Budget m_budget;
    Usage m_usage;
    unsigned m_depth = 0;
};

} // namespace seam
