// Opening an ELF's DWARF with libdwarf: the unit table (headers and root DIEs only; the DIEs
// below them are read on demand), pc -> unit lookup, and each unit's file table.
#include <algorithm>
#include <sys/stat.h>

#include "formatters/dwarf/dwarf_elf.h"
#include "formatters/dwarf/dwarf_internal.h"

namespace seam {

using namespace dwarf;

namespace {

Status read_units(DebugInfo::Impl& impl) {
    Dwarf_Debug dbg = impl.dbg;
    uint64_t header = 0;
    for (;;) {
        Dwarf_Unsigned header_length = 0, type_offset = 0, next = 0;
        Dwarf_Half version = 0, address_size = 0, length_size = 0, extension_size = 0;
        Dwarf_Half unit_type = 0;
        Dwarf_Off abbrev = 0;
        Dwarf_Sig8 signature{};
        Dwarf_Error e = nullptr;
        int rc = dwarf_next_cu_header_d(dbg, true, &header_length, &version, &abbrev, &address_size,
                                        &length_size, &extension_size, &signature, &type_offset,
                                        &next, &unit_type, &e);
        if (rc == DW_DLV_NO_ENTRY) break;
        if (rc == DW_DLV_ERROR)
            return take_error(dbg, e, fmt::format("{}: unit header at {:#x}", impl.path, header));
        Dwarf_Die raw = nullptr;
        rc = dwarf_siblingof_b(dbg, nullptr, true, &raw, &e);
        if (rc == DW_DLV_ERROR)
            return take_error(dbg, e, fmt::format("{}: unit DIE at {:#x}", impl.path, header));
        Cu cu;
        cu.header_offset = header;
        cu.end_offset = next;
        cu.version = version;
        cu.address_size = address_size;
        header = next;
        if (rc != DW_DLV_OK) continue;
        Die die(raw);
        cu.die_offset = die_offset(die.get());
        cu.lang = lang_from_dwarf(attr_udata(die.get(), DW_AT_language).value_or(0));
        cu.name = die_name(die.get());
        if (auto producer = attr_string(die.get(), DW_AT_producer))
            cu.rustc = rustc_from_producer(*producer);
        Dwarf_Addr low = 0;
        if (dwarf_lowpc(die.get(), &low, &e) == DW_DLV_OK)
            cu.base_address = low;
        else
            drop_error(dbg, e);
        cu.ranges = die_ranges(dbg, die.get(), cu);
        impl.cus.push_back(std::move(cu));
    }
    for (size_t i = 0; i < impl.cus.size(); ++i)
        for (const auto& r : impl.cus[i].ranges) impl.cu_ranges.emplace_back(r, i);
    std::sort(impl.cu_ranges.begin(), impl.cu_ranges.end());
    return ok_status();
}

} // namespace

DebugInfo::Impl::Impl() {
    void_type.kind = TypeKind::Void;
    void_type.name = "void";
    void_type.qualified = "void";
}

DebugInfo::Impl::~Impl() {
    cus.clear(); // drop indexes before the Dwarf_Debug they point into
    finish_libdwarf(dbg, elf.get());
}

Cu* DebugInfo::Impl::cu_for_pc(uint64_t file_addr) {
    auto it = std::upper_bound(cu_ranges.begin(), cu_ranges.end(), file_addr,
                               [](uint64_t a, const auto& r) { return a < r.first.first; });
    if (it != cu_ranges.begin()) {
        auto& [range, idx] = *std::prev(it);
        if (file_addr < range.second) return &cus[idx];
    }
    // Overlapping ranges (rare, but producers differ) defeat the binary search.
    for (auto& [range, idx] : cu_ranges)
        if (file_addr >= range.first && file_addr < range.second) return &cus[idx];
    return nullptr;
}

Cu* DebugInfo::Impl::cu_for_offset(uint64_t die_offset) {
    auto it = std::upper_bound(cus.begin(), cus.end(), die_offset,
                               [](uint64_t off, const Cu& cu) { return off < cu.header_offset; });
    if (it == cus.begin()) return nullptr;
    Cu& cu = *std::prev(it);
    return die_offset < cu.end_offset ? &cu : nullptr;
}

std::string DebugInfo::Impl::file_name(Cu& cu, uint64_t index) {
    if (!cu.files) {
        cu.files.emplace();
        if (auto die = die_at(dbg, cu.die_offset)) {
            char** names = nullptr;
            Dwarf_Signed count = 0;
            Dwarf_Error e = nullptr;
            int rc = dwarf_srcfiles(die->get(), &names, &count, &e);
            if (rc == DW_DLV_ERROR) drop_error(dbg, e);
            if (rc == DW_DLV_OK) {
                for (Dwarf_Signed i = 0; i < count; ++i) {
                    cu.files->emplace_back(names[i]);
                    dwarf_dealloc(dbg, names[i], DW_DLA_STRING);
                }
                dwarf_dealloc(dbg, names, DW_DLA_LIST);
            }
        }
    }
    // DWARF 5 file numbers index the table from 0; earlier versions count from 1.
    uint64_t i = cu.version >= 5 ? index : index - 1;
    if (cu.version < 5 && index == 0) return {};
    return i < cu.files->size() ? (*cu.files)[i] : std::string();
}

Result<std::unique_ptr<DebugInfo>> DebugInfo::open(const std::string& path, uint64_t load_bias) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return err("{}: no such file", path);
    SEAM_TRY(check_debug_sections(path));
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    impl->bias = load_bias;
    Dwarf_Error e = nullptr;
    int rc = open_libdwarf(path, impl->elf, &impl->dbg, &e);
    if (rc == DW_DLV_NO_ENTRY) return err("{}: no DWARF debug info (build with -g)", path);
    if (rc == DW_DLV_ERROR) {
        impl->dbg = nullptr;
        return take_error(nullptr, e, fmt::format("{}: cannot read DWARF", path));
    }
    SEAM_TRY(read_units(*impl));
    if (impl->elf) impl->elf->drop_pages();
    if (impl->cus.empty()) return err("{}: no DWARF compile units (build with -g)", path);
    return std::unique_ptr<DebugInfo>(new DebugInfo(std::move(impl)));
}

DebugInfo::DebugInfo(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
DebugInfo::~DebugInfo() = default;

uint64_t DebugInfo::load_bias() const {
    return m_impl->bias;
}
const std::string& DebugInfo::path() const {
    return m_impl->path;
}

Lang DebugInfo::language_at(uint64_t pc) const {
    Cu* cu = m_impl->cu_for_pc(pc - m_impl->bias);
    return cu ? cu->lang : Lang::Unknown;
}

} // namespace seam
