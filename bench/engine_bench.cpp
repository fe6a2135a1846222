// The engine alone (no LLDB) over an in-memory target laid out as rustc 1.95 lays out its std
// containers: how fast formatting, paging and rendering are, and how many bytes and reads they
// cost. bench/README.md says how to run it and what the counters mean.
#include <cstring>
#include <map>
#include <vector>

#include <benchmark/benchmark.h>

#include "formatters/core/context.h"
#include "formatters/render/render.h"
#include "tests/engine/fake_target.h"

namespace seam {
namespace {

using fake_target::RustTypes;
using fake_target::Types;

/// Target memory as blocks of bytes, plus one generated region of u64 words (word i is i), so
/// that a ten-million-element Vec costs no 80 MB. Unlike the tests' FakeMemory it logs nothing:
/// the Context counts bytes and reads.
class BenchMemory : public MemoryReader {
public:
    std::vector<std::byte>& block(uint64_t address, uint64_t size) {
        auto& b = m_blocks[address];
        b.assign(size, std::byte{0});
        return b;
    }
    void generate_u64(uint64_t address, uint64_t bytes) { m_gen = {address, bytes}; }
    void poke_u64(uint64_t address, uint64_t v) {
        auto it = --m_blocks.upper_bound(address);
        std::memcpy(it->second.data() + (address - it->first), &v, 8);
    }

    Status read(uint64_t address, std::span<std::byte> out) override {
        if (address >= m_gen.first && address + out.size() <= m_gen.first + m_gen.second) {
            for (size_t i = 0; i < out.size(); ++i) {
                uint64_t off = address - m_gen.first + i;
                out[i] = std::byte((off / 8) >> (8 * (off % 8)) & 0xff);
            }
            return ok_status();
        }
        auto it = m_blocks.upper_bound(address);
        if (it == m_blocks.begin()) return err("unmapped {:#x}", address);
        --it;
        if (address + out.size() > it->first + it->second.size())
            return err("unmapped {:#x}", address);
        std::memcpy(out.data(), it->second.data() + (address - it->first), out.size());
        return ok_status();
    }

private:
    std::map<uint64_t, std::vector<std::byte>> m_blocks;
    std::pair<uint64_t, uint64_t> m_gen{0, 0};
};

/// rustc 1.95's Vec and hashbrown HashMap types, built as the DWARF reader builds them.
struct StdTypes : RustTypes {
    // RawVec<T> is a type-erased RawVecInner with the capacity first (rustc 1.95).
    Type* raw_vec(const Type* elem) {
        Type* nn = &make(TypeKind::Struct, "NonNull<u8>", 8, "core::ptr::non_null::NonNull<u8>");
        add(*nn, "pointer", pointer("*const u8", u8), 0);
        Type* unique = &make(TypeKind::Struct, "Unique<u8>", 8, "core::ptr::unique::Unique<u8>");
        add(*unique, "pointer", nn, 0);
        Type* cap =
            &make(TypeKind::Struct, "UsizeNoHighBit", 8, "core::num::niche_types::UsizeNoHighBit");
        add(*cap, "__0", usize, 0);
        Type* inner = &make(TypeKind::Struct, "RawVecInner<alloc::alloc::Global>", 16,
                            "alloc::raw_vec::RawVecInner<alloc::alloc::Global>");
        add(*inner, "ptr", unique, 8);
        add(*inner, "cap", cap, 0);
        Type* rv = &make(TypeKind::Struct, "RawVec<" + elem->name + ", alloc::alloc::Global>", 16,
                         "alloc::raw_vec::RawVec<" + elem->name + ", alloc::alloc::Global>");
        rv->template_params.push_back({"T", elem});
        add(*rv, "inner", inner, 0);
        return rv;
    }
    const Type* vec(const Type* elem) {
        std::string n = "Vec<" + elem->name + ", alloc::alloc::Global>";
        Type* v = &make(TypeKind::Struct, n, 24, "alloc::vec::" + n);
        v->template_params.push_back({"T", elem});
        add(*v, "buf", raw_vec(elem), 0);
        add(*v, "len", usize, 16);
        return v;
    }
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
    mem.block(kHeader, 24);
    mem.poke_u64(kHeader, len); // cap
    mem.poke_u64(kHeader + 8, ptr);
    mem.poke_u64(kHeader + 16, len);
}

void report(benchmark::State& state, const Usage& u, uint64_t items_per_iteration) {
    state.SetItemsProcessed(int64_t(state.iterations() * items_per_iteration));
    state.counters["bytes_read"] = double(u.bytes);
    state.counters["reads"] = double(u.reads);
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
    size_t length = 0;
    for (auto _ : state) {
        Context ctx(mem, nullptr, builtin_registry(), budget);
        std::string text = render_debug(ctx, ctx.format(v), false);
        length = text.size();
        benchmark::DoNotOptimize(text);
        last = ctx.usage();
    }
    if (length < kLen * 2) state.SkipWithError("render_debug did not render every element");
    report(state, last, kLen);
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
    for (auto _ : state) {
        Context ctx(mem, nullptr, builtin_registry());
        Formatted f = ctx.format(v);
        auto kids = ctx.children(f, 500'000, 100);
        for (const auto& k : kids) {
            Formatted c = ctx.format(k.value);
            benchmark::DoNotOptimize(c.text);
            if (first.empty()) first = c.text;
        }
        last = ctx.usage();
    }
    if (first != "500000") state.SkipWithError(("child 500000 is " + first).c_str());
    report(state, last, 100);
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
    }
    if (got != 256) state.SkipWithError("fewer than 256 entries");
    report(state, last, 256);
}
BENCHMARK(BM_HashMap_1e6_First256)->Unit(benchmark::kMicrosecond);

// render_debug of a whole HashMap<u64, u64>: `items` entries (the default budget renders up
// to 100000 and ends with `<... N more>`).
void BM_HashMap_RenderDebug(benchmark::State& state) {
    HashTable table(uint64_t(state.range(0)));
    Usage last;
    uint64_t rendered = std::min<uint64_t>(table.items, Budget{}.max_children);
    for (auto _ : state) {
        Context ctx(table.mem, nullptr, builtin_registry());
        std::string text = render_debug(ctx, table.value, false);
        benchmark::DoNotOptimize(text);
        last = ctx.usage();
    }
    report(state, last, rendered);
}
BENCHMARK(BM_HashMap_RenderDebug)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

} // namespace
} // namespace seam

BENCHMARK_MAIN();
