#include "plugin/commands/commands.h"

namespace seam::plugin {

std::vector<std::string> command_args(char** command) {
    std::vector<std::string> out;
    for (char** p = command; p && *p; ++p) out.emplace_back(*p);
    return out;
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
        auto text = run(debugger, command_args(command));
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

// seam bt (bt_command.cpp)
::lldb::SBCommandPluginInterface* make_bt_command();
const char* bt_command_help();
const char* bt_command_syntax();

// seam report (report_command.cpp)
::lldb::SBCommandPluginInterface* make_report_command();
const char* report_command_help();
const char* report_command_syntax();

// seam panic (panic_command.cpp)
::lldb::SBCommandPluginInterface* make_panic_command();
const char* panic_command_help();
const char* panic_command_syntax();

bool register_commands(::lldb::SBDebugger debugger) {
    ::lldb::SBCommandInterpreter interp = debugger.GetCommandInterpreter();
    ::lldb::SBCommand seam = interp.AddMultiwordCommand(
        "seam", "Rust and C values, backtraces and ownership, read from the DWARF.");
    if (!seam.IsValid()) return false;
    seam.AddCommand("print", make_print_command(), k_print_help, k_print_syntax);
    seam.AddCommand("p", make_print_command(), "Same as 'seam print'.", k_print_syntax);
    seam.AddCommand("bt", make_bt_command(), bt_command_help(), bt_command_syntax());
    seam.AddCommand("report", make_report_command(), report_command_help(),
                    report_command_syntax());
    seam.AddCommand("panic", make_panic_command(), panic_command_help(), panic_command_syntax());
    seam.AddCommand("version", make_version_command(), "Shows the seam and LLDB versions.",
                    "seam version");
    seam.AddCommand("help", make_help_command(), "Lists the seam commands.", "seam help");
    return true;
}

} // namespace seam::plugin
