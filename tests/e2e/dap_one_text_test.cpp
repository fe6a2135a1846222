// Issue 3: one text per value. For the values whose LLDB value text is not Rust's, lldb-dap's
// Variables view, its hover, `frame variable`, `p` and `seam print` show the same text, and
// lldb-dap shows no LLDB value beside seam's summary (plugin/summaries.cpp, k_value_hidden).
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/dap_lldb_view.h"
#include "tests/e2e/dap_vscode.h"

namespace seam::e2e {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::string dap_text(const Json& var, const std::string& where) {
    if (std::string problem = doubled(var); !problem.empty())
        ADD_FAILURE() << where << ": " << problem;
    return var.value("value", "");
}

// What `p PATH` prints in the console, `(TYPE) TEXT` (or `(TYPE) $N = TEXT`): the TEXT.
std::string p_text(const std::string& out) {
    std::string line = out.substr(0, out.find('\n'));
    size_t close = line.find(") ");
    if (line.empty() || line[0] != '(' || close == std::string::npos) return "<" + out + ">";
    std::string text = line.substr(close + 2);
    if (text.rfind("$", 0) == 0 && text.find(" = ") != std::string::npos)
        text = text.substr(text.find(" = ") + 3);
    return text;
}

struct OneValue {
    std::string local;
    int child;           ///< -1: the local itself
    std::string display; ///< what every display shows
    std::string debug;   ///< `seam print --debug`'s item for it (Rust's own `{:?}`); "": C's
};

// The three values whose LLDB value text is not Rust's (a float LLDB prints with 17 digits, a
// Rust `char` LLDB prints as `U+0x00000061`, a fieldless enum whose 128-bit discriminant LLDB
// cuts to 32 bits): one text in lldb-dap's Variables view, its hover, `frame variable`, `p`, and
// `seam print`, the same in all.
void expect_one_text_everywhere(const std::string& fixture, int probe,
                                const std::vector<OneValue>& values) {
    ASSERT_TRUE(fs::exists(std::string(SEAM_E2E_FIXTURE_DIR) + "/" + fixture))
        << fixture << " was not built";
    const std::string dir = make_temp_dir();
    ASSERT_FALSE(dir.empty());
    {
        VsCode vs;
        Status started = vs.initialize(dir);
        if (started.ok()) started = vs.launch(fixture);
        ASSERT_TRUE(started.ok()) << started.error().message;
        for (int i = 1; i <= probe; ++i) {
            if (i > 1) ASSERT_TRUE(vs.resume().ok());
            auto stop = vs.next_stop();
            ASSERT_TRUE(stop.ok() && *stop) << fixture << ": no probe " << i;
        }
        auto frames = vs.frames();
        ASSERT_TRUE(frames.ok() && frames->size() >= 2);
        const int frame = (*frames)[1]["id"];
        ASSERT_TRUE(vs.console("frame select 1", frame).ok());
        auto locals = vs.locals(frame);
        ASSERT_TRUE(locals.ok()) << locals.error().message;
        for (const OneValue& v : values) {
            const std::string path =
                v.child < 0 ? v.local : v.local + "[" + std::to_string(v.child) + "]";
            ASSERT_TRUE(locals->count(v.local)) << v.local;
            Json var = (*locals)[v.local];
            if (v.child >= 0) {
                auto kids = vs.variables(var.value("variablesReference", int64_t{0}), v.child, 1);
                ASSERT_TRUE(kids.ok() && kids->size() == 1) << path;
                var = (*kids)[0];
            }
            const std::string dap = dap_text(var, fixture);
            auto hover = vs.evaluate(path, "hover", frame);
            ASSERT_TRUE(hover.ok()) << hover.error().message;
            auto fv = vs.console("frame variable " + path, frame);
            ASSERT_TRUE(fv.ok()) << fv.error().message;
            // lldb names a synthetic child by its own label: `(double) [6] = 0.1`.
            auto fv_view = parse_frame_variable(
                *fv, v.child < 0 ? v.local : "[" + std::to_string(v.child) + "]");
            ASSERT_TRUE(fv_view.ok()) << fv_view.error().message;
            // LLDB 19's `p` takes a plain name as `frame variable` does, anything else as a
            // C++ expression, which cannot index a Rust Vec: an element has no `p` of its own.
            std::string p_shown = "(no `p` of an element)";
            if (v.child < 0) {
                auto p = vs.console("p " + path, frame);
                ASSERT_TRUE(p.ok()) << p.error().message;
                p_shown = p_text(*p);
                EXPECT_EQ(p_shown, v.display) << path << ": " << *p;
            }
            auto debug = vs.console("seam print --debug " + v.local, frame);
            ASSERT_TRUE(debug.ok()) << debug.error().message;
            std::string seam = debug->substr(0, debug->find('\n'));
            if (v.child >= 0) {
                std::vector<std::string> items = debug_items(seam);
                seam = static_cast<size_t>(v.child) < items.size() ? items[v.child] : "<none>";
            }
            std::cout << "[ seam     ] " << path << ": lldb-dap `" << dap << "`, hover `"
                      << hover->value("result", "") << "`, frame variable `" << fv_view->text
                      << "`, p `" << p_shown << "`, seam print `" << seam << "`\n";
            EXPECT_EQ(dap, v.display) << path;
            EXPECT_EQ(hover->value("result", ""), v.display) << path;
            EXPECT_EQ(fv_view->text, v.display) << path;
            if (!v.debug.empty()) EXPECT_EQ(seam, v.debug) << path;
        }
    }
    fs::remove_all(dir);
}

TEST(Dap, OneTextForFloatsAndCharsInAVec) {
    expect_one_text_everywhere("vecs-O0", 1,
                               {{"v_f64", 6, "0.1", "0.1"},
                                {"v_f64", 3, "1e100", "1e100"},
                                {"v_f32", 2, "1.1754944e-38", "1.1754944e-38"},
                                {"v_char", 0, "'a'", "'a'"},
                                {"v_char", 6, "'\\u{301}'", "'\\u{301}'"}});
}

TEST(Dap, OneTextForFloats) {
    expect_one_text_everywhere("scalars-O0", 2,
                               {{"f64_tenth", -1, "0.1", "0.1"},
                                {"f64_1e300", -1, "1e300", "1e300"},
                                {"f64_neg_zero", -1, "-0.0", "-0.0"},
                                {"f32_tenth", -1, "0.1", "0.1"},
                                {"f32_third", -1, "0.33333334", "0.33333334"}});
}

TEST(Dap, OneTextForChars) {
    expect_one_text_everywhere("scalars-O0", 3,
                               {{"c_a", -1, "'a'", "'a'"},
                                {"c_newline", -1, "'\\n'", "'\\n'"},
                                {"c_e_acute", -1, "'é'", "'é'"},
                                {"c_combining", -1, "'\\u{301}'", "'\\u{301}'"}});
}

TEST(Dap, OneTextForBytes) {
    expect_one_text_everywhere(
        "scalars-O0", 1,
        {{"u8_zero", -1, "0", "0"}, {"u8_max", -1, "255", "255"}, {"i8_min", -1, "-128", "-128"}});
}

TEST(Dap, OneTextForLargeDiscriminants) {
    // enums.rs builds the 128-bit-discriminant values only from Rust 1.89 (repr(u128) enums).
    if (SEAM_E2E_RUSTC_MINOR < 89) GTEST_SKIP() << "enums.rs has no huge_* values before Rust 1.89";
    expect_one_text_everywhere("enums-O0", 3,
                               {{"huge_top", -1, "Top", "Top"},
                                {"huge_one", -1, "One", "One"},
                                {"huge_mid", -1, "Mid", "Mid"}});
}

// The same type formats hide LLDB's value text of a C `double` or `char` (a type format cannot
// tell C's from Rust's): seam's summary gives LLDB's own text back, so a C frame looks as it does
// without seam, one text each.
TEST(Dap, CValuesKeepLldbsText) {
    expect_one_text_everywhere("cvalues-O0", 1,
                               {{"d", -1, "0.10000000000000001", ""},
                                {"f", -1, "1.5", ""},
                                {"uc", -1, "'\\xc8'", ""},
                                {"sc", -1, "'\\xfb'", ""},
                                {"ch", -1, "'a'", ""},
                                {"nl", -1, "'\\n'", ""}});
}

} // namespace
} // namespace seam::e2e
