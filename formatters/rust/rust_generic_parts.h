#pragma once
/// Internal to the generic Rust formatter (rust_generic*.cpp, rust_enums.cpp): the pieces
/// register_rust_generic() assembles, and the small readers they share. Not for other families.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "formatters/core/context.h"

namespace seam::rust_generic {

/// Scalars (integers of every width, floats, bool, char, `()`), references, raw and fn pointers.
std::unique_ptr<Formatter> make_scalar_formatter();
std::unique_ptr<Formatter> make_pointer_formatter();
/// Enums with a variant part (data-carrying and niche-encoded) and fieldless enums.
std::unique_ptr<Formatter> make_variant_enum_formatter();
std::unique_ptr<Formatter> make_fieldless_enum_formatter();
/// Tuples, user structs, tuple/unit structs, closures, PhantomData, fat raw pointers, unions.
std::unique_ptr<Formatter> make_struct_formatter();
/// `[T; N]`.
std::unique_ptr<Formatter> make_array_formatter();

/// `size` (1..16) little-endian bytes at `offset` in `v`, zero-extended to 128 bits.
Result<Int128> read_int128(Context& ctx, const Value& v, uint64_t offset, size_t size);
/// `x` cut to its low `size` bytes (size >= 16 keeps all).
Int128 truncate(Int128 x, size_t size);
/// `x` sign-extended from its low `size` bytes.
Int128 sign_extend(Int128 x, size_t size);
/// `0x` and lowercase hex digits, no leading zeros.
std::string hex128(Int128 x);
/// `{:?}` of a thin pointer: `0x7ffd5e8c1a2c`; with `pretty`, `{:#?}` zero-pads to 16 digits.
std::string pointer_text(uint64_t address, bool pretty);
/// The Rust spelling of a type for summaries: `[u8; 4]` for arrays, DW_AT_name otherwise.
std::string rust_type_name(const Type* t);
/// The Leaf of a thin pointer's address, with its `{:#?}` form.
Formatted address_leaf(uint64_t address);
/// A child with no map value.
inline Child make_child(std::string label, Value v) {
    Child c;
    c.label = std::move(label);
    c.value = std::move(v);
    return c;
}

} // namespace seam::rust_generic
