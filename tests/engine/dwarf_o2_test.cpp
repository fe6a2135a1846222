// The DWARF backend on a Rust program built at -O2: a function inlined into main shares main's
// physical frame, so variables_at must serve each function level at the same pc (the inlined
// callee at depth 0, main at depth 1), and zero-sized locals, which rustc leaves without a
// location at -O2, must still locate (they need no bytes). The call to the out-of-line
// `seam_stop` inside the inlined function is found with objdump, independently of the DWARF.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "tests/engine/dwarf_test_support.h"

namespace seam {
namespace {

using namespace dwarf_test;

constexpr const char* kSource = R"(use std::hint::black_box;
use std::marker::PhantomData;
#[inline(never)]
#[no_mangle]
pub extern "C" fn seam_stop(x: u64) -> u64 { black_box(x) }
#[inline(always)]
fn inner(a: u64) -> u64 {
    let doubled = a.wrapping_mul(2);
    seam_stop(doubled) + 1
}
struct Unit;
fn main() {
    let outer: u64 = black_box(21);
    let marker: PhantomData<u32> = PhantomData;
    let unit = Unit;
    let r = inner(outer);
    black_box(&marker);
    black_box(&unit);
    black_box(r);
}
)";

class DwarfO2 : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        std::string error;
        binary = build_fixture("rust_o2", "rs", kSource,
                               "-g -C opt-level=2 -C debuginfo=2 --crate-name rust_o2", error);
        build_error = error;
    }
    void SetUp() override {
        ASSERT_FALSE(binary.empty()) << build_error;
        auto di = DebugInfo::open(binary, 0);
        ASSERT_TRUE(di) << di.error().message;
        info = std::move(*di);
        auto main_fn = nm_symbol(binary, "7rust_o24main17h");
        ASSERT_TRUE(main_fn);
        // `  138da:	call   13940 <seam_stop>` inside main: the pc a caller frame looks up
        // is the return address minus one, which lies inside the call instruction.
        std::regex call(R"(^\s*([0-9a-f]+):\s+call\s+[0-9a-f]+ <seam_stop>)");
        std::istringstream lines(run("objdump -d --no-show-raw-insn " + binary));
        std::string line;
        std::smatch m;
        while (std::getline(lines, line)) {
            if (!std::regex_search(line, m, call)) continue;
            uint64_t at = std::stoull(m[1].str(), nullptr, 16);
            if (at >= main_fn->address && at < main_fn->address + main_fn->size) call_pc = at + 1;
        }
        ASSERT_NE(call_pc, 0u) << "no call to seam_stop in main";
    }

    static std::vector<std::string> names(const std::vector<Variable>& vars) {
        std::vector<std::string> out;
        for (const auto& v : vars) out.push_back(v.name);
        return out;
    }
    static const Variable* find(const std::vector<Variable>& vars, const std::string& name) {
        auto it = std::find_if(vars.begin(), vars.end(),
                               [&](const Variable& v) { return v.name == name; });
        return it == vars.end() ? nullptr : &*it;
    }

    static inline std::string binary;
    static inline std::string build_error;
    std::unique_ptr<DebugInfo> info;
    uint64_t call_pc = 0;
};

TEST_F(DwarfO2, InlinedCalleeAndItsCallerShareThePc) {
    EXPECT_EQ(info->function_depth_at(call_pc), 2u);
    auto callee = info->function_info_at(call_pc, 0);
    ASSERT_TRUE(callee);
    EXPECT_EQ(callee->qualified, "rust_o2::inner");
    EXPECT_EQ(callee->line, 7u);
    EXPECT_EQ(info->function_info_at(call_pc)->qualified, "rust_o2::inner");
    auto caller = info->function_info_at(call_pc, 1);
    ASSERT_TRUE(caller);
    EXPECT_EQ(caller->qualified, "rust_o2::main");
    EXPECT_EQ(caller->line, 12u);
    EXPECT_FALSE(info->function_info_at(call_pc, 2));
}

TEST_F(DwarfO2, DepthZeroServesTheInlinedCallee) {
    auto vars = info->variables_at(call_pc, 0);
    ASSERT_TRUE(vars) << vars.error().message;
    // `doubled` lives in a block of `inner`; `a` is its parameter. Nothing of main's.
    EXPECT_EQ(names(*vars), (std::vector<std::string>{"doubled", "a"}));
    auto one_arg = info->variables_at(call_pc);
    ASSERT_TRUE(one_arg);
    EXPECT_EQ(names(*one_arg), names(*vars));

    const Variable* doubled = find(*vars, "doubled");
    ASSERT_TRUE(doubled);
    EXPECT_EQ(doubled->decl_line, 8u);
    EXPECT_TRUE(find(*vars, "a")->is_parameter);
    // At the call, `doubled` is the argument register (rdi, DWARF 5) of seam_stop.
    FakeFrame frame;
    frame.regs[5] = 42;
    frame.regs[7] = 0x7fff0000;
    BufferMemory mem;
    auto value = info->locate(*doubled, call_pc, frame, mem);
    ASSERT_TRUE(value) << value.error().message;
    EXPECT_EQ(held_u64(*value), 42u);
}

TEST_F(DwarfO2, DepthOneServesTheCallersBlocksAndLocals) {
    auto vars = info->variables_at(call_pc, 1);
    ASSERT_TRUE(vars) << vars.error().message;
    // main's blocks that enclose the inlined call, innermost (latest `let`) first; `r` is
    // declared by a block after the call and is not in scope yet.
    EXPECT_EQ(names(*vars), (std::vector<std::string>{"unit", "marker", "outer"}));
    EXPECT_EQ(find(*vars, "outer")->decl_line, 13u);
    EXPECT_FALSE(info->variables_at(call_pc, 2));
}

