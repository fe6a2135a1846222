#pragma once
/// seam's FrameState over an SBFrame: the registers LLDB unwound for that frame.
#include <lldb/API/SBFrame.h>

#include "formatters/dwarf/debug_info.h"

namespace seam::lldb {

/// x86-64 only for now (DWARF numbering in debug_info.h). Registers LLDB could not recover
/// in an outer frame (caller-clobbered ones) are reported unknown, never as stale values.
class SBFrameState final : public FrameState {
public:
    explicit SBFrameState(::lldb::SBFrame frame) : m_frame(frame) {}
    std::optional<uint64_t> reg(unsigned regno) const override;
    std::optional<std::vector<std::byte>> reg_bytes(unsigned regno) const override;
    std::optional<uint64_t> cfa() const override;

private:
    mutable ::lldb::SBFrame m_frame;
};

/// The LLDB name of the x86-64 register with DWARF number `regno`, or null.
const char* x86_64_register_name(unsigned regno);

} // namespace seam::lldb
