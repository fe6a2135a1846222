#pragma once
/// Private to formatters/dwarf: the state behind DebugInfo and the libdwarf helpers its files
/// share. Nothing outside this folder includes it (libdwarf is a private dependency).
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include <dwarf.h>
#include <elf.h>
#include <libdwarf.h>

#include "formatters/dwarf/debug_info.h"

namespace seam {
namespace dwarf {

struct DieDeleter {
    void operator()(Dwarf_Die d) const { dwarf_dealloc_die(d); }
};
/// One libdwarf DIE handle, freed when it goes out of scope (a walk over a big CU would
/// otherwise keep every DIE it touched until dwarf_finish).
using Die = std::unique_ptr<std::remove_pointer_t<Dwarf_Die>, DieDeleter>;

/// Turns a libdwarf error into seam's own and frees it.
Error take_error(Dwarf_Debug dbg, Dwarf_Error e, std::string_view what);
/// Frees an error we chose not to report (a lookup whose absence is fine). With a null `dbg`
/// it is left to dwarf_finish.
void drop_error(Dwarf_Debug dbg, Dwarf_Error e);

Result<Die> die_at(Dwarf_Debug dbg, uint64_t offset);
uint64_t die_offset(Dwarf_Die die);
Dwarf_Half die_tag(Dwarf_Die die);
std::string die_name(Dwarf_Die die);
bool has_attr(Dwarf_Die die, Dwarf_Half at);
bool attr_flag(Dwarf_Die die, Dwarf_Half at);
std::optional<uint64_t> attr_udata(Dwarf_Die die, Dwarf_Half at);
std::optional<int64_t> attr_sdata(Dwarf_Die die, Dwarf_Half at);
std::optional<std::string> attr_string(Dwarf_Die die, Dwarf_Half at);
/// A reference attribute as a global .debug_info offset.
std::optional<uint64_t> attr_ref(Dwarf_Die die, Dwarf_Half at);
/// A constant of any form (data1..16, sdata, udata, block) as 128 raw bits; dataN forms are
/// sign-extended when `is_signed` (DWARF leaves their signedness to the consumer).
std::optional<Int128> attr_int128(Dwarf_Debug dbg, Dwarf_Die die, Dwarf_Half at, bool is_signed);
/// The raw bytes of a block / exprloc form attribute.
std::optional<std::vector<uint8_t>> attr_block(Dwarf_Debug dbg, Dwarf_Die die, Dwarf_Half at);

/// Calls `f(child)` for each child of `parent` in order while it returns true.
template <typename F> void for_each_child(Dwarf_Debug dbg, Dwarf_Die parent, F&& f) {
    Dwarf_Die raw = nullptr;
    Dwarf_Error e = nullptr;
    int rc = dwarf_child(parent, &raw, &e);
    if (rc != DW_DLV_OK) {
        if (rc == DW_DLV_ERROR) drop_error(dbg, e);
        return;
    }
    Die cur(raw);
    while (cur) {
        if (!f(cur.get())) return;
        Dwarf_Die next = nullptr;
        rc = dwarf_siblingof_b(dbg, cur.get(), true, &next, &e);
        if (rc == DW_DLV_ERROR) drop_error(dbg, e);
        cur.reset(rc == DW_DLV_OK ? next : nullptr);
    }
}

/// Calls `f(d)` on `die`, then on the DIEs its DW_AT_abstract_origin / DW_AT_specification
/// lead to, until `f` returns true. Inlined and out-of-line instances keep their names, types
/// and declarations there.
template <typename F> void along_origins(Dwarf_Debug dbg, Dwarf_Die die, F&& f) {
    Die holder;
    Dwarf_Die cur = die;
    for (int hops = 0; cur && hops < 8; ++hops) {
        if (f(cur)) return;
        auto ref = attr_ref(cur, DW_AT_abstract_origin);
        if (!ref) ref = attr_ref(cur, DW_AT_specification);
        if (!ref) return;
        auto next = die_at(dbg, *ref);
        if (!next) return;
        holder = std::move(*next);
        cur = holder.get();
    }
}

using AddrRange = std::pair<uint64_t, uint64_t>; ///< [low, high) file addresses

/// Per compile unit: what open() learns from its header and root DIE.
struct CuIndex;
struct Cu {
    uint64_t header_offset = 0;
    uint64_t die_offset = 0;
    uint64_t end_offset = 0; ///< the next unit's header
    uint16_t version = 0;
    uint16_t address_size = 8;
    Lang lang = Lang::Unknown;
    uint32_t rustc = 0;        ///< rustc_from_producer(DW_AT_producer)
    uint64_t base_address = 0; ///< DW_AT_low_pc of the unit: base of DWARF 4 range lists
    std::string name;
    std::vector<AddrRange> ranges;
    std::unique_ptr<CuIndex> index; ///< built on first need
    std::optional<std::vector<std::string>> files;
};

struct SubprogramEntry {
    uint64_t low = 0, high = 0; ///< file addresses
    uint64_t offset = 0;        ///< DIE
};

/// What one walk over a unit's namespaces and types learns: the scope of every type DIE (for
/// qualified names), type names, globals with a fixed address, and subprogram ranges.
struct CuIndex {
    std::vector<std::string> scopes{""}; ///< scope id -> `a::b` prefix; 0 is the unit itself
    std::vector<std::pair<uint64_t, uint32_t>> scope_of;      ///< DIE offset -> scope id, sorted
    std::vector<std::pair<std::string, uint64_t>> type_names; ///< qualified -> DIE (definitions)
    std::vector<std::pair<uint64_t, uint64_t>> globals;       ///< file address -> DIE
    std::vector<std::pair<uint64_t, uint64_t>> thread_locals; ///< TLS offset -> DIE
    std::vector<SubprogramEntry> subprograms;                 ///< sorted by low
};

class Symbols; // ELF symbol table (dwarf_symbols.cpp)

Lang lang_from_dwarf(uint64_t dw_lang);
/// The pc ranges of a DIE (low/high pc or DW_AT_ranges, DWARF 4 or 5), empty ones dropped.
std::vector<AddrRange> die_ranges(Dwarf_Debug dbg, Dwarf_Die die, const Cu& cu);
bool ranges_contain(const std::vector<AddrRange>& ranges, uint64_t addr);
/// A location attribute (exprloc, block, location list) as load-address ranges.
Result<std::vector<LocationRange>> read_location(Dwarf_Debug dbg, Dwarf_Die die, Dwarf_Half at,
                                                 const Cu& cu, uint64_t load_bias);
/// The file address a global's location names, when it is a plain DW_OP_addr.
std::optional<uint64_t> static_address(Dwarf_Debug dbg, Dwarf_Die die);
/// The same for DWARF 5's DW_OP_addrx (LLVM's, the kernel's: an index into .debug_addr), read
/// through libdwarf.
std::optional<uint64_t> indexed_static_address(Dwarf_Debug dbg, Dwarf_Die die, const Cu& cu);
/// The offset in its module's TLS block of a thread-local variable whose location expression
/// is `expr`: a constant then DW_OP_form_tls_address (or GCC's and LLVM's older
/// DW_OP_GNU_push_tls_address), nothing else.
std::optional<uint64_t> tls_offset_of(const uint8_t* expr, uint64_t len);

/// The ELF file mapped read-only, once, with its section headers (dwarf_raw.cpp): libdwarf reads
/// it in place through `access` (dwarf_object_init_b; close with dwarf_object_finish), and the
/// unit scanner through raw_sections(). Outlives the Dwarf_Debug made over it.
struct MappedElf {
    void* map = nullptr;
    size_t size = 0;
    const uint8_t* base = nullptr;
    std::vector<Elf64_Shdr> sections;
    std::vector<std::string> names; ///< by section index
    Dwarf_Obj_Access_Interface access{};
    /// Gives back the pages a walk over the whole file touched (one per unit header for the
    /// unit table; every unit for the whole-file indexes), which count in the debugger's RSS
    /// for as long as they stay mapped; what is read later is mapped again on demand.
    void drop_pages();
    MappedElf() = default;
    MappedElf(const MappedElf&) = delete;
    MappedElf& operator=(const MappedElf&) = delete;
    ~MappedElf();
};
/// Null when the file needs what only libdwarf's own reader does (relocations of an object
/// file, compressed debug sections) or it is not a little-endian ELF64.
std::unique_ptr<MappedElf> map_elf(const std::string& path);
/// Opens `path` with libdwarf: in place over a mapping (`elf`, set here) where map_elf serves,
/// else with libdwarf's own reader (`elf` stays null). A DW_DLV_* code; `*error` is set on
/// DW_DLV_ERROR. Not to be called while another thread opens a file with libdwarf (the in-place
/// open borrows a global hook of libdwarf's for the while: dwarf_raw.cpp).
int open_libdwarf(const std::string& path, std::unique_ptr<MappedElf>& elf, Dwarf_Debug* dbg,
                  Dwarf_Error* error);
/// Closes a Dwarf_Debug open_libdwarf opened, before its `elf` goes.
void finish_libdwarf(Dwarf_Debug dbg, const MappedElf* elf);

/// The bytes of the sections the unit scanner reads, viewed in a MappedElf. Empty views for
/// sections the file lacks.
struct RawSections {
    std::string_view info, abbrev, str, line_str, str_offsets, addr;
};
/// Null when the file has no .debug_info or .debug_abbrev.
std::unique_ptr<RawSections> raw_sections(const MappedElf& elf);

/// Builds `cu`'s index from the raw bytes (dwarf_scan.cpp): the same entries, in the same
/// order, as the libdwarf walk in dwarf_index.cpp. False, with `out` to be discarded, when the
/// unit holds a form or layout the scanner does not decode; the caller then walks it with
/// libdwarf. `dbg` serves the rare subprogram whose pc ranges are not a low/high pair.
bool scan_unit(const RawSections& raw, Dwarf_Debug dbg, const Cu& cu, CuIndex& out);

/// The tags whose named DIEs the type-name index keeps. One definition for the libdwarf walk
/// (dwarf_index.cpp) and the byte scanner (dwarf_scan.cpp), which must find the same entries.
inline bool is_type_tag(unsigned tag) {
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

/// The tags that name a scope for the names nested in them (`a::b::Name`).
inline bool opens_scope(unsigned tag) {
    return tag == DW_TAG_namespace || tag == DW_TAG_module || tag == DW_TAG_structure_type ||
           tag == DW_TAG_class_type || tag == DW_TAG_union_type || tag == DW_TAG_enumeration_type;
}

} // namespace dwarf

struct DebugInfo::Impl {
    /// The file's mapping, when libdwarf reads it in place (dwarf_raw.cpp); null: libdwarf's own
    /// reader opened it (dwarf_init_path). Declared first: destroyed after `dbg` is finished.
    std::unique_ptr<dwarf::MappedElf> elf;
    Dwarf_Debug dbg = nullptr;
    std::string path;
    uint64_t bias = 0;
    std::vector<dwarf::Cu> cus;
    std::vector<std::pair<dwarf::AddrRange, size_t>> cu_ranges; ///< sorted by low

