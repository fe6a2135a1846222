#include "tests/e2e/panic_oracle.h"

#include <fstream>
#include <regex>
#include <sstream>

namespace seam::e2e {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<PanicBlock> panic_blocks(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    // A message ends where std prints what follows it: the backtrace note, a backtrace, the
    // abort notice of a non-unwinding panic, or the next panic.
    auto ends_message = [](const std::string& l) {
        return l.starts_with("note: run with `RUST_BACKTRACE") || l == "stack backtrace:" ||
               l.starts_with("thread caused non-unwinding panic") || l.starts_with("thread '");
    };
    // Before Rust 1.73 std's hook quoted the message before the location, on the same line:
    // `thread 'main' panicked at 'MESSAGE', FILE:LINE:COL` (a multi-line message ends on the line
    // that ends with `', FILE:LINE:COL`; `.` stops at a newline, `[\s\S]` does not).
    static const std::regex k_quoted_end("^([\\s\\S]*)', ([^\n]+:[0-9]+:[0-9]+)$");
    std::vector<PanicBlock> out;
    for (size_t i = 0; i < lines.size(); ++i) {
        const std::string& l = lines[i];
        auto at = l.find(" panicked at ");
        if (!l.starts_with("thread '") || at == std::string::npos) continue;
        if (l.compare(at + 13, 1, "'") == 0 && !l.ends_with(":")) {
            std::string text = l.substr(at + 14);
            std::smatch m;
            size_t j = i;
            while (!std::regex_match(text, m, k_quoted_end) && j + 1 < lines.size())
                text += "\n" + lines[++j];
            if (!std::regex_match(text, m, k_quoted_end)) continue;
            out.push_back({m[2].str(), m[1].str()});
            i = j;
            continue;
        }
        if (!l.ends_with(":")) continue;
        PanicBlock b;
        b.location = l.substr(at + 13, l.size() - at - 14);
        size_t j = i + 1;
        for (; j < lines.size() && !ends_message(lines[j]); ++j)
            b.message += (j > i + 1 ? "\n" : "") + lines[j];
        out.push_back(b);
        i = j - 1;
    }
    return out;
}

uint32_t marker_line(const std::string& source_path, const std::string& kind) {
    std::ifstream in(source_path);
    uint32_t n = 0;
    for (std::string l; std::getline(in, l);) {
        ++n;
        for (const std::string& m : {"// MARK:" + kind, "/* MARK:" + kind + " */"}) {
            auto at = l.find(m);
            if (at == std::string::npos) continue;
            size_t end = at + m.size();
            if (end == l.size() || l[end] == ' ') return n;
        }
    }
    return 0;
}

} // namespace seam::e2e
