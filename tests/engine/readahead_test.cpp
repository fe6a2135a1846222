// The Context's read-ahead (Context::prefetch): a renderer's pages of elements come from one
// bulk read per allocation, small values are read whole, the text stays exactly the same, and
// a chunk that cannot be read falls back to the read asked for.
#include <cstring>

#include <gtest/gtest.h>

#include "formatters/core/context.h"
#include "formatters/render/render.h"
#include "tests/engine/fake_target.h"

namespace seam {
namespace {

using fake_target::FakeMemory;

fake_target::RustStdTypes& types() {
    static auto* t = new fake_target::RustStdTypes;
    return *t;
}

std::string expected_list(uint64_t n) {
    std::string out = "[";
    for (uint64_t i = 0; i < n; ++i) out += (i ? ", " : "") + std::to_string(i);
    return out + "]";
}

TEST(ReadAhead, VecRenderIsOneReadForTheHeaderAndOneForTheElements) {
    FakeMemory mem;
    constexpr uint64_t kLen = 5000, kPtr = 0x100000;
    fake_target::vec_header(mem, 0x1000, kPtr, kLen, kLen);
    auto& buf = mem.block(kPtr, kLen * 8);
    for (uint64_t i = 0; i < kLen; ++i) std::memcpy(buf.data() + i * 8, &i, 8);
    Context ctx(mem, nullptr, builtin_registry());
    std::string text = render_debug(ctx, Value::at(types().vec(types().u64), 0x1000), false);
    EXPECT_EQ(text, expected_list(kLen));
    EXPECT_EQ(ctx.usage().reads, 2u);
    EXPECT_EQ(mem.reads.size(), 2u);
    EXPECT_EQ(ctx.allocations(), 1u);
}

TEST(ReadAhead, VecOfStringsReadsEachStringOnce) {
    FakeMemory mem;
    constexpr uint64_t kLen = 300, kPtr = 0x100000, kText = 0x800000;
    fake_target::vec_header(mem, 0x1000, kPtr, kLen, kLen);
    auto& buf = mem.block(kPtr, kLen * 24);
    std::string want = "[";
    for (uint64_t i = 0; i < kLen; ++i) {
        std::string s = "s" + std::to_string(i);
        uint64_t at = kText + i * 64, n = s.size();
        mem.put_text(at, s);
        std::memcpy(buf.data() + i * 24, &n, 8);
        std::memcpy(buf.data() + i * 24 + 8, &at, 8);
        std::memcpy(buf.data() + i * 24 + 16, &n, 8);
        want += (i ? ", \"" : "\"") + s + "\"";
    }
    Context ctx(mem, nullptr, builtin_registry());
    EXPECT_EQ(render_debug(ctx, Value::at(types().vec(types().string()), 0x1000), false),
              want + "]");
    EXPECT_EQ(ctx.allocations(), kLen + 1);
    // The header, the element buffer, one read per string.
    EXPECT_EQ(ctx.usage().reads, kLen + 2);
}

TEST(ReadAhead, AChunkThatCannotBeReadFallsBackToTheReadAskedFor) {
    FakeMemory mem;
    // The header claims 4 elements but only the first 2 are mapped: the chunk of all four
    // fails, the element reads that can succeed still do, and the rest is marked as before.
    fake_target::vec_header(mem, 0x1000, 0x5000, 2, 2);
    mem.put(0x5000, fake_target::cat({fake_target::le(7, 8), fake_target::le(9, 8)}));
    Context ctx(mem, nullptr, builtin_registry());
    EXPECT_EQ(render_debug(ctx, Value::at(types().vec(types().u64), 0x1000), false), "[7, 9]");
    fake_target::vec_header(mem, 0x2000, 0x5000, 4, 4);
    Context fresh(mem, nullptr, builtin_registry());
    std::string text = render_debug(fresh, Value::at(types().vec(types().u64), 0x2000), false);
    EXPECT_TRUE(text.starts_with("<error: cannot read 32 bytes at 0x5000>")) << text;
}

TEST(ReadAhead, OffForAPagingClient) {
    FakeMemory mem;
    constexpr uint64_t kLen = 1000, kPtr = 0x100000;
    fake_target::vec_header(mem, 0x1000, kPtr, kLen, kLen);
    mem.generate(kPtr, kLen * 8, 8);
    Context ctx(mem, nullptr, builtin_registry());
    ctx.set_read_chunk(0);
    Formatted f = ctx.format(Value::at(types().vec(types().u64), 0x1000));
    mem.reads.clear();
    auto kids = ctx.children(f, 500, 10);
    ASSERT_EQ(kids.size(), 10u);
    EXPECT_EQ(ctx.format(kids[0].value).text, "500");
    // The header again (children() reads it field by field), then exactly the page.
    std::vector<std::pair<uint64_t, uint64_t>> elements;
    for (auto r : mem.reads)
        if (r.first >= kPtr) elements.push_back(r);
    ASSERT_EQ(elements.size(), 1u);
    EXPECT_EQ(elements[0], std::make_pair(kPtr + 500 * 8, uint64_t(80)));
}

} // namespace
} // namespace seam
