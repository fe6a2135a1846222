// The unit index read from the raw section bytes (formatters/dwarf/dwarf_scan.cpp) against the
// libdwarf walk it replaced (SEAM_DWARF_SCAN=0): the same binary opened both ways must name
// every function symbol, global and type alike, and the names must be the qualified ones
// (module paths, enum variants nested in their enum, C's bare names).
#include <algorithm>
#include <cstdlib>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/engine/dwarf_test_support.h"

namespace seam {
namespace {

using dwarf_test::build_fixture;
using dwarf_test::nm_symbol;
using dwarf_test::run;

constexpr const char* kRust = R"(
pub mod outer {
    pub mod inner {
        pub struct Deep { pub a: u32, pub b: Option<Box<Deep>> }
        pub enum Shape { Dot, Line(u32, u32), Area { w: u64, h: u64 } }
        pub static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(7);
        #[inline(never)]
        pub fn make(n: u32) -> Deep { Deep { a: n, b: None } }
        #[inline(never)]
        pub fn area(s: &Shape) -> u64 {
            match s { Shape::Dot => 0, Shape::Line(a, b) => (*a + *b) as u64, Shape::Area { w, h } => w * h }
        }
    }
}
fn main() {
    use outer::inner::*;
    let d = make(3);
    let shapes = [Shape::Dot, Shape::Line(1, 2), Shape::Area { w: 2, h: 5 }];
    let total: u64 = shapes.iter().map(area).sum();
    COUNTER.fetch_add(d.a + total as u32, std::sync::atomic::Ordering::SeqCst);
    std::hint::black_box((d, shapes));
}
)";

constexpr const char* kC = R"(
struct point { int x, y; };
typedef struct point point_t;
union num { int i; float f; };
enum color { RED, GREEN };
static struct point origin = { 1, 2 };
int counter = 5;
static int scale(point_t *p, union num n, enum color c) { return p->x * n.i + c; }
int main(void) { union num n = { 3 }; return scale(&origin, n, GREEN) + counter; }
)";

// The same for clang at -O2, whose statics must escape to stay whole (it folds a static that
// is only read into its readers, and splits one whose fields are used apart).
constexpr const char* kClangC = R"(
struct point { int x, y; };
static struct point origin = { 1, 2 };
struct point *where = &origin;
int counter = 5;
__attribute__((noinline)) static int scale(struct point *p) { return p->x * p->y + counter; }
int main(int argc, char **argv) { where->x = argc; counter += argc; return scale(where); }
)";

/// Opens `binary` and builds its whole-file indexes, by the scanner or (`libdwarf`) by the
/// libdwarf walk.
std::unique_ptr<DebugInfo> open_indexed(const std::string& binary, bool libdwarf) {
    if (libdwarf) ::setenv("SEAM_DWARF_SCAN", "0", 1);
    auto info = DebugInfo::open(binary, 0);
    if (info) {
        (*info)->find_type("no such type");
        (*info)->global_at(0);
    }
    ::unsetenv("SEAM_DWARF_SCAN");
    return info ? std::move(*info) : nullptr;
}

struct NmEntry {
    uint64_t address = 0;
    char kind = 0;
};

std::vector<NmEntry> nm_entries(const std::string& binary) {
    std::vector<NmEntry> out;
    std::istringstream lines(run("nm --defined-only " + binary));
    std::string line, addr, kind, name;
    while (std::getline(lines, line)) {
        std::istringstream f(line);
        if (f >> addr >> kind >> name) out.push_back({std::stoull(addr, nullptr, 16), kind[0]});
    }
    return out;
}

