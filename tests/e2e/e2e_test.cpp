// End-to-end: every fixture binary (tests/fixtures, both opt levels) runs under LLDB with the
// seam plugin loaded; at each probe stop, `seam print` must reproduce what the program's own
// `{:?}` / `{:#?}` printed, byte for byte, and the ownership facts it recorded.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

#include "tests/e2e/compare.h"
#include "tests/e2e/expectations.h"
#include "tests/e2e/scratch_dir.h"
#include "tests/e2e/session.h"

namespace seam::e2e {
namespace {

namespace fs = std::filesystem;

// Filled in by the build: SEAM_E2E_FIXTURES is "name-O0,name-O2,...".
std::vector<std::string> fixture_names() {
    std::vector<std::string> out;
    std::stringstream ss(SEAM_E2E_FIXTURES);
    for (std::string item; std::getline(ss, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

Tally g_total;
size_t g_stops = 0;

std::vector<std::pair<std::string, std::string>> program_env(const std::string& expect_path) {
    std::vector<std::pair<std::string, std::string>> env = {{"SEAM_EXPECT", expect_path}};
    // A failing seeded run repeats with the same SEAM_SEED.
    if (const char* seed = std::getenv("SEAM_SEED")) env.emplace_back("SEAM_SEED", seed);
    return env;
}

// The end of what the program printed (a panic message, say).
std::string tail_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    return text.size() > 2000 ? "..." + text.substr(text.size() - 2000) : text;
}

void report(const std::string& where, const std::vector<Mismatch>& mismatches) {
    for (const Mismatch& m : mismatches) {
        if (m.excused) {
            std::cout << "[ seam     ] " << where << ": " << m.what << " of `" << m.name
                      << "` excused: " << clip(m.actual, 300) << "\n";
            continue;
        }
        ADD_FAILURE() << where << ": " << m.what << " of `" << m.name
                      << "`\n  expected: " << clip(m.expected)
                      << "\n  actual:   " << clip(m.actual);
    }
}

// Optimised fixtures may lose locations (see compare.h); SEAM_E2E_STRICT=1 fails them anyway.
bool excuse_optimised(const std::string& fixture) {
    const char* strict = std::getenv("SEAM_E2E_STRICT");
    if (strict && std::string(strict) == "1") return false;
    return fixture.size() > 3 && fixture.compare(fixture.size() - 3, 3, "-O0") != 0;
}

// Compares one stop and folds its counts into `tally`.
void check_stop(Session& session, const std::string& fixture, const std::string& where,
                const std::string& expect_path, Tally& tally) {
    auto exp = read_expectations(expect_path);
    if (!exp) {
        ADD_FAILURE() << where << ": unreadable expectations: " << exp.error().message;
        return;
    }
    std::vector<Mismatch> mismatches;
    tally += compare_stop(session, *exp, mismatches, excuse_optimised(fixture));
    report(where, mismatches);
}

void print_tally(const std::string& label, const Tally& t) {
    std::cout << "[ seam     ] " << label << " " << t.exact_line() << "\n"
              << "[ seam     ] " << label << " " << t.detail_line() << std::endl;
}

class Fixture : public ::testing::TestWithParam<std::string> {};

TEST_P(Fixture, PrintsLikeRust) {
    const std::string name = GetParam();
    const std::string exe = std::string(SEAM_E2E_FIXTURE_DIR) + "/" + name;
    ASSERT_TRUE(fs::exists(exe)) << exe << " was not built (cmake --build <dir> --target fixtures)";
    ScratchDir scratch("e2e-" + name);
    ASSERT_TRUE(scratch.ok());
    auto session = Session::create(SEAM_E2E_PLUGIN);
    ASSERT_TRUE(session.ok()) << session.error().message;

    const std::string expect_path = scratch.path("expect");
    auto stop = (*session)->launch(exe, program_env(expect_path), scratch.path("output"));
    ASSERT_TRUE(stop.ok()) << stop.error().message;

    Tally tally;
    size_t probes = 0;
    // A fixture stops a handful of times; the cap turns a runaway loop into a failure.
    for (size_t guard = 0; stop.ok() && stop->kind == StopKind::Probe && guard < 1000; ++guard) {
        ++probes;
        check_stop(**session, name,
                   name + " probe " + std::to_string(probes) + " (" + stop->description + ")",
                   expect_path, tally);
        stop = (*session)->resume();
    }
    ASSERT_TRUE(stop.ok()) << stop.error().message;
    EXPECT_TRUE(stop->kind == StopKind::Exited)
        << name << " stopped outside a probe: " << stop->description << "\nprogram output:\n"
        << tail_of(scratch.path("output"));
    if (stop->kind == StopKind::Exited)
        EXPECT_EQ(stop->exit_status, 0)
            << name << " exited with " << stop->exit_status << "\nprogram output:\n"
            << tail_of(scratch.path("output"));
    EXPECT_GT(probes, 0u) << name << " never reached seam_probe";
    print_tally(name, tally);
    g_total += tally;
    g_stops += probes;
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
    std::string s = info.param;
    for (char& c : s)
        if (!isalnum(static_cast<unsigned char>(c))) c = '_';
    return s;
}

INSTANTIATE_TEST_SUITE_P(All, Fixture, ::testing::ValuesIn(fixture_names()), test_name);

// The same comparisons on a core saved at the first probe stop: `seam print` must work with no
// live process, and string literals (read from the executable) must still print.
TEST(Core, PrintsLikeRust) {
    const std::string name = SEAM_E2E_CORE_FIXTURE;
    const std::string exe = std::string(SEAM_E2E_FIXTURE_DIR) + "/" + name;
    ASSERT_TRUE(fs::exists(exe)) << exe << " was not built";
    ScratchDir scratch("e2e-core-" + name);
    ASSERT_TRUE(scratch.ok());
    auto session = Session::create(SEAM_E2E_PLUGIN);
    ASSERT_TRUE(session.ok()) << session.error().message;

    const std::string expect_path = scratch.path("expect");
    auto stop = (*session)->launch(exe, program_env(expect_path), scratch.path("output"));
    ASSERT_TRUE(stop.ok()) << stop.error().message;
    ASSERT_TRUE(stop->kind == StopKind::Probe) << stop->description;
    const std::string core = scratch.path("core.dmp");
    auto saved = (*session)->save_core(core);
    ASSERT_TRUE(saved.ok()) << saved.error().message;
    (*session)->kill();

    auto loaded = (*session)->load_core(exe, core);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    ASSERT_TRUE(loaded->kind == StopKind::Probe)
        << "no thread in seam_probe in the core: " << loaded->description;
    Tally tally;
    check_stop(**session, name, name + " core (" + loaded->description + ")", expect_path, tally);
    EXPECT_GT(tally.debug.total, 0u) << "the first probe of " << name << " recorded nothing";
    print_tally(name + " (core)", tally);
    g_total += tally;
    ++g_stops;
}

// The kernel's own core format: an ELF core that gdb's `gcore` writes at the first probe stop
// (independent of the host's core_pattern), loaded with its executable. LLDB's SaveCore above
// writes a minidump; crash reports in the field are ELF cores like this one.
TEST(Core, ElfCorePrintsLikeRust) {
    const std::string name = SEAM_E2E_CORE_FIXTURE;
    const std::string exe = std::string(SEAM_E2E_FIXTURE_DIR) + "/" + name;
    ASSERT_TRUE(fs::exists(exe)) << exe << " was not built";
    ScratchDir scratch("e2e-elfcore-" + name);
    ASSERT_TRUE(scratch.ok());
    const std::string expect_path = scratch.path("expect");
    const std::string core = scratch.path("core.elf");
    const std::string gdb_log = scratch.path("gdb.log");
    const std::string cmd = "SEAM_EXPECT='" + expect_path + "' gdb -q -batch -nx" +
                            " -ex 'set pagination off' -ex 'break seam_probe' -ex run" +
                            " -ex 'gcore " + core + "' -ex kill '" + exe + "' > '" + gdb_log +
                            "' 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "gdb failed; see " << gdb_log;
    ASSERT_TRUE(fs::exists(core)) << "gdb wrote no core; see " << gdb_log;

    auto session = Session::create(SEAM_E2E_PLUGIN);
    ASSERT_TRUE(session.ok()) << session.error().message;
    auto loaded = (*session)->load_core(exe, core);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    ASSERT_TRUE(loaded->kind == StopKind::Probe)
        << "no thread in seam_probe in the core: " << loaded->description;
    Tally tally;
    check_stop(**session, name, name + " ELF core (" + loaded->description + ")", expect_path,
               tally);
    EXPECT_GT(tally.debug.total, 0u) << "the first probe of " << name << " recorded nothing";
    print_tally(name + " (ELF core)", tally);
    g_total += tally;
    ++g_stops;
}

class LldbEnvironment : public ::testing::Environment {
public:
    void SetUp() override { initialize_lldb(SEAM_E2E_LLDB_BIN); }
    void TearDown() override {
        print_tally("TOTAL (" + std::to_string(g_stops) + " stops)", g_total);
        terminate_lldb();
    }
};

} // namespace
} // namespace seam::e2e

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    ::testing::AddGlobalTestEnvironment(new seam::e2e::LldbEnvironment);
    return RUN_ALL_TESTS();
}
