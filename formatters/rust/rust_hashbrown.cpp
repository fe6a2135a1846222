// HashMap and HashSet: std's wrappers over hashbrown's SwissTable, and hashbrown's own types.
//
// Layout (hashbrown 0.16, rustc 1.95; every offset below is read from DWARF by field name):
//   std HashMap<K, V, S>  { base: hashbrown::map::HashMap<K, V, S> { hash_builder, table } }
//   std HashSet<T, S>     { base: hashbrown::set::HashSet<T, S> { map: HashMap<T, (), S> } }
//   RawTable<T = (K, V)>  { table: RawTableInner { ctrl, bucket_mask, growth_left, items } }
// `ctrl` points at `bucket_mask + 1 + Group::WIDTH` control bytes; a byte with its top bit clear
// marks a full bucket (EMPTY is 0xff, DELETED 0x80). The buckets live *below* `ctrl`, in
// reverse: bucket i is the T at `ctrl - (i + 1) * size_of::<T>()`. Iteration (RawIter) walks the
// control bytes group by group and, inside a group, the full-slot bitmask from its lowest bit:
// ascending bucket index, which is the order `{:?}` prints. The trailing Group::WIDTH bytes only
// mirror the first ones (or stay EMPTY for a table smaller than a group), so reading
// `bucket_mask + 1` bytes is enough.
#include <algorithm>
#include <array>
#include <bit>

#include "formatters/core/context.h"
#include "formatters/rust/families.h"
#include "formatters/rust/map_support.h"

