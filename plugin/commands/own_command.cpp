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

#include "formatters/core/container_hints.h"
#include "formatters/own/own_graph.h"
#include "formatters/render/json_text.h"
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
    "seam own [--frame|--thread|--process] [--json|--dot|--svg FILE] [--container TYPE.FIELD] "
    "[<variable path>]";
constexpr const char* k_own_help =
    "Who owns what: the ownership graph of the selected frame (--frame, the default), its "
    "thread (--thread) or the whole process with its statics (--process), with its findings "
    "(Rc/Arc cycles, double owners, RefCell conflicts, Rust allocations held by C, held locks, "
    "unaccounted counts). With a variable path: its fact, what it owns, and why it is alive; "
    "with --container TYPE.FIELD, of the TYPE that embeds the object the path points at (a C "
    "pointer to the C struct inside a Rust wrapper). --json, --dot, or --svg FILE (laid out by "
    "Graphviz).";

// Allocations listed under `owns:` for one value, before "... N more".
constexpr size_t k_owned_shown = 32;

enum class Output { Text, Json, Dot, Svg };

struct OwnRequest {
    seam::lldb::RootScope scope = seam::lldb::RootScope::Frame;
    Output output = Output::Text;
    std::string svg_path;
    std::string path;
    std::string container; ///< TYPE.FIELD: explain the TYPE that embeds what `path` points at
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
    app.add_option("--container", req.container,
                   "the path points at (or is) the FIELD member of a TYPE: explain that TYPE "
                   "(container_of)");
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
    if (!req.container.empty() && req.path.empty())
        return err("--container needs a variable path\nusage: {}", k_own_syntax);
    if (!req.path.empty()) req.scope = seam::lldb::RootScope::Process;
    if (json) req.output = Output::Json;
    if (dot) req.output = Output::Dot;
    if (!req.svg_path.empty()) req.output = Output::Svg;
    return req;
}

// A whole-process walk reads far more than one printed value: the budget grows with the graph's
// own limits, and Limits keeps the graph bounded.
// Nodes kept alive through `start` (edges), transitively along owns, shares and crossings,
// breadth first, each with the field path that leads there.
struct Owned {
    std::vector<std::pair<own::NodeId, std::string>> shown; ///< the first k_owned_shown
    size_t total = 0;
};

Owned owned_via(const own::Graph& g, const std::vector<own::EdgeId>& start) {
    std::vector<std::vector<const own::Edge*>> out_edges(g.nodes.size());
    for (const own::Edge& e : g.edges)
        if (own::keeps_alive(e.kind) && e.from < g.nodes.size()) out_edges[e.from].push_back(&e);
    std::vector<std::string> path(g.nodes.size());
    std::vector<bool> seen(g.nodes.size(), false);
    std::deque<own::NodeId> queue;
    Owned out;
    auto visit = [&](const own::Edge& e, const std::string& via) {
        if (e.to >= g.nodes.size() || seen[e.to]) return;
        seen[e.to] = true;
        path[e.to] = via.empty() ? e.path : via + " → " + e.path;
        ++out.total;
        if (out.shown.size() < k_owned_shown) out.shown.emplace_back(e.to, path[e.to]);
        queue.push_back(e.to);
    };
    for (own::EdgeId id : start) {
        if (id >= g.edges.size() || !own::keeps_alive(g.edges[id].kind)) continue;
        if (g.edges[id].from < g.nodes.size()) seen[g.edges[id].from] = true;
        visit(g.edges[id], "");
    }
    while (!queue.empty()) {
        own::NodeId n = queue.front();
        queue.pop_front();
        for (const own::Edge* e : out_edges[n]) visit(*e, path[n]);
    }
    return out;
}

std::vector<own::EdgeId> edges_from(const own::Graph& g, own::NodeId n,
                                    const std::string& prefix = {}) {
    std::vector<own::EdgeId> out;
    for (const own::Edge& e : g.edges) {
        if (e.from != n) continue;
        // A value held in a root: the root's edges whose path starts at the value's path.
        bool under = prefix.empty() || e.path == prefix ||
                     (e.path.starts_with(prefix) &&
                      (e.path[prefix.size()] == '.' || e.path[prefix.size()] == '['));
        if (under) out.push_back(e.id);
    }
    return out;
}

