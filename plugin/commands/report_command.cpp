#include <lldb/API/SBProcess.h>
#include <lldb/API/SBTarget.h>

#include <CLI/CLI.hpp>

#include "formatters/render/json_text.h"
#include "plugin/commands/commands.h"
#include "plugin/lldb/report_collect.h"

namespace seam::plugin {

namespace {

constexpr const char* k_report_syntax =
    "seam report [--format text|markdown|json] [--json] [--signature-frames N] [--full-names]";
constexpr const char* k_report_help =
    "Crash report of the current process or core: stop reason and classification, panic "
    "message, the stopped thread's mixed backtrace with boundary markers, the other threads "
    "folded, the locals of the first user frames with ownership facts, and a crash signature "
    "(a hash of the top user frames' names, generic arguments collapsed). --full-names: whole "
    "function names in the text. --json: schema seam.report/1 (docs/report-schema.md).";

struct ReportRequest {
    std::string format = "text";
    bool json = false;
    bool full_names = false;
    size_t signature_frames = report::k_signature_frames;
    bool help = false;
    std::string help_text;
};

// CLI11 reports parse errors by throwing; they stay inside this function.
Result<ReportRequest> parse(const std::vector<std::string>& args) {
    ReportRequest req;
    CLI::App app{"Crash report of the current process or core.", "seam report"};
    app.add_option("--format", req.format, "text, markdown or json")
        ->check(CLI::IsMember({"text", "markdown", "json"}));
    app.add_flag("--json", req.json, "same as --format json");
    app.add_flag("--full-names", req.full_names,
                 "whole function names, generic arguments and all (default: collapsed to <…>)");
    app.add_option("--signature-frames", req.signature_frames,
                   "frames a signature shows (its hash covers the key: docs/seam-report.md)")
        ->check(CLI::Range(size_t(1), size_t(64)));
    auto help = parse_options(app, args, k_report_syntax);
    if (!help) return help.error();
    req.help = help->has_value();
    req.help_text = help->value_or("");
    if (req.json) req.format = "json";
    return req;
}

// LLDB's SB API does not say which file a core process was loaded from: the report's `core`
// stays null here, and its executable and stop say where it comes from.
Result<std::string> run_command(::lldb::SBDebugger& debugger,
                                const std::vector<std::string>& args) {
    auto req = parse(args);
    if (!req) return req.error();
    if (req->help) return req->help_text;
    seam::lldb::ReportOptions options;
    options.signature_frames = req->signature_frames;
    options.backtrace.full_names = req->full_names;
    auto r = seam::lldb::collect_report(debugger.GetSelectedTarget().GetProcess(), "", options);
    if (!r) return r.error();
    if (req->format == "json") return json_text(report::to_json(*r)) + "\n";
    if (req->format == "markdown") return report::render_markdown(*r);
    return report::render_text(*r);
}

} // namespace

const CommandSpec k_report_command{"report", k_report_help, k_report_syntax, run_command};

} // namespace seam::plugin
