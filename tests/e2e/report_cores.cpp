#include "tests/e2e/report_cores.h"

#include "tests/e2e/minidump_stop_code.h"

#include <lldb/API/LLDB.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace seam::e2e {

namespace fs = std::filesystem;

std::string quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

ShellRun run_shell(const std::string& command) {
    std::string err_path = (fs::temp_directory_path() / "seam-report-stderr-XXXXXX").string();
    std::vector<char> buf(err_path.begin(), err_path.end());
    buf.push_back('\0');
    int fd = mkstemp(buf.data());
    if (fd >= 0) ::close(fd);
    err_path = buf.data();
    ShellRun r;
    FILE* p = ::popen((command + " 2>" + quote(err_path)).c_str(), "r");
    if (!p) return r;
    char chunk[65536];
    for (size_t n; (n = std::fread(chunk, 1, sizeof chunk, p)) > 0;) r.out.append(chunk, n);
    int status = ::pclose(p);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream in(err_path);
    std::stringstream ss;
    ss << in.rdbuf();
    r.err = ss.str();
    fs::remove(err_path);
    return r;
}

Status gcore_at_crash(const std::string& exe, const std::vector<std::string>& args,
                      const std::string& core) {
    std::string cmd = "gdb -q -batch -nx -ex 'set pagination off' -ex run -ex " +
                      quote("gcore " + core) + " -ex kill --args " + quote(exe);
    for (const std::string& a : args) cmd += " " + quote(a);
    ShellRun r = run_shell(cmd);
    if (!fs::exists(core)) return err("gdb wrote no core:\n{}{}", r.out, r.err);
    return ok_status();
}

Status minidump_at_crash(const std::string& exe, const std::vector<std::string>& args,
                         const std::string& core, const std::string& breakpoint, bool dirty_only) {
    lldb::SBDebugger dbg = lldb::SBDebugger::Create(false);
    dbg.SetAsync(false);
    lldb::SBError error;
    lldb::SBTarget target = dbg.CreateTarget(exe.c_str(), nullptr, nullptr, true, error);
    if (!target.IsValid()) return err("cannot load {}", exe);
    if (!breakpoint.empty()) target.BreakpointCreateByName(breakpoint.c_str());
    lldb::SBLaunchInfo info(nullptr);
    std::vector<const char*> argv;
    for (const std::string& a : args) argv.push_back(a.c_str());
    argv.push_back(nullptr);
    info.SetArguments(argv.data(), false);
    info.AddOpenFileAction(1, "/dev/null", false, true);
    info.AddOpenFileAction(2, "/dev/null", false, true);
    lldb::SBProcess process = target.Launch(info, error);
    Status result = ok_status();
    if (!process.IsValid() || process.GetState() != lldb::eStateStopped) {
        result = err("{} did not stop at its crash", exe);
    } else {
        lldb::SBSaveCoreOptions options;
        options.SetOutputFile(lldb::SBFileSpec(core.c_str()));
        options.SetStyle(dirty_only ? lldb::eSaveCoreDirtyOnly : lldb::eSaveCoreFull);
        lldb::SBError saved = process.SaveCore(options);
        if (saved.Fail())
            result = err("SaveCore: {}", saved.GetCString());
        else if (process.GetSelectedThread().GetStopReason() == lldb::eStopReasonBreakpoint)
            result = mark_breakpoint_stop_as_sigtrap(core);
    }
    if (process.IsValid()) process.Kill();
    lldb::SBDebugger::Destroy(dbg);
    return result;
}

Status make_report_cores(const std::string& dir) {
    const std::string fixtures = SEAM_E2E_FIXTURE_DIR;
    const std::string crash = fixtures + "/crash_abort-O0", demo = fixtures + "/demo-O0",
                      boundary = fixtures + "/boundary-O0";
    for (const std::string& exe : {crash, demo, boundary})
        if (!fs::exists(exe)) return err("{} was not built", exe);
    auto at = [&](const char* name) { return dir + "/" + name; };
    SEAM_TRY(gcore_at_crash(crash, {"c_segv"}, at("segv1.elf")));
    SEAM_TRY(gcore_at_crash(crash, {"c_segv"}, at("segv2.elf")));
    SEAM_TRY(minidump_at_crash(crash, {"c_segv"}, at("segv.dmp")));
    SEAM_TRY(gcore_at_crash(crash, {"c_abort"}, at("abort.elf")));
    SEAM_TRY(gcore_at_crash(crash, {"panic_literal"}, at("panic.elf")));
    SEAM_TRY(gcore_at_crash(crash, {"index_oob"}, at("oob.elf")));
    SEAM_TRY(minidump_at_crash(boundary, {}, at("boundary.dmp"), "seam_probe", true));
    // demo does not crash: stop it at its probe instead (gdb's breakpoint, SIGTRAP).
    ShellRun r = run_shell("gdb -q -batch -nx -ex 'break seam_probe' -ex run -ex " +
                           quote("gcore " + at("demo.elf")) + " -ex kill " + quote(demo));
    if (!fs::exists(at("demo.elf"))) return err("gdb wrote no core of demo:\n{}{}", r.out, r.err);
    return ok_status();
}

} // namespace seam::e2e
