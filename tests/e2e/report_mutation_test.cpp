// seam-report over seeded mutants of real cores and their executables (issue 13, finding 8):
// bit flips in the cores' ELF headers and notes, cores cut short, bit flips in the executables'
// DWARF and unwind tables. LLDB crashes on some of them and once deadlocked in its teardown
// after the report was made; every core must still end within seconds with its report or a
// one-line error, the batch must hold one entry per core, and no worker may outlive the batch.
// The mutants run as one batch through seam-report's own workers (--jobs 2).
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <elf.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <regex>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/core_mutants.h"
#include "tests/e2e/report_cores.h"
#include "tests/e2e/scratch_dir.h"

namespace seam::e2e {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

const std::string k_tool =
    (fs::path(SEAM_E2E_PLUGIN).parent_path().parent_path() / "cli" / "seam-report").string();
const std::string k_crash = std::string(SEAM_E2E_FIXTURE_DIR) + "/crash_abort-O0";
const std::string k_demo = std::string(SEAM_E2E_FIXTURE_DIR) + "/demo-O0";

// A core's time limit in these runs, and the bound every core must end within (measured by
// seam-report from handing the core to a worker to its answer). A healthy core takes well
// under a second here.
constexpr unsigned k_timeout = 15;
constexpr double k_bound = 20;

struct ReportRun {
    int status = -1; ///< exit status; -1 when seam-report did not exit normally
    std::string out, err;
    double seconds = 0;
    std::vector<pid_t> left; ///< processes of its session still alive after it exited
};

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The live processes of session `sid`, other than zombies.
std::vector<pid_t> session_members(pid_t sid) {
    std::vector<pid_t> out;
    for (const auto& e : fs::directory_iterator("/proc")) {
        std::string stat = slurp(e.path().string() + "/stat");
        auto paren = stat.rfind(')');
        if (paren == std::string::npos) continue;
        std::istringstream fields(stat.substr(paren + 2));
        std::string state;
        long ppid = 0, pgrp = 0, session = 0;
        fields >> state >> ppid >> pgrp >> session;
        if (session == sid && state != "Z") out.push_back(pid_t(std::stol(e.path().filename())));
    }
    return out;
}

// Runs seam-report in a session of its own, so that every worker it forks can be found after
// it exits: a process keeps its session id when its parent dies. `kill_after` seconds, when
// given, seam-report is killed (as a CI job's timeout would).
ReportRun run_report(const std::vector<std::string>& args, const std::string& dir,
                     std::optional<double> kill_after = std::nullopt) {
    std::string out = dir + "/report.out", err = dir + "/report.err";
    std::vector<std::string> argv_s = {k_tool};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    ReportRun r;
    auto start = Clock::now();
    pid_t pid = ::fork();
    if (pid == 0) {
        ::setsid();
        if (!std::freopen(out.c_str(), "w", stdout) || !std::freopen(err.c_str(), "w", stderr))
            ::_exit(127);
        ::execv(k_tool.c_str(), argv.data());
        ::_exit(127);
    }
    if (kill_after) {
        std::this_thread::sleep_for(std::chrono::duration<double>(*kill_after));
        ::kill(pid, SIGKILL);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    // A worker whose parent was killed gets its own SIGKILL from the kernel: give it a moment.
    for (int i = 0; i < (kill_after ? 20 : 1); ++i) {
        if (i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        r.left = session_members(pid);
        if (r.left.empty()) break;
    }
    for (pid_t p : r.left) ::kill(p, SIGKILL);
    return r;
}

// The cores every test here reads, made once from copies of the fixtures named `NAME-base` (the
// mutants' executables go beside them under paths of the same length): a fault in C and an
// abort in C (crash_abort), and demo stopped at its probe inside a C -> Rust callback.
class ReportMutation : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_scratch = ScratchDir("e2e-mutants");
        s_dir = s_scratch.dir();
        if (s_dir.empty() || !fs::exists(k_crash) || !fs::exists(k_demo)) return;
        fs::create_directories(s_dir + "/bin");
        std::string crash = s_dir + "/bin/crash-base", demo = s_dir + "/bin/demo-base";
        fs::copy_file(k_crash, crash);
        fs::copy_file(k_demo, demo);
        bool made = gcore_at_crash(crash, {"c_segv"}, s_dir + "/segv.core").ok() &&
                    gcore_at_crash(crash, {"c_abort"}, s_dir + "/abort.core").ok();
        // demo does not crash: stop it at its probe instead (gdb's breakpoint, SIGTRAP).
        std::string cmd = "gdb -q -batch -nx -ex 'break seam_probe' -ex run -ex " +
                          quote("gcore " + s_dir + "/demo.core") + " -ex kill " + quote(demo) +
                          " > /dev/null 2>&1";
        made = made && std::system(cmd.c_str()) == 0 && fs::exists(s_dir + "/demo.core");
        if (!made) return;
        s_bases = {{s_dir + "/segv.core", crash},
                   {s_dir + "/abort.core", crash},
                   {s_dir + "/demo.core", demo}};
        s_ready = true;
    }
    static void TearDownTestSuite() {
        // A failed test's mutants stay for a look (HasFailure() sees no test here).
        if (::testing::UnitTest::GetInstance()->failed_test_count() > 0) s_scratch.keep();
        s_scratch = ScratchDir(); // removes the directory unless kept
    }
    void SetUp() override {
        ASSERT_TRUE(fs::exists(k_tool)) << k_tool << " was not built";
        ASSERT_TRUE(s_ready) << "could not make the base cores (fixtures crash_abort and demo "
                                "built?) in "
                             << s_dir;
    }

    static inline ScratchDir s_scratch;
    static inline std::string s_dir;
    static inline std::vector<CorePair> s_bases;
    static inline bool s_ready = false;
};

// The errors seam-report may give a corrupt core, each a whole line of its own. Running out of
// --timeout is deliberately not among them: here it would mean a mutant hangs LLDB, and the
// timeout throws away whatever report was made (issue 13 saw that from a teardown deadlock).
const std::vector<std::regex>& clear_errors() {
    static const std::vector<std::regex> all = [] {
        std::vector<std::regex> v;
        for (
            const char* e : {
                R"(cannot read core: \S+ is truncated: its segments need \d+ bytes, the file has \d+)",
                R"(cannot read core: \S+ is not a core file \(neither an ELF core nor a minidump\))",
                R"(cannot read core: \S+ is an ELF file but not a core)",
                R"(cannot read core: \S+ is not a 64-bit little-endian ELF)",
                R"(cannot read core: \S+ is cut short: its program headers are missing)",
                R"(executable not found: .*)",
                R"(cannot read executable: \S+ (is not an ELF file|is not a 64-bit little-endian ELF|is cut short: its program headers are missing))",
                R"(cannot load \S+: .+)",
                R"(build-id mismatch: the core was dumped by .* \(build-id [0-9a-f]*\), but \S+ has build-id [0-9a-f]+)",
                R"(cannot open \S+: .+)",
                R"(the core holds no threads \(corrupt or cut short\?\))",
                R"(not loaded: LLDB would wait forever for this core's process to stop, because no thread stopped with a signal LLDB stops at: thread -?\d+'s signal is (0x[0-9a-f]+, which is no signal|\d+ \(\w+\), at which LLDB does not stop) \((NT_SIGINFO|NT_PRSTATUS|its exception stream)\); (the core is corrupt|the minidump is corrupt, or was saved at a stop that was no signal))",
                R"(out of memory: LLDB asked for more than this worker's \d+ MiB \(--memory-limit\) on this core; the core or its executable is corrupt \(a length in it is far too large\))",
                R"(LLDB failed on this core: .+; the core or its executable is corrupt or unsupported)",
                R"(the analysis crashed on this core \(signal \d+ \([^)]+\)\); the core or its executable is corrupt or unsupported)",
            })
            v.emplace_back(e);
        return v;
    }();
    return all;
}

bool clear_error(const std::string& e) {
    return std::any_of(clear_errors().begin(), clear_errors().end(),
                       [&](const std::regex& r) { return std::regex_match(e, r); });
}

// The run's seed: SEAM_MUTATION_SEED, a number or `random` (then printed, to rerun with).
uint64_t mutation_seed() {
    const char* s = std::getenv("SEAM_MUTATION_SEED");
    if (!s) return 5;
    if (std::string(s) == "random")
        return std::random_device()() | uint64_t(std::random_device()()) << 32;
    return std::strtoull(s, nullptr, 0);
}

// One round's tally: kind -> outcome -> count.
using Tally = std::map<std::string, std::map<std::string, int>>;

struct Slowest {
    double seconds = 0;
    std::string core;
};

// Checks one round's batch answer against its mutants.
void check_round(const std::vector<Mutant>& mutants, const ReportRun& r, Tally& tally,
                 Slowest& slowest) {
    EXPECT_EQ(r.left, std::vector<pid_t>{}) << "workers outlived seam-report";
    ASSERT_TRUE(r.status == 0 || r.status == 1) << r.status << "\n" << r.err;
    json batch = json::parse(r.out, nullptr, false);
    ASSERT_FALSE(batch.is_discarded()) << r.out.substr(0, 2000) << r.err;
    ASSERT_EQ(batch["cores"].size(), mutants.size()) << "one entry per core";
    EXPECT_EQ(batch["total"], mutants.size());
    EXPECT_EQ(r.status, batch["failed"] == 0 ? 0 : 1);
    for (size_t i = 0; i < mutants.size(); ++i) {
        const Mutant& m = mutants[i];
        const json& e = batch["cores"][i];
        SCOPED_TRACE(fmt::format("{} (round {}, {}, {} flips, cut at {} of {}, executable {})",
                                 m.core, m.round, name_of(m.kind), m.flips, m.cut_at, m.base_size,
                                 m.exe));
        ASSERT_EQ(e["core"], m.core) << "entries in input order";
        ASSERT_TRUE(e.contains("seconds")) << e.dump();
        double seconds = e["seconds"];
        EXPECT_LT(seconds, k_bound);
        if (seconds > slowest.seconds) slowest = {seconds, m.core};
        std::string outcome;
        if (e["status"] == "ok") {
            EXPECT_TRUE(e["report"].is_object()) << e.dump();
            EXPECT_TRUE(e["report"]["classification"]["kind"].is_string()) << e.dump();
            if (m.kind == MutationKind::Dwarf || m.kind == MutationKind::Unwind)
                EXPECT_EQ(e["report"]["executable"], m.exe) << "the mutated executable was read";
            outcome = "report";
        } else {
            ASSERT_TRUE(e["error"].is_string()) << e.dump();
            std::string error = e["error"];
            EXPECT_TRUE(clear_error(error)) << "not a known, one-line error: " << error;
            outcome = error.starts_with("the analysis crashed") ? "error: LLDB crashed"
                      : error.starts_with("cannot read core")   ? "error: core unreadable"
                                                                : "error: " + error.substr(0, 24);
        }
        ++tally[name_of(m.kind)][outcome];
        // A core cut before its segments end is refused before LLDB sees it.
        if (m.kind == MutationKind::Truncation && m.cut_at >= 4096 && m.cut_at < m.segments_end)
            EXPECT_EQ(e["error"], fmt::format("cannot read core: {} is truncated: its segments "
                                              "need {} bytes, the file has {}",
                                              m.core, m.segments_end, m.cut_at));
    }
}

// Over a thousand mutants, in rounds of 255 (each round one batch through seam-report's own
// workers, its mutated executables removed after it passed): the whole run stays within a few
// minutes on two cores and under 700 MB of disk. SEAM_MUTATION_SEED reruns another seed
// (`random` picks one and prints it); SEAM_MUTATION_ROUNDS=FIRST-LAST reruns some rounds;
// SEAM_MUTATION_KEEP=1 keeps every round's mutants.
TEST_F(ReportMutation, EveryMutantEndsWithAReportOrAClearError) {
    MutationPlan plan;
    plan.seed = mutation_seed();
    plan.core_headers = 25, plan.truncations = 16, plan.exe_headers = 10, plan.dwarf = 24,
    plan.unwind = 10;
    unsigned first = 0, last = 3;
    if (const char* s = std::getenv("SEAM_MUTATION_ROUNDS"))
        std::sscanf(s, "%u-%u", &first, &last), last = std::max(first, last);
    std::cout << fmt::format("mutation seed {} (SEAM_MUTATION_SEED={} "
                             "SEAM_MUTATION_ROUNDS={}-{} reruns it)\n",
                             plan.seed, plan.seed, first, last)
              << std::flush; // before seam-report's fork, or its child writes it again
    SCOPED_TRACE("seed " + std::to_string(plan.seed) + " (SEAM_MUTATION_SEED)");

    Tally tally;
    Slowest slowest;
    size_t total = 0;
    double seconds = 0;
    for (plan.round = first; plan.round <= last; ++plan.round) {
        std::string dir = fmt::format("{}/round{}", s_dir, plan.round);
        auto mutants = make_mutants(s_bases, dir, plan);
        ASSERT_TRUE(mutants.ok()) << mutants.error().message;
        ASSERT_EQ(mutants->size(), 255u);
        ReportRun r = run_report(
            {"--format", "json", "--jobs", "2", "--timeout", std::to_string(k_timeout), dir},
            s_dir);
        check_round(*mutants, r, tally, slowest);
        total += mutants->size();
        seconds += r.seconds;
        if (HasFailure()) break;                 // the round's files stay for a look
        if (std::getenv("SEAM_MUTATION_KEEP")) { // every round's files stay (to distil one)
            s_scratch.keep();
            continue;
        }
        std::error_code ec;
        fs::remove_all(dir, ec);
        for (const Mutant& m : *mutants)
            if (!m.exe.ends_with("-base")) fs::remove(m.exe, ec);
    }
    if (first == 0 && last == 3 && !HasFailure()) EXPECT_GE(total, 1000u);
    std::string summary;
    for (const auto& [kind, outcomes] : tally)
        for (const auto& [outcome, n] : outcomes)
            summary += fmt::format("  {:<14} {:<28} {}\n", kind, outcome, n);
    std::cout << fmt::format("{} mutants (seed {}) in {:.1f} s, slowest {:.2f} s ({}):\n{}", total,
                             plan.seed, seconds, slowest.seconds, slowest.core, summary);
}

// A core whose PT_LOAD segments claim 4 GiB each in memory (p_memsz; their bytes in the file
// unchanged), as one of seed 5's header mutants did with 860 GB: LLDB 19 zero-fills such a
// segment on its heap when it reads it (4 GiB of RSS and 40 s; 860 GB ends stock lldb with
// std::bad_alloc). The worker's address-space limit makes it fail fast, alone, with its error;
// the cores around it are reported, by a fresh worker after the one LLDB threw in.
TEST_F(ReportMutation, AHugeSegmentFailsItsCoreAloneAndFast) {
    std::ifstream in(s_dir + "/segv.core", std::ios::binary);
    std::vector<unsigned char> core((std::istreambuf_iterator<char>(in)), {});
    Elf64_Ehdr h;
    ASSERT_GE(core.size(), sizeof h);
    std::memcpy(&h, core.data(), sizeof h);
    for (unsigned i = 0; i < h.e_phnum; ++i) {
        Elf64_Phdr p;
        std::memcpy(&p, core.data() + h.e_phoff + i * sizeof p, sizeof p);
        if (p.p_type != PT_LOAD) continue;
        p.p_memsz = uint64_t(4) << 30;
        std::memcpy(core.data() + h.e_phoff + i * sizeof p, &p, sizeof p);
    }
    std::string huge = s_dir + "/huge-segments.core";
    std::ofstream(huge, std::ios::binary)
        .write(reinterpret_cast<const char*>(core.data()), std::streamsize(core.size()));
    ReportRun r = run_report({"--format", "json", "--jobs", "1", "--timeout", "30",
                              s_dir + "/segv.core", huge, s_dir + "/demo.core"},
                             s_dir);
    EXPECT_EQ(r.left, std::vector<pid_t>{}) << "workers outlived seam-report";
    EXPECT_EQ(r.status, 1) << r.err;
    json batch = json::parse(r.out, nullptr, false);
    ASSERT_FALSE(batch.is_discarded()) << r.out << r.err;
    ASSERT_EQ(batch["cores"].size(), 3u);
    const json& e = batch["cores"][1];
    uint64_t limit = (uint64_t(2048) << 20) + 4 * (fs::file_size(huge) + fs::file_size(k_crash));
    // LLDB 19 zero-fills the segment; an LLDB that does not may read the core whole (and
    // fast), which the time bound below still checks.
    if (e["status"] != "ok")
        EXPECT_EQ(e["error"],
                  fmt::format("out of memory: LLDB asked for more than this worker's {} MiB "
                              "(--memory-limit) on this core; the core or its executable "
                              "is corrupt (a length in it is far too large)",
                              (limit + (1 << 20) - 1) >> 20))
            << e.dump();
    EXPECT_LT(e["seconds"].get<double>(), 10.0) << "failed fast, not after zero-filling 4 GiB";
    EXPECT_EQ(batch["cores"][0]["status"], "ok") << batch["cores"][0].dump();
    EXPECT_EQ(batch["cores"][2]["status"], "ok") << batch["cores"][2].dump();
}

// A core whose only signal is one LLDB does not stop at: seed 5's header mutant 094 of abort's
// core had NT_SIGINFO's si_signo 6 turned into 0x80000006, and SIGCHLD does the same, in an ELF
// core's NT_SIGINFO and in a minidump's exception stream. LLDB 19's
// LoadCore then waits forever for the process to stop (seam-report's timeout ended it after
// 15 s). seam reads the signals first and refuses the core at once, saying why.
TEST_F(ReportMutation, ACoreWithASignalLldbDoesNotStopAtFailsFast) {
    std::ifstream in(s_dir + "/abort.core", std::ios::binary);
    std::string core((std::istreambuf_iterator<char>(in)), {});
    // NT_SIGINFO's header: namesz 5, descsz 128, type "SIGI", name "CORE".
    const std::string header("\x05\0\0\0\x80\0\0\0IGISCORE\0\0\0\0", 20);
    size_t at = core.find(header);
    ASSERT_NE(at, std::string::npos);
    ASSERT_EQ(core.find(header, at + 1), std::string::npos) << "one thread, one NT_SIGINFO";
    std::vector<std::string> args = {"--format",          "json", "--jobs", "1", "--timeout", "30",
                                     s_dir + "/segv.core"};
    for (uint32_t signo : {0x80000006u, 17u}) {
        std::string mutant = core;
        std::memcpy(mutant.data() + at + header.size(), &signo, 4);
        std::string path = fmt::format("{}/signal-{:x}.core", s_dir, signo);
        std::ofstream(path, std::ios::binary) << mutant;
        args.push_back(path);
    }
    // A minidump's exception stream: its ExceptionCode is the signal (LLDB 22's own writer puts
    // a breakpoint's site id there, and 17 is SIGCHLD).
    std::string dump = s_dir + "/signal-11.dmp";
    ASSERT_TRUE(minidump_at_crash(k_crash, {"c_segv"}, dump).ok());
    std::string md;
    {
        std::ifstream dump_in(dump, std::ios::binary);
        md.assign(std::istreambuf_iterator<char>(dump_in), {});
    }
    uint32_t streams = 0, directory = 0, code_at = 0;
    ASSERT_GE(md.size(), 16u);
    std::memcpy(&streams, md.data() + 8, 4);
    std::memcpy(&directory, md.data() + 12, 4);
    for (uint32_t i = 0; i < streams && directory + i * 12 + 12 <= md.size(); ++i) {
        uint32_t type = 0, rva = 0;
        std::memcpy(&type, md.data() + directory + i * 12, 4);
        std::memcpy(&rva, md.data() + directory + i * 12 + 8, 4);
        if (type == 6) code_at = rva + 8; // MINIDUMP_EXCEPTION_STREAM's ExceptionCode
    }
    ASSERT_NE(code_at, 0u) << "no exception stream";
    uint32_t sigchld = 17;
    std::memcpy(md.data() + code_at, &sigchld, 4);
    std::string bad_dump = s_dir + "/signal-11-made-17.dmp";
    std::ofstream(bad_dump, std::ios::binary) << md;
    args.push_back(bad_dump);
    args.push_back(dump);
    args.push_back(s_dir + "/abort.core");
    ReportRun r = run_report(args, s_dir);
    EXPECT_EQ(r.left, std::vector<pid_t>{}) << "workers outlived seam-report";
    EXPECT_EQ(r.status, 1) << r.err;
    json batch = json::parse(r.out, nullptr, false);
    ASSERT_FALSE(batch.is_discarded()) << r.out << r.err;
    ASSERT_EQ(batch["cores"].size(), 6u);
    const std::string lead = "not loaded: LLDB would wait forever for this core's process to "
                             "stop, because no thread stopped with a signal LLDB stops at: ";
    std::string tid =
        std::to_string(batch["cores"][5]["report"]["crashing_thread"]["id"].get<int>());
    EXPECT_EQ(batch["cores"][1]["error"],
              lead + "thread " + tid +
                  "'s signal is 0x80000006, which is no signal (NT_SIGINFO); the core is corrupt");
    EXPECT_EQ(batch["cores"][2]["error"],
              lead + "thread " + tid +
                  "'s signal is 17 (SIGCHLD), at which LLDB does not stop (NT_SIGINFO); the core "
                  "is corrupt");
    std::string dump_tid =
        std::to_string(batch["cores"][4]["report"]["crashing_thread"]["id"].get<int>());
    EXPECT_EQ(batch["cores"][3]["error"],
              lead + "thread " + dump_tid +
                  "'s signal is 17 (SIGCHLD), at which LLDB does not stop (its exception "
                  "stream); the minidump is corrupt, or was saved at a stop that was no signal");
    for (size_t i : {1u, 2u, 3u}) EXPECT_LT(batch["cores"][i]["seconds"].get<double>(), 5.0);
    for (size_t i : {0u, 4u, 5u})
        EXPECT_EQ(batch["cores"][i]["status"], "ok") << batch["cores"][i].dump();
}

// One lldb session over a core, in a process of its own, bounded by a time limit. The commands
// run from a file sourced with -e false: `lldb -b` alone stops at the first command that fails,
// and on a corrupt core some must fail (with their error).
struct LldbRun {
    bool survived = false; ///< exited normally within the time limit, no crash report
    std::string out;
};

LldbRun run_lldb(const std::string& dir, const std::vector<std::string>& commands) {
    std::string file = dir + "/lldb-commands";
    std::ofstream(file) << fmt::format("{}\n", fmt::join(commands, "\n"));
    ShellRun r = run_shell("timeout -s KILL 30 " + quote(std::string(SEAM_E2E_LLDB_BIN) + "/lldb") +
                           " -b -x -o " + quote("command source -e false " + file));
    LldbRun out;
    out.out = r.out + r.err;
    out.survived = r.status == 0 && out.out.find("PLEASE submit a bug report") == std::string::npos;
    return out;
}

// A batch where one core kills LLDB: the mutants found that LLDB 19 dies of SIGFPE loading an
// executable whose .dynstr section claims 8 GiB more than it holds (seed 17822759355043486820,
// round 0, mutant 212; `lldb -b -o "target create EXE"` dies the same). Its worker dies; the
// core is reported as failed, a fresh worker takes the next one, and nothing is left behind.
TEST_F(ReportMutation, ACoreThatKillsLldbFailsAloneAndTheBatchGoesOn) {
    std::string exe = s_dir + "/bin/crash-kill", killer = s_dir + "/kills-lldb.core";
    ASSERT_TRUE(
        write_oversized_section(s_bases.front(), ".dynstr", uint64_t(2) << 32, killer, exe).ok());
    LldbRun stock = run_lldb(s_dir, {"target create " + quote(exe)});
    if (stock.survived) GTEST_SKIP() << "this LLDB survives the reproducer:\n" << stock.out;
    ReportRun r = run_report({"--format", "json", "--jobs", "1", s_dir + "/segv.core", killer,
                              s_dir + "/demo.core", killer, s_dir + "/abort.core"},
                             s_dir);
    EXPECT_EQ(r.left, std::vector<pid_t>{}) << "workers outlived seam-report";
    EXPECT_EQ(r.status, 1) << r.err;
    json batch = json::parse(r.out, nullptr, false);
    ASSERT_FALSE(batch.is_discarded()) << r.out << r.err;
    ASSERT_EQ(batch["cores"].size(), 5u);
    for (size_t i : {1u, 3u})
        EXPECT_EQ(batch["cores"][i]["error"],
                  "the analysis crashed on this core (signal 8 (Floating point exception)); the "
                  "core or its executable is corrupt or unsupported")
            << batch["cores"][i].dump();
    for (size_t i : {0u, 2u, 4u})
        EXPECT_EQ(batch["cores"][i]["status"], "ok") << batch["cores"][i].dump();
    EXPECT_EQ(batch["failed"], 2);
}

// seam's LLDB commands over mutants of demo's core (stopped inside a C -> Rust callback, Rust
// locals in frame 1), each in an lldb of its own with the plugin loaded: `seam bt`, `seam print`
// and `frame variable` must not take LLDB down. Where LLDB dies anyway, stock LLDB (no plugin,
// its own `bt` and `frame variable`) must die on that core too: the fault is then LLDB's.
TEST_F(ReportMutation, SeamCommandsOnMutantsNeverTakeLldbDown) {
    MutationPlan plan;
    plan.seed = mutation_seed();
    plan.round = 50; // its own mutants, not the batch rounds'
    plan.core_headers = 4, plan.truncations = 2, plan.exe_headers = 2, plan.dwarf = 6,
    plan.unwind = 4;
    SCOPED_TRACE("seed " + std::to_string(plan.seed) + " (SEAM_MUTATION_SEED), round 50");
    auto mutants = make_mutants({s_bases.back()}, s_dir + "/plugin-mutants", plan);
    ASSERT_TRUE(mutants.ok()) << mutants.error().message;
    ASSERT_EQ(mutants->size(), 18u);
    std::map<std::string, int> tally;
    for (const Mutant& m : *mutants) {
        SCOPED_TRACE(fmt::format("{} ({}, {} flips, cut at {})", m.core, name_of(m.kind), m.flips,
                                 m.cut_at));
        std::string target = "target create --core " + quote(m.core) + " " + quote(m.exe);
        auto start = Clock::now();
        LldbRun seam = run_lldb(s_dir, {"plugin load " + std::string(SEAM_E2E_PLUGIN), target,
                                        "seam bt", "frame select 1", "seam print dev",
                                        "seam print --debug *dev", "frame variable", "seam own"});
        double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        EXPECT_LT(seconds, k_bound) << seam.out;
        if (seam.survived) {
            EXPECT_NE(seam.out.find("(lldb) seam own"), std::string::npos) << "every command ran:\n"
                                                                           << seam.out;
            ++tally["lldb with seam went on"];
            continue;
        }
        LldbRun stock = run_lldb(s_dir, {target, "bt", "frame select 1", "frame variable"});
        EXPECT_FALSE(stock.survived) << "seam took LLDB down on a core stock LLDB reads:\n"
                                     << seam.out;
        ++tally["LLDB itself died"];
    }
    for (const auto& [outcome, n] : tally) std::cout << fmt::format("  {:<24} {}\n", outcome, n);
}

// A core that never gives an answer (a named pipe nobody writes: what a core on a stalled network
// mount does) is stopped at its time limit with its error; the cores around it are reported and
// no worker is left.
TEST_F(ReportMutation, ACoreWithNoAnswerIsStoppedAtItsTimeLimit) {
    std::string stalled = s_dir + "/stalled.core";
    ASSERT_EQ(::mkfifo(stalled.c_str(), 0600), 0);
    ReportRun r = run_report({"--format", "json", "--jobs", "2", "--timeout", "5",
                              s_dir + "/segv.core", stalled, s_dir + "/demo.core"},
                             s_dir);
    EXPECT_EQ(r.left, std::vector<pid_t>{}) << "workers outlived seam-report";
    EXPECT_EQ(r.status, 1) << r.err;
    json batch = json::parse(r.out, nullptr, false);
    ASSERT_FALSE(batch.is_discarded()) << r.out << r.err;
    ASSERT_EQ(batch["cores"].size(), 3u);
    const json& e = batch["cores"][1];
    EXPECT_EQ(e["error"], "no answer within 5 s (--timeout): the analysis was stopped; the core or "
                          "its executable may be corrupt, or raise --timeout");
    EXPECT_GE(e["seconds"].get<double>(), 5.0);
    EXPECT_LT(e["seconds"].get<double>(), 7.0) << "the worker is stopped at the limit";
    EXPECT_EQ(batch["cores"][0]["status"], "ok") << batch["cores"][0].dump();
    EXPECT_EQ(batch["cores"][2]["status"], "ok") << batch["cores"][2].dump();
    EXPECT_LT(r.seconds, 20.0);

    // seam-report killed while a worker waits on the stalled core: the worker dies with it.
    ReportRun killed = run_report({"--jobs", "1", "--timeout", "60", stalled}, s_dir, 1.5);
    EXPECT_EQ(killed.status, -1);
    EXPECT_EQ(killed.left, std::vector<pid_t>{}) << "a worker outlived its killed parent";
}

} // namespace
} // namespace seam::e2e
