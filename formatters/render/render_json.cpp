// The "seam.value/1" JSON form of a value (docs/value-schema.md).
#include <string>

#include <fmt/format.h>

#include "formatters/render/render.h"
#include "formatters/render/render_children.h"
#include "formatters/render/summary_line.h"

namespace seam {
namespace {

constexpr const char* kSchema = "seam.value/1";

const char* shape_name(Shape s) {
    switch (s) {
    case Shape::Leaf:
        return "leaf";
    case Shape::Struct:
        return "struct";
    case Shape::Tuple:
        return "tuple";
    case Shape::List:
        return "list";
    case Shape::Set:
        return "set";
    case Shape::Map:
        return "map";
    case Shape::Transparent:
        return "transparent";
    case Shape::Error:
        return "error";
    }
    return "leaf";
}

} // namespace

// Only the facts present: a consumer tells "no weak count known" from "0 weak references".
nlohmann::json ownership_json(const Ownership& o) {
    nlohmann::json j;
    j["kind"] = own_kind_name(o.kind);
    if (o.address) j["address"] = fmt::format("0x{:x}", o.address);
    if (o.size) j["size"] = *o.size;
    if (o.length) j["length"] = *o.length;
    if (o.capacity) j["capacity"] = *o.capacity;
    if (o.strong) j["strong"] = *o.strong;
    if (o.weak) j["weak"] = *o.weak;
    if (!o.state.empty()) j["state"] = o.state;
    // A lock's poisoned flag is a fact either way; elsewhere it is only worth saying when set.
    if (o.kind == OwnKind::Lock || o.poisoned) j["poisoned"] = o.poisoned;
    if (!o.note.empty()) j["note"] = o.note;
    return j;
}

namespace {

class JsonRenderer {
public:
    JsonRenderer(Context& ctx, unsigned max_depth, const SummaryLimits& limits)
        : m_ctx(ctx), m_max_depth(max_depth), m_limits(limits) {}

    nlohmann::json node(const Formatted& f, unsigned level) {
        nlohmann::json j;
        j["type"] = f.type_name;
        j["formatter"] = f.formatter ? nlohmann::json(std::string(f.formatter->name())) : nullptr;
        j["shape"] = shape_name(f.shape);
        j["debug"] = render_debug(m_ctx, f, false);
        // The line LLDB shows (under `m_limits`, its settings): one function gives both.
        j["summary"] = render_summary_line(m_ctx, f, m_limits);
        if (f.shape == Shape::Error) j["error"] = f.text;
        j["ownership"] = ownership_json(f.own);
        j["count"] = f.count;
        if (level < m_max_depth && f.count > 0) children(f, level + 1, j);
        return j;
    }

private:
    void children(const Formatted& f, unsigned level, nlohmann::json& j) {
        nlohmann::json list = nlohmann::json::array();
        ChildWalk w = walk_children(m_ctx, f, [&](uint64_t i, const Child& c) {
            nlohmann::json entry;
            // A pointee is `*`, as in the tree and in LLDB's `*p`.
            std::string label = f.shape == Shape::Transparent ? "*" : fmt::format("[{}]", i);
            entry["label"] = c.label.empty() ? label : c.label;
            if (f.shape == Shape::Map) {
                entry["key"] = node(m_ctx.format(c.value), level);
                entry["value"] =
                    c.map_value ? node(m_ctx.format(*c.map_value), level)
                                : node(error_value("<error: map entry without a value>"), level);
            } else {
                entry["value"] = node(m_ctx.format(c.value), level);
            }
            list.push_back(std::move(entry));
            return true;
        });
        j["children"] = std::move(list);
        if (w.more > 0) j["more"] = w.more;
    }

    Context& m_ctx;
    unsigned m_max_depth;
    SummaryLimits m_limits;
};

} // namespace

nlohmann::json render_json(Context& ctx, const Value& v, const std::string& name,
                           unsigned max_depth, const SummaryLimits& limits) {
    JsonRenderer r(ctx, max_depth, limits);
    nlohmann::json j = r.node(ctx.format(v), 0);
    j["schema"] = kSchema;
    j["name"] = name;
    return j;
}

} // namespace seam
