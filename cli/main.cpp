// seam-report: crash reports from core files (docs/seam-report.md).
//
//   seam-report [--format text|markdown|json | --jsonl] [--shard K/N] [--exe EXE] [--jobs N]
//               [--signature-frames N] [--max-frames N] [--full-names] [--output FILE]
//               [--lldb-log FILE]
//               CORE_OR_DIR...
//   seam-report group [--format text|json] [--output FILE] RECORDS.jsonl|-...   (cli/group.cpp)
//
// One core: its full report. Several cores, or a directory: one line per core, then the cores
// grouped by signature. Exit status: 0 every core analysed, 1 some could not be, 2 usage.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <thread>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "cli/cores.h"
#include "cli/group.h"
#include "cli/output.h"
#include "cli/workers.h"
#include "formatters/render/json_text.h"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace seam;

constexpr int k_exit_ok = 0, k_exit_some_failed = 1, k_exit_usage = 2;

// `[#######.........]  37/100` on stderr, redrawn in place; only on a terminal.
class Progress {
public:
    explicit Progress(bool on) : m_on(on) {}
    void operator()(size_t done, size_t total) const {
        if (!m_on) return;
        constexpr size_t width = 30;
        size_t filled = total ? done * width / total : width;
        std::fprintf(stderr, "\r[%s%s] %zu/%zu", std::string(filled, '#').c_str(),
                     std::string(width - filled, '.').c_str(), done, total);
        if (done == total) std::fprintf(stderr, "\r%*s\r", int(width + 24), "");
        std::fflush(stderr);
    }

private:
    bool m_on;
};

report::BatchEntry entry_of(const std::string& core, const json& answer) {
    report::BatchEntry e;
    e.core = core;
    e.seen = cli::seen_of(core);
    e.ok = answer.value("ok", false);
    e.seconds = answer.value("seconds", -1.0);
    if (!e.ok) {
        e.error = answer.value("error", std::string("no answer"));
        return e;
    }
    e.report_json = answer.value("report", json());
    e.brief = report::brief_of(e.report_json);
    return e;
}

} // namespace

