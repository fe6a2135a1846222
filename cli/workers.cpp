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

#include "formatters/render/json_text.h"

namespace seam::cli {

namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

const std::string k_ready_line = "{\"ready\": true}\n";
// How long a worker may take to let a core go after handing its answer over. Past it the worker
// is killed and replaced: nothing is lost but its cache of executables.
constexpr auto k_release_limit = std::chrono::seconds(5);
// Workers that die or hang before they are ready, one after another, before the batch gives up
// (LLDB itself cannot start).
constexpr int k_failed_starts_limit = 3;

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

// The worker: `{"ready": true}` once LLDB has started; then `INDEX\tPATH` in, and per core its
// answer as one JSON line out, then `{"ready": true}` once LLDB has let the core go; until its
// input closes.
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
    // Started: a core's time limit runs from here, not from LLDB's own start.
    if (!write_all(out, k_ready_line)) ::_exit(0);
    LineReader reader(in);
    while (auto line = reader.next()) {
        auto tab = line->find('\t');
        if (tab == std::string::npos) continue;
        json answer = analyser.analyse(line->substr(tab + 1));
        answer["index"] = std::stoul(line->substr(0, tab));
        // Hand the answer over before LLDB lets the core go: its teardown can deadlock on a
        // corrupt executable, and the parent must already hold the report when it does.
        if (!write_all(out, json_text(answer) + "\n")) break;
        if (analyser.spoilt()) break; // the parent replaces this worker
        analyser.release();
        if (!write_all(out, k_ready_line)) break;
    }
    // Exit without running LLDB's (or anyone's) teardown: the parent has what it needs.
    ::_exit(0);
}

struct Worker {
    /// Starting: LLDB starts. Idle: waits for a core. Busy: analyses `job`. Releasing: has
    /// answered, LLDB lets the core go.
    enum class State { Starting, Idle, Busy, Releasing };
    pid_t pid = -1;
    int to = -1;   ///< the worker's input
    int from = -1; ///< the worker's answers
    std::string buf;
    State state = State::Starting;
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

json failure(std::string why) {
    return {{"ok", false}, {"error", std::move(why)}};
}

// The parent's side: hands cores to workers, collects their answers, and ends the workers that
// crash or hang.
class Pool {
public:
    Pool(const std::vector<std::string>& cores, const PoolOptions& options,
         const std::function<void(size_t, size_t)>& progress, const AnswerSink& sink)
        : m_cores(cores), m_options(options), m_progress(progress), m_sink(sink),
          m_results(cores.size()), m_limit(options.timeout_seconds) {
        for (size_t i = 0; i < cores.size(); ++i) m_pending.push_back(i);
    }

    std::vector<json> run() {
        size_t jobs = std::max<size_t>(1, std::min(m_options.jobs, m_cores.size()));
        while (m_done < m_cores.size()) {
            top_up(jobs);
            if (m_workers.empty()) { // fork failed
                fail_pending("cannot start a worker: " + std::string(std::strerror(errno)));
                break;
            }
            // The busy workers finish their cores; none is started for the rest.
            if (m_failed_starts >= k_failed_starts_limit)
                fail_pending(fmt::format("cannot start a worker: {} in a row died or hung while "
                                         "LLDB started",
                                         m_failed_starts));
            hand_out();
            wait_and_check();
        }
        // Every core has its answer: what a worker still does (letting its last core go) is of
        // no use, and waiting for it could hang the batch.
        for (Worker& w : m_workers) retire(w, true);
        return std::move(m_results);
    }

private:
    // Keeps `jobs` workers alive while there is work; a worker that is not busy soon takes one.
    void top_up(size_t jobs) {
        size_t free = size_t(std::count_if(m_workers.begin(), m_workers.end(), [](const Worker& w) {
            return w.state != Worker::State::Busy;
        }));
        while (m_workers.size() < jobs && free < m_pending.size()) {
            auto w = spawn(m_options.analyse);
            if (!w) break;
            m_workers.push_back(std::move(*w));
            ++free;
        }
    }

