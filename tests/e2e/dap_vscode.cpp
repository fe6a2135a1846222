#include "tests/e2e/dap_vscode.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <unistd.h>
#include <vector>

namespace seam::e2e {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

// Launching loads the plugin and indexes the fixture's DWARF: generous, but bounded.
constexpr seconds k_request_timeout{60};
constexpr seconds k_stop_timeout{120};

// LLDB 18 and later install `lldb-dap` (19 and 22 on Debian); before 18 it was `lldb-vscode`.
std::string adapter_path() {
    for (const char* name : {"lldb-dap", "lldb-vscode"}) {
        std::string path = std::string(SEAM_E2E_LLDB_BIN) + "/" + name;
        if (::access(path.c_str(), X_OK) == 0) return path;
    }
    return "";
}

// The launch or attach response, collected after configurationDone as VS Code does: lldb-dap 19
// answers at once, lldb-dap 22 only once configuration is done (the DAP lets an adapter defer
// it), so a client that waits for it before configuring deadlocks against LLDB 22.
Status started(DapClient& dap, const std::string& command, int seq) {
    auto resp = dap.response(seq, k_request_timeout);
    if (!resp) return err("{}: {}", command, resp.error().message);
    if (!resp->value("success", false))
        return err("{} failed: {}", command, resp->value("message", resp->dump()));
    return ok_status();
}

} // namespace

VsCode::Json VsCode::init_commands() {
    return {std::string("plugin load ") + SEAM_E2E_PLUGIN};
}

VsCode::~VsCode() {
    if (m_dap) std::cout << "[ seam     ] lldb-dap ended: " << m_dap->shutdown(seconds(10)) << "\n";
}

Status VsCode::initialize(const std::string& dir) {
    std::string adapter = adapter_path();
    if (adapter.empty()) return err("no lldb-dap in {}", SEAM_E2E_LLDB_BIN);
    // lldb-dap is not instrumented: a sanitizer build's plugin needs the runtime loaded first.
    std::vector<std::string> argv = {adapter};
    if (*SEAM_E2E_SANITIZER_RUNTIME)
        argv = {SEAM_E2E_DYNAMIC_LOADER, "--preload", SEAM_E2E_SANITIZER_RUNTIME, adapter};
    auto dap = DapClient::spawn(argv, dir + "/lldb-dap.stderr");
    if (!dap) return dap.error();
    m_dap = std::move(*dap);
    m_expect = dir + "/expect";
    auto caps = m_dap->request("initialize",
                               {{"clientID", "vscode"},
                                {"adapterID", "lldb-dap"},
                                {"pathFormat", "path"},
                                {"linesStartAt1", true},
                                {"columnsStartAt1", true},
                                {"supportsVariableType", true},
                                {"supportsVariablePaging", true}},
                               k_request_timeout);
    if (!caps) return caps.error();
    return ok_status();
}

Status VsCode::launch(const std::string& fixture) {
    Json launch = {{"name", "seam test"},
                   {"type", "lldb-dap"},
                   {"request", "launch"},
                   {"program", std::string(SEAM_E2E_FIXTURE_DIR) + "/" + fixture},
                   {"initCommands", init_commands()},
                   {"env", {"SEAM_EXPECT=" + m_expect}}};
    auto seq = m_dap->send("launch", launch);
    if (!seq) return seq.error();
    SEAM_TRY(m_dap->wait_event("initialized", k_request_timeout));
    auto bps = m_dap->request("setFunctionBreakpoints",
                              {{"breakpoints", {{{"name", "seam_probe"}}}}}, k_request_timeout);
    if (!bps) return bps.error();
    const Json& list = (*bps)["body"]["breakpoints"];
    if (list.size() != 1 || !list[0].value("verified", false))
        return err("seam_probe breakpoint not verified: {}", list.dump());
    SEAM_TRY(m_dap->request("configurationDone", Json::object(), k_request_timeout));
    return started(*m_dap, "launch", *seq);
}

Status VsCode::attach(Json config) {
    config["name"] = "seam test";
    config["type"] = "lldb-dap";
    config["request"] = "attach";
    config["initCommands"] = init_commands();
    auto seq = m_dap->send("attach", config);
    if (!seq) return seq.error();
    SEAM_TRY(m_dap->wait_event("initialized", k_request_timeout));
    SEAM_TRY(m_dap->request("configurationDone", Json::object(), k_request_timeout));
    return started(*m_dap, "attach", *seq);
}

Status VsCode::pause() {
    SEAM_TRY(m_dap->request("pause", {{"threadId", 0}}, k_request_timeout));
    return ok_status();
}

