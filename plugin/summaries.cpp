#include "plugin/summaries.h"

#include "formatters/recipes/recipe_store.h"

#include <lldb/API/SBCompileUnit.h>
#include <lldb/API/SBData.h>
#include <lldb/API/SBError.h>
#include <lldb/API/SBFrame.h>
#include <lldb/API/SBStream.h>
#include <lldb/API/SBTarget.h>
#include <lldb/API/SBType.h>
#include <lldb/API/SBTypeCategory.h>
#include <lldb/API/SBTypeFormat.h>
#include <lldb/API/SBTypeNameSpecifier.h>
#include <lldb/API/SBTypeSummary.h>
#include <lldb/API/SBValue.h>

#include <iterator>

#include "formatters/render/render.h"
#include "formatters/render/render_children.h"
#include "plugin/children/children.h"
#include "plugin/lldb/sb_memory.h"
#include "plugin/lldb/sb_value_map.h"
#include "plugin/summary_line.h"
#include "plugin/summary_settings.h"

namespace seam::plugin {

namespace {

// Who a type name belongs to, which decides what a summary does when the value is not Rust's.
enum class Kind {
    // Names only Rust has (a path with `::`, a tuple, `&str`, `()`): the value is Rust's.
    Rust,
    // Base types C shares whose LLDB value text is not Rust's (`double`, `char32_t`, `unsigned
    // char`): their value text is hidden by a type format (k_value_hidden), so the summary is
    // the one text shown: Rust's for a Rust value (`0.1`, `'a'`, `255`), LLDB's own value text
    // for a C one (`0.10000000000000001`, `'\xff'`).
    Scalar,
    // `T *`: Box<T>, &T, *const T in Rust; a C pointer keeps LLDB's display (no summary, or
    // LLDB's C string for `unsigned char *`).
    Pointer,
    // `unsigned char[4]`: [u8; 4] in Rust; a C array keeps LLDB's C string.
    ByteArray,
    // The kernel's C idioms (formatters/c/c_refcounts.cpp, c_lists.cpp), in C and in Rust's
    // bindings alike: a refcount's count and flags, a list head's length, where LLDB shows raw
    // members. LLDB keeps its children.
    CIdiom,
};

struct Registration {
    const char* regex;
    Kind kind;
};

// Type names as LLDB 19 spells them for Rust: template arguments in C spelling
// (`alloc::vec::Vec<unsigned long, alloc::alloc::Global>`), base types by encoding and size
// (`f64` is `double`, `char` is `char32_t`, `u8` is `unsigned char`), Box<T> and &T as `T *`.
// POSIX regexes have no look-ahead: the pointer rows spell out "any pointee but a C
// character type", whose `char *`, `char16_t *`, `char32_t *`, `wchar_t *` C strings stay
// LLDB's (Rust's `&char` shares `char32_t *` with them). Function pointers (`int (*)(int)`)
// keep LLDB's own summary, which names the function.
constexpr Registration k_summaries[] = {
    // Every Rust path (core's and alloc's types, user structs, enums, closures), not pointers
    // to them; std's own types by Rust's CamelCase (`std::sync::poison::mutex::Mutex<..>`), so
    // that a C++ `std::vector` in the same debugger keeps LLDB's formatters.
    {"^([^s]|s[^t]|st[^d]|std[^:]).*::.*[^*)]$", Kind::Rust},
    {"^std::([a-z_0-9]+::)+[A-Z].*[^*)]$", Kind::Rust},
    {"^&(mut )?str$", Kind::Rust},
    {"^&(mut )?\\[.+\\]$", Kind::Rust},
    {"^&(mut )?dyn .+$", Kind::Rust},
    // Tuples as the DWARF names them, `(u8, &str)`, `(i32,)`: a comma, which C's
    // `(anonymous union at x.c:5:3)` lacks. And the unit type.
    {"^\\(.*,.*\\)$", Kind::Rust},
    {"^\\(\\)$", Kind::Rust},
    // 1-tuples, `(u8)` to LLDB (no comma; Rust spellings have no space), arrays of tuples.
    {"^\\([^ ]+\\)$", Kind::Rust},
    {"^\\(.*,.*\\)(\\[[0-9]+\\])+$", Kind::Rust},
    {"^\\([^ ]+\\)(\\[[0-9]+\\])+$", Kind::Rust},
    // Fat raw pointers are structs to LLDB: `*const [u8]`, `*mut dyn Debug`.
    {"^\\*(const|mut) .+$", Kind::Rust},
    {"^double$", Kind::Scalar},
    {"^float$", Kind::Scalar},
    {"^char32_t$", Kind::Scalar},
    {"^unsigned char$", Kind::Scalar},
    {"^signed char$", Kind::Scalar},
    // i8 in some positions (LLDB picks `char` for a 1-byte signed integer).
    {"^char$", Kind::Scalar},
    // Rust's `()` is `void` to LLDB (a zero-sized base type); C has no `void` values.
    {"^void$", Kind::Scalar},
    {"^.*[^rt_*] \\*$", Kind::Pointer},
    {"^.*([^a]r|[^h]ar|[^c]har) \\*$", Kind::Pointer},
    {"^.*[^_]t \\*$", Kind::Pointer},
    {"^(const )?(un)?signed char \\*$", Kind::Pointer},
    {"^.*\\*\\*$", Kind::Pointer},
    {"^.+ \\(\\*\\)\\[[0-9]+\\]$", Kind::Pointer},
    {"^(const )?(un)?signed char\\[[0-9]+\\]$", Kind::ByteArray},
    {"^(struct )?(refcount_struct|kref|list_head|hlist_head)$", Kind::CIdiom},
    {"^(refcount|atomic|atomic64|atomic_long)_t$", Kind::CIdiom},
    // The kernel's locks and tasks (formatters/kernel/kernel_c_side.cpp): state, owner, comm.
    {"^(struct )?(mutex|spinlock|raw_spinlock|qspinlock|task_struct)$", Kind::CIdiom},
    {"^(spinlock|raw_spinlock|arch_spinlock)_t$", Kind::CIdiom},
};

// Types whose LLDB value text is hidden, so that seam's summary is the only text shown.
// lldb-dap 19 shows "VALUE SUMMARY" whenever both exist (it ignores eTypeOptionHideValue,
// which `frame variable` honours): LLDB's `0.10000000000000001`, `U+0x00000061` and its
// 32-bit decoding of a Rust enum's discriminant would stand beside Rust's `0.1`, `'a'`, `Top`.
// The c-string format is how: on a value that is not a pointer it reads no bytes, so the value
// text is empty (LLDB's TypeFormatImpl_Format), in `frame variable`, `p`, lldb-dap and any SB
// client alike; an explicit format (`p/x`, `frame variable -f x`) still shows the bits. Type
// formats cannot tell a Rust `double` from a C one, so a C value's summary gives LLDB's own
// value text back (lldb_value_text).
constexpr const char* k_value_hidden[] = {
    // Rust paths: fieldless enums are C enums to LLDB, and their value is LLDB's decoding.
    "^([^s]|s[^t]|st[^d]|std[^:]).*::.*[^*)]$",
    "^std::([a-z_0-9]+::)+[A-Z].*[^*)]$",
    "^double$",
    "^float$",
    "^char32_t$",
    // u8 and i8: LLDB shows a character (`'\xff'`), Rust a number.
    "^unsigned char$",
    "^signed char$",
    "^char$",
};

// The types whose children seam gives (through seam_children.py).
constexpr const char* k_children_regexes[] = {
    "^alloc::vec::Vec<.+>$",
    "^core::option::Option<.+>$",
    "^core::result::Result<.+>$",
    "^alloc::boxed::Box<.+>$",
    "^alloc::rc::(Rc|Weak)<.+>$",
    "^alloc::sync::(Arc|Weak)<.+>$",
    "^core::cell::(.+::)?(Cell|RefCell|OnceCell|LazyCell|UnsafeCell|Ref|RefMut)<.+>$",
    "^core::mem::maybe_uninit::MaybeUninit<.+>$",
    "^std::sync::(.+::)?(Mutex|RwLock|MutexGuard|RwLockReadGuard|RwLockWriteGuard|OnceLock|"
    "LazyLock)<.+>$",
    "^std::sync::(.+::)?Condvar$",
    "^core::ops::range::Range(Inclusive|From|To|ToInclusive)?<.+>$",
    "^std::collections::hash::(map::HashMap|set::HashSet)<.+>$",
    "^alloc::collections::btree::(map::BTreeMap|set::BTreeSet)<.+>$",
    "^alloc::collections::(vec_deque::VecDeque|linked_list::LinkedList|binary_heap::BinaryHeap)<.+>"
    "$",
    "^alloc::borrow::Cow<.+>$",
    "^&(mut )?\\[.+\\]$",
    "^\\(.*,.*\\)$",
    "^\\([^ ]+\\)$",
    "^\\*(const|mut) .+$",
    // References to unsized std types (fat pointers): &OsStr, &Path, &CStr.
    "^&(mut )?(std::ffi::os_str::OsStr|std::path::Path|core::ffi::c_str::CStr)$",
    "^core::ptr::non_null::NonNull<.+>$",
    "^core::pin::Pin<.+>$",
    "^&(mut )?dyn .+$",
    // Leaves: no children, rather than LLDB's raw fields beside seam's summary.
    "^alloc::string::String$",
    "^&(mut )?str$",
    "^std::ffi::os_str::OsString$",
    "^std::path::PathBuf$",
    "^alloc::ffi::c_str::CString$",
    "^core::time::Duration$",
    "^core::num::nonzero::NonZero<.+>$",
    // `AtomicU8` (to 1.95) and `Atomic<u8>` (1.96 on: one generic type).
    "^core::sync::atomic::Atomic[A-Za-z0-9]*(<.+>)?$",
    // The kernel crate (formatters/kernel): its pointers, containers, locks and lists, and the
    // leaves that show as text (CStr, CString, Error) rather than raw fields.
    "^kernel::(sync::arc::(Arc|ArcBorrow|UniqueArc)|list::arc::ListArc|types::(ARef|Opaque|"
    "ScopeGuard)|sync::aref::ARef|alloc::kbox::Box|alloc::kvec::Vec|sync::lock::(Lock|Guard)|"
    "list::List)<.+>$",
    "^kernel::(error::Error|str::CString)$",
    "^&(mut )?kernel::str::(CStr|BStr)$",
    // kernel::device::Device: 6.12's, and 6.16's with its typestate (`Device<Bound>`).
    "^kernel::device::Device(<.+>)?$",
};

// A summary has to come back at once: LLDB calls it for every visible value, in every stop.
Budget summary_budget(const SummarySettings& settings) {
    Budget b;
    b.max_bytes = 1u << 20;
    b.max_elements = 10'000;
    b.max_depth = 16;
    // Strings are read whole, then cut at max-string-summary-length: one of 1 MiB still shows.
    b.max_string = std::max<uint64_t>(1u << 20, 4ull * settings.max_string);
    b.max_children = settings.max_children;
    return b;
}

// The value LLDB hands over prefers its synthetic view; seam reads the real one.
::lldb::SBValue real(::lldb::SBValue valobj) {
    ::lldb::SBValue value = valobj.GetNonSyntheticValue();
    return value.IsValid() ? value : valobj;
}

// A value of a name C shares is Rust's when seam created it (a child of a Rust value) or when
// it lives in a Rust frame (a local, a field path below one, an expression there). Cheap for
// C: one look-up and the frame's compile unit, no DWARF.
bool rust_context(::lldb::SBValue& v) {
    if (seam::lldb::created_by_seam(v)) return true;
    ::lldb::SBFrame frame = v.GetFrame();
    return frame.IsValid() && frame.GetCompileUnit().GetLanguage() == ::lldb::eLanguageTypeRust;
}

// seam's summary line of `value`; empty when seam cannot map it. A pointer seam cannot map as
// a whole (an expression's `T *`) is summarised by its pointee, as LLDB does for `char *`.
std::string seam_summary(::lldb::SBValue value) {
    SummarySettings settings = summary_settings(value);
    Budget budget = summary_budget(settings);
    auto mapped = seam::lldb::map_sb_value(value, budget);
    ::lldb::SBType type = value.GetType();
    if (!mapped && (type.IsPointerType() || type.IsReferenceType())) {
        value = value.Dereference().GetNonSyntheticValue();
        if (!value.IsValid() || value.GetError().Fail()) return {};
        mapped = seam::lldb::map_sb_value(value, budget);
    }
    if (!mapped) return {};
    // A frame variable seam cannot locate: its whole message, which the line would cut.
    if (!mapped->error.empty()) return "<error: " + mapped->error + ">";
    seam::lldb::SBMemoryReader mem(value.GetProcess(), value.GetTarget());
    Context ctx(mem, mapped->info, builtin_registry(), budget);
    return summary_line(ctx, ctx.format(mapped->value), settings.max_string);
}

bool put(::lldb::SBStream& out, const std::string& text) {
    if (text.empty()) return false;
    out.Printf("%s", text.c_str());
    return true;
}

// What LLDB shows for a C byte pointer or array without seam: the summary it gives the same
// bytes typed as plain `char`. LLDB's C-string formatters (category "system") match `char *`
// and `unsigned char *`, and `char[N]`, `signed char[N]`, `unsigned char[N]`, all alike.
bool lldb_c_string(::lldb::SBValue& v, ::lldb::SBStream& out) {
    ::lldb::SBType type = v.GetType().GetCanonicalType();
    ::lldb::SBType element =
        type.IsPointerType() ? type.GetPointeeType() : type.GetArrayElementType();
    ::lldb::BasicType basic = element.GetUnqualifiedType().GetBasicType();
    bool shown_as_string = basic == ::lldb::eBasicTypeUnsignedChar ||
                           (basic == ::lldb::eBasicTypeSignedChar && type.IsArrayType());
    if (!shown_as_string) return false;
    ::lldb::SBType plain = v.GetTarget().GetBasicType(::lldb::eBasicTypeChar);
    plain = type.IsPointerType() ? plain.GetPointerType()
                                 : plain.GetArrayType(type.GetByteSize() / element.GetByteSize());
    ::lldb::SBValue as_char = v.Cast(plain);
    const char* text = as_char.IsValid() ? as_char.GetSummary() : nullptr;
    return text && *text && put(out, text);
}

// Rust's Debug of the base types C shares, from LLDB's bytes: no DWARF needed.
std::string rust_scalar(::lldb::SBValue& v) {
    ::lldb::SBData data = v.GetData();
    ::lldb::SBError error;
    std::string text;
    switch (v.GetType().GetCanonicalType().GetBasicType()) {
    case ::lldb::eBasicTypeDouble:
        text = debug_f64(data.GetDouble(error, 0));
        break;
    case ::lldb::eBasicTypeFloat:
        text = debug_f32(data.GetFloat(error, 0));
        break;
    case ::lldb::eBasicTypeChar32: {
        auto c = static_cast<char32_t>(data.GetUnsignedInt32(error, 0));
        // Whether `{:?}` escapes it follows the Unicode tables of the program's std: for a char
        // the stds disagree on, the DWARF path (seam_summary) knows the unit's rustc.
        if (!debug_char_depends_on_rustc(c)) text = debug_char(c);
        break;
    }
    case ::lldb::eBasicTypeUnsignedChar:
        text = std::to_string(data.GetUnsignedInt8(error, 0));
        break;
    case ::lldb::eBasicTypeSignedChar:
    case ::lldb::eBasicTypeChar:
        text = std::to_string(data.GetSignedInt8(error, 0));
        break;
    default:
        return {};
    }
    return error.Fail() ? std::string() : text;
}

// LLDB's value text of `v` in `format`, which the type format of k_value_hidden hides: a copy
// of the value's bytes with that format set on the copy.
std::string lldb_value_text(::lldb::SBValue& v, ::lldb::Format format) {
    const char* name = v.GetName();
    ::lldb::SBValue copy = v.CreateValueFromData(name ? name : "", v.GetData(), v.GetType());
    if (!copy.IsValid()) return {};
    copy.SetFormat(format);
    const char* text = copy.GetValue();
    return text ? text : "";
}

// The format LLDB gives a C value of a type in k_value_hidden.
::lldb::Format c_format(::lldb::SBValue& v) {
    switch (v.GetType().GetCanonicalType().GetBasicType()) {
    case ::lldb::eBasicTypeDouble:
    case ::lldb::eBasicTypeFloat:
        return ::lldb::eFormatFloat;
    case ::lldb::eBasicTypeChar32:
        return ::lldb::eFormatUnicode32;
    case ::lldb::eBasicTypeChar:
    case ::lldb::eBasicTypeSignedChar:
    case ::lldb::eBasicTypeUnsignedChar:
        return ::lldb::eFormatChar;
    default:
        return ::lldb::eFormatDefault;
    }
}

// A Rust-named value seam cannot map. A C++ enum (`ns::Color`, no Rust in its frame) gets LLDB's
// enumerator back; a Rust enum its plain discriminant, never LLDB's decoding of it (LLDB 19 cuts
// discriminants to 32 bits). Anything else has no value text to give.
bool unmapped_rust_named(::lldb::SBValue& v, ::lldb::SBStream& out) {
    if (v.GetType().GetCanonicalType().GetTypeClass() != ::lldb::eTypeClassEnumeration)
        return false;
    if (!rust_context(v)) return put(out, lldb_value_text(v, ::lldb::eFormatEnum));
    std::string discriminant = lldb_value_text(v, ::lldb::eFormatDecimal);
    return !discriminant.empty() && put(out, "<discriminant " + discriminant + ">");
}

// A summary that says what LLDB's own value already says (a u8 child seam formats as a number)
// is left out: lldb-dap shows a value and its summary side by side (`7 7`), where lldb hides the
// value.
bool put_unless_value(::lldb::SBValue& v, ::lldb::SBStream& out, const std::string& text) {
    const char* value = v.GetValue();
    if (value && text == value) return false;
    return put(out, text);
}

// A pointer's summary that is its own address again (a raw `*const u8` whose Debug is its
// address) is left out: LLDB shows the address as the value already, zero-padded, and the line
// would read `data_ptr = 0x000055555555f5f4 0x55555555f5f4`.
bool put_unless_address(::lldb::SBValue& v, ::lldb::SBStream& out, const std::string& text) {
    if (text.size() > 2 && text.size() <= 18 && text.starts_with("0x") &&
        text.find_first_not_of("0123456789abcdef", 2) == std::string::npos) {
        ::lldb::SBError error;
        uint64_t address = v.GetValueAsUnsigned(error, 0);
        if (error.Success() && std::stoull(text.substr(2), nullptr, 16) == address) return false;
    }
    return put(out, text);
}

template <Kind kind>
bool summarize(::lldb::SBValue valobj, ::lldb::SBTypeSummaryOptions, ::lldb::SBStream& out) {
    try {
        ::lldb::SBValue v = real(valobj);
        if constexpr (kind == Kind::Rust) {
            std::string text = seam_summary(v);
            if (text.empty()) return unmapped_rust_named(v, out);
            return put(out, text);
        } else if constexpr (kind == Kind::Scalar) {
            if (!rust_context(v)) return put(out, lldb_value_text(v, c_format(v)));
            // A u8 child seam formats as a number keeps that value as its text.
            std::string text = rust_scalar(v);
            return put_unless_value(v, out, text.empty() ? seam_summary(v) : text);
        } else if constexpr (kind == Kind::CIdiom) {
            // Cascades to `spinlock_t *` too, where seam's line is the pointer's address.
            return put_unless_address(v, out, seam_summary(v));
        } else {
            if (!rust_context(v)) return lldb_c_string(v, out);
            return put_unless_address(v, out, seam_summary(v));
        }
    } catch (...) {
        // Nothing may escape into LLDB: without a summary it shows its own view.
        return false;
    }
}

::lldb::SBTypeSummary make_summary(Kind kind) {
    switch (kind) {
    case Kind::Rust:
        return ::lldb::SBTypeSummary::CreateWithCallback(
            summarize<Kind::Rust>, ::lldb::eTypeOptionCascade | ::lldb::eTypeOptionHideValue,
            "seam: Rust value read from the DWARF");
    case Kind::Scalar:
        return ::lldb::SBTypeSummary::CreateWithCallback(
            summarize<Kind::Scalar>,
            // No children to show: saying so keeps LLDB's one-line view of a C struct or
            // array holding doubles (`(x = 1.5, y = 2)`).
            ::lldb::eTypeOptionHideValue | ::lldb::eTypeOptionHideChildren |
                ::lldb::eTypeOptionSkipPointers | ::lldb::eTypeOptionSkipReferences,
            "seam: Rust base type as Rust prints it; C's as LLDB does");
    case Kind::Pointer:
        return ::lldb::SBTypeSummary::CreateWithCallback(
            summarize<Kind::Pointer>, ::lldb::eTypeOptionNone,
            "seam: Box/&T/*const T read from the DWARF; C pointers as LLDB shows them");
    case Kind::ByteArray:
        return ::lldb::SBTypeSummary::CreateWithCallback(
            summarize<Kind::ByteArray>, ::lldb::eTypeOptionNone,
            "seam: [u8; N] as Rust prints it; C byte arrays as LLDB shows them");
    case Kind::CIdiom:
        return ::lldb::SBTypeSummary::CreateWithCallback(
            summarize<Kind::CIdiom>, ::lldb::eTypeOptionCascade,
            "seam: kernel-style C counters and list heads read from the DWARF");
    }
    return {};
}

} // namespace

bool register_recipe_summaries(::lldb::SBDebugger debugger) {
    ::lldb::SBTypeCategory category = debugger.GetCategory("seam");
    if (!category.IsValid()) return false;
    recipes::RecipeSet set = recipes::installed();
    std::vector<std::string> regexes;
    // A C name (no `::`) is a tag or typedef LLDB spells bare or with `struct `.
    auto add = [&](const std::string& name, const char* suffix) {
        if (name.find("::") != std::string::npos) return;
        std::string quoted;
        for (char c : name) {
            if (std::string_view(".[]{}()*+?^$|\\").find(c) != std::string_view::npos)
                quoted += '\\';
            quoted += c;
        }
        regexes.push_back("^(struct )?" + quoted + suffix + "$");
    };
    for (const auto& r : set.owns) add(r.type, "");
    for (const auto& r : set.shared) add(r.type, "");
    for (const auto& r : set.holds) add(r.type, "");
    for (const auto& r : set.lists) add(r.type, " \\*");
    ::lldb::SBTypeSummary summary = make_summary(Kind::CIdiom);
    bool ok = true;
    for (const auto& re : regexes)
        ok &= category.AddTypeSummary(::lldb::SBTypeNameSpecifier(re.c_str(), true), summary);
    return ok;
}

bool register_summaries(::lldb::SBDebugger debugger) {
    ::lldb::SBTypeCategory category = debugger.GetCategory("seam");
    if (!category.IsValid()) category = debugger.CreateCategory("seam");
    if (!category.IsValid()) return false;
    const Kind kinds[] = {Kind::Rust, Kind::Scalar, Kind::Pointer, Kind::ByteArray, Kind::CIdiom};
    ::lldb::SBTypeSummary summaries[std::size(kinds)];
    for (size_t i = 0; i < std::size(kinds); ++i) summaries[i] = make_summary(kinds[i]);
    bool ok = true;
    for (const Registration& r : k_summaries)
        ok &= category.AddTypeSummary(::lldb::SBTypeNameSpecifier(r.regex, true),
                                      summaries[static_cast<size_t>(r.kind)]);
    // Not through pointers: a type format also matches `T *` unless told not to, and would
    // read a C `char *` as the string it points to.
    ::lldb::SBTypeFormat hidden(::lldb::eFormatCString, ::lldb::eTypeOptionSkipPointers |
                                                            ::lldb::eTypeOptionSkipReferences);
    for (const char* regex : k_value_hidden)
        ok &= category.AddTypeFormat(::lldb::SBTypeNameSpecifier(regex, true), hidden);
    // Children need lldb's Python; without it the summaries above still stand.
    register_children(debugger, category, k_children_regexes, std::size(k_children_regexes),
                      summaries[static_cast<size_t>(Kind::Rust)]);
    category.SetEnabled(true);
    return ok;
}

} // namespace seam::plugin
