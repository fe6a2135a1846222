// Indexes built lazily: per unit, one walk over its namespaces and types (never into function
// bodies) gives scopes for qualified names, type names, static globals and subprogram ranges;
// the whole-file indexes behind find_type and global_at are the union of those. The walk reads
// the section bytes (dwarf_scan.cpp) where it can; the libdwarf walk below is its fallback and
// its reference (SEAM_DWARF_SCAN=0 selects it).
#include <algorithm>
#include <cstdlib>
#include <thread>

#include "formatters/core/rust_names.h"
#include "formatters/dwarf/dwarf_elf.h"
#include "formatters/dwarf/dwarf_internal.h"

namespace seam {

using namespace dwarf;

namespace {

class UnitWalker {
public:
    UnitWalker(Dwarf_Debug dbg, const Cu& cu, CuIndex& idx) : m_dbg(dbg), m_cu(cu), m_idx(idx) {}

    void walk(Dwarf_Die parent, uint32_t scope, int depth) {
        if (depth > 64) return;
        for_each_child(m_dbg, parent, [&](Dwarf_Die child) {
            visit(child, scope, depth);
            return true;
        });
    }

private:
    void visit(Dwarf_Die die, uint32_t scope, int depth) {
        Dwarf_Half tag = die_tag(die);
        uint64_t off = die_offset(die);
        m_idx.scope_of.emplace_back(off, scope);
        std::string name = die_name(die);
        const std::string& prefix = m_idx.scopes[scope];
        std::string qualified =
            prefix.empty() || name.empty() || m_cu.lang == Lang::C ? name : prefix + "::" + name;
        bool declaration = attr_flag(die, DW_AT_declaration);
        if (is_type_tag(tag) && !name.empty() && !declaration)
            m_idx.type_names.emplace_back(qualified, off);
        if (tag == DW_TAG_subprogram && !declaration) {
            for (const auto& [lo, hi] : die_ranges(m_dbg, die, m_cu))
                m_idx.subprograms.push_back({lo, hi, off});
        }
        if (tag == DW_TAG_variable && !declaration) {
            auto addr = static_address(m_dbg, die);
            if (!addr) addr = indexed_static_address(m_dbg, die, m_cu); // as dwarf_scan.cpp does
            if (addr) m_idx.globals.emplace_back(*addr, off);
            if (auto expr = attr_block(m_dbg, die, DW_AT_location))
                if (auto tls = tls_offset_of(expr->data(), expr->size()))
                    m_idx.thread_locals.emplace_back(*tls, off);
        }
        if (opens_scope(tag) && !name.empty()) {
            m_idx.scopes.push_back(qualified);
            walk(die, uint32_t(m_idx.scopes.size() - 1), depth + 1);
        }
    }

