#include "formatters/report/core_file.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <vector>

namespace seam::report {

namespace {

// ELF64 little-endian offsets (x86-64 and aarch64 cores alike).
constexpr uint32_t k_pt_load = 1, k_pt_note = 4;
constexpr uint32_t k_nt_gnu_build_id = 3;
constexpr uint32_t k_nt_file = 0x46494c45; // "FILE"
// Minidump streams, and Breakpad's platform id for Linux (LLDB's writer uses it too).
constexpr uint32_t k_md_exception = 6, k_md_system_info = 7, k_md_os_linux = 0x8201;
constexpr uint32_t k_nt_prstatus = 1, k_nt_siginfo = 0x53494749; // "SIGI"
// struct elf_prstatus (x86-64, aarch64): si_signo, si_code, si_errno, then pr_cursig (short);
// pr_pid after pr_sigpend and pr_sighold.
constexpr size_t k_prstatus_cursig = 12, k_prstatus_pid = 32;
// siginfo_t (64-bit): si_signo, si_errno, si_code, padding, then the union, whose first field
// for the fault signals is si_addr.
constexpr size_t k_siginfo_addr = 16;
constexpr int32_t k_sigill = 4, k_sigbus = 7, k_sigfpe = 8, k_sigsegv = 11;
constexpr uint16_t k_et_core = 4;
constexpr size_t k_phdr_size = 56;

class File {
public:
    explicit File(const std::string& path) : m_in(path, std::ios::binary) {
        if (m_in) {
            m_in.seekg(0, std::ios::end);
            m_size = uint64_t(m_in.tellg());
        }
    }
    bool ok() const { return bool(m_in); }
    uint64_t size() const { return m_size; }
    /// Up to `n` bytes at `offset`, fewer at the end of the file.
    std::vector<unsigned char> read(uint64_t offset, uint64_t n) {
        if (offset >= m_size) return {};
        n = std::min(n, m_size - offset);
        std::vector<unsigned char> out(n);
        m_in.clear();
        m_in.seekg(std::streamoff(offset));
        m_in.read(reinterpret_cast<char*>(out.data()), std::streamsize(n));
        out.resize(size_t(m_in.gcount()));
        return out;
    }

private:
    std::ifstream m_in;
    uint64_t m_size = 0;
};

template <typename T> T get(const std::vector<unsigned char>& b, size_t at) {
    T v{};
    if (at + sizeof(T) <= b.size()) std::memcpy(&v, b.data() + at, sizeof(T));
    return v;
}

std::string hex(const unsigned char* p, size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s += fmt::format("{:02x}", p[i]);
    return s;
}

/// Whether [offset, offset + size) lies within `total` bytes, without the sum wrapping.
bool inside(uint64_t offset, uint64_t size, uint64_t total) {
    return offset <= total && size <= total - offset;
}

struct Phdr {
    uint32_t type;
    uint64_t offset, vaddr, filesz;
};

Result<std::vector<Phdr>> program_headers(const std::vector<unsigned char>& image, File* file,
                                          const std::string& what) {
    if (image.size() < 64 || std::memcmp(image.data(),
                                         "\x7f"
                                         "ELF",
                                         4) != 0)
        return err("{} is not an ELF file", what);
    if (image[4] != 2 || image[5] != 1) return err("{} is not a 64-bit little-endian ELF", what);
    uint64_t phoff = get<uint64_t>(image, 32);
    uint16_t phnum = get<uint16_t>(image, 56);
    std::vector<unsigned char> table =
        file ? file->read(phoff, uint64_t(phnum) * k_phdr_size)
             : std::vector<unsigned char>(image.begin() + std::min<size_t>(phoff, image.size()),
                                          image.end());
    if (table.size() < size_t(phnum) * k_phdr_size)
        return err("{} is cut short: its program headers are missing", what);
    std::vector<Phdr> out;
    for (size_t i = 0; i < phnum; ++i) {
        size_t at = i * k_phdr_size;
        out.push_back({get<uint32_t>(table, at), get<uint64_t>(table, at + 8),
                       get<uint64_t>(table, at + 16), get<uint64_t>(table, at + 32)});
    }
    return out;
}

// Calls `fn(type, name, desc, desc_size)` for each note in `b`.
template <typename Fn> void each_note(const std::vector<unsigned char>& b, Fn fn) {
    size_t at = 0;
    auto align4 = [](size_t n) { return (n + 3) & ~size_t(3); };
    while (at + 12 <= b.size()) {
        uint32_t namesz = get<uint32_t>(b, at), descsz = get<uint32_t>(b, at + 4);
        uint32_t type = get<uint32_t>(b, at + 8);
        size_t name_at = at + 12, desc_at = name_at + align4(namesz);
        if (desc_at + descsz > b.size()) return;
        std::string name(reinterpret_cast<const char*>(b.data() + name_at),
                         namesz ? namesz - 1 : 0);
        fn(type, name, b.data() + desc_at, size_t(descsz));
        at = desc_at + align4(descsz);
    }
}

std::string build_id_in(const std::vector<unsigned char>& notes) {
    std::string id;
    each_note(notes, [&](uint32_t type, const std::string& name, const unsigned char* d, size_t n) {
        if (type == k_nt_gnu_build_id && name == "GNU" && id.empty()) id = hex(d, n);
    });
    return id;
}

// A thread starts at its NT_PRSTATUS; an NT_SIGINFO belongs to the thread before it.
void read_thread_signal(uint32_t type, const unsigned char* d, size_t n,
                        std::vector<CoreThreadSignal>& threads) {
    if (type == k_nt_prstatus && n >= k_prstatus_pid + 4) {
        std::vector<unsigned char> desc(d, d + k_prstatus_pid + 4);
        threads.push_back(
            {get<int32_t>(desc, k_prstatus_pid), get<int16_t>(desc, k_prstatus_cursig), 0});
    } else if (type == k_nt_siginfo && n >= 4 && !threads.empty()) {
        std::vector<unsigned char> desc(d, d + std::min(n, k_siginfo_addr + 8));
        threads.back().siginfo_signal = get<int32_t>(desc, 0);
        int32_t signo = threads.back().siginfo_signal;
        bool fault =
            signo == k_sigsegv || signo == k_sigbus || signo == k_sigill || signo == k_sigfpe;
        if (fault && desc.size() >= k_siginfo_addr + 8)
            threads.back().fault_address = get<uint64_t>(desc, k_siginfo_addr);
    }
}

Result<CoreExecutable> read_elf_core(File& file, const std::vector<unsigned char>& head,
                                     const std::string& core) {
    if (get<uint16_t>(head, 16) != k_et_core) return err("{} is an ELF file but not a core", core);
    auto phdrs = program_headers(head, &file, core);
    if (!phdrs) return phdrs.error();
    for (const Phdr& p : *phdrs)
        if (!inside(p.offset, p.filesz, file.size()))
            return err("{} is truncated: its segments need {} bytes, the file has {}", core,
                       p.filesz > UINT64_MAX - p.offset ? UINT64_MAX : p.offset + p.filesz,
                       file.size());
    CoreExecutable out;
    out.format = "elf";
    uint64_t start = 0;
    for (const Phdr& p : *phdrs) {
        if (p.type != k_pt_note) continue;
        each_note(file.read(p.offset, p.filesz),
                  [&](uint32_t type, const std::string&, const unsigned char* d, size_t n) {
                      read_thread_signal(type, d, n, out.threads);
                      if (type != k_nt_file || !out.path.empty() || n < 16) return;
                      std::vector<unsigned char> desc(d, d + n);
                      // `count` (start, end, offset) triples, then the names. A count the note
                      // cannot hold is corrupt (and count * 24 could wrap past the note).
                      uint64_t count = get<uint64_t>(desc, 0);
                      if (count == 0 || count > (n - 16) / 24) return;
                      size_t names = 16 + size_t(count) * 24;
                      if (names >= n) return;
                      // The first mapping is the executable's: the kernel lists mappings in
                      // address order and a PIE loads below its libraries.
                      start = get<uint64_t>(desc, 16);
                      // NUL-terminated, unless the note is corrupt: never read past it.
                      const char* name = reinterpret_cast<const char*>(d + names);
                      out.path.assign(name, strnlen(name, n - names));
                  });
    }
    // The mapping's first page holds the executable's ELF header and its build-id note.
    for (const Phdr& p : *phdrs) {
        if (p.type != k_pt_load || start < p.vaddr || start - p.vaddr >= p.filesz) continue;
        std::vector<unsigned char> page = file.read(p.offset + (start - p.vaddr), 4096);
        auto inner = program_headers(page, nullptr, "the executable's first page");
        if (!inner) break;
        for (const Phdr& q : *inner)
            if (q.type == k_pt_note && inside(q.offset, q.filesz, page.size()) &&
                out.build_id.empty())
                out.build_id = build_id_in(std::vector<unsigned char>(
                    page.begin() + long(q.offset), page.begin() + long(q.offset + q.filesz)));
        break;
    }
    return out;
}

// Minidump (what LLDB's SaveCore writes on Linux): a stream directory; the module list holds
// each module's name (UTF-16) and a CodeView record: a "BpEL" signature, then the ELF build-id.
Result<CoreExecutable> read_minidump(File& file, const std::string& core) {
    auto head = file.read(0, 32);
    uint32_t streams = get<uint32_t>(head, 8), dir = get<uint32_t>(head, 12);
    auto directory = file.read(dir, uint64_t(streams) * 12);
    if (directory.size() < size_t(streams) * 12)
        return err("{} is truncated: its stream directory is cut short", core);
    CoreExecutable out;
    out.format = "minidump";
    bool linux_dump = false;
    std::vector<CoreThreadSignal> exceptions;
    for (size_t i = 0; i < streams; ++i) {
        uint32_t type = get<uint32_t>(directory, i * 12);
        uint32_t size = get<uint32_t>(directory, i * 12 + 4);
        uint32_t rva = get<uint32_t>(directory, i * 12 + 8);
        if (uint64_t(rva) + size > file.size())
            return err("{} is truncated: stream {:#x} needs {} bytes, the file has {}", core, type,
                       uint64_t(rva) + size, file.size());
        if (type == k_md_system_info) {
            // MINIDUMP_SYSTEM_INFO's PlatformId, at 20.
            linux_dump = get<uint32_t>(file.read(rva, 24), 20) == k_md_os_linux;
            continue;
        }
        if (type == k_md_exception) {
            // MINIDUMP_EXCEPTION_STREAM: ThreadId, alignment, then the record's ExceptionCode,
            // which a Linux minidump's writer (Breakpad, LLDB) fills with the signal.
            auto e = file.read(rva, 12);
            if (e.size() == 12) exceptions.push_back({get<int32_t>(e, 0), 0, get<int32_t>(e, 8)});
            continue;
        }
        if (type != 4 /* ModuleListStream */) continue;
        auto list = file.read(rva, size);
        if (get<uint32_t>(list, 0) == 0 || list.size() < 4 + 108) continue;
        uint32_t name_rva = get<uint32_t>(list, 4 + 20);
        uint32_t cv_size = get<uint32_t>(list, 4 + 76), cv_rva = get<uint32_t>(list, 4 + 80);
        auto name = file.read(name_rva, 4);
        auto utf16 = file.read(uint64_t(name_rva) + 4, get<uint32_t>(name, 0));
        for (size_t c = 0; c + 1 < utf16.size(); c += 2) {
            uint16_t u = uint16_t(utf16[c] | (utf16[c + 1] << 8));
            out.path += u < 0x80 ? char(u) : '?'; // paths here are ASCII; others only compared
        }
        auto cv = file.read(cv_rva, cv_size);
        // The signature is the u32 0x4270454c ("BpEL"), so the file holds "LEpB".
        if (cv.size() > 4 && std::memcmp(cv.data(), "LEpB", 4) == 0)
            out.build_id = hex(cv.data() + 4, cv.size() - 4);
    }
    // Elsewhere the code is an OS exception code, not a signal.
    if (linux_dump) out.threads = std::move(exceptions);
    return out;
}

} // namespace

Result<CoreExecutable> read_core_executable(const std::string& core) {
    File file(core);
    if (!file.ok()) return err("cannot open {}: {}", core, std::strerror(errno));
    auto head = file.read(0, 64);
    if (head.size() >= 4 && std::memcmp(head.data(), "MDMP", 4) == 0)
        return read_minidump(file, core);
    if (head.size() >= 4 && std::memcmp(head.data(),
                                        "\x7f"
                                        "ELF",
                                        4) == 0)
        return read_elf_core(file, head, core);
    return err("{} is not a core file (neither an ELF core nor a minidump)", core);
}

Result<std::string> read_build_id(const std::string& elf) {
    File file(elf);
    if (!file.ok()) return err("cannot open {}: {}", elf, std::strerror(errno));
    auto head = file.read(0, 64);
    auto phdrs = program_headers(head, &file, elf);
    if (!phdrs) return phdrs.error();
    for (const Phdr& p : *phdrs)
        if (p.type == k_pt_note)
            if (std::string id = build_id_in(file.read(p.offset, p.filesz)); !id.empty()) return id;
    return std::string();
}

Status check_build_ids(const CoreExecutable& recorded, const std::string& exe,
                       const std::string& exe_build_id) {
    if (recorded.build_id.empty() || exe_build_id.empty() || recorded.build_id == exe_build_id)
        return ok_status();
    return err("build-id mismatch: the core was dumped by {} (build-id {}), but {} has build-id {}",
               recorded.path.empty() ? "its executable" : recorded.path, recorded.build_id, exe,
               exe_build_id);
}

} // namespace seam::report
