#pragma once
/// Where seam-report writes its answer: standard output, or the file `--output` names. The file
/// is opened before any input is read, so that a path that cannot be written is a usage error,
/// not a batch's worth of work lost at the end; nothing is written anywhere else.
#include <fstream>
#include <iostream>
#include <string>

namespace seam::cli {

class Output {
public:
    /// `who` prefixes the messages (`seam-report`, `seam-report group`).
    explicit Output(std::string who) : m_who(std::move(who)) {}
    /// Opens `path` ("" = standard output); false, said on stderr, when it cannot be written.
    bool open(const std::string& path) {
        m_path = path;
        if (path.empty()) return true;
        m_file.open(path, std::ios::binary | std::ios::trunc);
        if (!m_file) std::cerr << m_who << ": cannot write " << path << "\n";
        return bool(m_file);
    }
    std::ostream& stream() { return m_path.empty() ? std::cout : m_file; }
    /// Flushes; false, said on stderr, when some of it could not be written (a full disk).
    bool finish() {
        stream().flush();
        if (stream()) return true;
        std::cerr << m_who << ": cannot write " << (m_path.empty() ? "standard output" : m_path)
                  << "\n";
        return false;
    }

private:
    std::string m_who, m_path;
    std::ofstream m_file;
};

} // namespace seam::cli
