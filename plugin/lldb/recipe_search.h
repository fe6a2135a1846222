#pragma once
/// Where recipes are found without a command (docs/recipes.md): the user's directory, and
/// beside each module seam reads (`*.seam.toml` in its directory), so that a program shipped with
/// its recipe needs nothing typed. Every front end that reads modules (the plugin, seam-report,
/// seam-gui) gets them the same way.
#include <string>
#include <vector>

namespace seam::lldb {

/// Loads every `*.seam.toml` in the directory of `module_path`, once per directory.
void load_recipes_beside(const std::string& module_path);

/// Loads `$SEAM_RECIPE_PATH` (files and directories, `:`-separated) when set, else every
/// `*.toml` in `$XDG_CONFIG_HOME/seam/recipes` (`~/.config/seam/recipes`).
void load_recipes_from_config();

/// What loading found since the last call: `loaded 3 rules from x.toml`, or an error naming
/// the file and line. The plugin prints these at its next command.
std::vector<std::string> take_recipe_messages();

} // namespace seam::lldb
