#include "plugin/lldb/unwind_fallback.h"

#include <lldb/API/SBAddress.h>
#include <lldb/API/SBBlock.h>
#include <lldb/API/SBCompileUnit.h>
#include <lldb/API/SBFileSpec.h>
#include <lldb/API/SBFrame.h>
#include <lldb/API/SBFunction.h>
#include <lldb/API/SBLineEntry.h>
#include <lldb/API/SBMemoryRegionInfo.h>
#include <lldb/API/SBModule.h>
#include <lldb/API/SBProcess.h>
#include <lldb/API/SBSection.h>
#include <lldb/API/SBSymbol.h>
#include <lldb/API/SBSymbolContext.h>
#include <lldb/API/SBTarget.h>
#include <lldb/API/SBValue.h>

#include <array>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>

#include <fmt/format.h>

#include "formatters/backtrace/library_frames.h"
#include "formatters/core/rust_names.h"
#include "formatters/dwarf/cfi.h"
#include "plugin/lldb/debug_info_cache.h"
#include "plugin/lldb/sb_memory.h"

namespace seam::lldb {

namespace {

constexpr std::array<const char*, cfi::k_reg_count> k_reg_names = {
    "rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp", "r8",
    "r9",  "r10", "r11", "r12", "r13", "r14", "r15", "rip"};

// Bounds of the fallback: a scan reads one block of the stack, never more.
constexpr uint64_t k_scan_words = 1024;

std::string or_empty(const char* s) {
    return s ? s : "";
}

// One CfiTable per file, kept for the process (as DebugInfoCache keeps DWARF): opening it
// parses every FDE once, and a backtrace asks the same few modules again and again.
const cfi::CfiTable* cfi_table(const std::string& path) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<cfi::CfiTable>> tables;
    std::lock_guard lock(mutex);
    auto it = tables.find(path);
    if (it == tables.end()) {
        auto t = cfi::CfiTable::open(path);
        it = tables.emplace(path, t ? std::move(*t) : nullptr).first;
    }
    return it->second.get();
}

std::vector<std::string> cfi_paths(::lldb::SBModule module, const std::string& dwarf_path) {
    std::vector<std::string> out;
    if (dwarf_path.empty()) return out;
    out.push_back(dwarf_path);
    char buf[4096];
    if (module.GetFileSpec().GetPath(buf, sizeof buf) > 0 && dwarf_path != buf) out.push_back(buf);
    return out;
}

cfi::Registers registers_of(::lldb::SBFrame frame) {
    cfi::Registers regs;
    for (unsigned i = 0; i < cfi::k_reg_count; ++i) {
        ::lldb::SBValue v = frame.FindRegister(k_reg_names[i]);
        if (!v.IsValid()) continue;
        ::lldb::SBError e;
        uint64_t x = v.GetValueAsUnsigned(e, 0);
        if (e.Success()) regs[i] = x;
    }
    return regs;
}

// A PC that some module's symbol covers: code LLDB (and seam) can name.
bool known_code(::lldb::SBTarget& target, uint64_t pc) {
    ::lldb::SBAddress a = target.ResolveLoadAddress(pc);
    return a.GetModule().IsValid() && a.GetSymbol().IsValid();
}

// A return address into code some symbol covers. After a call to a noreturn function (`abort`)
// that ends its function, the return address is one past the function's last byte, in padding
// no symbol covers (gcc's `crash_c_abort.cold: push; call abort` as rustc 1.63 links it): the
// call itself, at `ra - 1`, is what must be known.
bool returns_into_code(::lldb::SBTarget& target, uint64_t ra) {
    return known_code(target, ra) || (ra > 0 && known_code(target, ra - 1));
}

// Whether the bytes before `ra` end with a call instruction (x86-64): `e8 rel32`, or `ff /2`
// with a register, [reg], [reg+disp8], [reg+disp32], [rip+disp32] or SIB operand.
bool follows_call(MemoryReader& mem, uint64_t ra) {
    std::array<uint8_t, 8> b{};
    if (ra < b.size() || !mem.read(ra - b.size(), std::as_writable_bytes(std::span(b))))
        return false;
    auto at = [&](int back) { return b[b.size() - back]; };
    auto call_modrm = [](uint8_t m, int mod) { return ((m >> 3) & 7) == 2 && (m >> 6) == mod; };
    if (at(5) == 0xe8) return true;
    if (at(2) == 0xff && call_modrm(at(1), 3)) return true; // call *%reg
    if (at(2) == 0xff && call_modrm(at(1), 0) && (at(1) & 7) != 4 && (at(1) & 7) != 5) return true;
    if (at(3) == 0xff && call_modrm(at(2), 0) && (at(2) & 7) == 4) return true; // [sib]
    if (at(3) == 0xff && call_modrm(at(2), 1) && (at(2) & 7) != 4) return true; // [reg+d8]
    if (at(4) == 0xff && call_modrm(at(3), 1) && (at(3) & 7) == 4) return true; // [sib+d8]
    if (at(6) == 0xff && (call_modrm(at(5), 2) || (call_modrm(at(5), 0) && (at(5) & 7) == 5)))
        return true;                                                            // d32, rip
    if (at(7) == 0xff && call_modrm(at(6), 2) && (at(6) & 7) == 4) return true; // [sib+d32]
    return false;
}

struct Step {
    cfi::Registers regs;
    bt::FoundBy how = bt::FoundBy::Lldb;
};

class Unwinder {
public:
    Unwinder(::lldb::SBTarget target, ::lldb::SBProcess process)
        : m_target(target), m_process(process), m_mem(process, target) {}

