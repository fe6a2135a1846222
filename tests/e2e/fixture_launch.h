#pragma once
/// A fixture launched to its first probe stop in a fresh session, its expectation file and
/// output in a scratch directory of their own: what the tests that drive one fixture by hand
/// share.
#include <filesystem>
#include <memory>
#include <string>

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

} // namespace seam::e2e
