// The graph as JSON, "seam.own/1" (docs/own-schema.md, docs/own.schema.json). Addresses are
// hex strings, as in the value JSON: JSON numbers lose 64-bit precision in many readers.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "formatters/own/own_internal.h"
#include "formatters/render/json_text.h"
#include "formatters/render/render.h"

namespace seam::own {
namespace {

nlohmann::json fact_json(const Ownership& o) {
    nlohmann::json j = ownership_json(o);
    if (o.weak_ref) j["weak_ref"] = true;
    if (o.guarded) j["guarded"] = hex(*o.guarded);
    return j;
}

nlohmann::json node_json(const Node& n) {
    nlohmann::json j;
    j["id"] = n.id;
    j["kind"] = node_kind_name(n.kind);
    if (n.kind != NodeKind::Frame) j["address"] = hex(n.address);
    if (n.size) j["size"] = *n.size;
    j["type"] = n.type_name;
    j["language"] = n.language;
    if (!n.label.empty()) j["label"] = n.label;
    if (n.frame_cfa) j["frame_cfa"] = hex(*n.frame_cfa);
    if (n.kind == NodeKind::Allocation || n.kind == NodeKind::Object) j["fact"] = fact_json(n.fact);
    j["walked"] = n.walked;
    return j;
}

nlohmann::json edge_json(const Edge& e) {
    nlohmann::json j;
    j["id"] = e.id;
    j["from"] = e.from;
    j["to"] = e.to;
    j["kind"] = edge_kind_name(e.kind);
    j["path"] = e.path;
    j["target"] = hex(e.target);
    j["type"] = e.type_name;
    if (e.strong) j["strong"] = *e.strong;
    if (e.weak) j["weak"] = *e.weak;
    if (!e.state.empty()) j["state"] = e.state;
    if (e.guarded) j["guarded"] = hex(*e.guarded);
    if (e.moved) j["moved"] = true;
    return j;
}

nlohmann::json site_json(const Site& s) {
    nlohmann::json j;
    j["node"] = s.node;
    j["path"] = s.path;
    j["address"] = hex(s.address);
    j["size"] = s.size;
    j["kind"] = own_kind_name(s.kind);
    j["state"] = s.state;
    j["poisoned"] = s.poisoned;
    j["type"] = s.type_name;
    return j;
}

} // namespace

std::string render_json(const Graph& g) {
    nlohmann::json j;
    j["schema"] = fmt::format("seam.own/{}", kSchemaVersion);
    j["truncated"] = g.truncated;
    if (g.truncated) j["truncated_reason"] = g.truncated_reason;
    j["unreadable"] = g.unreadable;
    j["nodes"] = nlohmann::json::array();
    for (const Node& n : g.nodes) j["nodes"].push_back(node_json(n));
    j["edges"] = nlohmann::json::array();
    for (const Edge& e : g.edges) j["edges"].push_back(edge_json(e));
    j["errors"] = nlohmann::json::array();
    for (const GraphError& e : g.errors)
        j["errors"].push_back({{"node", e.node}, {"path", e.path}, {"text", e.text}});
    j["sites"] = nlohmann::json::array();
    for (const Site& s : g.sites) j["sites"].push_back(site_json(s));
    j["findings"] = nlohmann::json::array();
    for (const Finding& f : g.findings)
        j["findings"].push_back({{"kind", finding_kind_name(f.kind)},
                                 {"message", f.message},
                                 {"nodes", f.nodes},
                                 {"edges", f.edges}});
    return json_text(j, 2);
}

} // namespace seam::own