    // The caller of the frame whose registers are `regs`; `at_call`: the frame's PC is a
    // return address (look the row up at PC - 1: the call may be the function's last
    // instruction).
    Result<Step> caller(const cfi::Registers& regs, bool at_call) {
        uint64_t pc = *regs[cfi::Rip];
        uint64_t sp = regs[cfi::Rsp].value_or(0);
        std::string why;
        uint64_t lookup = at_call ? pc - 1 : pc;
        ::lldb::SBModule module = m_target.ResolveLoadAddress(lookup).GetModule();
        auto key = module_key(module, m_target);
        if (!key) why = fmt::format("no module holds {:#x}", pc);
        // The CFI may be in either file: a separate debug file keeps .debug_frame but only a
        // placeholder of .eh_frame, which stays in the library itself (Debian's libc6-dbg).
        for (const std::string& path : cfi_paths(module, key ? key->path : "")) {
            const cfi::CfiTable* table = cfi_table(path);
            if (!table) {
                why = "no CFI in " + path;
                continue;
            }
            auto row = table->row_at(lookup - key->load_bias);
            if (!row) {
                why = row.error().message;
                continue;
            }
            auto next = cfi::step(*row, regs, m_mem);
            if (next && plausible(*next, sp))
                return Step{*next, row->section == cfi::Section::DebugFrame
                                       ? bt::FoundBy::DebugFrame
                                       : bt::FoundBy::EhFrame};
            why = next ? "the CFI gave an implausible caller" : next.error().message;
        }
        // Without CFI: the %rbp chain, unless the stack holds a return address nearer than the
        // one %rbp points at. Then %rbp is some older frame's (code built without frame
        // pointers leaves it alone), and following it would skip the frames in between.
        auto fp = frame_pointer(regs);
        auto scanned = scan(regs);
        if (fp && (!scanned || *(*scanned)[cfi::Rsp] >= *(*fp)[cfi::Rsp]))
            return Step{*fp, bt::FoundBy::FramePointer};
        if (scanned) return Step{*scanned, bt::FoundBy::StackScan};
        return err("no caller found for {:#x} ({}; no frame-pointer chain; no return address "
                   "in {} words of stack)",
                   pc, why, k_scan_words);
    }

private:
    // A caller must return into code, on a stack no lower than the callee's: code some module
    // names, or, as the CFI says so, generated code in executable memory of no module (a JIT's
    // page). Only the CFI's answer is trusted that far: a scanned word must name its code.
    bool plausible(const cfi::Registers& next, uint64_t callee_sp) {
        if (!next[cfi::Rip] || !next[cfi::Rsp] || *next[cfi::Rip] == 0) return false;
        if (*next[cfi::Rsp] <= callee_sp) return false;
        return returns_into_code(m_target, *next[cfi::Rip]) || executable(*next[cfi::Rip]);
    }

