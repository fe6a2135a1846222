// LinkedList<T>: { head, tail: Option<NonNull<Node<T>>>, len }, Node { next, prev, element }.
// Option<NonNull<_>> is guaranteed pointer-sized with None as null, so a link is read as a
// plain address. Every node is its own allocation: one read per node is unavoidable, each of
// the whole node. A walk is bounded by `len` and the element budget, and a node seen twice is
// a cycle, marked instead of followed.
#include <unordered_set>

#include <fmt/format.h>

#include "formatters/core/context.h"
#include "formatters/rust/rust_collections.h"
#include "formatters/rust/rust_layout.h"

namespace seam::rust_collections {
namespace {

// Lists up to this long are walked whole in format(), so that a broken chain makes the whole
// value an `<invalid: ...>` marker; longer ones are checked as their children are read.
constexpr uint64_t kVerifyNodes = 10'000;

// The first pointer's target inside `t` (fields, then variant members): Node<T> from the
// `head` field's Option<NonNull<Node<T>>>.
const Type* first_pointee(const Type* t, int depth = 0) {
    t = strip(t);
    if (!t || depth > 6) return nullptr;
    if (t->kind == TypeKind::Pointer) return t->target;
    for (const auto& f : t->fields)
        if (auto p = first_pointee(f.type, depth + 1)) return p;
    if (t->variant_part)
        for (const auto& var : t->variant_part->variants)
            if (auto p = first_pointee(var.member.type, depth + 1)) return p;
    return nullptr;
}

struct ListLayout {
    uint64_t head = 0;
    uint64_t tail = 0;
    uint64_t len = 0;
    const Type* node = nullptr;
    const Field* next = nullptr;
    const Field* element = nullptr;
};

Result<ListLayout> read_list(Context& ctx, const Value& v) {
    ListLayout l;
    const Type* t = strip(v.type);
    const Field* head = find_field(t, "head");
    if (!head) return err("{} has no field head", t->name);
    l.node = strip(first_pointee(head->type));
    l.next = find_field(l.node, "next");
    l.element = find_field(l.node, "element");
    if (!l.node || !l.next || !l.element || !l.node->has_size)
        return err("cannot find the node type of {}", t->name);
    auto h = ctx.read_uint(v, head->offset, 8);
    auto tl = ctx.uint_at(v, {"tail"});
    auto len = ctx.uint_at(v, {"len"});
    if (!h) return h.error();
    if (!tl) return tl.error();
    if (!len) return len.error();
    l.head = *h;
    l.tail = *tl;
    l.len = *len;
    return l;
}

struct Walker {
    Walker(Context& c, const ListLayout& layout) : ctx(c), l(layout), at(layout.head) {}
    Context& ctx;
    const ListLayout& l;
    uint64_t at;
    uint64_t index = 0;
    uint64_t last = 0;
    std::unordered_set<uint64_t> seen;

