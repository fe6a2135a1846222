#include <fmt/format.h>

#include "plugin/commands/commands.h"

namespace seam::plugin {

namespace {

class VersionCommand final : public GuardedCommand {
protected:
    Result<std::string> run(::lldb::SBDebugger&, const std::vector<std::string>& args) override {
        if (!args.empty()) return err("'seam version' takes no arguments");
        // GetVersionString may span lines (clang and llvm revisions); the first names lldb.
        std::string lldb = ::lldb::SBDebugger::GetVersionString();
        if (auto nl = lldb.find('\n'); nl != std::string::npos) lldb.resize(nl);
        return fmt::format("seam {} (LLDB {})\n", SEAM_VERSION, lldb);
    }
};

} // namespace

::lldb::SBCommandPluginInterface* make_version_command() {
    return new VersionCommand;
}

} // namespace seam::plugin
