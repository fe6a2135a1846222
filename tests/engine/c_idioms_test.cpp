// The kernel's C idioms (formatters/c/c_lists.cpp, c_refcounts.cpp) over types shaped like
// gcc's DWARF for include/linux/types.h and kref.h: counts with their flags, lists with and
// without a container hint, and every way a list can be broken.
#include <gtest/gtest.h>

#include "formatters/core/container_hints.h"
#include "formatters/render/render.h"
#include "formatters/render/summary_line.h"
#include "tests/engine/fake_target.h"

namespace seam {
namespace {

using namespace fake_target;

struct Kernel : TypeIndex {
    Types t{Lang::C};
    const Type* i32 = t.base("int", Encoding::Signed, 4);
    const Type* i64 = t.base("long long", Encoding::Signed, 8);
    Type& atomic = t.record(TypeKind::Struct, "", 4, {Types::field("counter", i32, 0)});
    Type& atomic_t = typedef_of("atomic_t", &atomic);
    Type& atomic64 = t.record(TypeKind::Struct, "", 8, {Types::field("counter", i64, 0)});
    Type& refcount_struct =
        t.record(TypeKind::Struct, "refcount_struct", 4, {Types::field("refs", &atomic_t, 0)});
    Type& refcount_t = typedef_of("refcount_t", &refcount_struct);
    Type& kref = t.record(TypeKind::Struct, "kref", 4, {Types::field("refcount", &refcount_t, 0)});
    Type& list_head = t.make(TypeKind::Struct, "list_head", 16);
    const Type* list_ptr = t.pointer("", &list_head);
    Type& hlist_node = t.make(TypeKind::Struct, "hlist_node", 16);
    Type& hlist_head = t.make(TypeKind::Struct, "hlist_head", 8);
    // struct child { int v; struct list_head sibling; struct hlist_node hnode; };
    Type& child = t.make(TypeKind::Struct, "child", 40);
    // struct bus { struct kref ref; struct list_head children; struct hlist_head hash; };
    Type& bus = t.make(TypeKind::Struct, "bus", 32);

    Kernel() {
        Types::add(list_head, "next", list_ptr, 0);
        Types::add(list_head, "prev", list_ptr, 8);
        const Type* hnode_ptr = t.pointer("", &hlist_node);
        Types::add(hlist_node, "next", hnode_ptr, 0);
        Types::add(hlist_node, "pprev", t.pointer("", hnode_ptr), 8);
        Types::add(hlist_head, "first", hnode_ptr, 0);
        Types::add(child, "v", i32, 0);
        Types::add(child, "sibling", &list_head, 8);
        Types::add(child, "hnode", &hlist_node, 24);
        Types::add(bus, "ref", &kref, 0);
        Types::add(bus, "children", &list_head, 8);
        Types::add(bus, "hash", &hlist_head, 24);
    }
    Type& typedef_of(std::string name, const Type* target) {
        Type& td = t.make(TypeKind::Typedef, std::move(name), target->size);
        td.target = target;
        return td;
    }
    const Type* find_type(std::string_view q) const override {
        if (q == "child") return &child;
        return nullptr;
    }
    std::optional<GlobalVariable> global_at(uint64_t) const override { return std::nullopt; }
    std::string function_at(uint64_t) const override { return ""; }
};

struct World {
    Kernel k;
    FakeMemory mem;
    Context ctx{mem, &k, builtin_registry()};
    std::string debug(const Value& v) { return render_debug(ctx, v, false); }
    std::string line(const Value& v) { return render_summary_line(ctx, ctx.format(v)); }

