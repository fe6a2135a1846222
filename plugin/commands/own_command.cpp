#include <lldb/API/SBFrame.h>
#include <lldb/API/SBProcess.h>
#include <lldb/API/SBTarget.h>
#include <lldb/API/SBThread.h>

#include <CLI/CLI.hpp>

#include <deque>
#include <fstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "formatters/own/own_graph.h"
#include "formatters/render/render.h"
#include "formatters/svg/dot_svg.h"
#include "plugin/commands/commands.h"
#include "plugin/lldb/debug_info_cache.h"
#include "plugin/lldb/frame_values.h"
#include "plugin/lldb/own_roots.h"
#include "plugin/lldb/sb_memory.h"

namespace seam::plugin {

namespace {

constexpr const char* k_own_syntax =
    "seam own [--frame|--thread|--process] [--json|--dot|--svg FILE] [<variable path>]";
constexpr const char* k_own_help =
    "Who owns what: the ownership graph of the selected frame (--frame, the default), its "
    "thread (--thread) or the whole process with its statics (--process), with its findings "
    "(Rc/Arc cycles, double owners, RefCell conflicts, Rust allocations held by C, held locks, "
    "unaccounted counts). With a variable path: its fact, what it owns, and why it is alive. "
    "--json, --dot, or --svg FILE (laid out by Graphviz).";

// Allocations listed under `owns:` for one value, before "... N more".
constexpr size_t k_owned_shown = 32;

enum class Output { Text, Json, Dot, Svg };

struct OwnRequest {
    seam::lldb::RootScope scope = seam::lldb::RootScope::Frame;
    Output output = Output::Text;
    std::string svg_path;
    std::string path;
    std::optional<std::string> help_text;
};

Result<OwnRequest> parse(const std::vector<std::string>& args) {
    OwnRequest req;
    CLI::App app{"The ownership graph, or why one value is alive.", "seam own"};
    bool frame = false, thread = false, process = false, json = false, dot = false;
    auto* scopes = app.add_option_group("roots");
    scopes->add_flag("--frame", frame, "the selected frame's variables (default)");
    scopes->add_flag("--thread", thread, "every frame of the selected thread");
    scopes->add_flag("--process", process, "every thread, and the statics of every module");
    scopes->require_option(0, 1);
    auto* outputs = app.add_option_group("output");
    outputs->add_flag("--json", json, "one JSON object (schema seam.own/1)");
    outputs->add_flag("--dot", dot, "Graphviz DOT");
    outputs->add_option("--svg", req.svg_path, "write an SVG laid out by Graphviz to FILE");
    outputs->require_option(0, 1);
    app.add_option("path", req.path, "variable path: a, a.b, a.0, a[3], a->b, *a");
    auto help = parse_options(app, args, k_own_syntax);
    if (!help) {
        if (help.error().message.find("at most 1") != std::string::npos)
            return err("choose one of --frame, --thread, --process and one of --json, --dot, "
                       "--svg\nusage: {}",
                       k_own_syntax);
        return help.error();
    }
    if (*help) {
        req.help_text = **help;
        return req;
    }
    if (thread) req.scope = seam::lldb::RootScope::Thread;
    if (process) req.scope = seam::lldb::RootScope::Process;
    if (!req.path.empty() && (frame || thread))
        return err("a variable's chains come from every root of the process: drop --frame and "
                   "--thread, or the path\nusage: {}",
                   k_own_syntax);
    if (!req.path.empty()) req.scope = seam::lldb::RootScope::Process;
    if (json) req.output = Output::Json;
    if (dot) req.output = Output::Dot;
    if (!req.svg_path.empty()) req.output = Output::Svg;
    return req;
}

// A whole-process walk reads far more than one printed value: the budget grows with the graph's
// own limits, and Limits keeps the graph bounded.
Budget graph_budget() {
    return {.max_bytes = 1ull << 30, .max_elements = 1ull << 26, .max_children = 1ull << 24};
}

// Nodes kept alive by `from` (its owns, shares and crossings, transitively), breadth first,
// each with the field path that leads there from `from`.
std::vector<std::pair<own::NodeId, std::string>> owned_from(const own::Graph& g, own::NodeId from,
                                                            size_t limit, size_t& total) {
    std::vector<std::vector<const own::Edge*>> out_edges(g.nodes.size());
    for (const own::Edge& e : g.edges)
        if (own::keeps_alive(e.kind) && e.from < g.nodes.size()) out_edges[e.from].push_back(&e);
    std::vector<std::string> path(g.nodes.size());
    std::vector<bool> seen(g.nodes.size(), false);
    std::vector<std::pair<own::NodeId, std::string>> out;
    std::deque<own::NodeId> queue{from};
    seen[from] = true;
    total = 0;
    while (!queue.empty()) {
        own::NodeId n = queue.front();
        queue.pop_front();
        for (const own::Edge* e : out_edges[n]) {
            if (e->to >= g.nodes.size() || seen[e->to]) continue;
            seen[e->to] = true;
            path[e->to] = path[n].empty() ? e->path : path[n] + " → " + e->path;
            ++total;
            if (out.size() < limit) out.emplace_back(e->to, path[e->to]);
            queue.push_back(e->to);
        }
    }
    return out;
}

std::string node_line(const own::Node& n) {
    std::string s = fmt::format("0x{:x} {}", n.address, n.type_name.empty() ? "?" : n.type_name);
    if (n.size) s += fmt::format(" ({} bytes)", *n.size);
    return s;
}

// The node that answers "why is this value alive": the allocation its fact names (what an Rc or
// Box points at), else the allocation that holds the value itself.
std::optional<own::NodeId> value_node(const own::Graph& g, const Ownership& fact, const Value& v) {
    if (fact.address != 0)
        if (auto n = own::node_at(g, fact.address)) return n;
    if (v.address)
        if (auto n = own::node_at(g, *v.address)) return n;
    return std::nullopt;
}

struct Explained {
    std::string text;
    nlohmann::json json;
};

Explained explain_value(Context& ctx, const own::Graph& g, const Value& v,
                        const std::string& path) {
    Explained out;
    Formatted f = ctx.format(v);
    out.text = render_tree(ctx, v, path, 0);
    if (out.text.empty() || out.text.back() != '\n') out.text += '\n';
    out.json = {{"expression", path},
                {"kind", own_kind_name(f.own.kind)},
                {"address", f.own.address},
                {"node", nullptr},
                {"owns", nlohmann::json::array()},
                {"why_alive", nlohmann::json::array()}};
    auto node = value_node(g, f.own, v);
    if (!node) {
        out.text += v.address ? fmt::format("not on the heap: 0x{:x} is in no allocation of the "
                                            "graph (a local or static holds it in place)\n",
                                            *v.address)
                              : "not in memory: the value lives in registers\n";
        return out;
    }
    out.json["node"] = *node;
    out.text += "allocation: " + node_line(g.nodes[*node]) + "\n";
    size_t total = 0;
    auto owned = owned_from(g, *node, k_owned_shown, total);
    out.text +=
        fmt::format("owns: {}\n", total == 0 ? "nothing"
                                             : std::to_string(total) +
                                                   (total == 1 ? " allocation" : " allocations"));
    for (const auto& [id, via] : owned) {
        out.text += fmt::format("  {}: {}\n", via, node_line(g.nodes[id]));
        out.json["owns"].push_back({{"node", id}, {"path", via}});
    }
    if (total > owned.size()) out.text += fmt::format("  ... {} more\n", total - owned.size());
    auto chains = own::why_alive(g, *node);
    out.text += chains.empty() ? "why alive: no chain of owners from any root (leaked, or held "
                                 "only by memory seam cannot type)\n"
                               : "why alive:\n";
    for (const own::Chain& c : chains) {
        std::string line = own::chain_text(g, c);
        out.text += "  " + line + "\n";
        out.json["why_alive"].push_back({{"edges", c.edges}, {"text", line}});
    }
    return out;
}

Result<std::string> run_command(::lldb::SBDebugger& debugger,
                                const std::vector<std::string>& args) {
    auto req = parse(args);
    if (!req) return req.error();
    if (req->help_text) return *req->help_text;
    ::lldb::SBProcess process = debugger.GetSelectedTarget().GetProcess();
    seam::lldb::SBMemoryReader mem(process, process.GetTarget());
    auto roots = seam::lldb::collect_roots(process, req->scope, mem);
    if (!roots) return roots.error();
    Context ctx(mem, roots->info, builtin_registry(), graph_budget());

    // `seam own PATH`: the value joins the roots, so that what it owns is in the graph even
    // when no root reaches it (`*raw`); its chains come from the other roots only.
    std::optional<Value> value;
    if (!req->path.empty()) {
        ::lldb::SBFrame frame = process.GetSelectedThread().GetSelectedFrame();
        auto scope = seam::lldb::frame_scope(frame, seam::lldb::DebugInfoCache::shared());
        if (!scope) return scope.error();
        auto v = seam::lldb::resolve_path(*scope, ctx, mem, req->path);
        if (!v) return v.error();
        value = *v;
        // A variable of the frame is a root already (with --process, every frame is).
        bool bare_variable = req->path.find_first_of(".[*->") == std::string::npos;
        if (!bare_variable) {
            own::Root r;
            r.kind = own::NodeKind::Expression;
            r.label = req->path;
            r.name = req->path;
            r.value = *v;
            roots->roots.push_back(std::move(r));
        }
    }
    own::Limits limits;
    limits.whole_process = req->scope == seam::lldb::RootScope::Process;
    own::Graph g = own::build_graph(ctx, roots->roots, limits);

    switch (req->output) {
    case Output::Dot:
        return own::render_dot(g);
    case Output::Svg: {
        auto svg = svg::dot_to_svg(own::render_dot(g));
        if (!svg) return svg.error();
        std::ofstream file(req->svg_path, std::ios::binary | std::ios::trunc);
        if (!file) return err("cannot write {}", req->svg_path);
        file << *svg;
        file.close();
        if (!file) return err("cannot write {}", req->svg_path);
        return fmt::format("wrote {} ({} nodes, {} edges, {} findings)\n", req->svg_path,
                           g.nodes.size(), g.edges.size(), g.findings.size());
    }
    case Output::Json: {
        nlohmann::json graph = nlohmann::json::parse(own::render_json(g), nullptr, false);
        if (graph.is_discarded()) return err("internal error: the graph's JSON does not parse");
        if (!value) return graph.dump() + "\n";
        nlohmann::json j = explain_value(ctx, g, *value, req->path).json;
        j["graph"] = std::move(graph);
        j = {{"schema", "seam.own-value/1"}, {"value", std::move(j)}};
        return j.dump() + "\n";
    }
    case Output::Text:
        break;
    }
    std::string out;
    if (value)
        out = explain_value(ctx, g, *value, req->path).text;
    else
        out = own::render_text(g);
    if (!out.empty() && out.back() != '\n') out += '\n';
    if (value) {
        // The findings the value's chains touch are the user's next question.
        for (const own::Finding& fi : g.findings)
            out += fmt::format("{}: {}\n", own::finding_kind_name(fi.kind), fi.message);
    }
    // Roots that could not be read are said, each on its line: a chain may run through one.
    for (const std::string& why : roots->skipped) out += "not read: " + why + "\n";
    if (!roots->frames_without_dwarf.empty())
        out += fmt::format("frames without debug info: {}\n",
                           fmt::join(roots->frames_without_dwarf, ", "));
    if (g.truncated) out += "truncated: " + g.truncated_reason + "\n";
    return out;
}

} // namespace

const CommandSpec k_own_command{"own", k_own_help, k_own_syntax, run_command};

} // namespace seam::plugin
