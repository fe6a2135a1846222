#pragma once
/// Why a thread stopped, said in the program's terms: a Rust panic (and its message and
/// location, recovered from memory), a panic that could not unwind through `extern "C"`, an
/// `abort()` in C, a fault in C called from Rust, a stack overflow, an allocator abort, an exit.
/// Plain data in, plain data out: the LLDB layer gathers the facts of the stop and the
/// backtrace; seam-report, `seam panic` and the GUI present the verdict. Knows no LLDB.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "formatters/backtrace/backtrace.h"
#include "formatters/core/memory.h"

namespace seam {
class DebugInfo; // formatters/dwarf/debug_info.h
}

namespace seam::crash {

/// What the debugger reports of a stop, before any interpretation.
struct StopFacts {
    std::string description; ///< the debugger's own words ("signal SIGABRT", "breakpoint 1.1")
    int signal = 0;          ///< 0 when the stop is not a signal
    std::string signal_name; ///< "SIGSEGV"; "" when `signal` is 0
    /// The faulting address of SIGSEGV/SIGBUS, when the debugger knows it.
    std::optional<uint64_t> fault_address;
    /// Set when the debugger did not report `fault_address` and it was deduced from the
    /// faulting instruction instead: how (evidence for whoever reads the verdict).
    std::string fault_address_deduced;
    std::optional<int> exit_status; ///< the process has exited with this status
    bool from_core = false;         ///< a core file, not a live process
    /// The panic runtime linked into the executable: "unwind" (panic_unwind's symbols are
    /// there), "abort" (a Rust program without them), "" (not known, or no Rust).
    std::string panic_runtime;
};

enum class Kind {
    RustPanic,         ///< a panic (strategy in Panic::strategy)
    PanicCannotUnwind, ///< a panic reached an `extern "C"` frame (or a panic while panicking)
    AbortInC,          ///< `abort()` called by C code
    AbortInRust,       ///< `std::process::abort()` called by Rust code (no panic, no message)
    AllocatorAbort,    ///< libc's allocator found a corrupted heap or a double free
    FaultInC,          ///< SIGSEGV/SIGBUS/SIGFPE/SIGILL in a C frame (maybe called from Rust)
    FaultInRust,       ///< the same in a Rust frame
    StackOverflow,     ///< a fault on a stack guard page
    Exit,              ///< `process::exit`/`exit()`; the process is gone
    Signal,            ///< any other signal (SIGTERM, SIGKILL, a user's `raise`)
    Breakpoint,        ///< a breakpoint, a step: not a crash
    Unknown,
};

/// `rust-panic`, `panic-cannot-unwind`, `abort-in-c`, `abort-in-rust`, `allocator-abort`,
/// `fault-in-c`, `fault-in-rust`, `stack-overflow`, `exit`, `signal`, `breakpoint`, `unknown`: the
/// stable names the JSON outputs and the tests use.
std::string_view kind_name(Kind kind);

struct SourceLocation {
    std::string file; ///< as the panic records it (`src/main.rs`)
    uint32_t line = 0;
    uint32_t column = 0;
};

struct Panic {
    std::string strategy;               ///< "unwind", "abort" or "" (not known)
    std::optional<std::string> message; ///< exactly as the panic hook would print it
    std::optional<SourceLocation> location;
    /// Why the message (or the location) could not be recovered; "" when both were.
    std::string missing;
    /// Where `location` came from: `hook` (the info std built on the stack for its hook, or
    /// core's PanicInfo it was built from), `code`
    /// (the one panic location the function that could not unwind passes), `frame` (the line
    /// of the frame that panicked, not the panic's own column); "" when there is no location.
    std::string location_source;
};

struct Classification {
    Kind kind = Kind::Unknown;
    /// One line for a person: `Rust panic at src/main.rs:12:5: index out of bounds: …`,
    /// `SIGSEGV at 0x0 in C function read_config, called from Rust wrapper config::load`.
    std::string headline;
    std::optional<Panic> panic;
    /// A panic that could not unwind: the panic that started it (the root cause), its message
    /// read from panic_unwind's exception object, which the abort leaves on the heap. `panic`
    /// is then the second panic, std's "panic in a function that cannot unwind".
    std::optional<Panic> original;
    /// Positions in Backtrace::frames: the frame that faulted or panicked first in user code
    /// (not runtime), and the innermost Rust user frame (the last Rust frame before C faulted).
    std::optional<size_t> culprit_frame;
    std::optional<size_t> last_rust_frame;
    /// The facts the verdict rests on, for a reader who doubts it.
    std::vector<std::string> evidence;
};

/// A range of the process's writable memory, `[start, end)`.
struct MemoryRegion {
    uint64_t start = 0;
    uint64_t end = 0;
    std::string name; ///< `[heap]`, or "" for anonymous memory
};

/// What a classification may ask the debugger beyond plain reads. Asked on demand: only a panic
/// that could not unwind needs them.
class ProcessQueries {
public:
    virtual ~ProcessQueries() = default;
    /// Writable memory that is neither a thread's stack nor a file's: where `malloc` puts things,
    /// the `[heap]` first.
    virtual std::vector<MemoryRegion> heap_regions() = 0;
    /// The load address of a symbol by its demangled name (`panic_unwind::imp::CANARY`).
    virtual std::optional<uint64_t> symbol_address(std::string_view name) = 0;
    /// `[start, end)` of the function whose code holds `pc`.
    virtual std::optional<std::pair<uint64_t, uint64_t>> function_range(uint64_t pc) = 0;
};

/// Everything a classification may use. `memory` and `debug_info` may be null (then panics are
/// classified from the frames alone and the message is reported missing).
struct Inputs {
    StopFacts stop;
    const bt::Backtrace* backtrace = nullptr; ///< the stopped thread's, innermost first
    MemoryReader* memory = nullptr;
    const DebugInfo* debug_info = nullptr; ///< the executable's
    ProcessQueries* process = nullptr;     ///< may be null: no original panic is looked for
    /// Name frames in the headline and evidence by their whole names (bt::Frame::name) rather
    /// than with generic arguments collapsed (bt::Frame::short_name).
    bool full_names = false;
};

Classification classify(const Inputs& inputs);

/// The `classification` object of seam's JSON outputs (schemas in docs/).
nlohmann::json to_json(const Classification& c);
/// Its `panic` and `original_panic` objects.
nlohmann::json to_json(const Panic& p);

} // namespace seam::crash
