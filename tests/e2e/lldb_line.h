#pragma once
/// What LLDB shows beside a value in `frame variable`: the first line of its output from the
/// summary on, the `{` that opens its children cut. Shared by the tests that assert seam's
/// summaries as LLDB (and so lldb-dap) shows them.
#include <string>

#include "tests/e2e/session.h"

namespace seam::e2e {

inline std::string frame_variable_line(Session& s, const std::string& expr) {
    std::string out = s.run("frame variable " + expr).output;
    auto eq = out.find(" = ");
    if (eq == std::string::npos) return "<not shown: " + out + ">";
    std::string line = out.substr(eq + 3, out.find('\n', eq) - eq - 3);
    if (line.ends_with(" {")) line.resize(line.size() - 2);
    return line;
}

} // namespace seam::e2e
