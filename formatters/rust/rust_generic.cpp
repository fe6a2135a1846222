// The fallback for every Rust type no specific family claims (registered last): scalars,
// pointers, enums, tuples, user structs and arrays. The pieces live in rust_generic_*.cpp and
// rust_enums.cpp; this file only assembles them, most specific first.
#include "formatters/core/formatter.h"
#include "formatters/rust/families.h"
#include "formatters/rust/rust_generic_parts.h"

namespace seam {

void register_rust_generic(Registry& r) {
    // Enums before structs: a Rust enum is a DW_TAG_structure_type with a variant part.
    r.add(rust_generic::make_variant_enum_formatter());
    r.add(rust_generic::make_fieldless_enum_formatter());
    r.add(rust_generic::make_scalar_formatter());
    r.add(rust_generic::make_pointer_formatter());
    r.add(rust_generic::make_array_formatter());
    r.add(rust_generic::make_struct_formatter());
}

} // namespace seam
