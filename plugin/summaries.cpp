#include "plugin/summaries.h"

#include <lldb/API/SBStream.h>
#include <lldb/API/SBType.h>
#include <lldb/API/SBTypeCategory.h>
#include <lldb/API/SBTypeNameSpecifier.h>
#include <lldb/API/SBTypeSummary.h>
#include <lldb/API/SBValue.h>

#include <iterator>

#include "formatters/render/render.h"
#include "plugin/children/children.h"
#include "plugin/lldb/sb_memory.h"
#include "plugin/lldb/sb_value_map.h"

namespace seam::plugin {

namespace {

// Type names as LLDB 19 spells them for Rust: template arguments in C spelling
// (`alloc::vec::Vec<unsigned long, alloc::alloc::Global>`), other names as in the DWARF
// (`core::option::Option<u32>`, `&str`, `&[u8]`). Paths that moved between rustc versions
// (std::sync::poison::mutex::Mutex since 1.84) are matched with an optional module part.
constexpr const char* k_type_regexes[] = {
    "^alloc::string::String$",
    "^alloc::vec::Vec<.+>$",
    "^core::option::Option<.+>$",
    "^core::result::Result<.+>$",
    "^alloc::boxed::Box<.+>$",
    "^alloc::rc::(Rc|Weak)<.+>$",
    "^alloc::sync::(Arc|Weak)<.+>$",
    "^core::cell::(Cell|RefCell|OnceCell|UnsafeCell|Ref|RefMut)<.+>$",
    "^std::sync::(.+::)?(Mutex|RwLock|MutexGuard|RwLockReadGuard|RwLockWriteGuard)<.+>$",
    "^core::sync::atomic::Atomic[A-Za-z0-9]+(<.+>)?$",
    "^std::collections::hash::(map::HashMap|set::HashSet)<.+>$",
    "^alloc::collections::btree::(map::BTreeMap|set::BTreeSet)<.+>$",
    "^alloc::collections::(vec_deque::VecDeque|linked_list::LinkedList|binary_heap::BinaryHeap)<.+>"
    "$",
    "^std::ffi::os_str::OsString$",
    "^std::path::PathBuf$",
    "^alloc::ffi::c_str::CString$",
    "^alloc::borrow::Cow<.+>$",
    "^core::time::Duration$",
    "^core::ptr::non_null::NonNull<.+>$",
    "^core::pin::Pin<.+>$",
    "^&(mut )?dyn .+$",
    "^core::num::nonzero::NonZero<.+>$",
    "^core::ops::range::Range(Inclusive|From|To|ToInclusive)?<.+>$",
    "^&(mut )?str$",
    "^&(mut )?\\[.+\\]$",
    // Tuples: LLDB names them as the DWARF does, `(u8, &str)`.
    "^\\(.+\\)$",
};

// The types whose children seam gives (through seam_children.py): those above.
constexpr const char* k_children_regexes[] = {
    "^alloc::vec::Vec<.+>$",
    "^core::option::Option<.+>$",
    "^core::result::Result<.+>$",
    "^alloc::boxed::Box<.+>$",
    "^alloc::rc::(Rc|Weak)<.+>$",
    "^alloc::sync::(Arc|Weak)<.+>$",
    "^core::cell::(Cell|RefCell|OnceCell|UnsafeCell|Ref|RefMut)<.+>$",
    "^std::sync::(.+::)?(Mutex|RwLock|MutexGuard|RwLockReadGuard|RwLockWriteGuard)<.+>$",
    "^std::collections::hash::(map::HashMap|set::HashSet)<.+>$",
    "^alloc::collections::btree::(map::BTreeMap|set::BTreeSet)<.+>$",
    "^alloc::collections::(vec_deque::VecDeque|linked_list::LinkedList|binary_heap::BinaryHeap)<.+>"
    "$",
    "^alloc::borrow::Cow<.+>$",
    "^&(mut )?\\[.+\\]$",
    "^\\(.+\\)$",
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
    "^core::sync::atomic::Atomic[A-Za-z0-9]+(<.+>)?$",
};

// A summary has to come back at once: LLDB calls it for every visible value, in every stop.
Budget summary_budget() {
    Budget b;
    b.max_bytes = 1u << 20;
    b.max_elements = 10'000;
    b.max_depth = 16;
    b.max_string = 4096;
    b.max_children = 64;
    return b;
}

bool summarize(::lldb::SBValue valobj, ::lldb::SBTypeSummaryOptions, ::lldb::SBStream& out) {
    try {
        // The value LLDB hands over prefers its synthetic view; seam reads the real one.
        ::lldb::SBValue value = valobj.GetNonSyntheticValue();
        if (!value.IsValid()) value = valobj;
        // A regex also matches pointers to the type (LLDB strips one pointer level when it
        // looks summaries up): summarize the pointee, as LLDB does for `char *`.
        ::lldb::SBType type = value.GetType();
        if (type.IsPointerType() || type.IsReferenceType()) {
            value = value.Dereference().GetNonSyntheticValue();
            if (!value.IsValid() || value.GetError().Fail()) return false;
        }
        Budget budget = summary_budget();
        auto mapped = seam::lldb::map_sb_value(value, budget);
        if (!mapped) return false;
        seam::lldb::SBMemoryReader mem(value.GetProcess(), value.GetTarget());
        Context ctx(mem, mapped->info, builtin_registry(), budget);
        Formatted f = ctx.format(mapped->value);
        std::string text = render_summary(ctx, f, 256);
        if (text.empty()) return false;
        out.Printf("%s", text.c_str());
        return true;
    } catch (...) {
        // Nothing may escape into LLDB: without a summary it shows its own view.
        return false;
    }
}

} // namespace

bool register_summaries(::lldb::SBDebugger debugger) {
    ::lldb::SBTypeCategory category = debugger.GetCategory("seam");
    if (!category.IsValid()) category = debugger.CreateCategory("seam");
    if (!category.IsValid()) return false;
    ::lldb::SBTypeSummary summary = ::lldb::SBTypeSummary::CreateWithCallback(
        summarize, ::lldb::eTypeOptionCascade, "seam: Rust value read from the DWARF");
    bool ok = true;
    for (const char* regex : k_type_regexes)
        ok &= category.AddTypeSummary(::lldb::SBTypeNameSpecifier(regex, true), summary);
    // Children need lldb's Python; without it the summaries above still stand.
    register_children(debugger, category, k_children_regexes, std::size(k_children_regexes),
                      summary);
    category.SetEnabled(true);
    return ok;
}

} // namespace seam::plugin
