#pragma once
// Shared between the crash classification files; not part of the engine's interface.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formatters/backtrace/library_frames.h"
#include "formatters/crash/crash.h"

namespace seam::crash::detail {

/// Whether a frame's clean name starts with one of the paths (a path prefix ends in `::` or is
/// followed by `::`, `<`, `{` or the end).
bool name_is(std::string_view name, std::string_view path);
/// std's function that runs the panic hook, then unwinds the panic or gives it up.
bool is_panic_hook(std::string_view name);
/// A frame that belongs to std, core, alloc, the panic runtimes or libc (no user code).
bool is_library_frame(const bt::Frame& f);
/// The panic's message and location, read from the stack memory of the panicking frames.
/// `culprit` (a position in the backtrace) gives the fallback location.
Panic recover_panic(const Inputs& in, std::optional<size_t> culprit, std::string strategy);
/// The panic that could not unwind out of frame `stuck` (the caller of panic_cannot_unwind or
/// panic_in_cleanup, or the frame that was unwinding a panic when std's hook gave the next one
/// up): its payload from panic_unwind's exception object, its location from the
/// code of the frame's function unless `from_callee` (the panic came from a destructor the
/// frame's cleanup called), else the frame's line (crash_exception.cpp).
Panic recover_original_panic(const Inputs& in, size_t stuck, bool from_callee);

// --- memory of std's types, shared by the panic readers (crash_panic.cpp) ---

struct Layouts {
    // core::panic::location::Location (1.95: `filename: NonNull<str>, line: u32, col: u32`).
    uint64_t loc_file = 0, loc_line = 16, loc_col = 20, loc_size = 24;
    // alloc::string::String as laid out by rustc 1.95: RawVecInner's `cap` first, then `ptr`,
    // then Vec's `len`.
    uint64_t str_cap = 0, str_ptr = 8, str_len = 16;
    std::string source = "rustc 1.95 layouts";
};
/// The layouts from the executable's DWARF where it has the types, else rustc 1.95's.
Layouts layouts_from(const DebugInfo* info);

/// Reads under a budget of bytes: corrupt input cannot make seam read without end.
class Reader {
public:
    Reader(MemoryReader& mem, uint64_t budget) : m_mem(mem), m_left(budget) {}
    std::optional<std::vector<std::byte>> bytes(uint64_t addr, uint64_t n);
    std::optional<uint64_t> word(uint64_t addr);
    /// The memory itself, for the engine's formatters (which keep a budget of their own).
    MemoryReader& memory() { return m_mem; }

private:
    MemoryReader& m_mem;
    uint64_t m_left;
};

uint64_t load64(const std::vector<std::byte>& b, uint64_t off);
bool valid_utf8(std::string_view s);

/// A `core::panic::Location` at `addr`, validated (a UTF-8 file name, a plausible line).
std::optional<SourceLocation> read_location(Reader& r, const Layouts& l, uint64_t addr);

struct Payload {
    enum class Type { Str, String, Other } type;
    std::optional<std::string> text; ///< none: a string type whose bytes are not valid
};
/// The payload behind a `dyn Any` (data, vtable): its vtable's size tells `&str` from
/// `String`; none when the vtable is no vtable.
std::optional<Payload> read_payload(Reader& r, const Layouts& l, uint64_t data, uint64_t vtable);

struct HookInfo {
    std::string message;
    std::optional<SourceLocation> location; ///< none: not found beside the message's Arguments
};
/// The message of the panic whose hook function's frame is [lo, hook_hi), read through the
/// payload object the hook function holds (its vtable named by the DWARF), and its location
/// from core's PanicInfo in the frames up to `stack_hi` (crash_payload_object.cpp). None when
/// no payload object is found (a std without DWARF for its vtables).
std::optional<HookInfo> recover_from_payload_object(Reader& r, const Layouts& l,
                                                    const DebugInfo& info, uint64_t lo,
                                                    uint64_t hook_hi, uint64_t stack_hi);

/// A placeholder's formatting options (core::fmt's FormattingOptions: `{:>8}`, `{:08.3}`,
/// `{:+}`, `{:#x}`), and the padding core's Formatter applies with them (crash_fmt_spec.cpp).
struct FormatSpec {
    enum class Align { Left, Right, Center, Unknown };
    uint32_t fill = ' '; ///< a Unicode scalar value
    Align align = Align::Unknown;
    bool plus = false, minus = false, alternate = false, zero_pad = false;
    bool debug_lower_hex = false, debug_upper_hex = false; ///< `{:x?}`, `{:X?}`
    std::optional<uint16_t> width, precision;
    /// Whether anything but `#` is set: what a formatter that pads nothing leaves unapplied.
    bool pads() const;
};
/// The options a template placeholder's 32-bit flags word gives (1.87+'s FormattingOptions
/// layout: fill in bits 0-20, then `+ - # 0 x? X?`, width and precision present, alignment in
/// bits 29-30), with its width and precision where their flags say they are set.
FormatSpec spec_from_flags(uint32_t flags, uint16_t width, uint16_t precision);
/// Formatter::pad: `s` cut to `precision` chars, then padded to `width` (left by default), as
/// str, String, bool and char Display write.
std::string pad_str(std::string_view s, const FormatSpec& spec);
/// Formatter::pad_integral: sign (`-`, or `+` with `{:+}`), `prefix` where `#` asks, `digits`,
/// padded to `width` (right by default; after the sign and prefix with zeros for `{:0}`).
std::string pad_integral(bool nonnegative, std::string_view prefix, std::string_view digits,
                         const FormatSpec& spec);
/// Formatter::pad_formatted_parts, for floats: `sign` then `rest`, padded as pad_integral does.
std::string pad_number(std::string_view sign, std::string_view rest, const FormatSpec& spec);

struct FormattedArguments {
    std::string text;    ///< the message; an argument seam cannot format is `{argument N}`
    std::string missing; ///< why an argument is not formatted (or its options not applied)
};
/// The text of the `core::fmt::Arguments` at `addr`, formatted as `Display` would: integers,
/// bools, strings and pointers directly, any other argument's Debug by the engine's formatters
/// from the DWARF, each placeholder's options applied as core's Formatter applies them, those
/// seam cannot apply said in `missing` (crash_fmt_arguments.cpp, crash_fmt_pieces.cpp). None
/// when the memory there is no Arguments.
std::optional<FormattedArguments> read_arguments(Reader& r, const DebugInfo& info, uint64_t addr);

} // namespace seam::crash::detail
