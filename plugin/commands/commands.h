#pragma once
/// The `seam` command tree of the plugin. Each command is one file exposing a factory; LLDB
/// owns what the factories return (it wraps each in a shared_ptr), so every registration
/// needs its own instance.
#include <lldb/API/SBCommandInterpreter.h>
#include <lldb/API/SBCommandReturnObject.h>
#include <lldb/API/SBDebugger.h>

#include <string>
#include <vector>

#include "formatters/core/result.h"

namespace seam::plugin {

::lldb::SBCommandPluginInterface* make_print_command();
::lldb::SBCommandPluginInterface* make_version_command();
::lldb::SBCommandPluginInterface* make_help_command();

/// A seam subcommand. `run` gives the command's output or an error; the base class turns it into
/// LLDB's result and keeps every exception on this side of the SB API callback.
class GuardedCommand : public ::lldb::SBCommandPluginInterface {
public:
    bool DoExecute(::lldb::SBDebugger debugger, char** command,
                   ::lldb::SBCommandReturnObject& result) final;

protected:
    virtual Result<std::string> run(::lldb::SBDebugger& debugger,
                                    const std::vector<std::string>& args) = 0;
};

/// Adds `seam` and its subcommands to the debugger's interpreter.
bool register_commands(::lldb::SBDebugger debugger);

/// LLDB's null-terminated argument array as strings.
std::vector<std::string> command_args(char** command);

/// Ends a command with `text` as its output.
void succeed(::lldb::SBCommandReturnObject& result, const std::string& text);
/// Ends a command with `message` in its error stream.
void fail(::lldb::SBCommandReturnObject& result, const std::string& message);

/// The usage text of every seam subcommand, for `seam help`.
extern const char* const k_print_syntax;
extern const char* const k_print_help;

} // namespace seam::plugin
