#include <lldb/API/SBProcess.h>
#include <lldb/API/SBTarget.h>

#include <CLI/CLI.hpp>

#include "formatters/render/json_text.h"
#include "plugin/commands/commands.h"
#include "plugin/lldb/backtrace_collect.h"

namespace seam::plugin {

namespace {

constexpr const char* k_bt_syntax = "seam bt [--full] [--full-names] [--all] [--json]";
constexpr const char* k_bt_help =
    "Backtrace across the C/Rust boundary: each frame's language, crate or library, clean name, "
    "location and arguments (read from the DWARF); `Rust -> C` and `C -> Rust` markers where "
    "the language changes, the Rust frame that called C tagged [wrapper]; "
    "runtime frames folded unless --full. Generic arguments are collapsed to <…> unless "
    "--full-names. --all: every thread. --json: schema seam.backtrace/1.";

struct BtRequest {
    bool full = false;
    bool full_names = false;
    bool all = false;
    bool json = false;
    bool help = false;
    std::string help_text;
};

// CLI11 reports parse errors by throwing; they stay inside this function.
Result<BtRequest> parse(const std::vector<std::string>& args) {
    BtRequest req;
    CLI::App app{"Backtrace across the C/Rust boundary.", "seam bt"};
    app.add_flag("--full", req.full, "show runtime frames instead of folding them");
    app.add_flag("--full-names", req.full_names,
                 "whole function names, generic arguments and all (default: collapsed to <…>)");
    app.add_flag("--all", req.all, "every thread");
    app.add_flag("--json", req.json, "one JSON object (schema seam.backtrace/1)");
    auto help = parse_options(app, args, k_bt_syntax);
    if (!help) return help.error();
    req.help = help->has_value();
    req.help_text = help->value_or("");
    return req;
}

Result<std::string> run_command(::lldb::SBDebugger& debugger,
                                const std::vector<std::string>& args) {
    auto req = parse(args);
    if (!req) return req.error();
    if (req->help) return req->help_text;
    seam::lldb::BacktraceOptions options;
    auto traces = seam::lldb::collect_backtraces(debugger.GetSelectedTarget().GetProcess(),
                                                 req->all, options);
    if (!traces) return traces.error();
    if (req->json) return json_text(bt::render_json(*traces)) + "\n";
    std::string out;
    for (size_t i = 0; i < traces->size(); ++i) {
        if (i) out += "\n";
        out += bt::render_text((*traces)[i], {.full = req->full, .full_names = req->full_names});
    }
    return out;
}

} // namespace

const CommandSpec k_bt_command{"bt", k_bt_help, k_bt_syntax, run_command};

} // namespace seam::plugin
