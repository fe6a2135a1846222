#include "tests/e2e/minidump_stop_code.h"

#include <cstdint>
#include <fstream>

namespace seam::e2e {
namespace {

constexpr uint32_t k_minidump_signature = 0x504d444d; // "MDMP"
constexpr uint32_t k_exception_stream = 6;
constexpr uint32_t k_lldb_exception_flags = 0x4c4c4442; // LLDB's mark on the records it writes
constexpr uint32_t k_sigtrap = 5;
constexpr uint32_t k_max_streams = 1024; // LLDB writes about 15

bool read_u32(std::fstream& f, uint64_t at, uint32_t& out) {
    f.seekg(static_cast<std::streamoff>(at));
    unsigned char b[4];
    if (!f.read(reinterpret_cast<char*>(b), 4)) return false;
    out = b[0] | b[1] << 8 | b[2] << 16 | static_cast<uint32_t>(b[3]) << 24;
    return true;
}

} // namespace

Status mark_breakpoint_stop_as_sigtrap(const std::string& path) {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    if (!f) return err("cannot open {}", path);
    uint32_t signature = 0, streams = 0, directory = 0;
    if (!read_u32(f, 0, signature) || signature != k_minidump_signature)
        return ok_status(); // not a minidump: nothing LLDB 22's writer could have marked
    if (!read_u32(f, 8, streams) || !read_u32(f, 12, directory) || streams > k_max_streams)
        return err("{}: unreadable minidump header", path);
    for (uint32_t i = 0; i < streams; ++i) {
        uint32_t type = 0, rva = 0;
        const uint64_t entry = directory + 12ull * i;
        if (!read_u32(f, entry, type) || !read_u32(f, entry + 8, rva))
            return err("{}: unreadable stream directory", path);
        if (type != k_exception_stream) continue;
        // MINIDUMP_EXCEPTION_STREAM: thread id, alignment, then the record's code and flags.
        uint32_t flags = 0;
        if (!read_u32(f, rva + 12ull, flags)) return err("{}: unreadable exception", path);
        if (flags != k_lldb_exception_flags) return ok_status();
        const unsigned char code[4] = {k_sigtrap, 0, 0, 0};
        f.seekp(static_cast<std::streamoff>(rva + 8ull));
        if (!f.write(reinterpret_cast<const char*>(code), 4)) return err("cannot write {}", path);
        return ok_status();
    }
    return ok_status();
}

} // namespace seam::e2e
