// Scopes at a pc: the subprogram holding it (from the unit's subprogram index), then the
// lexical blocks and inlined subroutines nested inside it that also hold it. Variables come
// from the innermost function-like scope outward (an inlined call is a frame of its own, as
// debuggers show it), and locations are evaluated against the caller's FrameState.
#include <set>

#include "formatters/dwarf/dwarf_internal.h"

namespace seam {

using namespace dwarf;

namespace {

bool is_function_scope(Dwarf_Half tag) {
    return tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine;
}

/// The chain of DIEs holding a pc, outermost (the subprogram) first.
struct ScopeChain {
    Cu* cu = nullptr;
    std::vector<Die> scopes;
};

Result<ScopeChain> scopes_at(DebugInfo::Impl& impl, uint64_t pc) {
    uint64_t file_pc = pc - impl.bias;
    ScopeChain chain;
    chain.cu = impl.cu_for_pc(file_pc);
    if (!chain.cu) return err("no debug info for pc {:#x}", pc);
    auto sub = impl.subprogram_at(*chain.cu, file_pc);
    if (!sub) return err("no function with debug info at pc {:#x}", pc);
    auto die = die_at(impl.dbg, *sub);
    if (!die) return die.error();
    chain.scopes.push_back(std::move(*die));
    // rustc opens one lexical block per `let`, so a long function nests hundreds of blocks: no
    // depth cap. What ends the walk is progress: a child's DIE lies after its parent's and
    // inside the unit, so each step moves forward through a bounded range, whatever the DWARF
    // says (a corrupt sibling chain cannot loop back).
    uint64_t last_offset = die_offset(chain.scopes.back().get());
    for (;;) {
        Die inner;
        for_each_child(impl.dbg, chain.scopes.back().get(), [&](Dwarf_Die child) {
            Dwarf_Half tag = die_tag(child);
            if (tag != DW_TAG_lexical_block && tag != DW_TAG_inlined_subroutine) return true;
            if (!ranges_contain(die_ranges(impl.dbg, child, *chain.cu), file_pc)) return true;
            uint64_t offset = die_offset(child);
            if (offset <= last_offset || offset >= chain.cu->end_offset) return false;
            auto found = die_at(impl.dbg, offset);
            if (found) inner = std::move(*found);
            return false;
        });
        if (!inner) break;
        last_offset = die_offset(inner.get());
        chain.scopes.push_back(std::move(inner));
    }
    return chain;
}

/// The scopes of the function `inline_depth` levels out from the innermost, as indexes into
/// `chain.scopes`: [its own DIE, the last block before the next inlined call inward]. The
/// lexical blocks that enclose an inlined call site belong to the caller's frame, not the
/// callee's.
std::optional<std::pair<size_t, size_t>> function_span(const ScopeChain& chain,
                                                       unsigned inline_depth) {
    std::vector<size_t> functions; // innermost first
    for (size_t i = chain.scopes.size(); i-- > 0;)
        if (is_function_scope(die_tag(chain.scopes[i].get()))) functions.push_back(i);
    if (inline_depth >= functions.size()) return std::nullopt;
    size_t first = functions[inline_depth];
    size_t last = inline_depth == 0 ? chain.scopes.size() - 1 : functions[inline_depth - 1] - 1;
    return std::pair{first, last};
}

/// The DW_AT_decl_file / decl_line of a DIE or its origin, with the file resolved in the
/// unit that holds the attribute.
void declaration_of(DebugInfo::Impl& impl, Dwarf_Die die, std::string& file, uint32_t& line) {
    along_origins(impl.dbg, die, [&](Dwarf_Die d) {
        auto index = attr_udata(d, DW_AT_decl_file);
        if (!index) return false;
        if (Cu* cu = impl.cu_for_offset(die_offset(d))) file = impl.file_name(*cu, *index);
        line = uint32_t(attr_udata(d, DW_AT_decl_line).value_or(0));
        return true;
    });
}

std::string name_of(Dwarf_Debug dbg, Dwarf_Die die) {
    std::string name;
    along_origins(dbg, die, [&](Dwarf_Die d) {
        name = die_name(d);
        return !name.empty();
    });
    return name;
}

/// A variable's DW_AT_const_value (optimised into a constant) as DW_OP_implicit_value.
std::optional<LocationRange> constant_location(Dwarf_Debug dbg, Dwarf_Die die, const Type* t) {
    if (!has_attr(die, DW_AT_const_value)) return std::nullopt;
    std::vector<uint8_t> bytes;
    if (auto block = attr_block(dbg, die, DW_AT_const_value)) {
        bytes = std::move(*block);
    } else if (auto v = attr_int128(dbg, die, DW_AT_const_value, true)) {
        uint64_t size = std::min<uint64_t>(t && t->has_size ? t->size : 8, 16);
        for (uint64_t i = 0; i < size; ++i)
            bytes.push_back(uint8_t(i < 8 ? v->lo >> (8 * i) : v->hi >> (8 * (i - 8))));
    } else {
        return std::nullopt;
    }
    LocationRange r;
    r.everywhere = true;
    r.expr.push_back(DW_OP_implicit_value);
    for (uint64_t n = bytes.size();;) { // ULEB128 length
        uint8_t b = n & 0x7f;
        n >>= 7;
        r.expr.push_back(n ? b | 0x80 : b);
        if (!n) break;
    }
    r.expr.insert(r.expr.end(), bytes.begin(), bytes.end());
    return r;
}

const LocationRange* select(const std::vector<LocationRange>& ranges, uint64_t pc) {
    for (const auto& r : ranges)
        if (r.everywhere || (pc >= r.low && pc < r.high)) return &r;
    return nullptr;
}

// The variables and parameters declared directly in `scope`, in DIE order, without their frame
// base. Memoised by the scope's offset: reading a scope's children walks past each nested
// block's whole subtree (LLVM writes no DW_AT_sibling, so libdwarf parses the subtree to find
// the next child), and rustc nests one block per `let`. Without the memo every stop in a
// function of n `let`s read O(n^2) DIEs (a step in a 1200-value function took 0.5 s); with it
// only a scope not seen before is read.
const std::vector<Variable>& scope_variables(DebugInfo::Impl& impl, Dwarf_Die scope, Cu& cu) {
    uint64_t key = die_offset(scope);
    if (auto hit = impl.scope_variables_memo.find(key); hit != impl.scope_variables_memo.end())
        return hit->second;
    std::vector<Variable> here;
    for_each_child(impl.dbg, scope, [&](Dwarf_Die child) {
        Dwarf_Half tag = die_tag(child);
        if (tag != DW_TAG_variable && tag != DW_TAG_formal_parameter) return true;
        if (attr_flag(child, DW_AT_declaration)) return true;
        Variable v;
        v.name = name_of(impl.dbg, child);
        if (v.name.empty()) return true;
        v.is_parameter = tag == DW_TAG_formal_parameter;
        v.die_offset = die_offset(child);
        auto type = impl.type_ref(child);
        v.type = type ? impl.type_at(*type) : &impl.void_type;
        declaration_of(impl, child, v.decl_file, v.decl_line);
        // One variable whose location cannot be read must not hide its neighbours: it stays in
        // the list and says why when it is located.
        auto loc = read_location(impl.dbg, child, DW_AT_location, cu, impl.bias);
        if (loc)
            v.location = std::move(*loc);
        else
            v.location_error = loc.error().message;
        if (v.location.empty())
            if (auto c = constant_location(impl.dbg, child, v.type)) v.location.push_back(*c);
        here.push_back(std::move(v));
        return true;
    });
    if (impl.scope_variables_memo.size() >= 16384) impl.scope_variables_memo.clear();
    return impl.scope_variables_memo.emplace(key, std::move(here)).first->second;
}

Result<std::vector<Variable>> collect_variables(DebugInfo::Impl& impl, uint64_t pc,
                                                unsigned inline_depth) {
    auto chain = scopes_at(impl, pc);
    if (!chain) return chain.error();
    auto span = function_span(*chain, inline_depth);
    if (!span)
        return err("no function {} levels out from the innermost at pc {:#x}", inline_depth, pc);
    Cu& cu = *chain->cu;
    auto frame_base =
        read_location(impl.dbg, chain->scopes.front().get(), DW_AT_frame_base, cu, impl.bias);
    if (!frame_base) return frame_base.error();

    std::vector<Variable> out;
    std::set<std::string> seen;
    // Innermost first: a name declared in an inner block shadows the outer one.
    for (size_t i = span->second + 1; i-- > span->first;) {
        std::vector<Variable> here;
        for (const Variable& v : scope_variables(impl, chain->scopes[i].get(), cu)) {
            if (seen.count(v.name)) continue;
            here.push_back(v);
            here.back().frame_base = *frame_base;
        }
        for (auto& v : here) seen.insert(v.name);
        for (auto& v : here) out.push_back(std::move(v));
    }
    return out;
}

} // namespace

Result<std::vector<Variable>> DebugInfo::variables_at(uint64_t pc) const {
    return variables_at(pc, 0);
}

Result<std::vector<Variable>> DebugInfo::variables_at(uint64_t pc, unsigned inline_depth) const {
    Impl& impl = *m_impl;
    auto key = std::pair{pc, inline_depth};
    if (auto hit = impl.variables_memo.find(key); hit != impl.variables_memo.end())
        return hit->second;
    auto vars = collect_variables(impl, pc, inline_depth);
    if (vars) {
        if (impl.variables_memo.size() >= 256) impl.variables_memo.clear();
        impl.variables_memo.emplace(key, *vars);
    }
    return vars;
}

Result<Value> DebugInfo::locate(const Variable& var, uint64_t pc, const FrameState& frame,
                                MemoryReader& mem) const {
    // A zero-sized value needs no bytes, and rustc at -O2 gives such locals no location (or a
    // list that does not cover every pc): it is whole wherever it is in scope.
    const Type* t = strip(var.type);
    bool zero_sized = t && t->has_size && t->size == 0;
    if (!var.location_error.empty())
        return err("cannot read the location of {}: {}", var.name, var.location_error);
    const LocationRange* loc = select(var.location, pc);
    if (!loc) {
        if (zero_sized) return Value::held(var.type, {});
        return err("{} is optimised out at pc {:#x}", var.name, pc);
    }
    const LocationRange* base = select(var.frame_base, pc);
    auto value = evaluate_location(loc->expr, base ? &base->expr : nullptr, var.type, frame, mem,
                                   m_impl->bias);
    if (!value && zero_sized) return Value::held(var.type, {});
    return value;
}

std::optional<FunctionInfo> DebugInfo::function_info_at(uint64_t pc) const {
    return function_info_at(pc, 0);
}

namespace {
std::optional<FunctionInfo> collect_function_info(DebugInfo::Impl& impl, uint64_t pc,
                                                  unsigned inline_depth);
} // namespace

std::optional<FunctionInfo> DebugInfo::function_info_at(uint64_t pc, unsigned inline_depth) const {
    Impl& impl = *m_impl;
    auto key = std::pair{pc, inline_depth};
    if (auto hit = impl.function_memo.find(key); hit != impl.function_memo.end())
        return hit->second;
    auto info = collect_function_info(impl, pc, inline_depth);
    if (impl.function_memo.size() >= 256) impl.function_memo.clear();
    impl.function_memo.emplace(key, info);
    return info;
}

namespace {

std::optional<FunctionInfo> collect_function_info(DebugInfo::Impl& impl, uint64_t pc,
                                                  unsigned inline_depth) {
    auto chain = scopes_at(impl, pc);
    if (!chain) return std::nullopt;
    auto span = function_span(*chain, inline_depth);
    if (!span) return std::nullopt;
    Dwarf_Die scope = chain->scopes[span->first].get();
    FunctionInfo info;
    info.lang = chain->cu->lang;
    uint64_t named_at = die_offset(scope);
    along_origins(impl.dbg, scope, [&](Dwarf_Die d) {
        if (info.linkage.empty()) {
            info.linkage = attr_string(d, DW_AT_linkage_name).value_or("");
            if (info.linkage.empty())
                info.linkage = attr_string(d, DW_AT_MIPS_linkage_name).value_or("");
        }
        if (info.name.empty()) {
            info.name = die_name(d);
            named_at = die_offset(d);
        }
        return !info.name.empty() && !info.linkage.empty();
    });
    Cu* named_cu = impl.cu_for_offset(named_at);
    info.qualified = impl.qualified_name(named_cu ? *named_cu : *chain->cu, named_at, info.name);
    declaration_of(impl, scope, info.file, info.line);
    return info;
}

} // namespace

std::optional<std::string> DebugInfo::frame_name_at(uint64_t pc, unsigned frames,
                                                    unsigned inline_depth) const {
    std::optional<FunctionInfo> fi;
    if (function_depth_at(pc) == frames)
        fi = function_info_at(pc, inline_depth);
    else if (frames == 1)
        fi = function_info_at(pc);
    if (!fi || fi->qualified.empty()) return std::nullopt;
    return fi->qualified;
}

unsigned DebugInfo::function_depth_at(uint64_t pc) const {
    Impl& impl = *m_impl;
    if (auto hit = impl.depth_memo.find(pc); hit != impl.depth_memo.end()) return hit->second;
    auto chain = scopes_at(impl, pc);
    if (!chain) return 0;
    unsigned n = 0;
    for (const auto& d : chain->scopes) n += is_function_scope(die_tag(d.get()));
    if (impl.depth_memo.size() >= 256) impl.depth_memo.clear();
    impl.depth_memo.emplace(pc, n);
    return n;
}

} // namespace seam
