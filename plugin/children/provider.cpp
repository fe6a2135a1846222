// The C++ half of the synthetic-children provider: the extern "C" functions that
// seam_children.py reaches through ctypes. Python passes `int(sbvalue.this)`, the address of
// an lldb::SBValue it owns, and the handle seam_open gave its provider; these functions read
// the SBValue (and fill the out-parameter) during the call only, and never let an exception
// cross back into Python.
//
// Speed: LLDB calls get_child_at_index once per child, and every call into Python costs LLDB a
// "session" (seam_children.py). What happens here per child must be small next to that: the
// provider's state (the real value, its process and target, the formatted value, the pages of
// children, the SBType of each child type) lives in its Entry for the whole stop, so a child
// is a hash look-up, a name and one CreateValueFrom* call.
#include <lldb/API/SBProcess.h>
#include <lldb/API/SBTarget.h>
#include <lldb/API/SBType.h>
#include <lldb/API/SBValue.h>

#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <pthread.h>
#include <string>
#include <unordered_map>

#include <fmt/format.h>

#include "formatters/render/render.h"
#include "plugin/children/sb_child.h"
#include "plugin/lldb/frame_values.h"
#include "plugin/lldb/sb_memory.h"
#include "plugin/lldb/sb_value_map.h"

namespace seam::plugin {

namespace {

// Children are fetched from the engine a page at a time: LLDB asks for them one by one, and a
// hash table's i-th entry costs a scan of the control bytes before it.
constexpr uint64_t k_page = 128;
constexpr size_t k_entry_bound = 20'000;

// LLDB asks for a page of children at a time and keeps its own 512-byte cache lines: reading
// ahead of the page (Context::prefetch) would read what nobody may ask for.
Context paging_context(MemoryReader& mem, const DebugInfo* info, const Budget& budget) {
    Context ctx(mem, info, builtin_registry(), budget);
    ctx.set_read_chunk(0);
    return ctx;
}

Budget children_budget() {
    Budget b;
    b.max_bytes = 4u << 20;
    b.max_elements = 100'000;
    b.max_depth = 16;
    b.max_string = 4096;
    b.max_children = 100'000;
    return b;
}

// What one provider (one SBValue LLDB shows) knows for the current stop.
struct Entry {
    uint32_t stop_id = 0;
    bool ok = false;
    ::lldb::SBValue value; ///< the real value (non-synthetic, pointers followed)
    ::lldb::SBProcess process;
    ::lldb::SBTarget target;
    ::lldb::SBType value_type;
    std::unique_ptr<seam::lldb::SBMemoryReader> mem;
    seam::lldb::MappedValue mapped;
    Formatted formatted;
    std::map<uint64_t, std::vector<Child>> pages;
    std::unordered_map<const Type*, ::lldb::SBType> types; ///< child DWARF type -> SBType
};

struct Providers {
    std::recursive_mutex mutex;
    std::unordered_map<uint64_t, Entry> entries; ///< by handle
    uint64_t next_handle = 1;
};

Providers& providers() {
    static Providers p;
    return p;
}

::lldb::SBValue& sb(void* p) {
    return *static_cast<::lldb::SBValue*>(p);
}

// The real value behind what LLDB hands a provider: its synthetic view prefers our own
// children, and a regex provider also matches a pointer to the type (`&Vec`).
::lldb::SBValue real_value(::lldb::SBValue valobj) {
    ::lldb::SBValue value = valobj.GetNonSyntheticValue();
    if (!value.IsValid()) value = valobj;
    ::lldb::SBType type = value.GetType();
    if (type.IsPointerType() || type.IsReferenceType())
        value = value.Dereference().GetNonSyntheticValue();
    return value;
}

// Expression stops count: an expression that changed memory must not leave a stale entry.
uint32_t stop_id_of(::lldb::SBProcess& process) {
    return process.IsValid() ? process.GetStopID(true) : 0;
}

void fill(Entry& e, ::lldb::SBValue& valobj) {
    e = Entry{};
    e.process = valobj.GetProcess();
    e.stop_id = stop_id_of(e.process);
    e.value = real_value(valobj);
    if (!e.value.IsValid() || e.value.GetError().Fail()) return;
    auto mapped = seam::lldb::map_sb_value(e.value, children_budget());
    if (!mapped) return;
    e.target = e.value.GetTarget();
    e.value_type = e.value.GetType();
    e.mapped = std::move(*mapped);
    e.mem = std::make_unique<seam::lldb::SBMemoryReader>(e.process, e.target);
    Context ctx = paging_context(*e.mem, e.mapped.info, children_budget());
    e.formatted = ctx.format(e.mapped.value);
    e.ok = e.formatted.shape != Shape::Error;
}

// The entry of provider `handle` for this stop, formatted on first use.
Entry& entry_for(uint64_t handle, ::lldb::SBValue& valobj) {
    Providers& p = providers();
    auto it = p.entries.find(handle);
    if (it != p.entries.end()) {
        Entry& e = it->second;
        if (e.stop_id == stop_id_of(e.process)) return e;
        fill(e, valobj);
        return e;
    }
    if (p.entries.size() >= k_entry_bound) p.entries.clear();
    Entry& e = p.entries[handle];
    fill(e, valobj);
    return e;
}

// LLDB's name for child `index`: the field name, `[i]` for elements, `["key"]` for a map's
// entry (whose value is the child), `*` for the pointee of a Box, Rc or reference.
std::string child_name(Context& ctx, const Formatted& f, uint64_t index, const Child& c) {
    if (f.shape == Shape::Map) return "[" + seam::lldb::map_key_text(ctx, c.value) + "]";
    if (!c.label.empty()) return c.label;
    if (f.shape == Shape::Transparent) return "*";
    return fmt::format("[{}]", index);
}

const std::vector<Child>& page_of(Entry& e, Context& ctx, uint64_t first) {
    auto page = e.pages.find(first);
    if (page == e.pages.end())
        page = e.pages.emplace(first, ctx.children(e.formatted, first, k_page)).first;
    return page->second;
}

::lldb::SBType sb_type_of(Entry& e, const Type* t) {
    auto it = e.types.find(t);
    if (it != e.types.end()) return it->second;
    ::lldb::SBType found = find_sb_type(e.target, e.value_type, t);
    e.types.emplace(t, found);
    return found;
}

// LLDB expands the children it is given to any depth (target.max-children-depth is unlimited),
// recursing on its own stack for each level, and seam hands it a Box's, an Rc's or a
// reference's pointee as a child: a cycle of Rcs, or a list of a few thousand Boxes, overflowed
// LLDB's stack in `frame variable` and killed the debugger. The providers cannot see a value's
// ancestors (LLDB makes a plain struct's fields itself, without seam), so they guard the stack
// instead: past this much of the thread's stack in use, a child is a marker LLDB does not expand.
// A level costs LLDB about 2 KiB, so a healthy value never comes near it.
constexpr size_t k_stack_for_children = 256u << 10;

// The top of the current thread's stack (0 when the thread cannot say). Asked once per thread:
// on the main thread glibc's pthread_getattr_np reads and parses /proc/self/maps, thousands of
// lines in a debugger with liblldb loaded, ~0.9 ms that every child paid (bench/all's
// provider_floor: 1,045 us a child against 118 us before the guard).
uintptr_t stack_top() {
    thread_local const uintptr_t top = [] {
        pthread_attr_t attr;
        if (pthread_getattr_np(pthread_self(), &attr) != 0) return uintptr_t(0);
        void* base = nullptr;
        size_t size = 0;
        int got = pthread_attr_getstack(&attr, &base, &size);
        pthread_attr_destroy(&attr);
        return got != 0 || !base ? uintptr_t(0) : reinterpret_cast<uintptr_t>(base) + size;
    }();
    return top;
}

// How much of the current thread's stack is in use (0 when the thread cannot say).
size_t stack_in_use() {
    auto top = stack_top();
    // The frame's own address, not a local's: under ASan a local may live on its fake stack
    // (detect_stack_use_after_return), a heap block far below the thread's stack, and every
    // child then looked nested too deep.
    auto at = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    return at < top ? top - at : 0;
}

} // namespace

} // namespace seam::plugin

