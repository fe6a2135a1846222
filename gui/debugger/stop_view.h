#pragma once
/// What the views show of a stopped process, read through the LLDB layer and laid out by the
/// engine: threads as seam-report folds them, the stack as `seam bt` lays it out (bt::layout),
/// the crash view from collect_report, the source or disassembly at a frame. No command's text
/// output is parsed anywhere here.
#include <lldb/API/SBFrame.h>
#include <lldb/API/SBProcess.h>

#include <optional>

#include "formatters/backtrace/backtrace.h"
#include "formatters/report/report.h"
#include "gui/model/debug_data.h"

namespace seam::gui {

QVector<ThreadInfo> thread_infos(::lldb::SBProcess process);

/// The rows of `bt`: frames, boundary markers, folded runtime runs (all frames when `full`).
QVector<StackRow> stack_rows(const bt::Backtrace& bt, bool full);

/// The crash view: classification, panic, signature, and the report's whole text.
CrashInfo crash_info(const report::Report& r);

/// The frame the crash view opens on: the innermost user frame, where the report's locals
/// start (LLDB's frame index); none when the report names no such frame.
std::optional<int> innermost_user_frame(const report::Report& r);

/// The source file at `frame` with its current line; its disassembly where there is no source.
SourceInfo source_at(::lldb::SBFrame frame);

/// Whether the thread stopped for a crash (a signal other than the debugger's own stops, or an
/// exception): then the crash view is filled for a live process too.
bool stopped_by_crash(::lldb::SBThread thread);

} // namespace seam::gui
