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

namespace seam::report {

inline constexpr std::string_view k_schema = "seam.report/1";
inline constexpr std::string_view k_batch_schema = "seam.report-batch/1";

/// How many frames a signature hashes unless told otherwise.
inline constexpr size_t k_signature_frames = 5;

/// A stable name for a crash: the same crash gives the same signature in every run and on every
/// machine, because only clean function names go in (no addresses, no legacy hashes, no
/// offsets), with their generic arguments collapsed to `<…>` (elide_generics): the same crash in
/// two instantiations of one generic function, or built by another rustc, is one crash.
struct Signature {
    std::string hash; ///< 16 lowercase hex digits; "" when no frame qualified
    std::vector<std::string>
        frames; ///< the short names hashed (Frame::short_name), innermost first
};

/// The frames a signature hashes: the innermost `count` frames that are neither runtime
/// machinery (bt::Frame::runtime), nor inferred tail calls (bt::FoundBy::TailCall: no frame on
/// the stack, and there only when the optimiser made a call a jump), nor library code (std, core,
/// alloc and the system's C libraries: libc, ld.so, libgcc_s, libstdc++, libm). When every frame is
/// library code (a crash wholly inside libc), the innermost non-runtime frames instead.
Signature signature_of(const bt::Backtrace& bt, size_t count = k_signature_frames);
/// FNV-1a 64 of the names joined by '\n', as 16 hex digits.
std::string hash_names(const std::vector<std::string>& names);

/// Whether a frame is library code the signature skips.
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
};

struct Group {
    std::string signature; ///< hash; "" groups the cores with no signature
    std::vector<std::string> frames;
    std::string kind;
    std::vector<size_t> members; ///< positions in the entries, in input order
};

/// Cores grouped by signature, largest group first, ties by first appearance; failed cores
/// form no group.
std::vector<Group> group_by_signature(const std::vector<BatchEntry>& entries);

/// One line per core, then the groups with their counts.
std::string render_batch_text(const std::vector<BatchEntry>& entries);
std::string render_batch_markdown(const std::vector<BatchEntry>& entries);
/// `seam.report-batch/1`: every core (with its full report) and the groups.
nlohmann::json batch_to_json(const std::vector<BatchEntry>& entries);

} // namespace seam::report