    // Reads the node at `at` and moves on; the node's bytes, or a finished marker.
    Result<std::shared_ptr<const std::vector<std::byte>>> step() {
        if (index >= l.len) return err("<invalid: list longer than its len {}>", l.len);
        if (at == 0) return err("<invalid: list ends after {} of {} nodes>", index, l.len);
        if (!seen.insert(at).second)
            return err("<invalid: cycle: node {} at {:#x} was already visited>", index, at);
        std::vector<std::byte> bytes(l.node->size);
        if (auto st = ctx.read(at, bytes); !st)
            return err("<error: cannot read {} bytes at {:#x}>", l.node->size, at);
        auto shared = std::make_shared<const std::vector<std::byte>>(std::move(bytes));
        uint64_t next = 0;
        for (int i = 7; i >= 0; --i)
            next = next << 8 | std::to_integer<uint8_t>((*shared)[l.next->offset + i]);
        last = at;
        at = next;
        ++index;
        return shared;
    }
};

class LinkedListFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.linked_list"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct &&
               has_path(&t, "alloc::collections::linked_list::LinkedList");
    }
    Formatted format(Context& ctx, const Value& v) const override {
        auto l = read_list(ctx, v);
        if (!l) return error_value(rust_layout::marker(l.error()));
        if ((l->len == 0) != (l->head == 0))
            return error_value(fmt::format("<invalid: len {} with head {:#x}>", l->len, l->head));
        if (l->len <= kVerifyNodes) {
            Walker w(ctx, *l);
            while (w.index < l->len)
                if (auto node = w.step(); !node) return error_value(node.error().message);
            if (w.at != 0)
                return error_value(fmt::format("<invalid: list longer than its len {}>", l->len));
            if (w.last != l->tail)
                return error_value(fmt::format("<invalid: tail {:#x} is not the last node {:#x}>",
                                               l->tail, w.last));
        }
        Formatted f;
        f.shape = Shape::List;
        f.count = l->len;
        f.type_name = rust_layout::display_name(v.type);
        f.summary = fmt::format("len={}", l->len);
        f.own.kind = OwnKind::Owned;
        f.own.address = l->head;
        f.own.size = l->len * l->node->size;
        f.own.length = l->len;
        f.own.note = "one allocation per node";
        return f;
    }
    // The list owns every node (its PhantomData<Box<Node<T>>> says so; Drop frees each): node
    // i is part `[i]` of the list, whatever link leads to it.
    bool has_parts() const override { return true; }
    Status parts(Context& ctx, const Value& v, PartSink& sink) const override {
        auto l = read_list(ctx, v);
        if (!l) return Error{rust_layout::marker(l.error())};
        if ((l->len == 0) != (l->head == 0))
            return err("<invalid: len {} with head {:#x}>", l->len, l->head);
        const std::string type = rust_layout::display_name(l->node);
        Walker w(ctx, *l);
        while (w.index < l->len) {
            if (!ctx.take_elements(1))
                return err("<budget: more than {} elements>", ctx.budget().max_elements);
            const uint64_t i = w.index, at = w.at;
            if (at != 0) ctx.prefetch(at, at + l->node->size, true);
            if (auto node = w.step(); !node) return node.error();
            Part p;
            p.address = at;
            p.size = l->node->size;
            p.type_name = type;
            p.path = fmt::format("[{}]", i);
            p.note = fmt::format("LinkedList node {}", i);
            p.contents.emplace_back(
                l->element->name, Value::at(l->node, at).sub(l->element->type, l->element->offset));
            if (!sink.part(std::move(p))) return ok_status();
        }
        if (w.at != 0) return err("<invalid: list longer than its len {}>", l->len);
        if (w.last != l->tail)
            return err("<invalid: tail {:#x} is not the last node {:#x}>", l->tail, w.last);
        return ok_status();
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        auto l = read_list(ctx, v);
        if (!l) return {Child{"", Value::leaf(rust_layout::marker(l.error())), std::nullopt}};
        std::vector<Child> out;
        Walker w(ctx, *l);
        // Nodes before `start` are walked but not shown: they count against the budget too.
        while (w.index < start + count) {
            if (w.index < start && !ctx.take_elements(1)) {
                out.push_back(
                    Child{"", Value::leaf("<budget: element limit reached>"), std::nullopt});
                break;
            }
            uint64_t i = w.index;
            auto node = w.step();
            if (!node) {
                out.push_back(
                    Child{fmt::format("[{}]", i), Value::leaf(node.error().message), std::nullopt});
                break;
            }
            if (i < start) continue;
            Value n;
            n.type = l->node;
            n.bytes = *node;
            out.push_back(Child{fmt::format("[{}]", i), n.sub(l->element->type, l->element->offset),
                                std::nullopt});
        }
        return out;
    }
};

} // namespace

std::unique_ptr<Formatter> make_linked_list_formatter() {
    return std::make_unique<LinkedListFormatter>();
}

} // namespace seam::rust_collections
