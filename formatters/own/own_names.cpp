// Names of the graph's kinds (JSON, DOT and text share them) and how findings name nodes and
// the places pointers sit in.
#include <fmt/format.h>

#include "formatters/own/own_internal.h"

namespace seam::own {

const char* node_kind_name(NodeKind k) {
    switch (k) {
    case NodeKind::Frame:
        return "frame";
    case NodeKind::Static:
        return "static";
    case NodeKind::ThreadLocal:
        return "thread-local";
    case NodeKind::Expression:
        return "expression";
    case NodeKind::Allocation:
        return "allocation";
    case NodeKind::Object:
        return "object";
    }
    return "object";
}

const char* edge_kind_name(EdgeKind k) {
    switch (k) {
    case EdgeKind::Owns:
        return "owns";
    case EdgeKind::Shares:
        return "shares";
    case EdgeKind::Weak:
        return "weak";
    case EdgeKind::Borrows:
        return "borrows";
    case EdgeKind::BorrowsMut:
        return "borrows-mut";
    case EdgeKind::Raw:
        return "raw";
    case EdgeKind::C:
        return "c";
    case EdgeKind::Crossing:
        return "crossing";
    }
    return "raw";
}

const char* finding_kind_name(FindingKind k) {
    switch (k) {
    case FindingKind::Cycle:
        return "cycle";
    case FindingKind::DoubleOwner:
        return "double-owner";
    case FindingKind::BorrowConflict:
        return "borrow-conflict";
    case FindingKind::WriterAlive:
        return "writer-alive";
    case FindingKind::Crossing:
        return "crossing";
    case FindingKind::Unaccounted:
        return "unaccounted";
    case FindingKind::LockHeld:
        return "lock-held";
    }
    return "cycle";
}

bool keeps_alive(EdgeKind k) {
    return k == EdgeKind::Owns || k == EdgeKind::Shares || k == EdgeKind::Crossing;
}

std::string hex(uint64_t v) {
    return fmt::format("{:#x}", v);
}

std::string node_text(const Graph& g, NodeId id) {
    if (id >= g.nodes.size()) return fmt::format("<node {}>", id);
    const Node& n = g.nodes[id];
    switch (n.kind) {
    case NodeKind::Frame:
        return "frame " + n.label;
    case NodeKind::Static:
        return "static " + n.label;
    case NodeKind::ThreadLocal:
        return "thread-local " + n.label;
    case NodeKind::Expression:
        return "expression " + n.label;
    case NodeKind::Allocation:
    case NodeKind::Object:
        break;
    }
    std::string type = n.type_name.empty() ? std::string("memory") : n.type_name;
    return fmt::format("{} at {}", type, hex(n.address));
}

std::string place_text(const Graph& g, NodeId node, const std::string& path) {
    return path.empty() ? node_text(g, node) : node_text(g, node) + ": " + path;
}

std::string error_text(const Graph& g, const GraphError& e) {
    return place_text(g, e.node, e.path) + ": " + e.text;
}

std::string edge_place(const Graph& g, const Edge& e) {
    return place_text(g, e.from, e.path);
}

std::string pointer_word(const Edge& e) {
    std::string_view t = e.type_name;
    if (t.starts_with("&mut ")) return "&mut";
    if (t.starts_with("&")) return "&";
    auto lt = t.find('<');
    return std::string(lt == std::string_view::npos ? t : t.substr(0, lt));
}

std::string count_text(const Ownership& fact) {
    std::string s = fmt::format("strong {}", fact.strong.value_or(0));
    if (fact.weak) s += fmt::format(" weak {}", *fact.weak);
    return s;
}

std::string edge_note(const Edge& e) {
    std::string word = pointer_word(e);
    std::string out;
    switch (e.kind) {
    case EdgeKind::Shares:
    case EdgeKind::Weak:
        out = word.empty() ? edge_kind_name(e.kind) : word;
        if (e.kind == EdgeKind::Weak && word.find("Weak") == std::string::npos) out += " weak";
        if (e.strong) out += fmt::format(" strong {}", *e.strong);
        break;
    case EdgeKind::Owns:
        out = word.empty() ? "owns" : word;
        break;
    case EdgeKind::Crossing:
    case EdgeKind::C:
        out = edge_kind_name(e.kind);
        if (!word.empty()) out += ", " + word;
        break;
    default:
        out = word.empty() ? edge_kind_name(e.kind) : word;
        break;
    }
    if (!e.state.empty()) out += ", " + e.state;
    return "(" + out + ")";
}

} // namespace seam::own
