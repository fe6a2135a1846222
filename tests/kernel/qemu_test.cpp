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

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
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
    if (!bp.ok || bp.output.find("1 location") == std::string::npos) {
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

TEST_F(KernelQemu, SeamBtShowsTheInitcallBoundary) {
    EXPECT_EQ(run("seam bt"), "TODO");
}

TEST_F(KernelQemu, SampleLoggedItsValues) {
    const auto& logged = kernel().logged;
    EXPECT_EQ(logged.size(), 6u) << kernel().console;
}

TEST_F(KernelQemu, SeamPrintOfEachValue) {
    for (const char* name : {"config", "shared", "samples", "list", "name", "boxed", "error"})
        EXPECT_EQ(run(std::string("seam print ") + name), "TODO") << name;
}

TEST_F(KernelQemu, FrameVariableOfEachValue) {
    for (const char* name : {"config", "shared", "samples", "list", "name", "boxed", "error"})
        EXPECT_EQ(run(std::string("frame variable ") + name), "TODO") << name;
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
