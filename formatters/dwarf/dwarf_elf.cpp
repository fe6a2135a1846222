// libelf for what libdwarf leaves out: compressed-section diagnosis and the symbol table.
#include "formatters/dwarf/dwarf_elf.h"

#include <algorithm>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <memory>
#include <unistd.h>

namespace seam::dwarf {

namespace {

/// An open ELF file; closes both the Elf handle and the descriptor.
class ElfFile {
public:
    explicit ElfFile(const std::string& path) {
        if (elf_version(EV_CURRENT) == EV_NONE) return;
        m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (m_fd < 0) return;
        m_elf = elf_begin(m_fd, ELF_C_READ, nullptr);
    }
    ~ElfFile() {
        if (m_elf) elf_end(m_elf);
        if (m_fd >= 0) ::close(m_fd);
    }
    ElfFile(const ElfFile&) = delete;
    ElfFile& operator=(const ElfFile&) = delete;

    Elf* get() const { return m_elf && elf_kind(m_elf) == ELF_K_ELF ? m_elf : nullptr; }

    /// Calls f(section, header, name) for each section.
    template <typename F> void for_each_section(F&& f) const {
        size_t shstrndx = 0;
        if (!get() || elf_getshdrstrndx(m_elf, &shstrndx) != 0) return;
        for (Elf_Scn* scn = elf_nextscn(m_elf, nullptr); scn; scn = elf_nextscn(m_elf, scn)) {
            GElf_Shdr shdr;
            if (!gelf_getshdr(scn, &shdr)) continue;
            const char* name = elf_strptr(m_elf, shstrndx, shdr.sh_name);
            f(scn, shdr, std::string_view(name ? name : ""));
        }
    }

private:
    int m_fd = -1;
    Elf* m_elf = nullptr;
};

} // namespace

Status check_debug_sections(const std::string& path) {
    ElfFile elf(path);
    if (!elf.get()) return err("{}: not an ELF file", path);
    std::string bad;
    uint64_t bad_type = 0;
    elf.for_each_section([&](Elf_Scn* scn, const GElf_Shdr& shdr, std::string_view name) {
        if (!bad.empty() || !name.starts_with(".debug_") || !(shdr.sh_flags & SHF_COMPRESSED))
            return;
        GElf_Chdr chdr;
        if (gelf_getchdr(scn, &chdr) && chdr.ch_type != ELFCOMPRESS_ZLIB) {
            bad = name;
            bad_type = chdr.ch_type;
        }
    });
    if (bad.empty()) return ok_status();
    return err("{}: section {} is compressed with {} (libdwarf reads only zlib; "
               "`objcopy --decompress-debug-sections` fixes the file)",
               path, bad, bad_type == 2 ? "zstd" : fmt::format("compression type {}", bad_type));
}

Symbols Symbols::load(const std::string& path) {
    Symbols out;
    ElfFile elf(path);
    auto read_table = [&](Elf_Scn* scn, const GElf_Shdr& shdr) {
        Elf_Data* data = elf_getdata(scn, nullptr);
        if (!data || shdr.sh_entsize == 0) return;
        size_t count = shdr.sh_size / shdr.sh_entsize;
        for (size_t i = 0; i < count; ++i) {
            GElf_Sym sym;
            if (!gelf_getsym(data, int(i), &sym)) continue;
            if (GELF_ST_TYPE(sym.st_info) == STT_TLS && shdr.sh_type == SHT_SYMTAB)
                out.m_tls.emplace_back(sym.st_value, sym.st_size);
            if (GELF_ST_TYPE(sym.st_info) != STT_FUNC || sym.st_value == 0) continue;
            const char* name = elf_strptr(elf.get(), shdr.sh_link, sym.st_name);
            if (!name || !*name) continue;
            out.m_entries.push_back({sym.st_value, sym.st_size, name});
        }
    };
    bool have_symtab = false;
    elf.for_each_section([&](Elf_Scn* scn, const GElf_Shdr& shdr, std::string_view) {
        if (shdr.sh_type == SHT_SYMTAB) {
            have_symtab = true;
            read_table(scn, shdr);
        }
    });
    if (!have_symtab)
        elf.for_each_section([&](Elf_Scn* scn, const GElf_Shdr& shdr, std::string_view) {
            if (shdr.sh_type == SHT_DYNSYM) read_table(scn, shdr);
        });
    std::sort(out.m_entries.begin(), out.m_entries.end(),
              [](const Entry& a, const Entry& b) { return a.address < b.address; });
    std::sort(out.m_tls.begin(), out.m_tls.end());
    return out;
}

bool Symbols::has_tls(uint64_t offset, uint64_t size) const {
    return std::binary_search(m_tls.begin(), m_tls.end(), std::pair{offset, size});
}

std::string Symbols::function_at(uint64_t file_addr) const {
    auto it = std::upper_bound(m_entries.begin(), m_entries.end(), file_addr,
                               [](uint64_t a, const Entry& e) { return a < e.address; });
    // Aliases and zero-sized labels sit at the same addresses: look a few entries back.
    for (int tries = 0; tries < 8 && it != m_entries.begin(); ++tries) {
        --it;
        if (file_addr < it->address + std::max<uint64_t>(it->size, 1)) return it->name;
    }
    return {};
}

} // namespace seam::dwarf
