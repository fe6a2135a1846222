// The ELF file mapped read-only once, and what reads it in place: libdwarf through its object
// access interface, and the unit scanner (dwarf_scan.cpp) through RawSections.
//
// libdwarf's own ELF reader (dwarf_init_path) copies every debug section it touches into the
// heap and applies the file's relocations to it. A distro vmlinux is an executable linked with
// --emit-relocs: its 600 MB hold 170 MB of .debug_info and 270 MB of .rela.debug_info, and the
// first question about one unit cost 1.7 s and 850 MB of lldb's memory, reading and relocating
// them all. In an executable or shared object the linker has already applied those relocations
// to the section bytes (LLDB reads them as they are), so the mapping serves the bytes in place:
// a stop pays only for the pages of the units it reads. libdwarf 20210528 gives no access to a
// section's data either; the scanner reads the same mapping.
#include <cstring>
#include <elf.h>
#include <fcntl.h>
#include <mutex>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "formatters/dwarf/dwarf_internal.h"

// libdwarf 20210528 keeps one global hook for a section's ELF flags: its own reader sets it on
// every dwarf_init_path and never clears it, and _dwarf_setup then calls it with *any* object,
// ours included, as if it were that reader's (a read through a stale pointer, seen in the tests
// once a CfiTable had opened a file). dwarf_over() points it at ours while our object is set up,
// and puts it back. Weak: a libdwarf without the hook simply never calls it.
extern "C" {
using ElfFlagsHook = int (*)(void* obj, Dwarf_Half index, Dwarf_Unsigned* flags,
                             Dwarf_Unsigned* addralign, int* error);
extern ElfFlagsHook _dwarf_get_elf_flags_func_ptr __attribute__((weak));
}

