// Sharding a batch and merging the shards without LLDB: `--shard K/N` parsing and its errors,
// the partition (every core in exactly one shard, by a hash pinned across builds), the
// seam.report-record/1 lines read back, and groups that do not depend on the order the records
// come in (what makes N shards merged equal one batch; the e2e test ReportShard.* checks that on
// real cores through GNU parallel).
#include <algorithm>
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "formatters/render/json_text.h"
#include "formatters/report/report.h"
#include "formatters/report/shard.h"

namespace seam::report {
namespace {

using json = nlohmann::json;

std::string shard_error(std::string_view text) {
    auto s = parse_shard(text);
    return s ? "parsed" : s.error().message;
}

TEST(ReportShard, ParsesKOfN) {
    for (auto [text, k, n] : {std::tuple{"0/1", 0u, 1u},
                              {"2/3", 2u, 3u},
                              {"07/8", 7u, 8u},
                              {"999999/1000000", 999999u, 1000000u}}) {
        auto s = parse_shard(text);
        ASSERT_TRUE(s) << text << ": " << s.error().message;
        EXPECT_EQ(s->index, k) << text;
        EXPECT_EQ(s->count, n) << text;
    }
}

TEST(ReportShard, BadKOfNSaysWhatIsWrong) {
    const std::string form =
        ": expected K/N, two whole numbers (e.g. 0/4: the first of four shards)";
    for (const char* text : {"", "3", "/3", "1/", "a/3", "1/b", "-1/3", "+1/3", " 1/3", "1/3 ",
                             "1/2/3", "1.0/3", "9999999999/3", "0x1/3"})
        EXPECT_EQ(shard_error(text), std::string("--shard ") + text + form) << text;
    EXPECT_EQ(shard_error("3/3"), "--shard 3/3: K must be below N (shards are numbered 0 to 2)");
    EXPECT_EQ(shard_error("7/1"), "--shard 7/1: K must be below N (shards are numbered 0 to 0)");
    EXPECT_EQ(shard_error("0/0"), "--shard 0/0: N must be 1 to 1000000");
    EXPECT_EQ(shard_error("0/1000001"), "--shard 0/1000001: N must be 1 to 1000000");
}

// Hosts running different builds of seam-report must agree on every core's shard: the hash is
// FNV-1a 64 (published vectors), and these assignments may never change.
TEST(ReportShard, ShardOfIsPinnedFnv1a) {
    EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ull);
    EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cull);
    EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ull);
    // fmix64 over those (MurmurHash3's finalizer), modulo N: computed apart from seam, in Python.
    EXPECT_EQ(shard_of("core.1234", 1), 0u);
    EXPECT_EQ(shard_of("a", 1000), 315u);
    EXPECT_EQ(shard_of("foobar", 1000), 275u);
    EXPECT_EQ(shard_of("host7/core.app.1234.1700000000", 3), 0u);
}

// Every core in exactly one shard, for every N, and the shards near equal: seeded names shaped
// like the kernel's core_pattern output.
TEST(ReportShard, EveryCoreInExactlyOneShardAndShardsBalance) {
    std::mt19937_64 rng(17);
    std::vector<std::string> keys;
    for (int i = 0; i < 30000; ++i)
        keys.push_back("host" + std::to_string(rng() % 100) + "/core.app." +
                       std::to_string(rng() % 4000000) + "." + std::to_string(1700000000 + i));
    for (uint32_t n = 1; n <= 12; ++n) {
        std::vector<size_t> sizes(n);
        for (const std::string& key : keys) {
            size_t in = 0;
            for (uint32_t k = 0; k < n; ++k) in += shard_of(key, n) == k;
            ASSERT_EQ(in, 1u) << key << " N=" << n;
            ++sizes[shard_of(key, n)];
        }
        // Within four standard deviations of a fair split.
        double expected = double(keys.size()) / n;
        double sigma = std::sqrt(expected * (1 - 1.0 / n));
        for (uint32_t k = 0; k < n; ++k)
            EXPECT_NEAR(double(sizes[k]), expected, 4 * sigma) << "shard " << k << "/" << n;
    }
}

TEST(ReportShard, KeyIsThePathBelowItsDirectoryArgument) {
    EXPECT_EQ(shard_key("cores", "cores/a/core.1"), "a/core.1");
    EXPECT_EQ(shard_key("/mnt/nfs/cores/", "/mnt/nfs/cores/core.1"), "core.1");
    EXPECT_EQ(shard_key("/srv/cores", "/srv/cores/core.1"), "core.1")
        << "two mount points of one store give one key";
    EXPECT_EQ(shard_key("/srv/cores/core.1", "/srv/cores/core.1"), "/srv/cores/core.1")
        << "a file argument is its own key";
}

BatchEntry entry(std::string core, std::string hash, std::string seen) {
    BatchEntry e;
    e.core = std::move(core);
    e.ok = !hash.empty();
    if (e.ok)
        e.brief = {hash == "none" ? "abort-in-c" : "rust-panic",
                   "",
                   hash == "none" ? "" : hash,
                   {"app::" + hash, "app::main"}};
    else
        e.error = "cannot read core: " + e.core + " is truncated";
    e.seen = std::move(seen);
    return e;
}

