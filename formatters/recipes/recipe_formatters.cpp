// Formatters driven by the installed recipes (recipe_store.h). Each adds the recipe's meaning to
// what the formatter the type would otherwise get already shows: the same Debug text and
// children, with the ownership fact and summary line the recipe states. A value the recipe
// cannot be applied to (a missing field, an unreadable count) keeps its plain view and says why
// in the fact's note, so a wrong recipe never hides a value.
#include <fmt/format.h>

#include "formatters/c/c_parts.h"
#include "formatters/core/context.h"
#include "formatters/kernel/kernel_parts.h"
#include "formatters/recipes/recipe_store.h"
#include "formatters/rust/families.h"
#include "formatters/rust/rust_std_support.h"

namespace seam::recipes {
namespace {

Result<uint64_t> pointer_at(Context& ctx, const Value& v);

// What a pointer step of a path leads to: the value a Box, a reference, a raw or a C pointer
// points at, as Rust's field access derefs it (`stream.inner.state` through a Box<z_stream>).
Result<Value> pointee(Context& ctx, const Value& v) {
    const Type* t = strip(v.type);
    const Type* target = t && t->kind == TypeKind::Pointer ? t->target : rust_std::pointee_of(v);
    if (!target) return err("not a pointer");
    auto address = pointer_at(ctx, v);
    if (!address) return address.error();
    if (*address == 0) return err("a NULL pointer");
    return Value::at(target, *address);
}

// The value at a dotted field path under `v`; a step that names no field of a pointer names one
// of what it points at.
Result<Value> at_path(Context& ctx, const Value& v, const std::string& path) {
    auto steps = split_path(path);
    if (!steps) return steps.error();
    Value cur = v;
    for (const auto& s : *steps) {
        auto next = ctx.field(cur, s);
        if (!next) {
            auto target = pointee(ctx, cur);
            if (target) next = ctx.field(*target, s);
            if (!next)
                return err("no field `{}` on the path `{}`{}", s, path,
                           target || target.error().message == "not a pointer"
                               ? ""
                               : " (" + target.error().message + ")");
        }
        cur = *next;
    }
    return cur;
}

// An integer read through single-member wrappers (atomic_t, refcount_t, Cell, AtomicUsize).
Result<int64_t> count_at(Context& ctx, Value v) {
    for (int depth = 0; depth < 6; ++depth) {
        const Type* t = strip(v.type);
        if (!t) return err("the count has no type");
        if (t->kind == TypeKind::Base && t->size >= 1 && t->size <= 8) {
            auto raw = ctx.read_uint(v, 0, t->size);
            if (!raw) return raw.error();
            if (t->encoding == Encoding::Signed && t->size < 8) {
                const unsigned bits = unsigned(t->size) * 8;
                return int64_t(*raw << (64 - bits)) >> (64 - bits);
            }
            return int64_t(*raw);
        }
        if ((t->kind == TypeKind::Struct || t->kind == TypeKind::Union) && !t->fields.empty()) {
            v = v.sub(t->fields[0].type, t->fields[0].offset);
            continue;
        }
        return err("the count is a `{}`, not an integer", t->name);
    }
    return err("the count is nested too deep");
}

Result<uint64_t> pointer_at(Context& ctx, const Value& v) {
    const Type* t = strip(v.type);
    if (!t) return err("no type");
    // A Rust NonNull or Unique wraps the pointer: its first member, down to the pointer.
    Value cur = v;
    for (int depth = 0; depth < 4 && t && t->kind == TypeKind::Struct && !t->fields.empty();
         ++depth) {
        cur = cur.sub(t->fields[0].type, t->fields[0].offset);
        t = strip(cur.type);
    }
    if (!t || t->kind != TypeKind::Pointer) return err("`{}` is not a pointer", v.type->name);
    return ctx.read_uint(cur, 0, 8);
}

// The pointer at a dotted field path under `v`.
Result<uint64_t> pointer_at_path(Context& ctx, const Value& v, const std::string& path) {
    auto field = at_path(ctx, v, path);
    if (!field) return field.error();
    return pointer_at(ctx, *field);
}

std::string where(const Origin& o) {
    return fmt::format("recipe {}:{}", o.file, o.line);
}

// Formats through the formatter the type has without recipes.
class AddingFormatter : public Formatter {
public:
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        const Formatter* next = next_formatter(ctx.registry(), this, *strip(v.type));
        return next ? next->children(ctx, v, start, count) : std::vector<Child>{};
    }

protected:
    Formatted plain(Context& ctx, const Value& v) const {
        const Formatter* next = next_formatter(ctx.registry(), this, *strip(v.type));
        if (!next) return error_value(fmt::format("<error: no formatter for {}>", v.type->name));
        return next->format(ctx, v);
    }
};

class OwnsFormatter final : public AddingFormatter {
public:
    std::string_view name() const override { return "recipe.owns"; }
    bool matches(const Type& t) const override { return names_type(t) && owns_rule(t); }
    Formatted format(Context& ctx, const Value& v) const override {
        Formatted f = plain(ctx, v);
        if (f.shape == Shape::Error) return f;
        auto rule = owns_rule(*strip(v.type));
        if (!rule) return f;
        auto p = pointer_at_path(ctx, v, rule->field);
        if (!p) {
            f.own.note = fmt::format("{}: {}", where(rule->origin), p.error().message);
            return f;
        }
        f.own = Ownership{};
        f.own.kind = OwnKind::Owned;
        f.own.address = *p;
        f.own.note =
            fmt::format("C object released by {} ({})", rule->release, where(rule->origin));
        f.summary = *p == 0 ? fmt::format("owns nothing ({} is NULL)", rule->field)
                            : fmt::format("owns C {:#x} (released by {})", *p, rule->release);
        return f;
    }
};

class SharedFormatter final : public AddingFormatter {
public:
    std::string_view name() const override { return "recipe.shared"; }
    bool matches(const Type& t) const override { return names_type(t) && shared_rule(t); }
    Formatted format(Context& ctx, const Value& v) const override {
        Formatted f = plain(ctx, v);
        if (f.shape == Shape::Error) return f;
        auto rule = shared_rule(*strip(v.type));
        if (!rule) return f;
        auto c = at_path(ctx, v, rule->count);
        auto n = c ? count_at(ctx, *c) : Result<int64_t>(c.error());
        if (!n) {
            f.own.note = fmt::format("{}: count: {}", where(rule->origin), n.error().message);
            return f;
        }
        f.own = Ownership{};
        f.own.kind = OwnKind::Shared;
        f.own.strong = *n;
        f.own.note = where(rule->origin);
        f.summary = fmt::format("strong={}", *n);
        if (!rule->value.empty()) {
            if (auto p = pointer_at_path(ctx, v, rule->value)) f.own.address = *p;
        }
        if (*n == 0) f.summary += " (zero: freed or being freed)";
        return f;
    }
};

// A C `void *` that a [[holds]] rule says holds a Rust value given away: the value, with the
// `crossing` fact. Box::into_raw and Arc::into_raw/Rc::into_raw all hand out the address of the
// value itself; an Arc's or Rc's counts sit before it, in the ArcInner/RcBox the DWARF lays out.
class HeldFormatter final : public Formatter {
public:
    std::string_view name() const override { return "recipe.holds"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Pointer && held_view_of(t);
    }
    Formatted format(Context& ctx, const Value& v) const override {
        auto view = held_view_of(*strip(v.type));
        auto p = ctx.read_uint(v, 0, 8);
        if (!p) return error_value(fmt::format("<error: {}>", p.error().message));
        const std::string held =
            fmt::format("{}<{}>", held_kind_name(view->rule.kind), view->rule.target);
        // NULL is the leaf `0x0`; anything else shows the value it holds (Transparent).
        Formatted f = leaf(*p == 0 ? "0x0" : "");
        f.type_name = held;
        f.own.kind = OwnKind::Crossing;
        f.own.address = *p;
        if (*p == 0) {
            f.own.note = fmt::format("holds no {} ({})", held, where(view->rule.origin));
            return f;
        }
        f.shape = Shape::Transparent;
        f.count = 1;
        if (view->target->has_size) f.own.size = view->target->size;
        f.own.note = fmt::format("{} given to C ({})", held, where(view->rule.origin));
        f.summary = fmt::format("{} given to C at {:#x}", held, *p);
        if (view->rule.kind == HeldKind::KernelArc) {
            // C holds the ArcInner; its refcount_t is the only count (there is no weak one).
            auto inner = kernel_arc_inner(ctx, *view, *p);
            if (!inner) {
                f.own.note += "; count: " + inner.error().message;
            } else {
                f.own.strong = inner->count;
                f.summary += fmt::format(" refcount={}", inner->count);
            }
        } else if (view->rule.kind == HeldKind::Arc || view->rule.kind == HeldKind::Rc) {
            auto counts = shared_counts(ctx, *view, *p);
            if (!counts) {
                f.own.note += "; counts: " + counts.error().message;
            } else {
                f.own.strong = counts->first;
                f.own.weak = counts->second;
                f.own.address = counts->inner;
                f.summary += fmt::format(" strong={} weak={}", counts->first, counts->second);
            }
        }
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        auto view = held_view_of(*strip(v.type));
        auto p = ctx.read_uint(v, 0, 8);
        if (start != 0 || count == 0 || !p || *p == 0) return {};
        Child c;
        c.label = "*";
        c.value = Value::at(view->target, *p);
        if (view->rule.kind == HeldKind::KernelArc) {
            auto inner = kernel_arc_inner(ctx, *view, *p);
            if (!inner) return {Child{"*", Value::leaf(inner.error().message), std::nullopt}};
            c.value = inner->data;
        }
        return {c};
    }

private:
    struct Counts {
        int64_t first = 0, second = 0;
        uint64_t inner = 0;
    };
    struct KernelInner {
        Value data;
        int64_t count = 0;
    };
    // The kernel's `ArcInner<T> { refcount, data }` at `inner`, as the DWARF lays it out.
    static Result<KernelInner> kernel_arc_inner(Context& ctx, const HeldView& view,
                                                uint64_t inner) {
        if (!ctx.types()) return err("no type index");
        const Type* t = strip(ctx.types()->find_type(
            fmt::format("kernel::sync::arc::ArcInner<{}>", view.rule.target)));
        if (!t) return err("the program has no kernel ArcInner of {}", view.rule.target);
        Value at = Value::at(t, inner);
        auto data = ctx.field(at, "data");
        auto refcount = ctx.field(at, "refcount");
        if (!data || !refcount) return err("unexpected layout of {}", t->name);
        auto n = kernel::read_refcount(ctx, *refcount);
        if (!n) return n.error();
        return KernelInner{*data, *n};
    }
    // The counts of the ArcInner<T> / RcBox<T> (RcInner<T> since Rust 1.83) whose value is at
    // `value`; strong and weak as the DWARF places them. Weak counts one for all strong
    // references together (std's convention): shown as std stores it, less that one.
    static Result<Counts> shared_counts(Context& ctx, const HeldView& view, uint64_t value) {
        if (!ctx.types()) return err("no type index");
        const Type* inner = nullptr;
        const char* data = "data";
        if (view.rule.kind == HeldKind::Arc) {
            inner =
                ctx.types()->find_type(fmt::format("alloc::sync::ArcInner<{}>", view.rule.target));
        } else {
            data = "value";
            for (const char* n : {"alloc::rc::RcInner<{}>", "alloc::rc::RcBox<{}>"})
                if (!inner)
                    inner = ctx.types()->find_type(fmt::format(fmt::runtime(n), view.rule.target));
        }
        inner = strip(inner);
        if (!inner) return err("the program has no ArcInner/RcBox of {}", view.rule.target);
        const Field* d = find_field(inner, data);
        const Field* strong = find_field(inner, "strong");
        const Field* weak = find_field(inner, "weak");
        if (!d || !strong || !weak || value < d->offset) return err("unexpected layout");
        Counts c;
        c.inner = value - d->offset;
        Value at = Value::at(inner, c.inner);
        auto s = count_at(ctx, at.sub(strong->type, strong->offset));
        auto w = count_at(ctx, at.sub(weak->type, weak->offset));
        if (!s) return s.error();
        if (!w) return w.error();
        c.first = *s;
        c.second = *w - 1;
        return c;
    }
};

// A pointer to a C struct that a [[list]] rule links through `next`: the list it starts,
// NULL-terminated, each element the struct itself with its own `next` shown as the address.
class LinkedListFormatter final : public Formatter {
public:
    std::string_view name() const override { return "recipe.list"; }
    bool matches(const Type& t) const override {
        const Type* node = strip(t.target);
        return t.kind == TypeKind::Pointer && !is_plain_link(t) && node && names_type(*node) &&
               list_rule(*node);
    }
    Formatted format(Context& ctx, const Value& v) const override {
        auto nodes = walk(ctx, v, 0, 0);
        if (!nodes) return error_value(nodes.error().message);
        Formatted f;
        f.shape = Shape::List;
        f.count = nodes->count;
        f.type_name = v.type->name;
        f.summary = fmt::format("len={}", nodes->count);
        f.own.kind = OwnKind::C;
        f.own.length = nodes->count;
        auto head = ctx.read_uint(v, 0, 8);
        if (head) f.own.address = *head;
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        auto nodes = walk(ctx, v, start, count);
        if (!nodes) return {Child{"[error]", Value::leaf(nodes.error().message), std::nullopt}};
        const Type* node = strip(strip(v.type)->target);
        auto rule = list_rule(*node);
        const Type* plain = rule ? plain_node_type(node, *rule) : node;
        std::vector<Child> out;
        for (size_t i = 0; i < nodes->addresses.size(); ++i)
            out.push_back(Child{fmt::format("[{}]", start + i),
                                Value::at(plain, nodes->addresses[i]), std::nullopt});
        return out;
    }

private:
    struct Nodes {
        uint64_t count = 0;
        std::vector<uint64_t> addresses; ///< of entries start .. start+want
    };
    // Bounded by the element budget; a node seen twice (a cycle) is an error, found by Brent's
    // method without remembering every node.
    static Result<Nodes> walk(Context& ctx, const Value& v, uint64_t start, uint64_t want) {
        const Type* node = strip(strip(v.type)->target);
        auto rule = list_rule(*node);
        if (!rule) return err("<error: no list recipe for {}>", node->name);
        const Field* next = find_field(node, rule->next);
        if (!next)
            return err("<error: {}: `{}` has no member `{}`>", where(rule->origin), node->name,
                       rule->next);
        auto cur = ctx.read_uint(v, 0, 8);
        if (!cur) return err("<error: {}>", cur.error().message);
        Nodes n;
        uint64_t tortoise = *cur, power = 1, lam = 0;
        while (*cur != 0) {
            if (!ctx.take_elements(1))
                return err(
                    "<error: the list goes on past {} entries (the element budget): not shown>",
                    n.count);
            if (n.count >= start && n.count - start < want) n.addresses.push_back(*cur);
            ++n.count;
            auto nx = ctx.read_uint(Value::at(node, *cur), next->offset, 8);
            if (!nx)
                return err("<invalid: list entry {} at {:#x} cannot be read: {}>", n.count - 1,
                           *cur, nx.error().message);
            cur = *nx;
            if (*cur == tortoise && *cur != 0)
                return err("<invalid: the list loops back to {:#x} after {} entries>", *cur,
                           n.count);
            if (++lam == power) tortoise = *cur, power *= 2, lam = 0;
        }
        return n;
    }
};

} // namespace

void register_recipe_formatters(Registry& r) {
    r.add(std::make_unique<OwnsFormatter>());
    r.add(std::make_unique<SharedFormatter>());
    r.add(std::make_unique<HeldFormatter>());
    r.add(std::make_unique<LinkedListFormatter>());
}

} // namespace seam::recipes
