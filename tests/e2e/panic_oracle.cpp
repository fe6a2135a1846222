#include "tests/e2e/panic_oracle.h"

#include <fstream>
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
    std::vector<PanicBlock> out;
    for (size_t i = 0; i < lines.size(); ++i) {
        const std::string& l = lines[i];
        auto at = l.find(" panicked at ");
        if (!l.starts_with("thread '") || at == std::string::npos || !l.ends_with(":")) continue;
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
