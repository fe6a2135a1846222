// The types recipes make: views of DWARF types that a recipe's formatter recognises. Each is a
// copy of the DWARF type with a name in seam's own namespace (`seam::held<…>`, `seam::link<…>`),
// kept for the process so that formatter memos and LLDB values can point at it.
#include <map>
#include <memory>
#include <mutex>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "formatters/recipes/recipe_store.h"

namespace seam::recipes {
namespace {

constexpr std::string_view kHeld = "seam::held<";
constexpr std::string_view kLink = "seam::link<";

struct Views {
    std::mutex lock;
    std::map<std::tuple<const Type*, int, const Type*, std::string>, std::unique_ptr<Type>> held;
    std::unordered_map<const Type*, HeldView> held_of;
    std::map<std::pair<const Type*, std::string>, std::unique_ptr<Type>> nodes;
    std::vector<std::unique_ptr<Type>> links;
};

Views& views() {
    static Views* v = new Views;
    return *v;
}

std::unique_ptr<Type> copy_of(const Type& t, std::string qualified) {
    auto c = std::make_unique<Type>(t);
    c->memo_registry = 0;
    c->memo_formatter = nullptr;
    c->qualified = std::move(qualified);
    return c;
}

} // namespace

const Type* held_view_type(const Type* pointer, const HoldsRule& rule, const Type* target) {
    const Type* p = strip(pointer);
    if (!p || p->kind != TypeKind::Pointer || !target) return nullptr;
    Views& v = views();
    std::lock_guard<std::mutex> g(v.lock);
    auto key = std::make_tuple(p, int(rule.kind), target, rule.type + "." + rule.field);
    if (auto it = v.held.find(key); it != v.held.end()) return it->second.get();
    auto t = copy_of(*p, fmt::format("{}{}<{}>>", kHeld, held_kind_name(rule.kind), rule.target));
    t->target = target;
    const Type* out = t.get();
    v.held_of.emplace(out, HeldView{rule, target});
    v.held.emplace(std::move(key), std::move(t));
    return out;
}

std::optional<HeldView> held_view_of(const Type& t) {
    if (!std::string_view(t.qualified).starts_with(kHeld)) return std::nullopt;
    Views& v = views();
    std::lock_guard<std::mutex> g(v.lock);
    auto it = v.held_of.find(&t);
    if (it == v.held_of.end()) return std::nullopt;
    return it->second;
}

const Type* plain_node_type(const Type* node, const ListRule& rule) {
    const Type* n = strip(node);
    if (!n) return nullptr;
    Views& v = views();
    std::lock_guard<std::mutex> g(v.lock);
    auto key = std::make_pair(n, rule.next);
    if (auto it = v.nodes.find(key); it != v.nodes.end()) return it->second.get();
    auto copy = copy_of(*n, n->qualified);
    for (auto& f : copy->fields) {
        const Type* ft = strip(f.type);
        if (f.name != rule.next || !ft || ft->kind != TypeKind::Pointer) continue;
        auto link = copy_of(*ft, fmt::format("{}{}>", kLink, n->name));
        f.type = link.get();
        v.links.push_back(std::move(link));
    }
    const Type* out = copy.get();
    v.nodes.emplace(std::move(key), std::move(copy));
    return out;
}

bool is_plain_link(const Type& t) {
    return std::string_view(t.qualified).starts_with(kLink);
}

} // namespace seam::recipes