    // Types, built lazily per DIE and memoised (dwarf_types.cpp).
    std::deque<Type> type_store;
    std::unordered_map<uint64_t, const Type*> types;
    Type void_type;

    // Indexes over every unit, built on first use (dwarf_index.cpp).
    bool names_built = false;
    /// Qualified name -> DIE; the keys view the strings of each unit's CuIndex::type_names.
    std::unordered_map<std::string_view, uint64_t> type_by_name;
    bool globals_built = false;
    std::map<uint64_t, uint64_t> global_by_addr; ///< load address -> DIE
    std::unique_ptr<dwarf::Symbols> symbols;
    bool raw_tried = false;
    std::unique_ptr<dwarf::RawSections> raw; ///< for the unit scanner; null: libdwarf walks
    /// variables_at's lists by (pc, inline depth), bounded: a frame of 50 locals asks for the
    /// same list once per local that LLDB maps back to its DWARF variable (dwarf_scopes.cpp).
    std::map<std::pair<uint64_t, unsigned>, std::vector<Variable>> variables_memo;
    /// A scope DIE's own variables (dwarf_scopes.cpp's scope_variables), by the DIE's offset.
    std::unordered_map<uint64_t, std::vector<Variable>> scope_variables_memo;
    /// function_info_at and function_depth_at the same way: asked once per value mapped.
    std::map<std::pair<uint64_t, unsigned>, std::optional<FunctionInfo>> function_memo;
    std::map<uint64_t, unsigned> depth_memo;

