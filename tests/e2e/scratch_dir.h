#pragma once
/// A fresh directory of one test's files (expectation files, program output, cores): made
/// under $TMPDIR with a unique name, so parallel CTest runs never share one, and removed when
/// it goes away unless a test failed, so a failure leaves its files to look at.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace seam::e2e {

class ScratchDir {
public:
    /// `tag` names the directory (`$TMPDIR/seam-<tag>-XXXXXX`); `ok()` is false when none
    /// could be made.
    explicit ScratchDir(const std::string& tag) {
        std::string tmpl =
            (std::filesystem::temp_directory_path() / ("seam-" + tag + "-XXXXXX")).string();
        std::vector<char> buf(tmpl.begin(), tmpl.end());
        buf.push_back('\0');
        if (mkdtemp(buf.data())) m_dir = buf.data();
    }
    ScratchDir() = default; ///< no directory: `ok()` is false
    ScratchDir(ScratchDir&& other) noexcept
        : m_dir(std::exchange(other.m_dir, {})), m_keep(other.m_keep) {}
    ScratchDir& operator=(ScratchDir&& other) noexcept {
        if (this != &other) {
            remove();
            m_dir = std::exchange(other.m_dir, {});
            m_keep = other.m_keep;
        }
        return *this;
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    ~ScratchDir() { remove(); }

    bool ok() const { return !m_dir.empty(); }
    const std::string& dir() const { return m_dir; }
    std::string path(const std::string& file) const { return m_dir + "/" + file; }
    /// Keeps the directory even when every test passed (a run that wants to look at it).
    void keep() { m_keep = true; }

private:
    void remove() {
        if (m_dir.empty() || m_keep || ::testing::Test::HasFailure()) return;
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
        m_dir.clear();
    }

    std::string m_dir;
    bool m_keep = false;
};

} // namespace seam::e2e
