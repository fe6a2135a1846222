#pragma once
/// Internal to the C formatters (formatters/c): the pieces register_c() assembles and the
/// helpers they share.
///
/// C values print in the Debug syntax the renderers share with Rust, with C's names and
/// C's conventions where Rust has none: a struct is `point { x: 1, y: 2 }` (its tag, or its
/// typedef's name when anonymous), a char is `97 'a'`, a `char *` or `char[N]` is the C string
/// `"boat"` (bytes that are not UTF-8 as `\xFF`), an enum is its enumerator, `(A | B)` for a
/// combination of flags, else its number; a data pointer is its address `0x7ffd5e8c1a2c`, a
/// function pointer its address and the function `0x401136 <add>`. Every C value's ownership
/// fact is `c`.
#include <cstdint>
#include <memory>
#include <string>

#include "formatters/core/context.h"

namespace seam::c_values {

std::unique_ptr<Formatter> make_scalar_formatter();
std::unique_ptr<Formatter> make_enum_formatter();
std::unique_ptr<Formatter> make_pointer_formatter();
std::unique_ptr<Formatter> make_record_formatter(); ///< struct and union
std::unique_ptr<Formatter> make_array_formatter();
std::unique_ptr<Formatter> make_atomic_formatter();    ///< atomic_t and kin
std::unique_ptr<Formatter> make_refcount_formatter();  ///< refcount_t, struct kref
std::unique_ptr<Formatter> make_list_view_formatter(); ///< a list head whose element is known
/// A plain `struct list_head`/`hlist_head`: `record`'s children, its length on the summary line.
std::unique_ptr<Formatter> make_list_head_formatter(const Formatter* record);

inline bool is_c(const Type& t) {
    return t.lang == Lang::C || t.lang == Lang::Cpp;
}

/// A C struct or union as bindgen copies it into Rust: a Rust type declared under a `bindings`
/// module (`bindings::list_head` in the kernel crate, `mycrate::bindings::kref`) or in a `*_sys`
/// crate (`libgit2_sys::git_oid`). Bindgen's copy has the C type's name, fields and layout, so
/// it is the same C type seen from a Rust unit and renders by the C formatters with the same
/// facts.
bool is_bindgen_record(const Type& t);

/// A C record from either side: a C unit's, or bindgen's copy of it.
inline bool is_c_record(const Type& t) {
    return (t.kind == TypeKind::Struct || t.kind == TypeKind::Union) &&
           (is_c(t) || is_bindgen_record(t));
}

/// A C type as a C programmer writes it: `struct point`, `unsigned int *`, `char[8]`.
std::string c_type_name(const Type* t);
/// True for the one-byte character types (`char`, `signed char`, `unsigned char`).
bool is_char_type(const Type* t);
/// `97 'a'`, `10 '\n'`, `-1 '\377'` as gdb prints a char.
std::string c_char_text(int64_t value);

struct CString {
    std::string bytes;
    bool terminated = false; ///< a NUL was found within the limit
};
/// The bytes at `address` up to the first NUL or `limit` bytes, read in aligned chunks so a
/// string that ends just before an unmapped page still reads.
Result<CString> read_c_string(Context& ctx, uint64_t address, uint64_t limit);
/// `"boat"`, with `...` after a string cut at the budget.
std::string c_string_text(const CString& s);

inline Child make_child(std::string label, Value v) {
    Child c;
    c.label = std::move(label);
    c.value = std::move(v);
    return c;
}

} // namespace seam::c_values