TEST_F(DwarfO2, ZeroSizedLocalsWithoutALocationAreWhole) {
    auto vars = info->variables_at(call_pc, 1);
    ASSERT_TRUE(vars) << vars.error().message;
    FakeFrame frame;
    frame.regs[7] = 0x7fff0000;
    BufferMemory mem;
    for (std::string name : {"marker", "unit"}) {
        const Variable* v = find(*vars, name);
        ASSERT_TRUE(v) << name;
        auto value = info->locate(*v, call_pc, frame, mem);
        ASSERT_TRUE(value) << name << ": " << value.error().message;
        EXPECT_EQ(value->type, v->type);
        // rustc 1.63 still gave these address-taken locals a frame slot (DW_OP_fbreg +0): they
        // are at that address. Newer rustc leaves them without a location: whole, no bytes.
        if (!v->location.empty()) {
            EXPECT_TRUE(value->address) << name;
            continue;
        }
        EXPECT_FALSE(value->address);
        ASSERT_TRUE(value->bytes);
        EXPECT_TRUE(value->bytes->empty());
    }
    EXPECT_EQ(find(*vars, "marker")->type->qualified, "core::marker::PhantomData<u32>");
    EXPECT_EQ(find(*vars, "unit")->type->qualified, "rust_o2::Unit");
    EXPECT_EQ(mem.reads, 0u);

    // A location list that does not cover the pc: still whole when the type has no bytes.
    Variable listed = *find(*vars, "unit");
    listed.location.clear();
    listed.location.push_back({call_pc + 0x100, call_pc + 0x108, false, {0x50}}); // DW_OP_reg0
    auto value = info->locate(listed, call_pc, frame, mem);
    ASSERT_TRUE(value) << value.error().message;
    EXPECT_TRUE(value->bytes && value->bytes->empty());
}

TEST_F(DwarfO2, SizedLocalOutsideItsLocationListIsOptimisedOut) {
    auto vars = info->variables_at(call_pc, 1);
    ASSERT_TRUE(vars) << vars.error().message;
    const Variable* outer = find(*vars, "outer");
    ASSERT_TRUE(outer);
    ASSERT_FALSE(outer->location.empty());
    FakeFrame frame;
    BufferMemory mem;
    auto value = info->locate(*outer, call_pc, frame, mem);
    ASSERT_FALSE(value);
    EXPECT_EQ(value.error().message, fmt::format("outer is optimised out at pc {:#x}", call_pc));
}

// rustc -O2 splits fat pointers into pieces and drops the ones it no longer needs: a `&CStr`
// kept as `DW_OP_breg7 RSP+40, DW_OP_piece 0x8` (no length), a `&str` literal as
// `DW_OP_piece 0x8, DW_OP_constu 0x26, DW_OP_stack_value, DW_OP_piece 0x8` (no pointer).
class LostPieces : public ::testing::Test {
protected:
    void SetUp() override {
        u64.kind = TypeKind::Base;
        u64.name = "u64";
        u64.size = 8;
        u64.has_size = true;
        u8 = u64;
        u8.name = "u8";
        u8.size = 1;
        fat.kind = TypeKind::Struct;
        fat.name = "&str";
        fat.size = 16;
        fat.has_size = true;
        fat.fields = {{"data_ptr", &u64, 0}, {"length", &u64, 8}};
        padded = fat;
        padded.name = "(u64, u8)";
        padded.fields = {{"__0", &u64, 0}, {"__1", &u8, 8}};
        frame.regs = {{0, 0x1122334455667788}, {7, 0x2000}};
        mem.base = 0x2000;
        mem.bytes.resize(0x40);
        mem.put_u64(0x2028, 0x5555'0000'1000);
    }
    Result<Value> eval(const std::vector<uint8_t>& expr, const Type* t) {
        return evaluate_location(expr, nullptr, t, frame, mem, 0);
    }
    Type u64, u8, fat, padded;
    FakeFrame frame;
    BufferMemory mem;
};

TEST_F(LostPieces, MissingTrailingFieldIsNamed) {
    auto v = eval({DW_OP_breg7, 40, DW_OP_piece, 8}, &fat);
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().message, "part of the value is optimised out (field `length`)");
}

TEST_F(LostPieces, EmptyLeadingPieceIsNamed) {
    auto v = eval({DW_OP_piece, 8, DW_OP_constu, 0x26, DW_OP_stack_value, DW_OP_piece, 8}, &fat);
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().message, "part of the value is optimised out (field `data_ptr`)");
}

TEST_F(LostPieces, MissingPaddingIsZeros) {
    // Both fields in registers; the 7 bytes of padding after `__1` have no piece.
    auto v =
        eval({DW_OP_reg0, DW_OP_piece, 8, DW_OP_lit5, DW_OP_stack_value, DW_OP_piece, 1}, &padded);
    ASSERT_TRUE(v) << v.error().message;
    ASSERT_EQ(v->bytes->size(), 16u);
    EXPECT_EQ(held_u64(*v), 0x1122334455667788u);
    EXPECT_EQ(held_u64(v->sub(&u64, 8)), 5u);
}

TEST_F(LostPieces, WholePiecesStillAssemble) {
    auto v = eval({DW_OP_breg7, 40, DW_OP_piece, 8, DW_OP_lit3, DW_OP_stack_value, DW_OP_piece, 8},
                  &fat);
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(held_u64(*v), 0x5555'0000'1000u);
    EXPECT_EQ(held_u64(v->sub(&u64, 8)), 3u);
}

} // namespace
} // namespace seam
