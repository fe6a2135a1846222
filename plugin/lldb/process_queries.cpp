#include "plugin/lldb/process_queries.h"

#include <lldb/API/SBAddress.h>
#include <lldb/API/SBFrame.h>
#include <lldb/API/SBMemoryRegionInfo.h>
#include <lldb/API/SBMemoryRegionInfoList.h>
#include <lldb/API/SBSymbol.h>
#include <lldb/API/SBSymbolContext.h>
#include <lldb/API/SBSymbolContextList.h>
#include <lldb/API/SBThread.h>

#include <algorithm>

namespace seam::lldb {

std::vector<crash::MemoryRegion> SBProcessQueries::writable_regions() {
    std::vector<crash::MemoryRegion> out;
    ::lldb::SBMemoryRegionInfoList regions = m_process.GetMemoryRegions();
    for (uint32_t i = 0; i < regions.GetSize(); ++i) {
        ::lldb::SBMemoryRegionInfo info;
        if (!regions.GetMemoryRegionAtIndex(i, info)) continue;
        if (!info.IsMapped() || !info.IsReadable() || !info.IsWritable()) continue;
        out.push_back(
            {info.GetRegionBase(), info.GetRegionEnd(), info.GetName() ? info.GetName() : ""});
    }
    return out;
}

std::vector<crash::MemoryRegion> SBProcessQueries::heap_regions() {
    std::vector<uint64_t> stack_pointers;
    for (uint32_t i = 0; i < m_process.GetNumThreads(); ++i) {
        ::lldb::SBFrame top = m_process.GetThreadAtIndex(i).GetFrameAtIndex(0);
        if (top.IsValid()) stack_pointers.push_back(top.GetSP());
    }
    std::vector<crash::MemoryRegion> out;
    for (crash::MemoryRegion& r : writable_regions()) {
        // A file's data segment or a named mapping ([stack], [vvar]) holds no heap object.
        if (!r.name.empty() && r.name != "[heap]") continue;
        if (std::any_of(stack_pointers.begin(), stack_pointers.end(),
                        [&](uint64_t sp) { return sp >= r.start && sp < r.end; }))
            continue;
        out.push_back(std::move(r));
    }
    // The main arena first; thread arenas and large allocations live in anonymous mappings.
    std::stable_partition(out.begin(), out.end(),
                          [](const crash::MemoryRegion& r) { return r.name == "[heap]"; });
    return out;
}

std::optional<uint64_t> SBProcessQueries::symbol_address(std::string_view name) {
    std::string n(name);
    ::lldb::SBSymbolContextList found = m_target.FindSymbols(n.c_str());
    for (uint32_t i = 0; i < found.GetSize(); ++i) {
        ::lldb::SBSymbol sym = found.GetContextAtIndex(i).GetSymbol();
        if (!sym.IsValid()) continue;
        uint64_t addr = sym.GetStartAddress().GetLoadAddress(m_target);
        if (addr != LLDB_INVALID_ADDRESS) return addr;
    }
    return std::nullopt;
}

std::optional<std::pair<uint64_t, uint64_t>> SBProcessQueries::function_range(uint64_t pc) {
    ::lldb::SBSymbol sym = m_target.ResolveLoadAddress(pc).GetSymbol();
    if (!sym.IsValid()) return std::nullopt;
    uint64_t start = sym.GetStartAddress().GetLoadAddress(m_target);
    uint64_t end = sym.GetEndAddress().GetLoadAddress(m_target);
    if (start == LLDB_INVALID_ADDRESS || end == LLDB_INVALID_ADDRESS || end <= start)
        return std::nullopt;
    return std::make_pair(start, end);
}

} // namespace seam::lldb
