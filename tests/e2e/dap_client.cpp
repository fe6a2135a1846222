#include "tests/e2e/dap_client.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <fmt/ranges.h>

extern char** environ;

namespace seam::e2e {
namespace {

using Clock = std::chrono::steady_clock;

// A socket pair rather than pipes: send(MSG_NOSIGNAL) to an adapter that died fails with EPIPE
// instead of killing the test program with SIGPIPE, without touching process-wide signal state.
Status write_all(int fd, const std::string& bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return err("writing to the adapter: {}", std::strerror(errno));
        done += static_cast<size_t>(n);
    }
    return ok_status();
}

int remaining_ms(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

std::string describe_status(int status) {
    if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
    return "status " + std::to_string(status);
}

} // namespace

Result<std::unique_ptr<DapClient>> DapClient::spawn(const std::vector<std::string>& argv,
                                                    const std::string& stderr_path) {
    if (argv.empty()) return err("no adapter to start");
    int in_pair[2], out_pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_pair) != 0)
        return err("socketpair: {}", std::strerror(errno));
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, out_pair) != 0) {
        ::close(in_pair[0]);
        ::close(in_pair[1]);
        return err("socketpair: {}", std::strerror(errno));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_pair[1], 0);
    posix_spawn_file_actions_adddup2(&actions, out_pair[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    // Its own process group: shutdown() can then kill the adapter and the lldb-server it started.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);

    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, argv[0].c_str(), &actions, &attr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(in_pair[1]);
    ::close(out_pair[1]);
    if (rc != 0) {
        ::close(in_pair[0]);
        ::close(out_pair[0]);
        return err("cannot start {}: {}", argv[0], std::strerror(rc));
    }
    return std::unique_ptr<DapClient>(new DapClient(pid, in_pair[0], out_pair[0]));
}

DapClient::~DapClient() {
    if (m_ended.empty()) {
        ::kill(-m_pid, SIGKILL);
        wait_exit(Millis(5000));
    }
    if (m_in >= 0) ::close(m_in);
    if (m_out >= 0) ::close(m_out);
}

Result<int> DapClient::send(const std::string& command, const Json& arguments) {
    int seq = m_next_seq++;
    Json message = {{"seq", seq}, {"type", "request"}, {"command", command}};
    if (!arguments.is_null()) message["arguments"] = arguments;
    std::string body = message.dump();
    SEAM_TRY(write_all(m_in, "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body));
    return seq;
}

Result<DapClient::Json> DapClient::response(int seq, Millis timeout) {
    auto deadline = Clock::now() + timeout;
    for (;;) {
        for (auto it = m_responses.begin(); it != m_responses.end(); ++it) {
            if (it->value("request_seq", -1) != seq) continue;
            Json found = std::move(*it);
            m_responses.erase(it);
            return found;
        }
        auto pumped = pump(deadline);
        if (!pumped) return err("no response to request {}: {}", seq, pumped.error().message);
    }
}

Result<DapClient::Json> DapClient::request(const std::string& command, const Json& arguments,
                                           Millis timeout) {
    auto seq = send(command, arguments);
    if (!seq) return seq.error();
    auto resp = response(*seq, timeout);
    if (!resp) return err("{}: {}", command, resp.error().message);
    if (!resp->value("success", false))
        return err("{} failed: {}", command, resp->value("message", resp->dump()));
    return resp;
}

Result<DapClient::Json> DapClient::wait_event(const std::string& event, Millis timeout) {
    return wait_event(std::vector<std::string>{event}, timeout);
}

Result<DapClient::Json> DapClient::wait_event(const std::vector<std::string>& events,
                                              Millis timeout) {
    auto deadline = Clock::now() + timeout;
    std::string event = fmt::format("{}", fmt::join(events, "' or '"));
    for (;;) {
        for (auto it = m_events.begin(); it != m_events.end(); ++it) {
            if (std::find(events.begin(), events.end(), it->value("event", "")) == events.end())
                continue;
            Json found = std::move(*it);
            m_events.erase(it);
            return found;
        }
        auto pumped = pump(deadline);
        if (!pumped) return err("no '{}' event: {}", event, pumped.error().message);
    }
}

Status DapClient::pump(Clock::time_point deadline) {
    for (;;) {
        Json message;
        if (take_message(message)) {
            dispatch(std::move(message));
            return ok_status();
        }
        int wait = remaining_ms(deadline);
        if (wait == 0) return err("timed out");
        pollfd p{m_out, POLLIN, 0};
        int n = ::poll(&p, 1, wait);
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) return err("timed out");
        if (n < 0) return err("poll: {}", std::strerror(errno));
        char chunk[65536];
        ssize_t got = ::read(m_out, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return err("the adapter closed its output");
        m_buffer.append(chunk, static_cast<size_t>(got));
    }
}

// One framed message off the front of the buffer: headers, a blank line, Content-Length bytes.
bool DapClient::take_message(Json& out) {
    size_t header_end = m_buffer.find("\r\n\r\n");
    if (header_end == std::string::npos) return false;
    size_t length = std::string::npos;
    std::string_view headers(m_buffer.data(), header_end);
    size_t pos = headers.find("Content-Length:");
    if (pos != std::string_view::npos)
        length = std::strtoul(m_buffer.c_str() + pos + std::strlen("Content-Length:"), nullptr, 10);
    if (length == std::string::npos) {
        // Not DAP framing (a stray line on stdout): drop it rather than stall.
        m_buffer.erase(0, header_end + 4);
        return false;
    }
    if (m_buffer.size() < header_end + 4 + length) return false;
    out = Json::parse(m_buffer.substr(header_end + 4, length), nullptr, false);
    m_buffer.erase(0, header_end + 4 + length);
    return true;
}

void DapClient::dispatch(Json message) {
    if (message.is_discarded()) return;
    const std::string type = message.value("type", "");
    if (type == "response") {
        m_responses.push_back(std::move(message));
    } else if (type == "event") {
        if (message.value("event", "") == "output" && message.contains("body"))
            m_output += message["body"].value("output", "");
        m_events.push_back(std::move(message));
    } else if (type == "request") {
        // Reverse requests (runInTerminal, startDebugging): this client supports none; saying
        // so keeps the adapter from waiting on us.
        Json reply = {{"seq", m_next_seq++},
                      {"type", "response"},
                      {"request_seq", message.value("seq", 0)},
                      {"command", message.value("command", "")},
                      {"success", false},
                      {"message", "not supported by the test client"}};
        std::string body = reply.dump();
        (void)write_all(m_in, "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    }
}

std::string DapClient::shutdown(Millis timeout) {
    if (!m_ended.empty()) return m_ended;
    auto deadline = Clock::now() + timeout;
    ::shutdown(m_in, SHUT_WR);
    std::string how = wait_exit(Millis(remaining_ms(deadline)));
    // Whatever the adapter left behind in its group (lldb-server) goes too.
    ::kill(-m_pid, SIGKILL);
    if (how.empty()) {
        wait_exit(Millis(5000));
        how = "killed";
    }
    m_ended = how;
    return how;
}

std::string DapClient::wait_exit(Millis timeout) {
    auto deadline = Clock::now() + timeout;
    for (;;) {
        int status = 0;
        pid_t r = ::waitpid(m_pid, &status, WNOHANG);
        if (r == m_pid) {
            m_ended = describe_status(status);
            return m_ended;
        }
        if (r < 0) {
            m_ended = "gone";
            return m_ended;
        }
        if (remaining_ms(deadline) == 0) return "";
        std::this_thread::sleep_for(Millis(20));
    }
}

} // namespace seam::e2e
