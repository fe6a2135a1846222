// What the DWARF index costs on a large binary (issue 3: "the DWARF index for a
// 100 MB-debug-info binary is built lazily or in under 2 s"). bench/dwarf_index.py makes the
// binary and runs this with SEAM_BIG_BINARY (the ELF file), SEAM_BIG_PC (a function's address,
// hex) and SEAM_BIG_TYPE (a type name defined in the last compile unit). Each case opens the
// file afresh: what a debugger pays at its first stop. CPU is the whole process's (the type-name
// index scans units on a second thread); SEAM_DWARF_SCAN=0 indexes through libdwarf instead.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "formatters/dwarf/debug_info.h"

namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

std::unique_ptr<seam::DebugInfo> open_or_skip(benchmark::State& state) {
    auto info = seam::DebugInfo::open(env("SEAM_BIG_BINARY"), 0);
    if (!info) {
        state.SkipWithError(("cannot open SEAM_BIG_BINARY: " + info.error().message).c_str());
        return nullptr;
    }
    return std::move(*info);
}

// Opening: ELF sections and the unit list, no unit walked yet.
void BM_Open(benchmark::State& state) {
    for (auto _ : state) {
        auto info = open_or_skip(state);
        if (!info) return;
        benchmark::DoNotOptimize(info.get());
    }
}
BENCHMARK(BM_Open)->Iterations(3)->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);

// A first stop: the variables in scope at one PC (the unit holding it is walked, no other).
void BM_FirstStopVariables(benchmark::State& state) {
    uint64_t pc = std::stoull(env("SEAM_BIG_PC").empty() ? "0" : env("SEAM_BIG_PC"), nullptr, 16);
    for (auto _ : state) {
        auto info = open_or_skip(state);
        if (!info) return;
        auto vars = info->variables_at(pc);
        if (!vars || vars->empty()) {
            state.SkipWithError("no variables at SEAM_BIG_PC");
            return;
        }
        benchmark::DoNotOptimize(vars->size());
    }
}
BENCHMARK(BM_FirstStopVariables)
    ->Iterations(3)
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);

// The worst case: a type looked up by name, which needs the whole-file name index (every
// unit's types walked once). items/s: the file's named types indexed (SEAM_BIG_TYPES, from
// dwarf_index.py); bytes/s: its .debug_info (SEAM_BIG_INFO_BYTES).
void BM_WholeTypeIndex(benchmark::State& state) {
    std::string name = env("SEAM_BIG_TYPE");
    for (auto _ : state) {
        auto info = open_or_skip(state);
        if (!info) return;
        if (!info->find_type(name)) {
            state.SkipWithError(("type not found: " + name).c_str());
            return;
        }
    }
    auto per_iteration = [](const char* name) {
        std::string v = env(name);
        return v.empty() ? int64_t(0) : int64_t(std::stoll(v));
    };
    state.SetItemsProcessed(state.iterations() * per_iteration("SEAM_BIG_TYPES"));
    state.SetBytesProcessed(state.iterations() * per_iteration("SEAM_BIG_INFO_BYTES"));
}
BENCHMARK(BM_WholeTypeIndex)->Iterations(3)->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
