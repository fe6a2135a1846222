// The DWARF backend on a C program built by gcc at test time (DWARF 5, -O0 and -O2).
#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "tests/engine/dwarf_test_support.h"

namespace seam {
namespace {

using namespace dwarf_test;

constexpr const char* kSource = R"(#include <stdio.h>
#include <stdlib.h>
struct point { int x; short y; char tag[3]; struct point *next; unsigned flag:3; unsigned mode:5; };
enum color { RED, GREEN = 5, BLUE = -2 };
typedef struct point point_t;
union num { int i; double d; };
struct opaque;
struct holder { struct opaque *op; const volatile point_t *cp; int grid[2][3]; int flex[]; };
int counter = 7;
__asm__(".text\n.globl _ZN4demo12Vec$LT$T$GT$5inner17h0123456789abcdefE\n"
        ".type _ZN4demo12Vec$LT$T$GT$5inner17h0123456789abcdefE,@function\n"
        "_ZN4demo12Vec$LT$T$GT$5inner17h0123456789abcdefE:\n ret\n"
        ".size _ZN4demo12Vec$LT$T$GT$5inner17h0123456789abcdefE, 1\n");
int (*fnp)(int);
__attribute__((noinline)) void marker(int v) { counter += v; }
__attribute__((noinline)) int shadow(int a) {
    int x = a + 1;
    int total = x;
    {
        int x = a * 2;
        int y = x + 3;
        total += x + y;
        marker(y);
    }
    return total;
}
int main(int argc, char **argv) {
    struct point p = {1, 2, "ab", 0, 1, 2};
    enum color c = BLUE;
    union num n; n.d = 1.5;
    struct holder *h = malloc(sizeof *h);
    fnp = shadow;
    printf("%d %d %d %f %p\n", shadow(argc), p.x, c, n.d, (void*)h);
    return 0;
}
)";

class DwarfC : public ::testing::Test {
protected:
    static std::string build(const std::string& flags) {
        std::string error;
        std::string bin = build_fixture("cfix", "c", kSource, flags, error);
        EXPECT_FALSE(bin.empty()) << error;
        return bin;
    }
    void open(const std::string& bin) {
        ASSERT_FALSE(bin.empty());
        auto di = DebugInfo::open(bin, 0);
        ASSERT_TRUE(di) << di.error().message;
        info = std::move(*di);
        path = bin;
    }
    uint64_t symbol(const std::string& name) {
        auto s = nm_symbol(path, name);
        EXPECT_TRUE(s) << name;
        return s ? s->address : 0;
    }
    std::unique_ptr<DebugInfo> info;
    std::string path;
};

std::vector<std::string> describe(const std::vector<Variable>& vars) {
    std::vector<std::string> out;
    for (const auto& v : vars)
        out.push_back(fmt::format("{}{}:{}:{}", v.is_parameter ? "param " : "", v.name,
                                  v.type ? v.type->name : "?", v.decl_line));
    return out;
}

TEST_F(DwarfC, StructFieldsOffsetsAndBitFields) {
    open(build("-g -O0"));
    const Type* p = info->find_type("point");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->kind, TypeKind::Struct);
    EXPECT_EQ(p->lang, Lang::C);
    EXPECT_EQ(p->qualified, "point");
    EXPECT_EQ(p->size, 32u);
    std::vector<std::tuple<std::string, uint64_t, std::string, uint32_t, uint32_t>> fields;
    for (const auto& f : p->fields)
        fields.emplace_back(f.name, f.offset, f.type->name, f.bit_size, f.bit_offset);
    using F = decltype(fields)::value_type;
    EXPECT_EQ(fields, (std::vector<F>{F{"x", 0, "int", 0, 0}, F{"y", 4, "short int", 0, 0},
                                      F{"tag", 6, "char[3]", 0, 0}, F{"next", 16, "point *", 0, 0},
                                      F{"flag", 24, "unsigned int", 3, 0},
                                      F{"mode", 24, "unsigned int", 5, 3}}));
    EXPECT_EQ(p->fields[3].type->target, p) << "recursive pointer resolves to the same node";
    EXPECT_EQ(p->fields[2].type->dims, (std::vector<std::optional<uint64_t>>{3}));

