#pragma once
/// One seam::DebugInfo per module, opened on first use and kept for the life of the process.
///
/// Kept, never freed: the formatter registry caches its choice per `const Type*`, so a freed
/// DebugInfo whose memory a new one reused would hand stale formatters to new types.
#include <lldb/API/SBModule.h>
#include <lldb/API/SBTarget.h>

#include <cstdint>
#include <string>

#include "formatters/dwarf/debug_info.h"

namespace seam::lldb {

/// Where a module's DWARF lives and how far the module was moved from its file addresses.
struct ModuleKey {
    std::string path;       ///< the file holding the DWARF (the symbol file when separate)
    uint64_t load_bias = 0; ///< load address minus file address
};

/// The module's DWARF file and bias in `target`; an error when no section of it is loaded.
Result<ModuleKey> module_key(::lldb::SBModule module, ::lldb::SBTarget target);

class DebugInfoCache {
public:
    /// The process-wide cache every front end in this process shares.
    static DebugInfoCache& shared();

    /// The DebugInfo of `key`, opening it the first time. A failure to open is remembered
    /// too (a stripped library stays stripped), so it costs one attempt per module.
    Result<const DebugInfo*> get(const ModuleKey& key);
    /// The DebugInfo of the module in `target`.
    Result<const DebugInfo*> get(::lldb::SBModule module, ::lldb::SBTarget target);
    /// The DebugInfo of the module whose code or data holds `load_address`.
    Result<const DebugInfo*> at_address(::lldb::SBTarget target, uint64_t load_address);

    struct Impl;
    DebugInfoCache();
    ~DebugInfoCache();
    DebugInfoCache(const DebugInfoCache&) = delete;
    DebugInfoCache& operator=(const DebugInfoCache&) = delete;

private:
    Impl* m_impl;
};

} // namespace seam::lldb
