// User recipes (formatters/recipes): the TOML format with its errors (file, line, field), and
// each rule's effect on values, over types shaped like rustc's and gcc's DWARF.
#include <gtest/gtest.h>

#include "formatters/recipes/recipe.h"
#include "formatters/recipes/recipe_store.h"
#include "formatters/render/render.h"
#include "formatters/render/summary_line.h"
#include "tests/engine/fake_target.h"

namespace seam {
namespace {

using namespace fake_target;
using recipes::parse_recipes;

std::string error_of(std::string_view text) {
    auto r = parse_recipes(text, "r.toml");
    return r ? std::string("<parsed>") : r.error().message;
}

TEST(RecipeFile, EveryKindParsesWithItsOrigin) {
    auto r = parse_recipes(R"(version = 1
# git2's handle
[[owns]]
type = "git2::repo::Repository"
field = "raw"
release = "git_repository_free"

[[shared]]
type = "mylib::Handle"
count = "inner.refs"

[[list]]
type = "node"
next = "next"

[[list_head]]
owner = "bus"
field = "children"
element = "child"
link = "sibling"

[[holds]]
type = "holder"
field = "data"
holds = "Arc<own::Node>"
)",
                           "r.toml");
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->owns.size(), 1u);
    EXPECT_EQ(r->owns[0].release, "git_repository_free");
    EXPECT_EQ(r->owns[0].origin.line, 3u);
    EXPECT_EQ(r->shared[0].count, "inner.refs");
    EXPECT_EQ(r->shared[0].value, "");
    EXPECT_EQ(r->lists[0].next, "next");
    EXPECT_EQ(r->list_heads[0].link, "sibling");
    EXPECT_EQ(r->holds[0].kind, recipes::HeldKind::Arc);
    EXPECT_EQ(r->holds[0].target, "own::Node");
    EXPECT_EQ(r->holds[0].origin.line, 22u);
    EXPECT_EQ(r->size(), 5u);
}

// The kernel crate's ForeignOwnable hand-offs: a KBox gives C its value's address, an Arc its
// ArcInner's (tests/fixtures/kernel_sample.seam.toml; KernelFrameVariable.* shows them).
TEST(RecipeFile, KernelHeldKinds) {
    auto r = recipes::parse_recipes("version = 1\n[[holds]]\ntype = \"file\"\nfield = \"p\"\n"
                                    "holds = \"KBox<u64>\"\n[[holds]]\ntype = \"device\"\n"
                                    "field = \"d\"\nholds = \"kernel::sync::Arc<drv::State>\"\n",
                                    "r.toml");
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->holds.size(), 2u);
    EXPECT_EQ(r->holds[0].kind, recipes::HeldKind::KBox);
    EXPECT_EQ(r->holds[0].target, "u64");
    EXPECT_EQ(r->holds[1].kind, recipes::HeldKind::KernelArc);
    EXPECT_EQ(r->holds[1].target, "drv::State");
}

TEST(RecipeFile, ErrorsNameFileLineAndField) {
    EXPECT_EQ(error_of("[[owns]]\ntype = \"a\"\n"), "r.toml:1: missing \"version = 1\"");
    EXPECT_EQ(error_of("version = 2\n"),
              "r.toml:1: \"version\" must be 1 (this seam reads recipe version 1)");
    EXPECT_EQ(error_of("version = 1\n[[owns]]\ntype = \"a\"\nfield = \"raw\"\n"),
              "r.toml:2: [[owns]] #1: missing \"release\"");
    EXPECT_EQ(error_of("version = 1\n[[owns]]\ntype = \"a\"\nfield = \"raw\"\nrelease = \"f\"\n"
                       "[[owns]]\ntype = \"b\"\nfeild = \"raw\"\nfield = \"x\"\nrelease = \"f\"\n"),
              "r.toml:8: [[owns]] #2: unknown key \"feild\" (known: field, release, type)");
    EXPECT_EQ(error_of("version = 1\n[[shared]]\ntype = \"a\"\n\ncount = 3\n"),
              "r.toml:5: [[shared]] #1: \"count\" must be a non-empty string");
    EXPECT_EQ(error_of("version = 1\n[[shared]]\ntype = \"a\"\ncount = \"inner..refs\"\n"),
              "r.toml:4: [[shared]] #1: \"count\": empty step in field path \"inner..refs\"");
    EXPECT_EQ(
        error_of("version = 1\n[[holds]]\ntype = \"h\"\nfield = \"d\"\nholds = \"Vec<u8>\"\n"),
        "r.toml:2: [[holds]] #1: \"holds\" must be Box<T>, Arc<T>, Rc<T>, KBox<T> or "
        "kernel::sync::Arc<T>, got \"Vec<u8>\"");
    EXPECT_EQ(error_of("version = 1\n[owns]\ntype = \"a\"\n"),
              "r.toml:2: \"owns\" must be an array of tables: write [[owns]]");
    EXPECT_EQ(error_of("version = 1\n[[own]]\n"),
              "r.toml:2: unknown table or key \"own\" (known: version, owns, shared, list, "
              "list_head, holds)");
    // toml++'s own diagnosis of a syntax error, with its line.
    std::string syntax = error_of("version = 1\n[[owns]\n");
    EXPECT_EQ(syntax.rfind("r.toml:2: ", 0), 0u) << syntax;
}