Result<VsCode::Json> VsCode::stopped(std::chrono::milliseconds timeout) {
    auto ev = m_dap->wait_event("stopped", timeout);
    if (!ev) return ev.error();
    m_thread = (*ev)["body"].value("threadId", int64_t{0});
    return (*ev)["body"];
}

Result<bool> VsCode::next_stop() {
    auto ev = m_dap->wait_event(std::vector<std::string>{"stopped", "exited", "terminated"},
                                k_stop_timeout);
    if (!ev) return ev.error();
    if ((*ev)["event"] != "stopped") return false;
    m_thread = (*ev)["body"].value("threadId", 0);
    if ((*ev)["body"].value("reason", "") != "breakpoint")
        return err("stopped for {}", (*ev)["body"].dump());
    return true;
}

Status VsCode::resume() {
    SEAM_TRY(m_dap->request("continue", {{"threadId", m_thread}}, k_request_timeout));
    return ok_status();
}

Result<VsCode::Json> VsCode::frames() {
    auto st =
        m_dap->request("stackTrace", {{"threadId", m_thread}, {"startFrame", 0}, {"levels", 20}},
                       k_request_timeout);
    if (!st) return st.error();
    return (*st)["body"]["stackFrames"];
}

Result<std::map<std::string, VsCode::Json>> VsCode::locals(int frame_id) {
    auto scopes = m_dap->request("scopes", {{"frameId", frame_id}}, k_request_timeout);
    if (!scopes) return scopes.error();
    for (const Json& s : (*scopes)["body"]["scopes"]) {
        if (s.value("name", "") != "Locals") continue;
        auto vars = variables(s["variablesReference"].get<int64_t>(), -1, -1);
        if (!vars) return vars.error();
        std::map<std::string, Json> by_name;
        for (const Json& v : *vars) by_name[v["name"].get<std::string>()] = v;
        return by_name;
    }
    return err("no Locals scope: {}", scopes->dump());
}

Result<VsCode::Json> VsCode::variables(int64_t ref, int start, int count) {
    Json args = {{"variablesReference", ref}};
    if (start >= 0) args["start"] = start;
    if (count >= 0) args["count"] = count;
    auto vars = m_dap->request("variables", args, k_request_timeout);
    if (!vars) return vars.error();
    return (*vars)["body"]["variables"];
}

Result<std::string> VsCode::console(const std::string& command, int frame_id) {
    auto r = m_dap->request(
        "evaluate", {{"expression", "`" + command}, {"context", "repl"}, {"frameId", frame_id}},
        k_request_timeout);
    if (!r) return r.error();
    std::string text = (*r)["body"].value("result", "");
    // lldb-dap 19 echoes the command before its output; lldb-dap 22 returns the output alone.
    const std::string echo = "(lldb) " + command + "\n";
    if (text.rfind(echo, 0) == 0) return text.substr(echo.size());
    return text;
}

Result<VsCode::Json> VsCode::evaluate(const std::string& expression, const std::string& context,
                                      int frame_id) {
    auto r = m_dap->request(
        "evaluate", {{"expression", expression}, {"context", context}, {"frameId", frame_id}},
        k_request_timeout);
    if (!r) return r.error();
    return (*r)["body"];
}

std::string make_temp_dir() {
    std::string tmpl = (fs::temp_directory_path() / "seam-dap-XXXXXX").string();
    return mkdtemp(tmpl.data()) ? tmpl : "";
}

std::vector<std::string> debug_items(const std::string& debug) {
    std::vector<std::string> items;
    if (debug.size() < 2) return items;
    std::string inner = debug.substr(1, debug.size() - 2), cur;
    int depth = 0;
    char quote = 0;
    for (size_t i = 0; i < inner.size(); ++i) {
        char c = inner[i];
        cur += c;
        if (quote) {
            if (c == '\\' && i + 1 < inner.size())
                cur += inner[++i];
            else if (c == quote)
                quote = 0;
            continue;
        }
        if (c == '"' || c == '\'')
            quote = c;
        else if (c == '[' || c == '(' || c == '{')
            ++depth;
        else if (c == ']' || c == ')' || c == '}')
            --depth;
        else if (c == ',' && depth == 0) {
            cur.pop_back();
            items.push_back(cur);
            cur.clear();
            if (i + 1 < inner.size() && inner[i + 1] == ' ') ++i;
        }
    }
    if (!cur.empty()) items.push_back(cur);
    return items;
}

} // namespace seam::e2e
