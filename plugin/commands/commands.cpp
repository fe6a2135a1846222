#include "plugin/commands/commands.h"

#include <CLI/CLI.hpp>

namespace seam::plugin {

std::vector<std::string> command_args(char** command) {
    std::vector<std::string> out;
    for (char** p = command; p && *p; ++p) out.emplace_back(*p);
    return out;
}

Result<std::optional<std::string>>
parse_options(CLI::App& app, const std::vector<std::string>& args, const char* syntax) {
    // CLI11 takes a vector in reverse order (it pops arguments from the back).
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    try {
        app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        return std::optional<std::string>(app.help());
    } catch (const CLI::ParseError& e) {
        return err("{}\nusage: {}", e.what(), syntax);
    }
    return std::optional<std::string>();
}

void succeed(::lldb::SBCommandReturnObject& result, const std::string& text) {
    // PutCString with an explicit length: the text may hold '%' and NUL-free bytes only.
    result.PutCString(text.c_str(), int(text.size()));
    result.SetStatus(::lldb::eReturnStatusSuccessFinishResult);
}

void fail(::lldb::SBCommandReturnObject& result, const std::string& message) {
    result.SetError(message.c_str());
    result.SetStatus(::lldb::eReturnStatusFailed);
}

bool GuardedCommand::DoExecute(::lldb::SBDebugger debugger, char** command,
                               ::lldb::SBCommandReturnObject& result) {
    try {
        auto text = m_run(debugger, command_args(command));
        if (!text) {
            fail(result, text.error().message);
            return false;
        }
        succeed(result, *text);
        return true;
    } catch (const std::exception& e) {
        fail(result, std::string("internal error: ") + e.what());
    } catch (...) {
        fail(result, "internal error: unknown exception");
    }
    return false;
}

bool register_commands(::lldb::SBDebugger debugger) {
    ::lldb::SBCommandInterpreter interp = debugger.GetCommandInterpreter();
    ::lldb::SBCommand seam = interp.AddMultiwordCommand(
        "seam", "Rust and C values, backtraces and ownership, read from the DWARF.");
    if (!seam.IsValid()) return false;
    for (const CommandSpec* spec :
         {&k_print_command, &k_bt_command, &k_panic_command, &k_report_command, &k_own_command,
          &k_recipe_command, &k_version_command, &k_help_command})
        seam.AddCommand(spec->name, new GuardedCommand(spec->run), spec->help, spec->syntax);
    seam.AddCommand("p", new GuardedCommand(k_print_command.run), "Same as 'seam print'.",
                    k_print_command.syntax);
    return true;
}

} // namespace seam::plugin
