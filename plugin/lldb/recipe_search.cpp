#include "plugin/lldb/recipe_search.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <set>

#include <fmt/format.h>

#include "formatters/recipes/recipe_store.h"

namespace seam::lldb {
namespace {

namespace fs = std::filesystem;

struct State {
    std::mutex lock;
    std::set<std::string> dirs_seen;
    std::vector<std::string> messages;
    std::function<void()> beside_hook;
};

State& state() {
    static State* s = new State;
    return *s;
}

void note(std::string m) {
    State& s = state();
    std::lock_guard<std::mutex> g(s.lock);
    s.messages.push_back(std::move(m));
}

// Whether the file loaded.
bool load_file(const fs::path& file) {
    auto set = recipes::load_recipe_file(file.string());
    if (!set) {
        note("seam: recipe not loaded: " + set.error().message);
        return false;
    }
    note(fmt::format("seam: loaded {} recipe rules from {}", set->size(), file.string()));
    recipes::install(std::move(*set));
    return true;
}

// The files of `dir` whose names end with `suffix`, in name order (a later file's rule for the
// same type wins, so the order must not depend on the file system).
std::vector<fs::path> files_in(const fs::path& dir, std::string_view suffix) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.ends_with(suffix) && it->is_regular_file(ec)) out.push_back(it->path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

void load_recipes_beside(const std::string& module_path) {
    const fs::path dir = fs::path(module_path).parent_path();
    {
        State& s = state();
        std::lock_guard<std::mutex> g(s.lock);
        if (!s.dirs_seen.insert(dir.string()).second) return;
    }
    bool loaded = false;
    for (const auto& f : files_in(dir, ".seam.toml")) loaded |= load_file(f);
    if (!loaded) return;
    std::function<void()> hook;
    {
        State& s = state();
        std::lock_guard<std::mutex> g(s.lock);
        hook = s.beside_hook;
    }
    if (hook) hook();
}

void on_recipes_beside(std::function<void()> hook) {
    State& s = state();
    std::lock_guard<std::mutex> g(s.lock);
    s.beside_hook = std::move(hook);
}

void load_recipes_from_config() {
    if (const char* path = std::getenv("SEAM_RECIPE_PATH")) {
        std::string_view rest = path;
        while (!rest.empty()) {
            auto colon = rest.find(':');
            fs::path p(std::string(rest.substr(0, colon)));
            rest = colon == std::string_view::npos ? "" : rest.substr(colon + 1);
            std::error_code ec;
            if (p.empty()) continue;
            if (fs::is_directory(p, ec))
                for (const auto& f : files_in(p, ".toml")) load_file(f);
            else
                load_file(p);
        }
        return;
    }
    fs::path dir;
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
        dir = fs::path(xdg) / "seam" / "recipes";
    else if (const char* home = std::getenv("HOME"); home && *home)
        dir = fs::path(home) / ".config" / "seam" / "recipes";
    if (!dir.empty())
        for (const auto& f : files_in(dir, ".toml")) load_file(f);
}

std::vector<std::string> take_recipe_messages() {
    State& s = state();
    std::lock_guard<std::mutex> g(s.lock);
    return std::exchange(s.messages, {});
}

} // namespace seam::lldb
