#pragma once
/// Registration of the built-in formatter families, one function per family file. The order
/// in builtin_registry() matters: specific std types before the generic Rust fallback.
namespace seam {
class Registry;

void register_rust_strings(
    Registry& r); // rust_strings.cpp: str, String, Box<str>, OsString, PathBuf, CString, CStr, Cow
void register_rust_vec(
    Registry& r); // rust_vec.cpp: slices, Vec, VecDeque, LinkedList, BinaryHeap, Box<[T]>
void register_rust_hash(Registry& r);  // rust_hashbrown.cpp: HashMap, HashSet
void register_rust_btree(Registry& r); // rust_btree.cpp: BTreeMap, BTreeSet
void register_rust_pointers(
    Registry& r); // rust_pointers.cpp: Box, Rc, Arc, Weak, NonNull, Pin, trait objects
void register_rust_cells(Registry& r); // rust_cells.cpp: Cell, RefCell, Ref, RefMut, OnceCell,
                                       // UnsafeCell, ManuallyDrop, MaybeUninit
void register_rust_sync(Registry& r);  // rust_sync.cpp: Mutex, RwLock, guards, atomics
void register_rust_misc(Registry& r);  // rust_misc.cpp: Duration, ranges, Ordering, PhantomData
void register_rust_generic(
    Registry& r); // rust_generic.cpp: scalars, tuples, arrays, references, user structs/enums
void register_kernel(Registry& r); // formatters/kernel: the Rust-for-Linux kernel crate's types
void register_c(
    Registry& r); // c_values.cpp: C structs, unions, enums, strings, arrays, fn pointers
namespace recipes {
void register_recipe_formatters(Registry& r); // recipe_formatters.cpp: what recipe files state
}
} // namespace seam
