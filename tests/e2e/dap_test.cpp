// Issue 3: what a VS Code user sees through lldb-dap, tested with a real Debug Adapter Protocol
// client. lldb-dap is started exactly as VS Code's extension starts it, seam is loaded by the
// launch configuration's `initCommands` (the lines docs/vscode.md gives), and the values shown in
// the Variables view (`value`, children by `variablesReference`, paged with start/count) must be
// what `seam print` and the fixture's own `{:?}` say.
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <ostream>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/dap_lldb_view.h"
#include "tests/e2e/dap_vscode.h"
#include "tests/e2e/expectations.h"
#include "tests/e2e/lldb_version.h"
#include "tests/e2e/session.h"

extern char** environ;

namespace seam::e2e {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// lldb-dap's own text where LLDB shows no summary (a struct LLDB lays out itself, a `()`):
// `{...}`, `TYPE @ 0xADDR` or `TYPE` instead of nothing. Counted and reported, children still
// compared.
bool dap_placeholder(const Json& var, const std::string& lldb) {
    const std::string dap = var.value("value", "");
    // An empty array LLDB lays out itself: lldb prints `{}`, lldb-dap its type and address (19)
    // or its type alone (22).
    if (lldb == "{}" && (dap.find(" @ 0x") != std::string::npos || dap == var.value("type", "")))
        return true;
    // A value LLDB cannot read (a zero-sized `()`): lldb prints `<WHY>`, lldb-dap `<error: WHY>`.
    if (lldb.size() > 2 && lldb.front() == '<' && dap == "<error: " + lldb.substr(1)) return true;
    return lldb.empty() && (dap == "{...}" || dap.find(" @ 0x") != std::string::npos ||
                            dap == var.value("type", "\x01"));
}

// The `value` column of `var`, after asserting that it is one text (dap_lldb_view.h).
std::string dap_text(const Json& var, const std::string& where) {
    if (std::string problem = doubled(var); !problem.empty())
        ADD_FAILURE() << where << ": " << problem;
    return var.value("value", "");
}

struct Counts {
    size_t values = 0, children = 0, excused = 0, expand_only = 0;
    size_t merged_types = 0; ///< values LLDB 22 has no type for (lldb_version.h)
};

// How many children lldb prints: target.max-children-count (256 by default in LLDB 19, 24 in
// LLDB 22).
size_t max_children_count(VsCode& vs, int frame_id) {
    auto out = vs.console("settings show target.max-children-count", frame_id);
    size_t eq = out ? out->rfind("= ") : std::string::npos;
    EXPECT_NE(eq, std::string::npos) << (out ? *out : out.error().message);
    return eq == std::string::npos ? 256 : std::strtoull(out->c_str() + eq + 2, nullptr, 10);
}

// Checks one recorded local: the `value` column and the children a click on it shows are
// what `frame variable` shows in lldb (which children_test.cpp holds to `seam print`).
void compare_local(VsCode& vs, int frame_id, const std::string& where, const std::string& name,
                   const std::map<std::string, Json>& locals, Counts& counts) {
    auto it = locals.find(name);
    ASSERT_NE(it, locals.end()) << where << ": no local `" << name << "` in the Variables view";
    const Json& shown = it->second;
    auto out = vs.console("frame variable -D 1 -P 1 " + name, frame_id);
    ASSERT_TRUE(out.ok()) << where << ": " << out.error().message;
    if (lldb_merges_colliding_types() && out->find(k_lldb_merged_type_error) != std::string::npos) {
        // LLDB 22 has no type for this value (lldb_version.h): lldb-dap can show no children
        // either. seam's text of it is asserted against `{:?}` by All/Fixture.
        ++counts.merged_types;
        std::cout << "[ seam     ] " << where << ": `" << name
                  << "` excused: LLDB 22 has no type for it (merged types)\n";
        const int64_t ref = shown.value("variablesReference", int64_t{0});
        auto kids = vs.variables(ref, -1, -1);
        EXPECT_TRUE(ref == 0 || (kids.ok() && kids->empty())) << where << ": " << name;
        return;
    }
    auto lldb = parse_frame_variable(*out, name);
    ASSERT_TRUE(lldb.ok()) << where << ": " << lldb.error().message;
    ++counts.values;
    const std::string value = dap_text(shown, where);
    if (dap_placeholder(shown, lldb->text)) {
        ++counts.excused;
        std::cout << "[ seam     ] " << where << ": `" << name << "` shown as `" << value
                  << "` (lldb-dap's placeholder where lldb shows no summary)\n";
    } else {
        EXPECT_EQ(value, lldb->text) << where << ": value of `" << name << "`";
    }
    const int64_t ref = shown.value("variablesReference", int64_t{0});
    if (ref == 0) {
        EXPECT_TRUE(lldb->children.empty())
            << where << ": `" << name << "` cannot be expanded in VS Code";
        return;
    }
    if (lldb->children.empty()) {
        // lldb prints the value on one line and no children (a zero-sized struct, LLDB's own
        // summary of a `char32_t[3]`, a null pointer); VS Code can still expand it, and what it
        // shows then is one text each.
        auto kids = vs.variables(ref, -1, -1);
        ASSERT_TRUE(kids.ok()) << where << ": " << kids.error().message;
        for (const Json& kid : *kids) dap_text(kid, where);
        ++counts.expand_only;
        std::cout << "[ seam     ] " << where << ": `" << name << "` expands to " << kids->size()
                  << " in VS Code only (lldb prints it on one line)\n";
        return;
    }
    // lldb prints target.max-children-count children: compare those. Fewer: ask for all,
    // since a child LLDB cannot make (a `()` field) is in lldb-dap's count but not in its list.
    const size_t max = max_children_count(vs, frame_id);
    const bool all = lldb->children.size() < max;
    auto kids = vs.variables(ref, all ? -1 : 0, all ? -1 : static_cast<int>(max));
    ASSERT_TRUE(kids.ok()) << where << ": " << kids.error().message;
    ASSERT_EQ(kids->size(), lldb->children.size()) << where << ": children of `" << name << "`";
    for (size_t i = 0; i < kids->size(); ++i) {
        const Json& kid = (*kids)[i];
        const auto& [label, text] = lldb->children[i];
        EXPECT_EQ(kid.value("name", ""), label)
            << where << ": child " << i << " of `" << name << "`";
        std::string kid_text = dap_text(kid, where);
        if (dap_placeholder(kid, text)) {
            ++counts.excused;
            continue;
        }
        EXPECT_EQ(kid_text, text) << where << ": child " << label << " of `" << name << "`";
        ++counts.children;
    }
}

const Record* find_record(const Expectations& exp, const std::string& name) {
    for (const Record& r : exp.records)
        if (r.name == name) return &r;
    return nullptr;
}

// The first probe of `vecs`: everything a VS Code user does, step by step, with the exact texts.
TEST(Dap, VecsInVsCode) {
    const std::string fixture = "vecs-O0";
    ASSERT_TRUE(fs::exists(std::string(SEAM_E2E_FIXTURE_DIR) + "/" + fixture))
        << fixture << " was not built";
    const std::string dir = make_temp_dir();
    ASSERT_FALSE(dir.empty());
    {
        VsCode vs;
        Status started = vs.initialize(dir);
        if (started.ok()) started = vs.launch(fixture);
        ASSERT_TRUE(started.ok()) << started.error().message;
        // initCommands ran and said nothing but their echo: the plugin loaded.
        auto stop = vs.next_stop();
        ASSERT_TRUE(stop.ok()) << stop.error().message;
        ASSERT_TRUE(*stop) << "the program ended before its first probe";
        EXPECT_NE(vs.output().find("plugin load " + std::string(SEAM_E2E_PLUGIN)),
                  std::string::npos)
            << vs.output();
        EXPECT_EQ(vs.output().find("error"), std::string::npos) << vs.output();

        auto frames = vs.frames();
        ASSERT_TRUE(frames.ok()) << frames.error().message;
        ASSERT_GE(frames->size(), 2u);
        EXPECT_NE((*frames)[0]["name"].get<std::string>().find("seam_probe"), std::string::npos);
        // Frame 1 is the fixture function (lldb-dap 19 shows the mangled name with its hash).
        EXPECT_EQ((*frames)[1]["name"].get<std::string>().rfind("vecs::vecs", 0), 0u)
            << (*frames)[1].dump();
        const int frame = (*frames)[1]["id"];

        auto exp = read_expectations(vs.expect_path());
        ASSERT_TRUE(exp.ok()) << exp.error().message;
        auto locals = vs.locals(frame);
        ASSERT_TRUE(locals.ok()) << locals.error().message;

        // The Variables view: each summary exactly as lldb's `frame variable` shows it (the
        // debug console runs in LLDB's selected frame: select the fixture function's first).
        ASSERT_TRUE(vs.console("frame select 1", frame).ok());
        auto value_of = [&](const std::string& name) {
            auto it = locals->find(name);
            return it == locals->end() ? std::string("<missing>") : it->second.value("value", "");
        };
        auto lldb_text = [&](const std::string& name) {
            auto out = vs.console("frame variable -D 0 " + name, frame);
            auto view = parse_frame_variable(out.value_or(""), name);
            return view.ok() ? view->text : view.error().message;
        };
        for (const char* name :
             {"v_u8", "v_big", "v_empty_cap", "v_string", "o_vec_some", "o_vec_none", "v_nested"})
            EXPECT_EQ(value_of(name), lldb_text(name)) << name;
        // A Vec's summary leads with its length and capacity; an Option is its variant.
        EXPECT_EQ(value_of("v_u8").rfind("len=5 cap=5", 0), 0u) << value_of("v_u8");
        EXPECT_EQ(value_of("v_big").rfind("len=5000 cap=5000", 0), 0u) << value_of("v_big");
        EXPECT_EQ(value_of("v_empty_cap").rfind("len=0 cap=16", 0), 0u);
        EXPECT_EQ(value_of("o_vec_some"), "Some([1, 2])");
        EXPECT_EQ(value_of("o_vec_none"), "None");

        // Expanding a Vec: its elements, each exactly the item of Rust's own `{:?}` of the Vec.
        for (const char* name : {"v_u8", "v_i32", "v_u64", "v_i128", "v_i8", "v_usize", "v_bool",
                                 "v_string", "v_option", "v_option_str", "v_tuple"}) {
            const Record* rec = find_record(*exp, name);
            ASSERT_NE(rec, nullptr) << name;
            std::vector<std::string> items = debug_items(rec->debug);
            const Json& shown = (*locals)[name];
            if (lldb_merges_colliding_types() &&
                lldb_text(name).find(k_lldb_merged_type_error) != std::string::npos) {
                // LLDB 22 has no type for the second of Vec<u64> / Vec<usize> (lldb_version.h):
                // nothing to expand. All/Fixture asserts seam's text of it.
                std::cout << "[ seam     ] " << name
                          << " excused: LLDB 22 has no type for it (merged types)\n";
                EXPECT_EQ(shown.value("indexedVariables", 0u), 0u) << name;
                continue;
            }
            EXPECT_EQ(shown.value("indexedVariables", 0u), items.size()) << name;
            auto kids = vs.variables(shown.value("variablesReference", int64_t{0}), -1, -1);
            ASSERT_TRUE(kids.ok()) << name << ": " << kids.error().message;
            ASSERT_EQ(kids->size(), items.size()) << name << ": " << kids->dump();
            for (size_t i = 0; i < items.size(); ++i) {
                EXPECT_EQ((*kids)[i].value("name", ""), "[" + std::to_string(i) + "]") << name;
                EXPECT_EQ(dap_text((*kids)[i], name), items[i])
                    << name << "[" << i << "] of " << rec->debug;
            }
        }

        // Paging: VS Code asks for a window of a large Vec; it gets exactly that window.
        const Record* big = find_record(*exp, "v_big");
        ASSERT_NE(big, nullptr);
        std::vector<std::string> big_items = debug_items(big->debug);
        ASSERT_EQ(big_items.size(), 5000u);
        const Json& v_big = (*locals)["v_big"];
        EXPECT_EQ(v_big.value("indexedVariables", 0u), 5000u);
        for (int start : {0, 500, 4990}) {
            auto page = vs.variables(v_big["variablesReference"].get<int64_t>(), start, 10);
            ASSERT_TRUE(page.ok()) << page.error().message;
            ASSERT_EQ(page->size(), 10u) << page->dump();
            for (int i = 0; i < 10; ++i) {
                EXPECT_EQ((*page)[i].value("name", ""), "[" + std::to_string(start + i) + "]");
                EXPECT_EQ(dap_text((*page)[i], "v_big"), big_items[start + i]);
            }
        }

        // Nested: a Vec<Vec<u16>> element expands to its own elements.
        auto nested =
            vs.variables((*locals)["v_nested"]["variablesReference"].get<int64_t>(), -1, -1);
        ASSERT_TRUE(nested.ok()) << nested.error().message;
        ASSERT_EQ(nested->size(), 3u);
        EXPECT_EQ((*nested)[0].value("value", "").rfind("len=2 cap=2", 0), 0u);
        auto inner = vs.variables((*nested)[0]["variablesReference"].get<int64_t>(), -1, -1);
        ASSERT_TRUE(inner.ok()) << inner.error().message;
        ASSERT_EQ(inner->size(), 2u);
        EXPECT_EQ(dap_text((*inner)[1], "v_nested[0]"), "2");

        // Hover and watch show the same summary as the Variables view.
        auto hover = vs.evaluate("v_u8", "hover", frame);
        ASSERT_TRUE(hover.ok()) << hover.error().message;
        EXPECT_EQ(hover->value("result", ""), value_of("v_u8"));

        // The debug console: seam's commands behind lldb-dap's command prefix (a backtick).
        // lldb-dap 19 runs commands in LLDB's selected frame (frame 0 at a stop), not the one
        // clicked in the Call Stack view: `frame select 1` first, as docs/vscode.md says.
        auto selected = vs.console("frame select 1", frame);
        ASSERT_TRUE(selected.ok()) << selected.error().message;
        for (const char* name : {"v_string", "v_nested", "v_option_str", "o_vec_some"}) {
            const Record* rec = find_record(*exp, name);
            ASSERT_NE(rec, nullptr) << name;
            auto debug = vs.console(std::string("seam print --debug ") + name, frame);
            ASSERT_TRUE(debug.ok()) << debug.error().message;
            EXPECT_EQ(*debug, rec->debug + "\n") << name;
            auto pretty = vs.console(std::string("seam print --pretty ") + name, frame);
            ASSERT_TRUE(pretty.ok()) << pretty.error().message;
            EXPECT_EQ(*pretty, rec->pretty + "\n") << name;
        }
        auto version = vs.console("seam version", frame);
        ASSERT_TRUE(version.ok()) << version.error().message;
        EXPECT_EQ(version->rfind("seam ", 0), 0u) << *version;
    }
    fs::remove_all(dir);
}

// Post-mortem in VS Code: `attach` with `program` and `coreFile` (a minidump of a probe stop, the
// kind LLDB 19 writes on Linux) shows the same values as the live process did.
TEST(Dap, CoreFileInVsCode) {
    const std::string exe = std::string(SEAM_E2E_FIXTURE_DIR) + "/vecs-O0";
    ASSERT_TRUE(fs::exists(exe)) << exe << " was not built";
    const std::string dir = make_temp_dir();
    ASSERT_FALSE(dir.empty());
    const std::string core = dir + "/vecs.dmp";
    {
        auto session = Session::create(SEAM_E2E_PLUGIN);
        ASSERT_TRUE(session.ok()) << session.error().message;
        auto stop = (*session)->launch(exe, {{"SEAM_EXPECT", dir + "/expect"}}, dir + "/output");
        ASSERT_TRUE(stop.ok() && stop->kind == StopKind::Probe);
        Status saved = (*session)->save_core(core);
        ASSERT_TRUE(saved.ok()) << saved.error().message;
        (*session)->kill();
    }
    auto exp = read_expectations(dir + "/expect");
    ASSERT_TRUE(exp.ok()) << exp.error().message;
    {
        VsCode vs;
        Status started = vs.initialize(dir);
        if (started.ok()) started = vs.attach({{"program", exe}, {"coreFile", core}});
        ASSERT_TRUE(started.ok()) << started.error().message;
        auto stop = vs.stopped();
        ASSERT_TRUE(stop.ok()) << stop.error().message;
        auto frames = vs.frames();
        ASSERT_TRUE(frames.ok() && frames->size() >= 2);
        EXPECT_NE((*frames)[0]["name"].get<std::string>().find("seam_probe"), std::string::npos);
        const int frame = (*frames)[1]["id"];
        auto locals = vs.locals(frame);
        ASSERT_TRUE(locals.ok()) << locals.error().message;
        EXPECT_EQ((*locals)["v_u8"].value("value", "").rfind("len=5 cap=5", 0), 0u);
        EXPECT_EQ((*locals)["v_big"].value("value", "").rfind("len=5000 cap=5000", 0), 0u);
        const Record* strings = find_record(*exp, "v_string");
        ASSERT_NE(strings, nullptr);
        auto kids =
            vs.variables((*locals)["v_string"]["variablesReference"].get<int64_t>(), -1, -1);
        ASSERT_TRUE(kids.ok()) << kids.error().message;
        std::vector<std::string> items = debug_items(strings->debug);
        ASSERT_EQ(kids->size(), items.size());
        for (size_t i = 0; i < items.size(); ++i)
            EXPECT_EQ(dap_text((*kids)[i], "v_string"), items[i]);
        auto page = vs.variables((*locals)["v_big"]["variablesReference"].get<int64_t>(), 2000, 5);
        ASSERT_TRUE(page.ok()) << page.error().message;
        ASSERT_EQ(page->size(), 5u);
        EXPECT_EQ((*page)[4].value("name", ""), "[2004]");
        EXPECT_EQ(dap_text((*page)[4], "v_big"), "2004");
        ASSERT_TRUE(vs.console("frame select 1", frame).ok());
        const Record* nested = find_record(*exp, "v_nested");
        ASSERT_NE(nested, nullptr);
        auto debug = vs.console("seam print --debug v_nested", frame);
        ASSERT_TRUE(debug.ok()) << debug.error().message;
        EXPECT_EQ(*debug, nested->debug + "\n");
    }
    fs::remove_all(dir);
}

// Attaching to a running process by `pid` loads seam the same way: after VS Code's pause, seam's
// commands answer in the debug console.
TEST(Dap, AttachInVsCode) {
    const std::string dir = make_temp_dir();
    ASSERT_FALSE(dir.empty());
    pid_t sleeper = -1;
    char* argv[] = {const_cast<char*>("sleep"), const_cast<char*>("300"), nullptr};
    ASSERT_EQ(::posix_spawn(&sleeper, "/bin/sleep", nullptr, nullptr, argv, environ), 0);
    {
        VsCode vs;
        Status started = vs.initialize(dir);
        if (started.ok()) started = vs.attach({{"pid", sleeper}});
        ASSERT_TRUE(started.ok()) << started.error().message;
        // A pause that reaches lldb-dap before the attached process runs again is dropped
        // (lldb-dap 19) or refused with "Process is not running" (lldb-dap 22): press it
        // again, as a user would.
        Result<Json> stop = err("not paused");
        for (int attempt = 0; attempt < 5 && !stop.ok(); ++attempt) {
            Status paused = vs.pause();
            if (!paused.ok() &&
                paused.error().message.find("Process is not running") != std::string::npos) {
                stop = vs.stopped(std::chrono::milliseconds(500));
                continue;
            }
            ASSERT_TRUE(paused.ok()) << paused.error().message;
            stop = vs.stopped(std::chrono::seconds(10));
        }
        ASSERT_TRUE(stop.ok()) << stop.error().message;
        EXPECT_EQ(stop->value("threadId", 0), sleeper) << stop->dump();
        auto frames = vs.frames();
        ASSERT_TRUE(frames.ok() && !frames->empty());
        const int frame = (*frames)[0]["id"];
        auto version = vs.console("seam version", frame);
        ASSERT_TRUE(version.ok()) << version.error().message;
        EXPECT_EQ(version->rfind("seam ", 0), 0u) << *version;
        auto bt = vs.console("seam bt", frame);
        ASSERT_TRUE(bt.ok()) << bt.error().message;
        EXPECT_NE(bt->find("'sleep', stop reason = signal SIGSTOP"), std::string::npos) << *bt;
        EXPECT_NE(bt->find("#0 0x"), std::string::npos) << *bt;
    }
    ::kill(sleeper, SIGKILL);
    ::waitpid(sleeper, nullptr, 0);
    fs::remove_all(dir);
}

struct Case {
    std::string fixture;
    size_t min_values; ///< a fixture that suddenly compares nothing is a failure too
};

void PrintTo(const Case& c, std::ostream* os) {
    *os << c.fixture;
}

class DapFixtures : public ::testing::TestWithParam<Case> {};

// Every recorded value of every probe: lldb-dap's Variables view agrees with `seam print`.
TEST_P(DapFixtures, VariablesViewShowsWhatSeamPrints) {
    const Case c = GetParam();
    ASSERT_TRUE(fs::exists(std::string(SEAM_E2E_FIXTURE_DIR) + "/" + c.fixture))
        << c.fixture << " was not built";
    const std::string dir = make_temp_dir();
    ASSERT_FALSE(dir.empty());
    Counts counts;
    {
        VsCode vs;
        Status started = vs.initialize(dir);
        if (started.ok()) started = vs.launch(c.fixture);
        ASSERT_TRUE(started.ok()) << started.error().message;
        for (int probe = 1; probe < 100; ++probe) {
            auto stop = vs.next_stop();
            ASSERT_TRUE(stop.ok()) << stop.error().message;
            if (!*stop) break;
            const std::string where = c.fixture + " probe " + std::to_string(probe);
            auto frames = vs.frames();
            ASSERT_TRUE(frames.ok() && frames->size() >= 2) << where;
            const int frame = (*frames)[1]["id"];
            auto selected = vs.console("frame select 1", frame);
            ASSERT_TRUE(selected.ok()) << selected.error().message;
            auto exp = read_expectations(vs.expect_path());
            ASSERT_TRUE(exp.ok()) << where << ": " << exp.error().message;
            auto locals = vs.locals(frame);
            ASSERT_TRUE(locals.ok()) << where << ": " << locals.error().message;
            for (const Record& r : exp->records)
                if (r.limitation.empty()) compare_local(vs, frame, where, r.name, *locals, counts);
            Status resumed = vs.resume();
            ASSERT_TRUE(resumed.ok()) << resumed.error().message;
        }
    }
    std::cout << "[ seam     ] " << c.fixture << ": " << counts.values << " values, "
              << counts.children << " children compared, " << counts.excused
              << " lldb-dap placeholders, " << counts.expand_only << " expandable in VS Code only, "
              << counts.merged_types << " that LLDB 22 has no type for; " << one_text_checked()
              << " variables so far checked to show one text\n";
    EXPECT_GE(counts.values, c.min_values);
    fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, DapFixtures,
                         ::testing::Values(Case{"vecs-O0", 50}, Case{"maps-O0", 20},
                                           Case{"enums-O0", 40}, Case{"pointers-O0", 20},
                                           Case{"demo-O0", 3}, Case{"scalars-O0", 40},
                                           Case{"structs-O0", 10}),
                         [](const auto& info) {
                             std::string n = info.param.fixture;
                             for (char& ch : n)
                                 if (ch == '-') ch = '_';
                             return n;
                         });

} // namespace
} // namespace seam::e2e
