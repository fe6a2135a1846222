#include <fmt/format.h>

#include "plugin/commands/commands.h"

namespace seam::plugin {

namespace {

class VersionCommand final : public ::lldb::SBCommandPluginInterface {
public:
    bool DoExecute(::lldb::SBDebugger debugger, char** command,
                   ::lldb::SBCommandReturnObject& result) override {
        try {
            if (!command_args(command).empty()) {
                fail(result, "'seam version' takes no arguments");
                return false;
            }
            // GetVersionString may span lines (clang and llvm revisions); the first names lldb.
            std::string lldb = ::lldb::SBDebugger::GetVersionString();
            if (auto nl = lldb.find('\n'); nl != std::string::npos) lldb.resize(nl);
            succeed(result, fmt::format("seam {} (LLDB {})\n", SEAM_VERSION, lldb));
            return true;
        } catch (const std::exception& e) {
            fail(result, std::string("internal error: ") + e.what());
        } catch (...) {
            fail(result, "internal error: unknown exception");
        }
        return false;
    }
};

} // namespace

::lldb::SBCommandPluginInterface* make_version_command() {
    return new VersionCommand;
}

} // namespace seam::plugin
