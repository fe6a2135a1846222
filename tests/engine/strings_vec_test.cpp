// The string and sequence formatters over hand-built memory laid out as rustc 1.95 lays it out
// (Vec { buf: RawVec { inner: RawVecInner { ptr, cap: UsizeNoHighBit }, _marker }, len }):
// paging by index range with one bulk read per page, the wrapped VecDeque ring, string escapes,
// and corrupted headers that end as markers without reading elements.
#include <cstring>

#include <gtest/gtest.h>

#include "formatters/core/context.h"
#include "formatters/render/render.h"
#include "formatters/rust/families.h"
#include "tests/engine/fake_target.h"

namespace seam {
namespace {

using fake_target::FakeMemory;

// The std containers of rustc 1.95: Vec and String from the shared fake (RawVec a type-erased
// RawVecInner with the cap first), and the slices and VecDeque these tests also need.
struct Types : fake_target::RustStdTypes {
    Type* fat(std::string name, const Type* target) {
        Type* f = &make(TypeKind::Struct, name, 16);
        add(*f, "data_ptr", pointer(target->name + " *", target), 0);
        add(*f, "length", usize, 8);
        return f;
    }
    Type* vec_deque(const Type* elem) {
        std::string n = "VecDeque<" + elem->name + ", alloc::alloc::Global>";
        Type* d = &make(TypeKind::Struct, n, 32, "alloc::collections::vec_deque::" + n);
        d->template_params.push_back({"T", elem});
        add(*d, "head", usize, 16);
        add(*d, "len", usize, 24);
        add(*d, "buf", raw_vec(elem), 0);
        return d;
    }
};

struct SeqRegistry : Registry {
    SeqRegistry() {
        register_rust_strings(*this);
        register_rust_vec(*this);
    }
};

struct Seq : ::testing::Test {
    SeqRegistry registry;
    Types ty;
    FakeMemory mem;
    Context ctx{mem, nullptr, registry};
    // These tests assert the reads of a client that pages (LLDB's children), which turns off
    // the read-ahead a renderer wants, and they change memory under one Context.
    Seq() { ctx.set_read_chunk(0); }

