#include "cli/workers.h"

#include <lldb/API/SBDebugger.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <optional>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include <fmt/format.h>

namespace seam::cli {

namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

const std::string k_ready_line = "{\"ready\": true}\n";
// How long a worker may take to let a core go after handing its answer over. Past it the worker
// is killed and replaced: nothing is lost but its cache of executables.
constexpr auto k_release_limit = std::chrono::seconds(5);

bool write_all(int fd, const std::string& s) {
    size_t done = 0;
    while (done < s.size()) {
        ssize_t n = ::write(fd, s.data() + done, s.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += size_t(n);
    }
    return true;
}

// Reads whole lines from a pipe; false at the end of the stream.
class LineReader {
public:
    explicit LineReader(int fd) : m_fd(fd) {}
    std::optional<std::string> next() {
        for (;;) {
            if (auto nl = m_buf.find('\n'); nl != std::string::npos) {
                std::string line = m_buf.substr(0, nl);
                m_buf.erase(0, nl + 1);
                return line;
            }
            char chunk[65536];
            ssize_t n = ::read(m_fd, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return std::nullopt;
            m_buf.append(chunk, size_t(n));
        }
    }

private:
    int m_fd;
    std::string m_buf;
};

// The worker: `INDEX\tPATH` in; per core, its answer as one JSON line, then `{"ready": true}`
// once LLDB has let the core go; until its input closes.
[[noreturn]] void worker_main(int in, int out, const AnalyseOptions& options, pid_t parent) {
    // A parent that dies (killed by a CI timeout, say) must not leave a worker stuck in LLDB.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(0);
    // LLDB's own warnings would land in the middle of the report or the progress bar.
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::lldb::SBDebugger::Initialize();
    Analyser analyser(options);
    LineReader reader(in);
    while (auto line = reader.next()) {
        auto tab = line->find('\t');
        if (tab == std::string::npos) continue;
        json answer = analyser.analyse(line->substr(tab + 1));
        answer["index"] = std::stoul(line->substr(0, tab));
        // Hand the answer over before LLDB lets the core go: its teardown can deadlock on a
        // corrupt executable, and the parent must already hold the report when it does.
        if (!write_all(out, answer.dump(-1, ' ', false, json::error_handler_t::replace) + "\n"))
            break;
        analyser.release();
        if (!write_all(out, k_ready_line)) break;
    }
    // Exit without running LLDB's (or anyone's) teardown: the parent has what it needs.
    ::_exit(0);
}

struct Worker {
    /// Idle: waits for a core. Busy: analyses `job`. Releasing: has answered, LLDB lets go.
    enum class State { Idle, Busy, Releasing };
    pid_t pid = -1;
    int to = -1;   ///< the worker's input
    int from = -1; ///< the worker's answers
    std::string buf;
    State state = State::Idle;
    size_t job = 0;
    Clock::time_point since; ///< when the current state began
};

std::optional<Worker> spawn(const AnalyseOptions& options) {
    int down[2], up[2];
    if (::pipe(down) != 0) return std::nullopt;
    if (::pipe(up) != 0) {
        ::close(down[0]), ::close(down[1]);
        return std::nullopt;
    }
    pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0) return std::nullopt;
    if (pid == 0) {
        // The other workers' pipes too: a worker holding another's input open would keep it from
        // ever seeing the end of its input.
        for (int fd = 3; fd < 4096; ++fd)
            if (fd != down[0] && fd != up[1]) ::close(fd);
        worker_main(down[0], up[1], options, parent);
    }
    ::close(down[0]);
    ::close(up[1]);
    Worker w;
    w.pid = pid;
    w.to = down[1];
    w.from = up[0];
    w.since = Clock::now();
    return w;
}

std::string death(int status) {
    if (WIFSIGNALED(status))
        return fmt::format("signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)));
    return fmt::format("exit status {}", WEXITSTATUS(status));
}

// Ends a worker (killed first when `kill`) and returns how it died.
int retire(Worker& w, bool kill) {
    ::close(w.to);
    ::close(w.from);
    if (kill) ::kill(w.pid, SIGKILL);
    int status = 0;
    while (::waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
    }
    w.pid = -1;
    return status;
}

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

} // namespace

std::vector<json> run_pool(const std::vector<std::string>& cores, const PoolOptions& options,
                           const std::function<void(size_t, size_t)>& progress) {
    std::signal(SIGPIPE, SIG_IGN); // a worker that died mid-write is seen at its pipe's end
    std::vector<json> results(cores.size());
    std::deque<size_t> pending;
    for (size_t i = 0; i < cores.size(); ++i) pending.push_back(i);
    size_t done = 0;
    // Every answer says how long its core took, from being handed to a worker to its answer.
    auto finish = [&](Worker& w, json answer) {
        answer.erase("index");
        answer["seconds"] = std::round(seconds_since(w.since) * 1000) / 1000;
        results[w.job] = std::move(answer);
        w.state = Worker::State::Releasing;
        w.since = Clock::now();
        progress(++done, cores.size());
    };
    auto failed = [](std::string why) { return json{{"ok", false}, {"error", std::move(why)}}; };
    const auto limit = std::chrono::seconds(options.timeout_seconds);
    std::vector<Worker> workers;
    size_t jobs = std::max<size_t>(1, std::min(options.jobs, cores.size()));

    while (done < cores.size()) {
        // Keep `jobs` workers alive while there is work; a releasing worker is soon idle.
        size_t free = size_t(std::count_if(workers.begin(), workers.end(), [](const Worker& w) {
            return w.state != Worker::State::Busy;
        }));
        while (workers.size() < jobs && free < pending.size()) {
            auto w = spawn(options.analyse);
            if (!w) break;
            workers.push_back(std::move(*w));
            ++free;
        }
        if (workers.empty()) { // fork failed: say so for every core left
            for (size_t i : pending) {
                results[i] = {{"ok", false}, {"error", "cannot start a worker"}};
                progress(++done, cores.size());
            }
            break;
        }
        for (Worker& w : workers) {
            if (w.state != Worker::State::Idle || pending.empty()) continue;
            size_t i = pending.front();
            pending.pop_front();
            if (!write_all(w.to, fmt::format("{}\t{}\n", i, cores[i]))) {
                pending.push_front(i); // the worker is gone; its end is seen below
                continue;
            }
            w.state = Worker::State::Busy;
            w.job = i;
            w.since = Clock::now();
        }
        std::vector<pollfd> fds;
        for (Worker& w : workers) fds.push_back({w.from, POLLIN, 0});
        ::poll(fds.data(), fds.size(), 200);
        for (size_t k = 0; k < workers.size(); ++k) {
            Worker& w = workers[k];
            bool dead = false;
            if (fds[k].revents & (POLLIN | POLLHUP | POLLERR)) {
                char chunk[65536];
                ssize_t n = ::read(w.from, chunk, sizeof chunk);
                if (n > 0)
                    w.buf.append(chunk, size_t(n));
                else if (n == 0 || errno != EINTR)
                    dead = true;
            }
            for (size_t nl; (nl = w.buf.find('\n')) != std::string::npos;) {
                json line = json::parse(w.buf.substr(0, nl), nullptr, false);
                w.buf.erase(0, nl + 1);
                if (line.is_discarded()) continue;
                if (line.contains("ready")) {
                    w.state = Worker::State::Idle;
                    w.since = Clock::now();
                } else if (w.state == Worker::State::Busy) {
                    finish(w, std::move(line));
                }
            }
            bool busy = w.state == Worker::State::Busy;
            bool late = Clock::now() - w.since > (busy ? limit : k_release_limit);
            if (w.state == Worker::State::Idle) late = false;
            if (!dead && !late) continue;
            if (!busy) { // between cores: the worker ended or hung letting a core go
                retire(w, true);
                continue;
            }
            if (late) {
                retire(w, true);
                finish(w, failed(fmt::format(
                              "no answer within {} s (--timeout): the analysis was stopped; the "
                              "core or its executable may be corrupt, or raise --timeout",
                              options.timeout_seconds)));
            } else {
                int status = retire(w, false);
                finish(w, failed("the analysis crashed on this core (" + death(status) +
                                 "); the core or its executable is corrupt or unsupported"));
            }
        }
        std::erase_if(workers, [](const Worker& w) { return w.pid == -1; });
    }
    // Every core has its answer: what a worker is still doing (letting its last core go) is
    // of no use, and waiting for it could hang the batch.
    for (Worker& w : workers) retire(w, true);
    return results;
}

} // namespace seam::cli
