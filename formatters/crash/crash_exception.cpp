// The panic that could not unwind, read back after std aborted.
//
// A panic that reaches an `extern "C"` function (or a destructor running during unwinding)
// aborts with a second panic, "panic in a function that cannot unwind"; the second panic's
// hook overwrites the stack the first one used, so its PanicHookInfo is gone. What is left:
//
// - Its payload. panic_unwind (1.95, library/panic_unwind/src/gcc.rs) boxes
//   `#[repr(C)] struct Exception { _uwe: _Unwind_Exception, canary: *const u8, cause: Box<dyn
//   Any + Send> }` and raises it; the abort never frees it. `_uwe` is the Itanium ABI's header:
//   `exception_class` ("MOZ\0RUST"), `exception_cleanup` (panic_unwind's own function),
//   `private_1` (0 for a raise, not a forced unwind) and `private_2`, where the unwinder's search
//   phase (libgcc and LLVM's libunwind alike) records the stack pointer of the frame whose
//   landing pad took the exception: the frame that could not unwind (a std whose hook gives a
//   panic while panicking up, 1.63's, leaves the first panic's object naming its catch_unwind
//   further out, with the cleanup that panicked in between). std's line-tables-only
//   DWARF does not describe `Exception`, so the layout is the source's (Debian's std, 1.63's
//   among them, describes it: there `cause` is read where DWARF puts it); the canary (the address
//   of panic_unwind's CANARY symbol, added in 1.7x) and the cleanup function's address pin the
//   object to this panic runtime.
// - Its location. The unwinder has left the frame that could not unwind at its landing pad, so
//   its line is the function's first, not the panic's. The panic's `&'static Location` is a
//   constant the function's code loads with a RIP-relative `lea` (x86-64); when the function
//   passes exactly one Location in its own file, that is where it panicked. Otherwise (a panic
//   in a callee, several panics, a destructor's panic during unwinding, which always comes from
//   a callee) the frame's line is given and the report says so. x86-64 only, as seam is.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <tuple>

#include "formatters/crash/crash_internal.h"
#include "formatters/dwarf/debug_info.h"