using namespace seam;
using namespace seam::plugin;

extern "C" {

/// A fresh handle for a new provider (never reused): its entry is made on first use.
__attribute__((visibility("default"))) uint64_t seam_open() {
    std::lock_guard lock(providers().mutex);
    return providers().next_handle++;
}

/// Number of children, at most `max` (LLDB's target.max-children-count).
__attribute__((visibility("default"))) uint32_t seam_num_children(uint64_t handle, void* valobj,
                                                                  uint32_t max) {
    try {
        std::lock_guard lock(providers().mutex);
        Entry& e = entry_for(handle, sb(valobj));
        if (!e.ok) return 0;
        return static_cast<uint32_t>(std::min<uint64_t>(e.formatted.count, max));
    } catch (...) {
        return 0;
    }
}

/// Fills `*out` (an lldb::SBValue) with child `index`. False past the end (LLDB asks).
__attribute__((visibility("default"))) int seam_child_at(uint64_t handle, void* valobj,
                                                         uint32_t index, void* out) {
    try {
        std::lock_guard lock(providers().mutex);
        Entry& e = entry_for(handle, sb(valobj));
        if (!e.ok || index >= e.formatted.count) return 0;
        Context ctx = paging_context(*e.mem, e.mapped.info, children_budget());
        uint64_t first = index - index % k_page;
        const std::vector<Child>& page = page_of(e, ctx, first);
        uint64_t at = index - first;
        if (at >= page.size()) return 0;
        const Child& c = page[at];
        std::string name = child_name(ctx, e.formatted, index, c);
        const Value& shown =
            e.formatted.shape == Shape::Map && c.map_value ? *c.map_value : c.value;
        ::lldb::SBValue child;
        if (stack_in_use() > k_stack_for_children) {
            child = text_child(e.value, name,
                               "<not expanded: nested too deep for LLDB (a cycle?); `seam print` "
                               "shows the value within its budget>");
        } else {
            ::lldb::SBType type = shown.synthetic ? ::lldb::SBType() : sb_type_of(e, shown.type);
            child = make_child(e.value, ctx, e.mapped.info, name, shown, type);
        }
        if (!child.IsValid()) return 0;
        sb(out) = child;
        return 1;
    } catch (...) {
        return 0;
    }
}

/// The index of the child named `name` (`[3]`, a field name), or -1.
__attribute__((visibility("default"))) int seam_child_index(uint64_t handle, void* valobj,
                                                            const char* name) {
    try {
        if (!name) return -1;
        std::string n(name);
        if (n.size() > 2 && n.front() == '[' && n.back() == ']') {
            char* end = nullptr;
            unsigned long i = std::strtoul(n.c_str() + 1, &end, 10);
            if (end && *end == ']') return static_cast<int>(i);
        }
        std::lock_guard lock(providers().mutex);
        Entry& e = entry_for(handle, sb(valobj));
        if (!e.ok) return -1;
        Context ctx = paging_context(*e.mem, e.mapped.info, children_budget());
        // Named children are a struct's fields or a map's keys: the first pages hold the fields.
        uint64_t count = std::min<uint64_t>(e.formatted.count, 2 * k_page);
        for (uint64_t first = 0; first < count; first += k_page) {
            const std::vector<Child>& page = page_of(e, ctx, first);
            for (size_t i = 0; i < page.size() && first + i < count; ++i)
                if (child_name(ctx, e.formatted, first + i, page[i]) == n)
                    return static_cast<int>(first + i);
        }
        return -1;
    } catch (...) {
        return -1;
    }
}

/// A new stop, or the value changed: forget what was formatted. Always false: the children
/// may differ now, so LLDB must drop the ones it cached and ask again.
__attribute__((visibility("default"))) int seam_update(uint64_t handle) {
    try {
        std::lock_guard lock(providers().mutex);
        providers().entries.erase(handle);
    } catch (...) {
    }
    return 0;
}

/// The provider is gone (Python's __del__): its entry goes with it.
__attribute__((visibility("default"))) void seam_close(uint64_t handle) {
    try {
        std::lock_guard lock(providers().mutex);
        providers().entries.erase(handle);
    } catch (...) {
    }
}

__attribute__((visibility("default"))) int seam_has_children(uint64_t handle, void* valobj) {
    try {
        std::lock_guard lock(providers().mutex);
        Entry& e = entry_for(handle, sb(valobj));
        return e.ok && e.formatted.count > 0;
    } catch (...) {
        return 0;
    }
}

/// The recogniser of Rust enums LLDB would show as `$variants$` (an lldb::SBType at `type`).
__attribute__((visibility("default"))) int seam_is_rust_enum(void* type) {
    try {
        ::lldb::SBType& t = *static_cast<::lldb::SBType*>(type);
        if (!t.IsValid() || t.GetNumberOfFields() != 1) return 0;
        const char* name = t.GetFieldAtIndex(0).GetName();
        return name && std::string(name) == "$variants$";
    } catch (...) {
        return 0;
    }
}

} // extern "C"
