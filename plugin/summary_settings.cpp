#include "plugin/summary_settings.h"

#include <lldb/API/SBDebugger.h>
#include <lldb/API/SBProcess.h>
#include <lldb/API/SBStringList.h>
#include <lldb/API/SBTarget.h>

#include <cstdlib>
#include <mutex>
#include <string>

namespace seam::plugin {

namespace {

// One setting as LLDB prints it (`settings show` form: a decimal number).
uint32_t read_setting(::lldb::SBDebugger& debugger, const char* name, uint32_t fallback) {
    ::lldb::SBStringList list =
        ::lldb::SBDebugger::GetInternalVariableValue(name, debugger.GetInstanceName());
    if (list.GetSize() == 0 || !list.GetStringAtIndex(0)) return fallback;
    const char* text = list.GetStringAtIndex(0);
    char* end = nullptr;
    unsigned long value = std::strtoul(text, &end, 10);
    if (end == text) return fallback;
    return value > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(value);
}

struct Cached {
    std::mutex mutex;
    bool valid = false;
    ::lldb::user_id_t debugger = 0;
    uint32_t process = 0;
    uint32_t stop = 0;
    SummarySettings settings;
};

} // namespace

SummarySettings summary_settings(::lldb::SBValue value) {
    return summary_settings(value.GetTarget());
}

SummarySettings summary_settings(::lldb::SBTarget target) {
    static Cached cache;
    ::lldb::SBDebugger debugger = target.GetDebugger();
    if (!debugger.IsValid()) return {};
    ::lldb::SBProcess process = target.GetProcess();
    ::lldb::user_id_t debugger_id = debugger.GetID();
    uint32_t process_id = process.IsValid() ? process.GetUniqueID() : 0;
    uint32_t stop_id = process.IsValid() ? process.GetStopID() : 0;
    std::lock_guard lock(cache.mutex);
    if (cache.valid && cache.debugger == debugger_id && cache.process == process_id &&
        cache.stop == stop_id)
        return cache.settings;
    SummarySettings s;
    s.max_children = read_setting(debugger, "target.max-children-count", s.max_children);
    s.max_string = read_setting(debugger, "target.max-string-summary-length", s.max_string);
    cache.valid = true;
    cache.debugger = debugger_id;
    cache.process = process_id;
    cache.stop = stop_id;
    cache.settings = s;
    return s;
}

} // namespace seam::plugin
