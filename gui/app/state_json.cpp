#include "gui/app/state_json.h"

#include "gui/app/main_window.h"

namespace seam::gui {

namespace {

std::string s(const QString& q) {
    return q.toStdString();
}

nlohmann::json or_null(const QString& q) {
    return q.isEmpty() ? nlohmann::json() : nlohmann::json(s(q));
}

nlohmann::json stack_json(const StackModel& m) {
    nlohmann::json out = nlohmann::json::array();
    for (const StackRow& r : m.rows()) {
        if (r.kind != StackRow::Kind::Frame) {
            out.push_back({{"kind", r.kind == StackRow::Kind::Marker ? "marker" : "fold"},
                           {"text", s(r.text)}});
            continue;
        }
        out.push_back({{"kind", "frame"},
                       {"index", r.index},
                       {"frame", r.frame < 0 ? nlohmann::json() : nlohmann::json(r.frame)},
                       {"language", s(r.language)},
                       {"owner", s(r.owner)},
                       {"function", s(r.name)},
                       {"location", or_null(r.location)},
                       {"tags", or_null(r.tags)}});
    }
    return out;
}

nlohmann::json crash_json(const CrashInfo& c) {
    if (!c.present) return nullptr;
    nlohmann::json frames = nlohmann::json::array();
    for (const QString& f : c.signature_frames) frames.push_back(s(f));
    return {{"kind", s(c.kind)},
            {"headline", s(c.headline)},
            {"panic_message", or_null(c.panic_message)},
            {"panic_location", or_null(c.panic_location)},
            {"signature", s(c.signature)},
            {"signature_frames", frames},
            {"text", s(c.text)}};
}

nlohmann::json variables_json(const VariableModel& m) {
    nlohmann::json out = nlohmann::json::array();
    for (int i = 0; i < m.rowCount(); ++i) {
        const VariableRow* r = m.rowAt(m.index(i, 0));
        out.push_back({{"name", s(r->name)},
                       {"type", s(r->type)},
                       {"summary", s(r->summary)},
                       {"ownership", or_null(r->badge)},
                       {"children", r->children}});
    }
    return out;
}

} // namespace

nlohmann::json state_json(MainWindow& w) {
    const StopSnapshot& snap = w.snapshot();
    nlohmann::json threads = nlohmann::json::array();
    for (const ThreadInfo& t : w.threads().threads())
        threads.push_back({{"index", t.index},
                           {"id", t.id},
                           {"name", or_null(t.name)},
                           {"stop_reason", s(t.stop_reason)},
                           {"top", s(t.top)},
                           {"selected", t.selected}});
    const FrameView& f = w.frame();
    nlohmann::json frame = nullptr;
    if (f.frame >= 0)
        frame = {{"frame", f.frame},
                 {"function", s(f.name)},
                 {"variables", variables_json(w.variables())},
                 {"variables_error", or_null(f.variables_error)},
                 {"source",
                  {{"path", or_null(f.source.path)},
                   {"line", f.source.line},
                   {"text", f.source.line > 0 ? nlohmann::json(s(f.source.text.section(
                                                    '\n', f.source.line - 1, f.source.line - 1)))
                                              : nlohmann::json()}}}};
    const GraphInfo& g = w.graph();
    nlohmann::json graph = nullptr;
    if (!g.svg.isEmpty() || !g.error.isEmpty()) {
        nlohmann::json findings = nlohmann::json::array();
        for (const QString& f : g.findings) findings.push_back(s(f));
        graph = {{"nodes", g.nodes},
                 {"edges", g.edges},
                 {"findings", findings},
                 {"error", or_null(g.error)}};
    }
    return {{"schema", "seam.gui-state/1"},
            {"graph", graph},
            {"process", s(snap.process_state)},
            {"threads", threads},
            {"stack", stack_json(w.stack())},
            {"unwind_note", or_null(snap.unwind_note)},
            {"crash", crash_json(snap.crash)},
            {"selected_frame", frame},
            {"breakpoints", [&] {
                 nlohmann::json b = nlohmann::json::array();
                 for (const BreakpointInfo& bp : w.breakpoints().breakpoints())
                     b.push_back({{"id", bp.id},
                                  {"function", or_null(bp.function)},
                                  {"file", or_null(bp.file)},
                                  {"line", bp.line ? nlohmann::json(bp.line) : nlohmann::json()},
                                  {"locations", bp.locations},
                                  {"hits", bp.hits}});
                 return b;
             }()}};
}

} // namespace seam::gui