namespace seam::crash::detail {

namespace {

// `exception_class`: rustc 1.95 stores the bytes "MOZ\0RUST"; older std stored the u64
// 0x4d4f5a0052555354, whose little-endian bytes are "TSUR\0ZOM".
constexpr uint64_t k_class_bytes = 0x54535552005a4f4dULL;
constexpr uint64_t k_class_value = 0x4d4f5a0052555354ULL;

constexpr uint64_t k_scan_budget = 64ULL << 20; // bytes of heap looked at, in all
constexpr uint64_t k_chunk = 1ULL << 20;
constexpr uint64_t k_max_cause = 16 * 8; // the furthest `cause` is believed in the object
constexpr uint64_t k_max_function = 64 * 1024;

struct Candidate {
    uint64_t address = 0;
    uint64_t handler_sp = 0; ///< private_2
    uint64_t data = 0, vtable = 0;
};

struct Runtime {
    std::optional<uint64_t> canary, cleanup;
    /// The word `cause` starts at, where DWARF describes `Exception` (Debian's std does): 1.63's
    /// `_Unwind_Exception` keeps six private words, not two, so its cause is 8 words in.
    std::optional<uint64_t> cause_word;
    uint64_t object_bytes() const { return (cause_word.value_or(5) + 2) * 8; }
};

std::optional<uint64_t> cause_word(const DebugInfo* info) {
    if (!info) return std::nullopt;
    for (const char* name : {"panic_unwind::real_imp::Exception", "panic_unwind::imp::Exception"})
        if (const Field* cause = find_field(strip(info->find_type(name)), "cause");
            cause && cause->offset % 8 == 0 && cause->offset >= 32 && cause->offset <= k_max_cause)
            return cause->offset / 8;
    return std::nullopt;
}

std::optional<Candidate> exception_at(const std::vector<std::byte>& buf, size_t off,
                                      uint64_t address, const Runtime& rt) {
    auto w = [&](size_t i) { return load64(buf, off + i * 8); };
    uint64_t cls = w(0);
    if (cls != k_class_bytes && cls != k_class_value) return std::nullopt;
    if (w(1) == 0 || (rt.cleanup && w(1) != *rt.cleanup)) return std::nullopt;
    if (w(2) != 0 || w(3) == 0) return std::nullopt; // private_1: 0 unless a forced unwind
    // With the canary (1.7x on) the cause follows it; without, it follows `_uwe`.
    size_t cause = 4;
    if (rt.canary) {
        if (w(4) != *rt.canary) return std::nullopt;
        cause = 5;
    }
    if (rt.cause_word) cause = *rt.cause_word;
    return Candidate{address, w(3), w(cause), w(cause + 1)};
}

// The live Rust exception object in the heap regions whose landing pad's stack pointer is the
// nearest at or above `min_sp`, within the budget. A freed one has lost its header to the
// allocator's free-list links, so only objects still allocated match. Only the best is kept: a
// heap that repeats an object's bytes (corrupt, or hostile) must not grow a list with it.
std::optional<Candidate> nearest_exception(MemoryReader& mem,
                                           const std::vector<MemoryRegion>& regions,
                                           const Runtime& rt, uint64_t min_sp, uint64_t& scanned) {
    std::optional<Candidate> best;
    scanned = 0;
    for (const MemoryRegion& region : regions) {
        for (uint64_t at = region.start & ~uint64_t(7); at < region.end;) {
            if (scanned >= k_scan_budget) return best;
            uint64_t n = std::min({k_chunk, region.end - at, k_scan_budget - scanned});
            // The chunk runs on by one object so that none is cut at its edge.
            const uint64_t object = rt.object_bytes();
            uint64_t with_tail = std::min(n + object, region.end - at);
            std::vector<std::byte> buf(with_tail);
            scanned += n;
            if (mem.read(at, buf))
                for (uint64_t off = 0; off < n && off + object <= with_tail; off += 8)
                    if (auto c = exception_at(buf, off, at + off, rt))
                        if (c->handler_sp >= min_sp && (!best || c->handler_sp < best->handler_sp))
                            best = *c;
            at += n;
        }
    }
    return best;
}

std::string base_name(std::string_view path) {
    auto slash = path.find_last_of('/');
    return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// The panic Locations the function's code loads: `lea disp32(%rip), %reg` with REX.W
// (48/4c 8d, ModRM mod=00 r/m=101), each target validated as a Location in `file`.
std::vector<SourceLocation> locations_in_code(Reader& r, const Layouts& l, uint64_t start,
                                              uint64_t end, std::string_view file) {
    std::vector<SourceLocation> out;
    if (end <= start || end - start > k_max_function) return out;
    auto code = r.bytes(start, end - start);
    if (!code) return out;
    auto byte = [&](size_t i) { return static_cast<uint8_t>((*code)[i]); };
    std::set<std::tuple<std::string, uint32_t, uint32_t>> seen;
    for (size_t i = 0; i + 7 <= code->size(); ++i) {
        if ((byte(i) != 0x48 && byte(i) != 0x4c) || byte(i + 1) != 0x8d ||
            (byte(i + 2) & 0xc7) != 0x05)
            continue;
        int32_t disp;
        std::memcpy(&disp, code->data() + i + 3, 4);
        uint64_t target = start + i + 7 + int64_t(disp);
        auto loc = read_location(r, l, target);
        if (!loc || (!file.empty() && base_name(loc->file) != base_name(file))) continue;
        if (seen.emplace(loc->file, loc->line, loc->column).second) out.push_back(*loc);
    }
    return out;
}

void locate(const Inputs& in, const bt::Frame& stuck, bool from_callee, Reader& reader,
            const Layouts& layouts, Panic& p, std::vector<std::string>& notes) {
    std::vector<SourceLocation> found;
    // The frame's PC is a return address: after the call to panic_cannot_unwind, which may be
    // the function's last instruction, so the address is the first byte past the function.
    auto range = from_callee || stuck.raw.pc == 0 ? std::nullopt
                                                  : in.process->function_range(stuck.raw.pc - 1);
    if (range)
        found = locations_in_code(reader, layouts, range->first, range->second, stuck.raw.file);
    if (found.size() == 1) {
        p.location = found.front();
        p.location_source = "code";
        return;
    }
    if (!stuck.raw.file.empty()) {
        p.location = SourceLocation{stuck.raw.file, stuck.raw.line, stuck.raw.column};
        p.location_source = "frame";
    }
    if (from_callee)
        notes.push_back(fmt::format("the panic came from a destructor that {}'s cleanup called; "
                                    "the location is the line of the frame that could not unwind",
                                    stuck.name));
    else
        notes.push_back(
            found.empty()
                ? fmt::format(
                      "{} passes no panic location of its own (the panic came from a "
                      "callee); the location is the line of the frame that could not unwind",
                      stuck.name)
                : fmt::format("{} passes {} panic locations; the location is the line of the frame "
                              "that could not unwind",
                              stuck.name, found.size()));
}

} // namespace

Panic recover_original_panic(const Inputs& in, size_t stuck_index, bool from_callee) {
    Panic p;
    p.strategy = "unwind";
    std::vector<std::string> notes;
    auto done = [&] {
        for (size_t i = 0; i < notes.size(); ++i) p.missing += (i ? "; " : "") + notes[i];
        return p;
    };
    if (!in.backtrace || stuck_index >= in.backtrace->frames.size()) {
        notes.push_back("no frame could not unwind");
        return done();
    }
    const bt::Frame& stuck = in.backtrace->frames[stuck_index];
    if (!in.memory || !in.process) {
        if (!stuck.raw.file.empty()) {
            p.location = SourceLocation{stuck.raw.file, stuck.raw.line, stuck.raw.column};
            p.location_source = "frame";
        }
        notes.push_back("no process memory to read the exception object from");
        return done();
    }
    Layouts layouts = layouts_from(in.debug_info);
    Reader reader(*in.memory, 1 << 20);
    locate(in, stuck, from_callee, reader, layouts, p, notes);

    Runtime rt{in.process->symbol_address("panic_unwind::imp::CANARY"),
               in.process->symbol_address("panic_unwind::imp::panic::exception_cleanup"),
               cause_word(in.debug_info)};
    uint64_t scanned = 0;
    // The exception this frame's landing pad took: the unwinder recorded the frame's stack
    // pointer. A panic still unwinding further out (the first of a double panic) names a
    // frame further out, so the nearest one at or above this frame's is taken.
    std::optional<Candidate> best =
        nearest_exception(*in.memory, in.process->heap_regions(), rt, stuck.raw.sp, scanned);
    if (!best) {
        notes.push_back(fmt::format("no panic_unwind exception object (class MOZ\\0RUST) whose "
                                    "landing pad is at or above {} in {} KiB of heap",
                                    stuck.name, scanned >> 10));
        return done();
    }
    auto payload = read_payload(reader, layouts, best->data, best->vtable);
    if (!payload)
        notes.push_back(
            fmt::format("the exception object at {:#x} holds no Box<dyn Any>", best->address));
    else if (payload->type == Payload::Type::Other)
        p.message = "Box<dyn Any>"; // `panic_any(42)`: std's hook prints the same words
    else if (payload->text)
        p.message = *payload->text;
    else
        notes.push_back(fmt::format("the payload string of the exception object at {:#x} is "
                                    "unreadable or corrupt",
                                    best->address));
    return done();
}

} // namespace seam::crash::detail
