// seam on the real Rust-for-Linux kernel (issue 15): Linux 6.12 from Debian built with clang 19
// and rustc-web 1.96 by tests/kernel/kernel.sh, seam_sample.rs built in, booted in QEMU (TCG)
// with its gdb stub; LLDB with seam attaches over gdb-remote and stops in `seam_stop`, called
// by the sample's init while it holds one of each kernel-crate value. The checks: `seam bt`'s
// exact text (the initcall's C -> Rust boundary, no thunk or tail-call noise, no warning at the
// kernel thread's start), and each value as `seam print` and `frame variable` show it, against
// what the sample itself logged with pr_info! (console.log) where the kernel gives it Debug.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "tests/e2e/lldb_line.h"
#include "tests/e2e/session.h"

namespace seam::e2e {
namespace {

namespace fs = std::filesystem;

const std::string kOut = SEAM_KERNEL_OUT;

// A TCP port nobody listens on now (QEMU's gdb stub takes it next).
int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    int port = -1;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

// The last line a command printed, or "" when it failed.
std::string last_line_of(const std::string& command) {
    FILE* p = ::popen(command.c_str(), "r");
    if (!p) return "";
    std::string out;
    char buf[512];
    while (std::fgets(buf, sizeof buf, p)) out = buf;
    if (::pclose(p) != 0) return "";
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
}

std::string slurp(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// The booted kernel stopped in seam_stop with frame 1 (the sample's frame) selected, shared by
/// every test of the program; `skip` or `error` say why there is none.
struct Kernel {
    std::string skip;
    std::string error;
    pid_t qemu = 0;
    std::unique_ptr<Session> session;
    /// What the sample logged: `seam: NAME = TEXT` lines, by NAME.
    std::map<std::string, std::string> logged;
    std::string console;

    ~Kernel() {
        session.reset();
        if (qemu > 0) ::kill(qemu, SIGKILL);
    }
};

void boot(Kernel& k) {
    if (!fs::exists(kOut + "/vmlinux") || !fs::exists(kOut + "/bzImage")) {
        k.skip = "no kernel in " + kOut +
                 ": kernel.build did not build one (`tests/kernel/kernel.sh check` names the "
                 "missing Debian packages)";
        return;
    }
    const int port = free_port();
    if (port < 0) {
        k.error = "no free TCP port";
        return;
    }
    fs::remove(kOut + "/console.log");
    const std::string pid = last_line_of(std::string(SEAM_KERNEL_SCRIPT) + " boot " + kOut + " " +
                                         std::to_string(port));
    k.qemu = pid.empty() ? 0 : std::atoi(pid.c_str());
    if (k.qemu <= 0) {
        k.error = "kernel.sh boot failed: " + slurp(kOut + "/qemu.log");
        return;
    }
    auto session = Session::create(SEAM_E2E_PLUGIN);
    if (!session) {
        k.error = session.error().message;
        return;
    }
    k.session = std::move(*session);
    Session& s = *k.session;
    CommandOutput target = s.run("target create " + kOut + "/vmlinux");
    if (!target.ok) {
        k.error = "target create: " + target.text();
        return;
    }
    // QEMU opens its stub a moment after it starts.
    CommandOutput connect;
    for (int i = 0; i < 100; ++i) {
        connect = s.run("gdb-remote 127.0.0.1:" + std::to_string(port));
        if (connect.ok) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!connect.ok) {
        k.error = "gdb-remote: " + connect.text() + slurp(kOut + "/qemu.log");
        return;
    }
    CommandOutput bp = s.run("breakpoint set -n seam_stop");
    if (!bp.ok || bp.output.find("where = ") == std::string::npos) {
        k.error = "breakpoint on seam_stop: " + bp.text();
        return;
    }
    CommandOutput cont = s.run("continue");
    CommandOutput where = s.run("frame info");
    if (where.output.find("seam_stop") == std::string::npos) {
        k.error = "did not stop in seam_stop: " + cont.text() + where.text() + "\nconsole:\n" +
                  slurp(kOut + "/console.log");
        return;
    }
    s.run("frame select 1");
    k.console = slurp(kOut + "/console.log");
    std::istringstream in(k.console);
    for (std::string line; std::getline(in, line);) {
        // The serial console ends its lines with CR LF.
        if (line.ends_with('\r')) line.pop_back();
        const auto at = line.find("seam: ");
        const auto eq = line.find(" = ", at);
        if (at == std::string::npos || eq == std::string::npos) continue;
        k.logged[line.substr(at + 6, eq - at - 6)] = line.substr(eq + 3);
    }
}

Kernel& kernel() {
    static Kernel k;
    static bool booted = false;
    if (!booted) {
        booted = true;
        boot(k);
    }
    return k;
}

class KernelQemu : public testing::Test {
protected:
    void SetUp() override {
        Kernel& k = kernel();
        if (!k.skip.empty()) GTEST_SKIP() << k.skip;
        ASSERT_TRUE(k.error.empty()) << k.error;
        s = k.session.get();
    }
    std::string run(const std::string& command) { return s->run(command).text(); }
    Session* s = nullptr;
};

// Addresses change with every build and boot: each 0x of 8 or more hex digits becomes ADDR.
std::string masked(const std::string& text) {
    static const std::regex address("0x[0-9a-f]{8,16}");
    return std::regex_replace(text, address, "ADDR");
}

TEST_F(KernelQemu, SeamBtShowsTheInitcallBoundary) {
    // The sample's frames, the module's init inlined into its extern "C" entry, do_one_initcall
    // calling it through a retpoline (no thunk frame, no inferred tail call), and the whole
    // kernel thread down to ret_from_fork_asm with no "stopped before the thread's start".
    EXPECT_EQ(masked(run("seam bt")),
              "thread #1 (tid 1), stop reason = breakpoint 1.1\n"
              "  #0  ADDR Rust seam_sample seam_sample::seam_stop () at seam_sample.rs:70:2\n"
              "  #1  ADDR Rust seam_sample seam_sample::hold_values () at seam_sample.rs:105:5\n"
              "  #2  ADDR Rust seam_sample seam_sample::{impl#1}::init () [inlined] at "
              "seam_sample.rs:114:9\n"
              "  #3  ADDR Rust seam_sample seam_sample::__module_init::__module_init::__init () "
              "[inlined] at seam_sample.rs:17:1\n"
              "  #4  ADDR Rust seam_sample "
              "seam_sample::__module_init::__module_init::__seam_sample_init () at "
              "seam_sample.rs:17:1\n"
              "  ── C -> Rust: do_one_initcall calls extern \"C\" "
              "seam_sample::__module_init::__module_init::__seam_sample_init ──\n"
              "  #5  ADDR C    vmlinux     do_one_initcall (fn = ADDR "
              "<seam_sample::__module_init::__module_ini...) at main.c:1240:8\n"
              "  #6  ADDR C    vmlinux     do_initcall_level (level = <unavailable>, "
              "command_line = <unavailable>) at main.c:1302:3\n"
              "  #7  ADDR C    vmlinux     do_initcalls () at main.c:1318:3\n"
              "  #8  ADDR C    vmlinux     do_basic_setup () [inlined] at main.c:1337:2\n"
              "  #9  ADDR C    vmlinux     kernel_init_freeable () at main.c:1551:2\n"
              "  #10 ADDR C    vmlinux     kernel_init (unused = <unavailable>) at main.c:1440:2\n"
              "  #11 ADDR C    vmlinux     ret_from_fork (prev = <unavailable>, regs = ADDR, fn = "
              "ADDR <kernel_init>, fn_arg = 0x0) at process.c:152:3\n"
              "  #12 ADDR C    vmlinux     ret_from_fork_asm at entry_64.S:244\n");
}

TEST_F(KernelQemu, DebugTextIsWhatTheSampleLogged) {
    const auto& logged = kernel().logged;
    ASSERT_EQ(logged.size(), 5u) << kernel().console;
    // The kernel gives Lock no Debug: the sample logged the data under the guard, seam shows
    // the lock around it as Rust's builders would.
    EXPECT_EQ(run("seam print --debug config"),
              "Mutex { data: " + logged.at("config") + ", .. }\n");
    EXPECT_EQ(run("seam print --debug shared"),
              "Mutex { data: " + logged.at("config") + ", .. }\n");
    EXPECT_EQ(run("seam print --debug samples"),
              "SpinLock { data: " + logged.at("samples") + ", .. }\n");
    EXPECT_EQ(run("seam print --debug name"), logged.at("name") + "\n");
    EXPECT_EQ(run("seam print --debug boxed"), logged.at("boxed") + "\n");
    EXPECT_EQ(run("seam print --debug error"), logged.at("error") + "\n");
}

TEST_F(KernelQemu, SeamPrintOfEachValue) {
    const std::string arc =
        "(Arc<Lock<Config, MutexBackend>>) {} = refcount=2 → Mutex { data: Config { id: 7, hits: 3 "
        "}, .. } [shared ADDR size=56 strong=2]\n"
        "  (Lock<Config, MutexBackend>) * = unlocked → Config { id: 7, hits: 3 } [lock ADDR "
        "unlocked]\n"
        "    (Config) data = Config { id: 7, hits: 3 }\n"
        "      (u32) id = 7\n"
        "      (u64) hits = 3\n";
    for (const char* name : {"config", "shared"}) {
        std::string want = arc;
        want.replace(want.find("{}"), 2, name);
        EXPECT_EQ(masked(run(std::string("seam print ") + name)), want);
    }
    EXPECT_EQ(masked(run("seam print samples")),
              "(Pin<Box<Lock<Vec<u32, Kmalloc>, SpinLockBackend>, Kmalloc>>) samples = unlocked → "
              "[10, 20, 30] [owned ADDR size=32 unlocked (Kmalloc)]\n"
              "  (KBox<Lock<Vec<u32, Kmalloc>, SpinLockBackend>>) * = unlocked → [10, 20, 30] "
              "[owned ADDR size=32 unlocked (Kmalloc)]\n"
              "    (Lock<Vec<u32, Kmalloc>, SpinLockBackend>) * = unlocked → [10, 20, 30] [lock "
              "ADDR unlocked]\n"
              "      (KVec<u32>) data = len=3 cap=4 [10, 20, 30] [owned ADDR size=16 len=3 cap=4 "
              "(Kmalloc)]\n");
    EXPECT_EQ(masked(run("seam print name")),
              "(&CStr) name = \"seam_sample\" [borrowed ADDR size=12 len=11]\n");
    EXPECT_EQ(masked(run("seam print boxed")),
              "(KBox<u64>) boxed = 42 [owned ADDR size=8 (Kmalloc)]\n");
    EXPECT_EQ(run("seam print error"), "(Error) error = ENOMEM (-12)\n");
}

// The list's three elements in order, each with its tracker set, and its links a true circle:
// each element's `next` is the next element's links (the address seam gives its `inner`), its
// `prev` the previous one's.
TEST_F(KernelQemu, ListWalkedInOrderWithItsLinks) {
    const std::string out = run("seam print list");
    EXPECT_TRUE(out.starts_with("(List<Item, 0>) list = len=3 [Item { value: 1, ")) << out;
    static const std::regex item(
        R"(\(Item\) \[(\d)\] = Item \{ value: (\d+), links: ListLinks \{ inner: ListLinksFields \{ next: (0x[0-9a-f]+), prev: (0x[0-9a-f]+) \} \}, tra\.\.\.\n)"
        R"(.*\n.*\n.*\[crossing (0x[0-9a-f]+) \(ListLinksFields\)\]\n)"
        R"(\s*\(AtomicTracker<0>\) tracker = AtomicTracker \{ inner: true, _pin: PhantomPinned \})");
    std::vector<std::array<std::string, 4>> items; // value, next, prev, own links
    for (std::sregex_iterator it(out.begin(), out.end(), item), end; it != end; ++it)
        items.push_back({(*it)[2], (*it)[3], (*it)[4], (*it)[5]});
    ASSERT_EQ(items.size(), 3u) << out;
    for (size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(items[i][0], std::to_string(i + 1));
        EXPECT_EQ(items[i][1], items[(i + 1) % 3][3]) << "next of item " << i;
        EXPECT_EQ(items[i][2], items[(i + 2) % 3][3]) << "prev of item " << i;
    }
}

// LLDB's own `frame variable` shows seam's summaries and children: no raw struct, no pointer
// twice, no empty `__0 =`.
TEST_F(KernelQemu, FrameVariableOfEachValue) {
    const std::string config = "refcount=2 → Mutex { data: Config { id: 7, hits: 3 }, .. }";
    EXPECT_EQ(frame_variable_line(*s, "config"), config);
    EXPECT_EQ(frame_variable_line(*s, "shared"), config);
    EXPECT_EQ(frame_variable_line(*s, "samples"), "unlocked → [10, 20, 30]");
    EXPECT_EQ(frame_variable_line(*s, "name"), "\"seam_sample\"");
    EXPECT_EQ(frame_variable_line(*s, "boxed"), "42");
    EXPECT_EQ(frame_variable_line(*s, "error"), "ENOMEM (-12)");
    EXPECT_EQ(masked(run("frame variable samples")),
              "(core::pin::Pin<kernel::alloc::kbox::Box<kernel::sync::lock::Lock<kernel::alloc::"
              "kvec::Vec<unsigned int, kernel::alloc::allocator::Kmalloc>, kernel::sync::lock::"
              "spinlock::SpinLockBackend>, kernel::alloc::allocator::Kmalloc> >) samples = "
              "unlocked → [10, 20, 30] {\n"
              "  pointer = unlocked → [10, 20, 30] {\n"
              "    * = unlocked → [10, 20, 30] {\n"
              "      data = len=3 cap=4 [10, 20, 30] {\n"
              "        [0] = 10\n"
              "        [1] = 20\n"
              "        [2] = 30\n"
              "      }\n"
              "    }\n"
              "  }\n"
              "}\n");
    const std::string all = run("frame variable");
    static const std::regex twice(R"(= (0x[0-9a-f]+) (0x[0-9a-f]+)\b)");
    std::smatch m;
    for (auto it = all.cbegin(); std::regex_search(it, all.cend(), m, twice); it = m[0].second)
        EXPECT_NE(m[1].str(), m[2].str()) << "an address twice: " << m[0];
    EXPECT_EQ(all.find(" =\n"), std::string::npos) << all;
}

class LldbEnvironment : public testing::Environment {
public:
    void SetUp() override { initialize_lldb(SEAM_E2E_LLDB_BIN); }
    void TearDown() override {
        kernel().session.reset();
        terminate_lldb();
    }
};

} // namespace
} // namespace seam::e2e

int main(int argc, char** argv) {
    testing::InitGoogleTest(&argc, argv);
    testing::AddGlobalTestEnvironment(new seam::e2e::LldbEnvironment);
    return RUN_ALL_TESTS();
}
