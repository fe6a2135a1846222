#pragma once
/// Where LLDB's unwinder stops early (the last frame is no thread start) or goes wrong (it
/// walked through a PC that no module or symbol covers, so its callers there were a guess),
/// seam continues from the last frame it trusts with its own unwinder: the CFI rows of
/// `.debug_frame` (then `.eh_frame`) read with libdwarf (formatters/dwarf/cfi.h), else the
/// frame-pointer chain, else a bounded scan of the stack for a return address that follows a
/// call instruction. Each frame says how it was found (bt::RawFrame::found_by) and the thread
/// says what happened (bt::RawThread::unwind_note).
#include <lldb/API/SBThread.h>

#include "formatters/backtrace/backtrace.h"

namespace seam::lldb {

/// Whether a clean function name is where a thread's stack begins (`_start`,
/// `__libc_start_call_main`, `start_thread`, `clone3`, a kernel thread's `ret_from_fork_asm`,
/// an idle task's `secondary_startup_64`…): an unwind that ends there is whole.
bool is_thread_start(std::string_view name);

/// Checks LLDB's frames in `t` (collected from `thread`) and, where they end early or go wrong,
/// replaces the tail with seam's own frames, at most `max_frames` in all.
void extend_with_seam_unwind(::lldb::SBThread thread, bt::RawThread& t, uint32_t max_frames);

/// Inserts the frames tail calls left off the stack: where a caller's return address follows a
/// direct call (`e8 rel32`) to a function of the same module that is not the callee's, that
/// function ran and jumped to the callee (gcc -O2's sibling calls). Each such frame is tagged
/// bt::FoundBy::TailCall; frames after it are renumbered.
void infer_tail_calls(::lldb::SBThread thread, bt::RawThread& t);

} // namespace seam::lldb
