// The core-file reader (formatters/report/core_file.h) over ELF cores laid out as the kernel and
// gdb write them: NT_FILE's first mapping names the executable, whose first page in the core
// holds its build-id note. Corrupt notes and headers (fuzz_core_file's findings) end as an
// error or an empty answer, never as a read past the file.
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>

#include "formatters/report/core_file.h"

namespace seam::report {
namespace {

using Bytes = std::vector<unsigned char>;

void put(Bytes& b, size_t at, uint64_t v, size_t n) {
    if (b.size() < at + n) b.resize(at + n);
    for (size_t i = 0; i < n; ++i) b[at + i] = uint8_t(v >> (8 * i));
}

void put_text(Bytes& b, size_t at, const std::string& s) {
    if (b.size() < at + s.size()) b.resize(at + s.size());
    std::memcpy(b.data() + at, s.data(), s.size());
}

// An ELF64 header of type `type` with `phnum` program headers right after it.
Bytes elf_header(uint16_t type, uint16_t phnum) {
    Bytes b(64, 0);
    put_text(b, 0,
             "\x7f"
             "ELF");
    b[4] = 2, b[5] = 1, b[6] = 1;
    put(b, 16, type, 2);
    put(b, 32, 64, 8);
    put(b, 54, 56, 2);
    put(b, 56, phnum, 2);
    return b;
}

void put_phdr(Bytes& b, size_t index, uint32_t type, uint64_t offset, uint64_t vaddr,
              uint64_t filesz) {
    size_t at = 64 + 56 * index;
    put(b, at, type, 4);
    put(b, at + 8, offset, 8);
    put(b, at + 16, vaddr, 8);
    put(b, at + 32, filesz, 8);
}

Bytes note(uint32_t type, const std::string& name, const Bytes& desc) {
    Bytes b;
    put(b, 0, name.size() + 1, 4);
    put(b, 4, desc.size(), 4);
    put(b, 8, type, 4);
    put_text(b, 12, name);
    size_t desc_at = 12 + ((name.size() + 1 + 3) & ~size_t(3));
    b.resize(desc_at);
    b.insert(b.end(), desc.begin(), desc.end());
    b.resize((b.size() + 3) & ~size_t(3));
    return b;
}

constexpr uint64_t k_exe_start = 0x555555554000;
constexpr uint32_t k_nt_file = 0x46494c45;

// NT_FILE's description: `count` mappings, the first at k_exe_start, then `names`.
Bytes nt_file(uint64_t count, const std::string& names) {
    Bytes d;
    put(d, 0, count, 8);
    put(d, 8, 4096, 8);
    put(d, 16, k_exe_start, 8);
    put(d, 24, k_exe_start + 0x1000, 8);
    put(d, 32, 0, 8);
    put_text(d, 40, names);
    return d;
}

// A core: the note segment holding `file_note`, and the executable's first page (its ELF header
// and a GNU build-id note 01 23 ab cd).
Bytes core_with(const Bytes& file_note) {
    Bytes page = elf_header(3, 1);
    Bytes id = note(3, "GNU", {0x01, 0x23, 0xab, 0xcd});
    put_phdr(page, 0, 4, 128, 0, id.size());
    page.resize(128);
    page.insert(page.end(), id.begin(), id.end());
    page.resize(4096);

    Bytes core = elf_header(4, 2);
    size_t notes_at = 64 + 2 * 56;
    core.resize(notes_at);
    put_phdr(core, 0, 4, notes_at, 0, file_note.size());
    core.insert(core.end(), file_note.begin(), file_note.end());
    put_phdr(core, 1, 1, core.size(), k_exe_start, page.size());
    core.insert(core.end(), page.begin(), page.end());
    return core;
}

class CoreFile : public ::testing::Test {
protected:
    std::string write(const Bytes& b) {
        std::ofstream(m_path, std::ios::binary)
            .write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
        return m_path;
    }
    void TearDown() override { std::filesystem::remove(m_path); }

private:
    std::string m_path = (std::filesystem::temp_directory_path() /
                          ("seam-core-file-" + std::to_string(::getpid()) + ".core"))
                             .string();
};

TEST_F(CoreFile, NamesTheFirstMappingAndItsBuildId) {
    auto r = read_core_executable(
        write(core_with(note(k_nt_file, "CORE", nt_file(1, std::string("/bin/app\0", 9))))));
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->format, "elf");
    EXPECT_EQ(r->path, "/bin/app");
    EXPECT_EQ(r->build_id, "0123abcd");
}

// Each thread's signals, as seam checks them before LLDB loads the core (LLDB 19 hangs on a core
// whose threads carry no signal it stops at): NT_PRSTATUS opens a thread (pr_cursig at 12,
// pr_pid at 32), an NT_SIGINFO belongs to the thread before it. A note too short for its
// fields, or an NT_SIGINFO before any thread, adds nothing.
TEST_F(CoreFile, EachThreadsSignalsFromItsNotes) {
    auto prstatus = [](uint32_t tid, int16_t cursig) {
        Bytes d(336, 0);
        put(d, 12, uint16_t(cursig), 2);
        put(d, 32, tid, 4);
        return note(1, "CORE", d);
    };
    auto siginfo = [](uint32_t signo) {
        Bytes d(128, 0);
        put(d, 0, signo, 4);
        return note(0x53494749, "CORE", d);
    };
    Bytes notes = siginfo(9);
    for (const Bytes& n :
         {prstatus(42, 11), siginfo(0x80000006), prstatus(43, 0), note(1, "CORE", Bytes(20, 0xff)),
          note(k_nt_file, "CORE", nt_file(1, std::string("/bin/app\0", 9)))})
        notes.insert(notes.end(), n.begin(), n.end());
    auto r = read_core_executable(write(core_with(notes)));
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->path, "/bin/app");
    ASSERT_EQ(r->threads.size(), 2u);
    EXPECT_EQ(r->threads[0].tid, 42);
    EXPECT_EQ(r->threads[0].prstatus_signal, 11);
    EXPECT_EQ(r->threads[0].siginfo_signal, int32_t(0x80000006));
    EXPECT_EQ(r->threads[1].tid, 43);
    EXPECT_EQ(r->threads[1].prstatus_signal, 0);
    EXPECT_EQ(r->threads[1].siginfo_signal, 0);
}

