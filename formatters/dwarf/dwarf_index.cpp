// Indexes built lazily: per unit, one walk over its namespaces and types (never into function
// bodies) gives scopes for qualified names, type names, static globals and subprogram ranges;
// the whole-file indexes behind find_type and global_at are the union of those.
#include <algorithm>

#include "formatters/core/rust_names.h"
#include "formatters/dwarf/dwarf_elf.h"
#include "formatters/dwarf/dwarf_internal.h"

namespace seam {

using namespace dwarf;

namespace {

bool is_type_tag(Dwarf_Half tag) {
    switch (tag) {
    case DW_TAG_base_type:
    case DW_TAG_structure_type:
    case DW_TAG_class_type:
    case DW_TAG_union_type:
    case DW_TAG_enumeration_type:
    case DW_TAG_typedef:
    case DW_TAG_pointer_type:
    case DW_TAG_reference_type:
    case DW_TAG_rvalue_reference_type:
    case DW_TAG_array_type:
    case DW_TAG_subroutine_type:
    case DW_TAG_unspecified_type:
        return true;
    default:
        return false;
    }
}

bool opens_scope(Dwarf_Half tag) {
    return tag == DW_TAG_namespace || tag == DW_TAG_module || tag == DW_TAG_structure_type ||
           tag == DW_TAG_class_type || tag == DW_TAG_union_type || tag == DW_TAG_enumeration_type;
}

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
            if (auto addr = static_address(m_dbg, die)) m_idx.globals.emplace_back(*addr, off);
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

} // namespace

namespace dwarf {

std::optional<uint64_t> static_address(Dwarf_Debug dbg, Dwarf_Die die) {
    auto expr = attr_block(dbg, die, DW_AT_location);
    if (!expr || expr->size() != 9 || (*expr)[0] != DW_OP_addr) return std::nullopt;
    uint64_t addr = 0;
    for (int i = 0; i < 8; ++i) addr |= uint64_t((*expr)[1 + i]) << (8 * i);
    return addr;
}

} // namespace dwarf

const CuIndex& DebugInfo::Impl::cu_index(Cu& cu) {
    if (cu.index) return *cu.index;
    cu.index = std::make_unique<CuIndex>();
    if (auto die = die_at(dbg, cu.die_offset)) {
        UnitWalker(dbg, cu, *cu.index).walk(die->get(), 0, 0);
    }
    auto& subs = cu.index->subprograms;
    std::sort(subs.begin(), subs.end(),
              [](const SubprogramEntry& a, const SubprogramEntry& b) { return a.low < b.low; });
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

void DebugInfo::Impl::build_name_index() {
    if (names_built) return;
    names_built = true;
    for (Cu& cu : cus)
        for (const auto& [name, off] : cu_index(cu).type_names) type_by_name.emplace(name, off);
}

void DebugInfo::Impl::build_global_index() {
    if (globals_built) return;
    globals_built = true;
    for (Cu& cu : cus)
        for (const auto& [addr, off] : cu_index(cu).globals)
            global_by_addr.emplace(addr + bias, off);
}

const Type* DebugInfo::find_type(std::string_view qualified) const {
    m_impl->build_name_index();
    auto it = m_impl->type_by_name.find(std::string(qualified));
    return it == m_impl->type_by_name.end() ? nullptr : m_impl->type_at(it->second);
}

std::optional<GlobalVariable> DebugInfo::global_at(uint64_t load_address) const {
    m_impl->build_global_index();
    auto it = m_impl->global_by_addr.find(load_address);
    if (it == m_impl->global_by_addr.end()) return std::nullopt;
    auto die = die_at(m_impl->dbg, it->second);
    Cu* cu = m_impl->cu_for_offset(it->second);
    if (!die || !cu) return std::nullopt;
    GlobalVariable g;
    g.name = m_impl->qualified_name(*cu, it->second, die_name(die->get()));
    auto type = m_impl->type_ref(die->get());
    g.type = type ? m_impl->type_at(*type) : nullptr;
    g.address = load_address;
    return g;
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
