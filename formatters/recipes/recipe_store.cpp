#include "formatters/recipes/recipe_store.h"

#include <mutex>
#include <unordered_set>

#include "formatters/core/container_hints.h"
#include "formatters/core/formatter.h"

namespace seam::recipes {
namespace {

struct Store {
    std::mutex lock;
    RecipeSet set;
    std::unordered_set<std::string> names; ///< every type a rule names
};

Store& store() {
    // Never destroyed: LLDB may format a value while the plugin's library is being unloaded.
    static Store* s = new Store;
    return *s;
}

// The last rule for `name` wins: a user's later file corrects an earlier one.
template <typename Rule, typename Match>
std::optional<Rule> last(const std::vector<Rule>& rules, Match match) {
    for (auto it = rules.rbegin(); it != rules.rend(); ++it)
        if (match(*it)) return *it;
    return std::nullopt;
}

} // namespace

std::string rule_name(const Type& t) {
    const std::string& q = t.qualified.empty() ? t.name : t.qualified;
    return q.substr(0, q.find('<'));
}

void install(RecipeSet set) {
    for (const auto& h : set.list_heads)
        ContainerHints::global().add_list({h.owner, h.field, h.element, h.link});
    Store& s = store();
    {
        std::lock_guard<std::mutex> g(s.lock);
        for (const auto& r : set.owns) s.names.insert(r.type);
        for (const auto& r : set.shared) s.names.insert(r.type);
        for (const auto& r : set.lists) s.names.insert(r.type);
        s.set.merge(std::move(set));
    }
    invalidate_formatter_memos();
}

void clear_installed() {
    Store& s = store();
    {
        std::lock_guard<std::mutex> g(s.lock);
        s.set = RecipeSet{};
        s.names.clear();
    }
    ContainerHints::global().clear();
    invalidate_formatter_memos();
}

RecipeSet installed() {
    Store& s = store();
    std::lock_guard<std::mutex> g(s.lock);
    return s.set;
}

bool names_type(const Type& t) {
    Store& s = store();
    std::lock_guard<std::mutex> g(s.lock);
    return !s.names.empty() && s.names.count(rule_name(t));
}

std::optional<OwnsRule> owns_rule(const Type& t) {
    Store& s = store();
    std::lock_guard<std::mutex> g(s.lock);
    const std::string n = rule_name(t);
    return last(s.set.owns, [&](const OwnsRule& r) { return r.type == n; });
}

std::optional<SharedRule> shared_rule(const Type& t) {
    Store& s = store();
    std::lock_guard<std::mutex> g(s.lock);
    const std::string n = rule_name(t);
    return last(s.set.shared, [&](const SharedRule& r) { return r.type == n; });
}

std::optional<ListRule> list_rule(const Type& t) {
    Store& s = store();
    std::lock_guard<std::mutex> g(s.lock);
    const std::string n = rule_name(t);
    return last(s.set.lists, [&](const ListRule& r) { return r.type == n; });
}

std::optional<HoldsRule> holds_rule(std::string_view c_struct, std::string_view field) {
    Store& s = store();
    std::lock_guard<std::mutex> g(s.lock);
    return last(s.set.holds,
                [&](const HoldsRule& r) { return r.type == c_struct && r.field == field; });
}

} // namespace seam::recipes
