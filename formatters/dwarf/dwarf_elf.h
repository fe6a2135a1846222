#pragma once
/// The parts of the ELF file libdwarf does not read for us: which debug sections it cannot
/// decompress, and the symbol table (function names where there is no DWARF).
#include <cstdint>
#include <string>
#include <vector>

#include "formatters/core/result.h"

namespace seam::dwarf {

/// An error naming the first .debug_* section compressed with something other than zlib
/// (libdwarf 20210528 reads zlib only; `ld --compress-debug-sections=zstd` output fails).
Status check_debug_sections(const std::string& path);

class Symbols {
public:
    /// Function symbols of .symtab (or .dynsym when stripped); empty if the file has none.
    static Symbols load(const std::string& path);
    /// The raw (mangled) name of the function symbol covering `file_addr`, "" if none.
    std::string function_at(uint64_t file_addr) const;
    /// True when a thread-local symbol (STT_TLS, of .symtab) of `size` bytes lies at `offset` in
    /// the TLS segment: what confirms a DWARF thread-local's offset, which a linker that dropped
    /// the variable leaves at 0.
    bool has_tls(uint64_t offset, uint64_t size) const;

private:
    struct Entry {
        uint64_t address = 0;
        uint64_t size = 0;
        std::string name;
    };
    std::vector<Entry> m_entries;                     ///< sorted by address
    std::vector<std::pair<uint64_t, uint64_t>> m_tls; ///< (offset, size), sorted
};

} // namespace seam::dwarf
