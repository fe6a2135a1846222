// std 1.95's thread handle in memory. `CURRENT` (a `#[thread_local]` pointer) holds NONE (0),
// BUSY (1), DESTROYED (2) or `Arc::into_raw` of the thread's `Inner { id: ThreadId, name:
// Option<ThreadNameString>, parker }`, whose name is a CString (`Box<[u8]>`: pointer, length,
// the length counting the trailing NUL; a null pointer is None). The main thread's handle has
// no name of its own: std calls it "main" when its id equals `main_thread::MAIN`. std's DWARF
// is line tables only, so `Inner` is described only where the program itself instantiated
// std's thread code (spawning a thread does); else 1.95's layout is taken.
#include "formatters/crash/thread_name.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "formatters/crash/crash_internal.h"
#include "formatters/dwarf/debug_info.h"

namespace seam::crash {

namespace {

constexpr uint64_t k_max_name = 4096;

struct InnerLayout {
    uint64_t id = 0, name = 8; // rustc 1.95 (id, name, parker)
};

InnerLayout inner_layout(const DebugInfo* info) {
    InnerLayout l;
    if (!info) return l;
    const Type* t = info->find_type("std::thread::thread::Inner");
    while (t && (t->kind == TypeKind::Typedef || t->kind == TypeKind::Qualified)) t = t->target;
    if (!t) return l;
    const Field* id = find_field(t, "id");
    const Field* name = find_field(t, "name");
    if (id && name) l = {id->offset, name->offset};
    return l;
}

std::optional<uint64_t> word(MemoryReader& mem, uint64_t addr) {
    uint64_t v = 0;
    std::byte b[8];
    if (addr == 0 || !mem.read(addr, b)) return std::nullopt;
    std::memcpy(&v, b, 8);
    return v;
}

bool printable_utf8(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
    return detail::valid_utf8(s);
}

constexpr uint64_t k_tcb_align = 64;               // struct pthread's alignment
constexpr uint64_t k_max_stack_scan = 16ULL << 20; // above a stack pointer
constexpr uint64_t k_max_orphan_region = 1ULL << 20;

// Control blocks in [from, to), 64-aligned, read a MiB at a time.
std::vector<uint64_t> control_blocks(MemoryReader& mem, uint64_t from, uint64_t to,
                                     bool first_only) {
    std::vector<uint64_t> out;
    from = (from + k_tcb_align - 1) & ~(k_tcb_align - 1);
    for (uint64_t at = from; at + 24 <= to;) {
        uint64_t n = std::min<uint64_t>(1 << 20, to - at);
        std::vector<std::byte> buf(n);
        if (!mem.read(at, buf)) break;
        for (uint64_t off = 0; off + 24 <= n; off += k_tcb_align) {
            uint64_t w0, w2;
            std::memcpy(&w0, buf.data() + off, 8);
            std::memcpy(&w2, buf.data() + off + 16, 8);
            if (w0 == at + off && w2 == at + off) {
                out.push_back(at + off);
                if (first_only) return out;
            }
        }
        at += n;
    }
    return out;
}

} // namespace

std::optional<uint64_t> find_thread_pointer(MemoryReader& mem, uint64_t sp,
                                            const std::vector<MemoryRegion>& regions,
                                            const std::vector<uint64_t>& all_sps) {
    auto holds_sp = [&](const MemoryRegion& r) {
        for (uint64_t s : all_sps)
            if (s >= r.start && s < r.end) return true;
        return false;
    };
    for (const MemoryRegion& r : regions)
        if (sp >= r.start && sp < r.end) {
            auto found = control_blocks(mem, sp, std::min(r.end, sp + k_max_stack_scan), true);
            if (!found.empty()) return found.front();
        }
    std::vector<uint64_t> orphans;
    for (const MemoryRegion& r : regions)
        if (!holds_sp(r) && r.end - r.start <= k_max_orphan_region)
            for (uint64_t tcb : control_blocks(mem, r.start, r.end, false)) orphans.push_back(tcb);
    if (orphans.size() == 1) return orphans.front();
    return std::nullopt;
}

uint64_t tls_block_offset(uint64_t memsz, uint64_t align, uint64_t vaddr) {
    if (align == 0) align = 1;
    // glibc's _dl_determine_tlsoffset for the first module with the TCB at the thread pointer:
    // the block's first byte keeps p_vaddr's position within the alignment.
    uint64_t firstbyte = (0 - vaddr) & (align - 1);
    uint64_t size = memsz - firstbyte;
    return (size + align - 1) / align * align + firstbyte;
}

RustThreadName rust_thread_name(MemoryReader& mem, const DebugInfo* debug_info,
                                const RustThreadTls& tls) {
    RustThreadName out;
    if (tls.thread_pointer == 0) {
        out.why = "no thread pointer (fs_base) for this thread";
        return out;
    }
    // The thread pointer points at the thread's control block, whose first word points to
    // itself (glibc's tcbhead_t.tcb, musl's self): a register the core got wrong (LLDB 19's
    // minidumps give 0xffff) is caught here, not read through.
    if (word(mem, tls.thread_pointer) != tls.thread_pointer) {
        out.why = fmt::format("fs_base {:#x} does not point at a thread control block",
                              tls.thread_pointer);
        return out;
    }
    if (!tls.current_offset && !tls.id_offset) {
        out.why = "no std thread-locals in the executable (not a Rust program, or no std)";
        return out;
    }
    uint64_t block =
        tls.thread_pointer - tls_block_offset(tls.tls_memsz, tls.tls_align, tls.tls_vaddr);
    std::optional<uint64_t> main_id =
        tls.main_id_address ? word(mem, *tls.main_id_address) : std::nullopt;
    InnerLayout layout = inner_layout(debug_info);
    std::optional<uint64_t> current =
        tls.current_offset ? word(mem, block + *tls.current_offset) : std::nullopt;
    if (current && *current > 2 && *current % 8 == 0) {
        auto id = word(mem, *current + layout.id);
        auto ptr = word(mem, *current + layout.name);
        auto len = word(mem, *current + layout.name + 8);
        if (!id || *id == 0 || !ptr || !len) {
            out.why = fmt::format("the thread handle at {:#x} is not readable", *current);
            return out;
        }
        if (*ptr == 0) { // None: unnamed, unless it is the main thread
            out.known = true;
            if (main_id && *main_id == *id) out.name = "main";
            return out;
        }
        if (*len == 0 || *len > k_max_name) {
            out.why = fmt::format("the thread name's length {} is not plausible", *len);
            return out;
        }
        std::vector<std::byte> bytes(*len);
        if (!mem.read(*ptr, bytes)) {
            out.why = fmt::format("the thread name at {:#x} is not readable", *ptr);
            return out;
        }
        std::string name(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        if (name.back() != '\0' || !printable_utf8(std::string_view(name).substr(0, *len - 1))) {
            out.why = fmt::format("the thread name at {:#x} is no C string", *ptr);
            return out;
        }
        name.pop_back();
        out.name = name;
        out.known = true;
        return out;
    }
    // No handle yet: the main thread knows its ThreadId from the start.
    auto id = tls.id_offset ? word(mem, block + *tls.id_offset) : std::nullopt;
    if (id && *id != 0 && main_id && *main_id == *id) {
        out.name = "main";
        out.known = true;
        return out;
    }
    out.why = "std has no handle for this thread";
    return out;
}

} // namespace seam::crash