    const Type* td = info->find_type("point_t");
    ASSERT_TRUE(td);
    EXPECT_EQ(td->kind, TypeKind::Typedef);
    EXPECT_EQ(strip(td), p);
    EXPECT_EQ(info->find_type("num")->kind, TypeKind::Union);
    EXPECT_EQ(info->find_type("num")->fields[1].offset, 0u);
}

TEST_F(DwarfC, EnumeratorsArraysQualifiersAndDeclarations) {
    open(build("-g -O0"));
    const Type* c = info->find_type("color");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->kind, TypeKind::Enum);
    ASSERT_EQ(c->enumerators.size(), 3u);
    EXPECT_EQ(c->enumerators[0].name, "RED");
    EXPECT_EQ(c->enumerators[0].value, (Int128{0, 0}));
    EXPECT_EQ(c->enumerators[1].value, (Int128{5, 0}));
    EXPECT_EQ(c->enumerators[2].name, "BLUE");
    EXPECT_EQ(c->enumerators[2].value, (Int128{uint64_t(-2), ~uint64_t(0)}));
    EXPECT_TRUE(c->enum_is_signed);

    const Type* h = info->find_type("holder");
    ASSERT_TRUE(h);
    ASSERT_EQ(h->fields.size(), 4u);
    const Type* opaque = h->fields[0].type->target;
    EXPECT_EQ(opaque->name, "opaque");
    EXPECT_TRUE(opaque->declaration);
    EXPECT_EQ(h->fields[1].type->name, "volatile const point_t *");
    EXPECT_EQ(strip(h->fields[1].type->target), info->find_type("point"));
    EXPECT_EQ(h->fields[2].type->name, "int[2][3]");
    EXPECT_EQ(h->fields[2].type->size, 24u);
    EXPECT_EQ(h->fields[3].type->dims, (std::vector<std::optional<uint64_t>>{std::nullopt}));
    EXPECT_FALSE(h->fields[3].type->has_size);
}

// `seam own --process` takes every static as a root: the list has the program's globals, each
// as global_at finds it at its address, in address order.
TEST_F(DwarfC, GlobalsListsEveryStatic) {
    open(build("-g -O0"));
    std::vector<std::string> names;
    uint64_t last = 0;
    for (const GlobalVariable& g : info->globals()) {
        names.push_back(g.name);
        EXPECT_GT(g.address, last) << g.name;
        last = g.address;
        auto same = info->global_at(g.address);
        ASSERT_TRUE(same) << g.name;
        EXPECT_EQ(same->name, g.name);
        EXPECT_EQ(same->type, g.type) << g.name;
    }
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"counter", "fnp"}));
    EXPECT_EQ(info->globals().front().address, std::min(symbol("counter"), symbol("fnp")));
}

