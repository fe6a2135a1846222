// The DWARF reader over mutated ELF files (seeds: fixtures' objects and programs, made by the
// build): open, the type index and the types it names, globals, and at PCs spread over .text
// the functions, languages, scopes, variables and their locations, and the CFI rows and one
// unwind step. The input is the whole ELF file.
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <utility>

#include "formatters/dwarf/cfi.h"
#include "formatters/dwarf/debug_info.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using namespace seam;

template <typename T> T get(const uint8_t* data, size_t size, uint64_t at) {
    T v{};
    if (at <= size && sizeof(T) <= size - at) std::memcpy(&v, data + at, sizeof(T));
    return v;
}

/// [address, address + size) of the ELF64's `.text`, read with bounds on every offset: the
/// PCs the reader is asked about. None when the file has no readable one.
std::optional<std::pair<uint64_t, uint64_t>> text_range(const uint8_t* d, size_t n) {
    if (n < 64 || std::memcmp(d,
                              "\x7f"
                              "ELF",
                              4) != 0)
        return std::nullopt;
    uint64_t shoff = get<uint64_t>(d, n, 40);
    uint16_t shentsize = get<uint16_t>(d, n, 58), shnum = get<uint16_t>(d, n, 60),
             shstrndx = get<uint16_t>(d, n, 62);
    if (shentsize < 64 || shstrndx >= shnum) return std::nullopt;
    uint64_t strtab = get<uint64_t>(d, n, shoff + uint64_t(shstrndx) * shentsize + 24);
    for (uint64_t i = 0; i < shnum; ++i) {
        uint64_t sh = shoff + i * shentsize;
        uint64_t name = strtab + get<uint32_t>(d, n, sh);
        if (name >= n ||
            std::string_view(reinterpret_cast<const char*>(d + name),
                             strnlen(reinterpret_cast<const char*>(d + name), n - name)) != ".text")
            continue;
        return std::make_pair(get<uint64_t>(d, n, sh + 16), get<uint64_t>(d, n, sh + 32));
    }
    return std::nullopt;
}

/// A frame whose registers all point into the input itself, read as memory.
class Frame : public FrameState {
public:
    explicit Frame(uint64_t base) : m_base(base) {}
    std::optional<uint64_t> reg(unsigned regno) const override { return m_base + regno * 64; }
    std::optional<std::vector<std::byte>> reg_bytes(unsigned) const override {
        return std::vector<std::byte>(16, std::byte{0x5a});
    }
    std::optional<uint64_t> cfa() const override { return m_base + 0x400; }

private:
    uint64_t m_base;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static fuzz::MemFile file;
    const std::string& path = file.write(data, size);
    constexpr uint64_t k_stack = 0x7ffd'0000'0000;
    fuzz::ImageMemory mem(k_stack, {data, size}, true);
    Frame frame(k_stack);
    auto text = text_range(data, size);
    auto pcs = [&](auto&& fn) {
        if (!text) return;
        auto [low, len] = *text;
        for (uint64_t i = 0; i < 16; ++i) fn(low + (len / 16) * i + i);
    };

    if (auto info = DebugInfo::open(path, 0)) {
        const DebugInfo& d = **info;
        unsigned n = 0;
        for (const std::string& name : d.type_names()) {
            if (++n > 300) break;
            d.find_type(name);
        }
        for (const GlobalVariable& g : d.globals()) d.function_at(g.address);
        pcs([&](uint64_t pc) {
            d.language_at(pc);
            d.function_info_at(pc);
            unsigned depth = d.function_depth_at(pc);
            d.frame_name_at(pc, depth, 0);
            for (unsigned level : {0u, 1u}) {
                auto vars = d.variables_at(pc, level);
                if (!vars) continue;
                unsigned located = 0;
                for (const Variable& v : *vars)
                    if (++located <= 8) (void)d.locate(v, pc, frame, mem);
            }
        });
    }
    if (auto cfi = cfi::CfiTable::open(path)) {
        pcs([&](uint64_t pc) {
            auto row = (*cfi)->row_at(pc);
            if (!row) return;
            cfi::Registers regs;
            for (unsigned r = 0; r < cfi::k_reg_count; ++r) regs[r] = k_stack + r * 64;
            (void)cfi::step(*row, regs, mem);
        });
    }
    return 0;
}
