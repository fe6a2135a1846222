// `seam own` end to end over the own fixture (tests/fixtures/own.rs + own.c): each planted
// ownership fault is found, with its exact finding line, live, from a minidump LLDB saved at the
// stop and from an ELF core gdb wrote there, at -O0 and -O2; each clean twin reports nothing;
// `seam own PATH` explains why a value is alive; --json follows the schema, --dot is Graphviz's
// language, and --svg writes an SVG laid out by libgvc.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/json_schema_check.h"
#include "tests/e2e/report_cores.h"
#include "tests/e2e/session.h"

namespace seam::e2e {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const fs::path k_source = SEAM_SOURCE_DIR;

std::string exe(const std::string& level) {
    return std::string(SEAM_E2E_FIXTURE_DIR) + "/own-" + level;
}

// Addresses differ between toolchains and levels; the facts around them do not. std renamed
// the allocation behind an Rc from RcBox to RcInner in Rust 1.84 (the fixtures build with 1.63).
std::string normalised(const std::string& text) {
    static const std::regex address("0x[0-9a-f]+"), rc_box("RcBox<");
    return std::regex_replace(std::regex_replace(text, address, "0x…"), rc_box, "RcInner<");
}

// The finding lines of `seam own`'s text (`  kind: message` under `findings:`), normalised.
std::vector<std::string> findings(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    bool inside = false;
    for (std::string line; std::getline(in, line);) {
        if (line == "findings:") {
            inside = true;
            continue;
        }
        if (inside && line.starts_with("  "))
            out.push_back(normalised(line.substr(2)));
        else
            inside = false;
    }
    return out;
}

std::string first_line(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

// Whether a probe stop is in the case's function: LLDB names it with its hash
// (`own::rc_weak::hafbebc85f4c9a6ae`).
bool stopped_in(const Stop& stop, const std::string& name) {
    const std::string fn = "own::" + name;
    return stop.kind == StopKind::Probe &&
           (stop.description == fn || stop.description.starts_with(fn + "::h"));
}

// One case of the fixture: its name (the function frame 1 is in), and what `seam own` over the
// selected frame and over the whole process must find. A clean twin finds nothing.
struct Case {
    std::string name;
    std::vector<std::string> frame;
    std::vector<std::string> process;
    /// --thread's, where it differs from --frame's (a C frame below the stop).
    std::optional<std::vector<std::string>> thread = std::nullopt;
};

const std::string k_cycle =
    "cycle: Rc cycle of strong references among 2 allocations: RcInner<Node> at 0x…: "
    "*.next.value.0 (Rc "
    "strong 2) → RcInner<Node> at 0x…; RcInner<Node> at 0x…: *.next.value.0 (Rc strong 2) → "
    "RcInner<Node> at 0x…; held "
    "from outside the cycle by frame #1 own::rc_cycle: a (Rc strong 2), frame #1 own::rc_cycle: "
    "b (Rc strong 2): it leaks when those are dropped";
const std::string k_double =
    "double-owner: 2 owners claim the allocation Payload at 0x… (32 bytes): frame #1 "
    "own::double_box: first (Box), frame #1 own::double_box: second (Box)";
const std::string k_conflict =
    "borrow-conflict: RefCell<Vec<u32>> at 0x… (frame #1 own::refmut_shared: cell) is writing "
    "(RefMut at frame #1 own::refmut_shared: writer (RefMut, writing)) while frame #1 "
    "own::refmut_shared: reader (&) borrows into it";
const std::string k_writer =
    "writer-alive: RefCell<Vec<u32>> at 0x… (frame #1 own::refmut_shared: cell) is writing: "
    "RefMut at frame #1 own::refmut_shared: writer (RefMut, writing)";
const std::string k_box_crossing =
    "crossing: C holds a Rust Payload at 0x… through static own_slots: own_slots[0].data (void "
    "*, pointer 0x…); no Rust owner claims it in the graph";
const std::string k_arc_crossing =
    "crossing: C holds a Rust ArcInner<Config> at 0x… through static own_slots: own_slots[1].data "
    "(void "
    "*, pointer 0x…); a Rust owner still claims it: frame #1 own::arc_to_c: shared (Arc strong "
    "2)";
const std::string k_unaccounted =
    "unaccounted: ArcInner<Config> at 0x…: strong count 2, 1 strong reference found (frame #1 "
    "own::arc_forgotten: shared (Arc strong 2)): 1 unaccounted";
// One finding for the one allocation, however many places in C hold it.
const std::string k_frame_crossing =
    "crossing: C holds a Rust Payload at 0x… through frame #2 own_c_hold: data (void *, pointer "
    "0x…) and through frame #2 own_c_hold: held.data (void *, pointer 0x…); no Rust owner claims "
    "it in the graph";
const std::string k_lock =
    "lock-held: Mutex<u64> at 0x… (frame #1 own::guard_held: counter) is locked: held by the "
    "guard at frame #1 own::guard_held: guard (MutexGuard), in frame #1 own::guard_held";

// In the order own.rs runs them. C's slots are statics, and counts are compared with the
// references found only over the whole process: only --process sees those. A C frame below the
// stop (box_in_c_frame) is seen from --thread on, its language C.
const std::vector<Case> k_cases = {
    {"rc_cycle", {k_cycle}, {k_cycle}},
    {"rc_weak", {}, {}},
    {"double_box", {k_double}, {k_double}},
    {"single_box", {}, {}},
    {"box_moved", {}, {}},
    {"refmut_shared", {k_conflict, k_writer}, {k_conflict, k_writer}},
    {"ref_shared", {}, {}},
    {"box_to_c", {}, {k_box_crossing}},
    {"box_in_c_frame", {}, {k_frame_crossing}, std::vector<std::string>{k_frame_crossing}},
    {"box_back", {}, {}},
    {"arc_to_c", {}, {k_arc_crossing}},
    {"arc_back", {}, {}},
    {"arc_forgotten", {}, {k_unaccounted}},
    {"guard_held", {k_lock}, {k_lock}},
    {"guard_dropped", {}, {}},
    {"collections", {}, {}},
    {"collections_corrupt", {}, {}},
};

// What the collections stop is asked besides: the graph as JSON (live and from cores), and the
// node counts and bytes the fixture's own allocator measured.
const std::vector<std::string> k_collection_commands = {
    "seam own --json", "seam print --debug list_nodes", "seam print --debug list_bytes",
    "seam print --debug map_nodes", "seam print --debug map_bytes"};

// `seam own PATH` at a stop, and the explanation it must give (normalised, without the value's
// own first line, which is `seam print --tree`'s and tested there).
struct WhyAlive {
    std::string stop;
    std::string path;
    std::string expected;
};
const std::vector<WhyAlive> k_why = {
    {"rc_weak", "b.name",
     "allocation: 0x… String (1 bytes)\n"
     "owns: 1 allocation\n"
     "  b.name: 0x… String (1 bytes)\n"
     "why alive:\n"
     "  frame #1 own::rc_weak: b (Rc strong 2) → *.name (String) → String at 0x…\n"
     // b's Rc is shared by a's `next` too: a chain from each root edge, the longer after.
     "  frame #1 own::rc_weak: a (Rc strong 1) → *.next.value.0 (Rc strong 2) → *.name (String) "
     "→ String at 0x…\n"},
    {"rc_weak", "a.next",
     "inside allocation: 0x… RcInner<Node> (72 bytes)\n"
     "owns: 2 allocations\n"
     "  a.next.value.0: 0x… RcInner<Node> (72 bytes)\n"
     "  a.next.value.0 → *.name: 0x… String (1 bytes)\n"
     "why alive:\n"
     "  frame #1 own::rc_weak: a (Rc strong 1) → RcInner<Node> at 0x…\n"},
    {"box_back", "back",
     "allocation: 0x… Payload (32 bytes)\n"
     "owns: 2 allocations\n"
     "  back: 0x… Payload (32 bytes)\n"
     "  back → *.label: 0x… String (8 bytes)\n"
     "why alive:\n"
     "  frame #1 own::box_back: back (Box) → Payload at 0x…\n"},
    // Only the youngest of the owners on the stack keeps it alive: the callers' copies moved.
    {"box_moved", "b.label",
     "allocation: 0x… String (5 bytes)\n"
     "owns: 1 allocation\n"
     "  b.label: 0x… String (5 bytes)\n"
     "why alive:\n"
     "  frame #1 own::box_moved: b (Box) → *.label (String) → String at 0x…\n"},
    {"double_box", "second.label",
     "allocation: 0x… String (5 bytes)\n"
     "owns: 1 allocation\n"
     "  second.label: 0x… String (5 bytes)\n"
     "why alive:\n"
     "  frame #1 own::double_box: first (Box) → *.label (String) → String at 0x…\n"
     "  frame #1 own::double_box: second (Box) → *.label (String) → String at 0x…\n"},
    // A value shared out of a B-tree: one chain through the map's nodes, field by field.
    {"collections", "item",
     "allocation: 0x… RcInner<Item> (48 bytes)\n"
     "owns: 2 allocations\n"
     "  item: 0x… RcInner<Item> (48 bytes)\n"
     "  item → *.name: 0x… String (8 bytes)\n"
     "why alive:\n"
     "  frame #1 own::collections: item (Rc strong 2) → RcInner<Item> at 0x…\n"
     "  frame #1 own::collections: map.root (BTreeMap) → edges[3] (BTreeMap) → vals[6] (Rc "
     "strong 2) → RcInner<Item> at 0x…\n"},
    // A list's element is a Box held in its node: what the Box owns is alive through node 2,
    // which the list owns as `list[2]` (not through node 0's and node 1's `next`).
    {"collections", "list[2].label",
     "allocation: 0x… String (2 bytes)\n"
     "owns: 1 allocation\n"
     "  list[2].label: 0x… String (2 bytes)\n"
     "why alive:\n"
     "  frame #1 own::collections: list[2] (LinkedList) → element (Box) → *.label (String) → "
     "String at 0x…\n"},
    {"collections", "list[4].id",
     "inside allocation: 0x… Payload (32 bytes)\n"
     "owns: nothing\n"
     "why alive:\n"
     "  frame #1 own::collections: list[4] (LinkedList) → element (Box) → Payload at 0x…\n"},
};

// The commands each stop answers, live and from both kinds of core.
std::vector<std::string> commands_at(const std::string& stop) {
    std::vector<std::string> out = {"seam own", "seam own --thread", "seam own --process"};
    if (stop == "collections")
        out.insert(out.end(), k_collection_commands.begin(), k_collection_commands.end());
    for (const WhyAlive& w : k_why)
        if (w.stop == stop) out.push_back("seam own " + w.path);
    return out;
}

// Every stop of the fixture at both levels, live and from cores, run once for all the tests:
// outputs[level][mode][case][command].
class Own : public ::testing::Test {
protected:
    using Outputs = std::map<std::string, CommandOutput>;

    static void SetUpTestSuite() {
        std::string tmpl = (fs::temp_directory_path() / "seam-e2e-own-XXXXXX").string();
        std::vector<char> buf(tmpl.begin(), tmpl.end());
        buf.push_back('\0');
        s_dir = mkdtemp(buf.data()) ? buf.data() : "";
        if (s_dir.empty()) {
            s_setup_error = "no scratch directory";
            return;
        }
        for (const char* level : {"O0", "O2"}) {
            if (!fs::exists(exe(level))) {
                s_setup_error = exe(level) + " was not built";
                return;
            }
            if (auto s = run_live(level); !s.ok()) s_setup_error += s.error().message + "\n";
            if (auto s = write_elf_cores(level); !s.ok()) s_setup_error += s.error().message + "\n";
            for (const char* mode : {"minidump", "elf"})
                if (auto s = run_cores(level, mode); !s.ok())
                    s_setup_error += s.error().message + "\n";
        }
    }
    static void TearDownTestSuite() {
        if (!s_dir.empty() && !::testing::Test::HasFailure()) fs::remove_all(s_dir);
    }
    void SetUp() override { ASSERT_EQ(s_setup_error, "") << "scratch directory " << s_dir; }

    static std::string core_path(const std::string& level, const std::string& mode,
                                 const std::string& name) {
        return s_dir + "/" + name + "-" + level + (mode == "elf" ? ".elf" : ".dmp");
    }

    // All the cases in one run, as the e2e suite runs the fixture: a minidump at each stop, and
    // the outputs that only a live process gives (--json, --dot, --svg).
    static Status run_live(const std::string& level) {
        auto session = Session::create(SEAM_E2E_PLUGIN);
        if (!session) return session.error();
        auto stop = (*session)->launch(exe(level), {}, s_dir + "/live-" + level + ".out");
        for (const Case& c : k_cases) {
            if (!stop) return stop.error();
            if (!stopped_in(*stop, c.name))
                return err("{} live: expected the stop in own::{}, got: {}", level, c.name,
                           stop->description);
            Outputs& out = s_out[level]["live"][c.name];
            for (const std::string& cmd : commands_at(c.name)) out[cmd] = (*session)->run(cmd);
            for (const char* cmd : {"seam own --json", "seam own --process --json",
                                    "seam own --dot", "seam own --process --dot"})
                out[cmd] = (*session)->run(cmd);
            for (const WhyAlive& w : k_why)
                if (w.stop == c.name)
                    out["seam own --json " + w.path] = (*session)->run("seam own --json " + w.path);
            std::string svg = s_dir + "/" + c.name + "-" + level + ".svg";
            out["svg"] = (*session)->run("seam own --process --svg " + svg);
            if (Status saved = (*session)->save_core(core_path(level, "minidump", c.name));
                !saved.ok())
                return saved;
            stop = (*session)->resume();
        }
        if (!stop) return stop.error();
        if (stop->kind != StopKind::Exited || stop->exit_status != 0)
            return err("{} live: the fixture did not exit cleanly: {}", level, stop->description);
        return ok_status();
    }

    // gdb's gcore at every stop of one run (the kernel's core format), independent of the host's
    // core_pattern.
    static Status write_elf_cores(const std::string& level) {
        std::string cmd = "gdb -q -batch -nx -ex 'set pagination off' -ex 'break seam_probe' "
                          "-ex run";
        for (size_t i = 0; i < k_cases.size(); ++i) {
            if (i) cmd += " -ex continue";
            cmd += " -ex " + quote("gcore " + core_path(level, "elf", k_cases[i].name));
        }
        cmd += " -ex kill " + quote(exe(level));
        ShellRun r = run_shell(cmd);
        for (const Case& c : k_cases)
            if (!fs::exists(core_path(level, "elf", c.name)))
                return err("gdb wrote no core for {} at {}: {}{}", c.name, level, r.out, r.err);
        return ok_status();
    }

    static Status run_cores(const std::string& level, const std::string& mode) {
        auto session = Session::create(SEAM_E2E_PLUGIN);
        if (!session) return session.error();
        for (const Case& c : k_cases) {
            auto stop = (*session)->load_core(exe(level), core_path(level, mode, c.name));
            if (!stop) return stop.error();
            if (!stopped_in(*stop, c.name))
                return err("{} {} core: expected the stop in own::{}, got: {}", level, mode, c.name,
                           stop->description);
            Outputs& out = s_out[level][mode][c.name];
            for (const std::string& cmd : commands_at(c.name)) out[cmd] = (*session)->run(cmd);
        }
        return ok_status();
    }

    static const CommandOutput& output(const std::string& level, const std::string& mode,
                                       const std::string& name, const std::string& cmd) {
        return s_out[level][mode][name][cmd];
    }

    static inline std::string s_dir;
    static inline std::string s_setup_error;
    static inline std::map<std::string, std::map<std::string, std::map<std::string, Outputs>>>
        s_out;
};

const std::vector<std::string> k_levels = {"O0", "O2"};
const std::vector<std::string> k_modes = {"live", "minidump", "elf"};

TEST_F(Own, FindsEachFaultAndNothingOnTheCleanTwins) {
    for (const std::string& level : k_levels)
        for (const std::string& mode : k_modes)
            for (const Case& c : k_cases) {
                std::string where = c.name + " " + level + " " + mode;
                for (const auto& [cmd, expected] :
                     {std::pair{"seam own", c.frame}, std::pair{"seam own --process", c.process},
                      std::pair{"seam own --thread", c.thread.value_or(c.frame)}}) {
                    const CommandOutput& o = output(level, mode, c.name, cmd);
                    ASSERT_TRUE(o.ok) << where << " " << cmd << ": " << o.text();
                    EXPECT_EQ(findings(o.output), expected) << where << " " << cmd << "\n"
                                                            << o.output;
                    std::string count = expected.size() == 1
                                            ? ", 1 finding"
                                            : ", " + std::to_string(expected.size()) + " findings";
                    EXPECT_TRUE(first_line(o.output).ends_with(count))
                        << where << " " << cmd << ": " << first_line(o.output);
                }
            }
}

TEST_F(Own, ExplainsWhyAValueIsAlive) {
    for (const std::string& level : k_levels)
        for (const std::string& mode : k_modes)
            for (const WhyAlive& w : k_why) {
                const CommandOutput& o = output(level, mode, w.stop, "seam own " + w.path);
                ASSERT_TRUE(o.ok) << w.path << " " << level << " " << mode << ": " << o.text();
                std::string body = normalised(o.output.substr(o.output.find('\n') + 1));
                // What follows the explanation (findings, frames without debug info) is the
                // graph's, tested above.
                EXPECT_EQ(body.substr(0, w.expected.size()), w.expected)
                    << w.stop << " " << w.path << " " << level << " " << mode << "\n"
                    << o.output;
                EXPECT_TRUE(o.output.starts_with("(")) << o.output;
            }
}

// The number `seam print --debug NAME` printed at a stop.
uint64_t printed_number(const CommandOutput& o) {
    return o.ok ? std::stoull(o.output) : ~uint64_t(0);
}

// The graph's nodes whose type starts so, and their bytes.
struct TypedNodes {
    std::vector<uint64_t> ids;
    uint64_t bytes = 0;
};
TypedNodes typed_nodes(const json& graph, const std::string& prefix) {
    TypedNodes out;
    for (const json& n : graph["nodes"])
        if (n["kind"] == "allocation" && n["type"].get<std::string>().starts_with(prefix)) {
            out.ids.push_back(n["id"]);
            out.bytes += n.value("size", uint64_t(0));
        }
    return out;
}

// The block of node `n<id>` in `seam own`'s text: its header line and the edge lines under it.
std::string block_of(const std::string& text, uint64_t id) {
    const std::string header = "\nn" + std::to_string(id) + " ";
    size_t at = text.find(header);
    if (at == std::string::npos) return "";
    size_t end = text.find("\nn", at + 1);
    return text.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

// A LinkedList and a BTreeMap are one allocation per node: each node is a node of the graph, as
// many and as large as the fixture's allocator counted while it built them, owned as Rust owns
// them (the list every node, `list[i]`; the tree its root through `map.root`, each other node
// through its parent's `edges[i]`), each element's own pointer leading out of the node that
// holds it (`element`, `vals[i]`, `data.vals[i]` in an internal node).
TEST_F(Own, ListAndTreeNodesAreAllocationsOfTheirOwn) {
    for (const std::string& level : k_levels)
        for (const std::string& mode : k_modes) {
            std::string where = level + " " + mode;
            auto ran = [&](const std::string& cmd) -> const CommandOutput& {
                return output(level, mode, "collections", cmd);
            };
            const CommandOutput& o = ran("seam own --json");
            json g = json::parse(o.output, nullptr, false);
            ASSERT_FALSE(g.is_discarded()) << where << ": " << o.text();
            EXPECT_EQ(g["errors"], json::array()) << where;
            EXPECT_EQ(g["findings"], json::array()) << where;
            const json& edges = g["edges"];
            auto into = [&](uint64_t n) {
                std::vector<json> out;
                for (const json& e : edges)
                    if (e["to"] == n) out.push_back(e);
                return out;
            };
            auto out_of = [&](uint64_t n) {
                std::vector<json> out;
                for (const json& e : edges)
                    if (e["from"] == n) out.push_back(e);
                return out;
            };
            auto is_frame = [&](uint64_t n) { return g["nodes"][n]["kind"] == "frame"; };

            TypedNodes list = typed_nodes(g, "Node<Box<Payload");
            EXPECT_EQ(list.ids.size(), printed_number(ran("seam print --debug list_nodes")))
                << where;
            EXPECT_EQ(list.bytes, printed_number(ran("seam print --debug list_bytes"))) << where;
            for (size_t i = 0; i < list.ids.size(); ++i) {
                auto in = into(list.ids[i]);
                ASSERT_EQ(in.size(), 1u) << where;
                EXPECT_TRUE(is_frame(in[0]["from"])) << where;
                EXPECT_EQ(in[0]["kind"], "owns");
                EXPECT_EQ(in[0]["path"], "list[" + std::to_string(i) + "]") << where;
                auto out = out_of(list.ids[i]);
                ASSERT_EQ(out.size(), 1u) << where;
                EXPECT_EQ(out[0]["path"], "element");
                EXPECT_EQ(g["nodes"][out[0]["to"].get<uint64_t>()]["type"], "Payload");
            }

            TypedNodes leaves = typed_nodes(g, "LeafNode<u32, Rc<Item"),
                       inner = typed_nodes(g, "InternalNode<u32, Rc<Item");
            EXPECT_EQ(leaves.ids.size() + inner.ids.size(),
                      printed_number(ran("seam print --debug map_nodes")))
                << where;
            EXPECT_EQ(leaves.bytes + inner.bytes,
                      printed_number(ran("seam print --debug map_bytes")))
                << where;
            ASSERT_EQ(inner.ids.size(), 1u) << where; // 30 sorted keys: height 1
            const uint64_t root = inner.ids[0];
            auto root_in = into(root);
            ASSERT_EQ(root_in.size(), 1u) << where;
            EXPECT_TRUE(is_frame(root_in[0]["from"]));
            EXPECT_EQ(root_in[0]["path"], "map.root");
            size_t values = 0;
            for (uint64_t leaf : leaves.ids) {
                auto in = into(leaf);
                ASSERT_EQ(in.size(), 1u) << where;
                EXPECT_EQ(in[0]["from"], root);
                EXPECT_TRUE(in[0]["path"].get<std::string>().starts_with("edges[")) << in[0];
            }
            leaves.ids.push_back(root);
            for (uint64_t n : leaves.ids)
                for (const json& e : out_of(n)) {
                    std::string path = e["path"];
                    if (path.starts_with("edges[")) continue;
                    ++values;
                    EXPECT_TRUE(path.starts_with(n == root ? "data.vals[" : "vals[")) << path;
                    EXPECT_EQ(e["kind"], "shares");
                    EXPECT_EQ(normalised(g["nodes"][e["to"].get<uint64_t>()]["type"]),
                              "RcInner<Item>");
                }
            EXPECT_EQ(values, 30u) << where;

            // The text and DOT views draw the same edges: each node's block of `seam own` lists
            // its edges out, and (live) `--dot` has one bold edge per owning edge, none of them a
            // list's `next` or `prev` link.
            std::vector<uint64_t> parts = list.ids;
            parts.insert(parts.end(), leaves.ids.begin(), leaves.ids.end());
            const std::string text = ran("seam own").output;
            const std::string dot = mode == "live" ? ran("seam own --dot").output : "";
            size_t drawn = 0;
            for (const json& e : edges) {
                const uint64_t from = e["from"], to = e["to"];
                if (std::find(parts.begin(), parts.end(), from) == parts.end() &&
                    std::find(parts.begin(), parts.end(), to) == parts.end())
                    continue;
                ++drawn;
                const std::string path = e["path"], kind = e["kind"];
                EXPECT_NE(
                    block_of(text, from)
                        .find("\n  " + path + " → n" + std::to_string(to) + " " + kind + " ("),
                    std::string::npos)
                    << where << " " << e << "\n"
                    << block_of(text, from);
                if (mode == "live" && kind == "owns")
                    EXPECT_NE(dot.find("\n  n" + std::to_string(from) + " -> n" +
                                       std::to_string(to) + " [label=\"" + path +
                                       "\", style=bold,"),
                              std::string::npos)
                        << where << " " << e;
            }
            // Into and out of (its element) each list node; into each tree node (`map.root`,
            // `edges[i]`; leaves.ids holds the root too) and the 30 values out of them.
            EXPECT_EQ(drawn, 2 * list.ids.size() + leaves.ids.size() + 30) << where;
            for (const std::string& link : {"next", "prev"}) {
                EXPECT_EQ(text.find(link + " → "), std::string::npos) << where;
                EXPECT_EQ(dot.find("[label=\"" + link), std::string::npos) << where;
            }
        }
}

// The same list with its tail linked back to its head and a len of 2^40: the graph ends with
// its three nodes and the cycle's marker, said where it was met.
TEST_F(Own, ACorruptListEndsInAMarkedError) {
    static const std::regex error(
        R"(\nerror: frame #1 own::collections_corrupt: looped: <invalid: cycle: node 3 at 0x[0-9a-f]+ was already visited>\n)");
    for (const std::string& level : k_levels)
        for (const std::string& mode : k_modes) {
            const CommandOutput& o = output(level, mode, "collections_corrupt", "seam own");
            ASSERT_TRUE(o.ok) << level << " " << mode << ": " << o.text();
            EXPECT_TRUE(std::regex_search(o.output, error)) << level << " " << mode << "\n"
                                                            << o.output;
            size_t nodes = 0;
            for (size_t at = o.output.find("allocation Node<Box<Payload>"); at != std::string::npos;
                 at = o.output.find("allocation Node<Box<Payload>", at + 1))
                ++nodes;
            EXPECT_EQ(nodes, 3u) << level << " " << mode << "\n" << o.output;
        }
    // The drawing says it too, above the three nodes it draws (live: where --dot and --svg run).
    static const std::regex dot_label(
        R"(\n  label="[^"\n]*error: frame #1 own::collections_corrupt: looped: <invalid: cycle: node 3 at 0x[0-9a-f]+ was already visited>\\n";\n)");
    for (const std::string& level : k_levels) {
        const CommandOutput& dot = output(level, "live", "collections_corrupt", "seam own --dot");
        EXPECT_TRUE(std::regex_search(dot.output, dot_label)) << level << "\n" << dot.output;
        const CommandOutput& svg = output(level, "live", "collections_corrupt", "svg");
        std::smatch m;
        std::string line = first_line(svg.output);
        static const std::regex wrote(R"(^wrote (\S+) \()");
        ASSERT_TRUE(std::regex_search(line, m, wrote)) << line;
        std::ifstream in(m[1].str());
        std::stringstream ss;
        ss << in.rdbuf();
        EXPECT_NE(ss.str().find("looped: &lt;invalid: cycle: node 3 at 0x"), std::string::npos)
            << m[1];
    }
}

// box_moved: each caller's slot still holds the Box it moved into its callee. Those owners are
// kept in the graph, marked as moved to the youngest frame that owns the allocation, with no
// finding (FindsEachFaultAndNothingOnTheCleanTwins) and no chain (ExplainsWhyAValueIsAlive).
TEST_F(Own, OwnersMovedDownTheStackAreMarkedMoved) {
    for (const std::string& level : k_levels)
        for (const std::string& mode : k_modes) {
            const CommandOutput& o = output(level, mode, "box_moved", "seam own --thread");
            ASSERT_TRUE(o.ok) << level << " " << mode << ": " << o.text();
            // box_moved_outer's Box<Box<Payload>> holds the inner Box it moved out of (`*`).
            EXPECT_TRUE(std::regex_search(
                o.output,
                std::regex(R"(\n  \* → n\d+ owns \(Box, moved to #1 own::box_moved\)\n)")))
                << level << " " << mode << "\n"
                << o.output;
            EXPECT_TRUE(std::regex_search(
                o.output,
                std::regex(R"(\n  outer → n\d+ owns \(Box, moved to #2 own::box_moved_outer\)\n)")))
                << level << " " << mode << "\n"
                << o.output;
        }
}

// Reads docs/NAME; a discarded value when missing or broken.
json schema_file(const std::string& name) {
    std::ifstream in(k_source / "docs" / name);
    return json::parse(in, nullptr, false);
}

TEST_F(Own, JsonFollowsTheSchema) {
    json schema = schema_file("own.schema.json");
    ASSERT_FALSE(schema.is_discarded()) << "docs/own.schema.json is missing or does not parse";
    for (const std::string& level : k_levels)
        for (const Case& c : k_cases)
            for (const char* cmd : {"seam own --json", "seam own --process --json"}) {
                const CommandOutput& o = output(level, "live", c.name, cmd);
                ASSERT_TRUE(o.ok) << o.text();
                json j = json::parse(o.output, nullptr, false);
                ASSERT_FALSE(j.is_discarded()) << o.output;
                EXPECT_EQ(validate_json(schema, j), std::vector<std::string>{})
                    << c.name << " " << level << " " << cmd;
                EXPECT_EQ(j["schema"], "seam.own/1");
                // The JSON's findings are the text's, kind for kind.
                std::vector<std::string> kinds;
                for (const json& f : j["findings"]) kinds.push_back(f["kind"]);
                std::vector<std::string> expected;
                for (const std::string& f :
                     std::string(cmd).find("process") != std::string::npos ? c.process : c.frame)
                    expected.push_back(f.substr(0, f.find(':')));
                EXPECT_EQ(kinds, expected) << c.name << " " << level << " " << cmd;
                // Every frame of the fixture's own code, with its language: C's own_c_hold
                // below the stop, Rust's elsewhere; C's static table too.
                for (const json& n : j["nodes"]) {
                    std::string label = n.value("label", "");
                    if (label.find(" own::") != std::string::npos)
                        EXPECT_EQ(n["language"], "rust") << label;
                    if (label == "#2 own_c_hold" || label == "own_slots")
                        EXPECT_EQ(n["language"], "c") << label;
                }
            }
}

TEST_F(Own, ValueJsonCarriesTheChains) {
    json value_schema = schema_file("own-value.schema.json");
    json graph_schema = schema_file("own.schema.json");
    ASSERT_FALSE(value_schema.is_discarded()) << "docs/own-value.schema.json";
    ASSERT_FALSE(graph_schema.is_discarded()) << "docs/own.schema.json";
    for (const std::string& level : k_levels)
        for (const WhyAlive& w : k_why) {
            const CommandOutput& o = output(level, "live", w.stop, "seam own --json " + w.path);
            json j = json::parse(o.output, nullptr, false);
            ASSERT_FALSE(j.is_discarded()) << o.text();
            EXPECT_EQ(validate_json(value_schema, j), std::vector<std::string>{}) << w.path;
            EXPECT_EQ(validate_json(graph_schema, j["graph"]), std::vector<std::string>{})
                << w.path;
            ASSERT_TRUE(j["why_alive"].is_array());
            // Each chain's edges lead, in the graph, from a root to the value's node.
            for (const json& chain : j["why_alive"]) {
                ASSERT_FALSE(chain["edges"].empty());
                const json& edges = j["graph"]["edges"];
                uint64_t last = chain["edges"].back();
                EXPECT_EQ(edges[last]["to"], j["node"]) << chain.dump();
                EXPECT_NE(w.expected.find(normalised(chain["text"].get<std::string>())),
                          std::string::npos)
                    << chain.dump();
            }
        }
}

TEST_F(Own, DotIsGraphviz) {
    bool have_dot = run_shell("command -v dot").status == 0;
    for (const std::string& level : k_levels)
        for (const Case& c : k_cases)
            for (const char* cmd : {"seam own --dot", "seam own --process --dot"}) {
                const CommandOutput& o = output(level, "live", c.name, cmd);
                ASSERT_TRUE(o.ok) << o.text();
                EXPECT_TRUE(o.output.starts_with("digraph ")) << o.output;
                EXPECT_TRUE(o.output.ends_with("}\n")) << o.output;
                if (!have_dot) continue;
                std::string file = s_dir + "/" + c.name + "-" + level + ".dot";
                std::ofstream(file) << o.output;
                ShellRun r = run_shell("dot -Tsvg " + quote(file) + " -o /dev/null");
                EXPECT_EQ(r.status, 0)
                    << c.name << " " << level << " " << cmd << ": " << r.err << "\n"
                    << o.output;
            }
}

TEST_F(Own, SvgIsLaidOutByGraphviz) {
    static const std::regex wrote(R"(^wrote (\S+) \((\d+) nodes, (\d+) edges, (\d+) findings\)$)");
    for (const std::string& level : k_levels)
        for (const Case& c : k_cases) {
            const CommandOutput& o = output(level, "live", c.name, "svg");
            ASSERT_TRUE(o.ok) << o.text();
            std::smatch m;
            std::string line = first_line(o.output);
            ASSERT_TRUE(std::regex_match(line, m, wrote)) << line;
            std::ifstream in(m[1].str());
            std::stringstream ss;
            ss << in.rdbuf();
            std::string svg = ss.str();
            EXPECT_NE(svg.find("<svg"), std::string::npos) << m[1];
            EXPECT_NE(svg.find("</svg>"), std::string::npos) << m[1];
            // One <g class="node"> per node of the graph, one <g class="edge"> per edge.
            auto count = [&](const std::string& what) {
                size_t n = 0;
                for (size_t at = svg.find(what); at != std::string::npos;
                     at = svg.find(what, at + 1))
                    ++n;
                return std::to_string(n);
            };
            EXPECT_EQ(count("class=\"node\""), m[2].str()) << m[1];
            EXPECT_EQ(count("class=\"edge\""), m[3].str()) << m[1];
            EXPECT_EQ(m[4].str(), std::to_string(c.process.size())) << c.name;
        }
}

TEST(OwnCommand, ErrorsAndHelp) {
    auto session = Session::create(SEAM_E2E_PLUGIN);
    ASSERT_TRUE(session.ok()) << session.error().message;
    CommandOutput none = (*session)->run("seam own");
    EXPECT_FALSE(none.ok);
    EXPECT_EQ(none.error, "error: no process: seam own needs a stopped process or a core\n");
    CommandOutput help = (*session)->run("seam help");
    EXPECT_NE(help.output.find("  seam own [--frame|--thread|--process] [--json|--dot|--svg FILE] "
                               "[--container T.F] [PATH]\n"),
              std::string::npos)
        << help.output;

    std::string dir = (fs::temp_directory_path() / "seam-e2e-own-errors").string();
    fs::create_directories(dir);
    auto stop = (*session)->launch(exe("O0"), {{"SEAM_OWN_CASE", "rc_weak"}}, dir + "/out");
    ASSERT_TRUE(stop.ok()) << stop.error().message;
    ASSERT_TRUE(stopped_in(*stop, "rc_weak")) << stop->description;
    CommandOutput two = (*session)->run("seam own --frame --process");
    EXPECT_FALSE(two.ok);
    EXPECT_TRUE(two.error.starts_with("error: choose one of --frame, --thread, --process"))
        << two.error;
    CommandOutput scoped = (*session)->run("seam own --thread a");
    EXPECT_FALSE(scoped.ok);
    EXPECT_TRUE(scoped.error.starts_with("error: a variable's chains come from every root"))
        << scoped.error;
    CommandOutput missing = (*session)->run("seam own nosuch");
    EXPECT_FALSE(missing.ok);
    EXPECT_NE(missing.error.find("nosuch"), std::string::npos) << missing.error;
    CommandOutput bad_svg = (*session)->run("seam own --svg /nonexistent-dir/x.svg");
    EXPECT_FALSE(bad_svg.ok);
    EXPECT_EQ(bad_svg.error, "error: cannot write /nonexistent-dir/x.svg\n");
    (*session)->kill();
    fs::remove_all(dir);
}

} // namespace
} // namespace seam::e2e
