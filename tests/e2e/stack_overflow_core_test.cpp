// A stack overflow whose last step is a push: the `call` at frame #0 stores its return address
// just below SP, and SP is the first byte of the stack's mapping. Of that stop LLDB 19 writes a
// minidump with no stack memory and no fault address (its writer starts the stack below SP, in
// no mapping, and drops it), so the core alone says only "SIGSEGV in recurse". seam must deduce
// the fault from the instruction and the mappings (plugin/lldb/stop_facts.cpp) and say "stack
// overflow", as it does live. CI met this stop by chance: which instruction of `recurse` meets the
// stack's end depends on where the stack starts, so the test moves it on purpose.
#include <regex>

#include <fmt/format.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/scratch_dir.h"
#include "tests/e2e/session.h"

namespace seam::e2e {
namespace {

using json = nlohmann::json;

struct FaultAndSp {
    uint64_t fault = 0, sp = 0;
};

// The verdict's "fault address A within 64 KiB of the stack pointer S" evidence.
std::optional<FaultAndSp> fault_and_sp(const json& verdict) {
    static const std::regex k_evidence(
        "fault address 0x([0-9a-f]+) within 64 KiB of the stack pointer 0x([0-9a-f]+)");
    for (const json& e : verdict["evidence"]) {
        std::smatch m;
        const std::string text = e.get<std::string>();
        if (std::regex_search(text, m, k_evidence))
            return FaultAndSp{std::stoull(m[1], nullptr, 16), std::stoull(m[2], nullptr, 16)};
    }
    return std::nullopt;
}

bool has_evidence_starting(const json& verdict, const std::string& prefix) {
    for (const json& e : verdict["evidence"])
        if (e.get<std::string>().starts_with(prefix)) return true;
    return false;
}

// `register read rsp` in the selected frame.
std::optional<uint64_t> rsp(Session& s) {
    CommandOutput out = s.run("register read rsp");
    auto eq = out.output.find("= 0x");
    if (!out.ok || eq == std::string::npos) return std::nullopt;
    return std::stoull(out.output.substr(eq + 4), nullptr, 16);
}

struct Overflow {
    json verdict;          ///< `seam panic --json` at the SIGSEGV
    FaultAndSp at;         ///< frame #0's
    uint64_t frame_size{}; ///< the caller's SP less frame #0's: one `recurse` frame
};

// Runs crash-O2's stack overflow with the environment grown by `pad` bytes and stops at its
// SIGSEGV, the process still there.
Result<Overflow> overflow(Session& s, const std::string& exe, const std::string& out, size_t pad) {
    auto first = s.launch(
        exe, {{"SEAM_CRASH_KIND", "stack_overflow"}, {"SEAM_PAD", std::string(pad, 'x')}}, out);
    if (!first.ok()) return first.error();
    if (first->kind != StopKind::Probe) return err("first stop: {}", first->description);
    auto crash = s.resume();
    if (!crash.ok()) return crash.error();
    CommandOutput panic = s.run("seam panic --json");
    Overflow o;
    o.verdict = json::parse(panic.output, nullptr, false);
    auto at = o.verdict.is_discarded() ? std::nullopt : fault_and_sp(o.verdict);
    if (!at) return err("not a stack overflow: {}", panic.text());
    o.at = *at;
    // The first frame with another SP is the caller (`black_box` may be inlined into frame #0).
    for (int i = 1; i <= 4 && o.frame_size == 0; ++i) {
        s.run(fmt::format("frame select {}", i));
        auto caller = rsp(s);
        if (caller && *caller > at->sp) o.frame_size = *caller - at->sp;
    }
    s.run("frame select 0");
    if (o.frame_size == 0) return err("no caller frame above SP");
    return o;
}

TEST(StackOverflowCore, APushOffTheStacksEndIsAStackOverflowInTheCoreToo) {
    const std::string exe = std::string(SEAM_E2E_FIXTURE_DIR) + "/crash-O2";
    ScratchDir scratch("stack-overflow-push");
    const std::string out = scratch.path("stderr");
    auto session = Session::create(SEAM_E2E_PLUGIN);
    ASSERT_TRUE(session.ok()) << session.error().message;

    // LLDB launches with ASLR off, so the stack's start is fixed and only the environment's
    // size moves it. `recurse`'s frames are all of one size F, so the first run tells how far to
    // move SP for a caller's SP to land on the mapping's first byte B (rounded up from the fault:
    // the mapping ends there): (SP - B) mod F. The envp slot, the variable's name and the
    // alignment of the start move it a little more, so the runs try a few 16-byte steps around.
    auto base = overflow(**session, exe, out, 0);
    ASSERT_TRUE(base.ok()) << base.error().message;
    (*session)->kill();
    const int64_t f = int64_t(base->frame_size);
    const int64_t mapping_start = int64_t((base->at.fault >> 12) + 1) << 12;
    const int64_t aim = ((int64_t(base->at.sp) - mapping_start) % f + f) % f;
    std::optional<Overflow> pushed;
    size_t pad = 0;
    for (int64_t step : {0, -16, 16, -32, 32, -48, 48, -64, 64}) {
        if (aim + step < 0) continue;
        pad = size_t(aim + step);
        auto run = overflow(**session, exe, out, pad);
        ASSERT_TRUE(run.ok()) << run.error().message;
        if (run->at.fault == run->at.sp - 8) {
            pushed = std::move(*run);
            break;
        }
        (*session)->kill();
    }
    ASSERT_TRUE(pushed) << "no environment size near " << aim << " made the push fault (frames of "
                        << f << " bytes, fault at " << base->at.fault << ")";
    const json& live = pushed->verdict;
    ASSERT_EQ(live["kind"], "stack-overflow") << live.dump();

    const std::string core = scratch.path("push.dmp");
    ASSERT_TRUE((*session)->save_core(core).ok());
    (*session)->kill();
    ASSERT_TRUE((*session)->load_core(exe, core).ok());
    CommandOutput panic = (*session)->run("seam panic --json");
    ASSERT_TRUE(panic.ok) << panic.text();
    json dead = json::parse(panic.output);
    EXPECT_EQ(dead["kind"], "stack-overflow") << panic.output;
    EXPECT_EQ(dead["headline"], live["headline"]) << panic.output;
    EXPECT_EQ(dead["culprit_frame"], live["culprit_frame"]) << panic.output;
    // LLDB 22's minidump keeps the fault address (its stop says `fault address=`), LLDB 19's
    // does not: then seam says it deduced it, and how.
    const std::string stop = dead["evidence"].empty() ? "" : dead["evidence"][0].get<std::string>();
    const bool stop_has_address = stop.find("fault address") != std::string::npos;
    if (!stop_has_address)
        EXPECT_TRUE(has_evidence_starting(dead, "fault address deduced: the stop carries none; "))
            << panic.output;
    auto at = fault_and_sp(dead);
    ASSERT_TRUE(at) << panic.output;
    EXPECT_EQ(at->fault, at->sp - 8) << panic.output;
    const bool core_has_stack = (*session)->run("memory read -s8 -c1 $sp").ok;
    // Where the stack is missing, the frame's array local is one marked error, not 64.
    if (!core_has_stack) {
        CommandOutput buf = (*session)->run("seam print --debug buf");
        EXPECT_EQ(buf.output.find("<error: 512 bytes at 0x"), 0u) << buf.text();
        EXPECT_EQ(buf.output.find("<error:", 1), std::string::npos) << buf.text();
    }
    std::cout << "[ seam     ] pad " << pad << " (aim " << aim << "): the push faulted; the core "
              << (core_has_stack ? "holds" : "lacks") << " the stack, "
              << (stop_has_address ? "has" : "lacks") << " the fault address\n";
}

} // namespace
} // namespace seam::e2e