namespace seam {
namespace {

using namespace map_support;

// Group::WIDTH of the SSE2 implementation (x86-64); only the allocation's size depends on it.
constexpr uint64_t kGroupWidth = 16;
// Tables up to this many buckets have every control byte counted when formatted, so that an
// item count that disagrees with the table is reported; bigger ones are checked when walked.
constexpr uint64_t kVerifyBuckets = 16384;
// Control bytes are scanned in chunks of this many: the first page of a huge table is found
// without reading the whole control array.
constexpr uint64_t kCtrlChunk = 4096;
// A table up to this size is read whole by a renderer even when it shows only some items.
constexpr uint64_t kSmallTable = 64u << 10;
// A user-space address has 47 bits on x86-64: no table reaches further.
constexpr uint64_t kAddressLimit = 1ull << 47;

struct Table {
    uint64_t ctrl = 0;
    uint64_t bucket_mask = 0;
    uint64_t items = 0;
    uint64_t growth_left = 0;
    const Type* elem = nullptr; ///< RawTable's T: `(K, V)` for a map, `(T, ())` for a set
    uint64_t elem_size = 0;
    const Field* key = nullptr;   ///< elem's `__0`
    const Field* value = nullptr; ///< elem's `__1`
    uint64_t buckets() const { return bucket_mask + 1; }
};

// hashbrown's bucket_mask_to_capacity: small tables use all but one bucket, others 7/8.
uint64_t capacity_of(uint64_t bucket_mask) {
    if (bucket_mask < 8) return bucket_mask;
    return (bucket_mask + 1) / 8 * 7;
}

// Descends `base` / `map` / `table` until hashbrown's RawTable: one path serves std's and
// hashbrown's HashMap and HashSet alike.
Result<Value> find_raw_table(const Value& v) {
    Value cur = v;
    for (int hop = 0; hop < 5; ++hop) {
        const Type* t = strip(cur.type);
        if (has_path(t, "hashbrown::raw::RawTable")) return cur;
        const Field* next = nullptr;
        for (std::string_view name : {"base", "map", "table"})
            if ((next = find_field(t, name))) break;
        if (!next) return err("{} holds no hashbrown RawTable", t ? t->name : "<no type>");
        cur = cur.sub(next->type, next->offset);
    }
    return err("no hashbrown RawTable within 5 fields");
}

std::string invalid(std::string_view why) {
    return fmt::format("<invalid: {}>", why);
}

// Reads and checks the table header; every failure is already an `<invalid: ...>` text.
Result<Table> read_table(Context& ctx, const Value& v) {
    auto raw = find_raw_table(v);
    if (!raw) return Error{invalid(raw.error().message)};
    Table tb;
    tb.elem = strip(template_arg_named(strip(raw->type), "T"));
    if (!tb.elem || !tb.elem->has_size) return Error{invalid("RawTable has no element type")};
    tb.elem_size = tb.elem->size;
    tb.key = find_field(tb.elem, "__0");
    tb.value = find_field(tb.elem, "__1");
    if (!tb.key) return Error{invalid(fmt::format("{} is not a (K, V) tuple", tb.elem->name))};

    auto inner = ctx.field(*raw, "table");
    if (!inner) return Error{invalid(inner.error().message)};
    auto header = snapshot(ctx, *inner);
    if (!header)
        return Error{fmt::format("<error: table header unreadable: {}>", header.error().message)};
    auto ctrl_field = ctx.field(*header, "ctrl");
    if (!ctrl_field) return Error{invalid(ctrl_field.error().message)};
    auto ctrl = read_pointer(ctx, *ctrl_field);
    auto mask = ctx.uint_at(*header, {"bucket_mask"});
    auto items = ctx.uint_at(*header, {"items"});
    auto growth = ctx.uint_at(*header, {"growth_left"});
    if (!ctrl || !mask || !items || !growth)
        return Error{invalid("RawTableInner lacks ctrl, bucket_mask, items or growth_left")};
    tb.ctrl = ctrl->address;
    tb.bucket_mask = *mask;
    tb.items = *items;
    tb.growth_left = *growth;

    if (tb.bucket_mask & (tb.bucket_mask + 1))
        return Error{invalid(fmt::format("bucket mask {:#x} is not 2^n - 1", tb.bucket_mask))};
    if (tb.buckets() > kAddressLimit / std::max<uint64_t>(tb.elem_size + 1, 1))
        return Error{invalid(fmt::format("{} buckets cannot fit in memory", tb.buckets()))};
    if (tb.items > capacity_of(tb.bucket_mask))
        return Error{invalid(fmt::format("{} items exceed the capacity {} of {} buckets", tb.items,
                                         capacity_of(tb.bucket_mask), tb.buckets()))};
    if (tb.growth_left > capacity_of(tb.bucket_mask) - tb.items)
        return Error{invalid(fmt::format("growth_left {} exceeds the room left in {} buckets",
                                         tb.growth_left, tb.buckets()))};
    if (tb.ctrl == 0) return Error{invalid("null control bytes")};
    if (tb.ctrl < tb.buckets() * tb.elem_size)
        return Error{invalid(fmt::format("control bytes at {:#x} leave no room for {} buckets",
                                         tb.ctrl, tb.buckets()))};
    return tb;
}

bool is_full(std::byte ctrl) {
    return (std::to_integer<uint8_t>(ctrl) & 0x80) == 0;
}

// Counts the full control bytes of a small table: the cheap proof that `items` is right and
// that the control bytes are readable. Exactly the control bytes: a corrupted header must cost
// no more (the walk reads them again, with the buckets, in plan_reads' one read).
Status verify_items(Context& ctx, const Table& tb) {
    std::vector<std::byte> ctrl(tb.buckets());
    if (auto s = ctx.read(tb.ctrl, ctrl); !s)
        return err("<invalid: control bytes at {:#x} unreadable>", tb.ctrl);
    auto full = std::count_if(ctrl.begin(), ctrl.end(), is_full);
    if (uint64_t(full) != tb.items)
        return err("<invalid: {} full buckets but {} items>", full, tb.items);
    return ok_status();
}

// Calls `on_full(bucket)` for the full buckets from `from` on, in ascending order, until it
// returns false or `until` is reached; returns the bucket after the last one looked at. The
// control bytes are read a chunk at a time, chunks aligned to kCtrlChunk so that a page that
// resumes mid-chunk never straddles the ranges plan_reads declared. Fails with the marker of
// the chunk that cannot be read.
template <typename OnFull>
Result<uint64_t> scan_ctrl(Context& ctx, const Table& tb, uint64_t from, uint64_t until,
                           OnFull on_full) {
    std::vector<std::byte> chunk;
    for (uint64_t base = from; base < until;) {
        uint64_t end = std::min(until, (base / kCtrlChunk + 1) * kCtrlChunk);
        chunk.resize(end - base);
        if (auto s = ctx.read(tb.ctrl + base, chunk); !s)
            return err("<error: control bytes at {:#x}: {}>", tb.ctrl + base, s.error().message);
        for (uint64_t i = 0; i < chunk.size(); ++i)
            if (is_full(chunk[i]) && !on_full(base + i)) return base + i + 1;
        base = end;
    }
    return until;
}

// A renderer reads on from its first page to the children budget: the control bytes that hold
// those items, then the buckets they name, each declared as one range read whole. The control
// bytes' extent is estimated from the load factor with a margin (full buckets are spread
// uniformly by the hash); what the estimate misses is read in growing chunks. A paging client
// (no read-ahead) reads only what each page needs.
void plan_reads(Context& ctx, const Table& tb, uint64_t start, uint64_t count) {
    if (ctx.read_chunk() == 0 || tb.items == 0) return;
    const uint64_t want = std::min(tb.items, start + std::max(count, ctx.budget().max_children));
    if (want <= start) return;
    // The whole table, buckets below and control bytes above, in one read: when every item will
    // be shown and it fits one chunk, or when it is small anyway.
    const uint64_t table_bytes = tb.buckets() * tb.elem_size + tb.buckets();
    if ((want == tb.items && table_bytes <= ctx.read_chunk()) || table_bytes <= kSmallTable) {
        ctx.prefetch(tb.ctrl - tb.buckets() * tb.elem_size, tb.ctrl + tb.buckets(), true);
        return;
    }
    const unsigned __int128 spread =
        (unsigned __int128)want * tb.buckets() / tb.items * 9 / 8 + kCtrlChunk;
    uint64_t extent = uint64_t(std::min<unsigned __int128>(spread, tb.buckets()));
    extent = std::min(tb.buckets(), (extent + kCtrlChunk - 1) / kCtrlChunk * kCtrlChunk);
    // The buckets below the control bytes, in growing chunks walking down, for what the exact
    // range below does not cover.
    ctx.prefetch(tb.ctrl - tb.buckets() * tb.elem_size, tb.ctrl, false, true);
    const uint64_t used = ctx.usage().bytes, budget = ctx.budget().max_bytes;
    if (extent > (budget > used ? budget - used : 0) / 4) {
        // More control bytes than the budget can afford to look ahead (a sparse table, or a
        // garbage bucket mask): the walk reads them in growing chunks, up to the budget's marker.
        ctx.prefetch(tb.ctrl, tb.ctrl + tb.buckets(), false, false);
        return;
    }
    ctx.prefetch(tb.ctrl + extent, tb.ctrl + tb.buckets(), false, false);
    ctx.prefetch(tb.ctrl, tb.ctrl + extent, true, false);
    uint64_t seen = 0, first = 0, last = 0;
    bool reached = false;
    auto scanned = scan_ctrl(ctx, tb, 0, extent, [&](uint64_t bucket) {
        if (seen == start) first = bucket;
        last = bucket;
        reached = ++seen == want;
        return !reached;
    });
    if (scanned && seen > start)
        ctx.prefetch(tb.ctrl - (last + 1) * tb.elem_size, tb.ctrl - first * tb.elem_size, true,
                     true);
}

// The bucket indices of the full buckets `start .. start+count` in iteration order, read in
// chunks of control bytes; fewer when the table runs out or cannot be read (`problem` says why).
// A renderer asks for page after page: the Context keeps where the previous page's walk ended
// (the ordinal of the next full bucket, and the bucket to look from), so the control bytes are
// scanned once in all, not once per page.
std::vector<uint64_t> full_buckets(Context& ctx, const Table& tb, uint64_t start, uint64_t count,
                                   std::string& problem) {
    std::vector<uint64_t> found;
    uint64_t seen = 0;
    uint64_t from = 0;
    auto r = ctx.resume_point(tb.ctrl);
    if (r && r->ordinal <= start && r->position <= tb.buckets()) {
        seen = r->ordinal;
        from = r->position;
    }
    if (!r) {
        plan_reads(ctx, tb, start, count);
    } else {
        // Later pages come from what plan_reads read; should nested values' reads have pushed
        // it out of the Context, the walk goes on in growing chunks (already covered or
        // declared ranges are not declared again).
        ctx.prefetch(tb.ctrl, tb.ctrl + tb.buckets(), false, false);
        ctx.prefetch(tb.ctrl - tb.buckets() * tb.elem_size, tb.ctrl, false, true);
    }
    uint64_t next = from;
    if (count > 0) {
        auto scanned = scan_ctrl(ctx, tb, from, tb.buckets(), [&](uint64_t bucket) {
            if (seen++ >= start) found.push_back(bucket);
            return found.size() < count;
        });
        if (!scanned) {
            problem = scanned.error().message;
            return found;
        }
        next = *scanned;
    }
    ctx.set_resume_point(tb.ctrl, Context::Resume{seen, next});
    if (found.size() < count)
        problem =
            fmt::format("<invalid: the table has fewer full buckets than its {} items>", tb.items);
    return found;
}

class HashFormatter : public Formatter {
public:
    std::string_view name() const override { return "rust.hashbrown"; }

