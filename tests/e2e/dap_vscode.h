#pragma once
/// A debug session driven the way VS Code drives lldb-dap (tests/e2e/dap_test.cpp): the same
/// requests, the launch and attach configurations docs/vscode.md gives, seam loaded by
/// `initCommands`. Every wait is bounded.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "formatters/core/result.h"
#include "tests/e2e/dap_client.h"

namespace seam::e2e {

class VsCode {
public:
    using Json = nlohmann::json;

    ~VsCode();

    /// Starts lldb-dap and sends `initialize` as VS Code does.
    Status initialize(const std::string& dir);

    /// The launch configuration of docs/vscode.md, as VS Code sends it, with a function
    /// breakpoint on seam_probe (the probe protocol, tests/fixtures/README.md).
    Status launch(const std::string& fixture);

    /// An attach configuration of docs/vscode.md (`pid`, or `program` + `coreFile`).
    Status attach(Json config);

    /// VS Code's pause button.
    Status pause();

    /// Waits for any stop; its thread becomes the one stackTrace asks about.
    Result<Json> stopped(std::chrono::milliseconds timeout = std::chrono::seconds(120));

    /// Waits for the next stop; true at a probe (thread id kept), false when the program ended.
    Result<bool> next_stop();

    Status resume();

    Result<Json> frames();

    /// The Variables view's "Locals" scope of frame `frame_id`, by name.
    Result<std::map<std::string, Json>> locals(int frame_id);

    /// Expanding a value: its children, all of them or `count` from `start` (VS Code's paging).
    Result<Json> variables(int64_t ref, int start, int count);

    /// What typing `` `COMMAND`` in VS Code's debug console prints (lldb-dap echoes the command
    /// on the first line; the rest is the command's output).
    Result<std::string> console(const std::string& command, int frame_id);

    /// The hover / watch value of an expression.
    Result<Json> evaluate(const std::string& expression, const std::string& context, int frame_id);

    const std::string& expect_path() const { return m_expect; }

    /// `initCommands`: the one line docs/vscode.md gives, with this build's plugin.
    static Json init_commands();

    const std::string& output() const { return m_dap->output(); }

private:
    std::unique_ptr<DapClient> m_dap;
    std::string m_expect;
    int64_t m_thread = 0;
};

/// A fresh directory under the system temporary directory ("" on failure).
std::string make_temp_dir();

/// The items of a Debug list `[a, b, "c, d"]`, split at top-level commas.
std::vector<std::string> debug_items(const std::string& debug);

} // namespace seam::e2e
