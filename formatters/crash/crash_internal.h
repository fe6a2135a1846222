#pragma once
// Shared between the crash classification files; not part of the engine's interface.
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "formatters/crash/crash.h"

namespace seam::crash::detail {

/// Whether a frame's clean name starts with one of the paths (a path prefix ends in `::` or is
/// followed by `::`, `<`, `{` or the end).
bool name_is(std::string_view name, std::string_view path);
/// std's function that runs the panic hook, then unwinds the panic or gives it up.
bool is_panic_hook(std::string_view name);
/// The C runtime's modules (libc, the loader, libgcc_s…): glibc may come with its DWARF
/// (libc6-dbg), so DWARF alone does not make a C frame the user's.
bool in_system_library(std::string_view module);
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

} // namespace seam::crash::detail
