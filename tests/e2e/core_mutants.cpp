#include "tests/e2e/core_mutants.h"

#include <elf.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

namespace seam::e2e {

namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<unsigned char>;

Result<Bytes> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return err("cannot read {}", path);
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

Status write_file(const std::string& path, const Bytes& bytes, uint64_t size) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(size));
    if (!out) return err("cannot write {}", path);
    return ok_status();
}

template <typename T> Result<T> at_offset(const Bytes& b, uint64_t offset) {
    if (offset > b.size() || b.size() - offset < sizeof(T))
        return err("ELF structure at {} lies past the file's end ({} bytes)", offset, b.size());
    T v;
    std::memcpy(&v, b.data() + offset, sizeof(T));
    return v;
}

Result<Elf64_Ehdr> elf_header(const Bytes& b) {
    auto h_or = at_offset<Elf64_Ehdr>(b, 0);
    if (!h_or) return h_or.error();
    auto h = std::move(*h_or);
    if (std::memcmp(h.e_ident, ELFMAG, SELFMAG) != 0 || h.e_ident[EI_CLASS] != ELFCLASS64)
        return err("not a 64-bit ELF file");
    return h;
}

Result<std::vector<Elf64_Phdr>> program_headers(const Bytes& b) {
    auto h_or = elf_header(b);
    if (!h_or) return h_or.error();
    auto h = std::move(*h_or);
    std::vector<Elf64_Phdr> out;
    for (uint64_t i = 0; i < h.e_phnum; ++i) {
        auto p_or = at_offset<Elf64_Phdr>(b, h.e_phoff + i * sizeof(Elf64_Phdr));
        if (!p_or) return p_or.error();
        auto p = std::move(*p_or);
        out.push_back(p);
    }
    return out;
}

struct Section {
    std::string_view name;
    Elf64_Shdr header;
};

// The sections that have contents in the file, with their names.
Result<std::vector<Section>> sections_of(const Bytes& elf) {
    auto h_or = elf_header(elf);
    if (!h_or) return h_or.error();
    auto h = std::move(*h_or);
    std::vector<Elf64_Shdr> headers;
    for (uint64_t i = 0; i < h.e_shnum; ++i) {
        auto s_or = at_offset<Elf64_Shdr>(elf, h.e_shoff + i * sizeof(Elf64_Shdr));
        if (!s_or) return s_or.error();
        headers.push_back(*s_or);
    }
    if (h.e_shstrndx >= headers.size()) return err("no section name table");
    const Elf64_Shdr& names = headers[h.e_shstrndx];
    std::vector<Section> out;
    for (const Elf64_Shdr& s : headers) {
        if (s.sh_type == SHT_NOBITS || s.sh_name >= names.sh_size) continue;
        if (s.sh_offset > elf.size() || elf.size() - s.sh_offset < s.sh_size)
            return err("a section lies past the file's end");
        const char* name = reinterpret_cast<const char*>(elf.data() + names.sh_offset + s.sh_name);
        out.push_back({std::string_view(name, strnlen(name, names.sh_size - s.sh_name)), s});
    }
    return out;
}

// Flips `flips` bits, each in a byte drawn uniformly from all of `ranges` together.
void flip_bits(Bytes& b, const std::vector<Range>& ranges, unsigned flips, std::mt19937_64& rng) {
    uint64_t total = 0;
    for (const Range& r : ranges) total += r.size;
    if (total == 0) return;
    for (unsigned n = 0; n < flips; ++n) {
        uint64_t k = rng() % total;
        for (const Range& r : ranges) {
            if (k < r.size) {
                b[r.offset + k] ^= uint8_t(1u << (rng() % 8));
                break;
            }
            k -= r.size;
        }
    }
}

// Every occurrence of `from` in `b` becomes `to` (of the same length).
void replace_all(Bytes& b, const std::string& from, const std::string& to) {
    for (auto it = b.begin(); (it = std::search(it, b.end(), from.begin(), from.end())) != b.end();
         it += long(from.size()))
        std::copy(to.begin(), to.end(), it);
}

} // namespace

const char* name_of(MutationKind kind) {
    switch (kind) {
    case MutationKind::CoreHeaders:
        return "core-headers";
    case MutationKind::Truncation:
        return "truncation";
    case MutationKind::ExeHeaders:
        return "exe-headers";
    case MutationKind::Dwarf:
        return "dwarf";
    case MutationKind::Unwind:
        return "unwind";
    }
    return "?";
}

