// The C++ half of the synthetic-children provider: the extern "C" functions that
// seam_children.py reaches through ctypes. Python passes `int(sbvalue.this)`, the address of
// an lldb::SBValue it owns; these functions read it (and fill the out-parameter) during the
// call only, and never let an exception cross back into Python.
#include <lldb/API/SBProcess.h>
#include <lldb/API/SBType.h>
#include <lldb/API/SBValue.h>

#include <cstdint>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include <fmt/format.h>

#include "formatters/render/render.h"
#include "plugin/children/sb_child.h"
#include "plugin/lldb/sb_memory.h"
#include "plugin/lldb/sb_value_map.h"

namespace seam::plugin {

namespace {

// Children are fetched from the engine a page at a time: LLDB asks for them one by one, and a
// hash table's i-th entry costs a scan of the control bytes before it.
constexpr uint64_t k_page = 64;
constexpr size_t k_entry_bound = 20'000;

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
    seam::lldb::MappedValue mapped;
    Formatted formatted;
    std::map<uint64_t, std::vector<Child>> pages;
};

struct Providers {
    std::recursive_mutex mutex;
    std::unordered_map<uint64_t, Entry> entries;
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

// The entry of `valobj` for this stop, formatted on first use.
Entry& entry_for(::lldb::SBValue& valobj) {
    Providers& p = providers();
    uint32_t stop_id = valobj.GetProcess().GetStopID();
    auto it = p.entries.find(valobj.GetID());
    if (it != p.entries.end() && it->second.stop_id == stop_id) return it->second;
    if (p.entries.size() >= k_entry_bound) p.entries.clear();
    Entry& e = p.entries[valobj.GetID()];
    e = Entry{};
    e.stop_id = stop_id;
    ::lldb::SBValue value = real_value(valobj);
    if (!value.IsValid() || value.GetError().Fail()) return e;
    auto mapped = seam::lldb::map_sb_value(value, children_budget());
    if (!mapped) return e;
    e.mapped = std::move(*mapped);
    seam::lldb::SBMemoryReader mem(value.GetProcess(), value.GetTarget());
    Context ctx(mem, e.mapped.info, builtin_registry(), children_budget());
    e.formatted = ctx.format(e.mapped.value);
    e.ok = e.formatted.shape != Shape::Error;
    return e;
}

// LLDB's name for child `index`: the field name, `[i]` for elements, `["key"]` for a map's
// entry (whose value is the child), `*` for the pointee of a Box, Rc or reference.
std::string child_name(Context& ctx, const Formatted& f, uint64_t index, const Child& c) {
    if (f.shape == Shape::Map) return "[" + render_summary(ctx, ctx.format(c.value), 60) + "]";
    if (!c.label.empty()) return c.label;
    if (f.shape == Shape::Transparent) return "*";
    return fmt::format("[{}]", index);
}

} // namespace

} // namespace seam::plugin

using namespace seam;
using namespace seam::plugin;

extern "C" {

/// Number of children, at most `max` (LLDB's target.max-children-count).
__attribute__((visibility("default"))) uint32_t seam_num_children(void* valobj, uint32_t max) {
    try {
        std::lock_guard lock(providers().mutex);
        Entry& e = entry_for(sb(valobj));
        if (!e.ok) return 0;
        return static_cast<uint32_t>(std::min<uint64_t>(e.formatted.count, max));
    } catch (...) {
        return 0;
    }
}

/// Fills `*out` (an lldb::SBValue) with child `index`. False past the end (LLDB asks).
__attribute__((visibility("default"))) int seam_child_at(void* valobj, uint32_t index, void* out) {
    try {
        std::lock_guard lock(providers().mutex);
        ::lldb::SBValue& parent = sb(valobj);
        Entry& e = entry_for(parent);
        if (!e.ok || index >= e.formatted.count) return 0;
        ::lldb::SBValue value = real_value(parent);
        seam::lldb::SBMemoryReader mem(value.GetProcess(), value.GetTarget());
        Context ctx(mem, e.mapped.info, builtin_registry(), children_budget());
        uint64_t first = index - index % k_page;
        auto page = e.pages.find(first);
        if (page == e.pages.end())
            page = e.pages.emplace(first, ctx.children(e.formatted, first, k_page)).first;
        uint64_t at = index - first;
        if (at >= page->second.size()) return 0;
        const Child& c = page->second[at];
        std::string name = child_name(ctx, e.formatted, index, c);
        const Value& shown =
            e.formatted.shape == Shape::Map && c.map_value ? *c.map_value : c.value;
        ::lldb::SBValue child = make_child(value, ctx, e.mapped.info, name, shown);
        if (!child.IsValid()) return 0;
        sb(out) = child;
        return 1;
    } catch (...) {
        return 0;
    }
}

/// The index of the child named `name` (`[3]`, a field name), or -1.
__attribute__((visibility("default"))) int seam_child_index(void* valobj, const char* name) {
    try {
        if (!name) return -1;
        std::string n(name);
        if (n.size() > 2 && n.front() == '[' && n.back() == ']') {
            char* end = nullptr;
            unsigned long i = std::strtoul(n.c_str() + 1, &end, 10);
            if (end && *end == ']') return static_cast<int>(i);
        }
        std::lock_guard lock(providers().mutex);
        ::lldb::SBValue& parent = sb(valobj);
        Entry& e = entry_for(parent);
        if (!e.ok) return -1;
        ::lldb::SBValue value = real_value(parent);
        seam::lldb::SBMemoryReader mem(value.GetProcess(), value.GetTarget());
        Context ctx(mem, e.mapped.info, builtin_registry(), children_budget());
        // Named children are a struct's fields or a map's keys: the first page holds the fields.
        uint64_t count = std::min<uint64_t>(e.formatted.count, 256);
        std::vector<Child> kids = ctx.children(e.formatted, 0, count);
        for (size_t i = 0; i < kids.size(); ++i)
            if (child_name(ctx, e.formatted, i, kids[i]) == n) return static_cast<int>(i);
        return -1;
    } catch (...) {
        return -1;
    }
}

/// A new stop, or the value changed: forget what was formatted. Always false (LLDB must ask
/// for the children again).
__attribute__((visibility("default"))) int seam_update(void* valobj) {
    try {
        std::lock_guard lock(providers().mutex);
        providers().entries.erase(sb(valobj).GetID());
    } catch (...) {
    }
    return 0;
}

__attribute__((visibility("default"))) int seam_has_children(void* valobj) {
    try {
        std::lock_guard lock(providers().mutex);
        Entry& e = entry_for(sb(valobj));
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
