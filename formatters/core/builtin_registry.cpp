#include "formatters/core/formatter.h"
#include "formatters/rust/families.h"

namespace seam {

const Registry& builtin_registry() {
    static const Registry* registry = [] {
        auto* r = new Registry;
        // Recipes first: they add to what the type's own formatter shows (recipe_formatters.cpp).
        recipes::register_recipe_formatters(*r);
        register_kernel(*r);
        register_rust_strings(*r);
        register_rust_vec(*r);
        register_rust_hash(*r);
        register_rust_btree(*r);
        register_rust_pointers(*r);
        register_rust_cells(*r);
        register_rust_sync(*r);
        register_rust_misc(*r);
        register_c(*r);
        register_rust_generic(*r);
        return r;
    }();
    return *registry;
}

const Registry& raw_registry() {
    static const Registry* registry = [] {
        auto* r = new Registry;
        register_c(*r);
        register_rust_generic(*r);
        return r;
    }();
    return *registry;
}

} // namespace seam
