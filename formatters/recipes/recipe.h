#pragma once
/// User recipes (issue 14; docs/recipes.md): what a C library's Rust wrapper means by its
/// handle and refcount types, said in a TOML file instead of C++. Loaded at run time (no
/// rebuild) into one process-wide store that every front end's formatting reads.
///
/// ```toml
/// version = 1
/// [[owns]]      # this Rust type owns a C object through a field, released by a function
/// type = "git2::repo::Repository"
/// field = "raw"
/// release = "git_repository_free"
/// [[shared]]    # a shared handle: its count at a field path, its value behind a pointer
/// type = "mylib::Handle"
/// count = "inner.refs"
/// value = "inner.obj"
/// [[list]]      # a C struct linked into a NULL-terminated list through `next`
/// type = "node"
/// next = "next"
/// [[list_head]] # an intrusive list: owner.field links `element` structs through `link`
/// owner = "bus"
/// field = "children"
/// element = "child"
/// link = "sibling"
/// [[holds]]     # a C `void *` field holds a Rust value given away (Box::into_raw, Arc::into_raw,
///               # the kernel's into_foreign: "KBox<T>", "kernel::sync::Arc<T>")
/// type = "holder"
/// field = "data"
/// holds = "Box<own::Node>"
/// ```
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formatters/core/result.h"

namespace seam::recipes {

inline constexpr int kRecipeVersion = 1;

/// Where a rule came from, for messages: `git2.toml:4`.
struct Origin {
    std::string file;
    uint32_t line = 0;
};

struct OwnsRule {
    std::string type;    ///< the Rust (or C) type holding the handle
    std::string field;   ///< field path to the C pointer: `raw`, `inner.db`
    std::string release; ///< the C function that frees it (shown; never called)
    Origin origin;
};

struct SharedRule {
    std::string type;
    std::string count; ///< field path to the strong count (an integer, refcount_t, atomic)
    std::string value; ///< field path to the pointer to the shared value; empty: none shown
    Origin origin;
};

struct ListRule {
    std::string type; ///< the C struct
    std::string next; ///< its member pointing at the next one (NULL ends the list)
    Origin origin;
};

struct ListHeadRule {
    std::string owner; ///< the struct holding the head; empty: a variable named `field`
    std::string field;
    std::string element;
    std::string link;
    Origin origin;
};

/// Box::into_raw, Arc::into_raw and Rc::into_raw give the value's address; the kernel crate's
/// ForeignOwnable gives a KBox's value (`KBox<T>`) and an Arc's ArcInner
/// (`kernel::sync::Arc<T>`: `into_foreign` hands C the pointer the Arc holds).
enum class HeldKind { Box, Arc, Rc, KBox, KernelArc };

/// How a rule spells the kind: `Box`, `Arc`, `Rc`, `KBox`, `kernel::sync::Arc`.
inline const char* held_kind_name(HeldKind k) {
    switch (k) {
    case HeldKind::Box:
        return "Box";
    case HeldKind::Arc:
        return "Arc";
    case HeldKind::Rc:
        return "Rc";
    case HeldKind::KBox:
        return "KBox";
    case HeldKind::KernelArc:
        return "kernel::sync::Arc";
    }
    return "?";
}
struct HoldsRule {
    std::string type;  ///< the C struct
    std::string field; ///< its `void *` member
    HeldKind kind = HeldKind::Box;
    std::string target; ///< T of Box<T>/Arc<T>/Rc<T>, as the DWARF names it (`own::Node`)
    Origin origin;
};

struct RecipeSet {
    std::vector<OwnsRule> owns;
    std::vector<SharedRule> shared;
    std::vector<ListRule> lists;
    std::vector<ListHeadRule> list_heads;
    std::vector<HoldsRule> holds;
    std::vector<std::string> files; ///< the files these came from, in load order

    void merge(RecipeSet other);
    size_t size() const {
        return owns.size() + shared.size() + lists.size() + list_heads.size() + holds.size();
    }
};

/// Parses one recipe file's text. Errors name the file, the line and the field:
/// `git2.toml:7: [[owns]] #2: missing "release"`.
Result<RecipeSet> parse_recipes(std::string_view text, const std::string& file);
/// Reads and parses `path`.
Result<RecipeSet> load_recipe_file(const std::string& path);

/// A field path (`inner.db`) split at its dots; an empty step is an error.
Result<std::vector<std::string>> split_path(std::string_view path);

} // namespace seam::recipes