/// Every function symbol's function_at and every data symbol's global_at, both ways.
void expect_same_answers(const std::string& binary, const DebugInfo& scan, const DebugInfo& walk) {
    size_t functions = 0, globals = 0;
    for (const NmEntry& e : nm_entries(binary)) {
        char k = char(std::tolower(e.kind));
        if (k == 't') {
            ++functions;
            EXPECT_EQ(scan.function_at(e.address), walk.function_at(e.address))
                << std::hex << e.address;
        } else if (k == 'd' || k == 'b' || k == 'r') {
            auto a = scan.global_at(e.address);
            auto b = walk.global_at(e.address);
            ASSERT_EQ(a.has_value(), b.has_value()) << std::hex << e.address;
            if (!a) continue;
            ++globals;
            EXPECT_EQ(a->name, b->name);
            EXPECT_EQ(a->type ? a->type->id : 0, b->type ? b->type->id : 0) << a->name;
        }
    }
    EXPECT_GE(functions, 2u); // C: main and scale at least; Rust: std's too
    EXPECT_GT(globals, 0u);
}

TEST(DwarfScan, RustIndexMatchesTheLibdwarfWalk) {
    std::string error;
    std::string binary = build_fixture("scan_fix", "rs", kRust, "-g -C opt-level=0", error);
    ASSERT_FALSE(binary.empty()) << error;
    auto scan = open_indexed(binary, false);
    auto walk = open_indexed(binary, true);
    ASSERT_TRUE(scan && walk);

    for (const char* name :
         {"scan_fix::outer::inner::Deep", "scan_fix::outer::inner::Shape",
          "scan_fix::outer::inner::Shape::Area", "scan_fix::outer::inner::Shape::Line",
          "core::option::Option<alloc::boxed::Box<scan_fix::outer::inner::Deep, "
          "alloc::alloc::Global>>",
          "u64"}) {
        const Type* a = scan->find_type(name);
        const Type* b = walk->find_type(name);
        ASSERT_TRUE(a && b) << name;
        EXPECT_EQ(a->id, b->id) << name;
        EXPECT_EQ(a->qualified, name);
    }
    const Type* area = scan->find_type("scan_fix::outer::inner::Shape::Area");
    ASSERT_EQ(area->fields.size(), 2u);
    EXPECT_EQ(area->fields[0].name, "w");
    EXPECT_EQ(area->fields[1].name, "h");

    auto make = nm_symbol(binary, "5inner4make");
    ASSERT_TRUE(make);
    EXPECT_EQ(scan->function_at(make->address), "scan_fix::outer::inner::make");
    auto counter = nm_symbol(binary, "5inner7COUNTER");
    ASSERT_TRUE(counter);
    auto g = scan->global_at(counter->address);
    ASSERT_TRUE(g);
    EXPECT_EQ(g->name, "scan_fix::outer::inner::COUNTER");
    expect_same_answers(binary, *scan, *walk);
}

TEST(DwarfScan, CIndexMatchesTheLibdwarfWalk) {
    std::string error;
    std::string binary = build_fixture("scan_fix_c", "c", kC, "-g -O0", error);
    ASSERT_FALSE(binary.empty()) << error;
    auto scan = open_indexed(binary, false);
    auto walk = open_indexed(binary, true);
    ASSERT_TRUE(scan && walk);
    for (const char* name : {"point", "point_t", "num", "color", "int"}) {
        const Type* a = scan->find_type(name);
        const Type* b = walk->find_type(name);
        ASSERT_TRUE(a && b) << name;
        EXPECT_EQ(a->id, b->id) << name;
        EXPECT_EQ(a->qualified, name);
    }
    EXPECT_EQ(scan->find_type("num")->kind, TypeKind::Union);
    auto origin = nm_symbol(binary, "origin");
    ASSERT_TRUE(origin);
    auto g = scan->global_at(origin->address);
    ASSERT_TRUE(g);
    EXPECT_EQ(g->name, "origin");
    EXPECT_EQ(g->type, scan->find_type("point"));
    auto scale = nm_symbol(binary, "scale");
    ASSERT_TRUE(scale);
    EXPECT_EQ(scan->function_at(scale->address), "scale");
    expect_same_answers(binary, *scan, *walk);
}

