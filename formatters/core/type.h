#pragma once
/// The type view: what the engine knows of a type, independent of where it came from.
/// The DWARF backend (formatters/dwarf) builds these from DIEs; the engine only reads them.
/// Types are owned by their TypeIndex and live as long as it does; `const Type*` is stable.
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seam {

enum class Lang { Unknown, C, Cpp, Rust };

enum class TypeKind {
    Void,      ///< no type (DW_TAG_unspecified_type, void pointers' target)
    Base,      ///< DW_TAG_base_type
    Pointer,   ///< DW_TAG_pointer_type, DW_TAG_reference_type, DW_TAG_rvalue_reference_type
    Struct,    ///< DW_TAG_structure_type / class_type (Rust enums are structs with a variant part)
    Union,     ///< DW_TAG_union_type
    Enum,      ///< DW_TAG_enumeration_type (C enums, Rust fieldless enums)
    Array,     ///< DW_TAG_array_type
    Function,  ///< DW_TAG_subroutine_type
    Typedef,   ///< DW_TAG_typedef
    Qualified, ///< const / volatile / restrict / atomic: `target` is the qualified type
};

enum class Encoding { None, Signed, Unsigned, SignedChar, UnsignedChar, Float, Bool, Utf, Address };

/// A 128-bit discriminant or enumerator value, kept as raw two's-complement bits so that
/// u128 and i128 discriminants survive (LLDB 19 truncates them to 32 bits).
struct Int128 {
    uint64_t lo = 0;
    uint64_t hi = 0;
    bool operator==(const Int128&) const = default;
};

struct Type;

/// A string computed once from a Type and kept on it (its display name). Safe to fill from
/// several threads: the first one stored wins. A copy of a Type starts with none, because a
/// copy is made to be changed (a view renamed by a recipe).
class TypeMemo {
public:
    TypeMemo() = default;
    TypeMemo(const TypeMemo&) {}
    TypeMemo& operator=(const TypeMemo&) {
        delete m_text.exchange(nullptr);
        return *this;
    }
    ~TypeMemo() { delete m_text.load(); }
    /// The memo, or null when it was not made yet.
    const std::string* get() const { return m_text.load(std::memory_order_acquire); }
    /// Keeps `text` unless another thread kept one first; returns the one kept.
    const std::string& set(std::string text) const {
        auto* mine = new std::string(std::move(text));
        const std::string* expected = nullptr;
        if (m_text.compare_exchange_strong(expected, mine, std::memory_order_acq_rel)) return *mine;
        delete mine;
        return *expected;
    }

private:
    mutable std::atomic<const std::string*> m_text{nullptr};
};

struct Field {
    std::string name; ///< "" for anonymous members; Rust tuple fields are "__0", "__1"
    const Type* type = nullptr;
    uint64_t offset = 0;     ///< bytes from the start of the containing value
    uint32_t bit_size = 0;   ///< bit-fields only
    uint32_t bit_offset = 0; ///< bit-fields only: from the start of the byte at `offset`
    bool artificial = false;
};

/// One arm of a DW_TAG_variant_part.
struct Variant {
    std::vector<Int128>
        discr_values; ///< DW_AT_discr_value (one) or single values of DW_AT_discr_list
    std::vector<std::pair<Int128, Int128>> discr_ranges; ///< ranges of DW_AT_discr_list
    bool is_default = false; ///< no discriminant value: taken when no other matches
    Field member;            ///< the variant's member; for Rust its type is the variant struct
};

struct VariantPart {
    std::optional<Field> discr; ///< the member DW_AT_discr names; none for a single-variant enum
    std::vector<Variant> variants;
};

struct Enumerator {
    std::string name;
    Int128 value;
};

struct TemplateParam {
    std::string name;
    const Type* type = nullptr;
};

struct Type {
    TypeKind kind = TypeKind::Void;
    Lang lang = Lang::Unknown;
    std::string name; ///< DW_AT_name as written ("Vec<u64, alloc::alloc::Global>", "&str", "int")
    std::string
        qualified;     ///< with enclosing namespaces ("alloc::vec::Vec<u64, alloc::alloc::Global>")
    uint64_t size = 0; ///< DW_AT_byte_size (or element size * count for arrays)
    bool has_size = false;
    bool declaration = false;           ///< an incomplete declaration that could not be completed
    Encoding encoding = Encoding::None; ///< Base only
    const Type* target =
        nullptr; ///< Pointer: pointee; Typedef/Qualified: aliased; Array: element;
                 ///< Enum: underlying type (may be null); Function: return (null = void)
    bool is_reference = false; ///< C++ reference
    std::vector<Field> fields; ///< Struct/Union members (not counting the variant part)
    std::vector<TemplateParam> template_params;
    std::optional<VariantPart> variant_part;
    std::vector<Enumerator> enumerators; ///< Enum only
    bool enum_is_signed = false;         ///< Enum only
    std::vector<std::optional<uint64_t>>
        dims;                        ///< Array: element count per dimension (none = flexible)
    std::vector<const Type*> params; ///< Function: parameter types
    const Type* containing_type =
        nullptr;     ///< DW_AT_containing_type (Rust vtables name their concrete type here)
    uint64_t id = 0; ///< stable identity within its TypeIndex (the DIE offset)
    /// The rustc that compiled the type's unit, from DW_AT_producer ("... rustc version 1.63.0
    /// ..."), as rustc_version(major, minor); 0 when unknown. std's Debug output changes with
    /// std's version, not with a layout DWARF shows (MaybeUninit, fat raw pointers).
    uint32_t rustc = 0;

    /// The formatter a Registry chose for this type, memoised on the type itself so that the
    /// memo dies with the type (a cache keyed by address would outlive a freed TypeIndex).
    /// The registry is named by a serial number, never reused, for the same reason.
    mutable uint64_t memo_registry = 0;
    mutable const void* memo_formatter = nullptr;
    /// The name renderers print for the type (rust_layout::display_name), spelled once: a
    /// million values of one type share it.
    TypeMemo memo_display;
};

/// A rustc version as Type::rustc holds it, ordered like the versions.
constexpr uint32_t rustc_version(uint32_t major, uint32_t minor) {
    return major * 1000 + minor;
}

/// The rustc version a DW_AT_producer names ("clang LLVM (rustc version 1.63.0 (4b91a6ea7
/// 2022-08-08))"), 0 when it names none.
inline uint32_t rustc_from_producer(std::string_view producer) {
    constexpr std::string_view kTag = "rustc version ";
    auto at = producer.find(kTag);
    if (at == std::string_view::npos) return 0;
    std::string_view rest = producer.substr(at + kTag.size());
    uint32_t parts[2] = {0, 0};
    size_t i = 0;
    for (int p = 0; p < 2; ++p) {
        size_t start = i;
        while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9' && i - start < 6)
            parts[p] = parts[p] * 10 + uint32_t(rest[i++] - '0');
        if (i == start) return 0;
        if (p == 0 && (i >= rest.size() || rest[i++] != '.')) return 0;
    }
    return rustc_version(parts[0], parts[1]);
}

/// True when `rustc` (as Type::rustc holds it) is known and older than `major.minor`: a std
/// from before a change of its Debug output. An unknown rustc gets the newest std's forms.
constexpr bool rustc_before(uint32_t rustc, uint32_t major, uint32_t minor) {
    return rustc != 0 && rustc < rustc_version(major, minor);
}

/// True when `t` was compiled by rustc `major.minor` or newer, or by an unknown rustc (the
/// engine's default forms are the newest std's).
inline bool rustc_at_least(const Type* t, uint32_t major, uint32_t minor) {
    return !t || !rustc_before(t->rustc, major, minor);
}

/// Skips typedefs and cv-qualifiers.
inline const Type* strip(const Type* t) {
    while (t && (t->kind == TypeKind::Typedef || t->kind == TypeKind::Qualified)) t = t->target;
    return t;
}

/// The field of `t` named `name`, or null.
inline const Field* find_field(const Type* t, std::string_view name) {
    if (!t) return nullptr;
    for (const auto& f : t->fields)
        if (f.name == name) return &f;
    return nullptr;
}

/// The template parameter `i` of `t` (the T of Vec<T>), or null.
inline const Type* template_arg(const Type* t, size_t i) {
    if (!t || i >= t->template_params.size()) return nullptr;
    return t->template_params[i].type;
}

/// The index just past the `>` that closes the `<` at `open` in a type name, or npos. The `>`
/// of a `->` (`fn(u8) -> u8` as a generic argument) closes nothing.
inline size_t generic_args_end(std::string_view name, size_t open) {
    int depth = 0;
    for (size_t i = open; i < name.size(); ++i) {
        if (name[i] == '<') {
            ++depth;
        } else if (name[i] == '>' && (i == 0 || name[i - 1] != '-') && --depth == 0) {
            return i + 1;
        }
    }
    return std::string_view::npos;
}

/// True when the type's whole name (qualified where the reader gave one) is the Rust path
/// `path`, with or without its generic arguments: `alloc::vec::Vec` matches
/// `alloc::vec::Vec<u8, alloc::alloc::Global>`, not `alloc::vec::VecDeque<u8>`. Nor does it
/// match a type whose name was spelled from the path's own: the DWARF reader names an unnamed
/// array, pointer or function after its target (`...BTreeSet<i64, Global>[2]`, `... *`,
/// `Vec<u8> (i32)`), and those must get the formatter of their own kind, never the target's.
inline bool has_path(const Type* t, std::string_view path) {
    if (!t) return false;
    std::string_view q = t->qualified.empty() ? std::string_view(t->name) : t->qualified;
    if (!q.starts_with(path)) return false;
    if (q.size() == path.size()) return true;
    return q[path.size()] == '<' && generic_args_end(q, path.size()) == q.size();
}

/// The name without generic arguments and without path (`Vec` for `Vec<u8, Global>`),
/// which is what Rust's derived Debug prints.
inline std::string_view bare_name(std::string_view name) {
    auto lt = name.find('<');
    if (lt != std::string_view::npos) name = name.substr(0, lt);
    auto sep = name.rfind("::");
    if (sep != std::string_view::npos) name = name.substr(sep + 2);
    return name;
}

/// A global variable found in the debug info (Rust vtables `<T as Trait>::{vtable}` among them).
struct GlobalVariable {
    std::string name;
    const Type* type = nullptr;
    uint64_t address = 0; ///< load address (already relocated by the module's bias)
};

/// Where the engine looks up types and globals beyond the value at hand. The DWARF backend
/// implements it; tests may too.
class TypeIndex {
public:
    virtual ~TypeIndex() = default;
    /// A type by its qualified name (`alloc::string::String`), or null.
    virtual const Type* find_type(std::string_view qualified) const = 0;
    /// The global variable whose storage starts at `load_address`, if any.
    virtual std::optional<GlobalVariable> global_at(uint64_t load_address) const = 0;
    /// The same, looked for first among the globals of the units whose code holds one of
    /// `near` (load addresses of code the global points at: a vtable's drop_in_place and
    /// methods), so that a vtable is found without indexing every unit; global_at otherwise.
    virtual std::optional<GlobalVariable> global_near(uint64_t load_address,
                                                      const std::vector<uint64_t>& near) const {
        (void)near;
        return global_at(load_address);
    }
    /// The function whose code contains `load_address` (for fn pointers), "" if none.
    virtual std::string function_at(uint64_t load_address) const = 0;
    /// Gives a declaration (`t->declaration`) its definition's content in place, where one
    /// exists: the DWARF backend finds definitions only when asked, because finding them
    /// takes an index of the whole file. A no-op for every other type.
    virtual void complete(const Type* t) const { (void)t; }
};

} // namespace seam
