// The debug sections' bytes, mapped read-only from the ELF file, for the unit scanner
// (dwarf_scan.cpp). libdwarf 20210528 gives no access to a section's data, and walking a
// large unit through its DIE handles costs ~0.5 µs a DIE (an allocation, an abbreviation
// look-up and a size computation per attribute): the scanner reads the same bytes directly.
#include <cstring>
#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "formatters/dwarf/dwarf_internal.h"

namespace seam::dwarf {

RawSections::~RawSections() {
    if (map) ::munmap(map, map_size);
}

std::unique_ptr<RawSections> map_raw_sections(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return nullptr;
    struct stat st {};
    void* map = nullptr;
    if (::fstat(fd, &st) == 0 && st.st_size >= off_t(sizeof(Elf64_Ehdr)))
        map = ::mmap(nullptr, size_t(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (!map || map == MAP_FAILED) return nullptr;
    auto raw = std::make_unique<RawSections>();
    raw->map = map;
    raw->map_size = size_t(st.st_size);
    const auto* base = static_cast<const uint8_t*>(map);
    size_t size = raw->map_size;

    // Only what needs no relocation or decompression: a little-endian ELF64 executable or
    // shared object. Anything else (an object file, SHF_COMPRESSED or .zdebug sections) is
    // left to libdwarf, which applies relocations and inflates zlib.
    Elf64_Ehdr eh;
    std::memcpy(&eh, base, sizeof eh);
    if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
        eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_type == ET_REL ||
        eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shoff == 0 || eh.e_shoff > size)
        return nullptr;
    auto shdr_at = [&](size_t i, Elf64_Shdr& out) {
        uint64_t at = eh.e_shoff + i * sizeof(Elf64_Shdr);
        if (at + sizeof(Elf64_Shdr) > size) return false;
        std::memcpy(&out, base + at, sizeof out);
        return true;
    };
    Elf64_Shdr first;
    if (!shdr_at(0, first)) return nullptr;
    size_t count = eh.e_shnum ? eh.e_shnum : first.sh_size;
    size_t strndx = eh.e_shstrndx == SHN_XINDEX ? first.sh_link : eh.e_shstrndx;
    Elf64_Shdr names;
    if (!shdr_at(strndx, names) || names.sh_offset > size || names.sh_size > size - names.sh_offset)
        return nullptr;
    for (size_t i = 0; i < count; ++i) {
        Elf64_Shdr sh;
        if (!shdr_at(i, sh)) return nullptr;
        if (sh.sh_name >= names.sh_size) continue;
        const char* name = reinterpret_cast<const char*>(base + names.sh_offset + sh.sh_name);
        size_t max_len = names.sh_size - sh.sh_name;
        std::string_view n(name, strnlen(name, max_len));
        if (n.starts_with(".zdebug_")) return nullptr;
        std::string_view* slot = n == ".debug_info"          ? &raw->info
                                 : n == ".debug_abbrev"      ? &raw->abbrev
                                 : n == ".debug_str"         ? &raw->str
                                 : n == ".debug_line_str"    ? &raw->line_str
                                 : n == ".debug_str_offsets" ? &raw->str_offsets
                                                             : nullptr;
        if (!slot) continue;
        if ((sh.sh_flags & SHF_COMPRESSED) || sh.sh_type == SHT_NOBITS) return nullptr;
        if (sh.sh_offset > size || sh.sh_size > size - sh.sh_offset) return nullptr;
        *slot = std::string_view(reinterpret_cast<const char*>(base + sh.sh_offset), sh.sh_size);
    }
    if (raw->info.empty() || raw->abbrev.empty()) return nullptr;
    return raw;
}

} // namespace seam::dwarf
