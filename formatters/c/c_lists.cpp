// The kernel's intrusive lists, as C code and the kernel crate's bindings hold them:
//   struct list_head  { struct list_head *next, *prev; }     circular, the head links to itself
//   struct hlist_head { struct hlist_node *first; }           NULL-terminated
//   struct hlist_node { struct hlist_node *next, **pprev; }
// A head alone says nothing of what it links (container_of is the code's knowledge), so a plain
// head shows its raw links and, on the summary line, its length or what is wrong with it. Once
// the element is known (ContainerHints: `seam print --container`, a recipe), the head is formatted
// as a list of the containing structs. Offsets come from the DWARF; the walk is bounded by the
// element budget and checks every link, so a corrupt list gives a marked error, never a hang.
#include <fmt/format.h>

#include "formatters/c/c_parts.h"
#include "formatters/core/container_hints.h"

namespace seam::c_values {
namespace {

enum class ListKind { Circular, HList };

std::optional<ListKind> list_kind(const Type& t) {
    if (t.kind != TypeKind::Struct) return std::nullopt;
    std::optional<ListKind> kind;
    if (t.name == "list_head" && find_field(&t, "next") && find_field(&t, "prev"))
        kind = ListKind::Circular;
    else if (t.name == "hlist_head" && find_field(&t, "first"))
        kind = ListKind::HList;
    // A view made by list_view_type is a head of either side under a name of seam's own.
    if (kind && (is_c_record(t) || list_view_of(t))) return kind;
    return std::nullopt;
}

// list_del() leaves these in a deleted entry's links: the kernel's LIST_POISON1/2 with x86-64's
// POISON_POINTER_DELTA, and without it (user space, tools/include/linux/poison.h).
bool poisoned(uint64_t p) {
    for (uint64_t base : {0x100ull, 0x122ull})
        if (p == base || p == 0xdead000000000000ull + base) return true;
    return p == 0x00100100 || p == 0x00200200;
}

std::string bad_link(uint64_t p, uint64_t index) {
    if (p == 0) return fmt::format("<invalid: list link {} is NULL (never initialised?)>", index);
    return fmt::format("<invalid: list link {} is poisoned ({:#x}): a deleted entry is still "
                       "linked>",
                       index, p);
}

struct Walk {
    std::vector<uint64_t> nodes; ///< the link members' addresses, in order (start.. if paged)
    uint64_t count = 0;          ///< entries in the whole list
    bool complete = true;        ///< false: stopped at `limit` entries
};

// The entries of the list whose head is at `head`, recording the addresses of entries
// `first .. first+want`. Checks that each `next` is neither NULL nor poisoned and that the
// circular list's `prev` links agree, and stops after `limit` entries (complete = false).
Result<Walk> walk(Context& ctx, const Value& head, ListKind kind, uint64_t limit,
                  uint64_t first = 0, uint64_t want = 0) {
    const Type& t = *strip(head.type);
    Walk w;
    if (!head.address) return err("<error: a list head held outside memory cannot be walked>");
    const uint64_t h = *head.address;
    if (kind == ListKind::Circular) {
        const uint64_t next_off = find_field(&t, "next")->offset;
        const uint64_t prev_off = find_field(&t, "prev")->offset;
        uint64_t prev = h;
        auto cur = ctx.uint_at(head, {"next"});
        if (!cur) return err("<error: {}>", cur.error().message);
        for (;;) {
            if (*cur == h) break;
            if (*cur == 0 || poisoned(*cur)) return Error{bad_link(*cur, w.count)};
            if (w.count == limit || !ctx.take_elements(1)) {
                w.complete = false;
                break;
            }
            Value node = Value::at(&t, *cur);
            auto back = ctx.read_uint(node, prev_off, 8);
            if (!back)
                return err("<invalid: list entry {} at {:#x} cannot be read: {}>", w.count, *cur,
                           back.error().message);
            if (*back != prev)
                return err("<invalid: list entry {} at {:#x} has prev {:#x}, not {:#x}: the list "
                           "is broken>",
                           w.count, *cur, *back, prev);
            if (w.count >= first && w.count - first < want) w.nodes.push_back(*cur);
            ++w.count;
            prev = *cur;
            auto next = ctx.read_uint(node, next_off, 8);
            if (!next) return err("<error: {}>", next.error().message);
            cur = *next;
        }
        return w;
    }
    // hlist_node { next, pprev }: the offset of `next` from the node type the head's `first`
    // points at, looked up once for the walk.
    const Type* node_t = strip(strip(find_field(&t, "first")->type)->target);
    const Field* next = node_t ? find_field(node_t, "next") : nullptr;
    if (!next) return err("<error: hlist_node without a `next` member>");
    auto cur = ctx.uint_at(head, {"first"});
    if (!cur) return err("<error: {}>", cur.error().message);
    while (*cur != 0) {
        if (poisoned(*cur)) return Error{bad_link(*cur, w.count)};
        if (w.count == limit || !ctx.take_elements(1)) {
            w.complete = false;
            break;
        }
        if (w.count >= first && w.count - first < want) w.nodes.push_back(*cur);
        ++w.count;
        auto n = ctx.read_uint(Value::at(node_t, *cur), next->offset, 8);
        if (!n)
            return err("<invalid: hlist entry {} at {:#x} cannot be read: {}>", w.count - 1, *cur,
                       n.error().message);
        cur = *n;
    }
    return w;
}

// How many entries a plain head's summary counts before it says `len>N`: the summary is made
// for every head shown, also the link member of every entry of a list being printed.
constexpr uint64_t kSummaryEntries = 10'000;

// A plain head: its raw links as children, its length (or what is wrong) on the summary line.
class HeadFormatter final : public Formatter {
public:
    explicit HeadFormatter(const Formatter* record) : m_record(record) {}
    std::string_view name() const override { return "c.list_head"; }
    bool matches(const Type& t) const override { return list_kind(t) && !list_view_of(t); }
    Formatted format(Context& ctx, const Value& v) const override {
        Formatted f = m_record->format(ctx, v);
        if (f.shape == Shape::Error) return f;
        auto w = walk(ctx, v, *list_kind(*strip(v.type)), kSummaryEntries);
        if (!w) {
            f.summary = w.error().message;
            return f;
        }
        f.own.length = w->count;
        f.summary = !w->complete    ? fmt::format("len>{}", w->count)
                    : w->count == 0 ? std::string("empty")
                                    : fmt::format("len={}", w->count);
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        return m_record->children(ctx, v, start, count);
    }

private:
    const Formatter* m_record;
};

// A head whose element is known: a list of the containing structs, `[child { .. }, ..]`.
class ListViewFormatter final : public Formatter {
public:
    std::string_view name() const override { return "c.list"; }
    bool matches(const Type& t) const override { return list_kind(t) && list_view_of(t); }
    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        auto view = list_view_of(t);
        auto w = walk(ctx, v, *list_kind(t), ctx.budget().max_elements);
        if (!w) return error_value(w.error().message);
        if (!w->complete)
            return error_value(fmt::format("<error: the list goes on past {} entries (the element "
                                           "budget): not shown>",
                                           w->count));
        Formatted f;
        f.shape = Shape::List;
        f.count = w->count;
        f.type_name = c_type_name(v.type);
        f.summary = fmt::format("len={}", w->count);
        f.own.kind = OwnKind::C;
        if (v.address) f.own.address = *v.address;
        f.own.length = w->count;
        f.own.note =
            fmt::format("entries: {} linked by {}", c_type_name(view->element), view->link);
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        const Type& t = *strip(v.type);
        auto view = list_view_of(t);
        auto w = walk(ctx, v, *list_kind(t), ctx.budget().max_elements, start, count);
        if (!w) return {make_child("[error]", Value::leaf(w.error().message))};
        std::vector<Child> out;
        for (size_t i = 0; i < w->nodes.size(); ++i)
            out.push_back(make_child(fmt::format("[{}]", start + i),
                                     Value::at(view->element, w->nodes[i] - view->link_offset)));
        return out;
    }
};

} // namespace

std::unique_ptr<Formatter> make_list_view_formatter() {
    return std::make_unique<ListViewFormatter>();
}
std::unique_ptr<Formatter> make_list_head_formatter(const Formatter* record) {
    return std::make_unique<HeadFormatter>(record);
}

} // namespace seam::c_values
