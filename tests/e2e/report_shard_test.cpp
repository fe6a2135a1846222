// Crash triage past one machine, on real cores of real fixture crashes (make_report_cores):
// `seam-report --shard K/N --jsonl` run as N jobs by GNU parallel, merged by `seam-report group`,
// must give exactly the groups one batch over the same cores gives; every core lands in exactly
// one shard whatever the directory is called; bad K/N and bad record files are clear errors.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/json_schema_check.h"
#include "tests/e2e/report_cores.h"
#include "tests/e2e/scratch_dir.h"

namespace seam::e2e {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const std::string k_tool =
    (fs::path(SEAM_E2E_PLUGIN).parent_path().parent_path() / "cli" / "seam-report").string();

// Each test in a directory of its own; only the first makes real cores (seconds of gdb).
class ReportShard : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(fs::exists(k_tool)) << k_tool << " was not built";
        ASSERT_TRUE(m_scratch.ok());
    }
    std::string path(const std::string& name) const { return m_scratch.path(name); }
    static ShellRun tool(const std::string& args) { return run_shell(quote(k_tool) + " " + args); }

    ScratchDir m_scratch{"e2e-shard"};
};

// The records of a JSON Lines file, by core.
std::map<std::string, json> records(const std::string& file) {
    std::map<std::string, json> out;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
        json j = json::parse(line, nullptr, false);
        out[j.is_object() ? j.value("core", "?") : "not JSON: " + line] = j;
    }
    return out;
}

void set_mtime(const std::string& file, const std::string& utc) {
    ASSERT_EQ(run_shell("touch -m -d " + quote(utc) + " " + quote(file)).status, 0) << file;
}

json schema() {
    std::ifstream in(fs::path(SEAM_SOURCE_DIR) / "docs" / "report.schema.json");
    return json::parse(in, nullptr, false);
}