Result<std::vector<Range>> section_ranges(const Bytes& elf,
                                          const std::vector<std::string>& prefixes) {
    auto sections_or = sections_of(elf);
    if (!sections_or) return sections_or.error();
    std::vector<Range> out;
    for (const Section& s : *sections_or)
        if (std::any_of(prefixes.begin(), prefixes.end(),
                        [&](const std::string& p) { return s.name.starts_with(p); }))
            out.push_back({s.header.sh_offset, s.header.sh_size});
    if (out.empty()) return err("no section named like {}", fmt::join(prefixes, ", "));
    return out;
}

Status write_oversized_section(const CorePair& base, const std::string& section, uint64_t extra,
                               const std::string& core, const std::string& exe) {
    if (exe.size() != base.exe.size()) return err("{} must be as long as {}", exe, base.exe);
    auto elf_or = read_file(base.exe);
    if (!elf_or) return elf_or.error();
    Bytes elf = std::move(*elf_or);
    auto h_or = elf_header(elf);
    if (!h_or) return h_or.error();
    auto sections_or = sections_of(elf);
    if (!sections_or) return sections_or.error();
    auto it = std::find_if(sections_or->begin(), sections_or->end(),
                           [&](const Section& s) { return s.name == section; });
    if (it == sections_or->end()) return err("{} has no section {}", base.exe, section);
    // The header's index is its place among the section headers: found by its offset.
    for (uint64_t i = 0; i < h_or->e_shnum; ++i) {
        uint64_t at = h_or->e_shoff + i * sizeof(Elf64_Shdr);
        auto hdr = at_offset<Elf64_Shdr>(elf, at);
        if (!hdr || hdr->sh_offset != it->header.sh_offset || hdr->sh_name != it->header.sh_name)
            continue;
        Elf64_Shdr grown = *hdr;
        grown.sh_size += extra;
        std::memcpy(elf.data() + at, &grown, sizeof grown);
        SEAM_TRY(write_file(exe, elf, elf.size()));
        fs::permissions(exe, fs::perms::owner_all);
        auto core_bytes = read_file(base.core);
        if (!core_bytes) return core_bytes.error();
        replace_all(*core_bytes, base.exe, exe);
        return write_file(core, *core_bytes, core_bytes->size());
    }
    return err("the header of section {} was not found", section);
}

Result<std::vector<Range>> exe_header_ranges(const Bytes& elf) {
    auto h_or = elf_header(elf);
    if (!h_or) return h_or.error();
    auto sections_or = sections_of(elf);
    if (!sections_or) return sections_or.error();
    std::vector<Range> out = {{0, sizeof(Elf64_Ehdr)},
                              {h_or->e_phoff, h_or->e_phnum * sizeof(Elf64_Phdr)},
                              {h_or->e_shoff, h_or->e_shnum * sizeof(Elf64_Shdr)}};
    for (const Section& s : *sections_or)
        if (s.header.sh_type == SHT_NOTE) out.push_back({s.header.sh_offset, s.header.sh_size});
    return out;
}

Result<std::vector<Range>> header_and_note_ranges(const Bytes& core) {
    auto h_or = elf_header(core);
    if (!h_or) return h_or.error();
    auto h = std::move(*h_or);
    auto phdrs_or = program_headers(core);
    if (!phdrs_or) return phdrs_or.error();
    auto phdrs = std::move(*phdrs_or);
    std::vector<Range> out = {{0, sizeof(Elf64_Ehdr)}, {h.e_phoff, h.e_phnum * sizeof(Elf64_Phdr)}};
    for (const Elf64_Phdr& p : phdrs)
        if (p.p_type == PT_NOTE && p.p_offset + p.p_filesz <= core.size())
            out.push_back({p.p_offset, p.p_filesz});
    if (out.size() < 3) return err("the core has no notes");
    return out;
}

Result<uint64_t> segments_end(const Bytes& core) {
    auto phdrs_or = program_headers(core);
    if (!phdrs_or) return phdrs_or.error();
    auto phdrs = std::move(*phdrs_or);
    uint64_t end = 0;
    for (const Elf64_Phdr& p : phdrs) end = std::max(end, p.p_offset + p.p_filesz);
    return end;
}

