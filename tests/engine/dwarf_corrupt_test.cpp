// The DWARF backend on files whose DWARF is corrupt (fuzz_dwarf's findings): an error that names
// the section, never a crash inside libdwarf. Built from a C program gcc compiles at test time.
#include <elf.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <utility>

#include <gtest/gtest.h>

#include "formatters/dwarf/cfi.h"
#include "formatters/dwarf/dwarf_elf.h"
#include "tests/engine/dwarf_test_support.h"

namespace seam {
namespace {

using namespace dwarf_test;

// At -O2 gcc puts main in .text.startup: the unit's ranges and the loop's variable locations
// need .debug_rnglists and .debug_loclists (DWARF 5).
constexpr const char* kSource = R"(#include <stdio.h>
__attribute__((noinline)) int step(int v) { return v * 3 + 1; }
int main(int argc, char **argv) {
    int total = 0;
    for (int i = 0; i < argc * 10; ++i) total += step(i);
    printf("%d %s\n", total, argv[0]);
    return 0;
}
)";

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// [offset, offset + size) of the section named `name` in an ELF64 image.
std::optional<std::pair<size_t, size_t>> section(const std::string& elf, std::string_view name) {
    Elf64_Ehdr eh;
    std::memcpy(&eh, elf.data(), sizeof eh);
    auto shdr = [&](size_t i) {
        Elf64_Shdr sh;
        std::memcpy(&sh, elf.data() + eh.e_shoff + i * sizeof sh, sizeof sh);
        return sh;
    };
    Elf64_Shdr names = shdr(eh.e_shstrndx);
    for (size_t i = 0; i < eh.e_shnum; ++i) {
        Elf64_Shdr sh = shdr(i);
        if (elf.c_str() + names.sh_offset + sh.sh_name == name)
            return std::make_pair(size_t(sh.sh_offset), size_t(sh.sh_size));
    }
    return std::nullopt;
}

class DwarfCorrupt : public ::testing::Test {
protected:
    void SetUp() override {
        std::string error;
        m_bin = build_fixture("corrupt", "c", kSource, "-g -O2", error);
        ASSERT_FALSE(m_bin.empty()) << error;
        m_image = read_file(m_bin);
    }
    void TearDown() override { std::filesystem::remove(m_path); }
    /// The program with `bytes` written over the start of `name`; the path of the copy.
    std::string with(std::string_view name, std::string_view bytes, size_t* size = nullptr) {
        auto at = section(m_image, name);
        EXPECT_TRUE(at) << name;
        std::string copy = m_image;
        if (at) copy.replace(at->first, bytes.size(), bytes);
        if (size && at) *size = at->second;
        std::ofstream(m_path, std::ios::binary) << copy;
        return m_path;
    }

