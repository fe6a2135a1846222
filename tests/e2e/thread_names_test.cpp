// Thread names read from memory (plugin/lldb/thread_names.h): the threads fixture aborts on a
// thread named worker-7 while an unnamed thread, a thread with a name longer than the OS keeps
// and main wait. Live, from a minidump (no thread pointer in it) and from an ELF core (where
// LLDB names every thread after the process), at -O0 and -O2, `seam report --json`, `seam bt --all
// --json` and seam-report must give each thread its Rust name and say it came from Rust's
// thread-locals.
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/json_schema_check.h"
#include "tests/e2e/report_cores.h"
#include "tests/e2e/session.h"

namespace seam::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string k_long_name = "idle-thread-with-a-long-name";

// name -> name_source of every thread of a seam.report/1 object, the crashing one under "*".
std::map<std::string, json> names_in_report(const json& report) {
    std::map<std::string, json> out;
    const json& crashing = report["crashing_thread"];
    out["*" + crashing["name"].get<std::string>()] = crashing["name_source"];
    for (const json& t : report["other_threads"])
        out[t["name"].get<std::string>()] = t["name_source"];
    return out;
}

const std::map<std::string, json> k_expected = {
    {"*worker-7", "rust-tls"}, {"main", "rust-tls"}, {k_long_name, "rust-tls"}, {"", nullptr}};

json report_json(Session& s, const std::string& where) {
    CommandOutput out = s.run("seam report --json");
    EXPECT_TRUE(out.ok) << where << ": " << out.text();
    return json::parse(out.output, nullptr, false);
}

class ThreadNames : public testing::TestWithParam<std::string> {};

TEST_P(ThreadNames, RustNamesLiveAndFromCores) {
    const std::string exe = std::string(SEAM_E2E_FIXTURE_DIR) + "/threads-" + GetParam();
    ASSERT_TRUE(fs::exists(exe)) << exe << " was not built";
    // seam reads the handle std keeps in `std::thread::current::CURRENT` (rust-lang/rust#127912)
    // and tells main by `std::thread::main_thread::MAIN` (#132654); an older std (1.63's) keeps
    // it in `std::sys_common::thread_info::THREAD_INFO`. Every era the suite is built with must
    // name its threads: the fixture must have one of the two, or the test is out of date.
    ShellRun symbols = run_shell("nm -C " + quote(exe));
    ASSERT_EQ(symbols.status, 0) << symbols.err;
    const bool current = symbols.out.find("std::thread::current::CURRENT") != std::string::npos;
    const bool thread_info =
        symbols.out.find("std::sys_common::thread_info::THREAD_INFO") != std::string::npos;
    ASSERT_TRUE(current || thread_info) << "a std whose current thread seam does not know";
    const fs::path dir = fs::temp_directory_path() / ("seam-threads-" + GetParam());
    fs::create_directories(dir);
    auto session = Session::create(SEAM_E2E_PLUGIN);
    ASSERT_TRUE(session.ok()) << session.error().message;
    auto first = (*session)->launch(exe, {{"SEAM_THREADS_KIND", "panic"}, {"RUST_BACKTRACE", "0"}},
                                    (dir / "err").string());
    ASSERT_TRUE(first.ok()) << first.error().message;
    auto stop = (*session)->resume();
    ASSERT_TRUE(stop.ok()) << stop.error().message;

    json live = report_json(**session, "live");
    EXPECT_EQ(names_in_report(live), k_expected) << live["other_threads"].dump();
    CommandOutput bt = (*session)->run("seam bt --all --json");
    ASSERT_TRUE(bt.ok) << bt.text();
    json threads = json::parse(bt.output, nullptr, false)["threads"];
    ASSERT_EQ(threads.size(), 4u) << bt.output.substr(0, 400);
    std::map<std::string, json> from_bt;
    for (const json& t : threads) from_bt[t["name"].get<std::string>()] = t["name_source"];
    EXPECT_EQ(from_bt, (std::map<std::string, json>{{"worker-7", "rust-tls"},
                                                    {"main", "rust-tls"},
                                                    {k_long_name, "rust-tls"},
                                                    {"", nullptr}}));

    const std::string dump = (dir / "core.dmp").string();
    ASSERT_TRUE((*session)->save_core(dump).ok());
    (*session)->kill();
    auto loaded = (*session)->load_core(exe, dump);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    // LLDB 19's minidumps carry no thread pointer (fs_base reads 0xffff): the control blocks
    // are found in memory instead.
    json from_dump = report_json(**session, "minidump");
    EXPECT_EQ(names_in_report(from_dump), k_expected) << from_dump["other_threads"].dump();

    const std::string elf = (dir / "core.elf").string();
    ASSERT_TRUE(gcore_at_crash(exe, {"panic"}, elf).ok());
    const std::string tool =
        (fs::path(SEAM_E2E_PLUGIN).parent_path().parent_path() / "cli" / "seam-report").string();
    ShellRun r = run_shell(quote(tool) + " --format json " + quote(elf));
    ASSERT_EQ(r.status, 0) << r.err;
    json from_elf = json::parse(r.out, nullptr, false);
    ASSERT_FALSE(from_elf.is_discarded()) << r.out;
    EXPECT_EQ(names_in_report(from_elf), k_expected) << from_elf["other_threads"].dump();
    std::ifstream schema_file(fs::path(SEAM_SOURCE_DIR) / "docs" / "report.schema.json");
    json schema = json::parse(schema_file, nullptr, false);
    ASSERT_FALSE(schema.is_discarded());
    EXPECT_EQ(validate_json(schema, from_elf), std::vector<std::string>{});
    ShellRun text = run_shell(quote(tool) + " " + quote(elf));
    EXPECT_NE(text.out.find(") 'worker-7', stop reason = signal SIGABRT"), std::string::npos)
        << text.out;
    if (!HasFailure()) fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Levels, ThreadNames, testing::Values("O0", "O2"));

} // namespace
} // namespace seam::e2e
