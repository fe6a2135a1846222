#include "plugin/lldb/exit_replies.h"

#include <charconv>
#include <deque>
#include <mutex>

namespace seam::lldb {

namespace {

std::mutex g_mutex;
std::deque<ExitReply> g_replies; ///< the newest last; a few processes' worth

constexpr size_t kKept = 64;

// LLDB calls this on whichever thread logs (its async thread for continue replies).
void on_log_line(const char* text, void*) {
    if (!text) return;
    // A callback may be handed several lines at once.
    std::string_view rest(text);
    while (!rest.empty()) {
        size_t end = rest.find('\n');
        std::string_view line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        std::optional<ExitReply> r = parse_exit_reply(line);
        if (!r) continue;
        std::lock_guard lock(g_mutex);
        if (g_replies.size() == kKept) g_replies.pop_front();
        g_replies.push_back(*r);
    }
}

// A hex number at the start of `s`, advancing `s` past it.
std::optional<uint64_t> take_hex(std::string_view& s) {
    uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
    if (ec != std::errc() || end == s.data()) return std::nullopt;
    s.remove_prefix(size_t(end - s.data()));
    return v;
}

} // namespace

std::optional<ExitReply> parse_exit_reply(std::string_view line) {
    // Only the replies that end a continue or a step: other lines quote other packets.
    if (line.find("SendContinuePacketAndWaitForResponse") == std::string_view::npos)
        return std::nullopt;
    constexpr std::string_view got = "got packet: ";
    size_t at = line.find(got);
    if (at == std::string_view::npos) return std::nullopt;
    std::string_view packet = line.substr(at + got.size());
    if (packet.empty() || (packet[0] != 'X' && packet[0] != 'W')) return std::nullopt;
    ExitReply r;
    r.signaled = packet[0] == 'X';
    packet.remove_prefix(1);
    std::optional<uint64_t> code = take_hex(packet);
    if (!code || *code > 0xff) return std::nullopt;
    r.code = int(*code);
    // `;process:PID` names the process (lldb-server always sends it; a reply without it names
    // none, and is of no use to a caller asking by pid).
    constexpr std::string_view process = ";process:";
    size_t p = packet.find(process);
    if (p == std::string_view::npos) return std::nullopt;
    packet.remove_prefix(p + process.size());
    std::optional<uint64_t> pid = take_hex(packet);
    if (!pid) return std::nullopt;
    r.pid = *pid;
    return r;
}

void watch_exit_replies(::lldb::SBDebugger debugger) {
    debugger.SetLoggingCallback(on_log_line, nullptr);
    const char* categories[] = {"process", nullptr};
    debugger.EnableLog("gdb-remote", categories);
}

std::optional<ExitReply> exit_reply(uint64_t pid) {
    std::lock_guard lock(g_mutex);
    for (auto it = g_replies.rbegin(); it != g_replies.rend(); ++it)
        if (it->pid == pid) return *it;
    return std::nullopt;
}

} // namespace seam::lldb
