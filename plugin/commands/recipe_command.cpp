// `seam recipe load FILE…`, `seam recipe list`, `seam recipe clear`: user recipes
// (docs/recipes.md) loaded at run time; every front end's formatting sees them at once.
#include <fmt/format.h>

#include "formatters/recipes/recipe_store.h"
#include "plugin/commands/commands.h"
#include "plugin/lldb/recipe_search.h"
#include "plugin/summaries.h"

namespace seam::plugin {

namespace {

constexpr const char* k_syntax = "seam recipe load FILE... | seam recipe list | seam recipe clear";
constexpr const char* k_help =
    "Loads recipe files (TOML, docs/recipes.md) that say what a C library's Rust wrapper means "
    "by its handles: a type that owns a C object, a shared handle's count, a C list, a void * "
    "holding a Box or Arc. `list` shows the rules in force and where each came from.";

std::string messages() {
    std::string out;
    for (const auto& m : seam::lldb::take_recipe_messages()) out += m + "\n";
    return out;
}

std::string listing() {
    recipes::RecipeSet set = recipes::installed();
    if (set.size() == 0) return "no recipes loaded\n";
    std::string out;
    auto at = [](const recipes::Origin& o) { return fmt::format("{}:{}", o.file, o.line); };
    for (const auto& r : set.owns)
        out += fmt::format("owns       {} through {}, released by {}  ({})\n", r.type, r.field,
                           r.release, at(r.origin));
    for (const auto& r : set.shared)
        out += fmt::format("shared     {} count {}{}  ({})\n", r.type, r.count,
                           r.value.empty() ? "" : ", value " + r.value, at(r.origin));
    for (const auto& r : set.lists)
        out += fmt::format("list       {} linked by {}  ({})\n", r.type, r.next, at(r.origin));
    for (const auto& r : set.list_heads)
        out += fmt::format("list_head  {}{}{} of {} linked by {}  ({})\n", r.owner,
                           r.owner.empty() ? "" : ".", r.field, r.element, r.link, at(r.origin));
    for (const auto& r : set.holds)
        out += fmt::format("holds      {}.{} holds {}<{}>  ({})\n", r.type, r.field,
                           recipes::held_kind_name(r.kind), r.target, at(r.origin));
    return out;
}

Result<std::string> run_command(::lldb::SBDebugger& debugger,
                                const std::vector<std::string>& args) {
    if (args.empty()) return err("usage: {}", k_syntax);
    const std::string& verb = args[0];
    if (verb == "load") {
        if (args.size() < 2) return err("usage: {}", k_syntax);
        // All or nothing: a file with an error loads no rule, and neither do the ones after it.
        recipes::RecipeSet all;
        for (size_t i = 1; i < args.size(); ++i) {
            auto set = recipes::load_recipe_file(args[i]);
            if (!set) return set.error();
            all.merge(std::move(*set));
        }
        const size_t n = all.size();
        const size_t files = all.files.size();
        recipes::install(std::move(all));
        register_recipe_summaries(debugger);
        return messages() + fmt::format("loaded {} recipe rule{} from {} file{}\n", n,
                                        n == 1 ? "" : "s", files, files == 1 ? "" : "s");
    }
    if (args.size() != 1) return err("usage: {}", k_syntax);
    if (verb == "list") {
        register_recipe_summaries(debugger);
        return messages() + listing();
    }
    if (verb == "clear") {
        recipes::clear_installed();
        return std::string("recipes cleared\n");
    }
    return err("unknown recipe command '{}'\nusage: {}", verb, k_syntax);
}

} // namespace

const CommandSpec k_recipe_command{"recipe", k_help, k_syntax, run_command};

} // namespace seam::plugin
