// see_through (formatters/kernel/kernel_c_objects.cpp): the C object inside the kernel crate's
// wrappers (Opaque, UnsafeCell, MaybeUninit, ManuallyDrop, ...), however deep they nest, and
// an end to a wrapper chain that corrupt DWARF makes circular.
#include <string>

#include <gtest/gtest.h>

#include "formatters/kernel/kernel_parts.h"
#include "tests/engine/fake_target.h"

namespace seam::kernel {
namespace {

using fake_target::Types;

// `depth` wrappers, alternating Opaque and UnsafeCell, around a C `struct device`.
const Type* wrapped(Types& rust, const Type* inner, int depth) {
    const Type* cur = inner;
    for (int i = 0; i < depth; ++i) {
        std::string path = i % 2 ? "core::cell::UnsafeCell" : "kernel::types::Opaque";
        std::string name = path + "<" + cur->qualified + ">";
        Type& w = rust.make(TypeKind::Struct, name, cur->size, name);
        Types::add(w, "value", cur, 0);
        cur = &w;
    }
    return cur;
}

TEST(KernelSeeThrough, ChainsDeeperThanAnyFixedBound) {
    Types c{Lang::C};
    Types rust{Lang::Rust};
    Type& device = c.make(TypeKind::Struct, "device", 16);
    Types::add(device, "id", c.base("int", Encoding::Signed, 4), 0);
    for (int depth : {0, 1, 5, 12, 13, 64, 200}) {
        Value v = see_through(Value::at(wrapped(rust, &device, depth), 0x1000));
        EXPECT_EQ(v.type, &device) << depth << " wrappers";
        EXPECT_EQ(v.address, std::optional<uint64_t>(0x1000)) << depth << " wrappers";
    }
}

TEST(KernelSeeThrough, ACircularChainFromCorruptDwarfEnds) {
    Types rust{Lang::Rust};
    Type& a =
        rust.make(TypeKind::Struct, "kernel::types::Opaque<A>", 8, "kernel::types::Opaque<A>");
    Type& b =
        rust.make(TypeKind::Struct, "core::cell::UnsafeCell<B>", 8, "core::cell::UnsafeCell<B>");
    Types::add(a, "value", &b, 0);
    Types::add(b, "value", &a, 0);
    Value v = see_through(Value::at(&a, 0x1000));
    EXPECT_TRUE(v.type == &a || v.type == &b);
}

} // namespace
} // namespace seam::kernel