    // A bus at 0x1000 whose `children` list holds children at 0x2000 + 0x100*i (v = 10 + i),
    // linked in that order, and whose hash chain holds them in the same order.
    void bus_with(int n, int32_t refs) {
        const uint64_t head = 0x1008;
        auto node = [](int i) { return 0x2000 + 0x100 * uint64_t(i) + 8; };
        uint64_t first = n ? node(0) : head, last = n ? node(n - 1) : head;
        mem.put(0x1000, le(uint32_t(refs), 4));
        mem.put(head, cat({le(first, 8), le(last, 8)}));
        mem.put(0x1018, le(n ? node(0) + 16 : 0, 8));
        for (int i = 0; i < n; ++i) {
            uint64_t next = i + 1 < n ? node(i + 1) : head, prev = i ? node(i - 1) : head;
            uint64_t hnext = i + 1 < n ? node(i + 1) + 16 : 0;
            uint64_t pprev = i ? node(i - 1) + 16 : 0x1018;
            mem.put(node(i) - 8, cat({le(uint32_t(10 + i), 4), le(0, 4), le(next, 8), le(prev, 8),
                                      le(hnext, 8), le(pprev, 8)}));
        }
    }
};

struct Hinted {
    Hinted() {
        ContainerHints::global().add_list({"bus", "children", "child", "sibling"});
        ContainerHints::global().add_list({"bus", "hash", "child", "hnode"});
    }
    ~Hinted() { ContainerHints::global().clear(); }
};

TEST(CIdioms, RefcountsAreCountsWithTheirFlags) {
    World w;
    w.mem.put(0x100, cat({le(3, 4), le(0, 4), le(0xc0000000, 4), le(0xffffffff, 4)}));
    Formatted three = w.ctx.format(Value::at(&w.k.refcount_t, 0x100));
    EXPECT_EQ(three.text, "refcount_t(3)");
    EXPECT_EQ(three.summary, "refs=3");
    EXPECT_EQ(three.own.kind, OwnKind::Shared);
    EXPECT_EQ(three.own.strong, 3);
    EXPECT_EQ(w.line(Value::at(&w.k.kref, 0x104)),
              "refs=0 (zero: the object is freed or being freed)");
    EXPECT_EQ(w.debug(Value::at(&w.k.kref, 0x104)), "kref(0)");
    EXPECT_EQ(w.line(Value::at(&w.k.refcount_t, 0x108)),
              "refs=saturated (0xc0000000): the object is leaked, never freed");
    EXPECT_EQ(w.ctx.format(Value::at(&w.k.kref, 0x10c)).own.note,
              "saturated (0xffffffff): the object is leaked, never freed");
    // An atomic is its number, signed as its counter is.
    EXPECT_EQ(w.debug(Value::at(&w.k.atomic_t, 0x10c)), "-1");
    w.mem.put(0x200, le(1ull << 40, 8));
    EXPECT_EQ(w.debug(Value::at(&w.k.atomic64, 0x200)), "1099511627776");
}

TEST(CIdioms, APlainHeadShowsItsLinksAndItsLength) {
    World w;
    w.bus_with(3, 1);
    Value head = Value::at(&w.k.list_head, 0x1008);
    EXPECT_EQ(w.line(head), "len=3");
    EXPECT_EQ(w.debug(head), "list_head { next: 0x2008, prev: 0x2208 }");
    EXPECT_EQ(w.line(Value::at(&w.k.hlist_head, 0x1018)), "len=3");
    // A bus without a hint: its members as they are.
    EXPECT_EQ(w.debug(Value::at(&w.k.bus, 0x1000)),
              "bus { ref: kref(1), children: list_head { next: 0x2008, prev: 0x2208 }, "
              "hash: hlist_head { first: 0x2018 } }");
    World empty;
    empty.bus_with(0, 1);
    EXPECT_EQ(empty.line(Value::at(&empty.k.list_head, 0x1008)), "empty");
    EXPECT_EQ(empty.line(Value::at(&empty.k.hlist_head, 0x1018)), "empty");
}

TEST(CIdioms, AHintedHeadIsAListOfItsContainingStructs) {
    Hinted hints;
    World w;
    w.bus_with(3, 2);
    Value bus = Value::at(&w.k.bus, 0x1000);
    const std::string entries =
        "[child { v: 10, sibling: list_head { next: 0x2108, prev: 0x1008 }, "
        "hnode: hlist_node { next: 0x2118, pprev: 0x1018 } }, "
        "child { v: 11, sibling: list_head { next: 0x2208, prev: 0x2008 }, "
        "hnode: hlist_node { next: 0x2218, pprev: 0x2018 } }, "
        "child { v: 12, sibling: list_head { next: 0x1008, prev: 0x2108 }, "
        "hnode: hlist_node { next: 0x0, pprev: 0x2118 } }]";
    EXPECT_EQ(w.debug(bus),
              "bus { ref: kref(2), children: " + entries + ", hash: " + entries + " }");
    std::vector<Child> members = w.ctx.children(w.ctx.format(bus), 0, 3);
    ASSERT_EQ(members.size(), 3u);
    Formatted list = w.ctx.format(members[1].value);
    EXPECT_EQ(list.shape, Shape::List);
    EXPECT_EQ(list.own.note, "entries: struct child linked by sibling");
    EXPECT_EQ(render_summary_line(w.ctx, list).substr(0, 22), "len=3 [child { v: 10, ");
    // A page from the middle reads from the head on, and gives the containing struct.
    std::vector<Child> page = w.ctx.children(list, 2, 5);
    ASSERT_EQ(page.size(), 1u);
    EXPECT_EQ(page[0].label, "[2]");
    EXPECT_EQ(page[0].value.address, 0x2200u);
}

TEST(CIdioms, ABrokenListIsAMarkedErrorNotAHang) {
    Hinted hints;
    auto children_text = [](World& w) {
        std::vector<Child> m = w.ctx.children(w.ctx.format(Value::at(&w.k.bus, 0x1000)), 1, 1);
        return m.empty() ? std::string("<none>") : w.debug(m[0].value);
    };
    {
        World w; // the second entry's next is NULL
        w.bus_with(3, 1);
        w.mem.poke_u64(0x2108, 0);
        EXPECT_EQ(children_text(w), "<invalid: list link 2 is NULL (never initialised?)>");
        EXPECT_EQ(w.line(Value::at(&w.k.list_head, 0x1008)),
                  "<invalid: list link 2 is NULL (never initialised?)>");
    }
    {
        World w; // list_del() poisoned the first entry, still linked from the head
        w.bus_with(3, 1);
        w.mem.poke_u64(0x2008, 0xdead000000000100ull);
        EXPECT_EQ(children_text(w), "<invalid: list link 1 is poisoned (0xdead000000000100): a "
                                    "deleted entry is still linked>");
    }
    {
        World w; // the third entry's prev does not point back at the second
        w.bus_with(3, 1);
        w.mem.poke_u64(0x2210, 0x2008);
        EXPECT_EQ(children_text(w), "<invalid: list entry 2 at 0x2208 has prev 0x2008, not "
                                    "0x2108: the list is broken>");
    }
    {
        World w; // a cycle that never returns to the head: the first entry again, its prev
                 // still the head's
        w.bus_with(3, 1);
        w.mem.poke_u64(0x2208, 0x2008);
        EXPECT_EQ(children_text(w), "<invalid: list entry 3 at 0x2008 has prev 0x1008, not "
                                    "0x2208: the list is broken>");
    }
    {
        World w; // an entry in unmapped memory
        w.bus_with(3, 1);
        w.mem.poke_u64(0x2108, 0x9000008);
        EXPECT_EQ(children_text(w).rfind("<invalid: list entry 2 at 0x9000008 cannot be read: ", 0),
                  0u);
    }
}

TEST(CIdioms, ALongListStopsAtTheElementBudget) {
    Hinted hints;
    World w;
    w.bus_with(50, 1);
    Budget b;
    b.max_elements = 10;
    Context ctx(w.mem, &w.k, builtin_registry(), b);
    std::vector<Child> m = ctx.children(ctx.format(Value::at(&w.k.bus, 0x1000)), 1, 1);
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(render_debug(ctx, m[0].value, false),
              "<error: the list goes on past 10 entries (the element budget): not shown>");
    // A plain head's summary counts up to its own limit, not the budget's.
    World plain;
    plain.bus_with(50, 1);
    EXPECT_EQ(plain.line(Value::at(&plain.k.list_head, 0x1008)), "len=50");
}

TEST(CIdioms, TypeFieldParsing) {
    auto a = parse_type_field("struct child.sibling");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->first, "child");
    EXPECT_EQ(a->second, "sibling");
    EXPECT_FALSE(parse_type_field("child"));
    EXPECT_FALSE(parse_type_field(".x"));
    EXPECT_FALSE(parse_type_field("child."));
}

// Bindgen's copies of the C types in a Rust unit are the same types: they take the C
// formatters, with the same text and facts. Only a `bindings` module or a `*_sys` crate says
// so; a Rust type of the same shape and name elsewhere is Rust's own.
TEST(CIdioms, BindgensCopiesAreTheSameCTypes) {
    World w;
    Types rust{Lang::Rust};
    const Type* i32 = rust.base("i32", Encoding::Signed, 4);
    auto atomic_at = [&](std::string qualified) -> Type& {
        Type& a = rust.make(TypeKind::Struct, "atomic_t", 4, std::move(qualified));
        Types::add(a, "counter", i32, 0);
        return a;
    };
    auto kref_at = [&](const std::string& module) -> Type& {
        Type& refcount =
            rust.make(TypeKind::Struct, "refcount_struct", 4, module + "::refcount_struct");
        Types::add(refcount, "refs", &atomic_at(module + "::atomic_t"), 0);
        Type& kref = rust.make(TypeKind::Struct, "kref", 4, module + "::kref");
        Types::add(kref, "refcount", &refcount, 0);
        return kref;
    };
    w.mem.put(0x100, le(0xc0000000, 4));
    for (std::string module : {"bindings", "kernel::bindings", "linux_sys"}) {
        Formatted c = w.ctx.format(Value::at(&w.k.kref, 0x100));
        Formatted r = w.ctx.format(Value::at(&kref_at(module), 0x100));
        EXPECT_EQ(r.text, c.text) << module;
        EXPECT_EQ(r.summary, c.summary) << module;
        EXPECT_EQ(r.own.kind, OwnKind::Shared) << module;
        EXPECT_EQ(r.own.strong, c.own.strong) << module;
        EXPECT_EQ(r.own.note, c.own.note) << module;
        EXPECT_EQ(r.type_name, module + "::kref");
    }
    for (std::string other : {"mycrate", "mycrate::linux_sys", "bindings_extra"}) {
        const Type& kref = kref_at(other);
        EXPECT_NE(w.ctx.registry().find(&kref)->name(), "c.refcount") << other;
        EXPECT_NE(w.debug(Value::at(&kref, 0x100)), "kref(-1073741824)") << other;
    }
    // A generic type in a bindings module is Rust's own (bindgen's bitfield unit, say).
    Type& unit = rust.make(TypeKind::Struct, "__BindgenBitfieldUnit<[u8; 1]>", 1,
                           "bindings::__BindgenBitfieldUnit<[u8; 1]>");
    EXPECT_NE(w.ctx.registry().find(&unit)->name(), "c.record");
}

// container_of through a Rust wrapper's member: the C object inside any number of generic
// wrappers (Opaque<UnsafeCell<...>>), and a wrapper chain corrupt DWARF made circular ends
// in an error.
TEST(CIdioms, ContainerOfThroughWrappersOfAnyDepth) {
    for (int depth : {1, 6, 7, 40}) {
        struct Index : Kernel {
            Types rust{Lang::Rust};
            Type* device = nullptr;
            const Type* find_type(std::string_view q) const override {
                return q == "Device" ? device : Kernel::find_type(q);
            }
        } k;
        const Type* cur = &k.bus;
        for (int i = 0; i < depth; ++i) {
            std::string name = std::string(i % 2 ? "UnsafeCell<" : "Opaque<") + cur->name + ">";
            Type& w = k.rust.make(TypeKind::Struct, name, cur->size);
            Types::add(w, "value", cur, 0);
            cur = &w;
        }
        Type& device = k.rust.make(TypeKind::Struct, "Device", 8 + cur->size);
        Types::add(device, "id", k.rust.base("u64", Encoding::Unsigned, 8), 0);
        Types::add(device, "raw", cur, 8);
        k.device = &device;
        FakeMemory mem;
        Context ctx{mem, &k, builtin_registry()};
        auto v = container_value(ctx, Value::at(&k.bus, 0x2008), "Device.raw");
        ASSERT_TRUE(v) << depth << ": " << v.error().message;
        EXPECT_EQ(v->type, &device) << depth;
        EXPECT_EQ(v->address, std::optional<uint64_t>(0x2000)) << depth;
    }
    struct Circular : Kernel {
        Types rust{Lang::Rust};
        Type* device = nullptr;
        const Type* find_type(std::string_view q) const override {
            return q == "Device" ? device : Kernel::find_type(q);
        }
    } k;
    Type& a = k.rust.make(TypeKind::Struct, "Opaque<A>", 8);
    Type& b = k.rust.make(TypeKind::Struct, "UnsafeCell<B>", 8);
    Types::add(a, "value", &b, 0);
    Types::add(b, "value", &a, 0);
    Type& device = k.rust.make(TypeKind::Struct, "Device", 8);
    Types::add(device, "raw", &a, 0);
    k.device = &device;
    FakeMemory mem;
    Context ctx{mem, &k, builtin_registry()};
    auto v = container_value(ctx, Value::at(&k.bus, 0x2000), "Device.raw");
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().message,
              "--container: `Device.raw` is a `Opaque<A>`, but the value is a `bus`");
}

} // namespace
} // namespace seam
