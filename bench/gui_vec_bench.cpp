// seam-gui's variables view on a 10-million-element Vec (issue 16: "the first page of a
// 10M-element Vec appears within 100 ms of the expand"): what the debugger worker does between
// the expand and the rows, through the same VariableStore, over a live process under LLDB.
// Every iteration first resumes the fixture to its next stop, so LLDB's memory cache is empty
// and each time is a first access (the resume is not timed).
//   build/bench/gui_vec_bench BUILD/fixtures/vecs-O0
#include <benchmark/benchmark.h>

#include <lldb/API/SBThread.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "gui/debugger/variable_store.h"
#include "plugin/lldb/session.h"

namespace {

std::string g_fixture;
std::unique_ptr<seam::lldb::Session> g_session;

// The process's resident and peak memory (kB), from /proc/self/status.
long status_kb(const char* key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key, 0) == 0) return std::stol(line.substr(std::string(key).size()));
    return -1;
}

bool next_stop(benchmark::State& state) {
    if (!g_session) {
        seam::lldb::LaunchOptions o;
        o.args = {"huge"};
        o.env = {"SEAM_HUGE_ROUNDS=1000000"};
        o.breakpoints = {"seam_probe"};
        auto s = seam::lldb::Session::launch(g_fixture, o);
        if (!s) {
            state.SkipWithError(s.error().message.c_str());
            return false;
        }
        g_session = std::move(*s);
        return true;
    }
    if (!g_session->resume() || !g_session->stopped()) {
        state.SkipWithError("the fixture did not stop again");
        return false;
    }
    return true;
}

// The caller of seam_probe: `vecs::huge`, whose only local is the 10M-element v_huge.
seam::Result<uint64_t> huge_id(seam::gui::VariableStore& store) {
    ::lldb::SBFrame frame = g_session->process().GetSelectedThread().GetFrameAtIndex(1);
    auto rows = store.roots(frame);
    if (!rows) return rows.error();
    for (const seam::gui::VariableRow& r : *rows)
        if (r.name == "v_huge" && r.children == 10'000'000) return r.id;
    return seam::err("no v_huge with 10000000 children in frame 1");
}

// A stop's variables: each root formatted with its summary line (v_huge's first elements).
void BM_FrameVariables(benchmark::State& state) {
    for (auto _ : state) {
        state.PauseTiming();
        if (!next_stop(state)) return;
        seam::gui::VariableStore store;
        state.ResumeTiming();
        auto id = huge_id(store);
        if (!id) {
            state.SkipWithError(id.error().message.c_str());
            return;
        }
    }
}

// One timed page of v_huge: the next stop (untimed), then rows start..start+100 (row 0 is the
// Vec's [raw] view, row i + 1 its element i), whose first element must be element `first`. False
// when the benchmark was skipped with the reason.
bool timed_page(benchmark::State& state, uint64_t start, const std::string& first) {
    state.PauseTiming();
    if (!next_stop(state)) return false;
    seam::gui::VariableStore store;
    auto id = huge_id(store);
    if (!id) {
        state.SkipWithError(id.error().message.c_str());
        return false;
    }
    state.ResumeTiming();
    auto page = store.children(g_session->process(), *id, start, 100);
    size_t at = !page.rows.isEmpty() && page.rows.front().name == "[raw]" ? 1 : 0;
    if (page.rows.size() != 100 ||
        page.rows[at].name != QString::fromStdString("[" + first + "]") ||
        page.rows[at].summary != QString::fromStdString(first)) {
        state.SkipWithError(("the page at " + std::to_string(start) + " is not [" + first +
                             "] = " + first + " .. (100 rows)")
                                .c_str());
        return false;
    }
    return true;
}

// The expand: the first page (100 children) of v_huge, with the store's memory afterwards.
void BM_FirstPageOf10MVec(benchmark::State& state) {
    long rss_before = status_kb("VmRSS:");
    for (auto _ : state)
        if (!timed_page(state, 0, "0")) return;
    state.counters["rows"] = 100;
    state.counters["rss_growth_kB"] = double(status_kb("VmRSS:") - rss_before);
    state.counters["peak_rss_kB"] = double(status_kb("VmHWM:"));
}

// The next page far down (children 5,000,000 ..): paging never walks what lies before it.
void BM_PageAt5MOf10MVec(benchmark::State& state) {
    for (auto _ : state)
        if (!timed_page(state, 5'000'001, "5000000")) return;
}

BENCHMARK(BM_FrameVariables)->Unit(benchmark::kMillisecond)->Iterations(20);
BENCHMARK(BM_FirstPageOf10MVec)->Unit(benchmark::kMillisecond)->Iterations(20);
BENCHMARK(BM_PageAt5MOf10MVec)->Unit(benchmark::kMillisecond)->Iterations(20);

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s [benchmark options] VECS_O0_FIXTURE\n", argv[0]);
        return 2;
    }
    g_fixture = argv[1];
    benchmark::RunSpecifiedBenchmarks();
    g_session.reset();
    benchmark::Shutdown();
    return 0;
}
