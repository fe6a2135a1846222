// Text and JSON renderings of a classified backtrace.
#include <algorithm>

#include <fmt/format.h>

#include "formatters/backtrace/backtrace.h"

namespace seam::bt {

namespace {

std::string location(const RawFrame& raw) {
    if (raw.file.empty()) return {};
    std::string s = fmt::format(" at {}", raw.file);
    if (raw.line) s += fmt::format(":{}", raw.line);
    if (raw.line && raw.column) s += fmt::format(":{}", raw.column);
    return s;
}

std::string arguments(const RawFrame& raw) {
    if (!raw.arguments) return {};
    std::string s = " (";
    for (size_t i = 0; i < raw.arguments->size(); ++i) {
        const Argument& a = (*raw.arguments)[i];
        if (i) s += ", ";
        s += a.name + " = " + a.text;
    }
    return s + ")";
}

// Which side calls which: the caller is the outer frame. A C caller of Rust can only reach
// an `extern "C"` function, and a Rust caller of C is the safe wrapper over the unsafe call:
// the marker says so.
std::string marker(const Frame& callee, const Frame& caller, bool full_names) {
    std::string target = shown_name(callee, full_names);
    if (caller.lang != Lang::Rust && callee.lang == Lang::Rust) target = "extern \"C\" " + target;
    const std::string& caller_name = shown_name(caller, full_names);
    std::string source = caller.wrapper ? "wrapper " + caller_name : caller_name;
    return fmt::format("── {} -> {}: {} calls {} ──", lang_name(caller.lang),
                       lang_name(callee.lang), source, target);
}

nlohmann::json or_null(const std::string& s) {
    return s.empty() ? nlohmann::json() : nlohmann::json(s);
}

struct Widths {
    size_t index = 1;
    size_t owner = 1;
};

// Frames LLDB did not find say who did: a reader must know which frames rest on seam's
// unwinder (and, for a stack scan, on a guess).
std::string found_by_tag(const RawFrame& raw) {
    if (raw.found_by == FoundBy::Lldb) return {};
    if (raw.found_by == FoundBy::TailCall)
        return " [tail call: no frame of its own, inferred by seam]";
    return fmt::format(" [unwound by seam: {}]", found_by_name(raw.found_by));
}

std::string frame_line(const Frame& f, const Widths& w, bool full_names) {
    std::string idx = fmt::format("#{}", f.raw.index);
    return fmt::format("  {:<{}} {:#018x} {:<4} {:<{}} {}{}{}{}{}{}{}\n", idx, w.index + 1,
                       f.raw.pc, lang_name(f.lang), owner_of(f), w.owner, shown_name(f, full_names),
                       arguments(f.raw), f.cold_part ? " [cold part]" : "",
                       f.raw.inlined ? " [inlined]" : "", f.wrapper ? " [wrapper]" : "",
                       found_by_tag(f.raw), location(f.raw));
}

std::string fold_text(size_t n) {
    return fmt::format("… {} runtime frame{} folded (seam bt --full shows them)", n,
                       n == 1 ? "" : "s");
}

} // namespace

// Rust frames are known by their crate; C frames (and Rust ones named without a path, like a
// `#[no_mangle]` function) by the library holding them.
// Code in no module (generated code, a JIT's) is owned by `?`.
const std::string& owner_of(const Frame& f) {
    static const std::string unknown = "?";
    if (f.crate.empty() && f.raw.module.empty()) return unknown;
    return f.crate.empty() ? f.raw.module : f.crate;
}

const std::string& shown_name(const Frame& f, bool full_names) {
    return full_names || f.short_name.empty() ? f.name : f.short_name;
}

std::string_view found_by_name(FoundBy how) {
    switch (how) {
    case FoundBy::Lldb:
        return "lldb";
    case FoundBy::DebugFrame:
        return ".debug_frame";
    case FoundBy::EhFrame:
        return ".eh_frame";
    case FoundBy::FramePointer:
        return "frame pointer";
    case FoundBy::StackScan:
        return "stack scan";
    case FoundBy::TailCall:
        return "tail call";
    }
    return "lldb";
}

std::vector<Row> layout(const Backtrace& bt, const TextOptions& options) {
    std::vector<Row> rows;
    const auto& frames = bt.frames;
    auto shown = [&](size_t i) { return options.full || !frames[i].runtime; };
    // A marker goes between consecutive shown frames of different languages, right after the
    // inner one: with folding, the runtime frames between them (FnOnce shims, say) are
    // plumbing, and the call that matters is the one from the next shown frame.
    for (size_t i = 0; i < frames.size();) {
        if (!shown(i)) {
            size_t run = i;
            while (run < frames.size() && !shown(run)) ++run;
            rows.push_back({Row::Kind::Fold, i, run - i, fold_text(run - i)});
            i = run;
            continue;
        }
        rows.push_back({Row::Kind::Frame, i, 0, {}});
        size_t next = i + 1;
        while (next < frames.size() && !shown(next)) ++next;
        if (next < frames.size() && frames[next].lang != frames[i].lang) {
            // The call into C came from std itself (abort after a panic), not through shims
            // from the next shown frame: name the frame that made it.
            const Frame& direct = frames[i + 1];
            bool std_called = next > i + 1 && direct.lang == Lang::Rust &&
                              frames[next].lang == Lang::Rust &&
                              direct.name.find("call_once") == std::string::npos;
            rows.push_back(
                {Row::Kind::Marker, i, 0,
                 marker(frames[i], std_called ? direct : frames[next], options.full_names)});
        }
        ++i;
    }
    return rows;
}

std::string render_text(const Backtrace& bt, const TextOptions& options) {
    std::string out;
    if (options.header) {
        out += fmt::format("thread #{}", bt.thread.index);
        if (bt.thread.id) out += fmt::format(" (tid {})", bt.thread.id);
        if (!bt.thread.name.empty()) out += fmt::format(" '{}'", bt.thread.name);
        if (!bt.thread.stop_reason.empty()) out += ", stop reason = " + bt.thread.stop_reason;
        out += "\n";
    }
    if (!bt.thread.unwind_note.empty()) out += "  ! " + bt.thread.unwind_note + "\n";
    std::vector<Row> rows = layout(bt, options);
    Widths w;
    for (const Row& r : rows) {
        if (r.kind != Row::Kind::Frame) continue;
        w.index = std::max(w.index, fmt::formatted_size("{}", bt.frames[r.frame].raw.index));
        w.owner = std::max(w.owner, owner_of(bt.frames[r.frame]).size());
    }
    for (const Row& r : rows)
        out += r.kind == Row::Kind::Frame ? frame_line(bt.frames[r.frame], w, options.full_names)
                                          : "  " + r.text + "\n";
    if (bt.frames.empty()) out += "  (no frames)\n";
    return out;
}

nlohmann::json render_json(const std::vector<Backtrace>& threads) {
    nlohmann::json j = {{"schema", "seam.backtrace/1"}, {"threads", nlohmann::json::array()}};
    for (const Backtrace& bt : threads) {
        nlohmann::json t = {{"index", bt.thread.index},
                            {"id", bt.thread.id},
                            {"name", bt.thread.name},
                            {"name_source", bt.thread.name_source.empty()
                                                ? nlohmann::json()
                                                : nlohmann::json(bt.thread.name_source)},
                            {"stop_reason", bt.thread.stop_reason},
                            {"selected", bt.thread.selected},
                            {"unwind_note", or_null(bt.thread.unwind_note)},
                            {"frames", nlohmann::json::array()},
                            {"boundaries", nlohmann::json::array()}};
        for (const Frame& f : bt.frames) {
            nlohmann::json jf = {{"index", f.raw.index},
                                 {"pc", fmt::format("{:#x}", f.raw.pc)},
                                 {"language", lang_name(f.lang)},
                                 {"language_source", lang_source_name(f.lang_source)},
                                 {"crate", or_null(f.crate)},
                                 {"library", f.raw.module},
                                 {"function", f.name},
                                 {"short_function", shown_name(f, false)},
                                 {"symbol", f.raw.symbol},
                                 {"file", or_null(f.raw.file)},
                                 {"line", f.raw.line},
                                 {"column", f.raw.column},
                                 {"inlined", f.raw.inlined},
                                 {"runtime", f.runtime},
                                 {"wrapper", f.wrapper},
                                 {"cold_part", f.cold_part},
                                 {"found_by", found_by_name(f.raw.found_by)},
                                 {"arguments", nlohmann::json()}};
            if (f.raw.arguments) {
                jf["arguments"] = nlohmann::json::array();
                for (const Argument& a : *f.raw.arguments)
                    jf["arguments"].push_back({{"name", a.name}, {"value", a.text}});
            }
            t["frames"].push_back(std::move(jf));
        }
        for (const Boundary& b : bt.boundaries) {
            const Frame& callee = bt.frames[b.callee];
            const Frame& caller = bt.frames[b.callee + 1];
            t["boundaries"].push_back(
                {{"callee", callee.raw.index},
                 {"caller", caller.raw.index},
                 {"from", lang_name(b.from)},
                 {"to", lang_name(b.to)},
                 {"wrapper",
                  b.wrapper ? nlohmann::json(bt.frames[*b.wrapper].raw.index) : nlohmann::json()},
                 {"text", marker(callee, caller, false)}});
        }
        j["threads"].push_back(std::move(t));
    }
    return j;
}

} // namespace seam::bt
