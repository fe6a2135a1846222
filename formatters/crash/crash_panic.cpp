// A panic's message and location, read back from the stack of the panicking frames.
//
// std's frames carry line tables only (no variables), so nothing there is read by name. What
// std 1.95 leaves in memory, whatever the user's opt-level (std is always optimised the same):
// `std::panicking::panic_with_hook` builds a `PanicHookInfo { payload: &dyn Any, location:
// &Location, can_unwind, force_no_backtrace }` in its own frame and hands it to the hook by
// reference; after the hook returns it is still there while the panic goes on to `rust_panic`
// (a breakpoint there, `seam panic --break`) or to `abort` (panic=abort, a panic that may not
// unwind). The payload is the `&'static str` of a literal panic (`StaticStrPayload`) or the
// `String` the hook formatted (`FormatStringPayload::fill`), both in the closure frame of
// `panic_handler` just above; the `dyn Any` vtable tells which by the size it records (16 for
// `&str`, 24 for `String`). Everything is validated: the words must point where such values
// live, strings must be UTF-8, the location's line and column plausible.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "formatters/crash/crash_internal.h"
#include "formatters/dwarf/debug_info.h"

namespace seam::crash::detail {

namespace {

constexpr uint64_t k_max_frame_bytes = 16 * 1024; // one frame's stack read in one go
constexpr uint64_t k_max_message = 64 * 1024;
constexpr uint64_t k_max_path = 4096;

const Field* field(const Type* t, std::string_view name) {
    while (t && (t->kind == TypeKind::Typedef || t->kind == TypeKind::Qualified)) t = t->target;
    return t ? find_field(t, name) : nullptr;
}

// Offset of a member path from the start of `t`, when every step exists in the DWARF.
std::optional<uint64_t> path_offset(const Type* t, std::initializer_list<std::string_view> path) {
    uint64_t off = 0;
    for (std::string_view name : path) {
        const Field* f = field(t, name);
        if (!f) return std::nullopt;
        off += f->offset;
        t = f->type;
    }
    return off;
}

} // namespace

Layouts layouts_from(const DebugInfo* info) {
    Layouts l;
    if (!info) return l;
    bool from_dwarf = false;
    if (const Type* loc = info->find_type("core::panic::location::Location")) {
        auto file = path_offset(loc, {"filename"});
        if (!file) file = path_offset(loc, {"file"}); // before 1.88: `file: &str`
        auto line = path_offset(loc, {"line"}), col = path_offset(loc, {"col"});
        if (file && line && col) {
            l.loc_file = *file, l.loc_line = *line, l.loc_col = *col;
            l.loc_size = loc->size ? loc->size : l.loc_size;
            from_dwarf = true;
        }
    }
    if (const Type* s = info->find_type("alloc::string::String")) {
        auto vec = path_offset(s, {"vec"});
        const Field* vf = field(s, "vec");
        auto len = vf ? path_offset(vf->type, {"len"}) : std::nullopt;
        auto ptr = vf ? path_offset(vf->type, {"buf", "inner", "ptr"}) : std::nullopt;
        auto cap = vf ? path_offset(vf->type, {"buf", "inner", "cap"}) : std::nullopt;
        // Before std split out RawVecInner, RawVec held `ptr` and `cap` itself (1.63 does).
        if (vf && !ptr) ptr = path_offset(vf->type, {"buf", "ptr"});
        if (vf && !cap) cap = path_offset(vf->type, {"buf", "cap"});
        if (vec && len && ptr && cap) {
            l.str_cap = *vec + *cap, l.str_ptr = *vec + *ptr, l.str_len = *vec + *len;
            from_dwarf = true;
        }
    }
    if (from_dwarf) l.source = "layouts from the executable's DWARF";
    return l;
}

std::optional<std::vector<std::byte>> Reader::bytes(uint64_t addr, uint64_t n) {
    if (n > m_left || addr == 0) return std::nullopt;
    m_left -= n;
    std::vector<std::byte> out(n);
    if (!m_mem.read(addr, out)) return std::nullopt;
    return out;
}

std::optional<uint64_t> Reader::word(uint64_t addr) {
    auto b = bytes(addr, 8);
    if (!b) return std::nullopt;
    uint64_t v;
    std::memcpy(&v, b->data(), 8);
    return v;
}

namespace {

std::optional<std::string> read_str(Reader& r, uint64_t ptr, uint64_t len, uint64_t max) {
    if (len > max || ptr == 0) return std::nullopt;
    if (len == 0) return std::string();
    auto b = r.bytes(ptr, len);
    if (!b) return std::nullopt;
    std::string s(reinterpret_cast<const char*>(b->data()), b->size());
    if (!valid_utf8(s)) return std::nullopt;
    return s;
}

uint32_t load32(const std::vector<std::byte>& b, uint64_t off) {
    uint32_t v = 0;
    if (off + 4 <= b.size()) std::memcpy(&v, b.data() + off, 4);
    return v;
}

} // namespace

uint64_t load64(const std::vector<std::byte>& b, uint64_t off) {
    uint64_t v = 0;
    if (off + 8 <= b.size()) std::memcpy(&v, b.data() + off, 8);
    return v;
}

bool valid_utf8(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
        i += n;
    }
    return true;
}

