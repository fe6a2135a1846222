#pragma once
/// Internal to the generic Rust formatter (rust_generic*.cpp, rust_enums.cpp): the pieces
/// register_rust_generic() assembles, and the small readers they share. Not for other families.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

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

/// Rust's, or of no known language (hand-made types): what the generic Rust formatter claims.
bool is_rust_or_unknown(const Type& t);
/// A Leaf whose Debug is `text`, typed as the user writes `t`.
Formatted typed_leaf(std::string text, const Type& t);

/// The fields Debug prints of a struct or variant struct: artificial members (old rustc's
/// `RUST$ENUM$DISR`) are not fields. None for a null type.
std::vector<const Field*> visible_fields(const Type* t);
/// The shape derive(Debug) gives these fields: a struct without fields, braced or not, prints
/// as its bare name; tuple structs and variants (fields `__0, __1, ..`) as a tuple.
Shape derived_shape(const std::vector<const Field*>& fields);
/// Children `start .. start+count` of `fields`, each at `base + offset` in `v`, labelled by
/// field name (`0`, `1` for tuple fields).
std::vector<Child> field_children(const Value& v, const std::vector<const Field*>& fields,
                                  uint64_t base, uint64_t start, uint64_t count);

/// A child with no map value.
inline Child make_child(std::string label, Value v) {
    Child c;
    c.label = std::move(label);
    c.value = std::move(v);
    return c;
}

} // namespace seam::rust_generic
