#include "plugin/lldb/local_memory.h"

#include <lldb/API/SBFileSpec.h>
#include <lldb/API/SBModule.h>
#include <lldb/API/SBPlatform.h>
#include <lldb/API/SBSection.h>

#include <sys/stat.h>
#include <sys/uio.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace seam::lldb {

struct LocalMemory::State {
    pid_t pid = 0;
    uint32_t stop_id = 0;
    /// Load ranges [begin, end) of every module's loaded sections: disjoint, sorted.
    std::vector<std::pair<uint64_t, uint64_t>> module_ranges;
    /// Set when the kernel refuses the process (EPERM under Yama, ESRCH): no more attempts.
    mutable std::atomic<bool> refused{false};
};

namespace {

// Read each time (one getenv per reader): a test or a user can switch it within one session.
bool disabled_by_environment() {
    const char* v = std::getenv("SEAM_DIRECT_MEMORY");
    return v && std::strcmp(v, "0") == 0;
}

/// The same file, not merely the same path: a rebuilt executable has a new inode, and a
/// process that exec'd another program has another /proc/PID/exe.
bool runs_target_executable(pid_t pid, ::lldb::SBTarget& target) {
    char path[4096];
    if (!target.GetExecutable().GetPath(path, sizeof path)) return false;
    struct stat file = {};
    struct stat running = {};
    std::string exe = "/proc/" + std::to_string(pid) + "/exe";
    if (::stat(path, &file) != 0 || ::stat(exe.c_str(), &running) != 0) return false;
    return file.st_dev == running.st_dev && file.st_ino == running.st_ino;
}

std::vector<std::pair<uint64_t, uint64_t>> module_ranges(::lldb::SBTarget& target) {
    std::vector<std::pair<uint64_t, uint64_t>> out;
    for (uint32_t m = 0, nm = target.GetNumModules(); m < nm; ++m) {
        ::lldb::SBModule module = target.GetModuleAtIndex(m);
        for (size_t s = 0, ns = module.GetNumSections(); s < ns; ++s) {
            ::lldb::SBSection section = module.GetSectionAtIndex(s);
            uint64_t begin = section.GetLoadAddress(target);
            uint64_t size = section.GetByteSize();
            if (begin == UINT64_MAX || size == 0) continue; // not loaded (.debug_*, .comment)
            out.emplace_back(begin, begin + size < begin ? UINT64_MAX : begin + size);
        }
    }
    // Disjoint and sorted, so that one look-up answers whether a read overlaps any of them.
    std::sort(out.begin(), out.end());
    std::vector<std::pair<uint64_t, uint64_t>> merged;
    for (const auto& r : out) {
        if (!merged.empty() && r.first <= merged.back().second)
            merged.back().second = std::max(merged.back().second, r.second);
        else
            merged.push_back(r);
    }
    return merged;
}

// The process LLDB stopped is traced and in a tracing stop. A process of the same executable
// that merely has the same pid (lldb-server in another pid namespace, the build directory
// mounted on both sides) is neither.
bool is_traced_and_stopped(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    bool traced = false, stopped = false;
    for (std::string line; std::getline(status, line);) {
        if (line.starts_with("State:"))
            stopped = line.find("t (tracing stop)") != std::string::npos;
        if (line.starts_with("TracerPid:"))
            traced = std::strtol(line.c_str() + 10, nullptr, 10) > 0;
    }
    return traced && stopped;
}

// The architectures whose software breakpoint is the one byte 0xCC, so that a buffer without
// that byte cannot hold an inserted breakpoint (LLDB's reads hide them; a direct read does not).
bool int3_breakpoints(::lldb::SBTarget& target) {
    const char* triple = target.GetTriple();
    return triple &&
           (std::strncmp(triple, "x86_64-", 7) == 0 || std::strncmp(triple, "i386-", 5) == 0 ||
            std::strncmp(triple, "i686-", 5) == 0);
}

std::shared_ptr<const LocalMemory::State> compute_state(::lldb::SBProcess& process,
                                                        uint32_t stop_id) {
    ::lldb::SBTarget target = process.GetTarget();
    const char* platform = target.GetPlatform().GetName();
    if (!platform || std::strcmp(platform, "host") != 0 || !int3_breakpoints(target))
        return nullptr;
    auto pid = static_cast<pid_t>(process.GetProcessID());
    if (pid <= 0 || !runs_target_executable(pid, target) || !is_traced_and_stopped(pid))
        return nullptr;
    auto state = std::make_shared<LocalMemory::State>();
    state->pid = pid;
    state->stop_id = stop_id;
    state->module_ranges = module_ranges(target);
    return state;
}

struct Cache {
    std::mutex mutex;
    /// By SBProcess::GetUniqueID: the last stop's state, or null when direct reads are off
    /// for that stop.
    std::map<uint32_t, std::shared_ptr<const LocalMemory::State>> by_process;
    std::map<uint32_t, uint32_t> checked_stop;
};

Cache& cache() {
    static Cache* c = new Cache; // never destroyed: lldb may unload plugins in any order
    return *c;
}

} // namespace

