#pragma once
/// Internal to the pointer family (rust_pointers.cpp, rust_rc.cpp, rust_dyn.cpp): the pieces
/// register_rust_pointers() assembles, and the readers of smart pointers to sized and unsized
/// values that Rc<dyn T> and the kernel crate's Arc and Box (formatters/kernel) share.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "formatters/core/context.h"

namespace seam::rust_pointers {

/// Rc<T>, Arc<T> (sized, str, [T] and dyn T) and their Weak<T>.
std::unique_ptr<Formatter> make_rc_formatter();
std::unique_ptr<Formatter> make_weak_formatter();
/// `&dyn T`, `&mut dyn T`, `Box<dyn T>`: {pointer, vtable} structs.
std::unique_ptr<Formatter> make_dyn_formatter();

/// What a vtable says of the value behind a trait object.
struct DynTarget {
    const Type* concrete = nullptr; ///< T of `<T as Trait>::{vtable}`
    std::string vtable_name;        ///< `<T as Trait>` (the global's name without `::{vtable}`)
    bool is_debug = false;          ///< the trait is core::fmt::Debug itself
    uint64_t size = 0;              ///< vtable[1]: size_of::<T>()
    uint64_t align = 1;             ///< vtable[2]: align_of::<T>()
};

/// Reads the vtable at `vtable` and finds its concrete type through the DWARF global
/// `<T as Trait>::{vtable}` whose type's containing_type is T.
Result<DynTarget> resolve_vtable(Context& ctx, uint64_t vtable);

/// What a smart pointer's pointee is: sized, or unsized behind a fat pointer.
enum class Payload { Sized, Str, Slice, Dyn };

/// The counted block an Rc/Arc points at (RcInner, ArcInner; the kernel's ArcInner too), read
/// through the NonNull in `holder`'s field `pointer_field`, thin or fat.
struct RcView {
    uint64_t inner = 0; ///< RcInner/ArcInner address; usize::MAX for Weak::new()
    const Type* inner_type = nullptr;
    Payload payload = Payload::Sized;
    const Type* elem = nullptr; ///< Sized: T; Str/Slice: the element; Dyn: the concrete T
    uint64_t value_offset = 0;
    uint64_t length = 0;     ///< Str/Slice
    uint64_t dyn_size = 0;   ///< Dyn: the concrete value's size, from the vtable
    std::string vtable_name; ///< Dyn
    uint64_t value_address() const { return inner + value_offset; }
};
/// `value_field` names the inner's value (`value` in RcInner, `data` in ArcInner; both tried).
Result<RcView> read_rc_view(Context& ctx, const Value& holder,
                            std::string_view pointer_field = "ptr");

/// Whether `v` (a raw pointer, or a NonNull around one) is fat: to `[T]`, `str` or `dyn T`.
bool is_fat_pointer(const Value& v);

/// The pointee of an unsized Box-like pointer (`NonNull<[T]>`, `NonNull<dyn T>`) as an RcView
/// whose inner is the value itself (value_offset 0): the same payload helpers show it.
Result<RcView> read_unsized(Context& ctx, const Value& nonnull);

/// The value of a view as Debug shows it: transparent over the value (sized, dyn), a str leaf,
/// or a list of the slice's elements; an `<invalid: ...>` marker for a corrupt slice.
Formatted payload_value(Context& ctx, const Value& holder, const RcView& r);
/// Its children, by index range.
std::vector<Child> payload_children(Context& ctx, const RcView& r, uint64_t start, uint64_t count);
/// Its compact text for a summary; `f` is payload_value()'s result with `formatter` and
/// `value` set by the caller (a slice's elements are its children).
std::string payload_summary(Context& ctx, const Formatted& f, const RcView& r);

/// The size of the allocation an Rc, an Arc or the kernel crate's Arc points at: the counts, the
/// value (a sized one's, or the str's bytes, the slice's elements, the dyn value's size from its
/// vtable), padded to the counts' alignment as `Layout::pad_to_align` does.
uint64_t inner_allocation_size(const RcView& r);

} // namespace seam::rust_pointers
