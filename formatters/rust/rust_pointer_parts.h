#pragma once
/// Internal to the pointer family (rust_pointers.cpp, rust_rc.cpp, rust_dyn.cpp): the pieces
/// register_rust_pointers() assembles and the trait-object reader Rc<dyn T> shares.
#include <cstdint>
#include <memory>
#include <string>

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

} // namespace seam::rust_pointers