    std::string m_bin, m_image;
    std::string m_path = (std::filesystem::temp_directory_path() /
                          ("seam-dwarf-corrupt-" + std::to_string(::getpid())))
                             .string();
};

TEST_F(DwarfCorrupt, TheProgramItselfOpens) {
    ASSERT_TRUE(section(m_image, ".debug_rnglists"));
    ASSERT_TRUE(section(m_image, ".debug_loclists"));
    auto di = DebugInfo::open(m_bin, 0);
    EXPECT_TRUE(di) << di.error().message;
}

// fuzz_dwarf: libdwarf 20210528 freed memory twice reading a range list table whose unit length
// runs past the section (these bytes, from the finding).
TEST_F(DwarfCorrupt, RangeListTableLongerThanItsSectionIsAnError) {
    size_t size = 0;
    std::string path = with(".debug_rnglists", "\x04\xfe\x04\x03\x70\x7f\x9f\x00", &size);
    auto di = DebugInfo::open(path, 0);
    ASSERT_FALSE(di);
    EXPECT_EQ(di.error().message,
              path +
                  ": section .debug_rnglists is corrupt: the unit at 0x0 claims 50658820 "
                  "bytes, " +
                  std::to_string(size - 4) + " are left; its DWARF is not read");
}

// fuzz_dwarf's second finding: a range list table of zeros, freed twice the same way.
TEST_F(DwarfCorrupt, RangeListTableOfZerosIsAnError) {
    size_t size = section(m_image, ".debug_rnglists").value_or(std::make_pair(0, 0)).second;
    std::string path = with(".debug_rnglists", std::string(size, '\0'));
    auto di = DebugInfo::open(path, 0);
    ASSERT_FALSE(di);
    EXPECT_EQ(di.error().message, path + ": section .debug_rnglists is corrupt: the unit at 0x0 is "
                                         "0 bytes long, shorter than its header; its DWARF is not "
                                         "read");
}

// The location list table has the same header, read by a copy of the same libdwarf code.
TEST_F(DwarfCorrupt, LocationListTableOfAnotherVersionIsAnError) {
    std::string path =
        with(".debug_loclists", std::string_view("\x08\x00\x00\x00\x04\x00\x08\x00", 8));
    auto di = DebugInfo::open(path, 0);
    ASSERT_FALSE(di);
    EXPECT_EQ(di.error().message, path + ": section .debug_loclists is corrupt: the unit at 0x0 "
                                         "has version 4, not 5; its DWARF is not read");
}

TEST(ListHeaders, EveryFieldIsChecked) {
    using dwarf::check_list_headers;
    auto error = [](std::string_view bytes) {
        auto s = check_list_headers(".debug_rnglists", bytes);
        return s ? std::string("ok") : s.error().message;
    };
    using namespace std::string_view_literals;
    // Two good units (the second in the 64-bit format with two offsets).
    constexpr std::string_view good = "\x0c\0\0\0\x05\0\x08\0\x01\0\0\0\0\0\0\0"
                                      "\xff\xff\xff\xff\x18\0\0\0\0\0\0\0\x05\0\x08\0\x02\0\0\0"
                                      "\0\0\0\0\0\0\0\0\x10\0\0\0\0\0\0\0"sv;
    EXPECT_EQ(error(good), "ok");
    // Zeros after them are a unit to libdwarf, and a corrupt one (fuzz_dwarf's second finding:
    // a table of zeros, freed twice).
    EXPECT_EQ(error(std::string(good) + std::string(4, '\0')),
              "section .debug_rnglists is corrupt: the unit at 0x34 is 0 bytes long, shorter than "
              "its header");
    EXPECT_EQ(error(std::string(168, '\0')),
              "section .debug_rnglists is corrupt: the unit at 0x0 is 0 bytes long, shorter than "
              "its header");
    EXPECT_EQ(error("\x08\0\0"sv),
              "section .debug_rnglists is corrupt: the unit at 0x0 is cut short");
    EXPECT_EQ(
        error("\xf0\xff\xff\xff\0\0\0\0"sv),
        "section .debug_rnglists is corrupt: the unit at 0x0 has a reserved length 0xfffffff0");
    EXPECT_EQ(error("\x04\0\0\0\x05\0\x08\0"sv),
              "section .debug_rnglists is corrupt: the unit at 0x0 is 4 bytes long, shorter than "
              "its header");
    EXPECT_EQ(error("\x08\0\0\0\x05\0\x02\0\0\0\0\0"sv),
              "section .debug_rnglists is corrupt: the unit at 0x0 has address size 2");
    EXPECT_EQ(error("\x08\0\0\0\x05\0\x08\x01\0\0\0\0"sv),
              "section .debug_rnglists is corrupt: the unit at 0x0 has segment selectors (1)");
    EXPECT_EQ(error("\x0c\0\0\0\x05\0\x08\0\x02\0\0\0\0\0\0\0"sv),
              "section .debug_rnglists is corrupt: the unit at 0x0 has 2 offsets, more than its "
              "12 bytes hold");
    EXPECT_EQ(error("\x08\0\0\0\x05\0\x08\0\0\0\0\0\x09\0\0\0"sv),
              "section .debug_rnglists is corrupt: the unit at 0xc claims 9 bytes, 0 are left");
}

// fuzz_dwarf: a mutated ELF file that seam's in-place reader refuses and libdwarf's own reader
// then decides on. libdwarf's error from the refusal, made with no Dwarf_Debug, was dropped
// unfreed (LSan, in CI's sanitizer run of this test). The file is the finding itself.
TEST(DwarfRegression, AFileTheInPlaceReaderRefusesLeaksNothing) {
    const std::string path = std::string(SEAM_SOURCE_DIR) +
                             "/tests/engine/regressions/fuzz_dwarf_leak_refused_in_place.elf";
    ASSERT_TRUE(std::filesystem::exists(path)) << path;
    // A zero-length .debug_abbrev: each reader says so, the second open as the first.
    const std::string why = "DW_DLE_DEBUG_ABBREV_NULL (34) .debug_abbrev section present but "
                            "elf_getdata() failed or section is zero-length";
    for (int i = 0; i < 2; ++i) {
        auto di = DebugInfo::open(path, 0);
        ASSERT_FALSE(di);
        EXPECT_EQ(di.error().message, path + ": cannot read DWARF: " + why);
        auto cfi = cfi::CfiTable::open(path);
        ASSERT_FALSE(cfi);
        EXPECT_EQ(cfi.error().message, path + ": " + why);
    }
}

} // namespace
} // namespace seam
