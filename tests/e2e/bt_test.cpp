// End-to-end `seam bt`: the demo fixture stopped at seam_probe, inside the C -> Rust callback
// (main (Rust) -> device_for_each (C) -> on_device (Rust) -> seam_probe), live and from a core
// saved at that stop. Asserts languages, names and boundary markers, never addresses.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/session.h"

namespace seam::e2e {
namespace {

namespace fs = std::filesystem;

const std::string k_exe = std::string(SEAM_E2E_FIXTURE_DIR) + "/demo-O0";

// A frame line without its PC, arguments and location: `#1 Rust demo demo::on_device`.
// Marker and fold lines stay as they are (the fold's count depends on the toolchain's std).
std::vector<std::string> skeleton(const std::string& text) {
    static const std::regex frame(R"(^  #(\d+) +0x[0-9a-f]{16} (\S+) +(\S+) +(.*)$)");
    static const std::regex fold(
        R"(^  … \d+ runtime frames? folded \(seam bt --full shows them\)$)");
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (std::regex_match(line, m, frame)) {
            std::string rest = m[4];
            for (const char* cut : {" (", " [inlined]", " at "})
                if (auto at = rest.find(cut); at != std::string::npos) rest.resize(at);
            out.push_back("#" + m[1].str() + " " + m[2].str() + " " + m[3].str() + " " + rest);
        } else if (std::regex_match(line, fold)) {
            out.push_back("… runtime frames folded");
        } else if (line.starts_with("  ── ")) {
            out.push_back(line.substr(2));
        } else {
            out.push_back(line.starts_with("thread #") ? "thread" : "? " + line);
        }
    }
    return out;
}

const std::vector<std::string> k_expected = {
    "thread",
    "#0 Rust demo demo::probe::seam_probe",
    "#1 Rust demo demo::on_device",
    "── C -> Rust: device_for_each calls extern \"C\" demo::on_device ──",
    "#2 C demo-O0 device_for_each",
    "── Rust -> C: demo::main calls device_for_each ──",
    "#3 Rust demo demo::main",
    "… runtime frames folded",
};

// The line of `needle` in a fixture source: the fixtures change, the calls they make stay.
std::string line_of(const std::string& file, const std::string& needle) {
    fs::path path = fs::path(__FILE__).parent_path().parent_path() / "fixtures" / file;
    std::ifstream in(path);
    size_t n = 0;
    for (std::string line; std::getline(in, line);) {
        ++n;
        if (line.find(needle) != std::string::npos) return file + ":" + std::to_string(n) + ":";
    }
    return file + ": no line holds " + needle;
}

std::string temp_dir() {
    std::string tmpl = (fs::temp_directory_path() / "seam-e2e-bt-XXXXXX").string();
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    return mkdtemp(buf.data()) ? buf.data() : "";
}

// The checks shared by the live process and the core.
void check_backtrace(Session& session, const std::string& where) {
    CommandOutput bt = session.run("seam bt");
    ASSERT_TRUE(bt.ok) << where << ": " << bt.text();
    EXPECT_EQ(skeleton(bt.output), k_expected) << where << ":\n" << bt.output;
    // Locations and arguments of the frames around the boundary.
    EXPECT_NE(bt.output.find("device_for_each (visit = 0x"), std::string::npos) << bt.output;
    EXPECT_NE(bt.output.find("<demo::on_device>, ctx = 0x"), std::string::npos) << bt.output;
    const std::string c_call = line_of("demo.c", "visit(&table[i], ctx)");
    const std::string rust_call = line_of("demo.rs", "device_for_each(on_device,");
    EXPECT_NE(bt.output.find(") at " + c_call), std::string::npos) << c_call << "\n" << bt.output;
    EXPECT_NE(bt.output.find("demo::main () at " + rust_call), std::string::npos)
        << rust_call << "\n"
        << bt.output;

    // --full shows the runtime frames: std's start-up, rustc's C main and libc's.
    CommandOutput full = session.run("seam bt --full");
    ASSERT_TRUE(full.ok) << where << ": " << full.text();
    std::vector<std::string> lines = skeleton(full.output);
    std::vector<std::string> tail(lines.end() - std::min<size_t>(lines.size(), 6), lines.end());
    auto has = [&](const std::string& prefix) {
        for (const std::string& l : lines)
            if (l.find(prefix) != std::string::npos) return true;
        return false;
    };
    EXPECT_TRUE(has("Rust std std::rt::lang_start_internal")) << full.output;
    EXPECT_TRUE(has("Rust core core::ops::function::FnOnce::call_once")) << full.output;
    EXPECT_TRUE(has("── C -> Rust: main calls extern \"C\" std::rt::lang_start")) << full.output;
    EXPECT_TRUE(has("C demo-O0 main")) << full.output;
    EXPECT_TRUE(has("C libc.so.6 __libc_start_call_main")) << full.output;
    EXPECT_TRUE(lines.back().ends_with(" C demo-O0 _start")) << full.output;
    EXPECT_FALSE(has("… runtime frames folded")) << full.output;

    CommandOutput json = session.run("seam bt --json");
    ASSERT_TRUE(json.ok) << where << ": " << json.text();
    auto j = nlohmann::json::parse(json.output, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << json.output;
    EXPECT_EQ(j["schema"], "seam.backtrace/1");
    ASSERT_EQ(j["threads"].size(), 1u);
    const auto& frames = j["threads"][0]["frames"];
    ASSERT_GT(frames.size(), 4u);
    std::vector<std::string> summary;
    for (size_t i = 0; i < 4; ++i)
        summary.push_back(frames[i]["language"].get<std::string>() + "/" +
                          frames[i]["language_source"].get<std::string>() + " " +
                          frames[i]["function"].get<std::string>());
    EXPECT_EQ(summary, (std::vector<std::string>{
                           "Rust/dwarf demo::probe::seam_probe", "Rust/dwarf demo::on_device",
                           "C/dwarf device_for_each", "Rust/dwarf demo::main"}));
    EXPECT_EQ(frames[2]["file"], "demo.c");
    EXPECT_EQ("demo.c:" + std::to_string(frames[2]["line"].get<int>()) + ":",
              line_of("demo.c", "visit(&table[i], ctx)"));
    const auto& boundaries = j["threads"][0]["boundaries"];
    ASSERT_GE(boundaries.size(), 2u);
    EXPECT_EQ(boundaries[0]["caller"], 2);
    EXPECT_EQ(boundaries[0]["from"], "C");
    EXPECT_EQ(boundaries[0]["to"], "Rust");
    EXPECT_EQ(boundaries[1]["caller"], 3);
    EXPECT_EQ(boundaries[1]["from"], "Rust");
    EXPECT_EQ(boundaries[1]["to"], "C");

    CommandOutput all = session.run("seam bt --all");
    ASSERT_TRUE(all.ok) << where << ": " << all.text();
    EXPECT_EQ(skeleton(all.output), k_expected) << where << " (--all):\n" << all.output;
}

TEST(Backtrace, DemoAcrossTheBoundary) {
    ASSERT_TRUE(fs::exists(k_exe)) << k_exe << " was not built (--target fixture-demo)";
    std::string dir = temp_dir();
    ASSERT_FALSE(dir.empty());
    auto session = Session::create(SEAM_E2E_PLUGIN);
    ASSERT_TRUE(session.ok()) << session.error().message;
    auto stop = (*session)->launch(k_exe, {{"SEAM_EXPECT", dir + "/expect"}}, dir + "/output");
    ASSERT_TRUE(stop.ok()) << stop.error().message;
    ASSERT_EQ(stop->kind, StopKind::Probe) << stop->description;
    check_backtrace(**session, "live");

    const std::string core = dir + "/core.dmp";
    auto saved = (*session)->save_core(core);
    ASSERT_TRUE(saved.ok()) << saved.error().message;
    (*session)->kill();
    auto loaded = (*session)->load_core(k_exe, core);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    ASSERT_EQ(loaded->kind, StopKind::Probe) << loaded->description;
    check_backtrace(**session, "core");

    std::error_code ec;
    if (!HasFailure()) fs::remove_all(dir, ec);
}

} // namespace
} // namespace seam::e2e