TEST_F(ReportShard, ParallelShardsMergedEqualOneBatch) {
    Status made = make_report_cores(m_scratch.dir());
    ASSERT_TRUE(made.ok()) << made.error().message;
    ASSERT_EQ(run_shell("parallel --version").status, 0)
        << "GNU parallel is not installed (Debian package `parallel`, .ci/setup)";
    // Eleven inputs: four of one C fault (two ELF cores, a minidump, one in a subdirectory),
    // an abort in C, two panics, two probe stops, a truncated core and a file that is no core.
    std::string dir = path("cores");
    fs::create_directories(dir + "/sub");
    for (auto [from, to] :
         std::vector<std::pair<std::string, std::string>>{{"segv1.elf", "a.elf"},
                                                          {"segv2.elf", "b.elf"},
                                                          {"segv.dmp", "c.dmp"},
                                                          {"segv1.elf", "sub/i.elf"},
                                                          {"abort.elf", "d.elf"},
                                                          {"panic.elf", "e.elf"},
                                                          {"oob.elf", "f.elf"},
                                                          {"demo.elf", "g.elf"},
                                                          {"boundary.dmp", "h.dmp"}})
        fs::copy_file(path(from), dir + "/" + to);
    fs::copy_file(path("segv1.elf"), dir + "/j-truncated.elf");
    fs::resize_file(dir + "/j-truncated.elf", fs::file_size(path("segv1.elf")) / 2);
    std::ofstream(dir + "/k-notes.txt") << "not a core\n";
    set_mtime(dir + "/a.elf", "2026-12-01 08:00:00Z");
    set_mtime(dir + "/b.elf", "2026-12-03 09:30:00Z");
    set_mtime(dir + "/c.dmp", "2026-12-02 12:00:00Z");
    set_mtime(dir + "/sub/i.elf", "2026-12-04 00:00:01Z");

    ShellRun batch_text = tool("--jobs 2 " + quote(dir));
    ShellRun batch_json = tool("--jobs 2 --format json " + quote(dir));
    ASSERT_EQ(batch_json.status, 1) << "two inputs are no cores\n" << batch_json.err;
    json batch = json::parse(batch_json.out, nullptr, false);
    ASSERT_FALSE(batch.is_discarded()) << batch_json.out;

    // Three shards as three jobs of GNU parallel, each writing its own file; the joblog has
    // each shard's exit status.
    std::string out = path("shards");
    fs::create_directories(out);
    std::string job = quote(k_tool) + " --jobs 1 --jsonl --shard {}/3 -o " + quote(out) +
                      "/shard-{}.jsonl " + quote(dir);
    ShellRun par = run_shell("parallel --will-cite --jobs 3 --joblog " + quote(out + "/joblog") +
                             " " + quote(job) + " ::: 0 1 2");
    std::map<std::string, json> all;
    std::set<std::string> failed_shards;
    for (int k = 0; k < 3; ++k) {
        std::string file = out + "/shard-" + std::to_string(k) + ".jsonl";
        ASSERT_TRUE(fs::exists(file)) << par.err;
        for (auto& [core, record] : records(file)) {
            EXPECT_EQ(validate_json(schema(), record), std::vector<std::string>{}) << core;
            EXPECT_FALSE(all.contains(core)) << core << " is in two shards";
            if (record.value("status", "") != "ok") failed_shards.insert(std::to_string(k));
            all[core] = record;
        }
    }
    // Every input in exactly one shard.
    std::set<std::string> cores;
    for (const json& c : batch["cores"]) cores.insert(c["core"].get<std::string>());
    std::set<std::string> sharded;
    for (const auto& [core, record] : all) sharded.insert(core);
    EXPECT_EQ(sharded, cores);
    EXPECT_EQ(cores.size(), 11u);
    // A shard with a core that could not be analysed exits 1, the others 0 (parallel's status is
    // the count of jobs that did not exit 0).
    std::ifstream joblog(out + "/joblog");
    std::string header, line;
    std::getline(joblog, header);
    int jobs = 0;
    while (std::getline(joblog, line)) {
        std::vector<std::string> f;
        std::istringstream fields(line);
        for (std::string x; std::getline(fields, x, '\t');) f.push_back(x);
        ASSERT_GE(f.size(), 9u) << line;
        std::string shard = f[8].substr(f[8].find("--shard ") + 8, 1);
        EXPECT_EQ(f[6], failed_shards.contains(shard) ? "1" : "0") << line;
        ++jobs;
    }
    EXPECT_EQ(jobs, 3);
    EXPECT_EQ(par.status, int(failed_shards.size())) << par.err;

    // The merge, shards in another order, equals the batch, group for group.
    std::string shards = quote(out + "/shard-2.jsonl") + " " + quote(out + "/shard-0.jsonl") + " " +
                         quote(out + "/shard-1.jsonl");
    ShellRun merged_json = tool("group --format json " + shards);
    EXPECT_EQ(merged_json.status, 0) << merged_json.err;
    json merged = json::parse(merged_json.out, nullptr, false);
    ASSERT_FALSE(merged.is_discarded()) << merged_json.out;
    EXPECT_EQ(validate_json(schema(), merged), std::vector<std::string>{});
    EXPECT_EQ(merged["schema"], "seam.report-groups/1");
    EXPECT_EQ(merged["groups"], batch["groups"]);
    for (const char* key : {"total", "analysed", "failed"}) EXPECT_EQ(merged[key], batch[key]);
    // The batch text's groups are group's text, byte for byte; standard input too.
    ShellRun merged_text = run_shell("cat " + shards + " | " + quote(k_tool) + " group -");
    EXPECT_EQ(merged_text.status, 0) << merged_text.err;
    ASSERT_NE(batch_text.out.find("\n\n"), std::string::npos) << batch_text.out;
    EXPECT_EQ(merged_text.out, batch_text.out.substr(batch_text.out.find("\n\n") + 2));

    // What the groups are: one C fault seen four times (ELF and minidump alike), from the first
    // to the last of their mtimes, the latest as representative; the other crashes one each.
    EXPECT_EQ(merged["total"], 11);
    EXPECT_EQ(merged["failed"], 2);
    ASSERT_EQ(merged["groups"].size(), 6u) << merged_json.out;
    const json& segv = merged["groups"][0];
    EXPECT_EQ(segv["count"], 4);
    EXPECT_EQ(segv["kind"], "fault-in-c");
    EXPECT_EQ(segv["cores"],
              (json{dir + "/a.elf", dir + "/b.elf", dir + "/c.dmp", dir + "/sub/i.elf"}));
    EXPECT_EQ(segv["first_seen"], "2026-12-01T08:00:00Z");
    EXPECT_EQ(segv["last_seen"], "2026-12-04T00:00:01Z");
    EXPECT_EQ(segv["representative"], dir + "/sub/i.elf");
    for (size_t g = 1; g < merged["groups"].size(); ++g)
        EXPECT_EQ(merged["groups"][g]["count"], 1) << merged["groups"][g];
}

