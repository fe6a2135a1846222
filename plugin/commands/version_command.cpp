#include <fmt/format.h>

#include "plugin/commands/commands.h"

namespace seam::plugin {

namespace {

Result<std::string> run_command(::lldb::SBDebugger&, const std::vector<std::string>& args) {
    if (!args.empty()) return err("'seam version' takes no arguments");
    // GetVersionString may span lines (clang and llvm revisions); the first names lldb.
    std::string lldb = ::lldb::SBDebugger::GetVersionString();
    if (auto nl = lldb.find('\n'); nl != std::string::npos) lldb.resize(nl);
    return fmt::format("seam {} (LLDB {})\n", SEAM_VERSION, lldb);
}

} // namespace

const CommandSpec k_version_command{"version", "Shows the seam and LLDB versions.", "seam version",
                                    run_command};

} // namespace seam::plugin
