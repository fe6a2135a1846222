// The entry point lldb calls after `plugin load libseam.so`.
#include <lldb/API/SBDebugger.h>

#include "plugin/commands/commands.h"
#include "plugin/summaries.h"

namespace lldb {

// The one symbol the plugin exports (the target builds with hidden visibility).
__attribute__((visibility("default"))) bool PluginInitialize(lldb::SBDebugger debugger) {
    try {
        bool commands = seam::plugin::register_commands(debugger);
        bool summaries = seam::plugin::register_summaries(debugger);
        return commands && summaries;
    } catch (...) {
        return false;
    }
}

} // namespace lldb
