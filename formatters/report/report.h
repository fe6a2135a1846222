#pragma once
/// Crash reports over plain data: what seam-report, `seam report` and the GUI say of one stopped
/// process or core — its classification, the crashing thread's mixed backtrace, the other
/// threads folded, the locals of the first user frames, and a crash signature — rendered as
/// text, Markdown or JSON (schema `seam.report/1`, docs/report-schema.md). The LLDB layer fills
/// the model; nothing here reads memory or knows LLDB.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "formatters/backtrace/backtrace.h"
#include "formatters/core/result.h"

namespace seam::report {

inline constexpr std::string_view k_schema = "seam.report/1";
inline constexpr std::string_view k_batch_schema = "seam.report-batch/1";
/// One core of a batch on one line (`--jsonl`), and the groups `seam-report group` makes of them.
inline constexpr std::string_view k_record_schema = "seam.report-record/1";
inline constexpr std::string_view k_groups_schema = "seam.report-groups/1";

/// How many frames a signature shows unless told otherwise.
inline constexpr size_t k_signature_frames = 5;

/// A stable name for a crash: the same bug gives the same signature in every run, on every
/// machine, from every caller and at -O0 and -O2 alike (docs/triage.md, "Grouping quality"),
/// because only clean function names go in (no addresses, no legacy hashes, no offsets), with
/// their generic arguments collapsed to `<…>` (elide_generics), and for a panic the place in the
/// source it panicked at, which no value, thread, heap address or optimiser changes.
struct Signature {
    std::string hash; ///< 16 lowercase hex digits; "" when no frame qualified
    /// The short names shown (Frame::short_name), innermost first: the crash's context. The hash
    /// covers only the first of them (key_frames), so that the same bug reached from two callers
    /// is one crash, as in Socorro.
    std::vector<std::string> frames;
    /// How many of `frames` the hash covers: the check that failed (`core::option::unwrap_failed`)
    /// and the innermost user frame, and its caller too when its name has no path (a C or
    /// `#[no_mangle]` function, whose name any program may have); all of them when no frame is
    /// user code.
    size_t key_frames = 0;
    /// A Rust panic's source location as `FILE:LINE:COL`, the file without its directories
    /// (they differ between build machines; the frames say which crate): two `expect`s in one
    /// function are two bugs. "" for other crashes, or when the location was not recovered.
    std::string site;
};

/// The signature of a crash: its frames are the innermost `count` frames (never fewer than its
/// key) that are neither runtime machinery (bt::Frame::runtime), nor inferred tail calls
/// (bt::FoundBy::TailCall: no frame on the stack, and there only when the optimiser made a call
/// a jump), nor library code (is_library_frame). When every frame is library code (a crash wholly
/// inside libc), the innermost non-runtime frames instead. Names lose their clone suffixes
/// (`.cold`,
/// `.constprop.0`: bt::without_clone_suffix). A library function that names the check that
/// failed (`core::option::unwrap_failed`, `core::cell::panic_already_borrowed`, ...: Socorro's
/// prefix list) goes first, in front of the user frame that called it. `panic_site` is a panic's
/// location (`src/main.rs:12:5`), "" for any other crash. The hash covers the key frames and the
/// site (hash_names).
Signature signature_of(const bt::Backtrace& bt, size_t count = k_signature_frames,
                       std::string_view panic_site = "");
/// What a signature's hash covers: its key frames, then `at SITE` when it has a site.
std::vector<std::string> signature_key(const Signature& s);
/// FNV-1a 64 of the names joined by '\n', as 16 hex digits.
std::string hash_names(const std::vector<std::string>& names);
/// FNV-1a 64 of `bytes`, continuing from `h` (the offset basis to start): fixed by its published
/// constants, so the same on every machine and in every build (signatures, shards).
uint64_t fnv1a64(std::string_view bytes, uint64_t h = 0xcbf29ce484222325ull);

/// Whether a frame is library code the signature skips: std, core, alloc, the panic runtimes
/// (bt::is_rust_library_crate), the system's C libraries (bt::in_system_library), and, in a
/// frame with no DWARF, the C runtime's abort, assert and unwind functions wherever they are
/// linked (bt::is_c_runtime_function: a static build has glibc's `abort` in the executable).
bool is_library_frame(const bt::Frame& frame);

/// A variable of a reported frame, rendered by the engine in the LLDB layer.
struct Local {
    std::string name;
    bool parameter = false;
    std::string type;      ///< as the user wrote it (`Vec<u64>`, `struct device *`)
    std::string summary;   ///< one line (`render_summary_line`: `len=3 cap=4 [1, 2, 3]`)
    std::string ownership; ///< `owned`, `borrowed`, `c`, ... (own_kind_name); "" when unknown
    std::string line;      ///< the tree renderer's line: `(Type) name = summary [ownership]`
    nlohmann::json value;  ///< the seam.value/1 object (docs/value-schema.md)
};

struct FrameLocals {
    uint32_t index = 0; ///< the frame's index in the crashing thread
    std::string function;
    std::vector<Local> locals;
    std::string error; ///< why the frame's variables could not be read; "" when they were
};

/// Another thread, folded to one line.
struct ThreadLine {
    uint32_t index = 0;
    uint64_t id = 0;
    std::string name;
    std::string name_source; ///< bt::RawThread::name_source
    std::string stop_reason;
    size_t frame_count = 0;
    std::string top; ///< the innermost user (non-runtime) frame's name, else the innermost's
};

/// What the crash classification said (formatters/crash/crash.h), kept as data so the engine's
/// renderers need nothing of the classifier.
/// A panic as a report shows it.
struct PanicFacts {
    std::optional<std::string> message;
    std::optional<std::string> location; ///< `src/main.rs:12:5`
    std::string location_source;         ///< crash::Panic::location_source
    std::string missing;                 ///< why the message could not be recovered
};

struct Verdict {
    std::string kind;     ///< crash::kind_name: `rust-panic`, `fault-in-c`, ...
    std::string headline; ///< one line for a person
    std::optional<std::string> panic_message;
    std::optional<std::string> panic_location; ///< `src/main.rs:12:5`
    std::string panic_missing;                 ///< why the message could not be recovered
    /// A panic that could not unwind: the panic that started it (shown first).
    std::optional<PanicFacts> original_panic;
    nlohmann::json json; ///< crash::to_json, or null
};

struct Report {
    std::string core;        ///< the core file's path; "" for a live process
    std::string executable;  ///< the executable's path as loaded
    std::string build_id;    ///< the executable's GNU build-id (hex), "" when it has none
    std::string stop_reason; ///< the crashing thread's stop description
    Verdict verdict;
    std::optional<bt::Backtrace> crashing; ///< the crashing thread, classified
    std::vector<ThreadLine> other_threads;
    std::vector<FrameLocals> locals;
    Signature signature;
    std::vector<std::string> warnings; ///< e.g. a stripped executable: no DWARF, no locals
    /// Frames named by their whole names in the text and Markdown renderings (`--full-names`);
    /// else with generic arguments collapsed. The signature hashes the short names either way.
    bool full_names = false;
};

enum class Format { Text, Markdown, Json };

/// The full report of one core or process.
std::string render_text(const Report& r);
std::string render_markdown(const Report& r);
nlohmann::json to_json(const Report& r);

// --- batch (report_batch.cpp) ---

/// The fields a batch line needs, read back from a report's JSON (the workers' wire format).
struct Brief {
    std::string kind;
    std::string headline;
    std::string signature;
    std::vector<std::string> frames;
    std::string site; ///< Signature::site
};
Brief brief_of(const nlohmann::json& report_json);

/// One core of a batch: a report, or why there is none.
struct BatchEntry {
    std::string core;
    bool ok = false;
    std::string error;          ///< when !ok: one line saying what was wrong with this core
    nlohmann::json report_json; ///< when ok: the report as to_json gave it
    Brief brief;                ///< when ok: brief_of(report_json)
    double seconds = -1; ///< how long the analysis took (handed out to answer); < 0: not known
    /// When the core was seen: its file's modification time, `2026-12-07T13:05:53Z` (UTC, to
    /// the second); "" when not known.
    std::string seen;
};

struct Group {
    std::string signature; ///< hash; "" groups the cores with no signature
    /// The frames every member shows (their common innermost frames: the same bug reached from
    /// two callers is one group, and shows the frames its callers share).
    std::vector<std::string> frames;
    std::string site; ///< Signature::site
    std::string kind;
    std::vector<size_t> members;       ///< positions in the entries, ordered by core path
    std::string first_seen, last_seen; ///< the members' earliest and latest `seen`; "" unknown
    size_t representative = 0;         ///< the member seen last (ties: the first in `members`)
};

/// Cores grouped by signature, largest group first, ties by signature; failed cores form no
/// group. The order of `entries` makes no difference to the groups but for the positions in
/// `members`: N shards' records merged in any order give the batch's groups exactly.
std::vector<Group> group_by_signature(const std::vector<BatchEntry>& entries);

/// One line per core, then the groups (render_groups_text).
std::string render_batch_text(const std::vector<BatchEntry>& entries);
std::string render_batch_markdown(const std::vector<BatchEntry>& entries);
/// `seam.report-batch/1`: every core (its record_to_json, less the schema) and the groups.
nlohmann::json batch_to_json(const std::vector<BatchEntry>& entries);

/// The totals, then per group its count, signature, kind and frames, and a line with when it
/// was first and last seen and its representative core: the end of render_batch_text, and
/// `seam-report group`'s text.
std::string render_groups_text(const std::vector<BatchEntry>& entries);
/// `seam.report-groups/1`: the totals and the groups, as batch_to_json has them.
nlohmann::json groups_to_json(const std::vector<BatchEntry>& entries);

// --- records (report_record.cpp) ---

/// `seam.report-record/1`: one core of a batch as one JSON object (`--jsonl` writes one a line).
nlohmann::json record_to_json(const BatchEntry& entry);
/// A record read back, or why `record` is none. Keeps what grouping needs (the core, its status
/// and error, brief_of its report, when it was seen); drops the report itself, so that a merge
/// of millions of records holds none of their backtraces and locals.
Result<BatchEntry> entry_of_record(const nlohmann::json& record);

} // namespace seam::report
