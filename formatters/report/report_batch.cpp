// Many cores at once: one line each, then the cores grouped by signature with their counts.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "formatters/report/report.h"

namespace seam::report {

namespace {

std::string frames_text(const std::vector<std::string>& frames) {
    std::string s;
    for (size_t i = 0; i < frames.size(); ++i) s += (i ? " <- " : "") + frames[i];
    return s;
}

std::string or_dash(const std::string& s) {
    return s.empty() ? "-" : s;
}

size_t failures(const std::vector<BatchEntry>& entries) {
    return size_t(
        std::count_if(entries.begin(), entries.end(), [](const BatchEntry& e) { return !e.ok; }));
}

std::string totals(const std::vector<BatchEntry>& entries, size_t groups) {
    size_t failed = failures(entries);
    return fmt::format("{} core{}, {} analysed, {} failed, {} signature{}", entries.size(),
                       entries.size() == 1 ? "" : "s", entries.size() - failed, failed, groups,
                       groups == 1 ? "" : "s");
}

} // namespace

std::vector<Group> group_by_signature(const std::vector<BatchEntry>& entries) {
    std::vector<Group> groups;
    std::map<std::string, size_t> by_hash;
    for (size_t i = 0; i < entries.size(); ++i) {
        const BatchEntry& e = entries[i];
        if (!e.ok) continue;
        auto [it, fresh] = by_hash.try_emplace(e.brief.signature, groups.size());
        if (fresh) groups.push_back({e.brief.signature, e.brief.frames, e.brief.kind, {}});
        groups[it->second].members.push_back(i);
    }
    std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
        return a.members.size() > b.members.size();
    });
    return groups;
}

std::string render_batch_text(const std::vector<BatchEntry>& entries) {
    size_t width = 0;
    for (const BatchEntry& e : entries) width = std::max(width, e.core.size());
    std::string out;
    for (const BatchEntry& e : entries) {
        if (e.ok)
            out += fmt::format("{:<{}}  ok     {:<16}  {:<19}  {}\n", e.core, width,
                               or_dash(e.brief.signature), or_dash(e.brief.kind), e.brief.headline);
        else
            out += fmt::format("{:<{}}  error  {}\n", e.core, width, e.error);
    }
    auto groups = group_by_signature(entries);
    out += "\n" + totals(entries, groups.size()) + "\n";
    for (const Group& g : groups)
        out += fmt::format("  {:>4} × {:<16}  {:<19}  {}\n", g.members.size(), or_dash(g.signature),
                           or_dash(g.kind), frames_text(g.frames));
    return out;
}

std::string render_batch_markdown(const std::vector<BatchEntry>& entries) {
    auto cell = [](std::string s) {
        for (size_t at = 0; (at = s.find('|', at)) != std::string::npos; at += 2)
            s.replace(at, 1, "\\|");
        return s;
    };
    std::string out = "## Crash reports\n\n| core | status | signature | kind | summary |\n"
                      "| --- | --- | --- | --- | --- |\n";
    for (const BatchEntry& e : entries) {
        if (e.ok)
            out += fmt::format("| `{}` | ok | `{}` | {} | {} |\n", cell(e.core),
                               or_dash(e.brief.signature), or_dash(e.brief.kind),
                               cell(e.brief.headline));
        else
            out += fmt::format("| `{}` | error | | | {} |\n", cell(e.core), cell(e.error));
    }
    auto groups = group_by_signature(entries);
    out += "\n### Signatures\n\n" + totals(entries, groups.size()) +
           "\n\n| count | signature | kind | frames |\n| ---: | --- | --- | --- |\n";
    for (const Group& g : groups)
        out += fmt::format("| {} | `{}` | {} | {} |\n", g.members.size(), or_dash(g.signature),
                           or_dash(g.kind), cell(frames_text(g.frames)));
    return out;
}

nlohmann::json batch_to_json(const std::vector<BatchEntry>& entries) {
    using json = nlohmann::json;
    json cores = json::array();
    for (const BatchEntry& e : entries) {
        json entry = {{"core", e.core},
                      {"status", e.ok ? "ok" : "error"},
                      {"error", e.ok ? json() : json(e.error)},
                      {"report", e.ok ? e.report_json : json()}};
        if (e.seconds >= 0) entry["seconds"] = e.seconds;
        cores.push_back(std::move(entry));
    }
    json groups = json::array();
    for (const Group& g : group_by_signature(entries)) {
        json members = json::array();
        for (size_t m : g.members) members.push_back(entries[m].core);
        groups.push_back({{"signature", g.signature.empty() ? json() : json(g.signature)},
                          {"frames", g.frames},
                          {"kind", g.kind},
                          {"count", g.members.size()},
                          {"cores", std::move(members)}});
    }
    size_t failed = failures(entries);
    return {{"schema", k_batch_schema},
            {"total", entries.size()},
            {"analysed", entries.size() - failed},
            {"failed", failed},
            {"cores", std::move(cores)},
            {"groups", std::move(groups)}};
}

} // namespace seam::report