TEST_F(DwarfC, GlobalsFunctionsAndLanguage) {
    open(build("-g -O0"));
    auto g = info->global_at(symbol("fnp"));
    ASSERT_TRUE(g);
    EXPECT_EQ(g->name, "fnp");
    EXPECT_EQ(g->type->name, "int (*)(int)");
    EXPECT_EQ(g->type->target->kind, TypeKind::Function);
    EXPECT_EQ(info->global_at(symbol("counter"))->type->name, "int");
    EXPECT_FALSE(info->global_at(symbol("counter") + 1));

    uint64_t shadow = symbol("shadow");
    EXPECT_EQ(info->function_at(shadow + 4), "shadow");
    EXPECT_EQ(info->language_at(shadow + 4), Lang::C);
    auto fi = info->function_info_at(shadow);
    ASSERT_TRUE(fi);
    EXPECT_EQ(fi->name, "shadow");
    EXPECT_EQ(fi->qualified, "shadow");
    EXPECT_EQ(fi->lang, Lang::C);
    EXPECT_EQ(fi->line, 16u);
    EXPECT_TRUE(fi->file.ends_with("/cfix.c")) << fi->file;
    // No DWARF for crt's _start: the symbol table answers.
    EXPECT_EQ(info->function_at(symbol("_start")), "_start");
    EXPECT_EQ(info->language_at(symbol("_start")), Lang::Unknown);
    // A Rust legacy symbol without DWARF (here: top-level asm) is demangled, hash dropped.
    EXPECT_EQ(info->function_at(symbol("_ZN4demo12Vec$LT$T$GT$5inner17h0123456789abcdefE")),
              "demo::Vec<T>::inner");
    auto none = info->variables_at(symbol("_start"));
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().message, fmt::format("no debug info for pc {:#x}", symbol("_start")));
}

TEST_F(DwarfC, VariablesInALexicalBlockShadowOuterOnes) {
    open(build("-g -O0"));
    auto fn = nm_symbol(path, "shadow");
    ASSERT_TRUE(fn);
    auto at_entry = info->variables_at(fn->address);
    ASSERT_TRUE(at_entry) << at_entry.error().message;
    EXPECT_EQ(describe(*at_entry),
              (std::vector<std::string>{"param a:int:16", "x:int:17", "total:int:18"}));
    // Somewhere inside the function the inner block is live: find it by scanning.
    std::vector<std::string> inner = {"x:int:20", "y:int:21", "param a:int:16", "total:int:18"};
    std::optional<uint64_t> block_pc;
    for (uint64_t pc = fn->address; pc < fn->address + fn->size && !block_pc; ++pc) {
        auto vars = info->variables_at(pc);
        ASSERT_TRUE(vars) << vars.error().message;
        if (describe(*vars) == inner) block_pc = pc;
    }
    ASSERT_TRUE(block_pc) << "no pc shows the inner block's variables first";
    auto vars = *info->variables_at(*block_pc);
    EXPECT_TRUE(vars[0].decl_file.ends_with("/cfix.c"));

    // gcc -O0: frame base is the CFA, locals live at DW_OP_fbreg offsets from it.
    const Variable& y = vars[1];
    ASSERT_EQ(y.frame_base.size(), 1u);
    EXPECT_EQ(y.frame_base[0].expr, (std::vector<uint8_t>{DW_OP_call_frame_cfa}));
    ASSERT_EQ(y.location.size(), 1u);
    ASSERT_TRUE(y.location[0].everywhere);
    ASSERT_EQ(y.location[0].expr.size(), 2u);
    ASSERT_EQ(y.location[0].expr[0], DW_OP_fbreg);
    int64_t offset = int64_t(y.location[0].expr[1] & 0x7f) - 0x80; // one-byte negative SLEB
    FakeFrame frame;
    frame.cfa_value = 0x7ffff000;
    BufferMemory mem;
    auto v = info->locate(y, *block_pc, frame, mem);
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(v->address, 0x7ffff000u + offset);
    EXPECT_EQ(v->type->name, "int");
    EXPECT_EQ(mem.reads, 0u);
}

class DwarfCOptimised : public DwarfC, public ::testing::WithParamInterface<const char*> {};

// DWARF 5 .debug_loclists / .debug_rnglists (gcc 12's default) and DWARF 4 .debug_loc.
INSTANTIATE_TEST_SUITE_P(Versions, DwarfCOptimised,
                         ::testing::Values("-g -O2", "-g -gdwarf-4 -O2"));