    bool executable(uint64_t pc) {
        ::lldb::SBMemoryRegionInfo region;
        return m_process.GetMemoryRegionInfo(pc, region).Success() && region.IsExecutable() &&
               region.IsMapped();
    }

    std::optional<cfi::Registers> frame_pointer(const cfi::Registers& regs) {
        if (!regs[cfi::Rbp] || !regs[cfi::Rsp]) return std::nullopt;
        uint64_t fp = *regs[cfi::Rbp], sp = *regs[cfi::Rsp];
        if (fp < sp || fp - sp > (1u << 20) || fp % 8) return std::nullopt;
        std::array<uint64_t, 2> w{};
        if (!m_mem.read(fp, std::as_writable_bytes(std::span(w)))) return std::nullopt;
        cfi::Registers next = regs;
        next[cfi::Rbp] = w[0];
        next[cfi::Rip] = w[1];
        next[cfi::Rsp] = fp + 16;
        if (!returns_into_code(m_target, w[1]) || !follows_call(m_mem, w[1])) return std::nullopt;
        return next;
    }

    // The first word above %rsp that is a return address into named code, right after a call
    // instruction. The registers a callee saved are not known then; the callee-saved ones keep
    // their values (right when the skipped code saved none, as generated stubs do).
    std::optional<cfi::Registers> scan(const cfi::Registers& regs) {
        if (!regs[cfi::Rsp]) return std::nullopt;
        uint64_t sp = *regs[cfi::Rsp];
        std::vector<uint64_t> words(k_scan_words);
        // One read of the block; a stack near its top is shorter: halve until it reads.
        size_t n = words.size();
        while (n >= 8 && !m_mem.read(sp, std::as_writable_bytes(std::span(words.data(), n))))
            n /= 2;
        if (n < 8) return std::nullopt;
        for (size_t i = 0; i < n; ++i) {
            uint64_t w = words[i];
            if (w < 0x1000 || !returns_into_code(m_target, w) || !follows_call(m_mem, w)) continue;
            cfi::Registers next = regs;
            for (unsigned r : {cfi::Rax, cfi::Rcx, cfi::Rdx, cfi::Rsi, cfi::Rdi, cfi::R8, cfi::R9,
                               cfi::R10, cfi::R11})
                next[r].reset();
            next[cfi::Rip] = w;
            next[cfi::Rsp] = sp + 8 * (i + 1);
            return next;
        }
        return std::nullopt;
    }

