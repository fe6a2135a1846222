#include "gui/debugger/stop_view.h"

#include <lldb/API/SBFileSpec.h>
#include <lldb/API/SBFunction.h>
#include <lldb/API/SBInstruction.h>
#include <lldb/API/SBInstructionList.h>
#include <lldb/API/SBLineEntry.h>
#include <lldb/API/SBSymbol.h>
#include <lldb/API/SBTarget.h>
#include <lldb/API/SBThread.h>
#include <lldb/API/SBUnixSignals.h>

#include <QFile>
#include <QFileInfo>

#include "plugin/lldb/report_collect.h"

namespace seam::gui {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

// Larger files are shown as disassembly: reading them whole would stall the worker.
constexpr qint64 k_max_source_bytes = 8 << 20;

SourceInfo disassembly_at(::lldb::SBFrame frame) {
    SourceInfo s;
    ::lldb::SBTarget target = frame.GetThread().GetProcess().GetTarget();
    ::lldb::SBInstructionList list;
    if (frame.GetFunction().IsValid())
        list = frame.GetFunction().GetInstructions(target);
    else if (frame.GetSymbol().IsValid())
        list = frame.GetSymbol().GetInstructions(target);
    if (!list.IsValid() || list.GetSize() == 0)
        list = target.ReadInstructions(frame.GetPCAddress(), 64);
    // A caller's PC is a return address: the current instruction is the call before it.
    uint64_t pc = frame.GetPC();
    uint64_t inside = frame.GetFrameID() == 0 ? pc : pc - 1;
    QString text;
    for (uint32_t i = 0; i < list.GetSize(); ++i) {
        ::lldb::SBInstruction ins = list.GetInstructionAtIndex(i);
        uint64_t addr = ins.GetAddress().GetLoadAddress(target);
        const char* mnemonic = ins.GetMnemonic(target);
        const char* operands = ins.GetOperands(target);
        if (inside >= addr && inside < addr + ins.GetByteSize()) s.line = int(i) + 1;
        text += QStringLiteral("0x%1  %2 %3\n")
                    .arg(addr, 16, 16, QChar('0'))
                    .arg(QString(mnemonic ? mnemonic : ""), -8)
                    .arg(operands ? operands : "");
    }
    s.text = text.isEmpty()
                 ? QStringLiteral("(no source and no instructions at 0x%1)\n").arg(pc, 0, 16)
                 : text;
    return s;
}

} // namespace

QVector<ThreadInfo> thread_infos(::lldb::SBProcess process) {
    QVector<ThreadInfo> out;
    uint32_t selected = process.GetSelectedThread().GetIndexID();
    for (uint32_t i = 0; i < process.GetNumThreads(); ++i) {
        ::lldb::SBThread t = process.GetThreadAtIndex(i);
        report::ThreadLine line = lldb::thread_line(t, false);
        out.push_back({line.index, line.id, qs(line.name), qs(line.stop_reason), qs(line.top),
                       line.index == selected});
    }
    return out;
}

QVector<StackRow> stack_rows(const bt::Backtrace& bt, bool full) {
    QVector<StackRow> out;
    for (const bt::Row& row : bt::layout(bt, {.full = full, .header = false})) {
        StackRow r;
        if (row.kind != bt::Row::Kind::Frame) {
            r.kind =
                row.kind == bt::Row::Kind::Marker ? StackRow::Kind::Marker : StackRow::Kind::Fold;
            r.text = qs(row.text);
            out.push_back(r);
            continue;
        }
        const bt::Frame& f = bt.frames[row.frame];
        r.frame = f.raw.debugger_index ? int(*f.raw.debugger_index) : -1;
        r.index = f.raw.index;
        r.pc = f.raw.pc;
        r.language = qs(std::string(bt::lang_name(f.lang)));
        r.owner = qs(bt::owner_of(f));
        r.name = qs(bt::shown_name(f, false));
        if (!f.raw.file.empty())
            r.location = f.raw.line ? QStringLiteral("%1:%2").arg(qs(f.raw.file)).arg(f.raw.line)
                                    : qs(f.raw.file);
        QStringList tags;
        if (f.cold_part) tags << "cold part";
        if (f.raw.inlined) tags << "inlined";
        if (f.wrapper) tags << "wrapper";
        if (f.runtime) tags << "runtime";
        if (f.raw.found_by != bt::FoundBy::Lldb)
            tags << qs(std::string(bt::found_by_name(f.raw.found_by)));
        r.tags = tags.join(' ');
        out.push_back(r);
    }
    return out;
}

CrashInfo crash_info(const report::Report& r) {
    CrashInfo c;
    c.present = true;
    c.kind = qs(r.verdict.kind);
    c.headline = qs(r.verdict.headline);
    if (r.verdict.panic_message) c.panic_message = qs(*r.verdict.panic_message);
    if (r.verdict.panic_location) c.panic_location = qs(*r.verdict.panic_location);
    c.signature = qs(r.signature.hash);
    for (const std::string& f : r.signature.frames) c.signature_frames << qs(f);
    c.text = qs(report::render_text(r));
    return c;
}

std::optional<int> innermost_user_frame(const report::Report& r) {
    if (!r.crashing) return std::nullopt;
    for (const report::FrameLocals& fl : r.locals)
        for (const bt::Frame& f : r.crashing->frames)
            if (f.raw.index == fl.index && f.raw.debugger_index) return int(*f.raw.debugger_index);
    for (const bt::Frame& f : r.crashing->frames)
        if (!f.runtime && f.raw.debugger_index) return int(*f.raw.debugger_index);
    return std::nullopt;
}

SourceInfo source_at(::lldb::SBFrame frame) {
    ::lldb::SBLineEntry le = frame.GetLineEntry();
    if (le.IsValid() && le.GetFileSpec().IsValid() && le.GetLine() > 0) {
        char path[4096] = {0};
        le.GetFileSpec().GetPath(path, sizeof path);
        QFile file(QString::fromUtf8(path));
        if (QFileInfo(file).size() <= k_max_source_bytes && file.open(QIODevice::ReadOnly)) {
            SourceInfo s;
            s.path = file.fileName();
            s.text = QString::fromUtf8(file.readAll());
            s.line = int(le.GetLine());
            return s;
        }
    }
    return disassembly_at(frame);
}

bool stopped_by_crash(::lldb::SBThread thread) {
    switch (thread.GetStopReason()) {
    case ::lldb::eStopReasonException:
        return true;
    case ::lldb::eStopReasonSignal: {
        // SIGSTOP is the debugger's own interrupt, SIGTRAP its breakpoints and steps.
        ::lldb::SBUnixSignals unix_signals = thread.GetProcess().GetUnixSignals();
        int sig = int(thread.GetStopReasonDataAtIndex(0));
        return sig != unix_signals.GetSignalNumberFromName("SIGSTOP") &&
               sig != unix_signals.GetSignalNumberFromName("SIGTRAP") &&
               sig != unix_signals.GetSignalNumberFromName("SIGINT");
    }
    default:
        return false;
    }
}

} // namespace seam::gui
