#include "cli/workers.h"

#include <lldb/API/SBDebugger.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <optional>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include <fmt/format.h>

namespace seam::cli {

namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

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

// The worker: `INDEX\tPATH` in, one JSON line out per core, until its input closes.
[[noreturn]] void worker_main(int in, int out, const AnalyseOptions& options) {
    // LLDB's own warnings would land in the middle of the report or the progress bar.
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::lldb::SBDebugger::Initialize();
    LineReader reader(in);
    while (auto line = reader.next()) {
        auto tab = line->find('\t');
        if (tab == std::string::npos) continue;
        json answer = analyse_core(line->substr(tab + 1), options);
        answer["index"] = std::stoul(line->substr(0, tab));
        if (!write_all(out, answer.dump(-1, ' ', false, json::error_handler_t::replace) + "\n"))
            break;
    }
    // Exit without running LLDB's (or anyone's) teardown: the parent has what it needs.
    ::_exit(0);
}

struct Worker {
    pid_t pid = -1;
    int to = -1;   ///< the worker's input
    int from = -1; ///< the worker's answers
    std::string buf;
    std::optional<size_t> job;
    Clock::time_point started;
};

std::optional<Worker> spawn(const AnalyseOptions& options) {
    int down[2], up[2];
    if (::pipe(down) != 0) return std::nullopt;
    if (::pipe(up) != 0) {
        ::close(down[0]), ::close(down[1]);
        return std::nullopt;
    }
    pid_t pid = ::fork();
    if (pid < 0) return std::nullopt;
    if (pid == 0) {
        // The other workers' pipes too: a worker holding another's input open would keep it from
        // ever seeing the end of its input.
        for (int fd = 3; fd < 4096; ++fd)
            if (fd != down[0] && fd != up[1]) ::close(fd);
        worker_main(down[0], up[1], options);
    }
    ::close(down[0]);
    ::close(up[1]);
    Worker w;
    w.pid = pid;
    w.to = down[1];
    w.from = up[0];
    return w;
}

std::string death(int status) {
    if (WIFSIGNALED(status))
        return fmt::format("signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)));
    return fmt::format("exit status {}", WEXITSTATUS(status));
}

void retire(Worker& w, bool kill) {
    ::close(w.to);
    ::close(w.from);
    if (kill) ::kill(w.pid, SIGKILL);
    int status = 0;
    ::waitpid(w.pid, &status, 0);
    w.pid = -1;
}

} // namespace

std::vector<json> run_pool(const std::vector<std::string>& cores, const PoolOptions& options,
                           const std::function<void(size_t, size_t)>& progress) {
    std::signal(SIGPIPE, SIG_IGN); // a worker that died mid-write is seen at its pipe's end
    std::vector<json> results(cores.size());
    std::deque<size_t> pending;
    for (size_t i = 0; i < cores.size(); ++i) pending.push_back(i);
    size_t done = 0;
    auto finish = [&](size_t index, json answer) {
        results[index] = std::move(answer);
        progress(++done, cores.size());
    };
    std::vector<Worker> workers;
    size_t jobs = std::max<size_t>(1, std::min(options.jobs, cores.size()));

    while (done < cores.size()) {
        // Keep `jobs` workers alive while there is work, and give each idle one a core.
        size_t idle = size_t(
            std::count_if(workers.begin(), workers.end(), [](const Worker& w) { return !w.job; }));
        while (workers.size() < jobs && idle < pending.size()) {
            auto w = spawn(options.analyse);
            if (!w) break;
            workers.push_back(std::move(*w));
            ++idle;
        }
        if (workers.empty()) { // fork failed: say so for every core left
            for (size_t i : pending) finish(i, {{"ok", false}, {"error", "cannot start a worker"}});
            break;
        }
        for (Worker& w : workers) {
            if (w.job || pending.empty()) continue;
            size_t i = pending.front();
            pending.pop_front();
            w.job = i;
            w.started = Clock::now();
            if (!write_all(w.to, fmt::format("{}\t{}\n", i, cores[i]))) pending.push_front(i);
        }
        std::vector<pollfd> fds;
        for (Worker& w : workers) fds.push_back({w.from, POLLIN, 0});
        ::poll(fds.data(), fds.size(), 500);
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
                json answer = json::parse(w.buf.substr(0, nl), nullptr, false);
                w.buf.erase(0, nl + 1);
                if (answer.is_discarded() || !w.job) continue;
                answer.erase("index");
                finish(*w.job, std::move(answer));
                w.job.reset();
            }
            bool late =
                w.job && Clock::now() - w.started > std::chrono::seconds(options.timeout_seconds);
            if (!dead && !late) continue;
            if (w.job) {
                int status = 0;
                std::string why;
                if (late) {
                    why = fmt::format("analysis timed out after {} s", options.timeout_seconds);
                    retire(w, true);
                } else {
                    ::close(w.to);
                    ::close(w.from);
                    ::waitpid(w.pid, &status, 0);
                    w.pid = -1;
                    why = "the analysis crashed on this core (" + death(status) + ")";
                }
                finish(*w.job,
                       {{"ok", false}, {"error", why + "; the core is corrupt or unsupported"}});
            } else {
                retire(w, false);
            }
            w.pid = -1;
        }
        std::erase_if(workers, [](const Worker& w) { return w.pid == -1; });
    }
    for (Worker& w : workers) retire(w, false);
    return results;
}

} // namespace seam::cli