    // A Vec header at `at`: cap, ptr, len in rustc 1.95's order.
    void vec_header(uint64_t at, uint64_t ptr, uint64_t len, uint64_t cap) {
        std::vector<std::byte> b(24);
        std::memcpy(b.data(), &cap, 8);
        std::memcpy(b.data() + 8, &ptr, 8);
        std::memcpy(b.data() + 16, &len, 8);
        mem.put_bytes(at, b);
    }
    uint64_t u32_of(const Value& v) { return ctx.read_uint(v, 0, 4).value_or(~0ull); }
};

TEST_F(Seq, TenMillionElementVecReadsOnlyThePageAsked) {
    const Type* v = ty.vec(ty.u32);
    constexpr uint64_t kPtr = 0x10000000, kLen = 10'000'000;
    vec_header(0x1000, kPtr, kLen, kLen);
    mem.generate(kPtr, kLen * 4);
    Formatted f = ctx.format(Value::at(v, 0x1000));
    ASSERT_EQ(f.shape, Shape::List) << f.text;
    EXPECT_EQ(f.count, kLen);
    EXPECT_EQ(f.summary, "len=10000000 cap=10000000");
    EXPECT_EQ(f.own.kind, OwnKind::Owned);
    EXPECT_EQ(f.own.address, kPtr);
    EXPECT_EQ(f.own.size, kLen * 4);
    EXPECT_EQ(f.own.capacity, kLen);
    for (auto [addr, n] : mem.reads) EXPECT_LE(n, 24u) << "format() read elements";

    mem.reads.clear();
    auto kids = ctx.children(f, 500000, 100);
    ASSERT_EQ(kids.size(), 100u);
    EXPECT_EQ(kids[0].label, "[500000]");
    EXPECT_EQ(kids[99].label, "[500099]");
    EXPECT_EQ(u32_of(kids[0].value), 500000u);
    EXPECT_EQ(u32_of(kids[99].value), 500099u);
    // The header (three words, read field by field) and one bulk read of the page.
    uint64_t element_reads = 0;
    for (auto [addr, n] : mem.reads)
        if (addr >= kPtr) {
            ++element_reads;
            EXPECT_EQ(addr, kPtr + 500000 * 4);
            EXPECT_EQ(n, 400u);
        }
    EXPECT_EQ(element_reads, 1u);
}

TEST_F(Seq, StringIsALeafWithItsBufferAsOwnership) {
    const Type* s = ty.string();
    vec_header(0x1000, 0x5000, 6, 16);
    mem.put_text(0x5000, "h\xc3\xa9l\"o");
    Formatted f = ctx.format(Value::at(s, 0x1000));
    EXPECT_EQ(f.shape, Shape::Leaf);
    EXPECT_EQ(f.text, "\"hél\\\"o\"");
    EXPECT_EQ(f.own.kind, OwnKind::Owned);
    EXPECT_EQ(f.own.address, 0x5000u);
    EXPECT_EQ(f.own.size, 16u);
    EXPECT_EQ(f.own.length, 6u);
    EXPECT_EQ(f.own.capacity, 16u);
}

TEST_F(Seq, InvalidUtf8InAStringIsEscapedAndMarked) {
    vec_header(0x1000, 0x5000, 3, 3);
    mem.put_text(0x5000, "a\xff"
                         "b");
    Formatted f = ctx.format(Value::at(ty.string(), 0x1000));
    EXPECT_EQ(f.text, "\"a\\xFFb\" <invalid UTF-8>");
    EXPECT_EQ(f.own.note, "invalid UTF-8");
}

TEST_F(Seq, StrSliceAndBoxStrAreBorrowedAndOwned) {
    mem.put_text(0x5000, "hello");
    std::vector<std::byte> fat(16);
    uint64_t ptr = 0x5001, len = 3;
    std::memcpy(fat.data(), &ptr, 8);
    std::memcpy(fat.data() + 8, &len, 8);
    Formatted r = ctx.format(Value::held(ty.fat("&str", ty.u8), fat));
    EXPECT_EQ(r.text, "\"ell\"");
    EXPECT_EQ(r.own.kind, OwnKind::Borrowed);
    EXPECT_EQ(r.own.address, 0x5001u);
    Formatted m = ctx.format(Value::held(ty.fat("&mut str", ty.u8), fat));
    EXPECT_EQ(m.own.kind, OwnKind::BorrowedMut);
    Formatted b =
        ctx.format(Value::held(ty.fat("alloc::boxed::Box<str, alloc::alloc::Global>", ty.u8), fat));
    EXPECT_EQ(b.text, "\"ell\"");
    EXPECT_EQ(b.own.kind, OwnKind::Owned);
}

TEST_F(Seq, CorruptedVecsAreMarkedWithoutReadingElements) {
    const Type* v = ty.vec(ty.u32);
    vec_header(0x1000, 0x5000, 5, 4);
    EXPECT_EQ(ctx.format(Value::at(v, 0x1000)).text, "<invalid: len 5 exceeds cap 4>");
    vec_header(0x1000, 0x10, 3, 3);
    EXPECT_EQ(ctx.format(Value::at(v, 0x1000)).text, "<error: cannot read 12 bytes at 0x10>");
    vec_header(0x1000, 0x5000, 1ull << 61, 1ull << 61);
    mem.reads.clear();
    Formatted f = ctx.format(Value::at(v, 0x1000));
    EXPECT_EQ(f.shape, Shape::Error);
    EXPECT_TRUE(f.text.starts_with("<invalid: len 2305843009213693952 of 4-byte")) << f.text;
    for (auto [addr, n] : mem.reads) EXPECT_LT(addr, 0x2000u) << "read an element";
}

TEST_F(Seq, WrappedVecDequeReadsTwoRunsInOrder) {
    const Type* d = ty.vec_deque(ty.u32);
    // cap 4, head 3, len 3: elements in slots 3, 0, 1.
    std::vector<std::byte> hdr(32);
    uint64_t words[4] = {4, 0x8000, 3, 3};
    std::memcpy(hdr.data(), words, 32);
    mem.put_bytes(0x1000, hdr);
    std::vector<std::byte> ring(16);
    uint32_t slots[4] = {20, 30, 99, 10};
    std::memcpy(ring.data(), slots, 16);
    mem.put_bytes(0x8000, ring);
    Formatted f = ctx.format(Value::at(d, 0x1000));
    ASSERT_EQ(f.shape, Shape::List) << f.text;
    EXPECT_EQ(f.summary, "len=3 cap=4");
    mem.reads.clear();
    auto kids = ctx.children(f, 0, 3);
    ASSERT_EQ(kids.size(), 3u);
    EXPECT_EQ(u32_of(kids[0].value), 10u);
    EXPECT_EQ(u32_of(kids[1].value), 20u);
    EXPECT_EQ(u32_of(kids[2].value), 30u);
    EXPECT_EQ(kids[2].label, "[2]");
    uint64_t ring_reads = 0;
    for (auto [addr, n] : mem.reads) ring_reads += addr >= 0x8000;
    EXPECT_EQ(ring_reads, 2u);
    auto tail = ctx.children(f, 1, 2);
    ASSERT_EQ(tail.size(), 2u);
    EXPECT_EQ(u32_of(tail[0].value), 20u);
    EXPECT_EQ(tail[0].label, "[1]");
}

TEST_F(Seq, CStrPrintsAsRustsByteStrDebug) {
    Type* cstr = &ty.make(TypeKind::Struct, "CStr", 0, "core::ffi::c_str::CStr");
    Types::add(*cstr, "inner", ty.base("i8", Encoding::Unsigned, 1), 0);
    mem.put_text(0x5000, std::string("h\xc3\xa9'\x7f\xff\t\0", 8));
    std::vector<std::byte> fat(16);
    uint64_t ptr = 0x5000, len = 8;
    std::memcpy(fat.data(), &ptr, 8);
    std::memcpy(fat.data() + 8, &len, 8);
    Type* ref = ty.fat("&core::ffi::c_str::CStr", cstr);
    Formatted f = ctx.format(Value::held(ref, fat));
    EXPECT_EQ(f.text, "\"hé\\'\\x7f\\xff\\t\"");
    EXPECT_EQ(f.own.length, 7u);
    // Before rustc 1.89 CStr's Debug put every byte through escape_ascii.
    ref->rustc = rustc_version(1, 63);
    EXPECT_EQ(ctx.format(Value::held(ref, fat)).text, "\"h\\xc3\\xa9\\'\\x7f\\xff\\t\"");
}

// rustc 1.63's ring { tail, head, buf } with a power-of-two buffer: both ends must index it.
TEST_F(Seq, OldVecDequeRingChecksBothEnds) {
    Type* d = &ty.make(TypeKind::Struct, "VecDeque<u32, alloc::alloc::Global>", 32,
                       "alloc::collections::vec_deque::VecDeque<u32, alloc::alloc::Global>");
    d->template_params.push_back({"T", ty.u32});
    Types::add(*d, "tail", ty.usize, 0);
    Types::add(*d, "head", ty.usize, 8);
    Types::add(*d, "buf", ty.raw_vec(ty.u32), 16);
    uint32_t slots[8] = {10, 20, 0, 0, 0, 0, 0, 0};
    std::vector<std::byte> ring(32);
    std::memcpy(ring.data(), slots, 32);
    mem.put_bytes(0x8000, ring);
    auto deque = [&](uint64_t tail, uint64_t head) {
        std::vector<std::byte> hdr(32);
        uint64_t words[4] = {tail, head, 8, 0x8000};
        std::memcpy(hdr.data(), words, 32);
        return ctx.format(Value::held(d, hdr));
    };
    Formatted ok = deque(0, 2);
    ASSERT_EQ(ok.shape, Shape::List) << ok.text;
    EXPECT_EQ(ok.summary, "len=2 cap=7");
    EXPECT_EQ(deque(0, 99).text, "<invalid: head 99 outside cap 8>");
    EXPECT_EQ(deque(9, 2).text, "<invalid: tail 9 outside cap 8>");
}

} // namespace
} // namespace seam
