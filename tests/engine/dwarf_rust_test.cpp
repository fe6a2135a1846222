// The DWARF backend on a Rust program built by rustc at test time: variant parts, 128-bit
// discriminants, std paths, vtables, and the load bias (the program prints its own addresses).
#include <gtest/gtest.h>

#include "tests/engine/dwarf_test_support.h"

namespace seam {
namespace {

using namespace dwarf_test;

constexpr const char* kSource = R"(use std::hint::black_box;
#[cfg(seam_rust_ge_89)] #[repr(u128)]
#[allow(dead_code)]
pub enum Big { Small = 1, Huge = 0xffff_0000_0000_0000_0000_0000_0000_0001 }
#[cfg(seam_rust_ge_89)] #[repr(u128)]
#[allow(dead_code)]
pub enum BigData { A(u8) = 7, B(u16) = 0x8000_0000_0000_0000_0000_0000_0000_0002 }
pub trait Speak { fn speak(&self) -> u32; }
pub struct Dog(pub u32);
impl Speak for Dog { fn speak(&self) -> u32 { self.0 } }
#[no_mangle]
pub static SEAM_COUNTER: u64 = 5;
fn main() {
    let o: Option<String> = None;
    let v: Vec<u64> = vec![1, 2, 3];
    #[cfg(seam_rust_ge_89)] let b = Big::Huge;
    #[cfg(seam_rust_ge_89)] let bd = BigData::B(3);
    let d: Box<dyn Speak> = Box::new(Dog(4));
    let raw: *const dyn Speak = &*d;
    let (_, vtable): (usize, usize) = unsafe { std::mem::transmute(raw) };
    println!("{:x} {:x}", vtable, &SEAM_COUNTER as *const u64 as usize);
    black_box((&o, &v, d.speak()));
    #[cfg(seam_rust_ge_89)] black_box((&b, &bd));
}
)";

class DwarfRust : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        std::string error;
        // `#[repr(u128)]` and discriminants on variants with fields are stable from 1.89.
        const std::string cfg = SEAM_TEST_RUSTC_MINOR >= 89 ? " --cfg seam_rust_ge_89" : "";
        binary = build_fixture("rust_types", "rs", kSource, "-g -C opt-level=0" + cfg, error);
        build_error = error;
    }
    void SetUp() override {
        ASSERT_FALSE(binary.empty()) << build_error;
        auto di = DebugInfo::open(binary, 0);
        ASSERT_TRUE(di) << di.error().message;
        info = std::move(*di);
    }
    static inline std::string binary;
    static inline std::string build_error;
    std::unique_ptr<DebugInfo> info;
};

TEST_F(DwarfRust, OptionStringVariantPartHasTheNicheValue) {
    const Type* t = info->find_type("core::option::Option<alloc::string::String>");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->kind, TypeKind::Struct);
    EXPECT_EQ(t->lang, Lang::Rust);
    EXPECT_EQ(t->name, "Option<alloc::string::String>");
    EXPECT_EQ(t->size, 24u);
    ASSERT_TRUE(t->variant_part);
    const VariantPart& vp = *t->variant_part;
    ASSERT_TRUE(vp.discr);
    EXPECT_EQ(vp.discr->type->name, "u64");
    EXPECT_TRUE(vp.discr->artificial);
    ASSERT_EQ(vp.variants.size(), 2u);
    EXPECT_EQ(vp.variants[0].member.name, "None");
    EXPECT_FALSE(vp.variants[0].is_default);
    // None is the first value the niche field cannot hold: since std gave RawVec a `Cap`
    // (0..=isize::MAX) the niche is the capacity, before that the never-null pointer.
    const Type* string = info->find_type("alloc::string::String");
    ASSERT_TRUE(string);
    const Field* vec = find_field(string, "vec");
    ASSERT_TRUE(vec);
    const Field* raw = find_field(vec->type, "buf");
    ASSERT_TRUE(raw);
    const Type* inner = raw->type;
    uint64_t base = vec->offset + raw->offset;
    if (const Field* f = find_field(inner, "inner")) inner = f->type, base += f->offset;
    const Field* cap = find_field(inner, "cap");
    const Field* ptr = find_field(inner, "ptr");
    ASSERT_TRUE(cap && ptr);
    const bool cap_niche = cap->type->qualified != "usize";
    EXPECT_EQ(vp.discr->offset, base + (cap_niche ? cap->offset : ptr->offset));
    EXPECT_EQ(vp.variants[0].discr_values,
              (std::vector<Int128>{{cap_niche ? 0x8000000000000000 : 0, 0}}));
    // rustc before 1.7x named the variant structs with the enum's generic arguments too.
    const std::string none = vp.variants[0].member.type->qualified;
    EXPECT_TRUE(none == "core::option::Option<alloc::string::String>::None" ||
                none == "core::option::Option<alloc::string::String>::None<alloc::string::String>")
        << none;
    EXPECT_EQ(vp.variants[1].member.name, "Some");
    EXPECT_TRUE(vp.variants[1].is_default);
    EXPECT_TRUE(vp.variants[1].discr_values.empty());
    const Type* some = vp.variants[1].member.type;
    ASSERT_EQ(some->fields.size(), 1u);
    EXPECT_EQ(some->fields[0].name, "__0");
    EXPECT_EQ(some->fields[0].type->qualified, "alloc::string::String");
}

