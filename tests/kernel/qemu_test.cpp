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

/// A booted kernel under LLDB. The one kernel() gives is stopped in seam_stop with frame 1 (the
/// sample's frame) selected, shared by every test of the program; `skip` or `error` say why there
/// is none.
struct Kernel {
    std::string skip;
    std::string error;
    pid_t qemu = 0;
    std::unique_ptr<Session> session;
    /// What the sample logged: `seam: NAME = TEXT` lines, by NAME.
    std::map<std::string, std::string> logged;
    std::string console;
    /// `seam bt` stopped in the C helper rust_helper_spin_lock, before seam_stop.
    std::string helper_bt;

    ~Kernel() {
        session.reset();
        if (qemu > 0) ::kill(qemu, SIGKILL);
    }
};

// Boots the kernel with `params` added to its command line and attaches LLDB with seam to it,
// paused at the first instruction; sets k.error or k.skip when it cannot.
void attach(Kernel& k, const std::string& params) {
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
                                         std::to_string(port) + " " + params);
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
    if (!connect.ok) k.error = "gdb-remote: " + connect.text() + slurp(kOut + "/qemu.log");
}

// Runs the kernel on to a breakpoint on `function` (then removed); sets k.error when it does not
// stop there.
void run_to(Kernel& k, const std::string& function) {
    Session& s = *k.session;
    CommandOutput bp = s.run("breakpoint set -n " + function);
    if (!bp.ok || bp.output.find("where = ") == std::string::npos) {
        k.error = "breakpoint on " + function + ": " + bp.text();
        return;
    }
    CommandOutput cont = s.run("continue");
    CommandOutput where = s.run("frame info");
    if (where.output.find(function) == std::string::npos) {
        k.error = "did not stop in " + function + ": " + cont.text() + where.text() +
                  "\nconsole:\n" + slurp(kOut + "/console.log");
        return;
    }
    s.run("breakpoint delete -f");
}