std::shared_ptr<const LocalMemory> LocalMemory::for_process(::lldb::SBProcess process) {
    if (disabled_by_environment() || !process.IsValid()) return nullptr;
    if (process.GetState() != ::lldb::eStateStopped) return nullptr;
    // Only a live process behind lldb-server: a core ("elf-core", "minidump") can carry the
    // pid of a process that still runs, and must be read from the file.
    const char* plugin = process.GetPluginName();
    if (!plugin || std::strcmp(plugin, "gdb-remote") != 0) return nullptr;
    uint32_t uid = process.GetUniqueID();
    // Expression stops count: running an expression may change memory and modules.
    uint32_t stop = process.GetStopID(true);
    Cache& c = cache();
    std::shared_ptr<const State> state;
    {
        std::lock_guard lock(c.mutex);
        auto checked = c.checked_stop.find(uid);
        if (checked != c.checked_stop.end() && checked->second == stop) {
            state = c.by_process[uid];
            return state ? std::make_shared<const LocalMemory>(state) : nullptr;
        }
    }
    // Not under seam's lock: the SB calls take LLDB's target API mutex, which a summary
    // callback's caller may hold while it waits for seam's lock (a deadlock otherwise).
    state = compute_state(process, stop);
    {
        std::lock_guard lock(c.mutex);
        if (c.by_process.size() > 32) {
            c.by_process.clear();
            c.checked_stop.clear();
        }
        c.by_process[uid] = state;
        c.checked_stop[uid] = stop;
    }
    return state ? std::make_shared<const LocalMemory>(state) : nullptr;
}

bool LocalMemory::read(uint64_t address, std::span<std::byte> out) const {
    if (out.empty()) return true;
    uint64_t end = address + out.size();
    if (end < address) return false;
    const auto& ranges = m_state->module_ranges;
    // Ranges are disjoint: only the last one that begins before `end` can overlap.
    auto past = std::lower_bound(ranges.begin(), ranges.end(), std::make_pair(end, uint64_t{0}));
    if (past != ranges.begin() && std::prev(past)->second > address) return false;
    if (m_state->refused.load(std::memory_order_relaxed)) return false;
    iovec local{out.data(), out.size()};
    iovec remote{reinterpret_cast<void*>(address), out.size()};
    ssize_t n = ::process_vm_readv(m_state->pid, &local, 1, &remote, 1, 0);
    if (n < 0 && (errno == EPERM || errno == ESRCH)) m_state->refused = true;
    if (n != static_cast<ssize_t>(out.size())) return false;
    // A breakpoint set after this stop's first read (or in memory no module covers, such as a
    // JIT's code) is an int3 in the process that LLDB's read would hide: any 0xCC byte sends
    // the read to LLDB. Only buffers that hold that byte lose the direct path.
    return std::memchr(out.data(), 0xCC, out.size()) == nullptr;
}

} // namespace seam::lldb
