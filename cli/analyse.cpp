#include "cli/analyse.h"

#include <lldb/API/SBDebugger.h>
#include <lldb/API/SBTarget.h>

#include <filesystem>
#include <map>

#include "cli/core_file.h"
#include "plugin/lldb/report_collect.h"
#include "plugin/lldb/session.h"

namespace seam::cli {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

json failure(std::string message) {
    return {{"ok", false}, {"error", std::move(message)}};
}

// One target per executable (path and build-id) kept for the life of the worker: LLDB's module
// cache holds a module, its symbols and its DWARF index while some target uses it, so every
// core of the same executable after the first opens without parsing it again (the first costs
// seconds on a big binary, the next ones milliseconds). seam's own DWARF is kept per file by
// DebugInfoCache::shared().
void keep_target(const std::string& exe, const std::string& build_id) {
    static std::map<std::string, ::lldb::SBTarget> targets;
    static ::lldb::SBDebugger keeper;
    std::string key = exe + "\n" + build_id;
    if (targets.contains(key)) return;
    if (!keeper.IsValid()) keeper = ::lldb::SBDebugger::Create(false);
    ::lldb::SBError error;
    targets[key] = keeper.CreateTarget(exe.c_str(), nullptr, nullptr, true, error);
}

std::string render(const report::Report& r, report::Format format) {
    switch (format) {
    case report::Format::Text:
        return report::render_text(r);
    case report::Format::Markdown:
        return report::render_markdown(r);
    case report::Format::Json:
        return report::to_json(r).dump(2) + "\n";
    }
    return {};
}

// The executable to load, or why there is none.
Result<std::string> find_executable(const CoreExecutable& recorded, const std::string& given) {
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

json analyse(const std::string& core, const AnalyseOptions& options) {
    auto recorded = read_core_executable(core);
    if (!recorded) return failure("cannot read core: " + recorded.error().message);
    auto exe = find_executable(*recorded, options.exe);
    if (!exe) return failure(exe.error().message);
    auto exe_id = read_build_id(*exe);
    if (!exe_id) return failure("cannot read executable: " + exe_id.error().message);
    if (!recorded->build_id.empty() && !exe_id->empty() && recorded->build_id != *exe_id)
        return failure(fmt::format("build-id mismatch: the core was dumped by {} (build-id {}), "
                                   "but {} has build-id {}",
                                   recorded->path.empty() ? "its executable" : recorded->path,
                                   recorded->build_id, *exe, *exe_id));
    keep_target(*exe, *exe_id);

    auto session = seam::lldb::Session::open_core(*exe, core);
    if (!session) return failure(session.error().message);
    ::lldb::SBProcess process = (*session)->process();
    if (process.GetNumThreads() == 0)
        return failure("the core holds no threads (corrupt or cut short?)");
    seam::lldb::ReportOptions ro;
    ro.signature_frames = options.signature_frames;
    ro.backtrace.full_names = options.full_names;
    auto r = seam::lldb::collect_report(process, core, ro);
    if (!r) return failure(r.error().message);
    if (exe_id->empty())
        r->warnings.push_back("the executable has no build-id: cannot check it matches the core");
    else if (recorded->build_id.empty())
        r->warnings.push_back("the core records no build-id: cannot check the executable matches");
    json out = {{"ok", true}, {"report", report::to_json(*r)}};
    if (options.render) out["text"] = render(*r, options.format);
    return out;
}

} // namespace

json analyse_core(const std::string& core, const AnalyseOptions& options) {
    try {
        return analyse(core, options);
    } catch (const std::exception& e) {
        return failure(std::string("internal error: ") + e.what());
    } catch (...) {
        return failure("internal error: unknown exception");
    }
}

} // namespace seam::cli