    ::lldb::SBTarget m_target;
    ::lldb::SBProcess m_process;
    SBMemoryReader m_mem;
};

// The frames (innermost inlined first) at a PC seam found, named as collect_frame names LLDB's.
std::vector<bt::RawFrame> frames_at(::lldb::SBTarget& target, uint64_t pc, bool at_call,
                                    bt::FoundBy how) {
    uint64_t lookup = at_call ? pc - 1 : pc;
    ::lldb::SBAddress addr = target.ResolveLoadAddress(lookup);
    ::lldb::SBSymbolContext sc =
        target.ResolveSymbolContextForAddress(addr, ::lldb::eSymbolContextEverything);
    bt::RawFrame base;
    base.pc = pc;
    base.found_by = how;
    if (sc.GetModule().IsValid())
        base.module = or_empty(sc.GetModule().GetFileSpec().GetFilename());
    if (sc.GetSymbol().IsValid()) {
        base.symbol = or_empty(sc.GetSymbol().GetMangledName());
        if (base.symbol.empty()) base.symbol = or_empty(sc.GetSymbol().GetName());
    }
    const DebugInfo* info = nullptr;
    if (auto found = DebugInfoCache::shared().get(sc.GetModule(), target)) info = *found;
    if (info) base.dwarf_lang = info->language_at(lookup);

    std::vector<bt::RawFrame> out;
    ::lldb::SBLineEntry line = sc.GetLineEntry();
    std::string file = line.IsValid() ? or_empty(line.GetFileSpec().GetFilename()) : "";
    uint32_t ln = line.IsValid() ? line.GetLine() : 0, col = line.IsValid() ? line.GetColumn() : 0;
    // Inlined blocks from the innermost out: each is a frame of its own, at the line where the
    // next one in was called.
    for (::lldb::SBBlock b = sc.GetBlock().GetContainingInlinedBlock(); b.IsValid();
         b = b.GetParent().GetContainingInlinedBlock()) {
        bt::RawFrame f = base;
        f.inlined = true;
        f.function = or_empty(b.GetInlinedName());
        f.file = file, f.line = ln, f.column = col;
        out.push_back(f);
        file = or_empty(b.GetInlinedCallSiteFile().GetFilename());
        ln = b.GetInlinedCallSiteLine();
        col = b.GetInlinedCallSiteColumn();
    }
    bt::RawFrame f = base;
    if (sc.GetFunction().IsValid())
        f.function = or_empty(sc.GetFunction().GetName());
    else if (sc.GetSymbol().IsValid())
        f.function = or_empty(sc.GetSymbol().GetName());
    f.file = file, f.line = ln, f.column = col;
    out.push_back(f);
    // Names from the DWARF, inlined calls included, as collect_frame names LLDB's frames.
    for (size_t k = 0; info && k < out.size(); ++k)
        if (auto name = info->frame_name_at(lookup, unsigned(out.size()), unsigned(k)))
            out[k].function = std::move(*name);
    return out;
}

// The last frame LLDB found through code nobody can name (a PC in no module or symbol): LLDB
// had no unwind plan there but its architecture default (%rbp), so the frames it gives after
// it are a guess. None when every frame is named.
std::optional<size_t> first_unknown(::lldb::SBThread& thread, ::lldb::SBTarget& target,
                                    const bt::RawThread& t) {
    // A caller's PC is a return address: after a call to a noreturn function (`abort`) it is
    // one past its function's last byte, so the call itself (pc - 1) is what must be known.
    for (size_t i = 1; i + 1 < t.frames.size(); ++i)
        if (!t.frames[i].inlined && !returns_into_code(target, t.frames[i].pc)) return i;
    return std::nullopt;
}

// Whether the physical frame whose first entry is `first` stopped at a call (its PC is a return
// address) rather than being interrupted: not the innermost frame nor one a signal trampoline
// (`__restore_rt`) interrupted.
bool stopped_at_call(::lldb::SBThread& thread, const bt::RawThread& t, size_t first) {
    if (first == 0) return false;
    const char* callee = thread.GetFrameAtIndex(t.frames[first].index - 1).GetFunctionName();
    return !(callee && std::string_view(callee) == "__restore_rt");
}

// Whether LLDB's frame `f` runs in a part of its function apart from the function's start.
bool in_split_part(::lldb::SBThread& thread, ::lldb::SBTarget& target, const bt::RawFrame& f,
                   ::lldb::SBFrame& frame) {
    if (f.inlined || f.artificial || !f.debugger_index) return false;
    frame = thread.GetFrameAtIndex(*f.debugger_index);
    ::lldb::SBFunction function = frame.GetFunction();
    ::lldb::SBSymbol symbol = frame.GetSymbol();
    if (!function.IsValid() || !symbol.IsValid()) return false;
    // gcc may place the cold part below the hot one (rustc 1.96's link): LLDB's function then
    // starts at the part, and only the symbol's name says what it is.
    bool cold = false;
    bt::without_cold_suffix(or_empty(symbol.GetName()), cold);
    return cold || function.GetStartAddress().GetLoadAddress(target) !=
                       symbol.GetStartAddress().GetLoadAddress(target);
}

// The first physical frame (its first entry) whose caller LLDB took from the wrong CFI: a PC in
// a part of its function apart from where LLDB's function starts (gcc's `foo.cold`, placed
// after `foo`). LLDB 19 spans such a function from its lowest address to its highest and
// unwinds every PC in it by the FDE at that start, the hot part's, so for the cold part it
// reads the return address from the wrong stack slot (the caller it found was __restore_rt and
// then nothing). The part's own FDE decides: a frame is taken from LLDB's caller only where
// seam's CFI finds another one; where seam's finds none, LLDB's stands. LLDB 22 unwinds split
// functions right, and agrees.
// With `any`, the first part whatever seam's CFI finds (see extend_with_seam_unwind).
std::optional<size_t> first_misunwound_part(::lldb::SBThread& thread, ::lldb::SBTarget& target,
                                            const bt::RawThread& t, Unwinder& unwinder,
                                            bool any = false) {
    for (size_t i = 0; i + 1 < t.frames.size(); ++i) {
        const bt::RawFrame& caller = t.frames[i + 1];
        ::lldb::SBFrame frame;
        if (caller.artificial || !in_split_part(thread, target, t.frames[i], frame)) continue;
        size_t first = i;
        while (first > 0 && t.frames[first - 1].inlined) --first;
        if (any) return first;
        auto step = unwinder.caller(registers_of(frame), stopped_at_call(thread, t, first));
        if (!step) continue;
        if (*step->regs[cfi::Rip] != caller.pc || step->regs[cfi::Rsp] != caller.sp) return first;
    }
    return std::nullopt;
}

// Where the function holding `pc` begins: the DWARF function's entry (which also covers its
// `.cold` part), else the symbol's.
std::optional<uint64_t> function_start(::lldb::SBTarget& target, uint64_t pc) {
    ::lldb::SBAddress a = target.ResolveLoadAddress(pc);
    ::lldb::SBSymbolContext sc = target.ResolveSymbolContextForAddress(
        a, ::lldb::eSymbolContextFunction | ::lldb::eSymbolContextSymbol);
    uint64_t start = LLDB_INVALID_ADDRESS;
    if (sc.GetFunction().IsValid())
        start = sc.GetFunction().GetStartAddress().GetLoadAddress(target);
    else if (sc.GetSymbol().IsValid())
        start = sc.GetSymbol().GetStartAddress().GetLoadAddress(target);
    if (start == LLDB_INVALID_ADDRESS) return std::nullopt;
    return start;
}

// Where every unwind ends: the first function of the main thread and of the others; in the
// Linux kernel, a kernel thread's (ret_from_fork_asm, which calls ret_from_fork) and the boot
// CPU's and the others' idle tasks (x86-64).
bool is_outermost(std::string_view name) {
    for (std::string_view start :
         {"_start", "clone3", "__clone3", "clone", "__clone", "ret_from_fork_asm", "ret_from_fork",
          "secondary_startup_64", "secondary_startup_64_no_verify", "common_startup_64"})
        if (name == start) return true;
    return false;
}

// A retpoline: how code built against Spectre v2 (the kernel, gcc's -mindirect-branch=thunk)
// makes an indirect call. A direct call to one called whatever the register held, so it says
// nothing of a tail call.
bool is_indirect_branch_thunk(std::string_view name) {
    for (std::string_view thunk :
         {"__x86_indirect_thunk", "__x86_indirect_call_thunk", "__x86_indirect_jump_thunk",
          "__x86_return_thunk", "__llvm_retpoline_", "__llvm_lvi_thunk_"})
        if (name.starts_with(thunk)) return true;
    return false;
}

// The function a call that returns to `ra` called, when the call names it: `e8 rel32`, or
// `ff 15 disp32` through a GOT slot (how rustc calls an extern function in a PIE).
std::optional<uint64_t> direct_call_target(MemoryReader& mem, uint64_t ra) {
    std::array<uint8_t, 6> b{};
    if (ra < b.size() || !mem.read(ra - b.size(), std::as_writable_bytes(std::span(b))))
        return std::nullopt;
    int32_t rel = 0;
    if (b[1] == 0xe8) {
        std::memcpy(&rel, &b[2], 4);
        return ra + int64_t(rel);
    }
    if (b[0] == 0xff && b[1] == 0x15) {
        std::memcpy(&rel, &b[2], 4);
        uint64_t slot = ra + int64_t(rel), target = 0;
        if (!mem.read(slot, std::as_writable_bytes(std::span(&target, 1)))) return std::nullopt;
        return target;
    }
    return std::nullopt;
}

} // namespace