std::optional<SourceLocation> read_location(Reader& r, const Layouts& l, uint64_t addr) {
    if (addr == 0 || addr % 8) return std::nullopt;
    auto b = r.bytes(addr, l.loc_size);
    if (!b) return std::nullopt;
    uint64_t ptr = load64(*b, l.loc_file), len = load64(*b, l.loc_file + 8);
    uint32_t line = load32(*b, l.loc_line), col = load32(*b, l.loc_col);
    if (line == 0 || line > 10'000'000 || col == 0 || col > 100'000) return std::nullopt;
    if (len == 0 || len > k_max_path) return std::nullopt;
    auto file = read_str(r, ptr, len, k_max_path);
    if (!file) return std::nullopt;
    // 1.88+ keeps a NUL after the name for `Location::file_as_c_str`; `file()` leaves it out.
    if (!file->empty() && file->back() == '\0') file->pop_back();
    for (char c : *file)
        if (static_cast<unsigned char>(c) < 0x20) return std::nullopt;
    return SourceLocation{*file, line, col};
}

namespace {

struct Found {
    std::string message;
    SourceLocation location;
    std::string payload_kind;
};

} // namespace

std::optional<Payload> read_payload(Reader& r, const Layouts& l, uint64_t data, uint64_t vtable) {
    if (data == 0 || data % 8 || vtable == 0 || vtable % 8) return std::nullopt;
    auto size = r.word(vtable + 8), align = r.word(vtable + 16);
    if (!size || !align || *align == 0 || *align > 4096 || (*align & (*align - 1)))
        return std::nullopt;
    if (*size == 16 && *align == 8) {
        Payload p{Payload::Type::Str, std::nullopt};
        auto ptr = r.word(data), len = r.word(data + 8);
        if (ptr && len) p.text = read_str(r, *ptr, *len, k_max_message);
        return p;
    }
    if (*size == 24 && *align == 8) {
        Payload p{Payload::Type::String, std::nullopt};
        if (auto b = r.bytes(data, 24)) {
            uint64_t cap = load64(*b, l.str_cap), ptr = load64(*b, l.str_ptr),
                     len = load64(*b, l.str_len);
            if (len <= cap) p.text = read_str(r, ptr, len, k_max_message);
        }
        return p;
    }
    return Payload{Payload::Type::Other, std::nullopt};
}

namespace {

// PanicHookInfo in the frame of panic_with_hook: a `&dyn Any` (data, vtable) next to a
// `&Location`. The field order is rustc's choice, so the location is looked for on either side.
// A payload that is a string type but unreadable still gives the location (`message` none).
std::optional<Found> scan_hook_frame(Reader& r, const Layouts& l, uint64_t lo, uint64_t hi,
                                     std::string& why) {
    if (hi <= lo || hi - lo > k_max_frame_bytes) hi = lo + k_max_frame_bytes;
    lo &= ~uint64_t(7);
    // Page by page: a range that runs past the top of the stack keeps what lies below it.
    std::optional<std::vector<std::byte>> frame;
    for (uint64_t at = lo; at < hi;) {
        uint64_t end = std::min(hi, (at & ~uint64_t(4095)) + 4096);
        auto chunk = r.bytes(at, end - at);
        if (!chunk) break;
        if (!frame) frame.emplace();
        frame->insert(frame->end(), chunk->begin(), chunk->end());
        at = end;
    }
    if (!frame) {
        why = fmt::format("the stack at {:#x} is not readable", lo);
        return std::nullopt;
    }
    size_t n = frame->size() / 8;
    auto w = [&](size_t i) { return load64(*frame, i * 8); };
    auto in_stack = [&](uint64_t p) { return p >= lo && p < lo + (1 << 20); };
    std::optional<Found> location_only;
    for (size_t i = 0; i + 1 < n; ++i) {
        uint64_t data = w(i), vtable = w(i + 1);
        if (!in_stack(data) || in_stack(vtable)) continue;
        for (size_t j : {i + 2, i + 3, i >= 1 ? i - 1 : n, i >= 2 ? i - 2 : n}) {
            if (j >= n) continue;
            auto loc = read_location(r, l, w(j));
            if (!loc) continue;
            auto payload = read_payload(r, l, data, vtable);
            if (!payload) continue;
            if (payload->type == Payload::Type::Other)
                // `panic_any(42)`: std's hook prints the same words.
                return Found{"Box<dyn Any>", *loc, "a payload that is not a string"};
            if (payload->text) return Found{*payload->text, *loc, "string"};
            if (!location_only) location_only = Found{"", *loc, "unreadable"};
        }
    }
    if (location_only) {
        why = "the payload string is unreadable or corrupt";
        return location_only;
    }
    why = fmt::format("no PanicHookInfo (payload and location) in the {} bytes of stack at {:#x} "
                      "(panic_with_hook's frame)",
                      hi - lo, lo);
    return std::nullopt;
}

// core's `PanicInfo { message: &fmt::Arguments, location: &Location, .. }`, built on the stack
// by `core::panicking::panic_fmt` for a `#[panic_handler]` (no std hook runs in a `#![no_std]`
// program or the Linux kernel, whose handler `rust_begin_unwind` logs it and calls BUG()). Looked
// for between the innermost frame's SP and `hi` (the panicking user frame's CFA): a word pair at
// the DWARF's offsets whose location and Arguments both read back valid.
std::optional<Found> scan_panic_info(Reader& r, const Layouts& l, const DebugInfo& info,
                                     uint64_t lo, uint64_t hi, std::string& why,
                                     std::string& missing) {
    const Type* pi = info.find_type("core::panic::panic_info::PanicInfo");
    auto message = pi ? path_offset(pi, {"message"}) : std::nullopt;
    auto location = pi ? path_offset(pi, {"location"}) : std::nullopt;
    if (!message || !location || *message % 8 || *location % 8) {
        why = "the DWARF has no core::panic::panic_info::PanicInfo with `message` and `location`";
        return std::nullopt;
    }
    if (hi <= lo || hi - lo > k_max_frame_bytes) hi = lo + k_max_frame_bytes;
    lo &= ~uint64_t(7);
    auto stack = r.bytes(lo, hi - lo);
    if (!stack) {
        why = fmt::format("the stack at {:#x} is not readable", lo);
        return std::nullopt;
    }
    size_t n = stack->size() / 8, m = *message / 8, k = *location / 8;
    for (size_t i = 0; i + std::max(m, k) < n; ++i) {
        auto loc = read_location(r, l, load64(*stack, (i + k) * 8));
        if (!loc) continue;
        auto text = read_arguments(r, info, load64(*stack, (i + m) * 8));
        if (!text) continue;
        missing = text->missing;
        return Found{text->text, *loc, "arguments"};
    }
    why = fmt::format("no core PanicInfo (message and location) in the {} bytes of stack at {:#x}",
                      hi - lo, lo);
    return std::nullopt;
}

std::optional<size_t> hook_frame(const bt::Backtrace& bt) {
    for (size_t i = 0; i < bt.frames.size(); ++i)
        if (is_panic_hook(bt.frames[i].name)) return i;
    return std::nullopt;
}

} // namespace

Panic recover_panic(const Inputs& in, std::optional<size_t> culprit, std::string strategy) {
    Panic p;
    p.strategy = std::move(strategy);
    std::optional<SourceLocation> fallback;
    if (culprit && in.backtrace && *culprit < in.backtrace->frames.size()) {
        const bt::RawFrame& f = in.backtrace->frames[*culprit].raw;
        if (!f.file.empty()) fallback = SourceLocation{f.file, f.line, f.column};
    }
    auto give_up = [&](std::string why) {
        p.location = fallback;
        if (fallback) p.location_source = "frame";
        p.missing = fallback ? why + "; the location is the culprit frame's line"
                             : why + "; no frame with a line gives the location";
        return p;
    };
    if (!in.memory) return give_up("no memory to read");
    if (!in.backtrace) return give_up("no backtrace");
    auto h = hook_frame(*in.backtrace);
    if (!h && in.debug_info && culprit) {
        // No std: the #[panic_handler] has core's PanicInfo, not yet formatted.
        uint64_t lo = in.backtrace->frames.front().raw.sp;
        uint64_t hi = in.backtrace->frames[*culprit].raw.cfa;
        Reader reader(*in.memory, 256 * 1024);
        std::string why, missing;
        auto found = lo ? scan_panic_info(reader, layouts_from(in.debug_info), *in.debug_info, lo,
                                          hi, why, missing)
                        : std::nullopt;
        if (!found) return give_up(lo ? why : "no stack pointer is known for the panicking frames");
        p.message = found->message;
        p.location = found->location;
        p.location_source = "hook";
        p.missing = missing;
        return p;
    }
    if (!h)
        return give_up("no std::panicking::panic_with_hook frame on the stack (the hook has "
                       "not run, or the stack is cut)");
    const bt::RawFrame& hf = in.backtrace->frames[*h].raw;
    // The hook frame's own bounds when the debugger unwound it; else (a frame a fallback
    // unwinder found, without registers) the stack from the innermost frame's SP up.
    uint64_t lo = hf.sp, hi = hf.cfa;
    if (lo == 0 || hi <= lo) {
        lo = in.backtrace->frames.front().raw.sp;
        hi = lo + k_max_frame_bytes;
    }
    if (lo == 0) return give_up("no stack pointer is known for the panicking frames");
    Layouts layouts = layouts_from(in.debug_info);
    Reader reader(*in.memory, 256 * 1024);
    std::string why;
    auto found = scan_hook_frame(reader, layouts, lo, hi, why);
    if ((!found || found->payload_kind == "unreadable") && in.debug_info) {
        // The hook's info is gone (std 1.63 formats its abort notice over it): the payload
        // object the hook function holds still has the message.
        uint64_t top = culprit ? in.backtrace->frames[*culprit].raw.cfa : 0;
        if (auto object =
                recover_from_payload_object(reader, layouts, *in.debug_info, lo, hi, top)) {
            if (!object->location) {
                Panic q = give_up("no PanicInfo holds the message's fmt::Arguments");
                q.message = object->message;
                return q;
            }
            p.message = object->message;
            p.location = object->location;
            p.location_source = "hook";
            return p;
        }
    }
    if (!found) return give_up(why);
    p.location = found->location;
    p.location_source = "hook";
    if (found->payload_kind == "unreadable")
        p.missing = why;
    else
        p.message = found->message;
    return p;
}

} // namespace seam::crash::detail
