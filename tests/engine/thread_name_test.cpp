// crash::rust_thread_name over hand-built thread-local blocks laid out as std 1.95 leaves them.
#include <gtest/gtest.h>

#include "formatters/crash/thread_name.h"
#include "tests/engine/fake_target.h"

namespace seam::crash {
namespace {

using fake_target::FakeMemory;

constexpr uint64_t k_fs = 0x7fff'f7ba'e6c0, k_heap = 0x5555'5555'c000, k_main = 0x5555'5556'0000;

// PT_TLS of 0x78 bytes: the block ends at the thread pointer; CURRENT at 0x68, ID at 0x70.
RustThreadTls tls() {
    return {.thread_pointer = k_fs,
            .tls_memsz = 0x78,
            .tls_align = 8,
            .tls_vaddr = 0x69640,
            .current_offset = 0x68,
            .id_offset = 0x70,
            .main_id_address = k_main};
}

FakeMemory memory(uint64_t current, uint64_t id) {
    FakeMemory mem;
    mem.block(k_fs - 0x78, 0x80);
    mem.poke_u64(k_fs - 0x10, current);
    mem.poke_u64(k_fs - 0x08, id);
    mem.poke_u64(k_fs, k_fs); // the control block points to itself
    mem.block(k_main, 8);
    mem.poke_u64(k_main, 1);
    mem.block(k_heap, 0x100);
    return mem;
}

TEST(ThreadName, TlsBlockOffsetIsGlibcs) {
    EXPECT_EQ(tls_block_offset(0x78, 8, 0x69640), 0x78u);
    EXPECT_EQ(tls_block_offset(0x50, 8, 0x5c7a0), 0x50u);
    // A segment that starts 8 bytes into a 16-byte alignment keeps that position: the block
    // starts at tp - 0x48 (8 mod 16), not at tp - 0x50, the size rounded up.
    EXPECT_EQ(tls_block_offset(0x48, 16, 0x5c7a8), 0x48u);
}

TEST(ThreadName, NamedUnnamedAndMain) {
    // Inner { id: 3, name: Some("worker-7\0") } behind CURRENT.
    FakeMemory named = memory(k_heap, 3);
    named.poke_u64(k_heap, 3);
    named.poke_u64(k_heap + 8, k_heap + 0x40);
    named.poke_u64(k_heap + 16, 9);
    named.put_text(k_heap + 0x40, std::string("worker-7") + '\0');
    RustThreadName n = rust_thread_name(named, nullptr, tls());
    EXPECT_TRUE(n.known) << n.why;
    EXPECT_EQ(n.name, "worker-7");

    FakeMemory unnamed = memory(k_heap, 2);
    unnamed.poke_u64(k_heap, 2);
    n = rust_thread_name(unnamed, nullptr, tls());
    EXPECT_TRUE(n.known);
    EXPECT_EQ(n.name, "");

    // The main thread's handle has no name of its own; its id is MAIN's.
    FakeMemory main_handle = memory(k_heap, 1);
    main_handle.poke_u64(k_heap, 1);
    EXPECT_EQ(rust_thread_name(main_handle, nullptr, tls()).name, "main");
    // No handle made yet: the ThreadId alone says main.
    FakeMemory main_id = memory(0, 1);
    n = rust_thread_name(main_id, nullptr, tls());
    EXPECT_TRUE(n.known);
    EXPECT_EQ(n.name, "main");
    FakeMemory other_id = memory(0, 5);
    n = rust_thread_name(other_id, nullptr, tls());
    EXPECT_FALSE(n.known);
    EXPECT_EQ(n.why, "std has no handle for this thread");
}

TEST(ThreadName, CorruptOrMissingIsNotKnown) {
    FakeMemory mem = memory(k_heap, 3);
    mem.poke_u64(k_heap, 3);
    mem.poke_u64(k_heap + 8, k_heap + 0x40);
    mem.poke_u64(k_heap + 16, 1ull << 40);
    RustThreadName n = rust_thread_name(mem, nullptr, tls());
    EXPECT_FALSE(n.known);
    EXPECT_EQ(n.why, "the thread name's length 1099511627776 is not plausible");
    mem.poke_u64(k_heap + 16, 4);
    mem.put_text(k_heap + 0x40, "abcd"); // no NUL
    EXPECT_FALSE(rust_thread_name(mem, nullptr, tls()).known);
    RustThreadTls bogus = tls();
    bogus.thread_pointer = 0xffff; // what LLDB 19 reads from its own minidumps
    EXPECT_EQ(rust_thread_name(mem, nullptr, bogus).why,
              "fs_base 0xffff does not point at a thread control block");
    RustThreadTls none = tls();
    none.thread_pointer = 0;
    EXPECT_EQ(rust_thread_name(mem, nullptr, none).why,
              "no thread pointer (fs_base) for this thread");
}

TEST(ThreadName, ControlBlockFoundAboveTheStackPointerOrAlone) {
    // A spawned thread: stack mapping [0x7000'0000'0000, +0x10000), SP low in it, its control
    // block (words 0 and 2 point to it) near the top. The main thread's lies in a small mapping
    // of its own; its SP's mapping ([stack]) holds none.
    constexpr uint64_t stack = 0x7000'0000'0000, sp = stack + 0x2000, tcb = stack + 0xf000;
    constexpr uint64_t main_sp = 0x7ffd'0000'1000, main_tcb = 0x7fff'0000'07c0;
    FakeMemory mem;
    mem.block(stack, 0x10000);
    mem.poke_u64(tcb, tcb);
    mem.poke_u64(tcb + 16, tcb);
    mem.poke_u64(stack + 0x3000, stack + 0x3000); // self-pointing word 0 alone: no block
    mem.block(main_sp - 0x1000, 0x3000);
    mem.block(0x7fff'0000'0000, 0x1000);
    mem.poke_u64(main_tcb, main_tcb);
    mem.poke_u64(main_tcb + 16, main_tcb);
    std::vector<MemoryRegion> regions = {{stack, stack + 0x10000, ""},
                                         {main_sp - 0x1000, main_sp + 0x2000, "[stack]"},
                                         {0x7fff'0000'0000, 0x7fff'0000'1000, ""}};
    std::vector<uint64_t> sps = {sp, main_sp};
    EXPECT_EQ(find_thread_pointer(mem, sp, regions, sps), tcb);
    EXPECT_EQ(find_thread_pointer(mem, main_sp, regions, sps), main_tcb);
    // Two candidates outside every stack: none is taken.
    mem.poke_u64(0x7fff'0000'0100, 0x7fff'0000'0100);
    mem.poke_u64(0x7fff'0000'0110, 0x7fff'0000'0100);
    EXPECT_EQ(find_thread_pointer(mem, main_sp, regions, sps), std::nullopt);
}

} // namespace
} // namespace seam::crash