    Impl();
    ~Impl();

    dwarf::Cu* cu_for_pc(uint64_t file_addr);
    dwarf::Cu* cu_for_offset(uint64_t die_offset);
    const dwarf::CuIndex& cu_index(dwarf::Cu& cu);
    /// Maps the sections for the unit scanner, once (`raw` stays null where it cannot serve).
    void map_raw();
    /// Builds every unit's index not built yet, on two threads where the scanner serves.
    void index_all_units();
    /// The `a::b::name` of a type or function DIE named `name` (C: just `name`).
    std::string qualified_name(dwarf::Cu& cu, uint64_t die_offset, const std::string& name);
    /// The file named by DW_AT_decl_file value `index` in `cu`'s line table.
    std::string file_name(dwarf::Cu& cu, uint64_t index);
    void build_name_index();
    void build_global_index();
    /// The global whose DIE is at `die_offset`, stored at `load_address`.
    std::optional<GlobalVariable> global_from(uint64_t load_address, uint64_t die_offset);
    /// The innermost subprogram of `cu` whose ranges hold `file_addr`, by DIE offset.
    std::optional<uint64_t> subprogram_at(dwarf::Cu& cu, uint64_t file_addr);

    const Type* type_at(uint64_t die_offset);
    /// How deep type_at is in building types that reach other types, and the aggregates whose
    /// members wait to be filled: a chain of structs linked by pointers (a kernel's types, a
    /// generated `prev` chain 60,000 long) must not recurse once per link and overflow the stack.
    unsigned type_build_depth = 0;
    std::vector<std::pair<Type*, uint64_t>> pending_types;
    /// Declarations (`struct task_struct;`) met before the whole-file name index was built:
    /// their definitions are looked up when that index is built, on first need, and copied
    /// into them in place (complete_declarations). Building the index to complete a
    /// declaration deep in a parameter's pointee graph cost 6.8 s on a 337 MB vmlinux.
    std::vector<Type*> deferred_declarations;
    void complete_declarations();
    std::optional<uint64_t> type_ref(Dwarf_Die die); ///< DW_AT_type, following origins
};

} // namespace seam