// Every outermost function is a thread's start (a kernel thread's ret_from_fork_asm included:
// LLDB's unwind that ends there is whole), and so are libc's frames under them.
bool is_thread_start(std::string_view name) {
    if (is_outermost(name)) return true;
    for (std::string_view start : {"__libc_start_call_main", "__libc_start_main",
                                   "__libc_start_main_impl", "start_thread", "thread_start"})
        if (name == start) return true;
    return false;
}

void extend_with_seam_unwind(::lldb::SBThread thread, bt::RawThread& t, uint32_t max_frames) {
    if (t.frames.empty()) return;
    ::lldb::SBTarget target = thread.GetProcess().GetTarget();
    Unwinder unwinder(target, thread.GetProcess());
    std::optional<size_t> unknown = first_unknown(thread, target, t);
    std::optional<size_t> part = first_misunwound_part(thread, target, t, unwinder);
    const bt::RawFrame& last = t.frames.back();
    bool whole = is_thread_start(clean_rust_name(last.function));
    // LLDB's unwind ended early past a split part whose caller's pc and sp seam's CFI agrees
    // with (rustc 1.96's link, in a gcore'd core: the part's caller right, the frame after it
    // __restore_rt and then nothing): the registers LLDB gave that caller came from the other
    // part's rules, so seam restarts at the part.
    if (!part && !whole) part = first_misunwound_part(thread, target, t, unwinder, true);
    if (part && unknown && *unknown < *part) part.reset();
    if (part) unknown.reset();
    if (whole && !unknown && !part) return;

    // Restart from the frame seam trusts last: the unknown one or the split function's part
    // (their own registers are right: LLDB unwound *into* them by the CFI of their callee), or
    // LLDB's last frame.
    size_t from = part ? *part : unknown ? *unknown : t.frames.size() - 1;
    while (from > 0 && t.frames[from].inlined) --from; // the physical frame's first entry
    ::lldb::SBFrame start = thread.GetFrameAtIndex(t.frames[from].index);
    cfi::Registers regs = registers_of(start);
    if (!regs[cfi::Rip]) return;
    bool at_call = stopped_at_call(thread, t, from);
    std::vector<bt::RawFrame> found;
    std::string stopped;
    uint64_t last_sp = regs[cfi::Rsp].value_or(0);
    while (from + 1 + found.size() < max_frames) {
        auto step = unwinder.caller(regs, at_call);
        if (!step) {
            // The CFI of the outermost frame (`_start`, `clone3`) leaves %rip undefined: the
            // unwind is whole.
            if (!step.error().message.starts_with("the return address is undefined"))
                stopped = step.error().message;
            break;
        }
        regs = step->regs;
        at_call = true;
        if (*regs[cfi::Rsp] <= last_sp) {
            stopped = fmt::format("the stack pointer went backwards at {:#x}", *regs[cfi::Rip]);
            break;
        }
        last_sp = *regs[cfi::Rsp];
        auto frames = frames_at(target, *regs[cfi::Rip], true, step->how);
        bool end = is_outermost(clean_rust_name(frames.back().function));
        for (auto& f : frames) found.push_back(std::move(f));
        if (end) break;
    }

    std::string lldb_said;
    if (part) {
        size_t entry = *part;
        while (entry + 1 < t.frames.size() && t.frames[entry].inlined) ++entry;
        lldb_said = fmt::format(
            "LLDB unwound #{} ({}, a part of its function apart from the function's start) by "
            "the CFI of another part, so its {} frame(s) after it were wrong",
            t.frames[entry].index, t.frames[entry].symbol, t.frames.size() - entry - 1);
    } else if (unknown) {
        lldb_said = fmt::format(
            "LLDB unwound through #{} at {:#x}, which no module or symbol covers (generated "
            "code?), so its {} frame(s) after it were a guess",
            t.frames[*unknown].index, t.frames[*unknown].pc, t.frames.size() - *unknown - 1);
    } else {
        lldb_said = fmt::format("LLDB's unwind stopped at #{} ({}), before the thread's start",
                                last.index, last.function.empty() ? "??" : last.function);
    }
    if (found.empty()) {
        t.unwind_note = lldb_said + "; seam's unwinder found no caller either: " + stopped;
        return;
    }
    // Keep the whole physical frame seam restarted from: its inlined calls and its function.
    size_t through = from;
    while (through + 1 < t.frames.size() && t.frames[through].inlined) ++through;
    t.frames.resize(through + 1);
    uint32_t index = t.frames.back().index;
    for (auto& f : found) {
        f.index = ++index;
        t.frames.push_back(std::move(f));
    }
    t.unwind_note = lldb_said + fmt::format("; seam unwound {} more frame(s) from #{}",
                                            found.size(), t.frames[from].index);
    if (!stopped.empty()) t.unwind_note += " and then stopped: " + stopped;
}