// clang's DWARF 5, as the kernel's C units have it: a static's location is `DW_OP_addrx N` and
// a function's low pc DW_FORM_addrx, each an entry of the unit's table in .debug_addr. Both are
// read from the section's own bytes, in a C unit as in a Rust one: every static is a global
// (a root of `seam own --process`) at the address nm gives, and the libdwarf walk agrees.
TEST(DwarfScan, ClangDwarf5StaticsAndFunctionsThroughTheAddressTable) {
    for (const char* level : {"-O0", "-O2"}) {
        SCOPED_TRACE(level);
        std::string error;
        std::string binary = build_fixture("scan_fix_clang", "c", kClangC,
                                           std::string("-g -gdwarf-5 ") + level, error, "clang-19");
        ASSERT_FALSE(binary.empty()) << error;
        // The premise, from binutils: the statics are located through the address table.
        std::string dump = run("readelf --debug-dump=info " + binary + " 2>/dev/null");
        ASSERT_NE(dump.find("DW_OP_addrx"), std::string::npos) << dump.substr(0, 2000);
        auto scan = open_indexed(binary, false);
        auto walk = open_indexed(binary, true);
        ASSERT_TRUE(scan && walk);
        std::vector<std::string> names;
        for (const GlobalVariable& g : scan->globals()) {
            names.push_back(g.name);
            auto at = nm_symbol(binary, g.name);
            ASSERT_TRUE(at) << g.name;
            EXPECT_EQ(g.address, at->address) << g.name;
        }
        std::sort(names.begin(), names.end());
        EXPECT_EQ(names, (std::vector<std::string>{"counter", "origin", "where"}));
        auto origin = scan->global_at(nm_symbol(binary, "origin")->address);
        ASSERT_TRUE(origin);
        EXPECT_EQ(origin->type, scan->find_type("point"));
        EXPECT_EQ(scan->function_at(nm_symbol(binary, "scale")->address), "scale");
        expect_same_answers(binary, *scan, *walk);
    }
}

// A trait object's vtable found from the code it points at (DebugInfo::global_near: the unit of
// its method, before any whole-file index) is the one the whole-file index finds; code in no
// unit, or a unit without it, falls back to that index.
TEST(DwarfScan, VtableFoundThroughTheUnitOfItsMethods) {
    constexpr const char* kDyn = R"(
pub trait Shape { fn area(&self) -> u32; }
pub struct Square { pub side: u32 }
impl Shape for Square {
    #[inline(never)]
    fn area(&self) -> u32 { self.side * self.side }
}
fn main() {
    let b: Box<dyn Shape> = Box::new(Square { side: std::env::args().count() as u32 + 2 });
    std::process::exit(b.area() as i32);
}
)";
    std::string error;
    std::string binary = build_fixture("scan_dyn", "rs", kDyn, "-g -C opt-level=0", error);
    ASSERT_FALSE(binary.empty()) << error;
    auto whole = open_indexed(binary, false);
    ASSERT_TRUE(whole);
    std::optional<GlobalVariable> vtable;
    for (const GlobalVariable& g : whole->globals())
        if (g.name.ends_with("Square as scan_dyn::Shape>::{vtable}")) vtable = g;
    ASSERT_TRUE(vtable);
    auto area = nm_symbol(binary, "4area");
    ASSERT_TRUE(area);
    auto fresh = DebugInfo::open(binary, 0);
    ASSERT_TRUE(fresh);
    auto near = (*fresh)->global_near(vtable->address, {0, area->address});
    ASSERT_TRUE(near);
    EXPECT_EQ(near->name, vtable->name);
    const Type* concrete = near->type ? strip(near->type)->containing_type : nullptr;
    ASSERT_TRUE(concrete);
    EXPECT_EQ(concrete->name, "Square");
    auto fallback = (*fresh)->global_near(vtable->address, {1});
    ASSERT_TRUE(fallback);
    EXPECT_EQ(fallback->name, vtable->name);
}

} // namespace
} // namespace seam
