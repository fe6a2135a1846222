#pragma once
/// The `seam` command tree of the plugin. Each command is one file that defines its CommandSpec;
/// register_commands adds them all, each behind the one guard against exceptions.
#include <lldb/API/SBCommandInterpreter.h>
#include <lldb/API/SBCommandReturnObject.h>
#include <lldb/API/SBDebugger.h>

#include <optional>
#include <string>
#include <vector>

#include "formatters/core/result.h"

namespace CLI {
class App;
}

namespace seam::plugin {

/// What a subcommand does: its output for these arguments, or an error.
using CommandRun = Result<std::string> (*)(::lldb::SBDebugger& debugger,
                                           const std::vector<std::string>& args);

/// One `seam` subcommand.
struct CommandSpec {
    const char* name;
    const char* help; ///< LLDB's one-line help
    const char* syntax;
    CommandRun run;
};

/// Defined by the command's own file (print_command.cpp, bt_command.cpp, ...).
extern const CommandSpec k_print_command;
extern const CommandSpec k_bt_command;
extern const CommandSpec k_panic_command;
extern const CommandSpec k_report_command;
extern const CommandSpec k_own_command;
extern const CommandSpec k_version_command;
extern const CommandSpec k_recipe_command;
extern const CommandSpec k_help_command;

/// A subcommand as LLDB calls it: turns `run`'s result into LLDB's and keeps every exception on
/// this side of the SB API callback. LLDB owns the instance (it wraps it in a shared_ptr), so
/// every registration needs its own.
class GuardedCommand final : public ::lldb::SBCommandPluginInterface {
public:
    explicit GuardedCommand(CommandRun run) : m_run(run) {}
    bool DoExecute(::lldb::SBDebugger debugger, char** command,
                   ::lldb::SBCommandReturnObject& result) override;

private:
    CommandRun m_run;
};

/// Adds `seam` and its subcommands to the debugger's interpreter.
bool register_commands(::lldb::SBDebugger debugger);

/// Reads `args` into the options of `app` (CLI11 reports by throwing; nothing escapes here):
/// the help text when the user asked for it, none when the options were read, or the parse
/// error followed by `usage: <syntax>`.
Result<std::optional<std::string>>
parse_options(CLI::App& app, const std::vector<std::string>& args, const char* syntax);

/// LLDB's null-terminated argument array as strings.
std::vector<std::string> command_args(char** command);

/// Ends a command with `text` as its output.
void succeed(::lldb::SBCommandReturnObject& result, const std::string& text);
/// Ends a command with `message` in its error stream.
void fail(::lldb::SBCommandReturnObject& result, const std::string& message);

} // namespace seam::plugin
