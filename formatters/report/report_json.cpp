// The `seam.report/1` object (docs/report-schema.md, docs/report.schema.json), and the brief a
// batch line reads back from it.
#include "formatters/report/report.h"

namespace seam::report {

namespace {

using json = nlohmann::json;

json or_null(const std::string& s) {
    return s.empty() ? json() : json(s);
}

json classification(const Verdict& v) {
    // The classifier's own object (crash::to_json) when there is one; `kind` and `headline`
    // are always present, whatever else it holds.
    json j = v.json.is_object() ? v.json : json::object();
    j["kind"] = v.kind.empty() ? "unknown" : v.kind;
    j["headline"] = v.headline;
    return j;
}

json original(const std::optional<PanicFacts>& p) {
    if (!p) return json();
    return {{"message", p->message ? json(*p->message) : json()},
            {"location", p->location ? json(*p->location) : json()},
            {"location_source", or_null(p->location_source)},
            {"missing", or_null(p->missing)}};
}

json panic(const Verdict& v) {
    if (!v.panic_message && !v.panic_location && v.panic_missing.empty()) return json();
    return {{"message", v.panic_message ? json(*v.panic_message) : json()},
            {"location", v.panic_location ? json(*v.panic_location) : json()},
            {"missing", or_null(v.panic_missing)},
            {"original", original(v.original_panic)}};
}

json locals(const std::vector<FrameLocals>& frames) {
    json out = json::array();
    for (const FrameLocals& f : frames) {
        json vars = json::array();
        for (const Local& l : f.locals)
            vars.push_back({{"name", l.name},
                            {"parameter", l.parameter},
                            {"type", l.type},
                            {"summary", l.summary},
                            {"ownership", or_null(l.ownership)},
                            {"value", l.value}});
        out.push_back({{"frame", f.index},
                       {"function", f.function},
                       {"error", or_null(f.error)},
                       {"variables", std::move(vars)}});
    }
    return out;
}

json threads(const std::vector<ThreadLine>& lines) {
    json out = json::array();
    for (const ThreadLine& t : lines)
        out.push_back({{"index", t.index},
                       {"id", t.id},
                       {"name", t.name},
                       {"name_source", or_null(t.name_source)},
                       {"stop_reason", t.stop_reason},
                       {"frames", t.frame_count},
                       {"top", or_null(t.top)}});
    return out;
}

} // namespace

json to_json(const Report& r) {
    json crashing;
    if (r.crashing) crashing = bt::render_json({*r.crashing})["threads"][0];
    return {{"schema", k_schema},
            {"core", or_null(r.core)},
            {"executable", or_null(r.executable)},
            {"build_id", or_null(r.build_id)},
            {"stop_reason", r.stop_reason},
            {"classification", classification(r.verdict)},
            {"panic", panic(r.verdict)},
            {"signature",
             {{"hash", or_null(r.signature.hash)},
              {"frames", r.signature.frames},
              {"site", or_null(r.signature.site)}}},
            {"crashing_thread", std::move(crashing)},
            {"locals", locals(r.locals)},
            {"other_threads", threads(r.other_threads)},
            {"warnings", r.warnings}};
}

Brief brief_of(const json& j) {
    Brief b;
    if (!j.is_object()) return b;
    auto text = [](const json& v) { return v.is_string() ? v.get<std::string>() : std::string(); };
    if (auto c = j.find("classification"); c != j.end() && c->is_object()) {
        b.kind = text(c->value("kind", json()));
        b.headline = text(c->value("headline", json()));
    }
    if (auto s = j.find("signature"); s != j.end() && s->is_object()) {
        b.signature = text(s->value("hash", json()));
        for (const json& f : s->value("frames", json::array()))
            if (f.is_string()) b.frames.push_back(f.get<std::string>());
        b.site = text(s->value("site", json()));
    }
    return b;
}

} // namespace seam::report
