// One core of a batch as one JSON object: what `seam-report --jsonl` writes a line of, and what
// `seam-report group` reads back from any number of such files.
#include <fmt/format.h>

#include "formatters/report/report.h"

namespace seam::report {

namespace {

using json = nlohmann::json;

json or_null(const std::string& s) {
    return s.empty() ? json() : json(s);
}

// A string member, "" when absent or null; an error when it is there with another type.
Result<std::string> text_member(const json& record, const char* key) {
    auto it = record.find(key);
    if (it == record.end() || it->is_null()) return std::string();
    if (!it->is_string()) return err("`{}` is not a string", key);
    return it->get<std::string>();
}

} // namespace

json record_to_json(const BatchEntry& e) {
    json record = {{"schema", k_record_schema},
                   {"core", e.core},
                   {"status", e.ok ? "ok" : "error"},
                   {"error", e.ok ? json() : json(e.error)},
                   {"report", e.ok ? e.report_json : json()},
                   {"seen", or_null(e.seen)}};
    if (e.seconds >= 0) record["seconds"] = e.seconds;
    return record;
}

Result<BatchEntry> entry_of_record(const json& record) {
    if (!record.is_object()) return err("not a JSON object");
    auto schema = record.find("schema");
    if (schema == record.end() || *schema != k_record_schema)
        return err("not a {} record (its `schema` is {})", k_record_schema,
                   schema == record.end() ? "missing" : schema->dump());
    BatchEntry e;
    auto core = text_member(record, "core");
    auto status = text_member(record, "status");
    auto error = text_member(record, "error");
    auto seen = text_member(record, "seen");
    for (const auto* r : {&core, &status, &error, &seen})
        if (!*r) return r->error();
    if (core->empty()) return err("no `core`");
    e.core = *core;
    e.seen = *seen;
    if (*status == "error") {
        e.error = error->empty() ? "no error given" : *error;
        return e;
    }
    if (*status != "ok") return err("`status` is neither \"ok\" nor \"error\"");
    auto report = record.find("report");
    if (report == record.end() || !report->is_object()) return err("`status` is ok, no `report`");
    e.ok = true;
    e.brief = brief_of(*report);
    e.brief.headline.clear(); // groups show none; millions of them add up
    return e;
}

} // namespace seam::report
