#include "tests/e2e/compare.h"

#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace seam::e2e {
namespace {

// `seam print` ends its output with one newline of its own.
std::string strip_newline(std::string s) {
    if (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
}

std::string json_text(const nlohmann::json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
    if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
    if (v.is_null()) return "<null>";
    return v.dump();
}

// One `seam print --json NAME` per name and stop, shared by its facts and summary.
class JsonCache {
public:
    explicit JsonCache(Session& s) : m_session(s) {}

    // The parsed object, or an error text to show as the actual value.
    const nlohmann::json* get(const std::string& name, std::string& problem) {
        auto it = m_cache.find(name);
        if (it == m_cache.end()) {
            CommandOutput out = m_session.run("seam print --json " + name);
            Entry e;
            if (!out.ok) {
                e.problem = out.text();
            } else {
                e.json = nlohmann::json::parse(out.output, nullptr, false);
                if (e.json.is_discarded() || !e.json.is_object())
                    e.problem = "not a JSON object: " + clip(out.output, 400);
            }
            it = m_cache.emplace(name, std::move(e)).first;
        }
        problem = it->second.problem;
        return problem.empty() ? &it->second.json : nullptr;
    }

private:
    struct Entry {
        nlohmann::json json;
        std::string problem;
    };
    Session& m_session;
    std::map<std::string, Entry> m_cache;
};

} // namespace

Tally& Tally::operator+=(const Tally& o) {
    debug += o.debug;
    pretty += o.pretty;
    facts += o.facts;
    summaries += o.summaries;
    errors += o.errors;
    limitations += o.limitations;
    limitations_matching += o.limitations_matching;
    optimised_out += o.optimised_out;
    return *this;
}

std::string Tally::exact_line() const {
    return fmt::format("exact: {}/{} (debug) {}/{} (pretty)", debug.exact, debug.total,
                       pretty.exact, pretty.total);
}

std::string Tally::detail_line() const {
    return fmt::format("facts: {}/{}  summaries: {}/{}  error markers: {}/{}  limitations: {} "
                       "(now matching: {})  optimised out (excused): {}",
                       facts.exact, facts.total, summaries.exact, summaries.total, errors.exact,
                       errors.total, limitations, limitations_matching, optimised_out);
}

std::string clip(const std::string& text, size_t max) {
    if (text.size() <= max) return text;
    return text.substr(0, max) + fmt::format("... ({} bytes in all)", text.size());
}

Tally compare_stop(Session& session, const Expectations& exp, std::vector<Mismatch>& mismatches,
                   bool excuse_optimised) {
    Tally t;
    // A failed command whose error says the DWARF has no location for (part of) the value.
    auto excused = [&](bool ok, const std::string& error) {
        if (ok || !excuse_optimised) return false;
        if (error.find("optimised out") == std::string::npos &&
            error.find("optimized out") == std::string::npos)
            return false;
        ++t.optimised_out;
        return true;
    };
    for (const Record& r : exp.records) {
        CommandOutput debug = session.run("seam print --debug " + r.name);
        CommandOutput pretty = session.run("seam print --pretty " + r.name);
        // Byte for byte, including the one newline the command adds.
        bool debug_ok = debug.ok && debug.output == r.debug + "\n";
        bool pretty_ok = pretty.ok && pretty.output == r.pretty + "\n";
        if (!r.limitation.empty()) {
            ++t.limitations;
            t.limitations_matching += debug_ok && pretty_ok;
            continue;
        }
        t.debug.add(debug_ok);
        t.pretty.add(pretty_ok);
        if (excused(debug.ok || pretty.ok, debug.error + pretty.error)) {
            mismatches.push_back(
                {"debug and pretty", r.name, r.debug, strip_newline(debug.text()), true});
            continue;
        }
        if (!debug_ok)
            mismatches.push_back({"debug", r.name, r.debug, strip_newline(debug.text())});
        if (!pretty_ok)
            mismatches.push_back({"pretty", r.name, r.pretty, strip_newline(pretty.text())});
    }

    JsonCache json(session);
    for (const Fact& f : exp.facts) {
        std::string problem;
        std::string actual;
        const nlohmann::json* j = json.get(f.name, problem);
        if (j) {
            auto own = j->find("ownership");
            if (own == j->end() || !own->is_object())
                actual = "<no ownership object>";
            else if (auto v = own->find(f.key); v == own->end())
                actual = "<no ownership." + f.key + ">";
            else
                actual = json_text(*v);
        } else {
            actual = problem;
        }
        bool ok = actual == f.value;
        t.facts.add(ok);
        if (!ok)
            mismatches.push_back({"fact " + f.key, f.name, f.value, strip_newline(actual),
                                  excused(j != nullptr, problem)});
    }
    for (const Summary& s : exp.summaries) {
        std::string problem;
        std::string actual;
        const nlohmann::json* j = json.get(s.name, problem);
        if (j) {
            auto v = j->find("summary");
            actual = v == j->end() ? "<no summary>" : json_text(*v);
        } else {
            actual = problem;
        }
        bool ok = actual == s.text;
        t.summaries.add(ok);
        if (!ok)
            mismatches.push_back(
                {"summary", s.name, s.text, strip_newline(actual), excused(j != nullptr, problem)});
    }
    for (const ExpectError& e : exp.errors) {
        CommandOutput debug = session.run("seam print --debug " + e.name);
        // A corrupted value is printed as a marker, on the command's output.
        bool ok = e.exact ? debug.output == e.marker + "\n" : debug.output.rfind(e.marker, 0) == 0;
        t.errors.add(ok);
        if (!ok)
            mismatches.push_back({"error marker", e.name, e.exact ? e.marker : e.marker + "...",
                                  strip_newline(debug.text()), excused(debug.ok, debug.error)});
    }
    return t;
}

} // namespace seam::e2e
