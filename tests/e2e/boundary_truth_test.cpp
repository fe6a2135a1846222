// Every boundary marker must be true: on real stacks, at -O0 and -O2, live and from a core, a
// `Rust -> C` or `C -> Rust` marker stands only between frames whose languages really differ,
// and every real crossing has one. The truth comes from outside seam: a frame is C when its
// function is defined in the fixture's C source or it lies in a C library (the system's, or
// the fixture's own shared library without debug info); every other frame of these Rust
// programs is Rust, rustc's own shims included (`__rust_try` inside each `catch_unwind`, its
// C-ABI `main`). The fixtures: wrapper (a C library without DWARF calling back into Rust
// through catch_unwind, as wrapper crates do), demo, boundary and unwind (Rust -> C -> C ->
// Rust twice over, C built without CFI or frame pointers).
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/bt_skeleton.h"
#include "tests/e2e/fixture_launch.h"
#include "tests/e2e/session.h"

namespace seam::e2e {
namespace {

namespace fs = std::filesystem;

const fs::path k_fixtures = fs::path(SEAM_SOURCE_DIR) / "tests" / "fixtures";

// The functions the fixture's C source defines (a declaration ends in `;`: the Rust functions
// the C calls are declared there too).
std::set<std::string> c_functions(const std::string& fixture) {
    std::set<std::string> out;
    std::ifstream in(k_fixtures / (fixture + ".c"));
    static const std::regex call(R"(([A-Za-z_]\w*)\s*\()");
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || !(std::isalpha(static_cast<unsigned char>(line[0])) || line[0] == '_'))
            continue;
        if (line.starts_with("typedef") || line.find(';') != std::string::npos) continue;
        std::string last;
        for (auto it = std::sregex_iterator(line.begin(), line.end(), call);
             it != std::sregex_iterator(); ++it)
            if ((*it)[1] != "__attribute__") last = (*it)[1];
        if (!last.empty()) out.insert(last);
    }
    return out;
}

bool is_c_library(const std::string& module, const std::string& fixture) {
    for (const char* lib : {"libc.so", "ld-linux", "libgcc_s", "libm.so", "[vdso]"})
        if (module.starts_with(lib)) return true;
    return module == "lib" + fixture + "_c.so";
}

struct Truth {
    std::string fixture;
    std::set<std::string> c_defs;
    std::string of(const std::string& function, const std::string& module) const {
        if (c_defs.count(function) || function == "_start" || is_c_library(module, fixture))
            return "C";
        return "Rust";
    }
};

// `seam bt --full --json`: every boundary is a real crossing, and every real crossing between
// adjacent frames is a boundary.
void check_json(Session& s, const Truth& truth, const std::string& where) {
    CommandOutput out = s.run("seam bt --json");
    ASSERT_TRUE(out.ok) << where << ": " << out.text();
    auto j = nlohmann::json::parse(out.output, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << where << ": " << out.output;
    const auto& frames = j["threads"][0]["frames"];
    std::vector<std::string> lang;
    std::ostringstream listing;
    for (const auto& f : frames) {
        lang.push_back(truth.of(f["function"], f["library"]));
        listing << f["index"] << " " << f["language"].get<std::string>() << "/" << lang.back()
                << " " << f["function"].get<std::string>() << "\n";
        EXPECT_EQ(f["language"], lang.back())
            << where << ": frame " << f["index"] << " " << f["function"] << "\n"
            << listing.str();
    }
    std::set<size_t> marked;
    for (const auto& b : j["threads"][0]["boundaries"]) {
        size_t callee = 0;
        while (callee < frames.size() && frames[callee]["index"] != b["callee"]) ++callee;
        ASSERT_LT(callee + 1, frames.size()) << where << ": " << b.dump();
        EXPECT_EQ(b["to"], lang[callee]) << where << ": false marker " << b["text"] << "\n"
                                         << listing.str();
        EXPECT_EQ(b["from"], lang[callee + 1]) << where << ": false marker " << b["text"] << "\n"
                                               << listing.str();
        marked.insert(callee);
    }
    for (size_t i = 0; i + 1 < lang.size(); ++i)
        if (lang[i] != lang[i + 1])
            EXPECT_TRUE(marked.count(i))
                << where << ": no marker between frames " << i << " and " << i + 1 << "\n"
                << listing.str();
}

// The folded text: a marker between two shown frames only where their languages differ, one
// wherever they do, and saying which way the call went.
void check_text(Session& s, const Truth& truth, const std::string& where) {
    CommandOutput out = s.run("seam bt");
    ASSERT_TRUE(out.ok) << where << ": " << out.text();
    static const std::regex frame_re(R"(^#\d+ (\S+) (\S+) (.*)$)");
    static const std::regex marker_re(R"(^── (\S+) -> (\S+): .* ──$)");
    std::string previous; // the language of the last frame shown
    std::string pending;  // a marker waiting for the frame below it, as "from->to"
    for (const std::string& line : skeleton(out.output)) {
        std::smatch m;
        if (std::regex_match(line, m, frame_re)) {
            std::string name = m[3].str().substr(0, m[3].str().find(" ["));
            std::string lang = truth.of(name, m[2]);
            EXPECT_EQ(m[1].str(), lang) << where << ": " << line << "\n" << out.output;
            if (!previous.empty()) {
                std::string expected = previous != lang ? lang + "->" + previous : "";
                EXPECT_EQ(pending, expected) << where << ": above " << line << "\n" << out.output;
            }
            previous = lang;
            pending.clear();
        } else if (std::regex_match(line, m, marker_re)) {
            pending = m[1].str() + "->" + m[2].str();
        }
    }
    EXPECT_TRUE(pending.empty()) << where << ": a marker below the last frame\n" << out.output;
}

void check_stop(Session& s, const Truth& truth, const std::string& where) {
    check_json(s, truth, where);
    check_text(s, truth, where);
}

void check_fixture(const std::string& fixture, const std::string& level) {
    const std::string exe = std::string(SEAM_E2E_FIXTURE_DIR) + "/" + fixture + "-" + level;
    Truth truth{fixture, c_functions(fixture)};
    ASSERT_FALSE(truth.c_defs.empty()) << fixture << ".c defines no function?";
    auto l = launch_fixture(fixture + "-" + level, "truth-" + fixture + "-" + level);
    ASSERT_TRUE(l.ok()) << l.error().message;
    Session& s = *l->session;
    auto& stop = l->stop;
    ASSERT_TRUE(stop.ok()) << stop.error().message;
    ASSERT_EQ(stop->kind, StopKind::Probe) << stop->description;
    const std::string core = l->scratch.path("core.dmp");
    ASSERT_TRUE(s.save_core(core).ok());
    for (int probe = 1; stop.ok() && stop->kind == StopKind::Probe; ++probe) {
        check_stop(s, truth, fixture + "-" + level + " live, probe " + std::to_string(probe));
        stop = s.resume();
    }
    s.kill();
    auto loaded = s.load_core(exe, core);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    check_stop(s, truth, fixture + "-" + level + " core");
}

class BoundaryTruth : public ::testing::TestWithParam<std::string> {};

TEST_P(BoundaryTruth, EveryMarkerIsTrue) {
    for (const char* level : {"O0", "O2"}) check_fixture(GetParam(), level);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, BoundaryTruth,
                         ::testing::Values("wrapper", "demo", "boundary", "unwind"));

} // namespace
} // namespace seam::e2e
