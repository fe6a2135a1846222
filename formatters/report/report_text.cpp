// The text and Markdown renderings of one report. Both show the same facts in the same order:
// what stopped, why, its signature, the crashing thread, the locals, the other threads.
#include <fmt/format.h>

#include "formatters/report/report.h"

namespace seam::report {

namespace {

std::string signature_line(const Signature& s) {
    if (s.hash.empty()) return "none (no frames)";
    std::string frames;
    for (size_t i = 0; i < s.frames.size(); ++i) frames += (i ? " <- " : "") + s.frames[i];
    return fmt::format("{} ({})", s.hash, frames);
}

std::string executable_line(const Report& r) {
    std::string s = r.executable.empty() ? "(not found)" : r.executable;
    if (!r.build_id.empty()) s += " (build-id " + r.build_id + ")";
    return s;
}

std::string panic_line(const Verdict& v) {
    std::string message = v.panic_message ? *v.panic_message : "message not recovered";
    if (!v.panic_message && !v.panic_missing.empty()) message += " (" + v.panic_missing + ")";
    return v.panic_location ? *v.panic_location + ": " + message : message;
}

std::string original_line(const PanicFacts& p) {
    std::string message = p.message ? *p.message : "message not recovered";
    if (!p.missing.empty()) message += " (" + p.missing + ")";
    return p.location ? *p.location + ": " + message : message;
}

bool has_panic(const Verdict& v) {
    return v.panic_message || v.panic_location || !v.panic_missing.empty();
}

std::string thread_line(const ThreadLine& t) {
    std::string s = fmt::format("thread #{}", t.index);
    if (t.id) s += fmt::format(" (tid {})", t.id);
    if (!t.name.empty()) s += " '" + t.name + "'";
    s += fmt::format(": {} frame{}", t.frame_count, t.frame_count == 1 ? "" : "s");
    if (!t.top.empty()) s += ", in " + t.top;
    if (!t.stop_reason.empty()) s += ", stop reason = " + t.stop_reason;
    return s;
}

std::string locals_heading(const FrameLocals& f) {
    return fmt::format("#{} {}", f.index, f.function);
}

// The header block shared by both renderings: `key: value` lines, aligned.
std::vector<std::pair<std::string, std::string>> header(const Report& r) {
    std::vector<std::pair<std::string, std::string>> rows;
    if (!r.core.empty()) rows.emplace_back("core", r.core);
    rows.emplace_back("executable", executable_line(r));
    rows.emplace_back("stop reason", r.stop_reason.empty() ? "(none)" : r.stop_reason);
    rows.emplace_back("classification", r.verdict.kind.empty() ? "unknown" : r.verdict.kind);
    if (!r.verdict.headline.empty()) rows.emplace_back("summary", r.verdict.headline);
    // The root cause before std's own abort message.
    if (r.verdict.original_panic)
        rows.emplace_back("original panic", original_line(*r.verdict.original_panic));
    if (has_panic(r.verdict)) rows.emplace_back("panic", panic_line(r.verdict));
    rows.emplace_back("signature", signature_line(r.signature));
    return rows;
}

} // namespace

std::string render_text(const Report& r) {
    std::string out;
    for (const auto& [key, value] : header(r)) out += fmt::format("{:<15} {}\n", key + ":", value);
    for (const std::string& w : r.warnings) out += "warning: " + w + "\n";
    out += "\ncrashing thread:\n";
    if (r.crashing)
        out += bt::render_text(*r.crashing, {.full_names = r.full_names});
    else
        out += "  (no thread)\n";
    if (!r.locals.empty()) {
        out += "\nlocals:\n";
        for (const FrameLocals& f : r.locals) {
            out += "  " + locals_heading(f) + "\n";
            if (!f.error.empty()) out += "    <error: " + f.error + ">\n";
            if (f.error.empty() && f.locals.empty()) out += "    (no variables)\n";
            for (const Local& l : f.locals) out += "    " + l.line + "\n";
        }
    }
    if (!r.other_threads.empty()) {
        out += fmt::format("\nother threads ({}):\n", r.other_threads.size());
        for (const ThreadLine& t : r.other_threads) out += "  " + thread_line(t) + "\n";
    }
    return out;
}

std::string render_markdown(const Report& r) {
    std::string out = "## Crash report";
    if (!r.core.empty()) out += ": `" + r.core + "`";
    out += "\n\n| | |\n| --- | --- |\n";
    for (const auto& [key, value] : header(r)) {
        std::string cell = value;
        // A `|` inside a cell would end it.
        for (size_t at = 0; (at = cell.find('|', at)) != std::string::npos; at += 2)
            cell.replace(at, 1, "\\|");
        out += "| " + key + " | " + cell + " |\n";
    }
    for (const std::string& w : r.warnings) out += "\n> **warning:** " + w + "\n";
    out += "\n### Crashing thread\n\n```\n";
    out +=
        r.crashing ? bt::render_text(*r.crashing, {.full_names = r.full_names}) : "(no thread)\n";
    out += "```\n";
    if (!r.locals.empty()) {
        out += "\n### Locals\n";
        for (const FrameLocals& f : r.locals) {
            out += "\n`" + locals_heading(f) + "`\n\n```\n";
            if (!f.error.empty()) out += "<error: " + f.error + ">\n";
            if (f.error.empty() && f.locals.empty()) out += "(no variables)\n";
            for (const Local& l : f.locals) out += l.line + "\n";
            out += "```\n";
        }
    }
    if (!r.other_threads.empty()) {
        out += fmt::format("\n### Other threads ({})\n\n", r.other_threads.size());
        for (const ThreadLine& t : r.other_threads) out += "- " + thread_line(t) + "\n";
    }
    return out;
}

} // namespace seam::report
