#include "plugin/lldb/own_roots.h"

#include <lldb/API/SBFileSpec.h>
#include <lldb/API/SBModule.h>
#include <lldb/API/SBTarget.h>
#include <lldb/API/SBThread.h>

#include <fmt/format.h>

#include "plugin/lldb/debug_info_cache.h"
#include "plugin/lldb/thread_names.h"

namespace seam::lldb {

namespace {

// Statics the compiler made, not the program: vtables (`<T as Trait>::{vtable}`), unnamed
// ones (string literals, function-local tables), and the reserved `__` names. They own nothing.
bool compiler_made(const GlobalVariable& g) {
    return !g.type || g.name.empty() || g.name.find("{vtable}") != std::string::npos ||
           g.name.starts_with("__") || g.name.find("::__") != std::string::npos;
}

// The distro's own libraries (libc with libc6-dbg installed has some 900 statics): their state
// is the C runtime's, not the program's, and would bury the program's own roots; and whether
// they can be read at all depends on a -dbg package being installed. The program's
// libraries live elsewhere, wherever they were built or installed.
bool system_library(::lldb::SBModule module) {
    char dir[4096] = {0};
    module.GetFileSpec().GetPath(dir, sizeof dir);
    std::string_view path(dir);
    for (std::string_view prefix : {"/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/"})
        if (path.starts_with(prefix)) return true;
    return false;
}

// Rust's runtime crates. Their statics and thread-locals (the current thread's handle, the
// panic count, captured output) are the runtime's state, like the C library's, and are visible
// only where std was built with DWARF (Debian's rustc, not rustup's): the graph must not
// depend on that either.
bool rust_runtime(std::string_view name) {
    for (std::string_view crate : {"std::", "core::", "alloc::"})
        if (name.starts_with(crate)) return true;
    return false;
}

void add_thread_roots(::lldb::SBThread thread, MemoryReader& mem, OwnRoots& out,
                      const std::string& prefix = {}) {
    uint32_t n = thread.GetNumFrames();
    for (uint32_t i = 0; i < n; ++i) {
        ::lldb::SBFrame frame = thread.GetFrameAtIndex(i);
        // As for statics: the C runtime's frames (__libc_start_main, a libc qsort calling
        // back) hold the runtime's state, and whether they can be read at all depends on a
        // -dbg package being installed; the graph must not.
        if (system_library(frame.GetModule())) continue;
        add_frame_roots(frame, mem, out, prefix);
    }
}

void add_static_roots(::lldb::SBTarget target, OwnRoots& out) {
    DebugInfoCache& cache = DebugInfoCache::shared();
    for (uint32_t m = 0; m < target.GetNumModules(); ++m) {
        ::lldb::SBModule module = target.GetModuleAtIndex(m);
        if (system_library(module)) continue;
        auto info = cache.get(module, target);
        // Modules without DWARF (the C library, the loader) are common and hold no typed
        // statics: not worth a line each.
        if (!info) continue;
        for (GlobalVariable& g : (*info)->globals()) {
            if (compiler_made(g) || rust_runtime(g.name)) continue;
            own::Root r;
            r.kind = own::NodeKind::Static;
            r.label = g.name;
            r.name = g.name;
            r.value = Value::at(g.type, g.address);
            out.roots.push_back(std::move(r));
        }
    }
}

// How a thread-local is named as a root: std's `thread_local!` keeps a value in a static of
// its own inside the macro's closures
// (`t::CACHE::{constant#0}::{closure#0}::__RUST_STD_INTERNAL_VAL` today, `t::CACHE::__getit::__KEY`
// in older std); the user wrote `t::CACHE`.
std::string thread_local_name(const std::string& qualified) {
    size_t at = 0;
    while ((at = qualified.find("::", at)) != std::string::npos) {
        std::string_view rest = std::string_view(qualified).substr(at + 2);
        if (rest.starts_with("{") || rest.starts_with("__getit")) return qualified.substr(0, at);
        at += 2;
    }
    return qualified;
}

// Older std's `thread_local!` keeps, beside the value (`NAME::__getit::VAL` or `__KEY`), a flag
// of its own saying whether the destructor is registered (`NAME::__getit::STATE`). It owns
// nothing and is not the variable the user wrote.
bool thread_local_bookkeeping(const std::string& qualified) {
    std::string name = thread_local_name(qualified);
    if (name.size() == qualified.size()) return false;
    size_t last = qualified.rfind("::");
    return std::string_view(qualified).substr(last + 2).find("STATE") != std::string_view::npos;
}

// The executable's thread-locals in `thread`, as roots (a library's are in dynamic TLS blocks,
// which only the loader's DTV finds: not read).
void add_thread_local_roots(::lldb::SBThread thread, OwnRoots& out, const std::string& prefix) {
    ::lldb::SBTarget target = thread.GetProcess().GetTarget();
    auto info = DebugInfoCache::shared().get(target.GetModuleAtIndex(0), target);
    if (!info) return;
    std::vector<ThreadLocalVariable> vars = (*info)->thread_locals();
    if (vars.empty()) return;
    auto block = exe_tls_block(thread);
    if (!block) {
        out.skipped.push_back(fmt::format("{}thread-locals: the thread pointer is not known",
                                          prefix.empty() ? "" : prefix));
        return;
    }
    for (ThreadLocalVariable& v : vars) {
        if (rust_runtime(v.name) || thread_local_bookkeeping(v.name)) continue;
        own::Root r;
        r.kind = own::NodeKind::ThreadLocal;
        r.name = thread_local_name(v.name);
        r.label = prefix + r.name;
        r.value = Value::at(v.type, *block + v.offset);
        out.roots.push_back(std::move(r));
    }
}

// The DebugInfo of the selected frame's module, else of the executable.
Result<const DebugInfo*> main_info(::lldb::SBProcess process) {
    ::lldb::SBTarget target = process.GetTarget();
    ::lldb::SBFrame frame = process.GetSelectedThread().GetSelectedFrame();
    DebugInfoCache& cache = DebugInfoCache::shared();
    if (frame.IsValid())
        if (auto info = cache.get(frame.GetModule(), target)) return *info;
    auto info = cache.get(target.GetModuleAtIndex(0), target);
    if (!info)
        return err("no debug info in {}: {}", target.GetExecutable().GetFilename(),
                   info.error().message);
    return *info;
}

} // namespace

Budget graph_budget() {
    return {.max_bytes = 1ull << 30, .max_elements = 1ull << 26, .max_children = 1ull << 24};
}

std::string frame_label(const FrameScope& scope) {
    return fmt::format("#{} {}", scope.index, scope.function);
}

void add_frame_roots(::lldb::SBFrame frame, MemoryReader& mem, OwnRoots& out,
                     const std::string& prefix) {
    auto scope = frame_scope(frame, DebugInfoCache::shared());
    // A module without DWARF, or code in one that has none (rustc's C-ABI `main`, `_start`).
    if (!scope || scope->info->function_depth_at(scope->lookup_pc) == 0) {
        const char* name = frame.GetDisplayFunctionName();
        out.frames_without_dwarf.push_back(
            fmt::format("{}#{} {}", prefix, frame.GetFrameID(), name ? name : "??"));
        return;
    }
    auto vars = frame_variables(*scope, mem);
    if (!vars) {
        out.skipped.push_back(fmt::format("{}#{} {}: {}", prefix, scope->index, scope->function,
                                          vars.error().message));
        return;
    }
    std::string label = prefix + frame_label(*scope);
    uint64_t cfa = frame.GetCFA();
    uint64_t stack = frame.GetThread().GetThreadID();
    for (NamedValue& nv : *vars) {
        // frame_variables makes a leaf `<error: ...>` of a variable it could not locate.
        if (nv.value.synthetic) {
            out.skipped.push_back(fmt::format("{}: {} {}", label, nv.name, *nv.value.synthetic));
            continue;
        }
        own::Root r;
        r.kind = own::NodeKind::Frame;
        r.label = label;
        if (cfa != LLDB_INVALID_ADDRESS) r.frame_cfa = cfa;
        r.stack = stack;
        r.name = std::move(nv.name);
        r.value = std::move(nv.value);
        out.roots.push_back(std::move(r));
    }
}

Result<OwnRoots> collect_roots(::lldb::SBProcess process, RootScope scope, MemoryReader& mem) {
    if (!process.IsValid()) return err("no process: seam own needs a stopped process or a core");
    if (process.GetState() != ::lldb::eStateStopped && process.GetState() != ::lldb::eStateCrashed)
        return err("the process is running: stop it before seam own");
    OwnRoots out;
    auto info = main_info(process);
    if (!info) return info.error();
    out.info = *info;
    ::lldb::SBThread thread = process.GetSelectedThread();
    switch (scope) {
    case RootScope::Frame: {
        ::lldb::SBFrame frame = thread.GetSelectedFrame();
        if (!frame.IsValid()) return err("no frame selected");
        add_frame_roots(frame, mem, out);
        break;
    }
    case RootScope::Thread:
        if (!thread.IsValid()) return err("no thread selected");
        add_thread_roots(thread, mem, out);
        add_thread_local_roots(thread, out, "");
        break;
    case RootScope::Process:
        for (uint32_t t = 0; t < process.GetNumThreads(); ++t) {
            // The selected thread's frames read as in --frame and --thread; another thread's
            // say whose they are.
            ::lldb::SBThread other = process.GetThreadAtIndex(t);
            bool selected = other.GetThreadID() == thread.GetThreadID();
            std::string prefix = selected ? "" : fmt::format("thread #{} ", other.GetIndexID());
            add_thread_roots(other, mem, out, prefix);
            add_thread_local_roots(other, out, prefix);
        }
        add_static_roots(process.GetTarget(), out);
        break;
    }
    return out;
}

} // namespace seam::lldb
