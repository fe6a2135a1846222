#pragma once
/// Shared by tests/engine/dwarf_*_test.cpp: tiny programs compiled at test time (rustc from
/// ~/.cargo/bin or PATH, gcc from PATH), symbol addresses from `nm` as the independent
/// oracle, and a fake frame and memory for locate().
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#if __has_include(<dwarf.h>)
#include <dwarf.h>
#elif __has_include(<libdwarf/dwarf.h>)
#include <libdwarf/dwarf.h>
#else
#include <libdwarf-0/dwarf.h>
#endif

#include "formatters/dwarf/debug_info.h"

namespace seam::dwarf_test {

inline std::string run(const std::string& cmd, int* status = nullptr) {
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return out;
    std::array<char, 4096> buf{};
    size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    int rc = ::pclose(p);
    if (status) *status = rc;
    return out;
}

inline std::string find_tool(const std::string& name) {
    // The build's own compilers first: a toolchain run configures another rustc.
#ifdef SEAM_TEST_RUSTC
    if (name == "rustc") return SEAM_TEST_RUSTC;
#endif
#ifdef SEAM_TEST_CC
    if (name == "gcc") return SEAM_TEST_CC;
#endif
    std::string p = run("command -v " + name + " 2>/dev/null");
    while (!p.empty() && (p.back() == '\n' || p.back() == ' ')) p.pop_back();
    return p;
}

/// Compiles `source` (a .rs or .c file's text; by `tool` where given, e.g. clang-19) once per
/// distinct compiler, source and flags, into a directory under the temp dir shared by every
/// test process, and returns the binary's path ("" and a message in `error` on failure). ctest
/// runs each test as its own process, so the cache matters.
inline std::string build_fixture(const std::string& stem, const std::string& ext,
                                 const std::string& source, const std::string& flags,
                                 std::string& error, const std::string& tool = {}) {
    const std::string wanted = !tool.empty() ? tool : ext == "rs" ? "rustc" : "gcc";
    std::string compiler = find_tool(wanted);
    if (compiler.empty()) {
        error = wanted + " not found";
        return {};
    }
    auto key = std::hash<std::string>{}(compiler + flags + source);
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / ("seam-dwarf-" + std::to_string(key));
    fs::path bin = dir / stem;
    if (fs::exists(bin)) return bin.string();
    fs::create_directories(dir);
    // Build in a private directory and rename: concurrent test processes never see half a file.
    fs::path work = dir / ("build-" + std::to_string(::getpid()));
    fs::create_directories(work);
    fs::path src = work / (stem + "." + ext);
    std::ofstream(src) << source;
    fs::path out = work / stem;
    int status = 0;
    std::string log =
        run(compiler + " " + flags + " -o " + out.string() + " " + src.string() + " 2>&1", &status);
    if (status != 0) {
        error = log;
        return {};
    }
    std::error_code ec;
    fs::rename(out, bin, ec);
    fs::remove_all(work, ec);
    return bin.string();
}

struct Symbol {
    uint64_t address = 0;
    uint64_t size = 0;
};

/// The defined symbol named `part`, else the first whose name contains it (Rust's are
/// mangled: pass `4main17h`).
inline std::optional<Symbol> nm_symbol(const std::string& binary, const std::string& part) {
    std::istringstream lines(run("nm -S --defined-only " + binary));
    std::string line;
    std::optional<Symbol> partial;
    while (std::getline(lines, line)) {
        std::istringstream f(line);
        std::string addr, size, kind, name;
        if (!(f >> addr >> size >> kind >> name)) continue;
        Symbol s{std::stoull(addr, nullptr, 16), std::stoull(size, nullptr, 16)};
        if (name == part) return s;
        if (!partial && name.find(part) != std::string::npos) partial = s;
    }
    return partial;
}

class FakeFrame : public FrameState {
public:
    std::map<unsigned, uint64_t> regs;
    std::map<unsigned, std::vector<std::byte>> vregs;
    std::optional<uint64_t> cfa_value;

    std::optional<uint64_t> reg(unsigned regno) const override {
        auto it = regs.find(regno);
        if (it == regs.end()) return std::nullopt;
        return it->second;
    }
    std::optional<std::vector<std::byte>> reg_bytes(unsigned regno) const override {
        auto it = vregs.find(regno);
        if (it == vregs.end()) return std::nullopt;
        return it->second;
    }
    std::optional<uint64_t> cfa() const override { return cfa_value; }
};

class BufferMemory : public MemoryReader {
public:
    uint64_t base = 0;
    std::vector<std::byte> bytes;
    unsigned reads = 0;

    Status read(uint64_t address, std::span<std::byte> out) override {
        ++reads;
        if (address < base || address - base + out.size() > bytes.size())
            return err("unmapped {:#x}", address);
        std::copy_n(bytes.begin() + (address - base), out.size(), out.begin());
        return ok_status();
    }
    void put_u64(uint64_t address, uint64_t v) {
        for (int i = 0; i < 8; ++i) bytes[address - base + i] = std::byte(v >> (8 * i));
    }
};

inline uint64_t held_u64(const Value& v) {
    uint64_t out = 0;
    if (!v.bytes) return out;
    for (size_t i = 0; i < 8 && v.bytes_offset + i < v.bytes->size(); ++i)
        out |= uint64_t(std::to_integer<unsigned>((*v.bytes)[v.bytes_offset + i])) << (8 * i);
    return out;
}

} // namespace seam::dwarf_test