bool is_root(const own::Node& n) {
    return n.kind == own::NodeKind::Frame || n.kind == own::NodeKind::Static ||
           n.kind == own::NodeKind::ThreadLocal;
}

std::string node_line(const own::Node& n) {
    std::string s = fmt::format("0x{:x} {}", n.address, n.type_name.empty() ? "?" : n.type_name);
    if (n.size) s += fmt::format(" ({} bytes)", *n.size);
    return s;
}

// What `seam own PATH` says of one value.
struct Explanation {
    std::string line; ///< the value's tree line: type, name, summary, fact
    Ownership fact;
    std::optional<own::NodeId> node;    ///< the allocation that answers "why alive"
    bool inside = false;                ///< the value lies in `node` (no fact names it)
    std::optional<own::NodeId> held_by; ///< else the root whose memory holds the value
    Owned owns;
    std::vector<own::Chain> chains;
};

// The node that answers "why is this value alive": the allocation its fact names (what an Rc or
// Box points at), else the node whose memory holds the value itself (an allocation, or a
// static); a value in a frame's own memory is held by the frame `frame_label`. What it owns
// comes from `mine`, the graph of the value alone, so that its paths start at the value and
// nothing its neighbours in the same allocation own is counted.
Explanation explain(Context& ctx, const own::Graph& g, const own::Graph& mine, const Value& v,
                    const std::string& path, const std::string& frame_label) {
    Explanation x;
    Formatted f = ctx.format(v);
    x.fact = f.own;
    x.line = render_tree(ctx, v, path, 0);
    if (!x.line.empty() && x.line.back() == '\n') x.line.pop_back();
    for (const own::Node& n : mine.nodes)
        if (n.kind == own::NodeKind::Expression) x.owns = owned_via(mine, edges_from(mine, n.id));
    std::optional<own::NodeId> n;
    if (f.own.address != 0) n = own::node_at(g, f.own.address);
    if (!n && v.address) {
        n = own::node_at(g, *v.address);
        x.inside = n.has_value();
    }
    if (n && !is_root(g.nodes[*n])) {
        x.node = n;
        x.chains = own::why_alive(g, *n);
        return x;
    }
    if (!n)
        for (const own::Node& node : g.nodes)
            if (node.kind == own::NodeKind::Frame && node.label == frame_label) n = node.id;
    x.held_by = n;
    return x;
}

std::string explanation_text(const own::Graph& g, const own::Graph& mine, const Explanation& x) {
    std::string out = x.line + "\n";
    if (x.node)
        out += (x.inside ? "inside allocation: " : "allocation: ") + node_line(g.nodes[*x.node]) +
               "\n";
    else if (x.held_by)
        out += "held in place by: " + own::node_text(g, *x.held_by) + "\n";
    else
        out += "in no allocation or root seam found (registers, or memory no root reaches)\n";
    out +=
        fmt::format("owns: {}\n", x.owns.total == 0 ? std::string("nothing")
                                                    : fmt::format("{} allocation{}", x.owns.total,
                                                                  x.owns.total == 1 ? "" : "s"));
    for (const auto& [id, via] : x.owns.shown)
        out += fmt::format("  {}: {}\n", via, node_line(mine.nodes[id]));
    if (x.owns.total > x.owns.shown.size())
        out += fmt::format("  ... {} more\n", x.owns.total - x.owns.shown.size());
    if (x.held_by)
        out += "why alive: it lives in " + own::node_text(g, *x.held_by) + "\n";
    else if (x.node && x.chains.empty())
        out += "why alive: no chain of owners from any root (leaked, or held only by memory seam "
               "cannot type)\n";
    else if (x.node)
        out += "why alive:\n";
    for (const own::Chain& c : x.chains) out += "  " + own::chain_text(g, c) + "\n";
    return out;
}

