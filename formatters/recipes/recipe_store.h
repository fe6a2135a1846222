#pragma once
/// The recipes in force in this process: what `seam recipe load` and the search path loaded.
/// Read by the recipe formatters on every formatting request, written when a user loads a file:
/// thread-safe, and loading makes every registry look again for each type's formatter.
#include <optional>
#include <string>
#include <string_view>

#include "formatters/core/type.h"
#include "formatters/recipes/recipe.h"

namespace seam::recipes {

/// Adds `set`'s rules (a type named twice: the later rule wins) and feeds its list heads to
/// ContainerHints.
void install(RecipeSet set);
/// Forgets every rule.
void clear_installed();
/// A copy of everything installed.
RecipeSet installed();

std::optional<OwnsRule> owns_rule(const Type& t);
std::optional<SharedRule> shared_rule(const Type& t);
std::optional<ListRule> list_rule(const Type& t); ///< `t`: the C struct
std::optional<HoldsRule> holds_rule(std::string_view c_struct, std::string_view field);
/// Whether any rule names `t` (cheap: the formatters' matches()).
bool names_type(const Type& t);

/// The name a rule matches a type by: the qualified name without generic arguments' defaults
/// for Rust (`git2::repo::Repository`), the tag for C (`node`).
std::string rule_name(const Type& t);

} // namespace seam::recipes

namespace seam::recipes {

/// The type a C `void *` member is formatted with when a [[holds]] rule names what it holds:
/// the member's pointer type seen as a pointer to `target` given away as `kind`. Made once per
/// (pointer, rule, target) and kept for the process. Null without a target type.
const Type* held_view_type(const Type* pointer, const HoldsRule& rule, const Type* target);
struct HeldView {
    HoldsRule rule;
    const Type* target = nullptr;
};
std::optional<HeldView> held_view_of(const Type& t);

/// A [[list]] node type whose `next` member no longer reads as a list: the elements of a list
/// show their own link as the address it is, not as the rest of the list again.
const Type* plain_node_type(const Type* node, const ListRule& rule);
bool is_plain_link(const Type& t);

} // namespace seam::recipes
