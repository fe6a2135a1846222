#include "plugin/lldb/sb_memory.h"

#include <lldb/API/SBAddress.h>
#include <lldb/API/SBError.h>

namespace seam::lldb {

namespace {

std::string sb_message(const ::lldb::SBError& e) {
    const char* s = e.GetCString();
    return s && *s ? s : "unknown error";
}

} // namespace

Status SBMemoryReader::read(uint64_t address, std::span<std::byte> out) {
    if (out.empty()) return ok_status();
    if (!m_local_checked) {
        m_local = LocalMemory::for_process(m_process);
        m_local_checked = true;
    }
    if (m_local && m_local->read(address, out)) {
        ++m_direct_reads;
        return ok_status();
    }
    std::string process_error = "no process";
    if (m_process.IsValid()) {
        ::lldb::SBError error;
        size_t n = m_process.ReadMemory(address, out.data(), out.size(), error);
        if (error.Success() && n == out.size()) return ok_status();
        process_error = error.Fail() ? sb_message(error) : fmt::format("short read ({} bytes)", n);
    }
    // The file fallback only knows addresses that lie in a module's sections; SBAddress
    // resolves the load address to its section (invalid when none holds it).
    // Only the count says whether it read: after the process refused the read, LLDB 22 fills
    // the whole buffer from the file and still returns the process's error ("No memory range
    // found for address"); LLDB 19 says success for a short read and for none (measured on a
    // minidump of written pages: docs/install.md, "Other LLDB versions").
    if (m_target.IsValid()) {
        ::lldb::SBAddress addr(address, m_target);
        if (addr.GetSection().IsValid()) {
            ::lldb::SBError ignored;
            size_t n = m_target.ReadMemory(addr, out.data(), out.size(), ignored);
            if (n == out.size()) return ok_status();
        }
    }
    return err("cannot read {} bytes at {:#x}: {}", out.size(), address, process_error);
}

} // namespace seam::lldb