void infer_tail_calls(::lldb::SBThread thread, bt::RawThread& t) {
    ::lldb::SBTarget target = thread.GetProcess().GetTarget();
    SBMemoryReader mem(thread.GetProcess(), target);
    std::vector<bt::RawFrame> out;
    bool changed = false;
    for (size_t i = 0; i < t.frames.size(); ++i) {
        out.push_back(t.frames[i]);
        const bt::RawFrame& callee = t.frames[i];
        // A physical frame ends at its non-inlined entry; its caller's PC is a return address
        // unless the callee is the signal trampoline (the caller was interrupted, not calling).
        if (callee.inlined || i + 1 >= t.frames.size()) continue;
        if (callee.function == "__restore_rt" || callee.pc == 0) continue;
        // LLDB's own tail-call frames (from DW_TAG_call_site): the caller's pc next to one is
        // not a return address, and the call before it is not this frame's.
        if (callee.artificial || t.frames[i + 1].artificial) continue;
        bool callee_at_call = i > 0 && t.frames[i - 1].function != "__restore_rt";
        auto start = function_start(target, callee_at_call ? callee.pc - 1 : callee.pc);
        if (!start) continue;
        uint64_t ra = t.frames[i + 1].pc;
        auto called_at = direct_call_target(mem, ra);
        if (!called_at) continue;
        uint64_t called = *called_at;
        if (called == *start) continue;
        // A call through the PLT reaches another module's function by a stub: no tail call.
        ::lldb::SBAddress target_addr = target.ResolveLoadAddress(called);
        ::lldb::SBSection section = target_addr.GetSection();
        std::string section_name = section.IsValid() ? or_empty(section.GetName()) : "";
        if (section_name.starts_with(".plt") || !target_addr.GetSymbol().IsValid()) continue;
        if (is_indirect_branch_thunk(or_empty(target_addr.GetSymbol().GetName()))) continue;
        // The callee runs in the cold part of a function gcc split (`f.cold`), and the call went
        // to `f`: its hot part jumped to its own cold part, nothing was tail-called (seen when
        // seam's unwinder, not LLDB's, found the caller).
        bool cold = false;
        std::string_view hot = bt::without_cold_suffix(callee.symbol, cold);
        if (cold && (hot == or_empty(target_addr.GetSymbol().GetName()) ||
                     hot == or_empty(target_addr.GetSymbol().GetMangledName())))
            continue;
        ::lldb::SBAddress callee_addr = target.ResolveLoadAddress(callee.pc);
        if (!(target_addr.GetModule() == callee_addr.GetModule())) continue;
        auto frames = frames_at(target, called, false, bt::FoundBy::TailCall);
        bt::RawFrame f = frames.back(); // the function itself, not what its entry inlines
        f.file.clear();
        f.line = f.column = 0;
        out.push_back(std::move(f));
        changed = true;
    }
    if (!changed) return;
    for (size_t i = 0; i < out.size(); ++i) out[i].index = static_cast<uint32_t>(i);
    t.frames = std::move(out);
}

} // namespace seam::lldb
