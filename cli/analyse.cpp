#include "cli/analyse.h"

#include <lldb/API/SBCommandInterpreter.h>
#include <lldb/API/SBCommandReturnObject.h>
#include <lldb/API/SBError.h>
#include <lldb/API/SBProcess.h>

#include <sys/resource.h>

#include <filesystem>
#include <new>

#include "formatters/render/json_text.h"
#include "formatters/report/core_file.h"
#include "plugin/lldb/core_preflight.h"
#include "plugin/lldb/report_collect.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SEAM_HAS_ASAN 1
#endif
#endif
#ifndef SEAM_HAS_ASAN
#define SEAM_HAS_ASAN 0
#endif

namespace seam::cli {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

json failure(std::string message) {
    return {{"ok", false}, {"error", std::move(message)}};
}

std::string render(const report::Report& r, report::Format format) {
    switch (format) {
    case report::Format::Text:
        return report::render_text(r);
    case report::Format::Markdown:
        return report::render_markdown(r);
    case report::Format::Json:
        return json_text(report::to_json(r), 2) + "\n";
    }
    return {};
}

// The executable to load, or why there is none.
Result<std::string> find_executable(const report::CoreExecutable& recorded,
                                    const std::string& given) {
    if (!given.empty()) {
        if (!fs::exists(given)) return err("executable not found: {} (--exe)", given);
        return given;
    }
    if (recorded.path.empty())
        return err("executable not found: the core records no executable path (use --exe)");
    if (!fs::exists(recorded.path))
        return err("executable not found: {} (the path the core records; use --exe)",
                   recorded.path);
    return recorded.path;
}

// An argument for LLDB's command line, which takes backslash escapes inside double quotes.
std::string quote_argument(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\' || c == '`' || c == '$') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string sb_message(const ::lldb::SBError& e) {
    const char* s = e.GetCString();
    return s && *s ? s : "unknown error";
}

} // namespace

Analyser::Analyser(AnalyseOptions options) : m_options(std::move(options)) {
    m_debugger = ::lldb::SBDebugger::Create(false);
    // Synchronous: LoadCore returns once the core's process is stopped.
    m_debugger.SetAsync(false);
    // Every SB API call seam makes (api) and anything LLDB parses, interprets or JIT-compiles as
    // an expression (expr), by file and function; appended, as every worker writes to the file.
    if (!m_options.lldb_log.empty()) {
        ::lldb::SBCommandReturnObject result;
        std::string command =
            "log enable -F -p -a -f " + quote_argument(m_options.lldb_log) + " lldb api expr";
        m_debugger.GetCommandInterpreter().HandleCommand(command.c_str(), result);
    }
}

void Analyser::keep_executable(const std::string& exe, const std::string& build_id) {
    std::string key = exe + "\n" + build_id;
    if (m_executables.contains(key)) return;
    ::lldb::SBError error;
    m_executables[key] = m_debugger.CreateTarget(exe.c_str(), nullptr, nullptr, true, error);
}

uint64_t memory_limit(const AnalyseOptions& options, uint64_t core_bytes, uint64_t exe_bytes) {
    constexpr uint64_t mib = 1 << 20;
    if (options.memory_limit_mib) return options.memory_limit_mib;
    return (uint64_t(2048) * mib + 4 * (core_bytes + exe_bytes) + mib - 1) / mib;
}

json Analyser::analyse_checked(const std::string& core) {
    auto recorded = report::read_core_executable(core);
    if (!recorded) return failure("cannot read core: " + recorded.error().message);
    auto exe = find_executable(*recorded, m_options.exe);
    if (!exe) return failure(exe.error().message);
    auto exe_id = report::read_build_id(*exe);
    if (!exe_id) return failure("cannot read executable: " + exe_id.error().message);
    if (Status same = report::check_build_ids(*recorded, *exe, *exe_id); !same)
        return failure(same.error().message);
    // The soft limit only: the next core may need a higher one.
    std::error_code ec;
    uint64_t core_bytes = fs::file_size(core, ec), exe_bytes = fs::file_size(*exe, ec);
    m_limit_mib = memory_limit(m_options, ec ? 0 : core_bytes, ec ? 0 : exe_bytes);
    // Not under AddressSanitizer (the sanitizer tree, tests/sanitize/run.sh): its shadow memory
    // is tens of TiB of address space, so any limit would fail every mapping. There the
    // runtime's own cap on one allocation stands in (max_allocation_size_mb in run.sh).
#if !defined(__SANITIZE_ADDRESS__) && !SEAM_HAS_ASAN
    rlimit as{};
    ::getrlimit(RLIMIT_AS, &as);
    as.rlim_cur = std::min<rlim_t>(as.rlim_max, rlim_t(m_limit_mib) << 20);
    ::setrlimit(RLIMIT_AS, &as);
#endif
    keep_executable(*exe, *exe_id);

    ::lldb::SBError error;
    m_core_target = m_debugger.CreateTarget(exe->c_str(), nullptr, nullptr, true, error);
    if (!m_core_target.IsValid()) return failure("cannot load " + *exe + ": " + sb_message(error));
    if (Status loads = seam::lldb::check_core_signals(m_debugger, *recorded); !loads)
        return failure(loads.error().message);
    ::lldb::SBProcess process = m_core_target.LoadCore(core.c_str(), error);
    if (!process.IsValid() || error.Fail())
        return failure("cannot open " + core + ": " + sb_message(error));
    if (process.GetNumThreads() == 0)
        return failure("the core holds no threads (corrupt or cut short?)");
    seam::lldb::ReportOptions ro;
    ro.signature_frames = m_options.signature_frames;
    ro.backtrace.full_names = m_options.full_names;
    ro.backtrace.max_frames = m_options.max_frames;
    auto r = seam::lldb::collect_report(process, core, ro);
    if (!r) return failure(r.error().message);
    if (exe_id->empty())
        r->warnings.push_back("the executable has no build-id: cannot check it matches the core");
    else if (recorded->build_id.empty())
        r->warnings.push_back("the core records no build-id: cannot check the executable matches");
    json out = {{"ok", true}, {"report", report::to_json(*r)}};
    if (m_options.render) out["text"] = render(*r, m_options.format);
    return out;
}

json Analyser::analyse(const std::string& core) {
    // An exception here came out of LLDB (seam's own code returns errors as values).
    try {
        return analyse_checked(core);
    } catch (const std::bad_alloc&) {
        m_spoilt = true;
        return failure(fmt::format(
            "out of memory: LLDB asked for more than this worker's {} MiB (--memory-limit) on "
            "this core; the core or its executable is corrupt (a length in it is far too large)",
            m_limit_mib));
    } catch (const std::exception& e) {
        m_spoilt = true;
        return failure(std::string("LLDB failed on this core: ") + e.what() +
                       "; the core or its executable is corrupt or unsupported");
    } catch (...) {
        m_spoilt = true;
        return failure("LLDB failed on this core (an unknown exception); the core or its "
                       "executable is corrupt or unsupported");
    }
}

void Analyser::release() {
    if (!m_core_target.IsValid()) return;
    // DeleteTarget ends the core's process; the executable's module stays in LLDB's cache,
    // held by its kept target.
    m_debugger.DeleteTarget(m_core_target);
    m_core_target = ::lldb::SBTarget();
}

} // namespace seam::cli
