#include "plugin/lldb/local_memory.h"

#include <lldb/API/SBBreakpoint.h>
#include <lldb/API/SBBreakpointLocation.h>
#include <lldb/API/SBFileSpec.h>
#include <lldb/API/SBModule.h>
#include <lldb/API/SBPlatform.h>
#include <lldb/API/SBSection.h>

#include <sys/stat.h>
#include <sys/uio.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
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
    /// Load addresses of enabled breakpoint locations, sorted.
    std::vector<uint64_t> breakpoint_sites;
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
    struct stat file {}, running {};
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

std::vector<uint64_t> breakpoint_sites(::lldb::SBTarget& target) {
    std::vector<uint64_t> out;
    for (uint32_t b = 0, nb = target.GetNumBreakpoints(); b < nb; ++b) {
        ::lldb::SBBreakpoint bp = target.GetBreakpointAtIndex(b);
        if (!bp.IsEnabled()) continue;
        for (size_t l = 0, nl = bp.GetNumLocations(); l < nl; ++l) {
            ::lldb::SBBreakpointLocation loc = bp.GetLocationAtIndex(l);
            if (loc.IsEnabled() && loc.IsResolved()) out.push_back(loc.GetLoadAddress());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::shared_ptr<const LocalMemory::State> compute_state(::lldb::SBProcess& process,
                                                        uint32_t stop_id) {
    ::lldb::SBTarget target = process.GetTarget();
    const char* platform = target.GetPlatform().GetName();
    if (!platform || std::strcmp(platform, "host") != 0) return nullptr;
    auto pid = static_cast<pid_t>(process.GetProcessID());
    if (pid <= 0 || !runs_target_executable(pid, target)) return nullptr;
    auto state = std::make_shared<LocalMemory::State>();
    state->pid = pid;
    state->stop_id = stop_id;
    state->module_ranges = module_ranges(target);
    state->breakpoint_sites = breakpoint_sites(target);
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
    std::lock_guard lock(c.mutex);
    auto checked = c.checked_stop.find(uid);
    if (checked == c.checked_stop.end() || checked->second != stop) {
        if (c.by_process.size() > 32) {
            c.by_process.clear();
            c.checked_stop.clear();
        }
        c.by_process[uid] = compute_state(process, stop);
        c.checked_stop[uid] = stop;
    }
    const auto& state = c.by_process[uid];
    if (!state) return nullptr;
    return std::make_shared<const LocalMemory>(state);
}

bool LocalMemory::read(uint64_t address, std::span<std::byte> out) const {
    if (out.empty()) return true;
    uint64_t end = address + out.size();
    if (end < address) return false;
    const auto& ranges = m_state->module_ranges;
    // Ranges are disjoint: only the last one that begins before `end` can overlap.
    auto past = std::lower_bound(ranges.begin(), ranges.end(), std::make_pair(end, uint64_t{0}));
    if (past != ranges.begin() && std::prev(past)->second > address) return false;
    const auto& sites = m_state->breakpoint_sites;
    auto site = std::lower_bound(sites.begin(), sites.end(), address);
    if (site != sites.end() && *site < end) return false;
    iovec local{out.data(), out.size()};
    iovec remote{reinterpret_cast<void*>(address), out.size()};
    ssize_t n = ::process_vm_readv(m_state->pid, &local, 1, &remote, 1, 0);
    return n == static_cast<ssize_t>(out.size());
}

} // namespace seam::lldb
