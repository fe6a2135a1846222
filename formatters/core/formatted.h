#pragma once
/// What a formatter makes of a value: the shape Rust's Debug builders would give it, a short
/// summary, an ownership fact, and a way to its children.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "formatters/core/value.h"

namespace seam {

class Formatter;

/// Mirrors std::fmt's builders so that renderers can reproduce `{:?}` and `{:#?}` exactly.
enum class Shape {
    Leaf,        ///< `text` is the whole Debug output: `42`, `"hi"`, `None`, `()`
    Struct,      ///< `text { a: 1, b: 2 }`, or `text` alone with no children
    Tuple,       ///< `text(1, 2)`; `text` empty for a tuple: `(1, 2)`, `(1,)`
    List,        ///< `[1, 2]`
    Set,         ///< `{1, 2}`
    Map,         ///< `{k: v}`; children carry the key in `value`, the value in `map_value`
    Transparent, ///< Debug prints the single child as if it were this value (Box, Rc, &T, String's
                 ///< str)
    Error,       ///< `text` is a marked error such as `<invalid: len 2^61 exceeds cap 4>`
};

/// The ownership fact attached to every value (DESIGN.md, "Ownership facts").
enum class OwnKind {
    Inline,      ///< a plain value held in place; nothing to track
    Owned,       ///< Box, Vec/String buffer: `address`, `size` of the allocation
    Shared,      ///< Rc/Arc and refcounted wrappers: `strong`, `weak`
    Borrowed,    ///< &T: `address` of the referent
    BorrowedMut, ///< &mut T
    Cell,        ///< RefCell: `state` is "free", "reading N" or "writing"
    Lock, ///< Mutex/RwLock: `state` is "unlocked", "locked", "contended", "reading N"; `poisoned`
    Raw,  ///< *const/*mut/NonNull: not tracked
    C,    ///< a value of a C type, or a pointer held by C code
    Crossing, ///< a pointer that crosses the language boundary
};

const char* own_kind_name(OwnKind k);

struct Ownership {
    OwnKind kind = OwnKind::Inline;
    uint64_t address = 0; ///< the allocation or referent (0 when none, e.g. a dangling Weak)
    std::optional<uint64_t> size;     ///< bytes of the allocation
    std::optional<uint64_t> length;   ///< elements in use
    std::optional<uint64_t> capacity; ///< elements allocated
    std::optional<int64_t> strong;
    std::optional<int64_t> weak;
    std::string state;
    bool poisoned = false;
    std::string note; ///< anything else a user should know ("dangling", "static")
    /// Shared only: an rc::Weak / sync::Weak, which keeps nothing alive (the ownership graph
    /// makes it a weak edge, never a strong one).
    bool weak_ref = false;
    /// Guards only (Ref, RefMut, MutexGuard, RwLock guards): an address inside the RefCell or
    /// lock the guard holds (the RefCell's borrow flag, the Mutex or RwLock itself, or its inner
    /// lock). The cell or lock is the one whose bytes contain it: no layout is assumed.
    std::optional<uint64_t> guarded;
};

struct Formatted {
    Shape shape = Shape::Leaf;
    std::string text; ///< Leaf/Error: the whole Debug text; Struct/Tuple: the name before `{`/`(`
    std::string pretty_text; ///< Leaf only: the `{:#?}` text where it differs from `text` (`{:#?}`
                             ///< zero-pads pointers: 0x00007ffd5e8c1a2c); empty: same as `text`
    std::string summary;     ///< short one-line summary for LLDB; empty: renderers derive one
    std::string type_name;   ///< the type as the user wrote it (`Vec<u64>`, `struct point`)
    Ownership own;
    uint64_t count = 0;                   ///< number of children
    bool non_exhaustive = false;          ///< Struct ends with `, ..` (finish_non_exhaustive)
    const Formatter* formatter = nullptr; ///< who makes the children
    Value value;                          ///< the value formatted, for children()
};

/// One child of a formatted value. `label` is the field name for Struct shapes, the index for
/// List ("[3]") and may be empty otherwise.
struct Child {
    std::string label;
    Value value;
    std::optional<Value> map_value;
};

inline Formatted leaf(std::string text) {
    Formatted f;
    f.text = std::move(text);
    return f;
}
inline Formatted error_value(std::string text) {
    Formatted f;
    f.shape = Shape::Error;
    f.text = std::move(text);
    return f;
}

} // namespace seam