TEST(ReportRecord, ReadsBackWhatItWrote) {
    BatchEntry ok = entry("cores/a.core", "1111111111111111", "2026-12-07T13:05:53Z");
    Report r;
    r.verdict.kind = "rust-panic";
    r.verdict.headline = "Rust panic at src/main.rs:3:5: boom";
    r.signature = {"1111111111111111", {"app::parse<…>", "app::main"}};
    ok.report_json = to_json(r);
    ok.seconds = 0.25;
    json record = record_to_json(ok);
    EXPECT_EQ(record["schema"], "seam.report-record/1");
    EXPECT_EQ(record["seconds"], 0.25);
    EXPECT_EQ(json_text(record).find('\n'), std::string::npos) << "one line";
    auto back = entry_of_record(json::parse(json_text(record)));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->core, "cores/a.core");
    EXPECT_TRUE(back->ok);
    EXPECT_EQ(back->seen, "2026-12-07T13:05:53Z");
    EXPECT_EQ(back->brief.signature, "1111111111111111");
    EXPECT_EQ(back->brief.frames, (std::vector<std::string>{"app::parse<…>", "app::main"}));
    EXPECT_EQ(back->brief.kind, "rust-panic");
    EXPECT_TRUE(back->report_json.is_null()) << "a merge keeps no report";

    BatchEntry bad = entry("cores/b.core", "", "");
    auto failed = entry_of_record(record_to_json(bad));
    ASSERT_TRUE(failed);
    EXPECT_FALSE(failed->ok);
    EXPECT_EQ(failed->error, "cannot read core: cores/b.core is truncated");
    EXPECT_EQ(failed->seen, "");
}

TEST(ReportRecord, WhatIsNoRecordSaysWhy) {
    auto why = [](const char* text) {
        auto e = entry_of_record(json::parse(text));
        return e ? std::string("read") : e.error().message;
    };
    EXPECT_EQ(why("[1]"), "not a JSON object");
    EXPECT_EQ(why(R"({"core": "a"})"),
              "not a seam.report-record/1 record (its `schema` is missing)");
    EXPECT_EQ(why(R"({"schema": "seam.report/1"})"),
              "not a seam.report-record/1 record (its `schema` is \"seam.report/1\")");
    EXPECT_EQ(why(R"({"schema": "seam.report-record/1", "status": "ok"})"), "no `core`");
    EXPECT_EQ(why(R"({"schema": "seam.report-record/1", "core": 7})"), "`core` is not a string");
    EXPECT_EQ(why(R"({"schema": "seam.report-record/1", "core": "a", "status": "done"})"),
              "`status` is neither \"ok\" nor \"error\"");
    EXPECT_EQ(why(R"({"schema": "seam.report-record/1", "core": "a", "status": "ok"})"),
              "`status` is ok, no `report`");
}

TEST(ReportBatch, GroupsFirstLastSeenAndTheLatestAsRepresentative) {
    std::vector<BatchEntry> entries = {entry("d/3", "2222222222222222", "2026-12-07T10:00:00Z"),
                                       entry("d/1", "2222222222222222", "2026-12-05T08:00:00Z"),
                                       entry("d/2", "2222222222222222", "2026-12-09T23:59:59Z"),
                                       entry("d/4", "", "2026-12-01T00:00:00Z"),
                                       entry("d/5", "none", ""),
                                       entry("d/0", "1111111111111111", "")};
    auto groups = group_by_signature(entries);
    ASSERT_EQ(groups.size(), 3u);
    EXPECT_EQ(groups[0].members, (std::vector<size_t>{1, 2, 0})) << "by path";
    EXPECT_EQ(groups[0].first_seen, "2026-12-05T08:00:00Z");
    EXPECT_EQ(groups[0].last_seen, "2026-12-09T23:59:59Z");
    EXPECT_EQ(entries[groups[0].representative].core, "d/2");
    // Ties of size: by signature, the cores with none ("") first.
    EXPECT_EQ(groups[1].signature, "");
    EXPECT_EQ(groups[2].signature, "1111111111111111");
    EXPECT_EQ(groups[2].first_seen, "") << "not known";
    EXPECT_EQ(entries[groups[2].representative].core, "d/0");
    EXPECT_EQ(render_groups_text(entries),
              "6 cores, 5 analysed, 1 failed, 3 signatures\n"
              "     3 × 2222222222222222  rust-panic           app::2222222222222222 <- app::main\n"
              "         first seen 2026-12-05T08:00:00Z  last seen 2026-12-09T23:59:59Z  "
              "representative d/2\n"
              "     1 × -                 abort-in-c           app::none <- app::main\n"
              "         first seen -  last seen -  representative d/5\n"
              "     1 × 1111111111111111  rust-panic           app::1111111111111111 <- app::main\n"
              "         first seen -  last seen -  representative d/0\n");
}

// Shards come back in any order: seeded batches, shuffled, group the same.
TEST(ReportBatch, GroupsDoNotDependOnTheOrderOfTheCores) {
    std::mt19937_64 rng(1217);
    for (int round = 0; round < 20; ++round) {
        std::vector<BatchEntry> entries;
        size_t cores = 1 + rng() % 60;
        for (size_t i = 0; i < cores; ++i) {
            std::string hash = rng() % 8 == 0 ? "" : fmt::format("{:016x}", rng() % 6);
            std::string seen =
                rng() % 5 == 0 ? ""
                               : fmt::format("2026-12-0{}T1{}:00:00Z", 1 + rng() % 9, rng() % 10);
            entries.push_back(entry(fmt::format("host{}/core.{}", rng() % 3, i), hash, seen));
        }
        json expected = groups_to_json(entries);
        std::string expected_text = render_groups_text(entries);
        for (int shuffle = 0; shuffle < 5; ++shuffle) {
            std::shuffle(entries.begin(), entries.end(), rng);
            ASSERT_EQ(groups_to_json(entries), expected) << "round " << round;
            ASSERT_EQ(render_groups_text(entries), expected_text) << "round " << round;
        }
    }
}

} // namespace
} // namespace seam::report
