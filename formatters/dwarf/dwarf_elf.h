#pragma once
/// The parts of the ELF file libdwarf does not read for us: which debug sections it cannot
/// decompress, and the symbol table (function names where there is no DWARF).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formatters/core/result.h"

namespace seam::dwarf {

/// An error naming the first .debug_* section compressed with something other than zlib
/// (libdwarf 20210528 reads zlib only; `ld --compress-debug-sections=zstd` output fails).
/// Also an error when a .debug_rnglists or .debug_loclists table header is corrupt
/// (check_list_headers): libdwarf 20210528 frees memory twice on one.
Status check_debug_sections(const std::string& path);

/// Checks every unit header of a DWARF 5 range or location list table (`section` names it in
/// the error): its length within the section, version 5, an address size of 4 or 8, no segment
/// selectors, and an offset array its length holds.
Status check_list_headers(std::string_view section, std::string_view bytes);

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
