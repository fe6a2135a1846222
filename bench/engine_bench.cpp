// The engine alone (no LLDB) over an in-memory target laid out as rustc 1.95 lays out its std
// containers: how fast formatting, paging and rendering are, and how many bytes and reads they
// cost. bench/README.md says how to run it and what the counters mean.
#include <cstring>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>

#include "formatters/core/context.h"
#include "formatters/render/render.h"
#include "tests/engine/fake_target.h"

namespace seam {
namespace {

using fake_target::Types;

/// The tests' fake target memory without its per-read log: the Context counts reads here.
struct BenchMemory : fake_target::FakeMemory {
    BenchMemory() { log_reads = false; }
    void generate_u64(uint64_t address, uint64_t bytes) { generate(address, bytes, 8); }
};

/// rustc 1.95's Vec and String (fake_target) and hashbrown HashMap types, built as the DWARF
/// reader builds them.
struct StdTypes : fake_target::RustStdTypes {
    // std's HashMap<u64, u64> over hashbrown's RawTable, fields in rustc 1.95's order.
    const Type* hash_map_u64() {
        Type* tuple = &make(TypeKind::Struct, "(u64, u64)", 16);
        add(*tuple, "__0", u64, 0);
        add(*tuple, "__1", u64, 8);
        Type* inner = &make(TypeKind::Struct, "RawTableInner", 32, "hashbrown::raw::RawTableInner");
        add(*inner, "bucket_mask", u64, 8);
        add(*inner, "ctrl", non_null(u8), 0);
        add(*inner, "growth_left", u64, 16);
        add(*inner, "items", u64, 24);
        Type* raw = &make(TypeKind::Struct, "RawTable<(u64, u64), alloc::alloc::Global>", 32,
                          "hashbrown::raw::RawTable<(u64, u64), alloc::alloc::Global>");
        raw->template_params.push_back({"T", tuple});
        add(*raw, "table", inner, 0);
        Type* hb = &make(TypeKind::Struct, "HashMap<u64, u64, RandomState, Global>", 48,
                         "hashbrown::map::HashMap<u64, u64, RandomState, Global>");
        add(*hb, "table", raw, 0);
        Type* map = &make(TypeKind::Struct, "HashMap<u64, u64, RandomState, Global>", 48,
                          "std::collections::hash::map::HashMap<u64, u64, RandomState, Global>");
        add(*map, "base", hb, 0);
        return map;
    }
};

StdTypes& types() {
    static StdTypes* t = new StdTypes;
    return *t;
}

constexpr uint64_t kHeader = 0x1000;       // the Vec or HashMap value itself
constexpr uint64_t kHeap = 0x10'0000'0000; // its allocation

void vec_header(BenchMemory& mem, uint64_t ptr, uint64_t len) {
    fake_target::vec_header(mem, kHeader, ptr, len, len);
}

// `allocations`: the distinct heap allocations the rendered values own, as the engine counts
// them (Context::allocations); `reads_per_alloc` is the measure (target: at most 2).
void report(benchmark::State& state, const Usage& u, uint64_t allocations,
            uint64_t items_per_iteration) {
    state.SetItemsProcessed(int64_t(state.iterations() * items_per_iteration));
    state.counters["bytes_read"] = double(u.bytes);
    state.counters["reads"] = double(u.reads);
    state.counters["allocations"] = double(allocations);
    state.counters["reads_per_alloc"] = allocations ? double(u.reads) / double(allocations) : 0;
}

// Vec<u64> of 1e6 elements: format, then render_debug of every element (the children budget
// raised to the whole Vec, so that all 1e6 are rendered).
void BM_VecU64_1e6_RenderDebug(benchmark::State& state) {
    constexpr uint64_t kLen = 1'000'000;
    BenchMemory mem;
    vec_header(mem, kHeap, kLen);
    auto& buf = mem.block(kHeap, kLen * 8);
    for (uint64_t i = 0; i < kLen; ++i) std::memcpy(buf.data() + i * 8, &i, 8);
    Value v = Value::at(types().vec(types().u64), kHeader);
    Budget budget;
    budget.max_children = kLen;
    Usage last;
    uint64_t allocations = 0;
    size_t length = 0;
    for (auto _ : state) {
        Context ctx(mem, nullptr, builtin_registry(), budget);
        std::string text = render_debug(ctx, ctx.format(v), false);
        length = text.size();
        benchmark::DoNotOptimize(text);
        last = ctx.usage();
        allocations = ctx.allocations();
    }
    if (length < kLen * 2) state.SkipWithError("render_debug did not render every element");
    report(state, last, allocations, kLen);
}
BENCHMARK(BM_VecU64_1e6_RenderDebug)->Unit(benchmark::kMillisecond);

// Children 500000..500100 of a Vec<u64> of 10 million elements, each child formatted as a
// debugger would show it: only the page is read.
void BM_Vec10M_Children500000(benchmark::State& state) {
    constexpr uint64_t kLen = 10'000'000;
    BenchMemory mem;
    vec_header(mem, kHeap, kLen);
    mem.generate_u64(kHeap, kLen * 8);
    Value v = Value::at(types().vec(types().u64), kHeader);
    Usage last;
    std::string first;
    uint64_t allocations = 0;
    for (auto _ : state) {
        Context ctx(mem, nullptr, builtin_registry());
        ctx.set_read_chunk(0); // a paging client, as LLDB's children are
        Formatted f = ctx.format(v);
        auto kids = ctx.children(f, 500'000, 100);
        for (const auto& k : kids) {
            Formatted c = ctx.format(k.value);
            benchmark::DoNotOptimize(c.text);
            if (first.empty()) first = c.text;
        }
        last = ctx.usage();
        allocations = ctx.allocations();
    }
    if (first != "500000") state.SkipWithError(("child 500000 is " + first).c_str());
    report(state, last, allocations, 100);
}
BENCHMARK(BM_Vec10M_Children500000)->Unit(benchmark::kMicrosecond);

/// A hashbrown table of `items` entries (key i, value 2i) in the smallest power-of-two bucket
/// count whose 7/8 holds them, spread as a hash would spread them: the full buckets are every
/// bucket whose index passes a multiplicative hash test.
struct HashTable {
    BenchMemory mem;
    uint64_t items = 0;
    Value value;

    explicit HashTable(uint64_t wanted) {
        uint64_t buckets = 16;
        while (buckets * 7 / 8 < wanted) buckets *= 2;
        uint64_t ctrl = kHeap + buckets * 16; // buckets lie below the control bytes, in reverse
        auto& data = mem.block(kHeap, buckets * 16 + buckets + 16);
        std::vector<bool> full(buckets, false);
        for (uint64_t i = 0; i < wanted; ++i) {
            uint64_t b = (i * 0x9E3779B97F4A7C15ull) >> 11 & (buckets - 1);
            while (full[b]) b = (b + 1) & (buckets - 1);
            full[b] = true;
            uint64_t k = i, val = i * 2;
            std::memcpy(data.data() + (ctrl - kHeap) - (b + 1) * 16, &k, 8);
            std::memcpy(data.data() + (ctrl - kHeap) - (b + 1) * 16 + 8, &val, 8);
        }
        for (uint64_t b = 0; b < buckets + 16; ++b) {
            // Trailing group: a mirror of the first 16 control bytes, as hashbrown keeps it.
            bool f = full[b % buckets] && (b < buckets || buckets >= 16);
            data[ctrl - kHeap + b] = f ? std::byte{0x11} : std::byte{0xff};
        }
        items = wanted;
        mem.block(kHeader, 48);
        mem.poke_u64(kHeader, ctrl);
        mem.poke_u64(kHeader + 8, buckets - 1);
        mem.poke_u64(kHeader + 16, buckets * 7 / 8 - wanted);
        mem.poke_u64(kHeader + 24, wanted);
        value = Value::at(types().hash_map_u64(), kHeader);
    }
};

// The first 256 entries of a HashMap<u64, u64> of 1e6 entries, keys and values formatted.
void BM_HashMap_1e6_First256(benchmark::State& state) {
    HashTable table(1'000'000);
    Usage last;
    uint64_t allocations = 0;
    size_t got = 0;
    for (auto _ : state) {
        Context ctx(table.mem, nullptr, builtin_registry());
        Formatted f = ctx.format(table.value);
        auto kids = ctx.children(f, 0, 256);
        got = kids.size();
        for (const auto& k : kids) {
            benchmark::DoNotOptimize(ctx.format(k.value).text);
            if (k.map_value) benchmark::DoNotOptimize(ctx.format(*k.map_value).text);
        }
        last = ctx.usage();
        allocations = ctx.allocations();
    }
    if (got != 256) state.SkipWithError("fewer than 256 entries");
    report(state, last, allocations, 256);
}
BENCHMARK(BM_HashMap_1e6_First256)->Unit(benchmark::kMicrosecond);

// render_debug of a whole HashMap<u64, u64>: `items` entries (the default budget renders up
// to 100000 and ends with `<... N more>`).
void BM_HashMap_RenderDebug(benchmark::State& state) {
    HashTable table(uint64_t(state.range(0)));
    Usage last;
    uint64_t allocations = 0;
    uint64_t rendered = std::min<uint64_t>(table.items, Budget{}.max_children);
    for (auto _ : state) {
        Context ctx(table.mem, nullptr, builtin_registry());
        std::string text = render_debug(ctx, table.value, false);
        benchmark::DoNotOptimize(text);
        last = ctx.usage();
        allocations = ctx.allocations();
    }
    report(state, last, allocations, rendered);
}
BENCHMARK(BM_HashMap_RenderDebug)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// render_debug of a Vec<String> of 1e5 strings, each its own allocation ("string number i"):
// 1e5 + 1 allocations, so reads can be at most one per string plus a few.
void BM_VecString_1e5_RenderDebug(benchmark::State& state) {
    constexpr uint64_t kLen = 100'000;
    constexpr uint64_t kStrings = kHeap + 0x1000'0000;
    BenchMemory mem;
    vec_header(mem, kHeap, kLen);
    auto& buf = mem.block(kHeap, kLen * 24);
    for (uint64_t i = 0; i < kLen; ++i) {
        std::string text = "string number " + std::to_string(i);
        uint64_t at = kStrings + i * 32, n = text.size();
        auto& bytes = mem.block(at, n);
        std::memcpy(bytes.data(), text.data(), n);
        std::memcpy(buf.data() + i * 24, &n, 8); // cap
        std::memcpy(buf.data() + i * 24 + 8, &at, 8);
        std::memcpy(buf.data() + i * 24 + 16, &n, 8);
    }
    Value v = Value::at(types().vec(types().string()), kHeader);
    Usage last;
    uint64_t allocations = 0;
    for (auto _ : state) {
        Context ctx(mem, nullptr, builtin_registry());
        std::string text = render_debug(ctx, v, false);
        benchmark::DoNotOptimize(text);
        last = ctx.usage();
        allocations = ctx.allocations();
    }
    report(state, last, allocations, kLen);
}
BENCHMARK(BM_VecString_1e5_RenderDebug)->Unit(benchmark::kMillisecond);

// render_debug of a String of 1 MiB: its UTF-8 decoded and escaped as Rust's `{:?}` escapes
// it. Arg 0: plain ASCII (the fast path, nothing to escape); arg 1: a text where about one
// character in four is an escape (`\"`, `\\`, `\n`, `\t`, `\0`, `\u{7f}`) or multi-byte
// (`é`, `日`, `🦀`). items/s: characters (code points) rendered.
void BM_String_1MiB_RenderDebug(benchmark::State& state) {
    using namespace std::string_view_literals; // the mixed text holds a NUL
    static constexpr auto kPlain = "the quick brown fox jumps over the lazy dog "sv;
    static constexpr auto kMixed =
        "say \"hi\"\n\tpath C:\\tmp\0 caf\u00e9 \u65e5\u672c \U0001f980 del\x7f end "sv;
    std::string_view piece = state.range(0) ? kMixed : kPlain;
    std::string text;
    while (text.size() + piece.size() <= (1u << 20)) text += piece;
    uint64_t chars = 0;
    for (unsigned char c : text) chars += (c & 0xC0) != 0x80; // UTF-8 lead bytes
    BenchMemory mem;
    fake_target::vec_header(mem, kHeader, kHeap, text.size(), text.size());
    auto& bytes = mem.block(kHeap, text.size());
    std::memcpy(bytes.data(), text.data(), text.size());
    Value v = Value::at(types().string(), kHeader);
    Usage last;
    size_t length = 0;
    uint64_t allocations = 0;
    for (auto _ : state) {
        Context ctx(mem, nullptr, builtin_registry());
        std::string out = render_debug(ctx, v, false);
        length = out.size();
        benchmark::DoNotOptimize(out);
        last = ctx.usage();
        allocations = ctx.allocations();
    }
    // Every character rendered: the text, its escapes and the quotes, nothing cut short.
    if (length < text.size() + 2) state.SkipWithError("the String was not rendered whole");
    report(state, last, allocations, chars);
    state.SetBytesProcessed(int64_t(state.iterations() * text.size()));
}
BENCHMARK(BM_String_1MiB_RenderDebug)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

} // namespace
} // namespace seam

BENCHMARK_MAIN();
