// Placeholder entry until the plugin lands (owned by the plugin work).
#include <lldb/API/SBDebugger.h>
namespace lldb {
__attribute__((visibility("default"))) bool PluginInitialize(lldb::SBDebugger) { return true; }
} // namespace lldb