int main(int argc, char** argv) {
    // A subcommand of its own words: CLI11's subcommands would clash with the cores' required
    // positional (a core file called `group` is `./group`).
    if (argc > 1 && std::string_view(argv[1]) == "group")
        return cli::group_main(argc - 1, argv + 1);
    CLI::App app{"Crash reports from core files of C and Rust programs: stop reason, "
                 "classification, panic message, mixed backtrace with boundary markers, locals "
                 "and a crash signature. Several cores or a directory: one line each, grouped "
                 "by signature. Exit status: 0 all analysed, 1 some cores could not be, 2 usage.",
                 "seam-report"};
    std::string format = "text";
    std::string exe;
    size_t jobs = std::max(1u, std::thread::hardware_concurrency());
    size_t signature_frames = report::k_signature_frames;
    uint32_t max_frames = cli::AnalyseOptions().max_frames;
    unsigned timeout = cli::PoolOptions().timeout_seconds;
    bool full_names = false;
    std::string output, lldb_log, shard_text;
    bool jsonl = false;
    uint64_t memory_limit_mib = 0;
    std::vector<std::string> inputs;
    auto* format_option = app.add_option("--format", format, "text, markdown or json")
                              ->check(CLI::IsMember({"text", "markdown", "json"}));
    app.add_flag("--jsonl", jsonl,
                 "one seam.report-record/1 line per core, written as each core is done, in the "
                 "order they finish (for `seam-report group`)")
        ->excludes(format_option);
    app.add_option("--shard", shard_text,
                   "K/N: only the cores of shard K of N (0 to N-1), by a hash of each core's path "
                   "relative to its directory argument; every core is in exactly one shard")
        ->type_name("K/N");
    app.add_option("--exe", exe, "the executable (default: the path each core records)");
    app.add_option("-j,--jobs", jobs, "worker processes (default: the number of CPUs)")
        ->check(CLI::Range(size_t(1), size_t(256)));
    app.add_option("--signature-frames", signature_frames,
                   "frames a signature shows (its hash covers the key: docs/seam-report.md)")
        ->check(CLI::Range(size_t(1), size_t(64)));
    app.add_option("--max-frames", max_frames,
                   "innermost frames read of each thread (default 1024; a deeper stack is cut "
                   "there and says so)")
        ->check(CLI::Range(16u, 1'000'000u));
    app.add_flag("--full-names", full_names,
                 "whole function names, generic arguments and all (default: collapsed to <…>)");
    app.add_option("--timeout", timeout,
                   "seconds one core may take before its worker is killed and the core reported "
                   "as failed (default 30; raise it for executables with very large debug info)")
        ->check(CLI::Range(1u, 86400u));
    app.add_option("-o,--output", output, "write the report to FILE instead of standard output");
    app.add_option("--lldb-log", lldb_log,
                   "append LLDB's own log (SB API calls, expressions) to FILE");
    app.add_option("--memory-limit", memory_limit_mib,
                   "MiB of address space a worker may use on one core; an allocation past it "
                   "fails that core alone (default 2048 plus four times the sizes of the core "
                   "and its executable)")
        ->check(CLI::Range(uint64_t(256), uint64_t(1) << 40));
    app.add_option("cores", inputs, "core files, or directories of them")->required();
    app.set_version_flag("--version", std::string("seam-report ") + SEAM_VERSION);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : k_exit_usage;
    }

    std::optional<report::Shard> shard;
    if (!shard_text.empty()) {
        auto parsed = report::parse_shard(shard_text);
        if (!parsed) {
            std::cerr << "seam-report: " << parsed.error().message << "\n";
            return k_exit_usage;
        }
        shard = *parsed;
    }
    std::string problem;
    std::vector<std::string> cores = cli::expand(inputs, shard, problem);
    if (!problem.empty()) {
        std::cerr << "seam-report: " << problem << "\n";
        return k_exit_usage;
    }
    // A shard is part of a batch even when it holds one core, or none.
    bool batch = shard || jsonl || cores.size() > 1 || fs::is_directory(inputs.front());
    cli::Output output_to("seam-report");
    if (!output_to.open(output)) return k_exit_usage;
    std::ostream& out = output_to.stream();

    cli::PoolOptions pool;
    pool.jobs = jobs;
    pool.timeout_seconds = timeout;
    pool.analyse.exe = exe;
    pool.analyse.signature_frames = signature_frames;
    pool.analyse.full_names = full_names;
    pool.analyse.max_frames = max_frames;
    pool.analyse.lldb_log = lldb_log;
    pool.analyse.memory_limit_mib = memory_limit_mib;
    pool.analyse.format = format == "json"       ? report::Format::Json
                          : format == "markdown" ? report::Format::Markdown
                                                 : report::Format::Text;
    pool.analyse.render = !batch;
    Progress progress(batch && ::isatty(2));
    // --jsonl: each record written and flushed as its core is done, the report let go (a shard
    // of many cores holds none of them); a shard killed midway leaves whole lines.
    bool all_ok = true;
    cli::AnswerSink sink;
    if (jsonl)
        sink = [&](size_t i, json& answer) {
            report::BatchEntry e = entry_of(cores[i], answer);
            all_ok = all_ok && e.ok;
            out << json_text(report::record_to_json(e)) << "\n" << std::flush;
            answer = json{{"ok", e.ok}};
        };
    std::vector<json> answers = cli::run_pool(cores, pool, std::ref(progress), sink);

    std::vector<report::BatchEntry> entries;
    for (size_t i = 0; i < cores.size() && !jsonl; ++i)
        entries.push_back(entry_of(cores[i], answers[i]));
    all_ok = all_ok && std::all_of(entries.begin(), entries.end(),
                                   [](const report::BatchEntry& e) { return e.ok; });

    if (jsonl) {
        // written above
    } else if (!batch) {
        const report::BatchEntry& e = entries.front();
        if (!e.ok) {
            if (pool.analyse.format == report::Format::Json)
                out << json_text(report::batch_to_json(entries)["cores"][0], 2) << "\n";
            std::cerr << "seam-report: " << e.core << ": " << e.error << "\n";
        } else {
            out << answers.front().value("text", std::string());
        }
    } else if (pool.analyse.format == report::Format::Json) {
        out << json_text(report::batch_to_json(entries), 2) << "\n";
    } else if (pool.analyse.format == report::Format::Markdown) {
        out << report::render_batch_markdown(entries);
    } else {
        out << report::render_batch_text(entries);
    }
    if (!output_to.finish()) return k_exit_some_failed;
    return all_ok ? k_exit_ok : k_exit_some_failed;
}
