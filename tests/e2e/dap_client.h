#pragma once
/// A small Debug Adapter Protocol client for tests: spawns an adapter (lldb-dap), speaks DAP
/// over its stdin/stdout (Content-Length framing, JSON bodies), matches responses to requests
/// by `request_seq` and queues events. Every wait has a deadline, so a hung adapter fails the
/// test instead of hanging CI.
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <sys/types.h>
#include <vector>

#include <nlohmann/json.hpp>

#include "formatters/core/result.h"

namespace seam::e2e {

class DapClient {
public:
    using Json = nlohmann::json;
    using Millis = std::chrono::milliseconds;

    /// Starts `argv[0]` with `argv[1..]`; the adapter's stderr goes to `stderr_path`.
    static Result<std::unique_ptr<DapClient>> spawn(const std::vector<std::string>& argv,
                                                    const std::string& stderr_path);
    /// Kills the adapter (and, with it, the debuggee it launched) if still running.
    ~DapClient();
    DapClient(const DapClient&) = delete;
    DapClient& operator=(const DapClient&) = delete;

    /// Sends a request; returns its seq.
    Result<int> send(const std::string& command, const Json& arguments);
    /// The response to request `seq`, whatever its `success`.
    Result<Json> response(int seq, Millis timeout);
    /// send + response; a response with `success: false` is an error carrying its message.
    Result<Json> request(const std::string& command, const Json& arguments, Millis timeout);
    /// The first queued or arriving event named `event` (removed from the queue).
    Result<Json> wait_event(const std::string& event, Millis timeout);
    /// The first queued or arriving event named any of `events`.
    Result<Json> wait_event(const std::vector<std::string>& events, Millis timeout);
    /// The text of every `output` event received so far, in order.
    const std::string& output() const { return m_output; }

    /// Ends the adapter: EOF on its stdin (lldb-dap then kills its debuggee and exits), a wait of
    /// up to `timeout`, then SIGKILL to its process group. lldb-dap 19 neither answers
    /// `terminate` (it has no such handler and never replies) nor survives `disconnect` (it
    /// aborts, even without a plugin), so neither is sent. Returns how it ended ("exit 0",
    /// "signal 6", "killed") for the caller to report, not to judge.
    std::string shutdown(Millis timeout);

private:
    DapClient(pid_t pid, int to_adapter, int from_adapter)
        : m_pid(pid), m_in(to_adapter), m_out(from_adapter) {}
    /// Reads and dispatches messages until one is available or the deadline passes.
    Status pump(std::chrono::steady_clock::time_point deadline);
    bool take_message(Json& out);
    void dispatch(Json message);
    std::string wait_exit(Millis timeout);

    pid_t m_pid = -1;
    int m_in = -1;
    int m_out = -1;
    int m_next_seq = 1;
    std::string m_buffer;
    std::deque<Json> m_responses;
    std::deque<Json> m_events;
    std::string m_output;
    std::string m_ended; ///< set once the adapter has been reaped
};

} // namespace seam::e2e