Result<std::vector<Mutant>> make_mutants(const std::vector<CorePair>& bases,
                                         const std::string& core_dir, const MutationPlan& plan) {
    // mt19937_64's sequence is fixed by the standard: a seed and a round make the same mutants on
    // every machine.
    std::mt19937_64 rng(plan.seed ^ (uint64_t(plan.round) << 48));
    std::vector<Mutant> out;
    fs::create_directories(core_dir);
    for (const CorePair& base : bases) {
        if (!base.exe.ends_with("-base")) return err("{} must end in -base", base.exe);
        auto core_or = read_file(base.core);
        if (!core_or) return core_or.error();
        Bytes core = std::move(*core_or);
        auto exe_or = read_file(base.exe);
        if (!exe_or) return exe_or.error();
        Bytes exe = std::move(*exe_or);
        auto notes_or = header_and_note_ranges(core);
        if (!notes_or) return notes_or.error();
        auto notes = std::move(*notes_or);
        auto exe_headers_or = exe_header_ranges(exe);
        if (!exe_headers_or) return exe_headers_or.error();
        auto exe_headers = std::move(*exe_headers_or);
        auto dwarf_or = section_ranges(exe, {".debug_"});
        if (!dwarf_or) return dwarf_or.error();
        auto dwarf = std::move(*dwarf_or);
        auto unwind_or = section_ranges(exe, {".eh_frame"});
        if (!unwind_or) return unwind_or.error();
        auto unwind = std::move(*unwind_or);
        auto end = segments_end(core);
        if (!end) return end.error();
        // Half the cuts fall in the headers and notes (and a page past them), where a cut
        // leaves a structure half read; the others anywhere.
        uint64_t notes_end = 0;
        for (const Range& r : notes) notes_end = std::max(notes_end, r.offset + r.size);
        uint64_t near_cut = std::min<uint64_t>(core.size(), notes_end + 4096);
        std::string stem = fs::path(base.exe).filename().string();
        stem.resize(stem.size() - 5);
        auto add = [&](MutationKind kind, unsigned count) -> Status {
            for (unsigned i = 0; i < count; ++i) {
                size_t number = out.size();
                if (number >= 1000) return err("more than 1000 mutants in one round");
                Mutant m;
                m.kind = kind;
                m.round = plan.round;
                m.exe = base.exe;
                m.base_size = core.size();
                m.segments_end = *end;
                m.core = fmt::format("{}/{:03}-{}-{}.core", core_dir, number, name_of(kind), stem);
                Bytes c = core;
                uint64_t size = c.size();
                if (kind == MutationKind::CoreHeaders) {
                    m.flips = 1u << (rng() % 6);
                    flip_bits(c, notes, m.flips, rng);
                } else if (kind == MutationKind::Truncation) {
                    m.cut_at = size = rng() % (i % 2 ? c.size() : near_cut);
                } else {
                    // A mutated copy of the executable, recorded in the core by a path of the
                    // same length as the base's.
                    bool is_dwarf = kind == MutationKind::Dwarf;
                    m.flips = 1u << (rng() % (is_dwarf                       ? 18
                                              : kind == MutationKind::Unwind ? 10
                                                                             : 5));
                    // `-`, the round's letter and the number: every round's names differ.
                    m.exe = fmt::format("{}-{}{:03}", base.exe.substr(0, base.exe.size() - 5),
                                        char('a' + plan.round % 26), number);
                    Bytes e = exe;
                    flip_bits(e,
                              is_dwarf                           ? dwarf
                              : kind == MutationKind::ExeHeaders ? exe_headers
                                                                 : unwind,
                              m.flips, rng);
                    SEAM_TRY(write_file(m.exe, e, e.size()));
                    fs::permissions(m.exe, fs::perms::owner_all);
                    replace_all(c, base.exe, m.exe);
                }
                SEAM_TRY(write_file(m.core, c, size));
                out.push_back(std::move(m));
            }
            return ok_status();
        };
        SEAM_TRY(add(MutationKind::CoreHeaders, plan.core_headers));
        SEAM_TRY(add(MutationKind::Truncation, plan.truncations));
        SEAM_TRY(add(MutationKind::ExeHeaders, plan.exe_headers));
        SEAM_TRY(add(MutationKind::Dwarf, plan.dwarf));
        SEAM_TRY(add(MutationKind::Unwind, plan.unwind));
    }
    return out;
}

} // namespace seam::e2e