TEST_F(DwarfRust, VecFieldsAndTemplateParameters) {
    const Type* t = info->find_type("alloc::vec::Vec<u64, alloc::alloc::Global>");
    ASSERT_TRUE(t);
    EXPECT_TRUE(has_path(t, "alloc::vec::Vec"));
    EXPECT_EQ(t->size, 24u);
    ASSERT_EQ(t->template_params.size(), 2u);
    EXPECT_EQ(t->template_params[0].name, "T");
    EXPECT_EQ(template_arg(t, 0)->name, "u64");
    EXPECT_EQ(template_arg(t, 0)->encoding, Encoding::Unsigned);
    EXPECT_EQ(template_arg(t, 1)->qualified, "alloc::alloc::Global");
    ASSERT_EQ(t->fields.size(), 2u);
    const Field* buf = find_field(t, "buf");
    const Field* len = find_field(t, "len");
    ASSERT_TRUE(buf && len);
    EXPECT_EQ(buf->type->qualified, "alloc::raw_vec::RawVec<u64, alloc::alloc::Global>");
    EXPECT_EQ(len->type->name, "usize");
    EXPECT_EQ(len->type->size, 8u);
    EXPECT_NE(buf->offset, len->offset);
    EXPECT_LE(len->offset + 8, t->size);
}

TEST_F(DwarfRust, U128Discriminants) {
    if (SEAM_TEST_RUSTC_MINOR < 89) GTEST_SKIP() << "`#[repr(u128)]` is stable from Rust 1.89";
    const Type* big = info->find_type("rust_types::Big");
    ASSERT_TRUE(big);
    EXPECT_EQ(big->kind, TypeKind::Enum);
    EXPECT_EQ(big->target->name, "u128");
    ASSERT_EQ(big->enumerators.size(), 2u);
    EXPECT_EQ(big->enumerators[0].name, "Small");
    EXPECT_EQ(big->enumerators[0].value, (Int128{1, 0}));
    EXPECT_EQ(big->enumerators[1].name, "Huge");
    EXPECT_EQ(big->enumerators[1].value, (Int128{1, 0xffff000000000000}));

    const Type* data = info->find_type("rust_types::BigData");
    ASSERT_TRUE(data && data->variant_part);
    const VariantPart& vp = *data->variant_part;
    EXPECT_EQ(vp.discr->type->name, "u128");
    ASSERT_EQ(vp.variants.size(), 2u);
    EXPECT_EQ(vp.variants[0].discr_values, (std::vector<Int128>{{7, 0}}));
    EXPECT_EQ(vp.variants[1].discr_values, (std::vector<Int128>{{2, 0x8000000000000000}}));
    EXPECT_EQ(vp.variants[1].member.type->qualified, "rust_types::BigData::B");
}

