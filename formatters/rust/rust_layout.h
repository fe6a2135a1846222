#pragma once
/// Readers of std's buffer layouts shared by the Rust formatter families: a Vec's or RawVec's
/// pointer, length and capacity, a fat pointer's data and length, a str's bytes, and elements
/// read in bulk. Every offset comes from DWARF field names, so that rustc versions whose RawVec
/// differs (`buf.ptr`/`buf.cap` before 1.75-ish, `buf.inner.{ptr,cap}` with a `UsizeNoHighBit`
/// cap in 1.8x-1.95) read alike.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formatters/core/context.h"

namespace seam::rust_layout {

/// A contiguous run of elements in target memory.
struct Buffer {
    uint64_t ptr = 0;           ///< address of element 0 (dangling, not null, when empty)
    uint64_t len = 0;           ///< elements in use
    uint64_t cap = 0;           ///< elements allocated (usize::MAX for zero-sized T in a Vec)
    const Type* elem = nullptr; ///< the element type (T)
    uint64_t elem_size = 0;     ///< bytes per element (0 for zero-sized T)
};

/// The integer inside `v`, through newtypes (`Cap(usize)`, `UsizeNoHighBit`, `NonNull<T>`,
/// `Unique<T>`) down to the first base or pointer type; zero-sized fields (PhantomData) skipped.
Result<uint64_t> scalar(Context& ctx, const Value& v);

/// A RawVec<T, A> (or RawVecInner) value: ptr and cap; `elem` is the T to use (RawVecInner is
/// type-erased since rustc 1.84, so callers pass the T of the enclosing container). len is 0.
Result<Buffer> read_raw_vec(Context& ctx, const Value& raw_vec, const Type* elem);

/// A Vec<T, A> value: ptr, len, cap and T from its template parameter.
Result<Buffer> read_vec(Context& ctx, const Value& vec);

/// A fat pointer to a slice-like DST (`&[T]`, `&mut str`, `Box<[T]>`, `&OsStr`): the struct
/// rustc emits with `data_ptr` and `length`. `elem` is the data pointer's target; cap = len.
Result<Buffer> read_fat(Context& ctx, const Value& fat);

/// Checks that a buffer is sane before anything is read: `<invalid: len N exceeds cap M>`,
/// a byte size beyond any address space. Returns the marker text, or "" when sane.
std::string check(const Buffer& b, bool check_cap);

/// Reads `len` bytes at `address` as one string, within the budget's max_string: an error
/// value's message is a finished marker (`<error: cannot read 5 bytes at 0x10>`).
Result<std::string> read_string_bytes(Context& ctx, uint64_t address, uint64_t len);

/// The Debug leaf of the str whose UTF-8 bytes are at `address` (Rc<str>, Arc<str>, Box<str>
/// and &str all end here): `"hello"`, or a marked error. Ownership is left Inline. `rustc` (the
/// Type::rustc of the str's owner) picks the std whose Unicode tables decide the escapes.
Formatted str_leaf(Context& ctx, uint64_t address, uint64_t len, uint32_t rustc);

/// Children `first .. first+count` of a run of `elem_size`-byte elements starting at `base`,
/// read with one bulk read; each child is labelled `[label_base + i]` and holds its bytes.
/// A failed read gives one child per element whose value is an `<error: ...>` leaf.
std::vector<Child> element_children(Context& ctx, uint64_t base, const Type* elem,
                                    uint64_t elem_size, uint64_t first, uint64_t count,
                                    uint64_t label_base);

/// An error as a finished marker: messages that already are one (`<invalid: ...>`,
/// `<budget: ...>`) unchanged, any other wrapped as `<error: message>`.
std::string marker(const Error& e);

/// The arm of a Rust enum's variant part that `v` holds (niche-encoded or tagged), or an error.
Result<const Variant*> active_variant(Context& ctx, const Value& v);

/// A Rust type name as a user writes it: paths and the default allocator dropped
/// (`alloc::vec::Vec<alloc::string::String, alloc::alloc::Global>` -> `Vec<String>`), arrays
/// spelled `[u8; 4]` (rustc names no array type).
std::string display_name(const Type* t);

/// `name` without the generic arguments that `std::any::type_name` leaves out when they are the
/// default (`, alloc::alloc::Global`, `, std::hash::random::RandomState`).
std::string without_default_args(std::string name);

/// The Debug leaf of a thin pointer's address as Rust's Pointer formatting prints it:
/// `0x7ffd5e8c1a2c` and, for `{:#?}`, zero-padded to 16 digits.
Formatted address_leaf(uint64_t address);

/// The name to match on: qualified where the DWARF reader gave one, DW_AT_name otherwise.
std::string_view match_name(const Type& t);

} // namespace seam::rust_layout
