// The entry point lldb calls after `plugin load libseam.so`.
#include <lldb/API/SBDebugger.h>

#include "plugin/commands/commands.h"
#include "plugin/lldb/recipe_search.h"
#include "plugin/summaries.h"

namespace lldb {

// The one symbol the plugin exports (the target builds with hidden visibility).
__attribute__((visibility("default"))) bool PluginInitialize(lldb::SBDebugger debugger) {
    try {
        bool commands = seam::plugin::register_commands(debugger);
        bool summaries = seam::plugin::register_summaries(debugger);
        // The user's recipes, before any target: their C types get summaries now.
        seam::lldb::load_recipes_from_config();
        seam::plugin::register_recipe_summaries(debugger);
        // Recipes beside a program are found when seam first reads its DWARF, often inside a
        // summary callback: their C types get summaries then. LLDB's category lock is
        // recursive, so registering from inside a formatter is safe.
        seam::lldb::on_recipes_beside([debugger]() mutable {
            try {
                seam::plugin::register_recipe_summaries(debugger);
            } catch (...) {
            }
        });
        return commands && summaries;
    } catch (...) {
        return false;
    }
}

} // namespace lldb