TEST_F(DwarfRust, VtableGlobalNamesItsConcreteTypeAtTheLoadAddress) {
    int status = 0;
    std::string out = run(binary, &status);
    ASSERT_EQ(status, 0) << out;
    uint64_t vtable = 0, counter = 0;
    ASSERT_EQ(std::sscanf(out.c_str(), "%lx %lx", &vtable, &counter), 2) << out;
    auto sym = nm_symbol(binary, "SEAM_COUNTER");
    ASSERT_TRUE(sym);
    uint64_t bias = counter - sym->address; // PIE slide of this run
    auto di = DebugInfo::open(binary, bias);
    ASSERT_TRUE(di) << di.error().message;

    auto g = (*di)->global_at(vtable);
    ASSERT_TRUE(g);
    EXPECT_EQ(g->name, "<rust_types::Dog as rust_types::Speak>::{vtable}");
    EXPECT_EQ(g->address, vtable);
    ASSERT_TRUE(g->type);
    EXPECT_EQ(g->type->name, "<rust_types::Dog as rust_types::Speak>::{vtable_type}");
    ASSERT_TRUE(g->type->containing_type);
    EXPECT_EQ(g->type->containing_type->qualified, "rust_types::Dog");
    ASSERT_GE(g->type->fields.size(), 4u);
    EXPECT_EQ(g->type->fields[0].name, "drop_in_place");
    EXPECT_EQ(g->type->fields[1].name, "size");

    auto c = (*di)->global_at(counter);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->name, "rust_types::SEAM_COUNTER");
    EXPECT_EQ(c->type->name, "u64");
}

TEST_F(DwarfRust, FunctionsLanguageAndLocals) {
    auto main_fn = nm_symbol(binary, "10rust_types4main17h");
    ASSERT_TRUE(main_fn);
    uint64_t pc = main_fn->address;
    EXPECT_EQ(info->language_at(pc), Lang::Rust);
    EXPECT_EQ(info->function_at(pc + 1), "rust_types::main");
    auto fi = info->function_info_at(pc);
    ASSERT_TRUE(fi);
    EXPECT_EQ(fi->name, "main");
    EXPECT_EQ(fi->qualified, "rust_types::main");
    EXPECT_TRUE(fi->linkage.starts_with("_ZN10rust_types4main17h")) << fi->linkage;
    EXPECT_EQ(fi->line, 13u);

    // rustc nests one lexical block per `let`: at some pc all five locals are in scope,
    // innermost (latest) first, each at a DW_OP_fbreg offset from rsp (DW_OP_reg7).
    std::vector<std::string> want = {"raw", "d", "bd", "b", "v", "o"};
    if (SEAM_TEST_RUSTC_MINOR < 89) want = {"raw", "d", "v", "o"}; // no Big, BigData
    bool found = false;
    for (uint64_t p = pc; p < pc + main_fn->size && !found; ++p) {
        auto vars = info->variables_at(p);
        if (!vars) continue;
        std::vector<std::string> names;
        for (const auto& v : *vars) names.push_back(v.name);
        if (names.size() < want.size() ||
            !std::equal(want.begin(), want.end(), names.end() - long(want.size())))
            continue;
        found = true;
        const Variable& o = vars->back();
        EXPECT_EQ(o.type->qualified, "core::option::Option<alloc::string::String>");
        EXPECT_EQ(o.decl_line, 14u);
        EXPECT_EQ(o.frame_base.at(0).expr, (std::vector<uint8_t>{0x57})); // DW_OP_reg7
        FakeFrame frame;
        frame.regs[7] = 0x7fff0000;
        BufferMemory mem;
        auto value = info->locate(o, p, frame, mem);
        ASSERT_TRUE(value) << value.error().message;
        ASSERT_TRUE(value->address);
        EXPECT_GE(*value->address, 0x7fff0000u);
        EXPECT_LT(*value->address, 0x7fff0000u + 0x1000);
    }
    EXPECT_TRUE(found);
}

} // namespace
} // namespace seam
