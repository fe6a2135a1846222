#include "plugin/lldb/backtrace_collect.h"

#include <cinttypes>
#include <cstdio>
#include <map>
#include <optional>
#include <string_view>

#include <fmt/format.h>
#include <lldb/API/SBAddress.h>
#include <lldb/API/SBCompileUnit.h>
#include <lldb/API/SBFileSpec.h>
#include <lldb/API/SBFrame.h>
#include <lldb/API/SBLineEntry.h>
#include <lldb/API/SBModule.h>
#include <lldb/API/SBSymbol.h>
#include <lldb/API/SBTarget.h>

#include "formatters/core/context.h"
#include "formatters/core/rust_names.h"
#include "formatters/render/render.h"
#include "plugin/lldb/debug_info_cache.h"
#include "plugin/lldb/frame_values.h"
#include "plugin/lldb/sb_frame_state.h"
#include "plugin/lldb/sb_memory.h"
#include "plugin/lldb/thread_names.h"
#include "plugin/lldb/unwind_fallback.h"

namespace seam::lldb {

namespace {

std::string or_empty(const char* s) {
    return s ? s : "";
}

// LLDB calls a function it knows only from the unwind tables (a static function of a distro's
// stripped C library) `___lldb_unnamed_symbolN`, N being its own count: it changes between LLDB
// versions and tells the reader nothing. Such a function is named by where it starts in its
// file instead (`libgit2.so.1.5@0x2d3f0`, as crash-report systems write it): stable across
// runs, address layouts and debuggers, and what objdump and addr2line take.
void name_unnamed(::lldb::SBSymbol& symbol, bt::RawFrame& f) {
    constexpr std::string_view k_lldb_unnamed = "___lldb_unnamed_symbol";
    if (!f.symbol.starts_with(k_lldb_unnamed) || f.module.empty()) return;
    ::lldb::SBAddress start = symbol.GetStartAddress();
    if (!start.IsValid()) return;
    char offset[32];
    std::snprintf(offset, sizeof offset, "@%#" PRIx64, start.GetFileAddress());
    f.symbol = f.module + offset;
    if (f.function.starts_with(k_lldb_unnamed)) f.function = f.symbol;
}

Lang from_lldb(::lldb::LanguageType t) {
    switch (t) {
    case ::lldb::eLanguageTypeRust:
        return Lang::Rust;
    case ::lldb::eLanguageTypeC:
    case ::lldb::eLanguageTypeC89:
    case ::lldb::eLanguageTypeC99:
    case ::lldb::eLanguageTypeC11:
    case ::lldb::eLanguageTypeC17:
        return Lang::C;
    case ::lldb::eLanguageTypeC_plus_plus:
    case ::lldb::eLanguageTypeC_plus_plus_03:
    case ::lldb::eLanguageTypeC_plus_plus_11:
    case ::lldb::eLanguageTypeC_plus_plus_14:
    case ::lldb::eLanguageTypeC_plus_plus_17:
    case ::lldb::eLanguageTypeC_plus_plus_20:
        return Lang::Cpp;
    default:
        return Lang::Unknown;
    }
}

// The PC that lies inside the frame's call: a caller's PC is a return address, which may
// already be in the next line's scope or past the end of a function that ends in a call to a
// noreturn function. The frame above a signal trampoline was interrupted *at* its PC.
uint64_t lookup_pc(::lldb::SBThread& thread, uint32_t index, uint64_t pc) {
    uint32_t physical = index;
    while (physical > 0 && thread.GetFrameAtIndex(physical - 1).IsInlined()) --physical;
    if (physical == 0 || pc == 0) return pc;
    const char* callee = thread.GetFrameAtIndex(physical - 1).GetFunctionName();
    bool at_call = !callee || std::string_view(callee) != "__restore_rt";
    return at_call ? pc - 1 : pc;
}

// The DebugInfo of each module a thread's frames run in, looked up once per module and not once
// per frame: DebugInfoCache::get checks the file on disk (two stat calls) every time, which
// on a 10,000-frame stack was a tenth of `seam bt`'s time.
class ModuleInfos {
public:
    const DebugInfo* get(::lldb::SBModule module, ::lldb::SBTarget& target) {
        for (auto& [m, info] : m_known)
            if (m == module) return info;
        auto info = DebugInfoCache::shared().get(module, target);
        m_known.emplace_back(module, info ? *info : nullptr);
        return m_known.back().second;
    }

