#pragma once
/// Mixed C/Rust backtraces over plain data: the debugger front end collects each frame's raw
/// facts (PC, names, module, the compile unit's language), the engine gives each frame its
/// language, crate and clean name, marks the language boundaries, folds runtime frames, and
/// renders text or JSON (schema `seam.backtrace/1`, docs/backtrace-schema.md). Knows no LLDB.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "formatters/core/type.h"

namespace seam::bt {

struct Argument {
    std::string name;
    std::string text; ///< compact rendering, already truncated by the collector
};

/// Who found a frame: LLDB's unwinder, or seam's (plugin/lldb/unwind_fallback.h) after LLDB's
/// stopped early or went wrong, by the CFI of `.debug_frame` or `.eh_frame`, the frame-pointer
/// chain, or a scan of the stack for a return address that follows a call instruction.
/// TailCall: no frame of its own, inferred by seam — the caller's call instruction targets this
/// function, which then jumped (a sibling call at -O2) to the function of the frame above.
enum class FoundBy { Lldb, DebugFrame, EhFrame, FramePointer, StackScan, TailCall };

/// `lldb`, `.debug_frame`, `.eh_frame`, `frame pointer`, `stack scan`, `tail call`.
std::string_view found_by_name(FoundBy how);

/// One frame as the debugger reports it. Inlined frames are frames of their own.
struct RawFrame {
    /// The frame's number as seam shows it (`#3`): the debugger's, shifted by the frames seam
    /// added (a tail call, its own unwind).
    uint32_t index = 0;
    /// The debugger's own number for the frame (what `frame select` takes); none for a frame
    /// seam found itself.
    std::optional<uint32_t> debugger_index;
    uint64_t pc = 0;
    std::string function; ///< the debugger's (demangled) function name; may carry `::h<hash>`
    /// The symbol's linkage name: mangled (`_ZN…`, `_R…`) when mangled, else the plain name
    /// (`device_for_each`); "" when no symbol covers the PC.
    std::string symbol;
    std::string module; ///< file name of the module holding the PC (`demo-O0`, `libc.so.6`)
    Lang dwarf_lang = Lang::Unknown; ///< the compile unit's DW_AT_language; Unknown: no DWARF
    std::string file;                ///< source file name, "" if no line table covers the PC
    uint32_t line = 0;
    uint32_t column = 0;
    bool inlined = false;
    /// A frame the debugger made up for a tail call it inferred (LLDB's artificial frames, from
    /// DW_TAG_call_site): its pc is no return address.
    bool artificial = false;
    /// The frame's stack pointer and canonical frame address (0: not known): the stack memory
    /// of frame N lies in [sp, cfa), where crash analysis looks for a panic's payload.
    uint64_t sp = 0;
    uint64_t cfa = 0;
    /// Parameters, when the frame's DWARF could be read; none: not known (no DWARF).
    std::optional<std::vector<Argument>> arguments;
    FoundBy found_by = FoundBy::Lldb;
};

struct RawThread {
    uint32_t index = 0; ///< the debugger's thread number (1-based in LLDB)
    uint64_t id = 0;    ///< OS thread id
    std::string name;
    /// Where `name` came from: `rust-tls` (std's thread-locals in the thread's memory), `os`
    /// (the OS's name of a live thread), "" (none known).
    std::string name_source;
    std::string stop_reason;
    bool selected = false;
    std::vector<RawFrame> frames; ///< innermost first
    /// Set when LLDB's unwind stopped early or looked wrong: what happened and what seam did.
    std::string unwind_note;
};

/// Where a frame's language came from: its compile unit's DWARF, its symbol's mangling, the
/// list of rustc's and std's runtime shims that have no DWARF and plain C symbols (`__rust_try`,
/// rustc's C-ABI `main`, the `__rust_alloc` family: Rust's, not C's), or nothing (taken as C).
enum class LangSource { Dwarf, Mangling, Runtime, Default };

/// A frame with its meaning.
struct Frame {
    RawFrame raw;
    Lang lang = Lang::C;
    LangSource lang_source = LangSource::Default;
    std::string name; ///< demangled, hash stripped, `$u7b$`-style escapes undone
    /// `name` with its generic arguments collapsed to `<…>` (elide_generics): what the text
    /// output, reports and crash signatures show unless asked for full names.
    std::string short_name;
    std::string crate; ///< Rust: first path segment of `name`; "" otherwise
    bool runtime = false;
    /// A user Rust frame (not runtime) that calls C (or C++) code, directly or through runtime
    /// shims only (`FnOnce::call_once`): the safe wrapper over the unsafe call, the frame a
    /// `Rust -> C` marker names. Not set when the C callee is runtime machinery (a signal
    /// trampoline interrupted the Rust frame; it called nothing).
    bool wrapper = false;
    /// The PC lies in the cold part of a function gcc split (its symbol is `foo.cold`, its CFI
    /// an FDE of its own): `name` is the function's, tagged `[cold part]` in the text output.
    bool cold_part = false;
};

/// A language transition between frame `callee` and its caller `callee + 1`.
struct Boundary {
    size_t callee = 0;         ///< position in Backtrace::frames
    Lang from = Lang::Unknown; ///< the caller's language
    Lang to = Lang::Unknown;   ///< the callee's language
    /// Rust -> C: position in Backtrace::frames of the wrapper frame that made the call (the
    /// caller itself, or the first user frame above runtime shims); none if every Rust frame
    /// up to there is runtime.
    std::optional<size_t> wrapper;
};

struct Backtrace {
    RawThread thread; ///< frames moved out into `frames`
    std::vector<Frame> frames;
    std::vector<Boundary> boundaries; ///< between every pair of adjacent frames, runtime or not
};

// --- names (backtrace_names.cpp; names are cleaned by formatters/core/rust_names.h) ---

/// The language a mangled symbol name implies: `_R…` (v0) and `_ZN…17h<16 hex>E` (legacy)
/// are Rust, other `_Z…` names C++, anything else (plain C names) C.
Lang language_of_symbol(std::string_view symbol);
/// The crate of a Rust path: `demo` for `demo::on_device`, `core` for
/// `<&dyn core::ops::Fn<()> as core::ops::FnOnce<()>>::call_once`; "" for a plain name.
std::string crate_of(std::string_view name);
/// `Rust`, `C`, `C++`, `?`.
std::string_view lang_name(Lang lang);
/// `dwarf`, `mangling`, `runtime`, `default` (the JSON's `language_source`).
std::string_view lang_source_name(LangSource source);

// --- classification (backtrace_classify.cpp) ---

/// Whether a clean function name is Rust's or libc's start-up, panicking or signal machinery.
bool is_runtime_name(std::string_view name);
/// Whether a frame with no DWARF and a plain (unmangled) symbol is a shim rustc or std emits
/// into every Rust program: `__rust_try` (inside every `catch_unwind`), the allocator shims
/// (`__rust_alloc`, `__rg_alloc`, `__rdl_alloc`…), the panic entry points (`rust_begin_unwind`,
/// `__rust_start_panic`…), `rust_eh_personality`. Such frames are Rust runtime, not C.
bool is_rust_runtime_shim(std::string_view name);
/// Whether a clean function name is std's own abort (`std::sys::…::abort_internal`), the function
/// std calls when it gives a panic up or `std::process::abort` is called.
bool is_std_abort(std::string_view name);
/// Classifies every frame of `thread` and marks its boundaries.
Backtrace classify(RawThread thread);

// --- rendering (backtrace_render.cpp) ---

struct TextOptions {
    bool full = false;       ///< show runtime frames instead of folding them
    bool header = true;      ///< the `thread #N ...` line
    bool full_names = false; ///< whole names (Frame::name) instead of Frame::short_name
};

/// Who a frame belongs to: its crate (Rust), else its library (`libc.so.6`), else `?`.
const std::string& owner_of(const Frame& f);

/// The name a frame shows under `full_names`: Frame::name, else Frame::short_name.
const std::string& shown_name(const Frame& f, bool full_names);

/// One row of a backtrace as a person reads it: a frame, the boundary marker after it, or a run
/// of runtime frames folded into one line. What the text rendering and the GUI's stack both show.
struct Row {
    enum class Kind { Frame, Marker, Fold };
    Kind kind = Kind::Frame;
    size_t frame = 0;  ///< Frame: its position in Backtrace::frames; Fold: the run's first
    size_t folded = 0; ///< Fold: how many frames the run holds
    std::string text; ///< Marker: `── Rust -> C: … ──`; Fold: `… N runtime frames folded …`
};

/// The rows of `bt` under `options.full` and `options.full_names` (the header is not a row).
std::vector<Row> layout(const Backtrace& bt, const TextOptions& options);

/// One line per shown frame (tagged `[inlined]`, `[wrapper]`, `[unwound by seam: .debug_frame]`),
/// boundary markers
/// (`── Rust -> C: wrapper a calls b ──`,
/// `── C -> Rust: … ──`) between frames of different languages, and runs of runtime frames
/// folded into `… N runtime frames folded (seam bt --full shows them)`.
std::string render_text(const Backtrace& bt, const TextOptions& options);
/// The `seam.backtrace/1` object of several threads.
nlohmann::json render_json(const std::vector<Backtrace>& threads);

} // namespace seam::bt
