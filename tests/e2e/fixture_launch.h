#pragma once
/// A fixture launched to its first probe stop in a fresh session, its expectation file and
/// output in a scratch directory of their own: what the tests that drive one fixture by hand
/// share.
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "tests/e2e/scratch_dir.h"
#include "tests/e2e/session.h"

namespace seam::e2e {

struct FixtureLaunch {
    std::unique_ptr<Session> session;
    Result<Stop> stop = err("not launched");
    ScratchDir scratch; ///< holds `expect` and `output` (the program's stdout)
    std::filesystem::path dir() const { return scratch.dir(); }
};

/// Launches `fixture` (a name under SEAM_E2E_FIXTURE_DIR) with its files in a scratch
/// directory tagged `tag`; an error when it was not built or no session or directory could
/// be made. A launch that fails to stop is not an error: `stop` says why.
inline Result<FixtureLaunch> launch_fixture(const std::string& fixture, const std::string& tag) {
    const std::string exe = std::string(SEAM_E2E_FIXTURE_DIR) + "/" + fixture;
    if (!std::filesystem::exists(exe)) return err("{} was not built", exe);
    FixtureLaunch l{nullptr, err("not launched"), ScratchDir(tag)};
    if (!l.scratch.ok()) return err("cannot make a scratch directory for {}", fixture);
    auto session = Session::create(SEAM_E2E_PLUGIN);
    if (!session) return session.error();
    l.session = std::move(*session);
    l.stop = l.session->launch(exe, {{"SEAM_EXPECT", l.scratch.path("expect")}},
                               l.scratch.path("output"));
    return l;
}

/// Runs on to the probe whose frame holds `name`.
inline bool run_to(Session& s, Result<Stop>& stop, const std::string& name) {
    while (stop && stop->kind == StopKind::Probe &&
           s.run("frame variable " + name).output.find(" = ") == std::string::npos)
        stop = s.resume();
    return stop && stop->kind == StopKind::Probe;
}

/// Launches `fixture` (scratch directory tagged `tag` + fixture) and runs it to the probe whose
/// frame holds `name`.
inline Result<FixtureLaunch> launched_at(const std::string& fixture, const std::string& tag,
                                         const std::string& name) {
    auto launched = launch_fixture(fixture, tag + fixture);
    if (!launched) return launched;
    if (!run_to(*launched->session, launched->stop, name))
        return err("{}: no probe stop holds {}", fixture, name);
    return launched;
}

/// Runs `check` (given "live", then "core") at `fixture`'s first probe stop with frame 1
/// selected, then on a minidump saved there: a fact must hold in the process and in its core.
inline void check_live_and_core(const std::string& fixture, const std::string& tag,
                                const std::function<void(Session&, const std::string&)>& check) {
    auto l = launch_fixture(fixture, tag);
    ASSERT_TRUE(l.ok()) << l.error().message;
    Session& s = *l->session;
    ASSERT_TRUE(l->stop.ok()) << l->stop.error().message;
    ASSERT_EQ(l->stop->kind, StopKind::Probe) << l->stop->description;
    ASSERT_TRUE(s.run("frame select 1").ok);
    check(s, "live");
    const std::string core = l->scratch.path("core.dmp");
    ASSERT_TRUE(s.save_core(core).ok());
    s.kill();
    auto loaded = s.load_core(std::string(SEAM_E2E_FIXTURE_DIR) + "/" + fixture, core);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    ASSERT_TRUE(s.run("frame select 1").ok);
    check(s, "core");
}

} // namespace seam::e2e