void boot(Kernel& k) {
    attach(k, "");
    if (!k.skip.empty() || !k.error.empty()) return;
    Session& s = *k.session;
    // First the sample's own call into C: `samples.lock()` calls the C helper through the kernel
    // crate's SpinLockBackend (no other Rust code takes a spinlock this early in the boot).
    run_to(k, "rust_helper_spin_lock");
    if (!k.error.empty()) return;
    k.helper_bt = s.run("seam bt").text();
    run_to(k, "seam_stop");
    if (!k.error.empty()) return;
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
              "thread #1 (tid 1), stop reason = breakpoint 2.1\n"
              "  #0  ADDR Rust seam_sample seam_sample::seam_stop () at seam_sample.rs:105:2\n"
              "  #1  ADDR Rust seam_sample seam_sample::hold_values () at seam_sample.rs:166:5\n"
              "  #2  ADDR Rust seam_sample seam_sample::{impl#2}::init () [inlined] at "
              "seam_sample.rs:176:9\n"
              "  #3  ADDR Rust seam_sample seam_sample::__module_init::__module_init::__init () "
              "[inlined] at seam_sample.rs:19:1\n"
              "  #4  ADDR Rust seam_sample "
              "seam_sample::__module_init::__module_init::__seam_sample_init () at "
              "seam_sample.rs:19:1\n"
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

// The boot the issue asks for: no KASLR (the vmlinux's addresses are the running kernel's), and
// the kernel's own Rust samples built in beside seam's, their inits run (in Makefile order).
TEST_F(KernelQemu, BootHasNokaslrAndTheKernelsRustSamples) {
    const std::string& console = kernel().console;
    EXPECT_NE(console.find("Kernel command line: console=ttyS0 nokaslr panic=-1\r\n"),
              std::string::npos)
        << console;
    const size_t minimal = console.find("rust_minimal: Rust minimal sample (init)");
    const size_t print = console.find("rust_print: Rust printing macros sample (init)");
    const size_t ours = console.find("seam_sample: seam: config = ");
    EXPECT_NE(minimal, std::string::npos) << console;
    EXPECT_NE(print, std::string::npos) << console;
    EXPECT_LT(minimal, print);
    EXPECT_LT(print, ours);
}

// The sample's Rust calling C: `samples.lock()` goes through the kernel crate's SpinLockBackend,
// which jumps (a tail call, so it has no frame of its own) to the C helper rust_helper_spin_lock.
// seam marks the boundary and tags the kernel crate's function as the wrapper that called C.
TEST_F(KernelQemu, SeamBtShowsTheRustToCWrapper) {
    EXPECT_EQ(masked(kernel().helper_bt),
              "thread #1 (tid 1), stop reason = breakpoint 1.1\n"
              "  #0  ADDR C    vmlinux     spin_lock (lock = ADDR) [inlined] at spinlock.h:351:2\n"
              "  #1  ADDR C    vmlinux     rust_helper_spin_lock (lock = ADDR) at spinlock.c:22:2\n"
              "  ── Rust -> C: wrapper kernel::sync::lock::spinlock::{impl#0}::lock calls "
              "rust_helper_spin_lock ──\n"
              "  #2  ADDR Rust kernel      kernel::sync::lock::spinlock::{impl#0}::lock [wrapper] "
              "[tail call: no frame of its own, inferred by seam]\n"
              "  #3  ADDR Rust kernel      kernel::sync::lock::Lock<…>::lock<…> (self = SpinLock { "
              "data: [10, 20, 30], .. }) [inlined] at lock.rs:127:30\n"
              "  #4  ADDR Rust seam_sample seam_sample::hold_values () at seam_sample.rs:147:49\n"
              "  #5  ADDR Rust seam_sample seam_sample::{impl#2}::init () [inlined] at "
              "seam_sample.rs:176:9\n"
              "  #6  ADDR Rust seam_sample seam_sample::__module_init::__module_init::__init () "
              "[inlined] at seam_sample.rs:19:1\n"
              "  #7  ADDR Rust seam_sample "
              "seam_sample::__module_init::__module_init::__seam_sample_init () at "
              "seam_sample.rs:19:1\n"
              "  ── C -> Rust: do_one_initcall calls extern \"C\" "
              "seam_sample::__module_init::__module_init::__seam_sample_init ──\n"
              "  #8  ADDR C    vmlinux     do_one_initcall (fn = ADDR "
              "<seam_sample::__module_init::__module_ini...) at main.c:1240:8\n"
              "  #9  ADDR C    vmlinux     do_initcall_level (level = <unavailable>, "
              "command_line = <unavailable>) at main.c:1302:3\n"
              "  #10 ADDR C    vmlinux     do_initcalls () at main.c:1318:3\n"
              "  #11 ADDR C    vmlinux     do_basic_setup () [inlined] at main.c:1337:2\n"
              "  #12 ADDR C    vmlinux     kernel_init_freeable () at main.c:1551:2\n"
              "  #13 ADDR C    vmlinux     kernel_init (unused = <unavailable>) at main.c:1440:2\n"
              "  #14 ADDR C    vmlinux     ret_from_fork (prev = <unavailable>, regs = ADDR, fn = "
              "ADDR <kernel_init>, fn_arg = 0x0) at process.c:152:3\n"
              "  #15 ADDR C    vmlinux     ret_from_fork_asm at entry_64.S:244\n");
}

TEST_F(KernelQemu, DebugTextIsWhatTheSampleLogged) {
    const auto& logged = kernel().logged;
    ASSERT_EQ(logged.size(), 10u) << kernel().console;
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
    // kernel::device::Device (6.12: no typestate): the C device's name, as dev_name() gives it.
    EXPECT_EQ(run("seam print --debug bus"), logged.at("bus") + "\n");
    // Unsized values behind fat pointers: Arc<[u32]>, Arc<dyn Shape>, KBox<[u16]>, KBox<dyn Shape>.
    for (const char* name : {"arc_slice", "arc_dyn", "box_slice", "box_dyn"})
        EXPECT_EQ(run(std::string("seam print --debug ") + name), logged.at(name) + "\n") << name;
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

// The ownership graph: the list shares each element's ArcInner through the ListArc it keeps for
// it (three allocations of their own, count 1 each), and the elements' links are raw pointers
// into one another's ArcInner, in a circle.
TEST_F(KernelQemu, SeamOwnFollowsTheListIntoItsElements) {
    EXPECT_EQ(masked(run("seam own")),
              "ownership graph: 14 nodes, 21 edges, 0 findings\n"
              "n0 frame #1 seam_sample::hold_values\n"
              "  config → n1 shares (Arc strong 2)\n"
              "  shared → n1 shares (Arc strong 2)\n"
              "  samples → n2 owns (Pin)\n"
              "  list[0] → n3 shares (ListArc strong 1)\n"
              "  list[1] → n4 shares (ListArc strong 1)\n"
              "  list[2] → n5 shares (ListArc strong 1)\n"
              "  name → n13 borrows (&)\n"
              "  boxed → n6 owns (KBox)\n"
              "  bus → n7 borrows (&)\n"
              "  bus_ref → n7 shares (ARef strong 8)\n"
              "  arc_slice → n8 shares (Arc strong 1)\n"
              "  arc_dyn → n9 shares (Arc strong 1)\n"
              "  box_slice → n10 owns (KBox)\n"
              "  box_dyn → n11 owns (KBox)\n"
              "n1 allocation ArcInner<Lock<Config, MutexBackend>> at ADDR, 56 bytes, strong 2\n"
              "n2 allocation Lock<Vec<u32, Kmalloc>, SpinLockBackend> at ADDR, 32 bytes\n"
              "  pointer.*.data → n12 owns (KVec)\n"
              "n3 allocation ArcInner<Item> at ADDR, 32 bytes, strong 1\n"
              "  *.links.inner.*.next → n4 raw (*mut ListLinksFields) at ADDR\n"
              "  *.links.inner.*.prev → n5 raw (*mut ListLinksFields) at ADDR\n"
              "n4 allocation ArcInner<Item> at ADDR, 32 bytes, strong 1\n"
              "  *.links.inner.*.next → n5 raw (*mut ListLinksFields) at ADDR\n"
              "  *.links.inner.*.prev → n3 raw (*mut ListLinksFields) at ADDR\n"
              "n5 allocation ArcInner<Item> at ADDR, 32 bytes, strong 1\n"
              "  *.links.inner.*.next → n3 raw (*mut ListLinksFields) at ADDR\n"
              "  *.links.inner.*.prev → n4 raw (*mut ListLinksFields) at ADDR\n"
              "n6 allocation u64 at ADDR, 8 bytes\n"
              // The bus device: one node with its kobject's count, which the ARef holds one of;
              // its parent, its bus and the kset list of every device are the C side's, not
              // walked (docs/own.md).
              "n7 object Device at ADDR, 464 bytes, refcount 8\n"
              "n8 allocation ArcInner<[u32; 3]> at ADDR, 16 bytes, strong 1\n"
              "n9 allocation ArcInner<dyn Shape> at ADDR, 8 bytes, strong 1\n"
              "n10 allocation [u16; 2] at ADDR, 4 bytes\n"
              "n11 allocation dyn Shape at ADDR, 4 bytes\n"
              "n12 allocation KVec<u32> at ADDR, 16 bytes\n"
              "n13 object memory at ADDR\n");
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
    // A reference: LLDB's pointer value, then seam's summary of the Device.
    EXPECT_EQ(masked(frame_variable_line(*s, "bus")), "ADDR \"platform\"");
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

// A kernel of its own, booted with `seam_panic.trigger=HOW`: seam_panic.rs panics in its init,
// the kernel's panic handler (kernel::panic, `rust_begin_unwind`) logs the panic and calls the C
// helper rust_helper_BUG, where LLDB stops. `panicked` is what the handler logged: `PATH:L:C`
// and the message, the oracle for seam's.
struct Panicked {
    Kernel k;
    std::string location;
    std::string message;
};

std::unique_ptr<Panicked> panic_kernel(const std::string& how) {
    auto p = std::make_unique<Panicked>();
    attach(p->k, "seam_panic.trigger=" + how);
    if (!p->k.skip.empty() || !p->k.error.empty()) return p;
    run_to(p->k, "rust_helper_BUG");
    if (!p->k.error.empty()) return p;
    p->k.console = slurp(kOut + "/console.log");
    // `rust_kernel: panicked at PATH:L:C:` CR LF `MESSAGE` CR LF.
    static const std::regex logged(R"(panicked at (\S+):\r?\n([^\r\n]*))");
    std::smatch m;
    if (std::regex_search(p->k.console, m, logged)) p->location = m[1], p->message = m[2];
    return p;
}

class KernelPanic : public testing::Test {
protected:
    // The panic's verdict: a Rust panic at the sample's line, the frame that panicked named as
    // the culprit (not rust_helper_BUG, where the stop is, and not the kernel crate's
    // #[track_caller] code between), the message formatted from core's fmt::Arguments.
    void expect_attributed(const std::string& how, const std::string& culprit_frame,
                           const std::string& culprit) {
        auto p = panic_kernel(how);
        if (!p->k.skip.empty()) GTEST_SKIP() << p->k.skip;
        ASSERT_TRUE(p->k.error.empty()) << p->k.error;
        ASSERT_FALSE(p->message.empty()) << p->k.console;
        Session& s = *p->k.session;
        const std::string line = p->location.substr(0, p->location.rfind(':'));
        const std::string source_line = line.substr(line.rfind(':') + 1);
        EXPECT_EQ(s.run("seam panic").text(),
                  "rust-panic: Rust panic at " + p->location + ": " + p->message + "\n" +
                      "  message:  " + p->message + "\n" + "  location: " + p->location + "\n" +
                      "  culprit:  frame #" + culprit_frame + " " + culprit +
                      " at seam_panic.rs:" + source_line +
                      "\n"
                      "  evidence: stop: breakpoint 1.1\n"
                      "  evidence: panicking through core::panicking::panic_fmt\n");
        // The stop is in C, called by the kernel crate's panic handler.
        const std::string bt = masked(s.run("seam bt").text());
        EXPECT_TRUE(bt.starts_with(
            "thread #1 (tid 1), stop reason = breakpoint 1.1\n"
            "  #0  ADDR C    vmlinux    rust_helper_BUG () at bug.c:7:2\n"
            "  ── Rust -> C: wrapper kernel::panic calls rust_helper_BUG ──\n"
            "  #1  ADDR Rust kernel     kernel::panic (info = PanicInfo { message: Arguments { "
            "template: ADDR...) [wrapper] at lib.rs:119:14\n"))
            << bt;
        EXPECT_NE(bt.find(" Rust seam_panic " + culprit + " "), std::string::npos) << bt;
    }
};

// `panic!("literal")`: core's fmt::Arguments holds the string itself.
TEST_F(KernelPanic, LiteralPanicAttributedToTheRustPanic) {
    expect_attributed("literal", "3", "seam_panic::panic_now");
}

// An index out of bounds: core formats `the len is {len} but the index is {index}` from two
// usize arguments, which seam formats from memory by their formatters' DWARF.
TEST_F(KernelPanic, FormattedPanicMessageAndTrackCallerCulprit) {
    expect_attributed("index", "7", "seam_panic::check_slot");
}

// A message whose arguments have no formatter of seam's own: a `&CStr` (Display), a struct's
// derived Debug, the kernel's Error (Debug) and a u32, each formatted from memory.
TEST_F(KernelPanic, PanicArgumentsOfAnyTypeAreFormatted) {
    expect_attributed("args", "3", "seam_panic::panic_now");
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
