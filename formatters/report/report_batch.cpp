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
        if (fresh) {
            groups.emplace_back();
            groups.back().signature = e.brief.signature;
        }
        groups[it->second].members.push_back(i);
    }
    // Nothing below depends on the order the cores came in: shards merged in any order, or the
    // same cores listed in another order, give the same groups.
    auto by_core = [&](size_t a, size_t b) {
        return std::tie(entries[a].core, entries[a].seen, a) <
               std::tie(entries[b].core, entries[b].seen, b);
    };
    for (Group& g : groups) {
        std::sort(g.members.begin(), g.members.end(), by_core);
        // Of one signature, the kind and site of the first member by path: equal anyway unless
        // the cores were analysed by different seam-report versions. Its frames: those all its
        // members share (the hash covers the innermost; the callers may differ).
        g.frames = entries[g.members.front()].brief.frames;
        for (size_t m : g.members) {
            const std::vector<std::string>& f = entries[m].brief.frames;
            auto differ = std::mismatch(g.frames.begin(), g.frames.end(), f.begin(), f.end());
            g.frames.erase(differ.first, g.frames.end());
        }
        g.kind = entries[g.members.front()].brief.kind;
        g.site = entries[g.members.front()].brief.site;
        g.representative = g.members.front();
        for (size_t m : g.members) {
            const std::string& seen = entries[m].seen;
            if (seen.empty()) continue;
            if (g.first_seen.empty() || seen < g.first_seen) g.first_seen = seen;
            // The latest core: the one most likely still kept, with its executable, by a
            // retention policy that deletes the oldest first.
            if (seen > g.last_seen) {
                g.last_seen = seen;
                g.representative = m;
            }
        }
    }
    std::sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
        if (a.members.size() != b.members.size()) return a.members.size() > b.members.size();
        return a.signature < b.signature;
    });
    return groups;
}

std::string render_groups_text(const std::vector<BatchEntry>& entries) {
    auto groups = group_by_signature(entries);
    std::string out = totals(entries, groups.size()) + "\n";
    for (const Group& g : groups) {
        out += fmt::format("  {:>4} × {:<16}  {:<19}  {}{}\n", g.members.size(),
                           or_dash(g.signature), or_dash(g.kind), frames_text(g.frames),
                           g.site.empty() ? "" : "  at " + g.site);
        out += fmt::format("         first seen {}  last seen {}  representative {}\n",
                           or_dash(g.first_seen), or_dash(g.last_seen),
                           entries[g.representative].core);
    }
    return out;
}

nlohmann::json groups_to_json(const std::vector<BatchEntry>& entries) {
    using json = nlohmann::json;
    auto or_null = [](const std::string& s) { return s.empty() ? json() : json(s); };
    json groups = json::array();
    for (const Group& g : group_by_signature(entries)) {
        json members = json::array();
        for (size_t m : g.members) members.push_back(entries[m].core);
        groups.push_back({{"signature", or_null(g.signature)},
                          {"frames", g.frames},
                          {"site", or_null(g.site)},
                          {"kind", g.kind},
                          {"count", g.members.size()},
                          {"first_seen", or_null(g.first_seen)},
                          {"last_seen", or_null(g.last_seen)},
                          {"representative", entries[g.representative].core},
                          {"cores", std::move(members)}});
    }
    size_t failed = failures(entries);
    return {{"schema", k_groups_schema},
            {"total", entries.size()},
            {"analysed", entries.size() - failed},
            {"failed", failed},
            {"groups", std::move(groups)}};
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
    return out + "\n" + render_groups_text(entries);
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
           "\n\n| count | signature | kind | frames | first seen | last seen | representative |\n"
           "| ---: | --- | --- | --- | --- | --- | --- |\n";
    for (const Group& g : groups)
        out += fmt::format(
            "| {} | `{}` | {} | {} | {} | {} | `{}` |\n", g.members.size(), or_dash(g.signature),
            or_dash(g.kind), cell(frames_text(g.frames) + (g.site.empty() ? "" : " at " + g.site)),
            or_dash(g.first_seen), or_dash(g.last_seen), cell(entries[g.representative].core));
    return out;
}

nlohmann::json batch_to_json(const std::vector<BatchEntry>& entries) {
    nlohmann::json cores = nlohmann::json::array();
    for (const BatchEntry& e : entries) {
        nlohmann::json entry = record_to_json(e);
        entry.erase("schema");
        cores.push_back(std::move(entry));
    }
    nlohmann::json out = groups_to_json(entries);
    out["schema"] = k_batch_schema;
    out["cores"] = std::move(cores);
    return out;
}

} // namespace seam::report
