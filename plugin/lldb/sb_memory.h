#pragma once
/// seam's MemoryReader over the SB API.
#include <lldb/API/SBProcess.h>
#include <lldb/API/SBTarget.h>

#include "formatters/core/memory.h"
#include "plugin/lldb/local_memory.h"

#include <memory>

namespace seam::lldb {

/// Reads a live local process directly where that is certainly right (local_memory.h); else
/// through the process; where that fails, through the target's module file sections.
/// A core file holds no file-backed read-only pages (string literals in .rodata, vtables),
/// so a read the process refuses is retried from the executable and its libraries on disk.
class SBMemoryReader final : public MemoryReader {
public:
    SBMemoryReader(::lldb::SBProcess process, ::lldb::SBTarget target)
        : m_process(process), m_target(target) {}
    Status read(uint64_t address, std::span<std::byte> out) override;
    /// Reads answered directly (local_memory.h), not through lldb-server.
    uint64_t direct_reads() const { return m_direct_reads; }

private:
    ::lldb::SBProcess m_process;
    ::lldb::SBTarget m_target;
    /// Looked up on the first read: many readers are made for one summary and never read.
    std::shared_ptr<const LocalMemory> m_local;
    bool m_local_checked = false;
    uint64_t m_direct_reads = 0;
};

} // namespace seam::lldb