    Dwarf_Debug m_dbg;
    const Cu& m_cu;
    CuIndex& m_idx;
};

void sort_subprograms(CuIndex& idx) {
    std::sort(idx.subprograms.begin(), idx.subprograms.end(),
              [](const SubprogramEntry& a, const SubprogramEntry& b) { return a.low < b.low; });
}

} // namespace

namespace dwarf {

std::optional<uint64_t> static_address(Dwarf_Debug dbg, Dwarf_Die die) {
    auto expr = attr_block(dbg, die, DW_AT_location);
    if (!expr || expr->size() != 9 || (*expr)[0] != DW_OP_addr) return std::nullopt;
    uint64_t addr = 0;
    for (int i = 0; i < 8; ++i) addr |= uint64_t((*expr)[1 + i]) << (8 * i);
    return addr;
}

std::optional<uint64_t> tls_offset_of(const uint8_t* expr, uint64_t len) {
    if (!expr || len < 2 ||
        (expr[len - 1] != DW_OP_form_tls_address && expr[len - 1] != DW_OP_GNU_push_tls_address))
        return std::nullopt;
    auto fixed = [&](uint64_t bytes) -> std::optional<uint64_t> {
        if (len != 2 + bytes) return std::nullopt;
        uint64_t v = 0;
        for (uint64_t i = 0; i < bytes; ++i) v |= uint64_t(expr[1 + i]) << (8 * i);
        return v;
    };
    switch (expr[0]) {
    case DW_OP_const8u:
        return fixed(8);
    case DW_OP_const4u:
        return fixed(4);
    case DW_OP_constu: {
        uint64_t v = 0;
        unsigned shift = 0;
        for (uint64_t i = 1; i + 1 < len; ++i) {
            if (shift > 63) return std::nullopt;
            v |= uint64_t(expr[i] & 0x7f) << shift;
            shift += 7;
            if (!(expr[i] & 0x80)) return i + 2 == len ? std::optional(v) : std::nullopt;
        }
        return std::nullopt;
    }
    default:
        return std::nullopt;
    }
}

} // namespace dwarf

void DebugInfo::Impl::map_raw() {
    if (raw_tried) return;
    raw_tried = true;
    // SEAM_DWARF_SCAN=0 keeps every unit on the libdwarf walk (to compare the two).
    const char* env = std::getenv("SEAM_DWARF_SCAN");
    if (elf && (!env || std::string_view(env) != "0")) raw = raw_sections(*elf);
}

const CuIndex& DebugInfo::Impl::cu_index(Cu& cu) {
    if (cu.index) return *cu.index;
    map_raw();
    cu.index = std::make_unique<CuIndex>();
    if (raw && scan_unit(*raw, dbg, cu, *cu.index)) {
        sort_subprograms(*cu.index);
        return *cu.index;
    }
    cu.index = std::make_unique<CuIndex>(); // a scan that gave up leaves partial entries
    if (auto die = die_at(dbg, cu.die_offset)) {
        UnitWalker(dbg, cu, *cu.index).walk(die->get(), 0, 0);
    }
    sort_subprograms(*cu.index);
    return *cu.index;
}

std::string DebugInfo::Impl::qualified_name(Cu& cu, uint64_t die_offset, const std::string& name) {
    if (cu.lang == Lang::C || name.empty()) return name;
    const CuIndex& idx = cu_index(cu);
    auto it = std::lower_bound(idx.scope_of.begin(), idx.scope_of.end(),
                               std::make_pair(die_offset, uint32_t(0)));
    if (it == idx.scope_of.end() || it->first != die_offset) return name;
    const std::string& prefix = idx.scopes[it->second];
    return prefix.empty() ? name : prefix + "::" + name;
}

std::optional<uint64_t> DebugInfo::Impl::subprogram_at(Cu& cu, uint64_t file_addr) {
    const auto& subs = cu_index(cu).subprograms;
    auto it = std::upper_bound(subs.begin(), subs.end(), file_addr,
                               [](uint64_t a, const SubprogramEntry& s) { return a < s.low; });
    // Ranges may nest (a function's cold part inside another's span): the closest start wins.
    for (int tries = 0; tries < 8 && it != subs.begin(); ++tries) {
        --it;
        if (file_addr < it->high) return it->offset;
    }
    return std::nullopt;
}

void DebugInfo::Impl::index_all_units() {
    map_raw();
    std::vector<size_t> todo;
    uint64_t bytes = 0;
    for (size_t i = 0; i < cus.size(); ++i) {
        if (cus[i].index) continue;
        todo.push_back(i);
        bytes += cus[i].end_offset - cus[i].header_offset;
    }
    // One helper thread scans about half the bytes, never more than one: the machine may have
    // two cores and the debugger its own threads. The scan touches no libdwarf state (no
    // Dwarf_Debug: a unit that needs libdwarf fails there and is redone below) and each thread
    // writes only its own results; the units get their indexes after the join.
    if (raw && todo.size() >= 2 && bytes >= (8u << 20)) {
        std::vector<std::unique_ptr<CuIndex>> done(todo.size());
        size_t split = 0;
        for (uint64_t half = 0; split < todo.size() && half < bytes / 2; ++split)
            half += cus[todo[split]].end_offset - cus[todo[split]].header_offset;
        split = std::min(split, todo.size() - 1); // one huge unit first: the helper takes the rest
        auto scan_range = [&](size_t from, size_t to) noexcept {
            for (size_t k = from; k < to; ++k) {
                try {
                    auto idx = std::make_unique<CuIndex>();
                    if (scan_unit(*raw, nullptr, cus[todo[k]], *idx)) done[k] = std::move(idx);
                } catch (...) { // out of memory: the unit is redone (or fails) on this thread
                }
            }
        };
        std::thread helper;
        try {
            helper = std::thread(scan_range, split, todo.size());
        } catch (...) { // no thread to be had: this one scans everything
            split = todo.size();
        }
        scan_range(0, split);
        if (helper.joinable()) helper.join();
        for (size_t k = 0; k < todo.size(); ++k) {
            if (!done[k]) continue;
            sort_subprograms(*done[k]);
            cus[todo[k]].index = std::move(done[k]);
        }
    }
    for (Cu& cu : cus) cu_index(cu);
    if (elf) elf->drop_pages(); // the indexes hold what was wanted; a vmlinux's units are 170 MB
}

void DebugInfo::Impl::build_name_index() {
    if (names_built) return;
    names_built = true;
    index_all_units();
    // Keys are views of the units' own type_names (kept as long as the units): copying 480,000
    // names of a 105 MB file into a growing map cost 0.13 s of copies and rehashes.
    size_t total = 0;
    for (Cu& cu : cus) total += cu_index(cu).type_names.size();
    type_by_name.reserve(total);
    for (Cu& cu : cus)
        for (const auto& [name, off] : cu_index(cu).type_names) type_by_name.emplace(name, off);
    complete_declarations();
}

void DebugInfo::Impl::complete_declarations() {
    // Each deferred declaration takes its definition's content; pointers to it (held by the
    // types built since) see the definition from now on. The definition's own types may be
    // built here: they find the index built and defer nothing.
    auto pending = std::move(deferred_declarations);
    deferred_declarations.clear();
    for (Type* decl : pending) {
        auto def = type_by_name.find(decl->qualified);
        if (def == type_by_name.end()) continue; // never defined: stays a declaration
        const Type* t = type_at(def->second);
        if (t == decl || t->declaration) continue;
        *decl = *t;
    }
}

void DebugInfo::complete(const Type* t) const {
    if (t && t->declaration && !m_impl->names_built) m_impl->build_name_index();
}

void DebugInfo::Impl::build_global_index() {
    if (globals_built) return;
    globals_built = true;
    index_all_units();
    for (Cu& cu : cus)
        for (const auto& [addr, off] : cu_index(cu).globals)
            global_by_addr.emplace(addr + bias, off);
}

const Type* DebugInfo::find_type(std::string_view qualified) const {
    m_impl->build_name_index();
    auto it = m_impl->type_by_name.find(qualified);
    return it == m_impl->type_by_name.end() ? nullptr : m_impl->type_at(it->second);
}

std::vector<std::string> DebugInfo::type_names() const {
    m_impl->build_name_index();
    std::vector<std::string> out;
    out.reserve(m_impl->type_by_name.size());
    for (const auto& entry : m_impl->type_by_name) out.emplace_back(entry.first);
    std::sort(out.begin(), out.end());
    return out;
}

std::optional<GlobalVariable> DebugInfo::Impl::global_from(uint64_t load_address,
                                                           uint64_t die_offset) {
    auto die = die_at(dbg, die_offset);
    Cu* cu = cu_for_offset(die_offset);
    if (!die || !cu) return std::nullopt;
    GlobalVariable g;
    g.name = qualified_name(*cu, die_offset, die_name(die->get()));
    auto type = type_ref(die->get());
    g.type = type ? type_at(*type) : nullptr;
    g.address = load_address;
    return g;
}

std::optional<GlobalVariable> DebugInfo::global_at(uint64_t load_address) const {
    m_impl->build_global_index();
    auto it = m_impl->global_by_addr.find(load_address);
    if (it == m_impl->global_by_addr.end()) return std::nullopt;
    return m_impl->global_from(it->first, it->second);
}

std::optional<GlobalVariable> DebugInfo::global_near(uint64_t load_address,
                                                     const std::vector<uint64_t>& near) const {
    // Before the whole-file index exists (a vmlinux's takes its every unit): the units of the
    // code the global points at, one each. rustc puts a vtable in the unit that instantiated
    // it, with its type's drop_in_place and, in the crate's one unit (the kernel's), its
    // methods; a miss costs one unit's index and falls back to the whole file's.
    if (!m_impl->globals_built) {
        const uint64_t file_addr = load_address - m_impl->bias;
        std::vector<const Cu*> seen;
        for (uint64_t pc : near) {
            Cu* cu = pc ? m_impl->cu_for_pc(pc - m_impl->bias) : nullptr;
            if (!cu || std::find(seen.begin(), seen.end(), cu) != seen.end()) continue;
            seen.push_back(cu);
            for (const auto& [addr, die_offset] : m_impl->cu_index(*cu).globals)
                if (addr == file_addr) return m_impl->global_from(load_address, die_offset);
        }
    }
    return global_at(load_address);
}

std::vector<GlobalVariable> DebugInfo::globals() const {
    m_impl->build_global_index();
    std::vector<GlobalVariable> out;
    out.reserve(m_impl->global_by_addr.size());
    for (const auto& [address, die_offset] : m_impl->global_by_addr)
        if (auto g = m_impl->global_from(address, die_offset)) out.push_back(std::move(*g));
    return out;
}

std::vector<ThreadLocalVariable> DebugInfo::thread_locals() const {
    m_impl->index_all_units();
    if (!m_impl->symbols) m_impl->symbols = std::make_unique<Symbols>(Symbols::load(m_impl->path));
    std::vector<ThreadLocalVariable> out;
    for (Cu& cu : m_impl->cus)
        for (const auto& [offset, die_offset] : m_impl->cu_index(cu).thread_locals) {
            auto die = die_at(m_impl->dbg, die_offset);
            auto type = die ? m_impl->type_ref(die->get()) : std::nullopt;
            const Type* t = type ? m_impl->type_at(*type) : nullptr;
            // Only a variable the symbol table places there: the DWARF of a variable the linker
            // dropped still says offset 0.
            if (!t || !t->has_size || t->size == 0 || !m_impl->symbols->has_tls(offset, t->size))
                continue;
            out.push_back(
                {m_impl->qualified_name(cu, die_offset, die_name(die->get())), t, offset});
        }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.offset < b.offset; });
    // Two variables the symbols both confirm at one offset: one is a dropped variable's DWARF
    // (precompiled std keeps offsets the final link never fixed). Which one cannot be told, so
    // neither is read.
    std::vector<ThreadLocalVariable> unique;
    for (size_t i = 0; i < out.size(); ++i) {
        bool shared = (i > 0 && out[i - 1].offset == out[i].offset) ||
                      (i + 1 < out.size() && out[i + 1].offset == out[i].offset);
        if (!shared) unique.push_back(std::move(out[i]));
    }
    return unique;
}

std::string DebugInfo::function_at(uint64_t load_address) const {
    uint64_t file_addr = load_address - m_impl->bias;
    if (Cu* cu = m_impl->cu_for_pc(file_addr)) {
        if (auto off = m_impl->subprogram_at(*cu, file_addr)) {
            if (auto die = die_at(m_impl->dbg, *off)) {
                // The name and its scope live where DW_AT_specification points, if anywhere.
                std::string name;
                uint64_t named_at = *off;
                along_origins(m_impl->dbg, die->get(), [&](Dwarf_Die d) {
                    name = die_name(d);
                    named_at = die_offset(d);
                    return !name.empty();
                });
                if (!name.empty()) {
                    Cu* named_cu = m_impl->cu_for_offset(named_at);
                    return m_impl->qualified_name(named_cu ? *named_cu : *cu, named_at, name);
                }
            }
        }
    }
    if (!m_impl->symbols) m_impl->symbols = std::make_unique<Symbols>(Symbols::load(m_impl->path));
    std::string symbol = m_impl->symbols->function_at(file_addr);
    return symbol.empty() ? symbol : seam::demangle_symbol(symbol);
}

} // namespace seam
