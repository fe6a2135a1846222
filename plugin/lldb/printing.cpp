#include "plugin/lldb/printing.h"

#include "formatters/core/container_hints.h"

#include <lldb/API/SBProcess.h>
#include <lldb/API/SBTarget.h>
#include <lldb/API/SBThread.h>

#include "formatters/core/container_hints.h"
#include "formatters/core/context.h"
#include "formatters/render/json_text.h"
#include "formatters/render/render.h"
#include "plugin/lldb/debug_info_cache.h"
#include "plugin/lldb/frame_values.h"
#include "plugin/lldb/sb_memory.h"

namespace seam::lldb {

namespace {

std::string render(Context& ctx, const Value& v, const std::string& name, const PrintOptions& o) {
    switch (o.format) {
    case PrintFormat::Debug:
    case PrintFormat::Pretty: {
        // Appended in place: the text may be a 10 MB string, copied once already.
        std::string s = render_debug(ctx, v, o.format == PrintFormat::Pretty);
        s += '\n';
        return s;
    }
    case PrintFormat::Json:
        return json_text(render_json(ctx, v, name, o.depth, o.summary)) + "\n";
    case PrintFormat::Tree: {
        std::string s = render_tree(ctx, v, name, o.depth, o.summary);
        if (s.empty() || s.back() != '\n') s += '\n';
        return s;
    }
    }
    return {};
}

void add_stats(const Context& ctx, const PrintOptions& o) {
    if (!o.stats) return;
    o.stats->usage.bytes += ctx.usage().bytes;
    o.stats->usage.reads += ctx.usage().reads;
    o.stats->usage.elements += ctx.usage().elements;
    o.stats->allocations += ctx.allocations();
}

SBMemoryReader reader_for(::lldb::SBFrame& frame) {
    ::lldb::SBProcess process = frame.GetThread().GetProcess();
    return SBMemoryReader(process, process.GetTarget());
}

} // namespace

Result<std::string> print_path(::lldb::SBFrame frame, std::string_view path,
                               const PrintOptions& options) {
    auto scope = frame_scope(frame, DebugInfoCache::shared());
    if (!scope) return scope.error();
    SBMemoryReader mem = reader_for(frame);
    Context ctx(mem, scope->info, builtin_registry(), options.budget);
    auto value = resolve_path(*scope, ctx, mem, path);
    if (!value) return value.error();
    if (!options.container.empty()) {
        value = container_value(ctx, *value, options.container);
        if (!value) return value.error();
    }
    std::string out = render(ctx, *value, std::string(path), options);
    add_stats(ctx, options);
    if (options.stats) options.stats->direct_reads += mem.direct_reads();
    return out;
}

Result<std::string> print_frame(::lldb::SBFrame frame, const PrintOptions& options) {
    auto scope = frame_scope(frame, DebugInfoCache::shared());
    if (!scope) return scope.error();
    SBMemoryReader mem = reader_for(frame);
    auto vars = frame_variables(*scope, mem);
    if (!vars) return vars.error();
    std::string out;
    if (options.format == PrintFormat::Json) {
        nlohmann::json j = {{"schema", "seam.frame/1"},
                            {"frame", scope->index},
                            {"function", scope->function},
                            {"variables", nlohmann::json::array()}};
        for (const auto& nv : *vars) {
            // A fresh context per variable: one huge value must not spend the others' budget.
            Context ctx(mem, scope->info, builtin_registry(), options.budget);
            j["variables"].push_back(
                render_json(ctx, nv.value, nv.name, options.depth, options.summary));
            add_stats(ctx, options);
        }
        if (options.stats) options.stats->direct_reads += mem.direct_reads();
        return json_text(j) + "\n";
    }
    for (const auto& nv : *vars) {
        Context ctx(mem, scope->info, builtin_registry(), options.budget);
        if (options.format == PrintFormat::Tree)
            out += render(ctx, nv.value, nv.name, options);
        else
            out += nv.name + " = " + render(ctx, nv.value, nv.name, options);
        add_stats(ctx, options);
    }
    if (options.stats) options.stats->direct_reads += mem.direct_reads();
    if (vars->empty()) out = fmt::format("no variables in frame {}\n", describe_frame(*scope));
    return out;
}

} // namespace seam::lldb
