#include "plugin/lldb/debug_info_cache.h"
#include "plugin/lldb/recipe_search.h"

#include <lldb/API/SBAddress.h>
#include <lldb/API/SBFileSpec.h>
#include <lldb/API/SBSection.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <tuple>

namespace seam::lldb {

namespace {

std::string spec_path(const ::lldb::SBFileSpec& spec) {
    if (!spec.IsValid()) return {};
    char buf[4096];
    uint32_t n = spec.GetPath(buf, sizeof buf);
    if (n == 0 || n >= sizeof buf) return {};
    return std::string(buf, n);
}

// The key also holds the file's modification time: a program rebuilt between two runs in
// the same debugger must not be read through the DWARF of the old build.
struct CacheKey {
    std::string path;
    uint64_t load_bias;
    int64_t mtime;
    bool operator<(const CacheKey& o) const {
        return std::tie(path, load_bias, mtime) < std::tie(o.path, o.load_bias, o.mtime);
    }
};

int64_t mtime_of(const std::string& path) {
    std::error_code ec;
    auto t = std::filesystem::last_write_time(path, ec);
    return ec ? 0 : int64_t(t.time_since_epoch().count());
}

} // namespace

struct DebugInfoCache::Impl {
    std::mutex mutex;
    std::map<CacheKey, Result<std::unique_ptr<DebugInfo>>> entries;
};

DebugInfoCache::DebugInfoCache() : m_impl(new Impl) {}
// Deliberately leaked with the DebugInfos it holds; see the header.
DebugInfoCache::~DebugInfoCache() = default;

DebugInfoCache& DebugInfoCache::shared() {
    static DebugInfoCache* cache = new DebugInfoCache;
    return *cache;
}

Result<ModuleKey> module_key(::lldb::SBModule module, ::lldb::SBTarget target) {
    if (!module.IsValid()) return err("no module");
    ModuleKey key;
    key.path = spec_path(module.GetSymbolFileSpec());
    std::error_code ec;
    if (key.path.empty() || !std::filesystem::exists(key.path, ec))
        key.path = spec_path(module.GetFileSpec());
    if (key.path.empty()) return err("module has no file");
    // Any loaded section gives the slide: ELF segments move as one.
    size_t n = module.GetNumSections();
    for (size_t i = 0; i < n; ++i) {
        ::lldb::SBSection section = module.GetSectionAtIndex(i);
        ::lldb::addr_t load = section.GetLoadAddress(target);
        ::lldb::addr_t file = section.GetFileAddress();
        if (load == LLDB_INVALID_ADDRESS || file == LLDB_INVALID_ADDRESS) continue;
        key.load_bias = load - file;
        return key;
    }
    return err("no section of {} is loaded", key.path);
}

Result<const DebugInfo*> DebugInfoCache::get(const ModuleKey& key) {
    CacheKey ck{key.path, key.load_bias, mtime_of(key.path)};
    std::lock_guard lock(m_impl->mutex);
    auto it = m_impl->entries.find(ck);
    if (it == m_impl->entries.end()) {
        it = m_impl->entries.emplace(ck, DebugInfo::open(key.path, key.load_bias)).first;
        load_recipes_beside(key.path);
    }
    if (!it->second) return it->second.error();
    return it->second.value().get();
}

Result<const DebugInfo*> DebugInfoCache::get(::lldb::SBModule module, ::lldb::SBTarget target) {
    auto key = module_key(module, target);
    if (!key) return key.error();
    return get(*key);
}

Result<const DebugInfo*> DebugInfoCache::at_address(::lldb::SBTarget target,
                                                    uint64_t load_address) {
    ::lldb::SBAddress addr(load_address, target);
    ::lldb::SBModule module = addr.GetModule();
    if (!module.IsValid()) return err("no module holds {:#x}", load_address);
    return get(module, target);
}

} // namespace seam::lldb
