#include "tests/e2e/dap_lldb_view.h"

#include <algorithm>
#include <atomic>

namespace seam::e2e {

namespace {

std::atomic<size_t> g_checked{0};

// A pointer: its type is `T *`, `int (*)(int)`, `unsigned char (**)[4]`, or a typedef of one
// (C's `binop`), whose value LLDB prints as a whole address (`0x00005555555807c0`, not an
// enum's `0x1`).
bool is_pointer(const std::string& type, const std::string& value) {
    if ((!type.empty() && type.back() == '*') || type.find("(*") != std::string::npos) return true;
    return value.size() == 18 && value.rfind("0x", 0) == 0 &&
           value.find_first_not_of("0123456789abcdef", 2) == std::string::npos;
}

// lldb ends a line with ` {` when children follow and `{...}` when they are folded (LLDB 22:
// ` {...}`, with the space LLDB 19 left out).
void drop_children_marker(std::string& text) {
    for (std::string tail : {" {...}", "{...}", " {}", " {", "{"}) {
        if (text.size() >= tail.size() &&
            text.compare(text.size() - tail.size(), std::string::npos, tail) == 0) {
            text.resize(text.size() - tail.size());
            return;
        }
    }
}

} // namespace

Result<LldbView> parse_frame_variable(const std::string& out, const std::string& name) {
    LldbView view;
    size_t eol = out.find('\n');
    std::string first = out.substr(0, eol);
    size_t at = first.find(") " + name + " =");
    if (first.empty() || first[0] != '(' || at == std::string::npos)
        return err("unexpected `frame variable` output: {}", out);
    view.text = first.substr(at + name.size() + 4);
    if (!view.text.empty() && view.text[0] == ' ') view.text.erase(0, 1);
    drop_children_marker(view.text);
    for (size_t pos = eol; pos != std::string::npos && pos + 1 < out.size();) {
        size_t next = out.find('\n', pos + 1);
        std::string line = out.substr(pos + 1, next == std::string::npos ? next : next - pos - 1);
        pos = next;
        if (line.rfind("  ", 0) != 0 || line.rfind("   ", 0) == 0) continue;
        size_t eq = line.find(" =");
        if (eq == std::string::npos) continue;
        std::string text = line.substr(std::min(line.size(), eq + 3));
        drop_children_marker(text);
        view.children.emplace_back(line.substr(2, eq - 2), text);
    }
    return view;
}

std::string doubled(const nlohmann::json& var) {
    ++g_checked;
    const nlohmann::json ext = var.value("$__lldb_extensions", nlohmann::json::object());
    const std::string value = ext.value("value", ""), summary = ext.value("summary", "");
    if (value.empty() || summary.empty() || is_pointer(var.value("type", ""), value)) return {};
    return "`" + var.value("name", "") + "` (" + var.value("type", "") + ") shown as `" +
           var.value("value", "") + "`: LLDB's value `" + value + "` beside seam's summary `" +
           summary + "`";
}

size_t one_text_checked() {
    return g_checked;
}

} // namespace seam::e2e