TEST_P(DwarfCOptimised, LocationListsAndRegisters) {
    open(build(GetParam()));
    auto fn = nm_symbol(path, "shadow");
    ASSERT_TRUE(fn);
    auto vars = info->variables_at(fn->address);
    ASSERT_TRUE(vars) << vars.error().message;
    auto a = std::find_if(vars->begin(), vars->end(), [](auto& v) { return v.name == "a"; });
    ASSERT_NE(a, vars->end());
    EXPECT_FALSE(a->location.empty());
    // At the first instruction the ABI puts `a` in rdi (DWARF register 5).
    FakeFrame frame;
    frame.regs[5] = 0xffffffff00000029;
    frame.regs[7] = 0x7ffff000;
    frame.cfa_value = 0x7ffff008;
    BufferMemory mem;
    auto v = info->locate(*a, fn->address, frame, mem);
    ASSERT_TRUE(v) << v.error().message;
    ASSERT_TRUE(v->bytes);
    EXPECT_EQ(held_u64(*v), 0x29u);
    EXPECT_EQ(v->bytes->size(), 4u);
    // Past the function, no location list entry applies.
    auto after = info->locate(*a, fn->address + fn->size + 0x100000, frame, mem);
    ASSERT_FALSE(after);
    EXPECT_TRUE(after.error().message.starts_with("a is optimised out at pc"))
        << after.error().message;
}

TEST_F(DwarfC, OpenErrorsAreClear) {
    EXPECT_EQ(DebugInfo::open("/nonexistent/x", 0).error().message, "/nonexistent/x: no such file");
    std::string bin = build("-O0");
    auto none = DebugInfo::open(bin, 0);
    ASSERT_FALSE(none);
    EXPECT_TRUE(none.error().message.find("no DWARF") != std::string::npos) << none.error().message;
    std::string text = (std::filesystem::temp_directory_path() / "seam-dwarf-not-elf.txt").string();
    std::ofstream(text) << "hello";
    EXPECT_EQ(DebugInfo::open(text, 0).error().message, text + ": not an ELF file");
}

// A declaration in one unit (`struct node;`) whose definition is in another: built without the
// whole-file name index (a backtrace must not pay for indexing a 300 MB vmlinux), it stays a
// declaration until something asks to complete it, then takes the definition in place; a
// struct no unit defines stays a declaration.
TEST(DwarfCrossUnit, DeclarationCompletedInPlaceOnDemand) {
    namespace fs = std::filesystem;
    fs::path def = fs::temp_directory_path() / "seam-dwarf-cross-unit-node.c";
    std::ofstream(def) << "struct node { int value; struct node *next; };\n"
                          "struct node *make(void) { static struct node n = {4, 0}; return &n; }\n";
    std::string error;
    std::string bin = build_fixture("crossunit", "c",
                                    "struct node;\nstruct never;\n"
                                    "struct node *make(void);\n"
                                    "struct node *head;\nstruct never *nothing;\n"
                                    "int main(void) { head = make(); return nothing != 0; }\n",
                                    "-g -O0 " + def.string(), error);
    ASSERT_FALSE(bin.empty()) << error;
    auto di = DebugInfo::open(bin, 0);
    ASSERT_TRUE(di) << di.error().message;
    const DebugInfo& info = **di;
    const Type* node = nullptr;
    const Type* never = nullptr;
    for (const auto& g : info.globals()) {
        if (g.name == "head") node = strip(strip(g.type)->target);
        if (g.name == "nothing") never = strip(strip(g.type)->target);
    }
    ASSERT_TRUE(node && never);
    EXPECT_TRUE(node->declaration) << "completed before anything asked";
    EXPECT_TRUE(node->fields.empty());
    info.complete(node);
    EXPECT_FALSE(node->declaration);
    ASSERT_EQ(node->fields.size(), 2u);
    EXPECT_EQ(node->fields[0].name, "value");
    EXPECT_EQ(node->fields[1].name, "next");
    EXPECT_EQ(node->size, 16u);
    info.complete(never);
    EXPECT_TRUE(never->declaration);
}

} // namespace
} // namespace seam