nlohmann::json explanation_json(const own::Graph& g, const own::Graph& mine, const Explanation& x,
                                const std::string& path) {
    nlohmann::json owns = nlohmann::json::array(), chains = nlohmann::json::array();
    for (const auto& [id, via] : x.owns.shown) {
        const own::Node& n = mine.nodes[id];
        owns.push_back({{"path", via},
                        {"address", fmt::format("0x{:x}", n.address)},
                        {"type", n.type_name},
                        {"size", n.size ? nlohmann::json(*n.size) : nlohmann::json(nullptr)}});
    }
    for (const own::Chain& c : x.chains)
        chains.push_back({{"edges", c.edges}, {"text", own::chain_text(g, c)}});
    auto id_or_null = [](std::optional<own::NodeId> n) {
        return n ? nlohmann::json(*n) : nlohmann::json(nullptr);
    };
    return {{"schema", "seam.own-value/1"},
            {"expression", path},
            {"ownership", ownership_json(x.fact)},
            {"node", id_or_null(x.node)},
            {"held_by", id_or_null(x.held_by)},
            {"owns_total", x.owns.total},
            {"owns", std::move(owns)},
            {"why_alive", std::move(chains)}};
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
    Context ctx(mem, roots->info, builtin_registry(), seam::lldb::graph_budget());

    // `seam own PATH`: the value, read in the selected frame. Its chains come from every root
    // of the process; what it owns from a graph of its own (it never joins the process's roots,
    // where it would count as one more owner of what a root already owns).
    std::optional<Value> value;
    std::string frame_label;
    if (!req->path.empty()) {
        ::lldb::SBFrame frame = process.GetSelectedThread().GetSelectedFrame();
        auto scope = seam::lldb::frame_scope(frame, seam::lldb::DebugInfoCache::shared());
        if (!scope) return scope.error();
        auto v = seam::lldb::resolve_path(*scope, ctx, mem, req->path);
        if (v && !req->container.empty()) v = container_value(ctx, *v, req->container);
        if (!v) return v.error();
        value = *v;
        frame_label = seam::lldb::frame_label(*scope);
    }
    own::Limits limits;
    limits.whole_process = req->scope == seam::lldb::RootScope::Process;
    own::Graph g = own::build_graph(ctx, roots->roots, limits);
    own::Graph mine;
    std::optional<Explanation> x;
    if (value) {
        own::Root r;
        r.kind = own::NodeKind::Expression;
        r.label = req->path;
        r.name = req->path;
        r.value = *value;
        mine = own::build_graph(ctx, {r}, own::Limits{});
        x = explain(ctx, g, mine, *value, req->path, frame_label);
    }

    switch (req->output) {
    case Output::Dot:
        return own::render_dot(g);
    case Output::Svg: {
        auto svg = svg::dot_to_svg(own::render_dot(g));
        if (!svg) return svg.error();
        std::ofstream file(req->svg_path, std::ios::binary | std::ios::trunc);
        if (file) file << *svg;
        file.close();
        if (!file) return err("cannot write {}", req->svg_path);
        return fmt::format("wrote {} ({} nodes, {} edges, {} findings)\n", req->svg_path,
                           g.nodes.size(), g.edges.size(), g.findings.size());
    }
    case Output::Json: {
        nlohmann::json graph = nlohmann::json::parse(own::render_json(g), nullptr, false);
        if (graph.is_discarded()) return err("internal error: the graph's JSON does not parse");
        if (!x) return json_text(graph) + "\n";
        nlohmann::json j = explanation_json(g, mine, *x, req->path);
        j["graph"] = std::move(graph);
        return json_text(j) + "\n";
    }
    case Output::Text:
        break;
    }
    std::string out;
    if (x) {
        out = explanation_text(g, mine, *x);
        // The findings of the process are the user's next question.
        for (const own::Finding& fi : g.findings)
            out += fmt::format("{}: {}\n", own::finding_kind_name(fi.kind), fi.message);
        // A collection whose walk ended on an error: a chain may have run through what it left.
        for (const own::GraphError& e : g.errors) out += "error: " + own::error_text(g, e) + "\n";
    } else {
        out = own::render_text(g);
        if (!out.empty() && out.back() != '\n') out += '\n';
    }
    // Roots that could not be read are said, each on its line: a chain may run through one.
    for (const std::string& why : roots->skipped) out += "not read: " + why + "\n";
    if (!roots->frames_without_dwarf.empty())
        out += fmt::format("frames without debug info: {}\n",
                           fmt::join(roots->frames_without_dwarf, ", "));
    // render_text says it under the graph's head line; an explanation says it last.
    if (x && g.truncated) out += "truncated: " + g.truncated_reason + "\n";
    return out;
}

} // namespace

const CommandSpec k_own_command{"own", k_own_help, k_own_syntax, run_command};

} // namespace seam::plugin
