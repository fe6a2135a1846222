#include <lldb/API/SBBreakpoint.h>
#include <lldb/API/SBProcess.h>
#include <lldb/API/SBTarget.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "formatters/render/json_text.h"
#include "plugin/commands/commands.h"
#include "plugin/lldb/stop_facts.h"

namespace seam::plugin {

namespace {

constexpr const char* k_panic_syntax = "seam panic [--json] [--break] [--full-names]";
constexpr const char* k_panic_help =
    "Why the thread stopped: a Rust panic (unwind or abort) with its message and location read "
    "from memory, a panic that could not unwind through extern \"C\", abort() in C, a fault in C "
    "called from Rust, a stack overflow, an allocator abort, an exit. --json: the "
    "classification object. --break: stop every later panic before it unwinds (breakpoints on "
    "std's rust_panic and on abort-strategy panics' __rust_start_panic). --full-names: whole "
    "function names (default: generic arguments collapsed to <…>).";

struct PanicRequest {
    bool json = false;
    bool set_break = false;
    bool full_names = false;
    bool help = false;
    std::string help_text;
};

Result<PanicRequest> parse(const std::vector<std::string>& args) {
    PanicRequest req;
    CLI::App app{"Why the thread stopped.", "seam panic"};
    app.add_flag("--json", req.json, "the classification as one JSON object");
    app.add_flag("--break", req.set_break, "break on every panic before it unwinds");
    app.add_flag("--full-names", req.full_names,
                 "whole function names, generic arguments and all (default: collapsed to <…>)");
    auto help = parse_options(app, args, k_panic_syntax);
    if (!help) return help.error();
    req.help = help->has_value();
    req.help_text = help->value_or("");
    return req;
}

// std (1.95) names it `__rustc::rust_panic` (an unmangled `rust_panic` before 1.88): the last
// frame before the panic runtime unwinds, with the hook's message formatted and still in the
// payload on the stack. The regex takes both spellings.
Result<std::string> set_breakpoints(::lldb::SBTarget target) {
    if (!target.IsValid()) return err("no target: create one before seam panic --break");
    ::lldb::SBBreakpoint bp = target.BreakpointCreateByRegex("(^|::)rust_panic$");
    if (!bp.IsValid()) return err("could not set a breakpoint on rust_panic");
    return fmt::format("Breakpoint {}: rust_panic ({} location{}): panics stop before they "
                       "unwind.\n",
                       bp.GetID(), bp.GetNumLocations(), bp.GetNumLocations() == 1 ? "" : "s");
}

std::string frame_line(const bt::Backtrace& bt, size_t i, bool full_names) {
    const bt::Frame& f = bt.frames[i];
    std::string s = fmt::format("frame #{} {}", f.raw.index, bt::shown_name(f, full_names));
    if (!f.raw.file.empty()) s += fmt::format(" at {}:{}", f.raw.file, f.raw.line);
    return s;
}

// `message:`, `location:` and `missing:` lines of one panic, each line after `indent`.
std::string panic_lines(const crash::Panic& p, std::string_view indent) {
    std::string out = p.message
                          ? fmt::format("{}message:  {}\n", indent, *p.message)
                          : fmt::format("{}message:  <not recovered: {}>\n", indent, p.missing);
    if (p.location)
        out += fmt::format("{}location: {}:{}:{}", indent, p.location->file, p.location->line,
                           p.location->column);
    else
        out += fmt::format("{}location: <not recovered>", indent);
    // A location that is not the panic's own says where it came from.
    out += p.location && p.location_source == "frame" ? " (the frame's line)\n" : "\n";
    if (p.message && !p.missing.empty()) out += fmt::format("{}missing:  {}\n", indent, p.missing);
    return out;
}

std::string render_text(const seam::lldb::ThreadVerdict& v, bool full_names) {
    const crash::Classification& c = v.classification;
    std::string out = fmt::format("{}: {}\n", crash::kind_name(c.kind), c.headline);
    if (c.panic) {
        const crash::Panic& p = *c.panic;
        if (!p.strategy.empty()) out += fmt::format("  strategy: {}\n", p.strategy);
        // The root cause first, then std's abort.
        if (c.original) {
            out += "  original panic (could not unwind):\n" + panic_lines(*c.original, "    ");
            out += "  then:\n" + panic_lines(p, "    ");
        } else {
            out += panic_lines(p, "  ");
        }
    }
    if (c.culprit_frame)
        out += "  culprit:  " + frame_line(v.backtrace, *c.culprit_frame, full_names) + "\n";
    if (c.last_rust_frame)
        out +=
            "  last Rust frame: " + frame_line(v.backtrace, *c.last_rust_frame, full_names) + "\n";
    for (const std::string& e : c.evidence) out += "  evidence: " + e + "\n";
    return out;
}

Result<std::string> run_command(::lldb::SBDebugger& debugger,
                                const std::vector<std::string>& args) {
    auto req = parse(args);
    if (!req) return req.error();
    if (req->help) return req->help_text;
    ::lldb::SBTarget target = debugger.GetSelectedTarget();
    if (req->set_break) return set_breakpoints(target);
    ::lldb::SBProcess process = target.GetProcess();
    auto verdict = seam::lldb::classify_thread(process, seam::lldb::crashing_thread(process),
                                               {.arguments = false, .full_names = req->full_names});
    if (!verdict) return verdict.error();
    if (req->json) return json_text(crash::to_json(verdict->classification)) + "\n";
    return render_text(*verdict, req->full_names);
}

} // namespace

const CommandSpec k_panic_command{"panic", k_panic_help, k_panic_syntax, run_command};

} // namespace seam::plugin
