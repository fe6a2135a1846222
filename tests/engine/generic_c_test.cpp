// The C formatters over types shaped like gcc 12's DWARF; the texts are seam's C convention
// (formatters/c/c_parts.h).
#include <gtest/gtest.h>

#include "tests/engine/fake_target.h"

namespace seam {
namespace {

using namespace fake_target;

struct C {
    Types t{Lang::C};
    const Type* chr = t.base("char", Encoding::SignedChar, 1);
    const Type* i32 = t.base("int", Encoding::Signed, 4);
    const Type* u32 = t.base("unsigned int", Encoding::Unsigned, 4);
    const Type* dbl = t.base("double", Encoding::Float, 8);
};

TEST(GenericC, StructsCharsAndStrings) {
    C c;
    Env env;
    const Type* point = &c.t.record(TypeKind::Struct, "point", 8,
                                    {Types::field("x", c.i32, 0), Types::field("y", c.i32, 4)});
    env.mem.put(0x1000, cat({le(1, 4), le(0xfffffffe, 4)}));
    EXPECT_EQ(env.debug(Value::at(point, 0x1000)), "point { x: 1, y: -2 }");
    Formatted f = env.format(Value::at(point, 0x1000));
    EXPECT_EQ(f.own.kind, OwnKind::C);
    EXPECT_EQ(f.type_name, "struct point");

    env.mem.put(0x2000, {'a', '\n', 0xff, 'b', 'o', 'a', 't', 0, 'x'});
    EXPECT_EQ(env.debug(Value::at(c.chr, 0x2000)), "97 'a'");
    EXPECT_EQ(env.debug(Value::at(c.chr, 0x2001)), "10 '\\n'");
    EXPECT_EQ(env.debug(Value::at(c.chr, 0x2002)), "-1 '\\377'");
    const Type* str = c.t.pointer("", c.chr);
    env.mem.put(0x3000, cat({le(0x2003, 8), le(0, 8), le(0x9999, 8)}));
    EXPECT_EQ(env.debug(Value::at(str, 0x3000)), "\"boat\"");
    EXPECT_EQ(env.debug(Value::at(str, 0x3008)), "0x0");
    EXPECT_EQ(env.debug(Value::at(str, 0x3010)).rfind("<error: cannot read a C string", 0), 0u);
    // char[N]: up to the NUL, or all N bytes.
    EXPECT_EQ(env.debug(Value::at(c.t.array(c.chr, {6}), 0x2003)), "\"boat\"");
    EXPECT_EQ(env.debug(Value::at(c.t.array(c.chr, {3}), 0x2003)), "\"boa\"");
}

TEST(GenericC, EnumsByNameFlagsOrNumber) {
    C c;
    Env env;
    Type& color = c.t.make(TypeKind::Enum, "color", 4);
    color.enumerators = {{"RED", Int128{0, 0}}, {"GREEN", Int128{1, 0}}, {"BLUE", Int128{2, 0}}};
    Type& flags = c.t.make(TypeKind::Enum, "flags", 4);
    flags.enumerators = {
        {"F_READ", Int128{1, 0}}, {"F_WRITE", Int128{2, 0}}, {"F_EXEC", Int128{4, 0}}};
    env.mem.put(0x1000, cat({le(1, 4), le(7, 4), le(3, 4), le(11, 4), le(8, 4)}));
    EXPECT_EQ(env.debug(Value::at(&color, 0x1000)), "GREEN");
    EXPECT_EQ(env.debug(Value::at(&color, 0x1004)), "7");
    EXPECT_EQ(env.debug(Value::at(&flags, 0x1008)), "(F_READ | F_WRITE)");
    EXPECT_EQ(env.debug(Value::at(&flags, 0x100c)), "11"); // not all bits are flags
    EXPECT_EQ(env.debug(Value::at(&flags, 0x1010)), "8");
}

TEST(GenericC, BitFieldsUnionsAndMultiDimensionalArrays) {
    C c;
    Env env;
    Field a = Types::field("a", c.u32, 0);
    a.bit_size = 3;
    Field b = Types::field("b", c.i32, 0);
    b.bit_size = 5;
    b.bit_offset = 3;
    const Type* bits = &c.t.record(TypeKind::Struct, "bits", 4, {a, b});
    env.mem.put(0x1000, le(0b11111'101, 4)); // a = 5, b = -1
    EXPECT_EQ(env.debug(Value::at(bits, 0x1000)), "bits { a: 5, b: -1 }");

    const Type* u = &c.t.record(TypeKind::Union, "num", 4,
                                {Types::field("i", c.i32, 0), Types::field("u", c.u32, 0)});
    env.mem.put(0x2000, le(0xffffffff, 4));
    EXPECT_EQ(env.debug(Value::at(u, 0x2000)), "num { i: -1, u: 4294967295 }");

    const Type* m = c.t.array(c.i32, {2, 3});
    env.mem.put(0x3000, cat({le(1, 4), le(2, 4), le(3, 4), le(4, 4), le(5, 4), le(6, 4)}));
    EXPECT_EQ(env.debug(Value::at(m, 0x3000)), "[[1, 2, 3], [4, 5, 6]]");
    EXPECT_EQ(env.format(Value::at(m, 0x3000)).type_name, "int[2][3]");
}

} // namespace
} // namespace seam
