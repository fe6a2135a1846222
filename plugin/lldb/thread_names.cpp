#include "plugin/lldb/thread_names.h"

#include <lldb/API/SBAddress.h>
#include <lldb/API/SBFileSpec.h>
#include <lldb/API/SBFrame.h>
#include <lldb/API/SBModule.h>
#include <lldb/API/SBProcess.h>
#include <lldb/API/SBSymbol.h>
#include <lldb/API/SBSymbolContext.h>
#include <lldb/API/SBSymbolContextList.h>
#include <lldb/API/SBTarget.h>
#include <lldb/API/SBValue.h>

#include <elf.h>

#include <cstring>
#include <fstream>
#include <map>
#include <mutex>

#include "formatters/crash/thread_name.h"
#include "plugin/lldb/debug_info_cache.h"
#include "plugin/lldb/process_queries.h"
#include "plugin/lldb/sb_memory.h"

namespace seam::lldb {

namespace {

// The executable's PT_TLS (LLDB shows the segment as sections but not its alignment).
bool read_pt_tls(const std::string& path, crash::RustThreadTls& tls) {
    std::ifstream in(path, std::ios::binary);
    Elf64_Ehdr eh;
    if (!in.read(reinterpret_cast<char*>(&eh), sizeof eh)) return false;
    if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
        eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum > 256)
        return false;
    for (unsigned i = 0; i < eh.e_phnum; ++i) {
        Elf64_Phdr ph;
        in.seekg(std::streamoff(eh.e_phoff + i * sizeof ph));
        if (!in.read(reinterpret_cast<char*>(&ph), sizeof ph)) return false;
        if (ph.p_type != PT_TLS) continue;
        tls.tls_memsz = ph.p_memsz;
        tls.tls_align = ph.p_align ? ph.p_align : 1;
        tls.tls_vaddr = ph.p_vaddr;
        return true;
    }
    return false;
}

// A TLS symbol's value is its offset in the PT_TLS segment, which LLDB gives as the file
// address it makes of it.
std::optional<uint64_t> tls_offset(::lldb::SBModule exe, const char* name) {
    ::lldb::SBSymbolContextList found = exe.FindSymbols(name);
    for (uint32_t i = 0; i < found.GetSize(); ++i) {
        ::lldb::SBSymbol sym = found.GetContextAtIndex(i).GetSymbol();
        if (sym.IsValid()) return sym.GetStartAddress().GetFileAddress();
    }
    return std::nullopt;
}

// The first symbol whose demangled name is `path` (then a hash, a suffix or nothing) or whose
// mangled name holds `mangled` (the v0 or legacy mangling's path): LLVM may split a static
// (`MAIN.0`, which the demangled name may or may not show) or promote a local with a
// `.llvm.N` suffix (Debian's std: `THREAD_INFO::__getit::VAL::h… (.llvm.…)`), which a look-up
// by the exact name misses.
::lldb::SBSymbol symbol_by_path(::lldb::SBModule exe, std::string_view path,
                                std::string_view mangled) {
    for (size_t i = 0; i < exe.GetNumSymbols(); ++i) {
        ::lldb::SBSymbol sym = exe.GetSymbolAtIndex(i);
        const char* name = sym.GetName();
        const char* raw = sym.GetMangledName();
        std::string_view n = name ? name : "";
        bool by_name = n.starts_with(path) && (n.size() == path.size() || n[path.size()] == ':' ||
                                               n[path.size()] == '.' || n[path.size()] == ' ');
        if (by_name || (raw && std::string_view(raw).find(mangled) != std::string_view::npos))
            return sym;
    }
    return {};
}

std::optional<uint64_t> main_id_address(::lldb::SBTarget target, ::lldb::SBModule exe) {
    ::lldb::SBSymbol sym =
        symbol_by_path(exe, "std::thread::main_thread::MAIN", "11main_thread4MAIN");
    if (!sym.IsValid()) return std::nullopt;
    uint64_t addr = sym.GetStartAddress().GetLoadAddress(target);
    if (addr == LLDB_INVALID_ADDRESS) return std::nullopt;
    return addr;
}

// What every thread of one executable shares: its PT_TLS and std's symbols, looked up once
// (a walk over the symbol table) per executable and load address.
struct Statics {
    bool tls = false;
    crash::RustThreadTls base;
};

Statics statics_of(::lldb::SBTarget target, ::lldb::SBModule exe) {
    static std::mutex lock;
    static std::map<std::string, Statics> cache;
    char path[4096] = {0};
    if (!exe.IsValid() || !exe.GetFileSpec().GetPath(path, sizeof path)) return {};
    ::lldb::SBAddress header = exe.GetObjectFileHeaderAddress();
    std::string key = std::string(path) + "@" +
                      std::to_string(header.IsValid() ? header.GetLoadAddress(target) : 0);
    std::lock_guard guard(lock);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
    Statics s;
    s.tls = read_pt_tls(path, s.base);
    if (s.tls) {
        s.base.current_offset = tls_offset(exe, "std::thread::current::CURRENT");
        s.base.id_offset = tls_offset(exe, "std::thread::current::id::ID");
        s.base.main_id_address = main_id_address(target, exe);
        ::lldb::SBSymbol info =
            symbol_by_path(exe, "std::sys_common::thread_info::THREAD_INFO::__getit::VAL",
                           "11thread_info11THREAD_INFO7__getit3VAL");
        if (info.IsValid()) s.base.thread_info_offset = info.GetStartAddress().GetFileAddress();
    }
    cache.emplace(key, s);
    return s;
}

} // namespace