// A fault's address from NT_SIGINFO's si_addr (offset 16), which tells a stack overflow: LLDB 19
// words an ELF core's SIGSEGV without it. Only for the signals that fault at an address; a note
// too short to hold it gives none.
TEST_F(CoreFile, AFaultsAddressFromItsSiginfo) {
    auto thread = [](uint32_t tid, uint32_t signo, uint64_t addr, size_t size) {
        Bytes p(336, 0);
        put(p, 32, tid, 4);
        Bytes d(size, 0);
        put(d, 0, signo, 4);
        if (size >= 24) put(d, 16, addr, 8);
        Bytes both = note(1, "CORE", p), info = note(0x53494749, "CORE", d);
        both.insert(both.end(), info.begin(), info.end());
        return both;
    };
    Bytes notes;
    for (const Bytes& n : {thread(1, 11, 0x7ffc0000fff8, 128), thread(2, 6, 0x1234, 128),
                           thread(3, 7, 0x18, 20), thread(4, 8, 0x401000, 128),
                           note(k_nt_file, "CORE", nt_file(1, std::string("/bin/app\0", 9)))})
        notes.insert(notes.end(), n.begin(), n.end());
    auto r = read_core_executable(write(core_with(notes)));
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->threads.size(), 4u);
    EXPECT_EQ(r->threads[0].fault_address, 0x7ffc0000fff8u); // SIGSEGV
    EXPECT_EQ(r->threads[1].fault_address, std::nullopt);    // SIGABRT: si_pid there, no address
    EXPECT_EQ(r->threads[2].fault_address, std::nullopt);    // SIGBUS, note cut before si_addr
    EXPECT_EQ(r->threads[3].fault_address, 0x401000u);       // SIGFPE
}

// fuzz_core_file: a mapping count whose 24-byte entries wrap size_t (0x0aaa...ab * 24 = 2^64 +
// 8) put the names inside the entries; a count the note cannot hold is corrupt.
TEST_F(CoreFile, MappingCountPastTheNoteNamesNothing) {
    for (uint64_t count : std::initializer_list<uint64_t>{0x0aaaaaaaaaaaaaab, 2, UINT64_MAX}) {
        auto r = read_core_executable(write(
            core_with(note(k_nt_file, "CORE", nt_file(count, std::string("/bin/app\0", 9))))));
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_EQ(r->path, "") << count;
        EXPECT_EQ(r->build_id, "") << count;
    }
}

// A name the note ends before its NUL: the name is what the note holds, no byte past it.
TEST_F(CoreFile, NameWithoutItsNulEndsWithTheNote) {
    Bytes desc = nt_file(1, "/bin/ap");
    desc.push_back('p');
    auto r = read_core_executable(write(core_with(note(k_nt_file, "CORE", desc))));
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->path, "/bin/app");
}

// A segment whose offset + size wraps 2^64 is past the end of the file, not inside it.
TEST_F(CoreFile, SegmentSizeThatWrapsIsTruncation) {
    Bytes core = core_with(note(k_nt_file, "CORE", nt_file(1, std::string("/bin/app\0", 9))));
    put_phdr(core, 0, 4, 64 + 2 * 56, 0, UINT64_MAX - 100);
    std::string path = write(core);
    auto r = read_core_executable(path);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message,
              path + " is truncated: its segments need 18446744073709551615 bytes, the file has " +
                  std::to_string(core.size()));
}

} // namespace
} // namespace seam::report