// Every core in exactly one shard for N = 1 to 5, and the same shard whether the directory is
// named relatively, absolutely, with a trailing slash or through a symlink (another host's
// mount point). Files that are no cores: each fails at once, which keeps this quick.
TEST_F(ReportShard, EveryCoreInExactlyOneShardUnderAnyDirectoryName) {
    std::string dir = path("many");
    std::set<std::string> names;
    for (int i = 0; i < 40; ++i) {
        std::string name = (i % 4 ? "" : "d" + std::to_string(i % 3) + "/") + "core." +
                           std::to_string(1000 + i * 37);
        fs::create_directories(fs::path(dir + "/" + name).parent_path());
        std::ofstream(dir + "/" + name) << "not a core " << i << "\n";
        names.insert(name);
    }
    fs::create_directory_symlink(dir, path("mnt"));
    std::map<std::string, std::string> shard_of; // name -> "K/N" for the last N
    for (int n = 1; n <= 5; ++n) {
        std::map<std::string, int> seen;
        for (int k = 0; k < n; ++k) {
            std::string shard = std::to_string(k) + "/" + std::to_string(n);
            std::set<std::string> by_spelling[3];
            const std::string spellings[3] = {dir, path("mnt") + "/", "many"};
            for (int s = 0; s < 3; ++s) {
                std::string cd = s == 2 ? "cd " + quote(m_scratch.dir()) + " && " : "";
                ShellRun r = run_shell(cd + quote(k_tool) + " --jsonl --shard " + shard + " " +
                                       quote(spellings[s]));
                EXPECT_EQ(r.status, r.out.empty() ? 0 : 1) << r.err;
                std::istringstream lines(r.out);
                for (std::string line; std::getline(lines, line);) {
                    std::string core = json::parse(line).value("core", "");
                    std::string prefix =
                        spellings[s].ends_with("/") ? spellings[s] : spellings[s] + "/";
                    ASSERT_TRUE(core.starts_with(prefix)) << core;
                    by_spelling[s].insert(core.substr(prefix.size()));
                }
            }
            EXPECT_EQ(by_spelling[1], by_spelling[0]) << shard;
            EXPECT_EQ(by_spelling[2], by_spelling[0]) << shard;
            for (const std::string& name : by_spelling[0]) ++seen[name];
        }
        EXPECT_EQ(seen.size(), names.size()) << "N=" << n;
        for (const auto& [name, times] : seen) EXPECT_EQ(times, 1) << name << " N=" << n;
    }
}

TEST_F(ReportShard, BadKOfNAndBadRecordsAreClearErrors) {
    std::string core = path("notes.txt");
    std::ofstream(core) << "not a core\n";
    struct Case {
        std::string args, err;
    };
    for (const Case& c : std::vector<Case>{
             {"--shard 3/3", "seam-report: --shard 3/3: K must be below N (shards are numbered 0 "
                             "to 2)\n"},
             {"--shard 1", "seam-report: --shard 1: expected K/N, two whole numbers (e.g. 0/4: "
                           "the first of four shards)\n"},
             {"--shard 0/0", "seam-report: --shard 0/0: N must be 1 to 1000000\n"},
             {"--jsonl --format json", "--format excludes --jsonl\nRun with --help for more "
                                       "information.\n"}}) {
        ShellRun r = tool(c.args + " " + quote(core));
        EXPECT_EQ(r.status, 2) << c.args;
        EXPECT_EQ(r.err, c.err) << c.args;
        EXPECT_EQ(r.out, "") << c.args;
    }

    // A shard cut short (its last line half written) and a file that is no record file: the
    // lines that are records are grouped, the others named, exit 1.
    ShellRun one = tool("--jsonl " + quote(core));
    ASSERT_EQ(one.status, 1) << one.err;
    std::ofstream(path("cut.jsonl")) << one.out << one.out.substr(0, one.out.size() / 2);
    std::ofstream(path("other.jsonl")) << "{\"schema\": \"seam.report/1\"}\n";
    ShellRun g = tool("group " + quote(path("cut.jsonl")) + " " + quote(path("other.jsonl")));
    EXPECT_EQ(g.status, 1);
    EXPECT_EQ(g.err,
              "seam-report group: " + path("cut.jsonl") +
                  ":2: not JSON (a shard cut short?)\nseam-report group: " + path("other.jsonl") +
                  ":1: not a seam.report-record/1 record (its `schema` is "
                  "\"seam.report/1\")\n");
    EXPECT_EQ(g.out, "1 core, 0 analysed, 1 failed, 0 signatures\n");
    ShellRun missing = tool("group " + quote(path("no-such.jsonl")));
    EXPECT_EQ(missing.status, 2);
    EXPECT_EQ(missing.err, "seam-report group: cannot read " + path("no-such.jsonl") + "\n");
}

} // namespace
} // namespace seam::e2e
