// std 1.95's thread handle in memory. `CURRENT` (a `#[thread_local]` pointer) holds NONE (0),
// BUSY (1), DESTROYED (2) or `Arc::into_raw` of the thread's `Inner { id: ThreadId, name:
// Option<ThreadNameString>, parker }`, whose name is a CString (`Box<[u8]>`: pointer, length,
// the length counting the trailing NUL; a null pointer is None). The main thread's handle has
// no name of its own: std calls it "main" when its id equals `main_thread::MAIN`. std's DWARF
// is line tables only, so `Inner` is described only where the program itself instantiated
// std's thread code (spawning a thread does); else 1.95's layout is taken.
//
// Older std (1.63 among them) kept the handle in
// `std::sys_common::thread_info::THREAD_INFO`, a `RefCell<Option<ThreadInfo { stack_guard,
// thread: Thread { inner: Pin<Arc<Inner { name, id, parker }>> } }>>` set when the thread starts,
// the main thread's included (named "main" then). That era is told by the symbol the
// executable has, and its layout is read from DWARF alone: its std (Debian's) comes with types.
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

namespace {

// The name of the handle `Inner` at `inner` whose `id`/`name` fields lie at `layout`'s offsets,
// validated. `main_id`: the main thread's ThreadId, for a handle with no name of its own.
RustThreadName name_of_handle(MemoryReader& mem, uint64_t inner, InnerLayout layout,
                              std::optional<uint64_t> main_id) {
    RustThreadName out;
    auto id = word(mem, inner + layout.id);
    auto ptr = word(mem, inner + layout.name);
    auto len = word(mem, inner + layout.name + 8);
    if (!id || *id == 0 || !ptr || !len) {
        out.why = fmt::format("the thread handle at {:#x} is not readable", inner);
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

// The first pointer member of `t`, depth first, with its offset: the `Arc` inside a
// `Thread { inner: Pin<Arc<Inner>> }` whichever wrappers a std puts around it.
std::optional<std::pair<uint64_t, const Type*>> first_pointer(const Type* t, int depth = 0) {
    t = strip(t);
    if (!t || depth > 8) return std::nullopt;
    if (t->kind == TypeKind::Pointer) return std::pair<uint64_t, const Type*>{0, strip(t->target)};
    if (t->kind != TypeKind::Struct) return std::nullopt;
    for (const Field& f : t->fields)
        if (auto p = first_pointer(f.type, depth + 1))
            return std::pair{f.offset + p->first, p->second};
    return std::nullopt;
}

// Where std's `THREAD_INFO` cell keeps the thread's `Arc<Inner>`, and the `Inner` layout it
// points at, all from DWARF; none when the DWARF does not describe them.
struct ThreadInfoLayout {
    uint64_t arc = 0;  ///< the Arc's pointer, from the start of the thread-local
    uint64_t data = 0; ///< `Inner`, from the start of the ArcInner
    InnerLayout inner;
};

std::optional<ThreadInfoLayout> thread_info_layout(const DebugInfo& info) {
    const Type* cell = strip(info.find_type(
        "core::cell::RefCell<core::option::Option<std::sys_common::thread_info::ThreadInfo>>"));
    const Field* value = find_field(cell, "value");
    const Field* option = value ? find_field(strip(value->type), "value") : nullptr;
    const Type* opt = option ? strip(option->type) : nullptr;
    if (!opt || !opt->variant_part) return std::nullopt;
    const Field* some = nullptr;
    for (const Variant& v : opt->variant_part->variants)
        if (v.member.name == "Some") some = &v.member;
    const Field* payload = some ? find_field(strip(some->type), "__0") : nullptr;
    const Field* thread = payload ? find_field(strip(payload->type), "thread") : nullptr;
    auto arc = thread ? first_pointer(thread->type) : std::nullopt;
    const Field* data = arc ? find_field(arc->second, "data") : nullptr;
    const Type* inner = data ? strip(data->type) : nullptr;
    const Field* id = find_field(inner, "id");
    const Field* name = find_field(inner, "name");
    if (!id || !name) return std::nullopt;
    return ThreadInfoLayout{value->offset + option->offset + some->offset + payload->offset +
                                thread->offset + arc->first,
                            data->offset, InnerLayout{id->offset, name->offset}};
}

} // namespace

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
    if (!tls.current_offset && !tls.id_offset && !tls.thread_info_offset) {
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
    if (current && *current > 2 && *current % 8 == 0)
        return name_of_handle(mem, *current, layout, main_id);
    if (tls.thread_info_offset && !tls.current_offset) {
        auto old = debug_info ? thread_info_layout(*debug_info) : std::nullopt;
        if (!old) {
            out.why = "the DWARF does not describe std's thread_info::ThreadInfo";
            return out;
        }
        auto arc = word(mem, block + *tls.thread_info_offset + old->arc);
        if (!arc) {
            out.why = "std's THREAD_INFO is not readable";
            return out;
        }
        if (*arc == 0 || *arc % 8 != 0) {
            out.why = "std has no handle for this thread";
            return out;
        }
        return name_of_handle(mem, *arc + old->data, old->inner, main_id);
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