    void hand_out() {
        for (Worker& w : m_workers) {
            if (w.state != Worker::State::Idle || m_pending.empty()) continue;
            size_t i = m_pending.front();
            m_pending.pop_front();
            if (!write_all(w.to, fmt::format("{}\t{}\n", i, m_cores[i]))) {
                m_pending.push_front(i); // the worker is gone; its end is seen below
                continue;
            }
            w.state = Worker::State::Busy;
            w.job = i;
            w.since = Clock::now();
        }
    }

    void wait_and_check() {
        std::vector<pollfd> fds;
        for (Worker& w : m_workers) fds.push_back({w.from, POLLIN, 0});
        ::poll(fds.data(), fds.size(), 200);
        for (size_t k = 0; k < m_workers.size(); ++k) {
            Worker& w = m_workers[k];
            bool dead = false;
            if (fds[k].revents & (POLLIN | POLLHUP | POLLERR)) {
                char chunk[65536];
                ssize_t n = ::read(w.from, chunk, sizeof chunk);
                if (n > 0)
                    w.buf.append(chunk, size_t(n));
                else if (n == 0 || errno != EINTR)
                    dead = true;
            }
            read_lines(w);
            check(w, dead);
        }
        std::erase_if(m_workers, [](const Worker& w) { return w.pid == -1; });
    }

    void read_lines(Worker& w) {
        for (size_t nl; (nl = w.buf.find('\n')) != std::string::npos;) {
            json line = json::parse(w.buf.substr(0, nl), nullptr, false);
            w.buf.erase(0, nl + 1);
            if (line.is_discarded()) continue;
            if (line.contains("ready")) {
                if (w.state == Worker::State::Starting) m_failed_starts = 0;
                w.state = Worker::State::Idle;
                w.since = Clock::now();
            } else if (w.state == Worker::State::Busy) {
                finish(w, std::move(line));
            }
        }
    }

    // Ends a worker that died or is late. A busy one's core gets its error; one between cores
    // is replaced, its last answer (if any) standing.
    void check(Worker& w, bool dead) {
        using State = Worker::State;
        auto limit = w.state == State::Releasing ? k_release_limit : m_limit;
        bool late = w.state != State::Idle && Clock::now() - w.since > limit;
        if (!dead && !late) return;
        State state = w.state;
        int status = retire(w, late);
        if (state == State::Starting) ++m_failed_starts;
        if (state != State::Busy) return;
        if (late)
            finish(w, failure(fmt::format(
                          "no answer within {} s (--timeout): the analysis was stopped; the core "
                          "or its executable may be corrupt, or raise --timeout",
                          m_options.timeout_seconds)));
        else
            finish(w, failure("the analysis crashed on this core (" + death(status) +
                              "); the core or its executable is corrupt or unsupported"));
    }

    // Every answer says how long its core took, from being handed to a worker to its answer.
    void finish(Worker& w, json answer) {
        answer.erase("index");
        answer["seconds"] = std::round(seconds_since(w.since) * 1000) / 1000;
        w.state = Worker::State::Releasing;
        w.since = Clock::now();
        deliver(w.job, std::move(answer));
    }

    void fail_pending(const std::string& why) {
        for (size_t i : m_pending) deliver(i, failure(why));
        m_pending.clear();
    }

    void deliver(size_t index, json answer) {
        if (m_sink) m_sink(index, answer);
        m_results[index] = std::move(answer);
        m_progress(++m_done, m_cores.size());
    }

    const std::vector<std::string>& m_cores;
    const PoolOptions& m_options;
    const std::function<void(size_t, size_t)>& m_progress;
    const AnswerSink& m_sink;
    std::vector<json> m_results;
    std::chrono::seconds m_limit;
    std::deque<size_t> m_pending;
    std::vector<Worker> m_workers;
    size_t m_done = 0;
    int m_failed_starts = 0;
};

} // namespace

std::vector<json> run_pool(const std::vector<std::string>& cores, const PoolOptions& options,
                           const std::function<void(size_t, size_t)>& progress,
                           const AnswerSink& sink) {
    std::signal(SIGPIPE, SIG_IGN); // a worker that died mid-write is seen at its pipe's end
    return Pool(cores, options, progress, sink).run();
}

} // namespace seam::cli