    /// The parameters (and the DebugInfo and look-up PC to locate them with) of frames at
    /// the same PC and inline depth are the same: a deep recursion asks for them thousands of
    /// times, and finding them re-reads the function's DIEs each time.
    struct Params {
        const DebugInfo* info = nullptr;
        uint64_t lookup_pc = 0;
        std::vector<Variable> vars;
    };
    std::map<std::pair<uint64_t, uint32_t>, std::optional<Params>> params;

private:
    std::vector<std::pair<::lldb::SBModule, const DebugInfo*>> m_known;
};

// How many inlined frames lie between `index` and the youngest frame of its physical frame.
uint32_t inline_depth(::lldb::SBThread& thread, uint32_t index) {
    uint32_t physical = index;
    while (physical > 0 && thread.GetFrameAtIndex(physical - 1).IsInlined()) --physical;
    return index - physical;
}

// The DWARF's qualified name of frame `index` (`wrapper::{impl#2}::checksum_at::{closure#0}<u32>`),
// inlined or not, so that a function reads the same at -O0, where it is a frame of its own, and
// at -O2, where it is inlined: LLDB names an inlined frame from its linkage name, demangled
// the legacy way (`{{closure}}`, `Checker<T>`, no generic arguments). The frames of one
// physical frame are its inlined calls, innermost first, then the function they were inlined
// into; LLDB gives each of them a PC of its own (where the inlined call begins), so every one
// is looked up at the youngest frame's PC, `index - youngest` levels out.
std::optional<std::string> dwarf_name(::lldb::SBThread& thread, uint32_t index,
                                      const DebugInfo& info) {
    uint32_t youngest = index, last = index;
    while (youngest > 0 && thread.GetFrameAtIndex(youngest - 1).IsInlined()) --youngest;
    while (thread.GetFrameAtIndex(last).IsInlined() && last + 1 < thread.GetNumFrames()) ++last;
    uint64_t pc = lookup_pc(thread, youngest, thread.GetFrameAtIndex(youngest).GetPC());
    return info.frame_name_at(pc, last - youngest + 1, index - youngest);
}

// Parameters of a frame with DWARF, each as the one-line summary `frame variable` would show
// beside it, read where the frame now is. A frame whose DWARF cannot be read gives none (not
// known), never an error: a backtrace must show every frame whatever its values do.
std::optional<std::vector<bt::Argument>> arguments_of(::lldb::SBFrame frame, uint64_t lookup_pc,
                                                      uint32_t inline_depth,
                                                      const BacktraceOptions& options,
                                                      ModuleInfos& infos) {
    auto key = std::make_pair(lookup_pc, inline_depth);
    auto it = infos.params.find(key);
    if (it == infos.params.end()) {
        std::optional<ModuleInfos::Params> found;
        // From the DWARF alone: LLDB's own variable lists would lay the Rust types out through
        // Clang, which overflows LLDB 19's stack on nested enums (DESIGN.md).
        if (auto scope = frame_scope(frame, DebugInfoCache::shared()))
            if (auto params = frame_parameters(*scope))
                found = ModuleInfos::Params{scope->info, scope->lookup_pc, std::move(*params)};
        it = infos.params.emplace(key, std::move(found)).first;
    }
    if (!it->second) return std::nullopt;
    const ModuleInfos::Params& params = *it->second;
    ::lldb::SBProcess process = frame.GetThread().GetProcess();
    SBMemoryReader mem(process, process.GetTarget());
    SBFrameState state(frame);
    std::vector<bt::Argument> out;
    for (const Variable& var : params.vars) {
        Context ctx(mem, params.info, builtin_registry(), options.budget);
        auto value = params.info->locate(var, params.lookup_pc, state, mem);
        out.push_back(
            {var.name, value ? render_summary(ctx, ctx.format(*value), options.argument_width)
                             : "<unavailable>"});
    }
    return out;
}

bt::RawFrame collect_frame(::lldb::SBThread& thread, ::lldb::SBFrame frame, ::lldb::SBTarget target,
                           const BacktraceOptions& options, ModuleInfos& infos) {
    bt::RawFrame f;
    f.index = frame.GetFrameID();
    f.debugger_index = f.index;
    f.pc = frame.GetPC();
    f.inlined = frame.IsInlined();
    f.artificial = frame.IsArtificial();
    f.sp = frame.GetSP();
    f.cfa = frame.GetCFA();
    f.function = or_empty(frame.GetFunctionName());
    ::lldb::SBSymbol symbol = frame.GetSymbol();
    if (symbol.IsValid()) {
        f.symbol = or_empty(symbol.GetMangledName());
        if (f.symbol.empty()) f.symbol = or_empty(symbol.GetName());
    }
    ::lldb::SBModule module = frame.GetModule();
    if (module.IsValid()) f.module = or_empty(module.GetFileSpec().GetFilename());
    if (symbol.IsValid()) name_unnamed(symbol, f);
    ::lldb::SBLineEntry line = frame.GetLineEntry();
    if (line.IsValid() && line.GetFileSpec().IsValid()) {
        f.file = or_empty(line.GetFileSpec().GetFilename());
        f.line = line.GetLine();
        f.column = line.GetColumn();
    }

    uint64_t pc = lookup_pc(thread, f.index, f.pc);
    if (const DebugInfo* info = infos.get(module, target)) {
        f.dwarf_lang = info->language_at(pc);
        if (auto name = dwarf_name(thread, f.index, *info)) f.function = std::move(*name);
    }
    // A module seam's reader cannot open (compressed or split DWARF it does not handle yet)
    // may still be one LLDB reads: its compile unit's DW_AT_language is as good.
    if (f.dwarf_lang == Lang::Unknown && frame.GetCompileUnit().IsValid())
        f.dwarf_lang = from_lldb(frame.GetCompileUnit().GetLanguage());

    if (options.arguments && f.dwarf_lang != Lang::Unknown &&
        !bt::is_runtime_name(clean_rust_name(f.function)))
        f.arguments = arguments_of(frame, pc, inline_depth(thread, f.index), options, infos);
    return f;
}

std::string stop_reason(::lldb::SBThread& thread) {
    char buf[256] = {0};
    thread.GetStopDescription(buf, sizeof buf);
    return buf;
}

} // namespace

bt::RawThread collect_thread(::lldb::SBThread thread, const BacktraceOptions& options) {
    bt::RawThread t;
    t.index = thread.GetIndexID();
    t.id = thread.GetThreadID();
    ThreadNaming naming = thread_name(thread);
    t.name = naming.name;
    t.name_source = naming.source;
    t.stop_reason = stop_reason(thread);
    t.selected = thread.GetProcess().GetSelectedThread().GetIndexID() == t.index;
    ::lldb::SBTarget target = thread.GetProcess().GetTarget();
    // Frame by frame, not GetNumFrames(): that unwinds the whole stack first, and a stack
    // overflow's is thousands of frames deep (seconds a core in seam-report, which reads the
    // innermost max_frames). LLDB unwinds only as far as the index asked for.
    ModuleInfos infos;
    for (uint32_t i = 0; i < options.max_frames; ++i) {
        ::lldb::SBFrame frame = thread.GetFrameAtIndex(i);
        if (!frame.IsValid()) break;
        t.frames.push_back(collect_frame(thread, frame, target, options, infos));
    }
    bool cut = t.frames.size() == options.max_frames &&
               thread.GetFrameAtIndex(options.max_frames).IsValid();
    if (cut) {
        t.unwind_note = fmt::format("the stack is deeper than {0} frames: the innermost {0} are "
                                    "shown (a runaway recursion?)",
                                    options.max_frames);
    } else if (options.seam_unwind) {
        // Where LLDB's frames end early or went through code nobody can name, seam's own
        // unwinder takes over (and says so in the frames and the thread's note).
        extend_with_seam_unwind(thread, t, options.max_frames);
    }
    infer_tail_calls(thread, t);
    return t;
}

Result<std::vector<bt::Backtrace>> collect_backtraces(::lldb::SBProcess process, bool all,
                                                      const BacktraceOptions& options) {
    if (!process.IsValid())
        return err("no process: seam bt needs a stopped process or a core file");
    if (process.GetState() != ::lldb::eStateStopped)
        return err("the process is running: stop it before seam bt");
    std::vector<bt::Backtrace> out;
    if (!all) {
        ::lldb::SBThread thread = process.GetSelectedThread();
        if (!thread.IsValid()) return err("no thread selected");
        out.push_back(bt::classify(collect_thread(thread, options)));
        return out;
    }
    for (uint32_t i = 0; i < process.GetNumThreads(); ++i)
        out.push_back(bt::classify(collect_thread(process.GetThreadAtIndex(i), options)));
    return out;
}

} // namespace seam::lldb
