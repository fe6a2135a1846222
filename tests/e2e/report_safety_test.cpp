// What seam-report must never do with a core from the field (issue 17): run code of the target
// or the core (no expression evaluated, nothing JIT-compiled), size an allocation by a length
// read from the input, or write anywhere it was not told to. Each is checked on real cores of
// the crash fixture (gdb's gcore at the crash) against an independent witness: LLDB's own log of
// every SB API call and of its expression and JIT machinery, the kernel's account of the
// processes' peak memory (wait4), and the files on disk before and after.
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/e2e/report_cores.h"
#include "tests/e2e/scratch_dir.h"

namespace seam::e2e {
namespace {

namespace fs = std::filesystem;

const std::string k_tool =
    (fs::path(SEAM_E2E_PLUGIN).parent_path().parent_path() / "cli" / "seam-report").string();
const std::string k_crash = std::string(SEAM_E2E_FIXTURE_DIR) + "/crash_abort-O0";

// Lines of LLDB's log that mean an expression was parsed, interpreted or JIT-compiled: the SB
// entry points (api) and the files of LLDB's expression machinery, its IR interpreter and its JIT
// (expr; `-F` names the file and function of each line).
const std::regex k_evaluation(
    "EvaluateExpression|UserExpression|IRInterpreter|IRExecutionUnit|IRForTarget|IRMemoryMap|"
    "FunctionCaller|ClangExpression|ExpressionParser|CreateValueFromExpression");

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> lines_matching(const std::string& text, const std::regex& re) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (std::regex_search(line, re)) out.push_back(line);
    return out;
}

struct Spawned {
    int status = -1;        ///< exit status, -1 when it did not exit normally
    long peak_rss_kib = -1; ///< the largest of the process and the children it waited for
    std::string out, err;
};

// Runs `argv` in `cwd` with `env` over this process's environment, its output in files of
// `scratch`; wait4 gives the peak RSS of the process and of every child it reaped (seam-report
// reaps its workers), as the kernel counted it.
Spawned spawn(const std::vector<std::string>& argv, const std::string& cwd,
              const std::map<std::string, std::string>& env, const std::string& scratch) {
    std::vector<std::string> env_text;
    for (char** e = environ; *e; ++e) {
        std::string entry = *e;
        if (!env.contains(entry.substr(0, entry.find('=')))) env_text.push_back(entry);
    }
    for (const auto& [k, v] : env) env_text.push_back(k + "=" + v);
    std::vector<char*> envp, args;
    for (auto& e : env_text) envp.push_back(e.data());
    envp.push_back(nullptr);
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::string out_path = scratch + "/spawn.out", err_path = scratch + "/spawn.err";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
    Spawned r;
    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return r;
    int status = 0;
    rusage usage{};
    while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
    }
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.peak_rss_kib = usage.ru_maxrss;
    r.out = slurp(out_path);
    r.err = slurp(err_path);
    fs::remove(out_path);
    fs::remove(err_path);
    return r;
}

// Every file and directory under `root`, with each file's size and modification time.
std::map<std::string, std::string> tree(const fs::path& root) {
    std::map<std::string, std::string> out;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
        std::string rel = fs::relative(it->path(), root).string();
        if (it->is_regular_file())
            out[rel] = std::to_string(it->file_size()) + " " +
                       std::to_string(it->last_write_time().time_since_epoch().count());
        else
            out[rel] = it->is_directory() ? "dir" : "other";
    }
    return out;
}

// The cores every test reads, made once: a panic (index out of bounds, with locals of several
// kinds) and a crash whose locals claim lengths and capacities of 2^40 (crash_kinds.rs,
// huge_lengths).
class ReportSafety : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_scratch = ScratchDir("e2e-report-safety");
        if (!s_scratch.ok() || !fs::exists(k_crash)) return;
        s_ready = gcore_at_crash(k_crash, {"index_oob"}, path("oob.elf")).ok() &&
                  gcore_at_crash(k_crash, {"huge_lengths"}, path("huge.elf")).ok();
    }
    static void TearDownTestSuite() { s_scratch = ScratchDir(); }
    void SetUp() override {
        ASSERT_TRUE(fs::exists(k_tool)) << k_tool << " was not built";
        ASSERT_TRUE(s_ready) << "could not make the cores (fixture crash_abort built?) in "
                             << s_scratch.dir();
    }
    static std::string path(const std::string& name) { return s_scratch.path(name); }

    static inline ScratchDir s_scratch;
    static inline bool s_ready = false;
};

// LLDB's own log of the whole analysis: seam's SB API calls are in it (the witness works), and
// none of them, nor anything LLDB did on its own, parsed, interpreted or JIT-compiled an
// expression. The same log over an lldb that evaluates one expression on the same core shows
// the pattern does catch an evaluation.
TEST_F(ReportSafety, EvaluatesNoExpressionAndCompilesNothing) {
    std::string log = path("lldb.log");
    fs::remove(log);
    ShellRun r = run_shell(quote(k_tool) + " --jobs 1 --lldb-log " + quote(log) + " " +
                           quote(path("oob.elf")));
    ASSERT_EQ(r.status, 0) << r.err << r.out;
    ASSERT_NE(r.out.find("classification: rust-panic"), std::string::npos) << r.out;
    std::string text = slurp(log);
    EXPECT_FALSE(lines_matching(text, std::regex("SBTarget::LoadCore")).empty())
        << "the log does not show seam's SB API calls:\n"
        << text.substr(0, 2000);
    EXPECT_FALSE(lines_matching(text, std::regex("SBFrame::|SBValue::")).empty());
    std::vector<std::string> evaluated = lines_matching(text, k_evaluation);
    EXPECT_TRUE(evaluated.empty()) << evaluated.size() << " lines, the first: " << evaluated[0];

    // The control: the same log while stock lldb evaluates `1 + 2` over the same core.
    std::string control = path("control.log");
    fs::remove(control);
    ShellRun c = run_shell(quote(std::string(SEAM_E2E_LLDB_BIN) + "/lldb") + " -b -x -c " +
                           quote(path("oob.elf")) + " " + quote(k_crash) + " -o " +
                           quote("log enable -F -p -a -f " + control + " lldb api expr") +
                           " -o 'expression -- 1 + 2'");
    EXPECT_NE(c.out.find("= 3"), std::string::npos) << c.out << c.err;
    EXPECT_FALSE(lines_matching(slurp(control), k_evaluation).empty())
        << "the pattern misses an evaluation:\n"
        << slurp(control).substr(0, 2000);
}

