#pragma once
/// A real process for engine tests that need real memory without a debugger: the test starts a
/// program it compiled, reads the `name 0xaddress` lines it prints up to `ready`, and reads its
/// memory through /proc/PID/mem while the program waits on its stdin. Closing stdin ends it.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "formatters/core/memory.h"

namespace seam::live_test {

class LiveProcess : public MemoryReader {
public:
    LiveProcess() = default;
    LiveProcess(const LiveProcess&) = delete;
    LiveProcess& operator=(const LiveProcess&) = delete;
    ~LiveProcess() override { stop(); }

    /// Starts `binary` and reads its addresses; false and a message in `error` on failure.
    bool start(const std::string& binary, std::string& error) {
        int in[2], out[2];
        if (::pipe(in) != 0 || ::pipe(out) != 0) {
            error = "pipe failed";
            return false;
        }
        m_pid = ::fork();
        if (m_pid < 0) {
            error = "fork failed";
            return false;
        }
        if (m_pid == 0) {
            ::dup2(in[0], 0);
            ::dup2(out[1], 1);
            ::close(in[1]);
            ::close(out[0]);
            ::execl(binary.c_str(), binary.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        ::close(in[0]);
        ::close(out[1]);
        m_stdin = in[1];
        FILE* lines = ::fdopen(out[0], "r");
        char buf[512];
        while (lines && std::fgets(buf, sizeof buf, lines)) {
            std::string line(buf);
            while (!line.empty() && line.back() == '\n') line.pop_back();
            if (line == "ready") break;
            auto sp = line.find(' ');
            if (sp == std::string::npos) continue;
            addresses[line.substr(0, sp)] = std::stoull(line.substr(sp + 1), nullptr, 16);
        }
        if (lines) std::fclose(lines);
        m_mem = ::open(("/proc/" + std::to_string(m_pid) + "/mem").c_str(), O_RDONLY);
        if (m_mem < 0 || addresses.empty()) {
            error = "cannot read the process " + binary;
            return false;
        }
        return true;
    }

    Status read(uint64_t address, std::span<std::byte> out) override {
        ++reads;
        ssize_t n = ::pread(m_mem, out.data(), out.size(), off_t(address));
        if (n != ssize_t(out.size())) return err("unmapped {:#x}", address);
        return ok_status();
    }

    /// Where the program's ELF is mapped (its first mapping, file offset 0): a PIE's load bias,
    /// for DebugInfo::open, so that globals (vtables) are found at their run-time addresses.
    uint64_t load_bias(const std::string& binary) const {
        std::error_code ec;
        std::string want = std::filesystem::canonical(binary, ec).string();
        std::ifstream maps("/proc/" + std::to_string(m_pid) + "/maps");
        std::string line;
        while (std::getline(maps, line)) {
            std::istringstream f(line);
            std::string range, perms, offset, dev, inode, path;
            if (!(f >> range >> perms >> offset >> dev >> inode >> path)) continue;
            if (path == want && std::stoull(offset, nullptr, 16) == 0)
                return std::stoull(range.substr(0, range.find('-')), nullptr, 16);
        }
        return 0;
    }

    uint64_t at(const std::string& name) const {
        auto it = addresses.find(name);
        return it == addresses.end() ? 0 : it->second;
    }

    std::map<std::string, uint64_t> addresses;
    uint64_t reads = 0;

private:
    void stop() {
        if (m_mem >= 0) ::close(m_mem);
        if (m_stdin >= 0) ::close(m_stdin);
        if (m_pid > 0) {
            int status = 0;
            ::waitpid(m_pid, &status, 0);
        }
        m_mem = m_stdin = -1;
        m_pid = -1;
    }
    pid_t m_pid = -1;
    int m_stdin = -1;
    int m_mem = -1;
};

} // namespace seam::live_test
