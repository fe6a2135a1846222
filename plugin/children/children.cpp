#include "plugin/children/children.h"

#include <lldb/API/SBCommandInterpreter.h>
#include <lldb/API/SBCommandReturnObject.h>
#include <lldb/API/SBTypeNameSpecifier.h>
#include <lldb/API/SBTypeSynthetic.h>

#include <dlfcn.h>

#include <atomic>
#include <cstdio>
#include <string>

namespace seam::plugin {

namespace {

constexpr const char* k_provider = "seam_children.SeamChildren";
constexpr const char* k_enum_recognizer = "seam_children.is_rust_enum";

// The plugin's own file, found from the address of one of its functions: the Python half
// lies beside it (CMake copies it there, and installs it there).
std::string own_path() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&register_children), &info) == 0 || !info.dli_fname)
        return {};
    return info.dli_fname;
}

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

bool run(::lldb::SBDebugger& debugger, const std::string& command, std::string& error) {
    ::lldb::SBCommandReturnObject result;
    debugger.GetCommandInterpreter().HandleCommand(command.c_str(), result, false);
    if (result.Succeeded()) return true;
    error = result.GetError() ? result.GetError() : "failed";
    return false;
}

// Said once per process, however many debuggers load the plugin.
void say_once(::lldb::SBDebugger& debugger, const std::string& why) {
    static std::atomic<bool> said{false};
    if (said.exchange(true)) return;
    FILE* out = debugger.GetErrorFileHandle();
    std::fprintf(out ? out : stderr,
                 "seam: no synthetic children (%s); summaries and `seam print` still work\n",
                 why.c_str());
}

} // namespace

bool register_children(::lldb::SBDebugger debugger, ::lldb::SBTypeCategory category,
                       const char* const* regexes, size_t count,
                       ::lldb::SBTypeSummary enum_summary) {
    if (debugger.GetScriptingLanguage("python") == ::lldb::eScriptLanguageNone) {
        say_once(debugger, "this lldb has no Python");
        return false;
    }
    std::string lib = own_path();
    auto slash = lib.rfind('/');
    if (slash == std::string::npos) {
        say_once(debugger, "cannot find libseam.so's own path");
        return false;
    }
    std::string script = lib.substr(0, slash) + "/seam_children.py";
    std::string error;
    if (!run(debugger, "command script import " + quoted(script), error) ||
        !run(debugger, "script seam_children.bind(" + quoted(lib) + ")", error)) {
        say_once(debugger, script + ": " + error);
        return false;
    }
    ::lldb::SBTypeSynthetic provider =
        ::lldb::SBTypeSynthetic::CreateWithClassName(k_provider, ::lldb::eTypeOptionCascade);
    bool ok = true;
    for (size_t i = 0; i < count; ++i)
        ok &= category.AddTypeSynthetic(::lldb::SBTypeNameSpecifier(regexes[i], true), provider);
    ::lldb::SBTypeNameSpecifier enums(k_enum_recognizer, ::lldb::eFormatterMatchCallback);
    ok &= category.AddTypeSynthetic(enums, provider);
    ok &= category.AddTypeSummary(enums, enum_summary);
    return ok;
}

} // namespace seam::plugin
