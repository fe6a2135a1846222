#pragma once
/// seam's MemoryReader over the SB API.
#include <lldb/API/SBProcess.h>
#include <lldb/API/SBTarget.h>

#include "formatters/core/memory.h"

namespace seam::lldb {

/// Reads through the process; where that fails, through the target's module file sections.
/// A core file holds no file-backed read-only pages (string literals in .rodata, vtables),
/// so a read the process refuses is retried from the executable and its libraries on disk.
class SBMemoryReader final : public MemoryReader {
public:
    SBMemoryReader(::lldb::SBProcess process, ::lldb::SBTarget target)
        : m_process(process), m_target(target) {}
    Status read(uint64_t address, std::span<std::byte> out) override;

private:
    ::lldb::SBProcess m_process;
    ::lldb::SBTarget m_target;
};

} // namespace seam::lldb
