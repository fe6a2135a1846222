// `seam-report group [--format text|json] [--output FILE] RECORDS.jsonl|-...`: merges the
// seam.report-record/1 lines of any number of shards (`--jsonl`) into signature groups, with the
// batch's own grouping (report::group_by_signature): N shards merged, in any order, give what
// one batch over the same cores gives, group for group.
#include "cli/group.h"

#include "cli/output.h"

#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "formatters/render/json_text.h"
#include "formatters/report/report.h"

namespace seam::cli {

namespace {

using json = nlohmann::json;

constexpr int k_exit_ok = 0, k_exit_bad_lines = 1, k_exit_usage = 2;
// A record holds one core's report (backtrace, three frames of locals one level deep): tens of
// KiB. A line far past that is no record, and is not read whole.
constexpr size_t k_max_line = size_t(64) << 20;
// Lines named on stderr one by one; past them, a count.
constexpr size_t k_errors_shown = 10;

// The next line of `in` without its '\n'; false at the end. A line longer than k_max_line is
// skipped to its end and returned empty with `too_long` set.
bool next_line(std::istream& in, std::string& line, bool& too_long) {
    line.clear();
    too_long = false;
    std::streambuf* buf = in.rdbuf();
    for (int c; (c = buf->sbumpc()) != std::char_traits<char>::eof();) {
        if (c == '\n') return true;
        if (line.size() < k_max_line)
            line.push_back(char(c));
        else
            too_long = true;
    }
    if (too_long) line.clear();
    return !line.empty() || too_long;
}

class Reader {
public:
    std::vector<report::BatchEntry> entries;
    size_t bad = 0;

    void read(std::istream& in, const std::string& name) {
        std::string line;
        bool too_long = false;
        for (size_t number = 1; next_line(in, line, too_long); ++number) {
            if (too_long) {
                complain(name, number, fmt::format("longer than {} MiB", k_max_line >> 20));
                continue;
            }
            if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
            json record = json::parse(line, nullptr, false);
            if (record.is_discarded()) {
                complain(name, number, "not JSON (a shard cut short?)");
                continue;
            }
            auto entry = report::entry_of_record(record);
            if (!entry)
                complain(name, number, entry.error().message);
            else
                entries.push_back(std::move(*entry));
        }
    }

    void finish() const {
        if (bad > k_errors_shown)
            std::cerr << fmt::format("seam-report group: {} more lines were not records\n",
                                     bad - k_errors_shown);
    }

private:
    void complain(const std::string& name, size_t number, const std::string& why) {
        if (++bad <= k_errors_shown)
            std::cerr << fmt::format("seam-report group: {}:{}: {}\n", name, number, why);
    }
};

} // namespace

int group_main(int argc, char** argv) {
    CLI::App app{"Merges the JSON Lines of `seam-report --jsonl` runs (shards of one batch, or "
                 "runs on different days) into signature groups: count, first and last seen "
                 "(the cores' modification times), a representative core (the latest) and the "
                 "members. Exit status: 0 every line read, 1 some lines were not records, 2 "
                 "usage.",
                 "seam-report group"};
    std::string format = "text", output;
    std::vector<std::string> inputs;
    app.add_option("--format", format, "text or json")->check(CLI::IsMember({"text", "json"}));
    app.add_option("-o,--output", output, "write the groups to FILE instead of standard output");
    app.add_option("records", inputs, "files of seam.report-record/1 lines; - for standard input")
        ->required();
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : k_exit_usage;
    }

    // Every input opened before any is read: a missing file is a usage error, not a merge that
    // silently lacks a shard.
    std::vector<std::ifstream> files(inputs.size());
    for (size_t i = 0; i < inputs.size(); ++i) {
        if (inputs[i] == "-") continue;
        files[i].open(inputs[i], std::ios::binary);
        if (!files[i]) {
            std::cerr << "seam-report group: cannot read " << inputs[i] << "\n";
            return k_exit_usage;
        }
    }
    Output output_to("seam-report group");
    if (!output_to.open(output)) return k_exit_usage;

    Reader reader;
    for (size_t i = 0; i < inputs.size(); ++i) {
        bool stdin_input = inputs[i] == "-";
        reader.read(stdin_input ? std::cin : files[i],
                    stdin_input ? std::string("standard input") : inputs[i]);
    }
    reader.finish();

    std::ostream& out = output_to.stream();
    if (format == "json")
        out << json_text(report::groups_to_json(reader.entries), 2) << "\n";
    else
        out << report::render_groups_text(reader.entries);
    if (!output_to.finish()) return k_exit_bad_lines;
    return reader.bad ? k_exit_bad_lines : k_exit_ok;
}

} // namespace seam::cli