ThreadNaming thread_name(::lldb::SBThread thread) {
    ThreadNaming out;
    ::lldb::SBProcess process = thread.GetProcess();
    ::lldb::SBTarget target = process.GetTarget();
    ::lldb::SBModule exe = target.GetModuleAtIndex(0);
    const char* plugin = process.GetPluginName();
    bool live = plugin && std::string_view(plugin) == "gdb-remote";
    Statics statics = statics_of(target, exe);
    crash::RustThreadTls tls = statics.base;
    ::lldb::SBValue fs = thread.GetFrameAtIndex(0).FindRegister("fs_base");
    if (fs.IsValid()) tls.thread_pointer = fs.GetValueAsUnsigned(0);
    if (statics.tls) {
        const DebugInfo* info = nullptr;
        if (auto d = DebugInfoCache::shared().get(exe, target)) info = *d;
        SBMemoryReader mem(process, target);
        crash::RustThreadName rust = crash::rust_thread_name(mem, info, tls);
        if (!rust.known && !live) {
            // A core without a usable thread pointer (LLDB 19's minidumps read fs_base as
            // 0xffff): find the thread's control block in its memory instead.
            SBProcessQueries queries(process);
            std::vector<uint64_t> sps;
            for (uint32_t i = 0; i < process.GetNumThreads(); ++i)
                sps.push_back(process.GetThreadAtIndex(i).GetFrameAtIndex(0).GetSP());
            uint64_t sp = thread.GetFrameAtIndex(0).GetSP();
            if (auto tp = crash::find_thread_pointer(mem, sp, queries.writable_regions(), sps);
                tp && *tp != tls.thread_pointer) {
                tls.thread_pointer = *tp;
                rust = crash::rust_thread_name(mem, info, tls);
            }
        }
        if (rust.known) {
            out.name = rust.name;
            out.source = rust.name.empty() ? "" : "rust-tls";
            return out;
        }
    }
    // Only a live thread's OS name is its own: a core's is the process's name.
    if (live && thread.GetName()) {
        out.name = thread.GetName();
        out.source = "os";
    }
    return out;
}

std::optional<uint64_t> exe_tls_block(::lldb::SBThread thread) {
    ::lldb::SBProcess process = thread.GetProcess();
    ::lldb::SBTarget target = process.GetTarget();
    Statics statics = statics_of(target, target.GetModuleAtIndex(0));
    if (!statics.tls) return std::nullopt;
    uint64_t tp = 0;
    ::lldb::SBValue fs = thread.GetFrameAtIndex(0).FindRegister("fs_base");
    if (fs.IsValid()) tp = fs.GetValueAsUnsigned(0);
    // LLDB 19's minidumps read fs_base as 0xffff: no thread pointer is that low.
    if (tp < 0x10000) {
        SBMemoryReader mem(process, target);
        SBProcessQueries queries(process);
        std::vector<uint64_t> sps;
        for (uint32_t i = 0; i < process.GetNumThreads(); ++i)
            sps.push_back(process.GetThreadAtIndex(i).GetFrameAtIndex(0).GetSP());
        auto found = crash::find_thread_pointer(mem, thread.GetFrameAtIndex(0).GetSP(),
                                                queries.writable_regions(), sps);
        if (!found) return std::nullopt;
        tp = *found;
    }
    const crash::RustThreadTls& b = statics.base;
    return tp - crash::tls_block_offset(b.tls_memsz, b.tls_align, b.tls_vaddr);
}

} // namespace seam::lldb