// fuzz_recipes: toml++ 3.3.0 reached __builtin_unreachable asking whether `¡` (U+00A1) is
// whitespace; every non-ASCII character outside a string took that path. A parse error now.
TEST(RecipeFile, NonAsciiOutsideAStringIsAnError) {
    for (std::string_view text :
         {"\xc2\xa1", "version = 1\n\xc2\xa1 = 2\n", "version = 1 \xc3\xa9\n",
          "version = 1\n[[owns]]\xe3\x80\x81\n"}) {
        std::string e = error_of(text);
        EXPECT_EQ(e.rfind("r.toml:", 0), 0u) << e;
    }
    // Inside strings and comments it is text like any other.
    EXPECT_EQ(error_of("version = 1 # \xc2\xa1\n[[list]]\ntype = \"n\xc3\xa9\"\nnext = \"next\"\n"),
              "<parsed>");
}

// fuzz_recipes: a float version (4.4e35) was cast to int64 by toml++, undefined past its range.
// The version is an integer or it is wrong.
TEST(RecipeFile, VersionThatIsAFloatIsWrong) {
    for (std::string_view text : {"version = 4444444444444444444444444444444444488.8\n",
                                  "version = 1e300\n", "version = 1.0\n", "version = nan\n"})
        EXPECT_EQ(error_of(text),
                  "r.toml:1: \"version\" must be 1 (this seam reads recipe version 1)")
            << text;
}

// Loads `text` for the test's lifetime.
struct Installed {
    explicit Installed(std::string_view text) {
        auto r = parse_recipes(text, "t.toml");
        EXPECT_TRUE(r) << r.error().message;
        if (r) recipes::install(std::move(*r));
    }
    ~Installed() { recipes::clear_installed(); }
};

struct World : TypeIndex {
    RustTypes t;
    Types c{Lang::C};
    FakeMemory mem;
    const Type* u32 = t.u32;
    const Type* usize = t.usize;
    const Type* cint = c.base("int", Encoding::Signed, 4);
    Type& git_repo = c.make(TypeKind::Struct, "git_repository", 8);
    const Type* repo_ptr = t.pointer("*mut git2::raw::git_repository", &git_repo);
    Type& repository =
        t.record(TypeKind::Struct, "Repository", 8, {Types::field("raw", repo_ptr, 0)});
    Type& node = t.record(TypeKind::Struct, "Node", 4, {Types::field("id", u32, 0)});
    Type& arc_inner = t.record(TypeKind::Struct, "ArcInner<own::Node>", 24,
                               {Types::field("strong", usize, 0), Types::field("weak", usize, 8),
                                Types::field("data", &node, 16)});
    const Type* void_ptr = c.pointer("", nullptr);
    Type& holder = c.record(TypeKind::Struct, "holder", 16,
                            {Types::field("tag", cint, 0), Types::field("data", void_ptr, 8)});
    Type& cnode = c.make(TypeKind::Struct, "cnode", 16);
    const Type* cnode_ptr = c.pointer("", &cnode);

    World() {
        repository.qualified = "git2::repo::Repository";
        node.qualified = "own::Node";
        arc_inner.qualified = "alloc::sync::ArcInner<own::Node>";
        Types::add(cnode, "v", cint, 0);
        Types::add(cnode, "next", cnode_ptr, 8);
    }
    const Type* find_type(std::string_view q) const override {
        if (q == "own::Node") return &node;
        if (q == "alloc::sync::ArcInner<own::Node>") return &arc_inner;
        return nullptr;
    }
    std::optional<GlobalVariable> global_at(uint64_t) const override { return std::nullopt; }
    std::string function_at(uint64_t) const override { return ""; }

    Context ctx() { return Context(mem, this, builtin_registry()); }
};

