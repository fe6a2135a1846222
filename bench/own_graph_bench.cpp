// The ownership graph over a live process with millions of allocations (issue 14: "the graph of
// one frame within 2 s, and memory within 4x of the graph's size"). A plain program, not a
// Google Benchmark: one build is seconds, and what matters is its time, reads and memory.
//   N=1000000 build/bench/own_graph_bench build/bench/own_million-O0
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "formatters/dwarf/debug_info.h"
#include "formatters/own/own_graph.h"
#include "tests/engine/live_process.h"

using namespace seam;

namespace {

double cpu_seconds() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           1e-6 * double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

// Bytes the graph's vectors and the strings outside their small-string buffers hold.
uint64_t graph_bytes(const own::Graph& g) {
    uint64_t b = g.nodes.size() * sizeof(own::Node) + g.edges.size() * sizeof(own::Edge);
    for (const auto& n : g.nodes)
        for (const std::string* s : {&n.type_name, &n.label, &n.language})
            if (s->capacity() > 15) b += s->capacity();
    for (const auto& e : g.edges)
        for (const std::string* s : {&e.path, &e.type_name, &e.state})
            if (s->capacity() > 15) b += s->capacity();
    return b;
}

} // namespace

int main(int argc, char** argv) {
    // --json: one more line, bench/all's row (bench/rows.py).
    bool json = argc > 2 && std::string(argv[2]) == "--json";
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s OWN_MILLION_BINARY [--json]\n", argv[0]);
        return 2;
    }
    live_test::LiveProcess p;
    std::string error;
    if (!p.start(argv[1], error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }
    auto di = DebugInfo::open(argv[1], p.load_bias(argv[1]));
    if (!di) {
        std::fprintf(stderr, "%s\n", di.error().message.c_str());
        return 1;
    }
    own::Root root;
    root.label = "#0 own_million::main";
    root.name = "b";
    root.value = Value::at((*di)->find_type("own_million::Bench"), p.at("bench"));
    Budget budget;
    budget.max_bytes = 1ull << 34;
    budget.max_elements = 1ull << 40;
    rusage before{};
    getrusage(RUSAGE_SELF, &before);
    double cpu0 = cpu_seconds();
    auto t0 = std::chrono::steady_clock::now();
    Context ctx(p, di->get(), builtin_registry(), budget);
    own::Graph g = own::build_graph(ctx, {root});
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double cpu = cpu_seconds() - cpu0;
    rusage after{};
    getrusage(RUSAGE_SELF, &after);
    std::printf("nodes %zu, edges %zu, findings %zu, truncated %d\n", g.nodes.size(),
                g.edges.size(), g.findings.size(), int(g.truncated));
    std::printf("build_graph: %.2f s wall, %.2f s cpu; %lu reads, %lu bytes read\n", wall, cpu,
                (unsigned long)ctx.usage().reads, (unsigned long)ctx.usage().bytes);
    std::printf("graph %.1f MB; max RSS %.1f MB (%.1f MB before the build)\n",
                double(graph_bytes(g)) / 1e6, double(after.ru_maxrss) / 1e3,
                double(before.ru_maxrss) / 1e3);
    if (json)
        std::printf("{\"bench\": \"own_graph_bench\", \"case\": \"ownership graph of %zu "
                    "allocations (CPU)\", \"unit\": \"ms\", \"seam\": {\"value\": %.1f, "
                    "\"bound\": \"\", \"reads\": %lu, \"rss_mb\": %.1f}, \"note\": \"graph "
                    "%.1f MB, wall %.0f ms\", \"items_per_s\": %.0f}\n",
                    g.nodes.size(), cpu * 1e3, (unsigned long)ctx.usage().reads,
                    double(after.ru_maxrss) / 1024, double(graph_bytes(g)) / 1e6, wall * 1e3,
                    cpu > 0 ? double(g.nodes.size()) / cpu : 0.0);
}
