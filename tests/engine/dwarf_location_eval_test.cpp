// evaluate_location on hand-written DWARF expressions, against a fake frame and memory.
#include <gtest/gtest.h>

#include "tests/engine/dwarf_test_support.h"

namespace seam {
namespace {

using dwarf_test::BufferMemory;
using dwarf_test::FakeFrame;
using dwarf_test::held_u64;
using Bytes = std::vector<uint8_t>;

Type sized(uint64_t size) {
    Type t;
    t.kind = TypeKind::Base;
    t.size = size;
    t.has_size = true;
    return t;
}

class LocationEval : public ::testing::Test {
protected:
    void SetUp() override {
        frame.regs = {{0, 0x1122334455667788}, {5, 41}, {6, 0x3000}, {7, 0x2000}};
        frame.cfa_value = 0x2100;
        mem.base = 0x2000;
        mem.bytes.resize(0x200);
        for (size_t i = 0; i < mem.bytes.size(); ++i) mem.bytes[i] = std::byte(i);
    }
    Result<Value> eval(const Bytes& expr, const Type* t = nullptr, const Bytes* fb = nullptr,
                       uint64_t bias = 0) {
        return evaluate_location(expr, fb, t ? t : &u64, frame, mem, bias);
    }
    FakeFrame frame;
    BufferMemory mem;
    Type u64 = sized(8);
    Type u32 = sized(4);
};

TEST_F(LocationEval, AddrIsRelocatedByTheLoadBias) {
    auto v = eval({DW_OP_addr, 0x00, 0x10, 0, 0, 0, 0, 0, 0}, nullptr, nullptr, 0x5550000);
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(v->address, 0x5551000u);
    EXPECT_EQ(mem.reads, 0u);
}

TEST_F(LocationEval, FrameBaseFromRegisterCfaOrRegisterPlusOffset) {
    Bytes fbreg_minus_8 = {DW_OP_fbreg, 0x78};
    Bytes rsp = {DW_OP_reg7};           // rustc at -O0
    Bytes cfa = {DW_OP_call_frame_cfa}; // gcc
    Bytes rbp16 = {DW_OP_breg6, 0x10};
    EXPECT_EQ(eval(fbreg_minus_8, nullptr, &rsp)->address, 0x2000u - 8);
    EXPECT_EQ(eval(fbreg_minus_8, nullptr, &cfa)->address, 0x2100u - 8);
    EXPECT_EQ(eval(fbreg_minus_8, nullptr, &rbp16)->address, 0x3010u - 8);
    auto none = eval(fbreg_minus_8);
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().message, "DW_OP_fbreg without a frame base");
}

TEST_F(LocationEval, RegisterPlusOffset) {
    EXPECT_EQ(eval({DW_OP_breg6, 0x7c})->address, 0x3000u - 4);
    EXPECT_EQ(eval({DW_OP_bregx, 7, 0x20})->address, 0x2020u);
    auto missing = eval({DW_OP_breg3, 0});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().message, "register 3 is not available in this frame");
}

TEST_F(LocationEval, RegisterHeldValueIsSizedByTheType) {
    auto v = eval({DW_OP_reg0}, &u32);
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_FALSE(v->address);
    ASSERT_EQ(v->bytes->size(), 4u);
    EXPECT_EQ(held_u64(*v), 0x55667788u);
}

TEST_F(LocationEval, VectorRegisterBytes) {
    std::vector<std::byte> xmm0(16);
    xmm0[0] = std::byte(0xab);
    xmm0[7] = std::byte(0x3f);
    frame.vregs[17] = xmm0;
    auto v = eval({DW_OP_regx, 17});
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(held_u64(*v), 0x3f000000000000abu);
}

TEST_F(LocationEval, StackValueAndArithmetic) {
    auto v = eval({DW_OP_constu, 7, DW_OP_consts, 0x7e, DW_OP_plus, DW_OP_stack_value}, &u32);
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(held_u64(*v), 5u);
    auto w = eval({DW_OP_breg5, 1, DW_OP_lit3, DW_OP_mul, DW_OP_stack_value});
    ASSERT_TRUE(w) << w.error().message;
    EXPECT_EQ(held_u64(*w), 126u);
}

TEST_F(LocationEval, ImplicitValue) {
    auto v = eval({DW_OP_implicit_value, 3, 0xfe, 0xff, 0xff}, &u32);
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(held_u64(*v), 0x00fffffeu);
}

TEST_F(LocationEval, DerefReadsThroughTheMemoryReader) {
    mem.put_u64(0x2000, 0x2040);
    auto v = eval({DW_OP_breg7, 0, DW_OP_deref});
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(v->address, 0x2040u);
    EXPECT_EQ(mem.reads, 1u);
    auto bad = eval({DW_OP_lit1, DW_OP_deref});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message, "unmapped 0x1");
}

TEST_F(LocationEval, PiecesAssembleRegisterAndMemoryBytes) {
    Type both = sized(8);
    auto v = eval({DW_OP_reg5, DW_OP_piece, 4, DW_OP_breg7, 0x10, DW_OP_piece, 4}, &both);
    ASSERT_TRUE(v) << v.error().message;
    ASSERT_EQ(v->bytes->size(), 8u);
    EXPECT_EQ(held_u64(*v), 0x1312111000000029u);
}

TEST_F(LocationEval, BitPiecesPackLeastSignificantFirst) {
    Type byte = sized(1);
    auto v = eval({DW_OP_lit3, DW_OP_stack_value, DW_OP_bit_piece, 3, 0, DW_OP_lit1,
                   DW_OP_stack_value, DW_OP_bit_piece, 5, 0},
                  &byte);
    ASSERT_TRUE(v) << v.error().message;
    ASSERT_EQ(v->bytes->size(), 1u);
    EXPECT_EQ(held_u64(*v), 0b00001011u);
}

TEST_F(LocationEval, WhatCannotBeKnownIsAnError) {
    EXPECT_EQ(eval({}).error().message, "optimised out");
    EXPECT_EQ(eval({DW_OP_entry_value, 1, DW_OP_reg5, DW_OP_stack_value}).error().message,
              "optimised out (entry value)");
    EXPECT_EQ(eval({DW_OP_GNU_entry_value, 1, DW_OP_reg5, DW_OP_stack_value}).error().message,
              "optimised out (entry value)");
    EXPECT_EQ(eval({DW_OP_piece, 4}).error().message,
              "part of the value is optimised out (bytes 0..8)");
    frame.cfa_value.reset();
    EXPECT_EQ(eval({DW_OP_call_frame_cfa}).error().message, "the frame's CFA is not known");
}

TEST_F(LocationEval, CorruptExpressionsEndWithAnError) {
    EXPECT_EQ(eval({DW_OP_addr, 1, 2}).error().message, "truncated DWARF expression (op 0x3)");
    EXPECT_EQ(eval({DW_OP_skip, 0xfd, 0xff}).error().message,
              "DWARF expression does not terminate");
    EXPECT_EQ(eval({DW_OP_plus}).error().message, "DWARF expression stack underflow");
    EXPECT_EQ(eval({0xe0}).error().message,
              "thread-local variable: needs the debugger's TLS lookup");
}

} // namespace
} // namespace seam