TEST(RecipeRules, OwnsMakesAHandleOwnItsCObject) {
    World w;
    w.mem.put(0x100, le(0x5000, 8));
    Value repo = Value::at(&w.repository, 0x100);
    {
        Context ctx = w.ctx();
        EXPECT_EQ(ctx.format(repo).own.kind, OwnKind::Inline) << "no recipe yet";
    }
    Installed r("version = 1\n[[owns]]\ntype = \"git2::repo::Repository\"\nfield = \"raw\"\n"
                "release = \"git_repository_free\"\n");
    Context ctx = w.ctx();
    Formatted f = ctx.format(repo);
    EXPECT_EQ(f.own.kind, OwnKind::Owned);
    EXPECT_EQ(f.own.address, 0x5000u);
    EXPECT_EQ(f.own.note, "C object released by git_repository_free (recipe t.toml:2)");
    EXPECT_EQ(render_summary_line(ctx, f), "owns C 0x5000 (released by git_repository_free)");
    // Debug is what the type's own formatter prints.
    EXPECT_EQ(render_debug(ctx, repo, false), "Repository { raw: 0x5000 }");
}

TEST(RecipeRules, AWrongFieldKeepsThePlainViewAndSaysWhy) {
    World w;
    w.mem.put(0x100, le(0x5000, 8));
    Installed r("version = 1\n[[owns]]\ntype = \"git2::repo::Repository\"\nfield = \"handle\"\n"
                "release = \"git_repository_free\"\n");
    Context ctx = w.ctx();
    Formatted f = ctx.format(Value::at(&w.repository, 0x100));
    EXPECT_EQ(f.own.note, "recipe t.toml:2: no field `handle` on the path `handle`");
    EXPECT_EQ(render_debug(ctx, Value::at(&w.repository, 0x100), false),
              "Repository { raw: 0x5000 }");
}

TEST(RecipeRules, HoldsShowsTheRustValueAC_VoidPointerHolds) {
    World w;
    // holder { tag: 1, data: &ArcInner.data } with strong 2, weak 1 (no Weak).
    w.mem.put(0x100, cat({le(1, 4), le(0, 4), le(0x2010, 8)}));
    w.mem.put(0x2000, cat({le(2, 8), le(1, 8), le(7, 4)}));
    Installed r("version = 1\n[[holds]]\ntype = \"holder\"\nfield = \"data\"\n"
                "holds = \"Arc<own::Node>\"\n");
    Context ctx = w.ctx();
    Value holder = Value::at(&w.holder, 0x100);
    EXPECT_EQ(render_debug(ctx, holder, false), "holder { tag: 1, data: Node { id: 7 } }");
    std::vector<Child> kids = ctx.children(ctx.format(holder), 1, 1);
    ASSERT_EQ(kids.size(), 1u);
    Formatted data = ctx.format(kids[0].value);
    EXPECT_EQ(data.own.kind, OwnKind::Crossing);
    EXPECT_EQ(data.own.address, 0x2000u);
    EXPECT_EQ(data.own.strong, 2);
    EXPECT_EQ(data.own.weak, 0);
    EXPECT_EQ(data.type_name, "Arc<own::Node>");
    EXPECT_EQ(render_summary_line(ctx, data),
              "Arc<own::Node> given to C at 0x2010 strong=2 weak=0");
}

TEST(RecipeRules, ListWalksAPointerToItsEnd) {
    World w;
    // 0x100 → 0x200 → 0x300 → NULL, v = 1, 2, 3.
    w.mem.put(0x100, cat({le(1, 4), le(0, 4), le(0x200, 8)}));
    w.mem.put(0x200, cat({le(2, 4), le(0, 4), le(0x300, 8)}));
    w.mem.put(0x300, cat({le(3, 4), le(0, 4), le(0, 8)}));
    w.mem.put(0x10, le(0x100, 8));
    Installed r("version = 1\n[[list]]\ntype = \"cnode\"\nnext = \"next\"\n");
    Context ctx = w.ctx();
    Value head = Value::at(w.cnode_ptr, 0x10);
    EXPECT_EQ(
        render_debug(ctx, head, false),
        "[cnode { v: 1, next: 0x200 }, cnode { v: 2, next: 0x300 }, cnode { v: 3, next: 0x0 }]");
    EXPECT_EQ(render_summary_line(ctx, ctx.format(head)).substr(0, 22), "len=3 [cnode { v: 1, n");
    // A loop is an error after a bounded walk.
    w.mem.poke_u64(0x308, 0x200);
    Context again = w.ctx();
    EXPECT_EQ(render_debug(again, head, false),
              "<invalid: the list loops back to 0x200 after 3 entries>");
}

} // namespace
} // namespace seam
