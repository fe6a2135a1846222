// Every formatter family over fuzzed memory, with a fixed real type graph: the types come from
// the DWARF of fixture programs (read once at start-up), the memory image from the input. The
// input picks a formatter family, a type that family formats, and whether the image wraps (any
// pointer leads into it) or ends (pointers outside it fail); the rest is the image, with the
// value at its start. The value is rendered as Debug text and as JSON, and its children are
// paged, as the plugin's and seam-report's renderers would.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#include "formatters/core/context.h"
#include "formatters/dwarf/debug_info.h"
#include "formatters/render/json_text.h"
#include "formatters/render/render.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using namespace seam;

constexpr uint64_t k_base = 0x7f00'0000'0000;

struct Pick {
    const DebugInfo* info;
    const Type* type;
};

/// Types by the formatter the built-in registry gives them: each family gets the same share of
/// inputs however many types it formats.
struct TypeGraph {
    std::vector<std::unique_ptr<DebugInfo>> infos;
    std::vector<std::vector<Pick>> families;
};

const TypeGraph& graph() {
    static const TypeGraph g = [] {
        TypeGraph g;
        std::map<std::string, std::vector<Pick>> by_family;
        for (const std::string& path : fuzz::fixture_paths()) {
            auto info = DebugInfo::open(path, 0);
            if (!info) {
                fprintf(stderr, "fuzz_formatters: %s: %s\n", path.c_str(),
                        info.error().message.c_str());
                std::abort();
            }
            for (const std::string& name : (*info)->type_names()) {
                const Type* t = (*info)->find_type(name);
                if (!t || !t->has_size || t->size == 0 || t->size > 4096) continue;
                const Formatter* f = builtin_registry().find(t);
                by_family[f ? std::string(f->name()) : "none"].push_back({info->get(), t});
            }
            g.infos.push_back(std::move(*info));
        }
        for (auto& [name, picks] : by_family) g.families.push_back(std::move(picks));
        fprintf(stderr, "fuzz_formatters: %zu families\n", g.families.size());
        return g;
    }();
    return g;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    graph();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const TypeGraph& g = graph();
    FuzzedDataProvider in(data, size);
    const auto& family = g.families[in.ConsumeIntegralInRange<size_t>(0, g.families.size() - 1)];
    const Pick& pick = family[in.ConsumeIntegralInRange<size_t>(0, family.size() - 1)];
    bool wrapping = in.ConsumeBool();
    bool pretty = in.ConsumeBool();
    std::vector<uint8_t> image = in.ConsumeRemainingBytes<uint8_t>();
    fuzz::ImageMemory mem(k_base, image, wrapping);
    // A small budget keeps an execution short; the budget's own enforcement is what is tested.
    Budget budget;
    budget.max_bytes = 1 << 20;
    budget.max_elements = 20'000;
    budget.max_string = 64 << 10;
    budget.max_children = 200;
    Value v = Value::at(pick.type, k_base);
    {
        Context ctx(mem, pick.info, builtin_registry(), budget);
        render_debug(ctx, v, pretty);
    }
    {
        // What `seam print --json` prints: tree, summary and ownership facts, two levels down.
        Context ctx(mem, pick.info, builtin_registry(), budget);
        json_text(render_json(ctx, v, "v", 2));
    }
    Context ctx(mem, pick.info, builtin_registry(), budget);
    Formatted f = ctx.format(v);
    for (const Child& c : ctx.children(f, 0, 8)) {
        ctx.format(c.value);
        if (c.map_value) ctx.format(*c.map_value);
    }
    // A page far past the start, as lldb-dap asks for one.
    ctx.children(f, f.count > 3 ? f.count - 3 : 0, 3);
    ctx.memory_children(f, 0, 8);
    return 0;
}
