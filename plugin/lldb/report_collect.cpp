#include "plugin/lldb/report_collect.h"

#include <lldb/API/SBFrame.h>
#include <lldb/API/SBModule.h>
#include <lldb/API/SBTarget.h>
#include <lldb/API/SBThread.h>

#include "formatters/core/context.h"
#include "formatters/core/rust_names.h"
#include "formatters/crash/crash.h"
#include "formatters/render/render.h"
#include "formatters/render/summary_line.h"
#include "plugin/lldb/debug_info_cache.h"
#include "plugin/lldb/frame_values.h"
#include "plugin/lldb/sb_memory.h"
#include "plugin/lldb/stop_facts.h"
#include "plugin/lldb/thread_names.h"

namespace seam::lldb {

namespace {

std::string or_empty(const char* s) {
    return s ? s : "";
}

bool has_stop_reason(::lldb::SBThread& t) {
    auto r = t.GetStopReason();
    return r != ::lldb::eStopReasonNone && r != ::lldb::eStopReasonInvalid;
}

std::optional<std::string> location_text(const crash::Panic& p) {
    if (!p.location) return std::nullopt;
    return fmt::format("{}:{}:{}", p.location->file, p.location->line, p.location->column);
}

report::Verdict verdict_of(const crash::Classification& c) {
    report::Verdict v;
    v.kind = std::string(crash::kind_name(c.kind));
    v.headline = c.headline;
    if (c.panic) {
        v.panic_message = c.panic->message;
        v.panic_location = location_text(*c.panic);
        v.panic_missing = c.panic->missing;
    }
    if (c.original)
        v.original_panic = report::PanicFacts{c.original->message, location_text(*c.original),
                                              c.original->location_source, c.original->missing};
    v.json = crash::to_json(c);
    return v;
}

// Where a panic's signature says it panicked: the panic that started it all when one panic
// aborted another (the root cause), else the panic's own location. Other crashes have none: an
// abort's or a fault's line moves with the optimiser, a panic's Location does not.
std::string panic_site(const report::Verdict& v) {
    if (v.kind != "rust-panic" && v.kind != "panic-cannot-unwind") return "";
    if (v.original_panic && v.original_panic->location) return *v.original_panic->location;
    return v.panic_location.value_or("");
}

report::Local local_of(Context& ctx, const NamedValue& nv, unsigned depth) {
    report::Local l;
    l.name = nv.name;
    l.parameter = nv.is_parameter;
    Formatted f = ctx.format(nv.value);
    l.type = f.type_name;
    // The value's line as LLDB and `seam print --json` give it: a container's facts and then
    // its first items, bounded by the line (docs/report-schema.md).
    l.summary = render_summary_line(ctx, f);
    if (f.shape != Shape::Error) l.ownership = own_kind_name(f.own.kind);
    l.line = render_tree(ctx, nv.value, nv.name, 0);
    while (!l.line.empty() && l.line.back() == '\n') l.line.pop_back();
    l.value = render_json(ctx, nv.value, nv.name, depth);
    return l;
}

// The variables of the first user frames: where the crash is, in the program's own terms.
std::vector<report::FrameLocals> locals_of(::lldb::SBThread thread, const bt::Backtrace& bt,
                                           const ReportOptions& options) {
    std::vector<report::FrameLocals> out;
    ::lldb::SBProcess process = thread.GetProcess();
    SBMemoryReader mem(process, process.GetTarget());
    for (const bt::Frame& f : bt.frames) {
        if (out.size() >= options.locals_frames) break;
        if (f.runtime || f.raw.dwarf_lang == Lang::Unknown || report::is_library_frame(f)) continue;
        report::FrameLocals fl;
        fl.index = f.raw.index;
        fl.function = bt::shown_name(f, options.backtrace.full_names);
        // LLDB's own frame: seam's numbering counts the frames it added (tail calls).
        if (!f.raw.debugger_index) continue;
        auto scope =
            frame_scope(thread.GetFrameAtIndex(*f.raw.debugger_index), DebugInfoCache::shared());
        if (!scope) {
            fl.error = scope.error().message;
            out.push_back(std::move(fl));
            continue;
        }
        auto vars = frame_variables(*scope, mem);
        if (!vars) {
            fl.error = vars.error().message;
        } else {
            for (const NamedValue& nv : *vars) {
                // A fresh context per variable: one huge value must not spend the others' budget.
                Context ctx(mem, scope->info, builtin_registry(), options.budget);
                fl.locals.push_back(local_of(ctx, nv, options.value_depth));
            }
        }
        out.push_back(std::move(fl));
    }
    return out;
}

} // namespace

report::ThreadLine thread_line(::lldb::SBThread thread, bool full_names) {
    report::ThreadLine t;
    t.index = thread.GetIndexID();
    t.id = thread.GetThreadID();
    ThreadNaming naming = thread_name(thread);
    t.name = naming.name;
    t.name_source = naming.source;
    char buf[256] = {0};
    if (has_stop_reason(thread)) thread.GetStopDescription(buf, sizeof buf);
    t.stop_reason = buf;
    t.frame_count = thread.GetNumFrames();
    // Names from LLDB's symbols alone: a folded thread is one line, not worth its DWARF.
    for (uint32_t i = 0; i < t.frame_count; ++i) {
        std::string name = clean_rust_name(or_empty(thread.GetFrameAtIndex(i).GetFunctionName()));
        std::string shown = full_names ? name : elide_generics(name);
        if (i == 0) t.top = shown;
        if (!name.empty() && !bt::is_runtime_name(name)) {
            t.top = shown;
            break;
        }
    }
    return t;
}

Result<report::Report> collect_report(::lldb::SBProcess process, const std::string& core,
                                      const ReportOptions& options) {
    if (!process.IsValid()) return err("no process: a report needs a stopped process or a core");
    if (process.GetState() != ::lldb::eStateStopped)
        return err("the process is not stopped (state {})", int(process.GetState()));
    report::Report r;
    r.core = core;
    r.full_names = options.backtrace.full_names;
    ::lldb::SBTarget target = process.GetTarget();
    ::lldb::SBModule exe = target.GetModuleAtIndex(0);
    if (exe.IsValid()) {
        char path[4096] = {0};
        exe.GetFileSpec().GetPath(path, sizeof path);
        r.executable = path;
        r.build_id = or_empty(exe.GetUUIDString());
        for (char& c : r.build_id)
            if (c >= 'A' && c <= 'F') c = char(c - 'A' + 'a');
        std::erase(r.build_id, '-');
        if (auto info = DebugInfoCache::shared().get(exe, target); !info)
            r.warnings.push_back("no debug info in the executable (" + info.error().message +
                                 "): names come from its symbols, no locals");
    }

    ::lldb::SBThread thread = crashing_thread(process);
    if (!thread.IsValid()) return r;
    auto verdict = classify_thread(process, thread, options.backtrace);
    if (!verdict) return verdict.error();
    bt::Backtrace& bt = verdict->backtrace;
    r.stop_reason = stop_facts(process, thread).description;
    r.verdict = verdict_of(verdict->classification);
    r.signature = report::signature_of(bt, options.signature_frames, panic_site(r.verdict));
    r.locals = locals_of(thread, bt, options);
    for (uint32_t i = 0; i < process.GetNumThreads(); ++i) {
        ::lldb::SBThread t = process.GetThreadAtIndex(i);
        if (t.GetIndexID() != thread.GetIndexID())
            r.other_threads.push_back(thread_line(t, options.backtrace.full_names));
    }
    r.crashing = std::move(bt);
    return r;
}

} // namespace seam::lldb