    bool matches(const Type& t) const override {
        return has_path(&t, "std::collections::hash::map::HashMap") ||
               has_path(&t, "std::collections::hash::set::HashSet") ||
               has_path(&t, "hashbrown::map::HashMap") || has_path(&t, "hashbrown::set::HashSet");
    }

    Formatted format(Context& ctx, const Value& v) const override {
        auto tb = read_table(ctx, v);
        if (!tb) return error_value(tb.error().message);
        if (tb->items > 0 && tb->buckets() <= kVerifyBuckets)
            if (auto s = verify_items(ctx, *tb); !s) return error_value(s.error().message);

        const Type* t = strip(v.type);
        Formatted f = map_or_set(t, is_set(t), tb->items);
        f.own = ownership(*tb);
        return f;
    }

    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        auto tb = read_table(ctx, v);
        if (!tb) return unreadable_page(start, count, tb.error());
        std::vector<Child> out;
        count = page_size(start, count, tb->items);
        std::string problem;
        auto indices = full_buckets(ctx, *tb, start, count, problem);
        const bool set = is_set(strip(v.type));
        for (uint64_t n = 0; n < indices.size(); ++n) {
            if (!ctx.take_elements(1)) {
                problem = fmt::format("<budget: more than {} elements>", ctx.budget().max_elements);
                break;
            }
            Value elem = Value::at(tb->elem, tb->ctrl - (indices[n] + 1) * tb->elem_size);
            Value key = elem.sub(tb->key->type, tb->key->offset);
            std::optional<Value> value;
            if (!set) {
                if (tb->value)
                    value = elem.sub(tb->value->type, tb->value->offset);
                else
                    value = Value::leaf("<error: element tuple has no value>");
            }
            out.push_back(element_child(start + n, std::move(key), std::move(value)));
        }
        if (out.size() < count) out.push_back(error_child(start + out.size(), problem));
        return out;
    }

private:
    static bool is_set(const Type* t) {
        return has_path(t, "std::collections::hash::set::HashSet") ||
               has_path(t, "hashbrown::set::HashSet");
    }

    // hashbrown's TableLayout: the buckets, rounded up to the control bytes' alignment
    // (Group::WIDTH, larger than any ordinary T's alignment), then buckets + WIDTH control bytes.
    static Ownership ownership(const Table& tb) {
        Ownership own;
        own.kind = OwnKind::Owned;
        own.length = tb.items;
        // HashMap::capacity(): the insertions left before a resize, plus the items. Tombstones
        // (DELETED) make it less than the table's bucket_mask_to_capacity.
        own.capacity = tb.items + tb.growth_left;
        if (tb.bucket_mask == 0) {
            // A table that never allocated points at a static group of EMPTY bytes.
            own.note = "static empty singleton, no allocation";
            return own;
        }
        uint64_t data = tb.buckets() * tb.elem_size;
        uint64_t ctrl_offset = (data + kGroupWidth - 1) / kGroupWidth * kGroupWidth;
        own.address = tb.ctrl - ctrl_offset;
        own.size = ctrl_offset + tb.buckets() + kGroupWidth;
        return own;
    }
};

} // namespace

void register_rust_hash(Registry& r) {
    r.add(std::make_unique<HashFormatter>());
}

} // namespace seam
