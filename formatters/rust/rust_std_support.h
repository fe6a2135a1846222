#pragma once
/// Internal to the pointer, cell, sync and misc families (rust_pointers.cpp, rust_rc.cpp,
/// rust_dyn.cpp, rust_cells.cpp, rust_sync.cpp, rust_atomics.cpp, rust_misc.cpp) and the kernel
/// crate's (formatters/kernel), whose wrappers are built like std's: the small readers and
/// builders they share. Not for other families.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "formatters/core/context.h"

namespace seam::rust_std {

/// has_path() (core/type.h) for a type at hand: `t` is the Rust path `path` with or without
/// generic arguments (`alloc::rc::Rc` matches `alloc::rc::Rc<u8, alloc::alloc::Global>`, not
/// `alloc::rc::RcInner<u8>`, nor an array or pointer named after either).
bool is_path(const Type& t, std::string_view path);

/// The address a thin pointer-like value holds: a pointer, or a newtype around one
/// (`NonNull<T>`, `Unique<T>`, `*const T`), or an error.
Result<uint64_t> address_of(Context& ctx, const Value& v);

/// The pointee type of a pointer-like value: the target of the pointer found through the same
/// newtypes as address_of(); null when there is none (or it is a fat pointer).
const Type* pointee_of(const Value& v);

/// The target of a fat slice pointer's data pointer (`*const [T]`'s is T, `*const ArcInner<[T]>`'s
/// the ArcInner), found through the same newtypes; null when the pointer is thin, a trait
/// object's or a str's.
const Type* slice_data_target(const Value& v);
/// The same for a str's fat pointer (`*const RcInner<str>`'s is the RcInner<str>, whose DWARF
/// types its value as one u8); null for any other pointer.
const Type* str_data_target(const Value& v);

/// A transparent value (Debug prints the one child as if it were this value).
Formatted transparent(const Value& child_of);

/// A Struct- or Tuple-shaped value of `t` whose Debug starts with `text`, with `count` children
/// and `t` named as the user writes it.
Formatted named(Shape shape, std::string text, const Type& t, uint64_t count);

/// A guard that Debug prints as the value it guards (Ref, RefMut, MutexGuard, RwLock guards):
/// transparent over `guard`, a borrow (`kind`) of `target`.
Formatted guard_of(const Value& guard, const Value& target, OwnKind kind);

/// A child that could not be read, as a visible row: its error as a finished marker.
Child error_child(std::string label, const Error& e);

/// The single child of a wrapper that shows one value (a cell's content, a guard's target):
/// `content` labelled `label`, or its error row. Callers check first that the page asked for
/// includes child 0, so that no content is read for an empty page.
std::vector<Child> single_child(std::string label, const Result<Value>& content);

/// The compact Debug text of `v` (a pointee, a cell's content), cut at `max_chars`, for use
/// inside another summary; "" when this is already a nested summary: summaries that render
/// summaries would make an Rc cycle cost 2^depth. Only what the cut keeps is rendered, so a
/// long Vec costs little.
std::string nested_summary(Context& ctx, const Value& v, size_t max_chars = 80);

/// The same for a value already formatted (its `formatter` and `value` set, for its children).
std::string nested_summary(Context& ctx, const Formatted& f, size_t max_chars = 80);

/// True while nested_summary() is rendering: formatters then leave their own summary empty.
bool in_nested_summary();

/// While one lives, formatters make no summaries, as inside nested_summary(): a walk that
/// needs only the ownership facts (the ownership graph) reads no more memory than they need.
class NoSummaries {
public:
    NoSummaries();
    ~NoSummaries();
    NoSummaries(const NoSummaries&) = delete;
    NoSummaries& operator=(const NoSummaries&) = delete;
};

/// `std::any::type_name` of `t`: the DWARF path with defaulted generic arguments dropped
/// (`alloc::vec::Vec<u8, alloc::alloc::Global>` -> `alloc::vec::Vec<u8>`).
std::string type_name_of(const Type* t);

/// The field of `t` named `name`, or else its only field of non-zero size (a field renamed
/// between rustc versions, such as atomics' `v`/`p`).
const Field* field_or_only(const Type* t, std::string_view name);

/// The integer inside an integer newtype field path (`Cell<usize>`, `AtomicU32`, `Nanoseconds`).
Result<uint64_t> int_field(Context& ctx, const Value& v, std::string_view name);

/// The value an `UnsafeCell<T>` (or `SyncUnsafeCell<T>`) wraps, as a sub-value.
Result<Value> unsafe_cell_value(Context& ctx, const Value& cell);

/// The value inside the UnsafeCell field `name` of `v` (Cell's and RefCell's `value`, Mutex's
/// `data`, OnceCell's `inner`).
Result<Value> unsafe_cell_field(Context& ctx, const Value& v, std::string_view name);

/// `head` followed by the nested summary of `content` (see nested_summary()) where there is
/// one: `writing [1, 2]`, `locked poisoned 5`; `head` alone otherwise.
std::string summary_with_content(Context& ctx, std::string head, const Result<Value>& content);

/// The T inside `ManuallyDrop<T>` (through `MaybeDangling<T>`, rustc 1.93+); `v` itself when it
/// is neither.
Result<Value> manually_drop_value(Context& ctx, const Value& v);

/// Whether a `std::sync::Once` has completed (OnceLock and LazyLock hold their value then).
Result<bool> once_complete(Context& ctx, const Value& once);

/// OnceCell, LazyCell (rust_cells.cpp), OnceLock, LazyLock (rust_sync.cpp): Debug prints the
/// tuple `Name(value)`, or `Name(<uninit>)`. The formatter `name` matches structs of the Rust
/// `paths`; `content` gives the value, or an `<uninit>` leaf while there is none.
using OnceContent = Result<Value> (*)(Context& ctx, const Value& v);
std::unique_ptr<Formatter> make_once_formatter(std::string_view name,
                                               std::vector<std::string_view> paths,
                                               OnceContent content);

/// AtomicBool, AtomicI8..AtomicUsize, AtomicPtr (rust_atomics.cpp; registered by rust_sync.cpp).
std::unique_ptr<Formatter> make_atomic_formatter();

} // namespace seam::rust_std
