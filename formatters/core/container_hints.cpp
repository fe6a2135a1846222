#include "formatters/core/container_hints.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace seam {
namespace {

constexpr std::string_view kViewPrefix = "seam::list_of<";

struct State {
    std::mutex lock;
    std::vector<ListHint> lists;
    std::map<std::tuple<const Type*, const Type*, std::string>, std::unique_ptr<Type>> views;
    std::unordered_map<const Type*, ListView> view_of;
};

State& state() {
    // Never destroyed: LLDB may format a value while the plugin's library is being unloaded.
    static State* s = new State;
    return *s;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

// Where a member of type `member` holds a `value` type: at 0 when it is one (by name: the C
// struct and bindgen's copy of it are one type), else inside the Rust generic wrappers a
// wrapper crate puts around a C object (`Opaque<T>`, `UnsafeCell<T>`, `MaybeUninit<T>`,
// `ManuallyDrop<T>`), however deep. `within`: the wrappers already entered; a type cannot hold
// itself by value, so meeting one again is corrupt DWARF, and ends the search there.
std::optional<uint64_t> embedded_at(const Type* member, const Type* value,
                                    std::vector<const Type*>& within) {
    member = strip(member);
    if (!member || !value) return std::nullopt;
    if (member->kind == value->kind && member->name == value->name) return 0;
    const bool wrapper = member->lang == Lang::Rust && member->name.find('<') != std::string::npos;
    if (!wrapper || std::find(within.begin(), within.end(), member) != within.end())
        return std::nullopt;
    within.push_back(member);
    std::optional<uint64_t> found;
    for (const Field& f : member->fields)
        if (auto inner = embedded_at(f.type, value, within)) {
            found = f.offset + *inner;
            break;
        }
    if (!found && member->variant_part) // MaybeUninit is a union to Rust's DWARF: arms are fields
        for (const Variant& arm : member->variant_part->variants)
            if (auto inner = embedded_at(arm.member.type, value, within)) {
                found = arm.member.offset + *inner;
                break;
            }
    within.pop_back();
    return found;
}

} // namespace

bool is_list_head(const Type* t) {
    t = strip(t);
    return t && t->kind == TypeKind::Struct && (t->name == "list_head" || t->name == "hlist_head");
}

Result<std::pair<std::string, std::string>> parse_type_field(std::string_view text) {
    text = trim(text);
    auto dot = text.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size())
        return err("expected TYPE.FIELD (e.g. `child.sibling`), got `{}`", text);
    std::string_view type = trim(text.substr(0, dot));
    for (std::string_view tag : {"struct ", "union "})
        if (type.starts_with(tag)) type = trim(type.substr(tag.size()));
    if (type.empty()) return err("expected TYPE.FIELD, got `{}`: no type", text);
    return std::pair{std::string(type), std::string(trim(text.substr(dot + 1)))};
}

ContainerHints& ContainerHints::global() {
    static ContainerHints* h = new ContainerHints;
    return *h;
}

void ContainerHints::add_list(ListHint hint) {
    State& s = state();
    std::lock_guard<std::mutex> g(s.lock);
    for (auto& h : s.lists)
        if (h.owner == hint.owner && h.field == hint.field) {
            h = std::move(hint);
            return;
        }
    s.lists.push_back(std::move(hint));
}

void ContainerHints::clear() {
    State& s = state();
    std::lock_guard<std::mutex> g(s.lock);
    s.lists.clear();
}

std::optional<ListHint> ContainerHints::list_for(std::string_view owner,
                                                 std::string_view field) const {
    State& s = state();
    std::lock_guard<std::mutex> g(s.lock);
    for (const auto& h : s.lists)
        if (h.owner == owner && h.field == field) return h;
    return std::nullopt;
}

std::vector<ListHint> ContainerHints::lists() const {
    State& s = state();
    std::lock_guard<std::mutex> g(s.lock);
    return s.lists;
}

const Type* list_view_type(const Type* head, const Type* element, std::string_view link) {
    head = strip(head);
    const Type* elem = strip(element);
    if (!head || !elem) return nullptr;
    const Field* member = find_field(elem, link);
    if (!member) return nullptr;
    State& s = state();
    std::lock_guard<std::mutex> g(s.lock);
    auto key = std::make_tuple(head, elem, std::string(link));
    auto it = s.views.find(key);
    if (it != s.views.end()) return it->second.get();
    auto view = std::make_unique<Type>(*head);
    view->memo_registry = 0;
    view->memo_formatter = nullptr;
    view->qualified = fmt::format("{}{}.{}>", kViewPrefix, elem->name, link);
    const Type* out = view.get();
    s.view_of.emplace(out, ListView{elem, member->offset, std::string(link)});
    s.views.emplace(std::move(key), std::move(view));
    return out;
}

std::optional<ListView> list_view_of(const Type& t) {
    if (!std::string_view(t.qualified).starts_with(kViewPrefix)) return std::nullopt;
    State& s = state();
    std::lock_guard<std::mutex> g(s.lock);
    auto it = s.view_of.find(&t);
    if (it == s.view_of.end()) return std::nullopt;
    return it->second;
}

Result<Value> container_value(Context& ctx, const Value& v, std::string_view type_field) {
    auto tf = parse_type_field(type_field);
    if (!tf) return tf.error();
    const auto& [type_name, field_name] = *tf;
    const Type* elem = ctx.types() ? strip(ctx.types()->find_type(type_name)) : nullptr;
    if (!elem) return err("--container: no type named `{}` in the DWARF", type_name);
    const Field* member = find_field(elem, field_name);
    if (!member) {
        std::string names;
        for (const auto& f : elem->fields) names += (names.empty() ? "" : ", ") + f.name;
        return err("--container: `{}` has no member `{}` (members: {})", type_name, field_name,
                   names);
    }
    const Type* vt = strip(v.type);
    if (!vt) return err("--container: the value has no type");
    Value at = v;
    // A pointer points at a member: container_of. A head held in place (`bus->children`, a
    // static `LIST_HEAD`, `*head`) is walked.
    const bool pointer = vt->kind == TypeKind::Pointer;
    if (pointer) {
        auto p = ctx.read_uint(v, 0, vt->has_size && vt->size && vt->size <= 8 ? vt->size : 8);
        if (!p) return p.error();
        if (*p == 0) return err("--container: the pointer is NULL");
        at = Value::at(vt->target, *p);
        vt = strip(vt->target);
        if (!vt) return err("--container: the pointer has no pointee type");
    }
    if (!at.address) return err("--container: the value is not in memory");
    const Type* mt = strip(member->type);
    const bool is_head = is_list_head(vt);
    // A list head names its entries by the member that links them: `child.sibling`.
    if (is_head && !pointer && mt &&
        mt->name == (vt->name == "hlist_head" ? "hlist_node" : "list_head")) {
        const Type* view = list_view_type(vt, elem, field_name);
        if (!view) return err("--container: cannot view `{}` as a list", vt->name);
        return Value::at(view, *at.address);
    }
    std::vector<const Type*> within;
    auto inner = embedded_at(mt, vt, within);
    if (!inner)
        return err("--container: `{}.{}` is a `{}`, but the value is a `{}`", type_name, field_name,
                   mt ? mt->name : "?", vt->name);
    const uint64_t offset = member->offset + *inner;
    if (*at.address < offset)
        return err("--container: {:#x} is below the offset of `{}` ({})", *at.address, field_name,
                   offset);
    return Value::at(elem, *at.address - offset);
}

} // namespace seam
