// The C objects behind the kernel crate's wrappers: what an Opaque holds, the C type a bindgen'd
// type stands for, a refcount_t's count and a task's name. bindgen copies C's members, names
// and order into Rust types (`bindings::bindings_raw::task_struct`), so a member is found by
// its name in either; C's own type is preferred where the DWARF has it, since C's formatters
// know the C idioms (a `char[16]` comm is text there, `[i8; 16]` in Rust).
#include <unordered_set>

#include <fmt/format.h>

#include "formatters/kernel/kernel_parts.h"
#include "formatters/render/render.h"
#include "formatters/rust/rust_layout.h"
#include "formatters/rust/rust_std_support.h"

namespace seam::kernel {
namespace {

// Wrappers that add nothing a debugger shows: the value is their one sized member.
bool is_wrapper(const Type& t) {
    static constexpr std::string_view kPaths[] = {
        "kernel::types::Opaque",
        "kernel::sync::refcount::Refcount",
        "core::cell::UnsafeCell",
        "core::mem::maybe_uninit::MaybeUninit",
        "core::mem::manually_drop::ManuallyDrop",
        "core::mem::maybe_dangling::MaybeDangling",
    };
    for (std::string_view p : kPaths)
        if (has_path(&t, p)) return true;
    return false;
}

const Field* only_sized_member(const Type& t) {
    const Field* found = nullptr;
    for (const Field& f : t.fields) {
        if (size_of(f.type) == 0) continue;
        if (found) return nullptr;
        found = &f;
    }
    return found;
}

} // namespace

Value see_through(const Value& v) {
    Value cur = v;
    // A value cannot hold its own type by value, so a chain of wrappers never meets a type twice
    // however deep it nests; only corrupt DWARF makes a cycle, and it ends there.
    std::unordered_set<const Type*> seen;
    for (;;) {
        const Type* t = strip(cur.type);
        if (!t || (t->kind != TypeKind::Struct && t->kind != TypeKind::Union) || !is_wrapper(*t) ||
            !seen.insert(t).second)
            break;
        const Field* f = only_sized_member(*t);
        if (!f) break;
        cur = cur.sub(f->type, f->offset);
    }
    return cur;
}

const Type* c_twin(Context& ctx, const Type* t) {
    const Type* s = strip(t);
    if (!s || s->lang != Lang::Rust || !ctx.types()) return t;
    std::string_view q = rust_layout::match_name(*s);
    if (!q.starts_with("bindings::")) return t;
    const Type* c = strip(ctx.types()->find_type(s->name));
    if (c && (c->lang == Lang::C || c->lang == Lang::Cpp) && c->kind == s->kind &&
        size_of(c) == size_of(s) && !c->declaration)
        return c;
    return t;
}

Result<int64_t> read_refcount(Context& ctx, const Value& v) {
    Value cur = see_through(v);
    const Type* t = strip(cur.type);
    if (t && t->name == "kref") {
        auto inner = ctx.field(cur, "refcount");
        if (!inner) return inner.error();
        cur = see_through(*inner);
        t = strip(cur.type);
    }
    auto counter = ctx.path(cur, {"refs", "counter"});
    if (!counter) return err("{} is not a refcount_t", t ? t->name : "?");
    uint64_t size = size_of(counter->type);
    if (size != 4 && size != 8) return err("refcount counter of {} bytes", size);
    auto raw = ctx.read_uint(*counter, 0, size);
    if (!raw) return raw.error();
    return size == 4 ? int64_t(int32_t(uint32_t(*raw))) : int64_t(*raw);
}

Result<Value> refcount_member(Context& ctx, const Value& object) {
    Value o = see_through(object);
    const Type* t = strip(o.type);
    if (!t || t->kind != TypeKind::Struct) return err("not a struct");
    for (const Field& f : t->fields) {
        const Type* ft = strip(f.type);
        if (ft && (ft->name == "refcount_struct" || ft->name == "kref"))
            return o.sub(f.type, f.offset);
    }
    // An object built on a kobject (struct device, a driver's kset) counts its references in
    // the kobject's kref: get_device() is kobject_get(&dev->kobj).
    for (const Field& f : t->fields) {
        const Type* ft = strip(f.type);
        if (ft && ft->kind == TypeKind::Struct && ft->name == "kobject")
            if (const Field* kref = find_field(ft, "kref"))
                return o.sub(kref->type, f.offset + kref->offset);
    }
    return err("{} has no refcount_t, kref or kobject member", t->name);
}

Result<std::string> task_text(Context& ctx, uint64_t address, const Type* hint) {
    const Type* t = hint ? strip(hint) : nullptr;
    if (ctx.types()) {
        if (!t) t = strip(ctx.types()->find_type("task_struct"));
        if (!t) t = strip(ctx.types()->find_type("bindings::bindings_raw::task_struct"));
    }
    if (!t) return err("no task_struct in the DWARF");
    if (address == 0) return err("no task");
    Value task = Value::at(c_twin(ctx, t), address);
    const Field* comm = find_field(strip(task.type), "comm");
    const Field* pid = find_field(strip(task.type), "pid");
    if (!comm || !pid) return err("task_struct has no comm or pid");
    uint64_t len = std::min<uint64_t>(size_of(comm->type), 64);
    std::string bytes(len, '\0');
    if (auto st = ctx.read_bytes(task, comm->offset,
                                 std::as_writable_bytes(std::span(bytes.data(), len)));
        !st)
        return st.error();
    bytes.resize(std::min(bytes.find('\0'), bytes.size()));
    auto p = ctx.read_uint(task, pid->offset, 4);
    if (!p) return p.error();
    return fmt::format("{} (pid {})", debug_str(bytes), int32_t(uint32_t(*p)));
}

std::string refcount_problem(int64_t count) {
    if (count == 0) return "zero: the value is freed or being freed";
    // refcount_t saturates at REFCOUNT_SATURATED (INT_MIN / 2) and never frees again.
    if (count < 0)
        return fmt::format("saturated ({:#x}): the value is leaked, never freed", uint32_t(count));
    return "";
}

std::string with_value(Context& ctx, std::string head, const Value& value) {
    std::string shown = rust_std::nested_summary(ctx, value);
    return shown.empty() ? head : fmt::format("{} \u2192 {}", head, shown);
}

std::string alias_name(const Type& t, std::string_view prefix) {
    const Type* elem = template_arg(&t, 0);
    const Type* alloc = strip(template_arg(&t, 1));
    std::string_view a = alloc ? bare_name(alloc->name) : "";
    std::string_view alias = a == "Kmalloc"    ? "K"
                             : a == "Vmalloc"  ? "V"
                             : a == "KVmalloc" ? "KV"
                                               : "";
    std::string shown = elem ? rust_layout::display_name(elem) : "?";
    // An unsized T (`[u16]`, `dyn Shape`) has no template parameter type of its own name: the
    // type's own name spells it, before the allocator.
    std::string whole = rust_layout::display_name(&t);
    if (auto open = whole.find('<'), comma = whole.rfind(", ");
        open != std::string::npos && comma != std::string::npos && comma > open &&
        (whole.compare(open + 1, 1, "[") == 0 || whole.compare(open + 1, 4, "dyn ") == 0))
        shown = whole.substr(open + 1, comma - open - 1);
    if (alias.empty()) return fmt::format("{}<{}, {}>", prefix, shown, a);
    return fmt::format("{}{}<{}>", alias, prefix, shown);
}

} // namespace seam::kernel
