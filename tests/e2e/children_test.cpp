// Issue 3: every fixture value rendered both ways — what LLDB shows through the plugin
// (`frame variable`'s summary, the synthetic children an SB API client or lldb-dap expands) and
// what `seam print --json` renders — must agree, at -O0 and at -O2.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <ostream>
#include <string>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/expectations.h"
#include "tests/e2e/fixture_launch.h"
#include "tests/e2e/lldb_version.h"
#include "tests/e2e/scratch_dir.h"
#include "tests/e2e/session.h"

namespace seam::e2e {
namespace {

namespace fs = std::filesystem;

// The debugger the Session made: the newest live one (tests run one session at a time).
lldb::SBDebugger session_debugger() {
    for (int id = 4096; id > 0; --id) {
        lldb::SBDebugger d = lldb::SBDebugger::FindDebuggerWithID(id);
        if (d.IsValid() && d.GetSelectedTarget().GetProcess().IsValid()) return d;
    }
    return {};
}

lldb::SBFrame selected_frame() {
    return session_debugger()
        .GetSelectedTarget()
        .GetProcess()
        .GetSelectedThread()
        .GetSelectedFrame();
}

// What LLDB shows after `=`: the summary, or for a scalar its value. A child for which LLDB has
// no type is a char array holding seam's summary, which LLDB quotes: the quotes are LLDB's.
std::string lldb_text(lldb::SBValue v) {
    const char* summary = v.GetSummary();
    std::string text = summary && *summary ? summary : (v.GetValue() ? v.GetValue() : "");
    const char* type = v.GetTypeName();
    if (type && std::string(type).rfind("char[", 0) == 0 && text.size() >= 2 &&
        text.front() == '"' && text.back() == '"') {
        // LLDB quotes the array as a C string: `\"` and `\\` are its escapes, not seam's.
        std::string raw;
        for (size_t i = 1; i + 1 < text.size(); ++i) {
            if (text[i] == '\\' && i + 2 < text.size() &&
                (text[i + 1] == '"' || text[i + 1] == '\\'))
                ++i;
            raw += text[i];
        }
        text = raw;
    }
    return text;
}

struct Shown {
    std::string name;
    std::string text;
};

// The label LLDB gives seam's child `entry` of a value of shape `shape`.
std::string seam_child_name(const nlohmann::json& entry, const std::string& shape) {
    if (shape == "map") return "[" + entry["key"]["summary"].get<std::string>() + "]";
    return entry["label"].get<std::string>();
}

Result<nlohmann::json> seam_json(Session& session, const std::string& name) {
    CommandOutput out = session.run("seam print --json --depth 1 " + name);
    if (!out.ok) return err("{}", out.text());
    auto j = nlohmann::json::parse(out.output, nullptr, false);
    if (j.is_discarded()) return err("not JSON: {}", out.output);
    return j;
}

struct Counts {
    size_t values = 0, summaries = 0, children = 0, own_form = 0;
    /// Values rustc dropped at -O2: seam's clear error asserted instead of a value.
    size_t optimised_out = 0;
    /// Zero-sized locals rustc gave no location at -O2: LLDB shows no summary for them.
    size_t zero_sized = 0;
    /// Values and fields LLDB 22 has no type for (its merged types): seam's text asserted.
    size_t merged_types = 0;
};

bool optimised_build(const std::string& fixture) {
    return fixture.size() > 3 && fixture.compare(fixture.size() - 3, 3, "-O2") == 0;
}

// seam's error for a value whose DWARF location (or a piece of it) is empty at this pc.
bool says_optimised_out(const std::string& error) {
    return error.find("optimised out") != std::string::npos;
}

// A command's error as its message alone: LLDB prints `error: MESSAGE` and a newline.
std::string command_error(std::string text) {
    while (!text.empty() && text.back() == '\n') text.pop_back();
    if (text.rfind("error: ", 0) == 0) text.erase(0, 7);
    return text;
}

// The first `chars` UTF-8 characters of `s`, then `...` (render_summary's cut).
std::string cut_chars(const std::string& s, size_t chars) {
    size_t seen = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
        if (seen == chars) return s.substr(0, i) + "...";
        ++seen;
    }
    return s;
}

// A Debug string literal cut after `n` characters of the string, as LLDB cuts a C string
// (`"hel"...`); an escape (`\n`, `\x7f`, `\u{301}`) is one character.
std::string cut_string(const std::string& lit, size_t n) {
    size_t i = 1;
    for (size_t k = 0; i < lit.size() && lit[i] != '"'; ++k) {
        if (k == n) return lit.substr(0, i) + "\"...";
        if (lit[i] == '\\' && i + 1 < lit.size()) {
            if (lit[i + 1] == 'u')
                i = lit.find('}', i) + 1;
            else if (lit[i + 1] == 'x')
                i += 4;
            else
                i += 2;
        } else {
            ++i;
            while (i < lit.size() && (static_cast<unsigned char>(lit[i]) & 0xC0) == 0x80) ++i;
        }
    }
    return lit;
}

constexpr size_t k_line = 120;        // the summary line's characters
constexpr size_t k_max_string = 1024; // LLDB's default target.max-string-summary-length

// The summary line `seam print --json` must give for a value it rendered as `j`, re-derived
// here from `debug` on purpose (an oracle of its own, not the engine's code): a string cut at
// LLDB's max-string-summary-length, a container's items after its facts (`len=3 cap=4 [1, 2,
// 3]`), anything else Debug cut at the line's length. A formatter's own summary that is none
// of these (`strong=2 weak=1 → "hello"`, `writing 5`) is the formatter's to say: no oracle.
std::optional<std::string> derived_summary(const nlohmann::json& j) {
    const std::string summary = j["summary"], debug = j["debug"], shape = j["shape"];
    if (!summary.empty() && summary.front() == '"') return cut_string(debug, k_max_string);
    if (summary == cut_chars(debug, k_line)) return summary;
    bool lists = shape == "list" || shape == "set" || shape == "map";
    if (lists && j["count"].get<uint64_t>() > 0 && !debug.empty()) {
        // The facts are what comes before the items; the items must be Debug's.
        size_t items = summary.find(std::string(" ") + debug.front());
        if (items == std::string::npos) return "<facts, then> " + debug;
        return cut_chars(summary.substr(0, items) + " " + debug, k_line);
    }
    if (lists) return summary; // an empty container: its facts alone
    return std::nullopt;
}

// The summary LLDB must show for a value `seam print --json` rendered as `j`: the same line
// (one function makes both), after checking that line against the oracle above.
std::string expected_summary(const nlohmann::json& j) {
    if (auto derived = derived_summary(j)) EXPECT_EQ(j["summary"], *derived) << j["debug"];
    return j["summary"];
}

// Where LLDB shows a Rust value in its own form, which says the same thing: each is asserted in
// that form, never skipped.
enum class Form {
    Seam,            // seam's summary and children
    Pointer,         // Box<T>/&T: a `T *` whose pointee is seam's `*` child
    Void,            // `()`: `void` to LLDB, which shows nothing for it
    FunctionPointer, // LLDB's own `(module`function at file:line)`: the same address
    ScalarArray,     // [u32; 3]: C shares `unsigned int[3]`, so LLDB's `([0] = 1, ...)` stays
};

lldb::SBType real_type(lldb::SBValue v) {
    lldb::SBValue r = v.GetNonSyntheticValue();
    return (r.IsValid() ? r : v).GetType().GetCanonicalType();
}

Form form_of(lldb::SBValue v) {
    lldb::SBType t = real_type(v);
    if (t.IsFunctionType() || (t.IsPointerType() && t.GetPointeeType().IsFunctionType()))
        return Form::FunctionPointer;
    if (t.IsPointerType() || t.IsReferenceType()) return Form::Pointer;
    // Arrays first: LLDB 22 gives `[i32; 0]` a size of 0 (LLDB 19: `int[]` of 4 bytes), and it
    // is still an array, not a `()`.
    if (t.IsArrayType()) {
        lldb::SBType element = t.GetArrayElementType().GetCanonicalType();
        bool nested = element.IsArrayType();
        while (element.IsArrayType()) element = element.GetArrayElementType().GetCanonicalType();
        lldb::BasicType e = element.GetBasicType();
        // [u8; N] carries seam's summary; [[u8; 2]; 3] is an array of those.
        if (e != lldb::eBasicTypeInvalid &&
            (nested || (e != lldb::eBasicTypeUnsignedChar && e != lldb::eBasicTypeSignedChar)))
            return Form::ScalarArray;
    }
    if ((t.GetBasicType() == lldb::eBasicTypeVoid || t.GetByteSize() == 0) && lldb_text(v).empty())
        return Form::Void;
    return Form::Seam;
}

const char* form_reason(Form f) {
    switch (f) {
    case Form::Pointer:
        return "a `T *` to LLDB: seam's summary, and its pointee is seam's `*` child";
    case Form::FunctionPointer:
        return "a fn pointer keeps LLDB's summary naming the function: same address";
    case Form::ScalarArray:
        return "C shares the array's type name: LLDB's `([0] = ..)` view, same elements";
    case Form::Void:
        return "`()` is `void` to LLDB, which shows nothing (no name either) for a variable or "
               "field";
    case Form::Seam:
        break;
    }
    return "";
}

uint64_t parse_address(const std::string& text) {
    return text.rfind("0x", 0) == 0 ? std::strtoull(text.c_str() + 2, nullptr, 16) : 0;
}

// `0x7ffd5e8c1a2c`: an address and nothing else (a raw pointer's Debug).
bool is_address(const std::string& text) {
    return text.size() > 2 && text.rfind("0x", 0) == 0 &&
           text.find_first_not_of("0123456789abcdef", 2) == std::string::npos;
}

// Asserts a value LLDB shows in its own form (not seam's summary line) against seam's JSON.
void compare_own_form(Form form, lldb::SBValue v, const nlohmann::json& j,
                      const std::string& what) {
    switch (form) {
    case Form::Pointer: {
        lldb::SBType pointee = real_type(v).GetPointeeType().GetCanonicalType();
        // `char32_t *` (&char, Box<char>) is C's UTF-32 string to LLDB; every other pointer
        // carries seam's summary.
        if (pointee.GetBasicType() != lldb::eBasicTypeChar32) {
            std::string want = expected_summary(j);
            if (is_address(want)) {
                // A raw pointer's summary would repeat its address, which LLDB's value already
                // shows (zero-padded): shown once, as LLDB's value (issue 15's `data_ptr =
                // 0xffffffff82a227c4 0xffffffff82a227c4`).
                const char* summary = v.GetSummary();
                EXPECT_TRUE(!summary || !*summary) << what << ": summary repeats the address";
                EXPECT_EQ(parse_address(lldb_text(v)), parse_address(want)) << what << ": value";
            } else {
                EXPECT_EQ(lldb_text(v), want) << what << ": summary";
            }
        }
        // `void *` (Box<()>) has no pointee LLDB could show: the summary says `()`. The pointee
        // of `T (*)[N]` (&[u8; 4]) is an array LLDB makes by dereferencing, which seam cannot
        // map back yet (the pointer's own summary, above, is seam's).
        if (pointee.GetBasicType() == lldb::eBasicTypeVoid || pointee.IsArrayType() ||
            pointee.IsPointerType())
            return;
        if (j["shape"] == "transparent" && j.contains("children") && !j["children"].empty()) {
            lldb::SBValue target = v.GetNonSyntheticValue().Dereference();
            target.SetPreferSyntheticValue(true);
            EXPECT_EQ(lldb_text(target), expected_summary(j["children"][0]["value"]))
                << what << ": pointee";
        }
        return;
    }
    case Form::FunctionPointer:
        EXPECT_NE(parse_address(j["summary"]), 0u) << what << ": " << j["summary"];
        EXPECT_EQ(v.GetNonSyntheticValue().GetValueAsUnsigned(), parse_address(j["summary"]))
            << what << ": address";
        return;
    case Form::Void:
        EXPECT_EQ(j["summary"], "()") << what;
        EXPECT_EQ(lldb_text(v), "") << what;
        return;
    case Form::ScalarArray: {
        EXPECT_EQ(v.GetNumChildren(), j["count"].get<uint64_t>()) << what << ": elements";
        if (!j.contains("children")) return;
        for (uint32_t i = 0; i < std::min<size_t>(v.GetNumChildren(), j["children"].size()); ++i)
            EXPECT_EQ(lldb_text(v.GetChildAtIndex(i, lldb::eNoDynamicValues, true)),
                      expected_summary(j["children"][i]["value"]))
                << what << ": element " << i;
        return;
    }
    case Form::Seam:
        return;
    }
}

// LLDB's name for a child: a tuple field is `__0` in the DWARF, `0` in Rust and in seam.
std::string lldb_child_name(lldb::SBValue c) {
    std::string name = c.GetName() ? c.GetName() : "";
    if (name.size() > 2 && name.rfind("__", 0) == 0 &&
        name.find_first_not_of("0123456789", 2) == std::string::npos)
        return name.substr(2);
    return name;
}

// Compares one recorded value; every difference is a failure naming the value and the child.
void compare_value(Session& session, const std::string& where, const std::string& name,
                   bool optimised, Counts& counts) {
    auto seam = seam_json(session, name);
    if (!seam.ok() && optimised && says_optimised_out(seam.error().message)) {
        // rustc kept no location for (part of) the value at this pc: seam says so, naming the
        // variable and the piece, and prints no value.
        ++counts.optimised_out;
        const std::string& error = seam.error().message;
        std::cout << "[ seam     ] " << where << ": `" << name << "` excused: " << error;
        EXPECT_NE(error.find("cannot locate '" + name + "'"), std::string::npos) << error;
        // LLDB zero-fills the missing piece (`&str` with `data_ptr = 0x0`); through the plugin
        // the frame's own variable shows seam's message, the one `seam print` gave, never
        // LLDB's zeros read as a value (`<error: cannot read 38 bytes at 0x0>`).
        lldb::SBValue v = selected_frame().FindVariable(name.c_str());
        ASSERT_TRUE(v.IsValid()) << where << ": LLDB has no variable " << name;
        v.SetPreferSyntheticValue(true);
        if (!v.GetError().Fail())
            EXPECT_EQ(lldb_text(v), "<error: " + command_error(error) + ">")
                << where << ": LLDB's summary of `" << name
                << "`, which seam says is optimised out";
        return;
    }
    ASSERT_TRUE(seam.ok()) << where << ": " << seam.error().message;
    lldb::SBValue v = selected_frame().FindVariable(name.c_str());
    ASSERT_TRUE(v.IsValid()) << where << ": LLDB has no variable " << name;
    v.SetPreferSyntheticValue(true);
    const nlohmann::json& j = *seam;
    const std::string what = where + ": `" + name + "` (" + j["type"].get<std::string>() + ")";
    const bool no_location = v.GetError().Fail() && v.GetError().GetCString() &&
                             std::strstr(v.GetError().GetCString(), "no location");
    if (lldb_merges_colliding_types() && v.GetByteSize() == 0 && lldb_text(v).empty() &&
        !no_location && j["summary"] != "()" && j["shape"] != "error") {
        // LLDB 22 has no type for this value (Form::Void would take it for a `()`): it shows
        // nothing, or its "Invalid type" error, where seam's summary would be. A zero-sized value
        // LLDB does type (`..`) shows seam's summary and is compared below. seam's own text is
        // asserted above (seam_json) and, against `{:?}`, by All/Fixture.
        ++counts.merged_types;
        std::cout << "[ seam     ] " << what << " excused: LLDB 22 has no type for it (merged "
                  << "types); seam prints " << j["summary"] << "\n";
        return;
    }
    if (optimised && v.GetError().Fail() && v.GetByteSize() == 0) {
        // rustc -O2 gives a zero-sized local (`Unit`, PhantomData, `..`) no location, and LLDB
        // then shows `<no location, value may have been optimized out>` without calling any
        // summary provider (a plain `type summary add` is not called either). rustc 1.63 gives
        // it a frame-base location instead, and LLDB fails to read its zero bytes ("Unable to
        // determine byte size."), again calling no summary. Such a value needs no memory: seam
        // prints it (its Debug is checked by All/Fixture.*).
        ++counts.zero_sized;
        std::cout << "[ seam     ] " << what << " excused: zero-sized, LLDB has no value\n";
        std::string why = v.GetError().GetCString();
        EXPECT_TRUE(why.find("no location") != std::string::npos ||
                    why == "Unable to determine byte size.")
            << what << ": " << why;
        EXPECT_NE(j["shape"], "error") << what;
        return;
    }
    ++counts.values;
    if (Form form = form_of(v); form != Form::Seam) {
        ++counts.own_form;
        std::cout << "[ seam     ] " << what << " in LLDB's form: " << form_reason(form) << "\n";
        compare_own_form(form, v, j, what);
        return;
    }
    EXPECT_EQ(lldb_text(v), expected_summary(j)) << what << ": summary";
    ++counts.summaries;
    std::vector<Shown> seam_kids;
    const std::string shape = j["shape"];
    if (j.contains("children"))
        for (const auto& entry : j["children"])
            seam_kids.push_back({seam_child_name(entry, shape), expected_summary(entry["value"])});
    uint32_t n = v.GetNumChildren();
    std::vector<lldb::SBValue> lldb_kids;
    for (uint32_t i = 0; i < n; ++i)
        lldb_kids.push_back(v.GetChildAtIndex(i, lldb::eNoDynamicValues, true));
    if (lldb_merges_colliding_types() && n < j["count"].get<uint64_t>() && n < seam_kids.size() &&
        j["count"].get<uint64_t>() == seam_kids.size()) {
        // LLDB 22 dropped the fields whose type it could not build (merged types): LLDB's
        // children must be seam's in order with only those missing, each of which seam printed.
        std::vector<lldb::SBValue> aligned;
        size_t k = 0;
        for (lldb::SBValue& c : lldb_kids) {
            for (; k < seam_kids.size() && seam_kids[k].name != lldb_child_name(c); ++k) {
                ++counts.merged_types;
                std::cout << "[ seam     ] " << what << " field " << seam_kids[k].name
                          << " excused: LLDB 22 dropped it (merged types); seam prints "
                          << seam_kids[k].text << "\n";
                aligned.push_back(lldb::SBValue());
            }
            ASSERT_LT(k, seam_kids.size())
                << what << ": LLDB's child " << lldb_child_name(c) << " is not seam's";
            aligned.push_back(c);
            ++k;
        }
        for (; k < seam_kids.size(); ++k) aligned.push_back(lldb::SBValue());
        lldb_kids = aligned;
        n = static_cast<uint32_t>(lldb_kids.size());
    }
    ASSERT_EQ(n, j["count"].get<uint64_t>()) << what << ": children";
    for (uint32_t i = 0; i < std::min<size_t>(n, seam_kids.size()); ++i) {
        lldb::SBValue c = lldb_kids[i];
        if (!c.IsValid()) continue; // dropped by LLDB 22, counted above
        if (form_of(c) != Form::Void)
            EXPECT_EQ(lldb_child_name(c), seam_kids[i].name) << what << ": name of child " << i;
        const std::string child_what = what + " child " + seam_kids[i].name;
        if (Form form = form_of(c); form != Form::Seam) {
            ++counts.own_form;
            std::cout << "[ seam     ] " << child_what << " in LLDB's form: " << form_reason(form)
                      << "\n";
            compare_own_form(form, c, j["children"][i]["value"], child_what);
            continue;
        }
        EXPECT_EQ(lldb_text(c), seam_kids[i].text) << child_what;
        ++counts.children;
    }
}

struct Case {
    std::string fixture;
    size_t min_values; ///< a fixture that suddenly compares nothing is a failure too
};

// ctest names the test by this, not by the struct's bytes.
void PrintTo(const Case& c, std::ostream* os) {
    *os << c.fixture;
}

class Children : public ::testing::TestWithParam<Case> {};

TEST_P(Children, LldbShowsWhatSeamPrints) {
    const Case c = GetParam();
    const std::string exe = std::string(SEAM_E2E_FIXTURE_DIR) + "/" + c.fixture;
    ASSERT_TRUE(fs::exists(exe)) << exe << " was not built";
    ScratchDir scratch("kids-" + c.fixture);
    ASSERT_TRUE(scratch.ok());
    const std::string expect = scratch.path("expect");
    auto session = Session::create(SEAM_E2E_PLUGIN);
    ASSERT_TRUE(session.ok()) << session.error().message;
    // LLDB 19's default, which the oracle's line assumes (items past the line's 120 characters,
    // never past the item limit); LLDB 22's default is 24. ChildrenSettings tests other values.
    ASSERT_TRUE((*session)->run("settings set target.max-children-count 256").ok);
    auto stop = (*session)->launch(exe, {{"SEAM_EXPECT", expect}}, scratch.path("output"));
    ASSERT_TRUE(stop.ok()) << stop.error().message;
    Counts counts;
    for (int probe = 1; stop.ok() && stop->kind == StopKind::Probe && probe < 100; ++probe) {
        auto exp = read_expectations(expect);
        ASSERT_TRUE(exp.ok()) << exp.error().message;
        std::string where = c.fixture + " probe " + std::to_string(probe);
        for (const Record& r : exp->records)
            if (r.limitation.empty())
                compare_value(**session, where, r.name, optimised_build(c.fixture), counts);
        stop = (*session)->resume();
    }
    std::cout << "[ seam     ] " << c.fixture << ": " << counts.values << " values, "
              << counts.summaries << " summaries and " << counts.children << " children compared, "
              << counts.own_form << " in LLDB's own form (asserted), "
              << counts.optimised_out + counts.zero_sized << " excused (" << counts.optimised_out
              << " optimised out: seam's error asserted; " << counts.zero_sized
              << " zero-sized without a value: LLDB calls no summary), " << counts.merged_types
              << " that LLDB 22 has no type for (merged types: seam's text asserted)\n";
    EXPECT_GE(counts.values, c.min_values);
}

// Paging: an SB API client (lldb-dap pages with start/count) asks for children 500..510 of a
// 5000-element Vec without the ones before; they are the Vec's own elements.
TEST(ChildrenPaging, MiddleOfALargeVec) {
    auto l = launch_fixture("vecs-O0", "kids-paging");
    ASSERT_TRUE(l.ok()) << l.error().message;
    ASSERT_TRUE(l->stop.ok() && l->stop->kind == StopKind::Probe);
    auto seam = seam_json(*l->session, "v_big");
    ASSERT_TRUE(seam.ok()) << seam.error().message;
    lldb::SBValue v = selected_frame().FindVariable("v_big");
    ASSERT_EQ(v.GetNumChildren(), 5000u);
    for (uint32_t i = 500; i < 510; ++i) {
        lldb::SBValue c = v.GetChildAtIndex(i, lldb::eNoDynamicValues, true);
        EXPECT_EQ(std::string(c.GetName()), "[" + std::to_string(i) + "]");
        EXPECT_EQ(lldb_text(c), (*seam)["children"][i]["value"]["summary"].get<std::string>());
        EXPECT_EQ(c.GetValueAsUnsigned(), i); // v_big is 0..5000
    }
    // Past the end LLDB asks too, and gets nothing.
    EXPECT_FALSE(v.GetChildAtIndex(5000, lldb::eNoDynamicValues, true).IsValid());
}

// LLDB's own settings, changed in a session: from the next stop a summary lists at most
// target.max-children-count items inline (LLDB itself offers as many children before its `...`)
// and cuts a string after target.max-string-summary-length characters, as LLDB cuts C strings.
TEST(ChildrenSettings, MaxChildrenAndStringLength) {
    auto l = launch_fixture("vecs-O0", "kids-settings");
    ASSERT_TRUE(l.ok()) << l.error().message;
    Session& s = *l->session;
    auto& stop = l->stop;
    ASSERT_TRUE(stop.ok() && stop->kind == StopKind::Probe); // vecs()
    auto text = [](const char* name) {
        lldb::SBValue v = selected_frame().FindVariable(name);
        v.SetPreferSyntheticValue(true);
        return lldb_text(v);
    };
    EXPECT_EQ(text("v_spare"), "len=3 cap=10 [5, 6, 7]");
    CommandOutput shown = s.run("frame variable v_spare");
    EXPECT_NE(shown.output.find("[2] = 7"), std::string::npos) << shown.text();

    ASSERT_TRUE(s.run("settings set target.max-children-count 2").ok);
    ASSERT_TRUE(s.run("settings set target.max-string-summary-length 1").ok);
    stop = s.resume();
    ASSERT_TRUE(stop.ok() && stop->kind == StopKind::Probe); // slices()
    EXPECT_EQ(text("sl_u64"), "len=4 [12, 13, <... 2 more>]");
    // `seam print --json`'s summary and --tree's line are the line frame variable shows, under
    // the same settings.
    auto sl = seam_json(s, "sl_u64");
    ASSERT_TRUE(sl.ok()) << sl.error().message;
    EXPECT_EQ((*sl)["summary"], "len=4 [12, 13, <... 2 more>]");
    EXPECT_NE(s.run("seam print --tree --depth 0 sl_u64")
                  .output.find("sl_u64 = len=4 [12, 13, <... 2 more>]"),
              std::string::npos);
    shown = s.run("frame variable sl_u64");
    EXPECT_NE(shown.output.find("[1] = 13"), std::string::npos) << shown.text();
    EXPECT_EQ(shown.output.find("[2] ="), std::string::npos) << shown.text();
    EXPECT_NE(shown.output.find("..."), std::string::npos) << shown.text();
    lldb::SBValue strs = selected_frame().FindVariable("sl_str");
    strs.SetPreferSyntheticValue(true);
    ASSERT_EQ(strs.GetNumChildren(), 2u);
    EXPECT_EQ(lldb_text(strs.GetChildAtIndex(0, lldb::eNoDynamicValues, true)), "\"a\"");
    EXPECT_EQ(lldb_text(strs.GetChildAtIndex(1, lldb::eNoDynamicValues, true)), "\"b\"...");

    ASSERT_TRUE(s.run("settings set target.max-children-count 256").ok);
    ASSERT_TRUE(s.run("settings set target.max-string-summary-length 1024").ok);
    stop = s.resume();
    ASSERT_TRUE(stop.ok() && stop->kind == StopKind::Probe); // deques()
    auto seam = seam_json(s, "d_wrapped");
    ASSERT_TRUE(seam.ok()) << seam.error().message;
    EXPECT_EQ(text("d_wrapped"), expected_summary(*seam));
    EXPECT_EQ(text("d_wrapped").find("more>"), std::string::npos);
}

// An index into a map is a key, in paths as in Rust (`map[&k]`) and as LLDB names a map's
// children (`[k]`): `seam print m[k]` is the value stored under k, and the path LLDB gives a
// child (`h_strref["minus"]`) leads seam to that same value, so the child is mapped by frame.
TEST(MapPaths, AnIndexIntoAMapIsItsKey) {
    auto l = launch_fixture("maps-O0", "map-paths");
    ASSERT_TRUE(l.ok()) << l.error().message;
    ASSERT_TRUE(l->stop.ok() && l->stop->kind == StopKind::Probe); // hashes()
    Session& s = *l->session;
    auto printed = [&](const std::string& path) { return s.run("seam print " + path).text(); };
    EXPECT_EQ(printed("h_100[30]"), "(u64) h_100[30] = 100\n"); // keys i*3, values i*i
    EXPECT_EQ(printed("h_1000[999]"), fmt::format("(u64) h_1000[999] = {}\n", 999 ^ 0x5a5a));
    EXPECT_EQ(printed("'h_strref[\"big\"]'"), "(i32) h_strref[\"big\"] = -2147483648\n");
    EXPECT_EQ(printed("h_strref[minus]"), "(i32) h_strref[minus] = -1\n"); // lldb ate the quotes
    EXPECT_EQ(printed("'h_tuple[(2, 300)]'"), "(char) h_tuple[(2, 300)] = '\\n'\n");
    EXPECT_EQ(printed("h_nested[1][0]"), "(u32) h_nested[1][0] = 10\n");
    CommandOutput missing = s.run("seam print h_100[10]");
    EXPECT_FALSE(missing.ok);
    EXPECT_NE(missing.text().find("has no key 10 (100 entries)"), std::string::npos)
        << missing.text();
    CommandOutput not_a_map = s.run("seam print 'h_100[30][\"x\"]'");
    EXPECT_FALSE(not_a_map.ok);
    EXPECT_NE(not_a_map.text().find("'\"x\"' is not an index, and u64 is not a map"),
              std::string::npos)
        << not_a_map.text();

    // LLDB's child `["minus"]` of h_strref is the same value.
    lldb::SBValue map = selected_frame().FindVariable("h_strref");
    map.SetPreferSyntheticValue(true);
    bool seen = false;
    for (uint32_t i = 0; i < map.GetNumChildren(); ++i) {
        lldb::SBValue c = map.GetChildAtIndex(i, lldb::eNoDynamicValues, true);
        if (std::string(c.GetName()) != "[\"minus\"]") continue;
        seen = true;
        EXPECT_EQ(lldb_text(c), "-1");
    }
    EXPECT_TRUE(seen) << "no child [\"minus\"] of h_strref";

    auto stop = s.resume();
    ASSERT_TRUE(stop.ok() && stop->kind == StopKind::Probe); // btrees()
    EXPECT_EQ(printed("b_11[3]"), "(u64) b_11[3] = 1003\n");
    // Owned values end with their allocation, whose address is the run's.
    auto starts = [&](const std::string& path, const std::string& head) {
        std::string text = printed(path);
        EXPECT_TRUE(text.starts_with(head)) << text;
    };
    starts("'b_strings[\"a\\tb\"]'", "(String) b_strings[\"a\\tb\"] = \"ü\" [owned 0x");
    starts("'b_strings[\"\"]'", "(String) b_strings[\"\"] = \"empty key\" [owned 0x");
    starts("b_u8vec[5]", "(Vec<u8>) b_u8vec[5] = len=1 cap=1 [0] [owned 0x");
}

// Every fixture at both levels: at -O2 rustc moves values into registers and pieces, inlines
// the std calls that built them, and drops some (optimised out: seam's error is asserted).
std::vector<Case> children_cases() {
    // demo has three values; rustc 1.63 -O2 drops `state` (optimised out, seam's error asserted).
    const std::vector<Case> fixtures = {{"vecs", 40},     {"maps", 10},    {"enums", 30},
                                        {"pointers", 10}, {"demo", 2},     {"scalars", 10},
                                        {"structs", 10},  {"strings", 10}, {"cells", 10},
                                        {"sync", 10},     {"misc", 10},    {"generated", 50}};
    std::vector<Case> out;
    for (const char* level : {"-O0", "-O2"})
        for (const Case& c : fixtures) out.push_back({c.fixture + level, c.min_values});
    return out;
}

INSTANTIATE_TEST_SUITE_P(, Children, ::testing::ValuesIn(children_cases()), [](const auto& info) {
    std::string s = info.param.fixture;
    std::replace(s.begin(), s.end(), '-', '_');
    return s;
});

} // namespace
} // namespace seam::e2e
