// The recipe parser (formatters/recipes/recipe_toml.cpp, toml++ underneath) over fuzzed recipe
// files: any text must end as a RecipeSet or an error naming the file and line. A parsed set is
// installed and read back as the formatters read it, then cleared.
#include <cstdint>
#include <string_view>

#include "formatters/recipes/recipe.h"
#include "formatters/recipes/recipe_store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace seam::recipes;
    auto set =
        parse_recipes(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.toml");
    if (!set) return 0;
    for (const OwnsRule& r : set->owns) (void)split_path(r.field);
    for (const SharedRule& r : set->shared) (void)split_path(r.count), (void)split_path(r.value);
    install(std::move(*set));
    installed();
    clear_installed();
    return 0;
}
