#pragma once
/// Cores analysed in a worker process: each core's executable found and checked, the core loaded
/// through the SB API, the report collected and rendered.
#include <lldb/API/SBDebugger.h>
#include <lldb/API/SBTarget.h>

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "formatters/report/report.h"

namespace seam::cli {

struct AnalyseOptions {
    std::string exe; ///< --exe; "" = the path the core records
    report::Format format = report::Format::Text;
    bool render = true; ///< also render the full report in `format` (one core, not a batch)
    size_t signature_frames = report::k_signature_frames;
    bool full_names = false; ///< --full-names: whole function names in the rendered report
    /// --max-frames: the innermost frames read of each thread. A runaway recursion's stack holds
    /// thousands of them, and unwinding them all costs seconds a core; the signature, the verdict
    /// and the locals need the innermost few.
    uint32_t max_frames = 1024;
    /// --lldb-log: LLDB's own log (channel lldb: api, expr) appended to this file by every
    /// worker; "" = none.
    std::string lldb_log;
    /// --memory-limit: the worker's address space while it reads a core, in MiB; 0 = 2 GiB plus
    /// four times the sizes of the core and its executable (memory_limit()).
    uint64_t memory_limit_mib = 0;
};

/// The address space a worker may use while it reads `core_bytes` of core with
/// `exe_bytes` of executable: LLDB sizes some allocations by lengths read from the core (a
/// segment's p_memsz zero-filled on the heap: 4 GiB of it took LLDB 4 GiB and 40 s), and the
/// limit turns such an allocation into a quick, clear failure of that core alone.
uint64_t memory_limit(const AnalyseOptions& options, uint64_t core_bytes, uint64_t exe_bytes);

/// One worker's LLDB: a debugger for the life of the worker, one target per core. The debugger
/// is never destroyed, and a core's target is let go only once its answer has been handed over
/// (`release`): on a corrupt executable LLDB can deadlock in its teardown after the report is
/// made (issue 13), so the worker ends with `_exit` and the parent bounds the release.
class Analyser {
public:
    /// Needs `SBDebugger::Initialize()` to have run in this process.
    explicit Analyser(AnalyseOptions options);
    Analyser(const Analyser&) = delete;
    Analyser& operator=(const Analyser&) = delete;

    /// `{"ok": true, "report": {...}, "text": "..."}` or `{"ok": false, "error": "one line"}`.
    /// Never throws. The core stays loaded until `release()`.
    nlohmann::json analyse(const std::string& core);
    /// Lets the last core's target and process go.
    void release();
    /// True once an exception came out of LLDB: its state is suspect (locks it held stay held),
    /// so the worker answers and then exits, and a fresh one takes the next core.
    bool spoilt() const { return m_spoilt; }

private:
    nlohmann::json analyse_checked(const std::string& core);
    void keep_executable(const std::string& exe, const std::string& build_id);

    AnalyseOptions m_options;
    ::lldb::SBDebugger m_debugger;
    /// One target per executable (path and build-id), kept for the life of the worker: LLDB's
    /// module cache holds a module, its symbols and its DWARF index while some target uses it,
    /// so every core of the same executable after the first opens without parsing it again
    /// (the first costs seconds on a big binary, the next ones milliseconds). seam's own DWARF is
    /// kept per file by DebugInfoCache::shared().
    std::map<std::string, ::lldb::SBTarget> m_executables;
    ::lldb::SBTarget m_core_target; ///< the last core's, until release()
    bool m_spoilt = false;
    uint64_t m_limit_mib = 0; ///< the limit set for the current core
};

} // namespace seam::cli