namespace seam::dwarf {

namespace {

MappedElf* self(void* obj) {
    return static_cast<MappedElf*>(obj);
}

int section_info(void* obj, Dwarf_Half index, Dwarf_Obj_Access_Section* out, int* error) {
    const MappedElf& elf = *self(obj);
    if (index >= elf.sections.size()) {
        *error = DW_DLE_SECTION_INDEX_BAD;
        return DW_DLV_ERROR;
    }
    const Elf64_Shdr& sh = elf.sections[index];
    out->addr = sh.sh_addr;
    out->type = sh.sh_type;
    out->size = sh.sh_size;
    out->name = elf.names[index].c_str();
    out->link = sh.sh_link;
    out->info = sh.sh_info;
    out->entrysize = sh.sh_entsize;
    return DW_DLV_OK;
}

Dwarf_Endianness byte_order(void*) {
    return DW_OBJECT_LSB;
}
// libdwarf's own ELF64 reader answers 8 for both (units carry their own offset size).
Dwarf_Small length_size(void*) {
    return 8;
}
Dwarf_Small pointer_size(void*) {
    return 8;
}
Dwarf_Unsigned section_count(void* obj) {
    return self(obj)->sections.size();
}

int load_section(void* obj, Dwarf_Half index, Dwarf_Small** data, int* error) {
    const MappedElf& elf = *self(obj);
    if (index >= elf.sections.size()) {
        *error = DW_DLE_SECTION_INDEX_BAD;
        return DW_DLV_ERROR;
    }
    const Elf64_Shdr& sh = elf.sections[index];
    if (sh.sh_type == SHT_NOBITS || sh.sh_size == 0) return DW_DLV_NO_ENTRY;
    // map_elf checked every section lies within the file. libdwarf only reads section data it
    // did not relocate (relocate_a_section is null), so the read-only mapping serves.
    *data = const_cast<Dwarf_Small*>(elf.base + sh.sh_offset);
    return DW_DLV_OK;
}

int section_flags(void* obj, Dwarf_Half index, Dwarf_Unsigned* flags, Dwarf_Unsigned* addralign,
                  int* error) {
    const MappedElf& elf = *self(obj);
    if (index >= elf.sections.size()) {
        *error = DW_DLE_SECTION_INDEX_BAD;
        return DW_DLV_ERROR;
    }
    *flags = elf.sections[index].sh_flags;
    *addralign = elf.sections[index].sh_addralign;
    return DW_DLV_OK;
}

const Dwarf_Obj_Access_Methods kMethods = {
    section_info,  byte_order,   length_size, pointer_size,
    section_count, load_section, nullptr}; // no relocations: see the top

int dwarf_over(MappedElf& elf, Dwarf_Debug* dbg, Dwarf_Error* error) {
    if (!&_dwarf_get_elf_flags_func_ptr)
        return dwarf_object_init_b(&elf.access, nullptr, nullptr, DW_GROUPNUMBER_ANY, dbg, error);
    ElfFlagsHook saved = _dwarf_get_elf_flags_func_ptr;
    _dwarf_get_elf_flags_func_ptr = section_flags;
    int rc = dwarf_object_init_b(&elf.access, nullptr, nullptr, DW_GROUPNUMBER_ANY, dbg, error);
    _dwarf_get_elf_flags_func_ptr = saved;
    return rc;
}

} // namespace

int open_libdwarf(const std::string& path, std::unique_ptr<MappedElf>& elf, Dwarf_Debug* dbg,
                  Dwarf_Error* error) {
    // The hook dwarf_over() swaps, and the one libdwarf's own reader sets, are one process-wide
    // variable: opens from two threads (the GUI's worker and its graph, lldb-dap's requests) take
    // turns. An open happens once per module, so nobody waits for long.
    static std::mutex open_lock;
    std::lock_guard<std::mutex> lock(open_lock);
    if ((elf = map_elf(path))) {
        int rc = dwarf_over(*elf, dbg, error);
        if (rc == DW_DLV_OK) return rc;
        // Whatever our object could not do, libdwarf's own reader may: it decides. The error
        // was made with no Dwarf_Debug; libdwarf frees such a one given none (take_error does
        // the same), and dropping it leaked it on every file our object refused (fuzz_dwarf).
        if (rc == DW_DLV_ERROR && *error) dwarf_dealloc_error(nullptr, *error);
        *error = nullptr;
        *dbg = nullptr;
        elf.reset();
    }
    return dwarf_init_path(path.c_str(), nullptr, 0, DW_DLC_READ, DW_GROUPNUMBER_ANY, nullptr,
                           nullptr, dbg, nullptr, 0, nullptr, error);
}

void finish_libdwarf(Dwarf_Debug dbg, const MappedElf* elf) {
    if (!dbg) return;
    Dwarf_Error e = nullptr;
    // A Dwarf_Debug over our own mapping is an object-access one: dwarf_finish would take the
    // first byte of the mapping's struct for the tag of one of libdwarf's own readers.
    int rc = elf ? dwarf_object_finish(dbg, &e) : dwarf_finish(dbg, &e);
    if (rc == DW_DLV_ERROR) drop_error(nullptr, e);
}

MappedElf::~MappedElf() {
    if (map) ::munmap(map, size);
}

void MappedElf::drop_pages() {
    // Only clean file pages live in this read-only private mapping: MADV_DONTNEED unmaps them
    // and a later read maps them again from the page cache, with the same bytes, so the pointers
    // libdwarf and the scanner hold stay valid.
    if (map) ::madvise(map, size, MADV_DONTNEED);
}

std::unique_ptr<MappedElf> map_elf(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return nullptr;
    struct stat st {};
    void* map = nullptr;
    if (::fstat(fd, &st) == 0 && st.st_size >= off_t(sizeof(Elf64_Ehdr)))
        map = ::mmap(nullptr, size_t(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (!map || map == MAP_FAILED) return nullptr;
    auto elf = std::make_unique<MappedElf>();
    elf->map = map;
    elf->size = size_t(st.st_size);
    elf->base = static_cast<const uint8_t*>(map);
    const uint8_t* base = elf->base;
    size_t size = elf->size;

    // Only what needs no relocation or decompression: a little-endian ELF64 executable or
    // shared object. Anything else (an object file, SHF_COMPRESSED or .zdebug sections) is
    // left to libdwarf's own reader, which applies relocations and inflates zlib.
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
    if (count > 0xffff || !shdr_at(strndx, names) || names.sh_offset > size ||
        names.sh_size > size - names.sh_offset)
        return nullptr;
    for (size_t i = 0; i < count; ++i) {
        Elf64_Shdr sh;
        if (!shdr_at(i, sh)) return nullptr;
        std::string_view n;
        if (sh.sh_name < names.sh_size) {
            const char* name = reinterpret_cast<const char*>(base + names.sh_offset + sh.sh_name);
            n = std::string_view(name, strnlen(name, names.sh_size - sh.sh_name));
        }
        bool debug = n.starts_with(".debug_") || n.starts_with(".zdebug_");
        if (debug && (n.starts_with(".zdebug_") || (sh.sh_flags & SHF_COMPRESSED))) return nullptr;
        if (sh.sh_type != SHT_NOBITS && (sh.sh_offset > size || sh.sh_size > size - sh.sh_offset))
            return nullptr;
        elf->sections.push_back(sh);
        elf->names.emplace_back(n);
    }
    elf->access.object = elf.get();
    elf->access.methods = &kMethods;
    return elf;
}

std::unique_ptr<RawSections> raw_sections(const MappedElf& elf) {
    auto raw = std::make_unique<RawSections>();
    for (size_t i = 0; i < elf.sections.size(); ++i) {
        const std::string& n = elf.names[i];
        std::string_view* slot = n == ".debug_info"          ? &raw->info
                                 : n == ".debug_abbrev"      ? &raw->abbrev
                                 : n == ".debug_str"         ? &raw->str
                                 : n == ".debug_line_str"    ? &raw->line_str
                                 : n == ".debug_str_offsets" ? &raw->str_offsets
                                 : n == ".debug_addr"        ? &raw->addr
                                                             : nullptr;
        const Elf64_Shdr& sh = elf.sections[i];
        if (!slot || sh.sh_type == SHT_NOBITS) continue;
        *slot =
            std::string_view(reinterpret_cast<const char*>(elf.base + sh.sh_offset), sh.sh_size);
    }
    if (raw->info.empty() || raw->abbrev.empty()) return nullptr;
    return raw;
}

} // namespace seam::dwarf
