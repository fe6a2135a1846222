#pragma once
/// What the ownership graph's engine tests share (own_graph_test.cpp and
/// own_graph_collections_test.cpp): tests/engine/own_scenes.rs (with own_scenes.c) built at -O0
/// and -O2 and started once per level, the OwnGraph fixture over it, and the phrases the
/// expectations use.
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "formatters/dwarf/debug_info.h"
#include "formatters/own/own_graph.h"
#include "tests/engine/dwarf_test_support.h"
#include "tests/engine/live_process.h"

namespace seam::own_graph_test {

using namespace own;

inline std::string source(const std::string& path) {
    std::ifstream in(std::string(SEAM_SOURCE_DIR) + "/tests/" + path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// own_scenes.rs with the fixtures' counting allocator (`mod counting_alloc;`) built in as an
// inline module: build_fixture compiles one file.
inline std::string scenes_source() {
    std::string text = source("engine/own_scenes.rs");
    const std::string decl = "mod counting_alloc;";
    if (auto at = text.find(decl); at != std::string::npos)
        text.replace(at, decl.size(),
                     "mod counting_alloc {\n" + source("fixtures/counting_alloc.rs") + "}");
    return text;
}

// The scenes program at one optimisation level, built and started on first use, running
// until the tests end (its destructor closes its stdin).
struct Scenes {
    std::string error;
    live_test::LiveProcess process;
    std::unique_ptr<DebugInfo> info;
};

inline Scenes& scenes(int level) {
    static std::map<int, std::unique_ptr<Scenes>> all;
    auto& s = all[level];
    if (s) return *s;
    s = std::make_unique<Scenes>();
    std::string object =
        dwarf_test::build_fixture("own_scenes_c.o", "c", source("engine/own_scenes.c"),
                                  fmt::format("-g -O{} -c", level), s->error);
    if (object.empty()) return *s;
    std::string binary = dwarf_test::build_fixture(
        "own_scenes", "rs", scenes_source(),
        fmt::format("-g -C opt-level={} --edition 2021 -A warnings -C link-arg={}", level, object),
        s->error);
    if (binary.empty() || !s->process.start(binary, s->error)) return *s;
    auto di = DebugInfo::open(binary, s->process.load_bias(binary));
    if (di)
        s->info = std::move(*di);
    else
        s->error = di.error().message;
    return *s;
}

// Every test runs on the program built at -O0 and at -O2: the graph comes from DWARF types and
// memory, whatever the optimiser did to the code.
class OwnGraph : public ::testing::TestWithParam<int> {
protected:
    void SetUp() override {
        Scenes& s = scenes(GetParam());
        ASSERT_TRUE(s.info) << s.error;
        process = &s.process;
        info = s.info.get();
    }

    Root scene(const std::string& name, const std::string& type) {
        Root r;
        r.kind = NodeKind::Frame;
        r.label = "#0 own_scenes::main";
        r.frame_cfa = 0x7ff0;
        r.name = name;
        r.value = Value::at(info->find_type("own_scenes::" + type), process->at(name));
        return r;
    }
    Root c_static() {
        Root r;
        r.kind = NodeKind::Static;
        r.label = "c_holder";
        r.name = "c_holder";
        r.value = Value::at(info->find_type("holder"), process->at("c_holder"));
        return r;
    }
    Graph graph(std::vector<Root> roots, Limits limits = {}, Budget budget = {}) {
        for (const Root& r : roots) EXPECT_TRUE(r.value.type) << r.name;
        Context ctx(*process, info, builtin_registry(), budget);
        return todays_names(build_graph(ctx, roots, limits));
    }
    // The graph names allocations as the DWARF does, and std renamed Rc's `RcBox<T>` to
    // `RcInner<T>` in Rust 1.83: the expectations below use today's name whatever rustc built
    // the scenes (SEAM_TEST_RUSTC may be bookworm's 1.63).
    static Graph todays_names(Graph g) {
        auto fix = [](std::string& s) {
            for (size_t at = 0; (at = s.find("RcBox<", at)) != std::string::npos; at += 8)
                s.replace(at, 6, "RcInner<");
        };
        for (auto& n : g.nodes) fix(n.type_name);
        for (auto& e : g.edges) fix(e.type_name);
        for (auto& f : g.findings) fix(f.message);
        for (auto& site : g.sites) fix(site.type_name);
        return g;
    }
    uint64_t at(const std::string& name) { return process->at(name); }
    // The path to the Box in DoubleScene's `b: ManuallyDrop<Box<Payload>>`: today's std wraps
    // ManuallyDrop's value in a `MaybeDangling` (`value.0`), 1.63's keeps it bare (`value`).
    // Read from the scenes' own DWARF.
    std::string manually_dropped() {
        const Field* b = find_field(strip(info->find_type("own_scenes::DoubleScene")), "b");
        const Field* value = b ? find_field(strip(b->type), "value") : nullptr;
        const Type* inner = value ? strip(value->type) : nullptr;
        bool wrapped = inner && inner->name.find("MaybeDangling") != std::string::npos;
        return wrapped ? "double.b.value.0" : "double.b.value";
    }

    live_test::LiveProcess* process = nullptr;
    DebugInfo* info = nullptr;
};

constexpr const char* kMain = "frame #0 own_scenes::main";

inline std::vector<std::string> messages(const Graph& g, FindingKind k) {
    std::vector<std::string> out;
    for (const Finding& f : g.findings)
        if (f.kind == k) out.push_back(f.message);
    return out;
}

inline std::string hex(uint64_t a) {
    return fmt::format("{:#x}", a);
}

// RcInner<T> / ArcInner<T> { strong, weak, value } is repr(C): the value is 16 bytes in (for
// the values here, aligned to at most 8); the program prints where the values are.
inline uint64_t inner_of(uint64_t value) {
    return value - 16;
}

} // namespace seam::own_graph_test
