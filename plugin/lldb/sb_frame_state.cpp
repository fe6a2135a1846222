#include "plugin/lldb/sb_frame_state.h"

#include <lldb/API/SBData.h>
#include <lldb/API/SBError.h>
#include <lldb/API/SBValue.h>

namespace seam::lldb {

namespace {

// DWARF register numbers of the System V x86-64 psABI (figure 3.36).
constexpr const char* k_x86_64_names[] = {
    "rax",  "rdx",  "rcx",  "rbx",  "rsi",  "rdi",   "rbp",   "rsp",   "r8",    "r9",    "r10",
    "r11",  "r12",  "r13",  "r14",  "r15",  "rip",   "xmm0",  "xmm1",  "xmm2",  "xmm3",  "xmm4",
    "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15",
};

::lldb::SBValue find(::lldb::SBFrame& frame, unsigned regno) {
    const char* name = x86_64_register_name(regno);
    if (!name || !frame.IsValid()) return {};
    ::lldb::SBValue v = frame.FindRegister(name);
    if (!v.IsValid() || v.GetError().Fail()) return {};
    return v;
}

} // namespace

const char* x86_64_register_name(unsigned regno) {
    if (regno >= std::size(k_x86_64_names)) return nullptr;
    return k_x86_64_names[regno];
}

std::optional<uint64_t> SBFrameState::reg(unsigned regno) const {
    ::lldb::SBValue v = find(m_frame, regno);
    if (!v.IsValid() || v.GetByteSize() > 8) return std::nullopt;
    ::lldb::SBError error;
    uint64_t value = v.GetValueAsUnsigned(error, 0);
    if (error.Fail()) return std::nullopt;
    return value;
}

std::optional<std::vector<std::byte>> SBFrameState::reg_bytes(unsigned regno) const {
    ::lldb::SBValue v = find(m_frame, regno);
    if (!v.IsValid()) return std::nullopt;
    ::lldb::SBData data = v.GetData();
    size_t size = data.GetByteSize();
    if (size == 0) return std::nullopt;
    std::vector<std::byte> out(size);
    ::lldb::SBError error;
    size_t n = data.ReadRawData(error, 0, out.data(), size);
    if (error.Fail() || n != size) return std::nullopt;
    return out;
}

std::optional<uint64_t> SBFrameState::cfa() const {
    if (!m_frame.IsValid()) return std::nullopt;
    ::lldb::addr_t cfa = m_frame.GetCFA();
    if (cfa == LLDB_INVALID_ADDRESS) return std::nullopt;
    return cfa;
}

} // namespace seam::lldb
