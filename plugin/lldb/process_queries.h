#pragma once
/// crash::ProcessQueries over the SB API: the memory regions, symbols and function ranges the
/// crash analysis asks for beyond reads, for a live process or a core alike.
#include <lldb/API/SBProcess.h>
#include <lldb/API/SBTarget.h>

#include "formatters/crash/crash.h"

namespace seam::lldb {

class SBProcessQueries final : public crash::ProcessQueries {
public:
    explicit SBProcessQueries(::lldb::SBProcess process)
        : m_process(process), m_target(process.GetTarget()) {}
    std::vector<crash::MemoryRegion> heap_regions() override;
    /// Every mapped region that is readable and writable, named as the debugger names it.
    std::vector<crash::MemoryRegion> writable_regions();
    std::optional<uint64_t> symbol_address(std::string_view name) override;
    std::optional<std::pair<uint64_t, uint64_t>> function_range(uint64_t pc) override;

private:
    ::lldb::SBProcess m_process;
    ::lldb::SBTarget m_target;
};

} // namespace seam::lldb
