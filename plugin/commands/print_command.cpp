#include <lldb/API/SBFrame.h>
#include <lldb/API/SBProcess.h>
#include <lldb/API/SBTarget.h>
#include <lldb/API/SBThread.h>

#include <CLI/CLI.hpp>

#include <algorithm>

#include <fmt/format.h>

#include "plugin/commands/commands.h"
#include "plugin/lldb/printing.h"
#include "plugin/summary_settings.h"

namespace seam::plugin {

namespace {

constexpr const char* k_print_syntax =
    "seam print [--tree|--debug|--pretty|--json] [--depth N] [--stats] [--container TYPE.FIELD] "
    "[<variable path>]";
constexpr const char* k_print_help =
    "Prints a variable of the selected frame as seam reads it from the DWARF: --tree "
    "(default), --debug ({:?}), --pretty ({:#?}) or --json. No path prints every variable. --stats "
    "adds a line with the engine's memory reads, bytes "
    "read and the heap allocations the value owns. --container TYPE.FIELD shows a C list head as "
    "the list of the TYPE structs its FIELD links, or a pointer to a FIELD member as the TYPE "
    "that embeds it (container_of).";

struct PrintRequest {
    seam::lldb::PrintOptions options;
    std::string path;
    bool help = false;
    bool stats = false;
    std::string help_text;
};

// CLI11 reports parse errors by throwing; they stay inside this function.
Result<PrintRequest> parse(const std::vector<std::string>& args) {
    PrintRequest req;
    CLI::App app{"Prints a variable of the selected frame.", "seam print"};
    bool debug = false, pretty = false, tree = false, json = false;
    auto* group = app.add_option_group("format");
    group->add_flag("--debug", debug, "Rust's {:?}");
    group->add_flag("--pretty", pretty, "Rust's {:#?}");
    group->add_flag("--tree", tree, "a tree of summaries with ownership facts (default)");
    group->add_flag("--json", json, "one JSON object");
    group->require_option(0, 1);
    app.add_option("--depth", req.options.depth, "levels of children for --tree and --json")
        ->check(CLI::Range(0u, 1000u));
    app.add_flag("--stats", req.stats,
                 "after the value, one line: memory reads, bytes read, allocations owned, and the "
                 "reads that went straight to a live local process");
    app.add_option("--container", req.options.container,
                   "TYPE.FIELD: a list head as a list of TYPE linked by FIELD, or a pointer to a "
                   "FIELD member as its TYPE (container_of)");
    app.add_option("path", req.path, "variable path: a, a.b, a.0, a[3], a->b, *a");
    auto help = parse_options(app, args, k_print_syntax);
    if (!help) {
        // CLI11's words for two formats at once say nothing of formats.
        if (help.error().message.find("at most 1") != std::string::npos)
            return err("choose one of --tree, --debug, --pretty, --json");
        return help.error();
    }
    if (*help) {
        req.help = true;
        req.help_text = **help;
        return req;
    }
    if (debug)
        req.options.format = seam::lldb::PrintFormat::Debug;
    else if (pretty)
        req.options.format = seam::lldb::PrintFormat::Pretty;
    else if (json)
        req.options.format = seam::lldb::PrintFormat::Json;
    else
        req.options.format = seam::lldb::PrintFormat::Tree;
    return req;
}

Result<std::string> run_command(::lldb::SBDebugger& debugger,
                                const std::vector<std::string>& args) {
    auto req = parse(args);
    if (!req) return req.error();
    if (req->help) return req->help_text;
    ::lldb::SBProcess process = debugger.GetSelectedTarget().GetProcess();
    if (!process.IsValid())
        return err("no process: seam print needs a stopped process or a core file");
    if (process.GetState() != ::lldb::eStateStopped)
        return err("the process is running: stop it before seam print");
    ::lldb::SBFrame frame = process.GetSelectedThread().GetSelectedFrame();
    if (!frame.IsValid()) return err("no frame selected");
    seam::lldb::PrintStats stats;
    if (req->stats) req->options.stats = &stats;
    // The summary lines of --tree and --json are the ones frame variable shows beside each
    // value, under this session's target.max-children-count and max-string-summary-length.
    SummarySettings settings = summary_settings(process.GetTarget());
    req->options.summary = {.max_items = settings.max_children, .max_string = settings.max_string};
    if (!req->options.container.empty() && req->path.empty())
        return err("--container needs a variable path");
    auto out = req->path.empty() ? seam::lldb::print_frame(frame, req->options)
                                 : seam::lldb::print_path(frame, req->path, req->options);
    if (!out || !req->stats) return out;
    // Counted by the engine: LLDB's own memory cache may serve several of these reads from one
    // round trip to the process. `direct`: reads that reached a live local process without
    // lldb-server (plugin/lldb/local_memory.h).
    return *out +
           fmt::format("seam stats: reads={} bytes={} allocations={} elements={} direct={}\n",
                       stats.usage.reads, stats.usage.bytes, stats.allocations,
                       stats.usage.elements, stats.direct_reads);
}

} // namespace

const CommandSpec k_print_command{"print", k_print_help, k_print_syntax, run_command};

} // namespace seam::plugin
