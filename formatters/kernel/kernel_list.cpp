// kernel::list::List<T, ID> (6.12): `first` points at the first element's ListLinksFields
// { next, prev } (inside its `ListLinks<ID>`, an Opaque), not at a sentinel: the list is the
// circle of elements alone, and an empty list has a null `first`. Each element T is the `data`
// of a ListArc'd ArcInner; its links sit at the offset of its ListLinks<ID> field, and where it
// has an AtomicTracker<ID> field that tracker must say a ListArc exists (the list holds it).
// The walk checks every link both ways and the trackers, bounded by the element budget, so a
// corrupt list is a marked error, never a hang. The kernel gives List no Debug: seam shows the
// elements as a list, `[Item { .. }, ..]`. In the ownership graph the list shares each element
// through the ListArc it keeps for it (memory_children).
#include <fmt/format.h>

#include <cstring>

#include "formatters/kernel/kernel_parts.h"
#include "formatters/rust/rust_layout.h"
#include "formatters/rust/rust_std_support.h"

namespace seam::kernel {
namespace {

struct Layout {
    const Type* elem = nullptr;
    uint64_t links = 0;              ///< offset of the ListLinksFields in T
    uint64_t next = 0, prev = 0;     ///< offsets of next and prev in ListLinksFields
    std::optional<uint64_t> tracker; ///< offset of the tracker's bool in T
};

const Field* field_of_path(const Type* t, std::string_view path) {
    for (const Field& f : t->fields)
        if (has_path(strip(f.type), path)) return &f;
    return nullptr;
}

Result<Layout> layout_of(Context& ctx, const Type& list) {
    Layout l;
    l.elem = template_arg(&list, 0);
    const Type* elem = strip(l.elem);
    if (!elem || elem->kind != TypeKind::Struct) return err("{} names no element type", list.name);
    const Field* links = field_of_path(elem, "kernel::list::ListLinks");
    if (!links) return err("{} has no ListLinks field", elem->name);
    // Where the ListLinksFields sit inside the ListLinks (through its Opaque), from the DWARF.
    Value fields = see_through(Value::at(links->type, 0));
    auto inner = ctx.field(fields, "inner");
    if (inner) fields = see_through(*inner);
    const Type* ft = strip(fields.type);
    const Field* next = find_field(ft, "next");
    const Field* prev = find_field(ft, "prev");
    if (!next || !prev) return err("{} has no next and prev links", links->type->name);
    l.links = links->offset + fields.address.value_or(0);
    l.next = next->offset;
    l.prev = prev->offset;
    if (const Field* tracker = field_of_path(elem, "kernel::list::arc::AtomicTracker")) {
        Value flag = see_through(Value::at(tracker->type, 0));
        auto inner_flag = ctx.field(flag, "inner");
        l.tracker = tracker->offset + (inner_flag ? inner_flag->address.value_or(0) : 0);
    }
    return l;
}

struct Walk {
    uint64_t count = 0;
    std::vector<uint64_t> elements; ///< addresses of the elements of the page asked for
};

Result<Walk> walk(Context& ctx, const Value& v, const Layout& l, uint64_t first_wanted,
                  uint64_t wanted) {
    auto head = ctx.uint_at(v, {"first"});
    if (!head) return head.error();
    Walk w;
    if (*head == 0) return w;
    uint64_t prev = 0, cur = *head;
    for (;;) {
        if (cur == 0)
            return err("<invalid: list link {} is null: the list is not circular>", w.count);
        if (!ctx.take_elements(1))
            return err("<budget: list walk stopped after {} elements>", w.count);
        Value node = Value::at(nullptr, cur); // raw words: read by offset, no type needed
        auto next = ctx.read_uint(node, l.next, 8);
        auto back = ctx.read_uint(node, l.prev, 8);
        if (!next || !back)
            return err("<invalid: list element {} at {:#x} cannot be read>", w.count,
                       cur - l.links);
        if (prev != 0 && *back != prev)
            return err("<invalid: list element {} at {:#x} has prev {:#x}, not {:#x}: the list is "
                       "broken>",
                       w.count, cur - l.links, *back, prev);
        uint64_t element = cur - l.links;
        if (l.tracker) {
            auto tracked = ctx.read_uint(Value::at(nullptr, element), *l.tracker, 1);
            if (tracked && *tracked == 0)
                return err("<invalid: list element {} at {:#x} is linked but its tracker says no "
                           "ListArc exists>",
                           w.count, element);
        }
        if (w.count >= first_wanted && w.count - first_wanted < wanted)
            w.elements.push_back(element);
        ++w.count;
        prev = cur;
        cur = *next;
        if (cur == *head) break;
    }
    // The circle closes: the first element's prev is the last.
    auto first_prev = ctx.read_uint(Value::at(nullptr, *head), l.prev, 8);
    if (first_prev && *first_prev != prev)
        return err("<invalid: the first element's prev is {:#x}, not the last element's links "
                   "{:#x}>",
                   *first_prev, prev);
    return w;
}

// The ListArc<T, ID> the list holds for each element (`List::push_back` takes one and keeps it
// as the element's links): its type, where its ArcInner pointer sits (`arc.ptr.pointer`) and
// where T sits in the ArcInner (`data`). None when the DWARF has no ListArc of this T.
struct Holder {
    const Type* list_arc = nullptr;
    uint64_t pointer = 0; ///< offset of the NonNull<ArcInner<T>> in ListArc
    uint64_t data = 0;    ///< offset of T in ArcInner<T>
};

std::optional<Holder> holder_of(Context& ctx, const Type& list) {
    const std::string_view q = list.qualified;
    const size_t args = q.find('<');
    if (!ctx.types() || args == std::string_view::npos) return std::nullopt;
    const Type* la =
        strip(ctx.types()->find_type(fmt::format("kernel::list::arc::ListArc{}", q.substr(args))));
    if (!la || !la->has_size || la->size < 8) return std::nullopt;
    Holder h{la, 0, 0};
    const Type* t = la;
    for (std::string_view name : {"arc", "ptr", "pointer"}) {
        const Field* f = find_field(t, name);
        if (!f) return std::nullopt;
        h.pointer += f->offset;
        t = strip(f->type);
    }
    const Type* inner = t && t->kind == TypeKind::Pointer ? strip(t->target) : nullptr;
    const Field* data = inner ? find_field(inner, "data") : nullptr;
    if (!data || h.pointer + 8 > la->size) return std::nullopt;
    h.data = data->offset;
    return h;
}

class ListFormatter final : public Formatter {
public:
    std::string_view name() const override { return "kernel.list"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && has_path(&t, "kernel::list::List");
    }
    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        auto l = layout_of(ctx, t);
        if (!l) return error_value(fmt::format("<error: {}>", l.error().message));
        auto w = walk(ctx, v, *l, 0, 0);
        if (!w) return error_value(rust_layout::marker(w.error()));
        Formatted f;
        f.shape = Shape::List;
        f.count = w->count;
        f.type_name = rust_layout::display_name(&t);
        f.summary = fmt::format("len={}", w->count);
        f.own.kind = OwnKind::Owned;
        f.own.length = w->count;
        f.own.note = "ListArc elements";
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        auto l = layout_of(ctx, *strip(v.type));
        if (!l) return {rust_std::error_child("", l.error())};
        auto w = walk(ctx, v, *l, start, count);
        if (!w) return {rust_std::error_child("", w.error())};
        std::vector<Child> out;
        for (size_t i = 0; i < w->elements.size(); ++i)
            out.push_back(Child{fmt::format("[{}]", start + i), Value::at(l->elem, w->elements[i]),
                                std::nullopt});
        return out;
    }
    // For the ownership graph: each element as the ListArc the list holds for it, so that the
    // list shares each element's ArcInner (an allocation of its own) rather than holding the
    // elements in place.
    std::vector<Child> memory_children(Context& ctx, const Value& v, uint64_t start,
                                       uint64_t count) const override {
        const Type& t = *strip(v.type);
        auto h = holder_of(ctx, t);
        if (!h) return children(ctx, v, start, count);
        auto l = layout_of(ctx, t);
        if (!l) return {rust_std::error_child("", l.error())};
        auto w = walk(ctx, v, *l, start, count);
        if (!w) return {rust_std::error_child("", w.error())};
        std::vector<Child> out;
        for (size_t i = 0; i < w->elements.size(); ++i) {
            std::vector<std::byte> arc(h->list_arc->size);
            const uint64_t inner = w->elements[i] - h->data;
            std::memcpy(arc.data() + h->pointer, &inner, 8);
            out.push_back(Child{fmt::format("[{}]", start + i),
                                Value::held(h->list_arc, std::move(arc)), std::nullopt});
        }
        return out;
    }
};

} // namespace

std::unique_ptr<Formatter> make_list_formatter() {
    return std::make_unique<ListFormatter>();
}

} // namespace seam::kernel
