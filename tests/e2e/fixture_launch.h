#pragma once
/// A fixture launched to its first probe stop in a fresh session, its expectation file and
/// output in a directory of their own: what the tests that drive one fixture by hand share.
#include <filesystem>
#include <memory>
#include <string>

#include "tests/e2e/session.h"

namespace seam::e2e {

struct FixtureLaunch {
    std::unique_ptr<Session> session;
    Result<Stop> stop = err("not launched");
    std::filesystem::path dir; ///< holds `expect` and `output` (the program's stdout)
};

/// Launches `fixture` (a name under SEAM_E2E_FIXTURE_DIR) with its files in
/// `$TMPDIR/seam-<tag>`; an error when it was not built or no session could be made.
inline Result<FixtureLaunch> launch_fixture(const std::string& fixture, const std::string& tag) {
    const std::string exe = std::string(SEAM_E2E_FIXTURE_DIR) + "/" + fixture;
    if (!std::filesystem::exists(exe)) return err("{} was not built", exe);
    FixtureLaunch l;
    l.dir = std::filesystem::temp_directory_path() / ("seam-" + tag);
    std::filesystem::create_directories(l.dir);
    auto session = Session::create(SEAM_E2E_PLUGIN);
    if (!session) return session.error();
    l.session = std::move(*session);
    l.stop = l.session->launch(exe, {{"SEAM_EXPECT", (l.dir / "expect").string()}},
                               (l.dir / "output").string());
    return l;
}

} // namespace seam::e2e