// Lengths and capacities of 2^40 (a Vec<u8>, a String, a Vec<u64>, each over 24 real elements):
// the report comes back, the locals are shown with a marker, and no worker grew by anything
// near what those lengths ask for: its peak memory stays within 64 MiB of the same report over
// a core with sane lengths.
TEST_F(ReportSafety, LengthsOfTwoToTheFortyAllocateNothingOfTheirSize) {
    Spawned sane =
        spawn({k_tool, "--jobs", "1", path("oob.elf")}, s_scratch.dir(), {}, s_scratch.dir());
    ASSERT_EQ(sane.status, 0) << sane.err;
    Spawned huge =
        spawn({k_tool, "--jobs", "1", path("huge.elf")}, s_scratch.dir(), {}, s_scratch.dir());
    ASSERT_EQ(huge.status, 0) << huge.err << huge.out;
    std::cout << "[ seam     ] peak RSS: " << sane.peak_rss_kib << " KiB over the sane core, "
              << huge.peak_rss_kib << " KiB over the one with lengths of 2^40\n";
    EXPECT_LT(huge.peak_rss_kib, sane.peak_rss_kib + 64 * 1024);
    EXPECT_NE(huge.out.find("crash_abort::crash_kinds::huge_lengths"), std::string::npos)
        << huge.out;
    // The first elements and the count of the rest; a string past the read budget is marked.
    for (const char* line :
         {"    (&Vec<u8>) bytes = [116, 119, 101, 110, 116, 121, 45, 102, 111, 117, 114, 32, 98, "
          "121, 116, 101, <... 1099511627760 more>] [borrowed 0x",
          "    (&String) text = <budget: string of 1099511627776 bytes exceeds the 16777216-byte "
          "limit> [borrowed 0x",
          "    (&Vec<u64>) words = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, <... "
          "1099511627760 more>] [borrowed 0x"})
        EXPECT_NE(huge.out.find(line), std::string::npos) << line << "\nnot in:\n" << huge.out;
}

// Run from an empty directory with an empty HOME and TMPDIR, seam-report creates, changes and
// removes nothing there, nor beside the core, except the one file --output names, which holds
// exactly what the same run prints without it; one core and a batch alike.
TEST_F(ReportSafety, WritesOnlyTheOutputFile) {
    fs::path root = path("sandbox");
    for (const char* d : {"cwd", "home", "tmp", "out"}) fs::create_directories(root / d);
    std::map<std::string, std::string> env = {{"HOME", (root / "home").string()},
                                              {"TMPDIR", (root / "tmp").string()},
                                              {"XDG_CACHE_HOME", (root / "home/.cache").string()}};
    fs::path cores = path("cores");
    fs::create_directories(cores);
    fs::copy_file(path("oob.elf"), cores / "oob.elf", fs::copy_options::overwrite_existing);
    fs::copy_file(path("huge.elf"), cores / "huge.elf", fs::copy_options::overwrite_existing);

    struct Case {
        std::string name;
        std::vector<std::string> inputs;
    };
    for (const Case& c :
         {Case{"one core", {(cores / "oob.elf").string()}}, Case{"a batch", {cores.string()}}}) {
        SCOPED_TRACE(c.name);
        fs::path output = root / "out" / "report.txt";
        fs::remove(output);
        std::vector<std::string> plain = {k_tool, "--jobs", "2"};
        plain.insert(plain.end(), c.inputs.begin(), c.inputs.end());
        Spawned expected = spawn(plain, (root / "cwd").string(), env, s_scratch.dir());
        ASSERT_EQ(expected.status, 0) << expected.err;
        ASSERT_FALSE(expected.out.empty());

        auto before = tree(root), cores_before = tree(cores);
        std::vector<std::string> told = {k_tool, "--jobs", "2", "--output", output.string()};
        told.insert(told.end(), c.inputs.begin(), c.inputs.end());
        Spawned r = spawn(told, (root / "cwd").string(), env, s_scratch.dir());
        ASSERT_EQ(r.status, 0) << r.err;
        EXPECT_EQ(r.out, "") << "the report went to standard output too";
        EXPECT_EQ(slurp(output.string()), expected.out);

        auto after = tree(root);
        after.erase("out/report.txt");
        EXPECT_EQ(after, before) << "seam-report wrote outside --output";
        EXPECT_EQ(tree(cores), cores_before) << "seam-report wrote beside the cores";
    }
    // A path that cannot be written is a usage error, found before any core is read.
    Spawned bad = spawn(
        {k_tool, "--output", (root / "no/such/dir/r.txt").string(), (cores / "oob.elf").string()},
        (root / "cwd").string(), env, s_scratch.dir());
    EXPECT_EQ(bad.status, 2) << bad.err;
    EXPECT_NE(bad.err.find("cannot write"), std::string::npos) << bad.err;
}

} // namespace
} // namespace seam::e2e
