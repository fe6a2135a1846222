#include "tests/e2e/bt_skeleton.h"

#include <regex>
#include <sstream>

namespace seam::e2e {

std::vector<std::string> skeleton(const std::string& text) {
    static const std::regex frame(R"(^  #(\d+) +0x[0-9a-f]{16} (\S+) +(\S+) +(.*)$)");
    static const std::regex fold(
        R"(^  … \d+ runtime frames? folded \(seam bt --full shows them\)$)");
    static const std::regex seam_tag(R"( \[unwound by seam: [^\]]+\])");
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (std::regex_match(line, m, frame)) {
            std::string rest = m[4];
            std::string tags;
            for (const char* tag : {" [cold part]", " [inlined]", " [wrapper]"})
                if (rest.find(tag) != std::string::npos) tags += tag;
            std::smatch t;
            if (std::regex_search(rest, t, seam_tag)) tags += t[0].str();
            for (const char* cut :
                 {" (", " [cold part]", " [inlined]", " [wrapper]", " [unwound", " at "})
                if (auto at = rest.find(cut); at != std::string::npos) rest.resize(at);
            out.push_back("#" + m[1].str() + " " + m[2].str() + " " + m[3].str() + " " + rest +
                          tags);
        } else if (std::regex_match(line, fold)) {
            out.push_back("… runtime frames folded");
        } else if (line.starts_with("  ── ")) {
            out.push_back(line.substr(2));
        } else if (line.starts_with("  ! ")) {
            out.push_back("! note");
        } else {
            out.push_back(line.starts_with("thread #") ? "thread" : "? " + line);
        }
    }
    return out;
}

} // namespace seam::e2e
