#pragma once
/// Where recipes are found without a command (docs/recipes.md): the user's directory, and
/// beside each module seam reads (`*.seam.toml` in its directory), so that a program shipped with
/// its recipe needs nothing typed. Every front end that reads modules (the plugin, seam-report,
/// seam-gui) gets them the same way.
#include <functional>
#include <string>
#include <vector>

namespace seam::lldb {

/// Loads every `*.seam.toml` in the directory of `module_path`, once per directory, then calls
/// the hook set by on_recipes_beside when a file there loaded.
void load_recipes_beside(const std::string& module_path);

/// What to do once recipes found beside a module are installed: the plugin registers LLDB
/// summaries for their C types then, so that `frame variable` shows them at once and not only
/// after the next `seam` command. The hook runs on the thread that read the module, possibly
/// inside an LLDB formatter callback; it must not throw.
void on_recipes_beside(std::function<void()> hook);

/// Loads `$SEAM_RECIPE_PATH` (files and directories, `:`-separated) when set, else every
/// `*.toml` in `$XDG_CONFIG_HOME/seam/recipes` (`~/.config/seam/recipes`).
void load_recipes_from_config();

/// What loading found since the last call: `loaded 3 rules from x.toml`, or an error naming
/// the file and line. The plugin prints these at its next command.
std::vector<std::string> take_recipe_messages();

} // namespace seam::lldb
