// A panic's message read back through the panic runtime's own payload object, for a stop where
// the hook's info no longer holds it.
//
// std hands its panic hook a payload (`&dyn Any`) that it takes from a payload object of its
// own: `&mut dyn BoxMeUp` (1.63; `&mut dyn PanicPayload` later) pointing at
// `begin_panic_handler::PanicPayload { inner: &fmt::Arguments, string: Option<String> }` (the
// message formatted into `string` when the hook asked for it) or `StrPanicPayload(&'static str)`.
// std 1.63 gives a panic while panicking up right after the hook ("thread panicked while
// panicking. aborting."), and formats that notice into the very stack slots that held the
// hook's info: the `&dyn Any` is gone, but the hook function still holds its own argument, the
// payload object, and that object is in its caller's frame. Its vtable is a DWARF global that
// names the object's type (`<…PanicPayload as core::panic::BoxMeUp>::{vtable}`), so the fields
// are read by name, never by a guessed layout. The location: core's `PanicInfo` (built by
// `core::panicking::panic_fmt` further up the stack) holds `message: Some(&fmt::Arguments)`
// next to `location: &Location`; the payload object leads to those same Arguments (`inner`, or
// the Arguments whose one piece is the `&'static str`), so the location is found by that exact
// pointer, not by whatever Location happens to lie on the stack.
#include <functional>

#include "formatters/crash/crash_internal.h"
#include "formatters/dwarf/debug_info.h"

namespace seam::crash::detail {

namespace {

constexpr uint64_t k_max_scan = 16 * 1024; // bytes of stack searched for core's PanicInfo
constexpr uint64_t k_max_message = 64 * 1024;

bool is_named(const Type* t, std::string_view qualified) {
    t = strip(t);
    return t && (t->qualified == qualified || t->name == qualified);
}

std::optional<std::string> read_text(Reader& r, uint64_t ptr, uint64_t len) {
    if (ptr == 0 || len == 0 || len > k_max_message) return std::nullopt;
    auto b = r.bytes(ptr, len);
    if (!b) return std::nullopt;
    std::string s(reinterpret_cast<const char*>(b->data()), b->size());
    if (!valid_utf8(s)) return std::nullopt;
    return s;
}

// The payload object behind a `&mut dyn BoxMeUp` whose vtable the DWARF names.
struct PayloadObject {
    std::string message;
    /// Recognises the `&fmt::Arguments` the panic's message was formatted from: core's
    /// PanicInfo holds it beside the location.
    std::function<bool(uint64_t)> is_arguments;
};

std::optional<PayloadObject> read_object(Reader& r, const Layouts& l, const DebugInfo& info,
                                         uint64_t data, uint64_t vtable) {
    auto g = info.global_at(vtable);
    if (!g || g->address != vtable || !g->type || !g->type->containing_type) return std::nullopt;
    if (!g->name.ends_with("::{vtable}") || g->name.find(" as core::panic::") == std::string::npos)
        return std::nullopt;
    const Type* self = strip(g->type->containing_type);
    if (!self) return std::nullopt;
    for (const Field& f : self->fields) {
        if (is_named(f.type, "&str")) {
            // StrPanicPayload(&'static str): the message is the one piece of the Arguments.
            auto ptr = r.word(data + f.offset), len = r.word(data + f.offset + 8);
            if (!ptr || !len) return std::nullopt;
            auto text = read_text(r, *ptr, *len);
            if (!text) return std::nullopt;
            uint64_t p = *ptr, n = *len;
            const Type* args = info.find_type("core::fmt::Arguments");
            const Field* pieces = args ? find_field(strip(args), "pieces") : nullptr;
            uint64_t pieces_off = pieces ? pieces->offset : 0;
            return PayloadObject{*text, [&r, p, n, pieces_off](uint64_t at) {
                                     auto list = r.word(at + pieces_off);
                                     auto first = list ? r.word(*list) : std::nullopt;
                                     auto first_len = list ? r.word(*list + 8) : std::nullopt;
                                     return first && first_len && *first == p && *first_len == n;
                                 }};
        }
    }
    const Field* string = find_field(self, "string");
    const Field* inner = find_field(self, "inner");
    if (!string || !inner) return std::nullopt;
    // `Option<String>`: the String's own pointer is the niche (0: never formatted).
    auto b = r.bytes(data + string->offset, 24);
    auto arguments = r.word(data + inner->offset);
    if (!b || !arguments) return std::nullopt;
    uint64_t cap = load64(*b, l.str_cap), ptr = load64(*b, l.str_ptr), len = load64(*b, l.str_len);
    if (len > cap) return std::nullopt;
    auto text = len == 0 && ptr != 0 ? std::optional<std::string>("") : read_text(r, ptr, len);
    if (!text) return std::nullopt;
    uint64_t a = *arguments;
    return PayloadObject{*text, [a](uint64_t at) { return at == a; }};
}

} // namespace

std::optional<HookInfo> recover_from_payload_object(Reader& r, const Layouts& l,
                                                    const DebugInfo& info, uint64_t lo,
                                                    uint64_t hook_hi, uint64_t stack_hi) {
    if (hook_hi <= lo || hook_hi - lo > k_max_scan) hook_hi = lo + k_max_scan;
    if (stack_hi <= lo || stack_hi - lo > k_max_scan) stack_hi = lo + k_max_scan;
    if (hook_hi > stack_hi) stack_hi = hook_hi;
    lo &= ~uint64_t(7);
    auto stack = r.bytes(lo, stack_hi - lo);
    if (!stack) return std::nullopt;
    size_t hook_words = (hook_hi - lo) / 8, n = stack->size() / 8;
    auto w = [&](size_t i) { return load64(*stack, i * 8); };
    auto in_stack = [&](uint64_t p) { return p >= lo && p < lo + (1 << 20); };
    for (size_t i = 0; i + 1 < hook_words; ++i) {
        uint64_t data = w(i), vtable = w(i + 1);
        if (!in_stack(data) || in_stack(vtable) || vtable % 8) continue;
        auto object = read_object(r, l, info, data, vtable);
        if (!object) continue;
        HookInfo found{object->message, std::nullopt};
        // core's PanicInfo: `message` beside `location`, in rustc's order of the fields.
        for (size_t k = 0; k < n && !found.location; ++k) {
            if (!in_stack(w(k)) || !object->is_arguments(w(k))) continue;
            for (size_t j : {k + 1, k >= 1 ? k - 1 : n, k + 2, k >= 2 ? k - 2 : n}) {
                if (j >= n) continue;
                if (auto loc = read_location(r, l, w(j))) {
                    found.location = loc;
                    break;
                }
            }
        }
        return found;
    }
    return std::nullopt;
}

} // namespace seam::crash::detail
