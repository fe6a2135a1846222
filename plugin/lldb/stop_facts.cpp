#include "plugin/lldb/stop_facts.h"

#include <lldb/API/SBAddress.h>
#include <lldb/API/SBFileSpec.h>
#include <lldb/API/SBFrame.h>
#include <lldb/API/SBInstruction.h>
#include <lldb/API/SBInstructionList.h>
#include <lldb/API/SBLineEntry.h>
#include <lldb/API/SBMemoryRegionInfo.h>
#include <lldb/API/SBModule.h>
#include <lldb/API/SBSymbolContextList.h>
#include <lldb/API/SBTarget.h>
#include <lldb/API/SBUnixSignals.h>

#include <charconv>
#include <cstring>
#include <fmt/format.h>

#include "formatters/core/rust_names.h"
#include "formatters/report/core_file.h"
#include "plugin/lldb/debug_info_cache.h"
#include "plugin/lldb/process_queries.h"
#include "plugin/lldb/sb_memory.h"
#include "plugin/lldb/unwind_fallback.h"

namespace seam::lldb {

namespace {

bool has_stop_reason(::lldb::SBThread& t) {
    auto r = t.GetStopReason();
    return r != ::lldb::eStopReasonNone && r != ::lldb::eStopReasonInvalid;
}

// LLDB 19 says `signal SIGSEGV: address not mapped to object (fault address: 0x0)` live; a
// minidump keeps the address in its exception record, which LLDB prints the same way. LLDB 22
// says `SIGSEGV: address not mapped to object (fault address=0x0)`, for ELF cores too.
std::optional<uint64_t> fault_address_in(std::string_view description) {
    std::string_view rest;
    for (std::string_view key : {"fault address: ", "fault address="}) {
        auto at = description.find(key);
        if (at == std::string_view::npos) continue;
        rest = description.substr(at + key.size());
        break;
    }
    if (rest.empty()) return std::nullopt;
    int base = 10;
    if (rest.starts_with("0x")) {
        rest.remove_prefix(2);
        base = 16;
    }
    uint64_t v = 0;
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), v, base);
    if (ec != std::errc() || end == rest.data()) return std::nullopt;
    return v;
}

// LLDB 19 describes an ELF core's fault without its address (`signal SIGSEGV: address not mapped
// to object`); the core's NT_SIGINFO note for the thread has it.
std::optional<uint64_t> core_fault_address(::lldb::SBProcess& process, ::lldb::SBThread& thread) {
    ::lldb::SBFileSpec spec = process.GetCoreFile();
    char path[4096] = {0};
    if (!spec.IsValid() || spec.GetPath(path, sizeof path) == 0) return std::nullopt;
    auto core = report::read_core_executable(path);
    if (!core || core->format != "elf") return std::nullopt;
    for (const report::CoreThreadSignal& t : core->threads)
        if (uint64_t(t.tid) == thread.GetThreadID()) return t.fault_address;
    return std::nullopt;
}

bool mapped(::lldb::SBProcess& process, uint64_t addr) {
    ::lldb::SBMemoryRegionInfo info;
    return process.GetMemoryRegionInfo(addr, info).Success() && info.IsMapped();
}

// LLDB 19's minidumps record a SIGSEGV with no address. One fault needs none: on x86-64 a
// `call` or `push` whose only memory access is the word it stores at SP-8 faults there when SP
// is the lowest address of its mapping (the stack has run out: the kernel refused to grow it
// further, or the thread's guard page is next). An operand read from memory (`call [rax+8]`)
// could be the fault instead, so such an instruction deduces nothing.
void deduce_push_fault(::lldb::SBProcess& process, ::lldb::SBThread& thread,
                       crash::StopFacts& facts) {
    constexpr int k_sigsegv = 11;
    if (facts.fault_address || facts.signal != k_sigsegv) return;
    ::lldb::SBTarget target = process.GetTarget();
    const char* triple = target.GetTriple();
    if (!triple || !std::string_view(triple).starts_with("x86_64")) return;
    ::lldb::SBFrame frame = thread.GetFrameAtIndex(0);
    if (!frame.IsValid()) return;
    const uint64_t pc = frame.GetPC(), sp = frame.GetSP();
    if (pc == LLDB_INVALID_ADDRESS || sp == LLDB_INVALID_ADDRESS || sp < 8) return;
    if (!mapped(process, sp) || mapped(process, sp - 8)) return;
    ::lldb::SBInstructionList insns = target.ReadInstructions(target.ResolveLoadAddress(pc), 1);
    if (insns.GetSize() != 1) return;
    ::lldb::SBInstruction insn = insns.GetInstructionAtIndex(0);
    const char* mnemonic = insn.GetMnemonic(target);
    const char* operands = insn.GetOperands(target);
    if (!mnemonic || !operands) return;
    std::string_view m(mnemonic), ops(operands);
    bool pushes = m.starts_with("call") || m.starts_with("push");
    bool reads_memory = ops.find_first_of("[(") != std::string_view::npos;
    if (!pushes || reads_memory) return;
    facts.fault_address = sp - 8;
    facts.fault_address_deduced =
        fmt::format("the stop carries none; `{} {}` at {:#x} stores at SP-8 = {:#x}, below the "
                    "start of SP's mapping",
                    m, ops, pc, sp - 8);
}

// A core's stop is described as `signal SIGABRT` with no SBUnixSignals stop data on some
// paths (minidump exception records): the name alone gives the number.
// LLDB 22 leaves out the `signal ` (`SIGSEGV: address not mapped ...`).
void signal_from_description(::lldb::SBProcess& process, crash::StopFacts& facts) {
    constexpr std::string_view k_key = "signal SIG";
    auto at = facts.description.find(k_key);
    size_t start = 0;
    if (at != std::string::npos)
        start = at + std::strlen("signal ");
    else if (!facts.description.starts_with("SIG"))
        return;
    size_t end = start;
    while (end < facts.description.size() &&
           (std::isalnum(static_cast<unsigned char>(facts.description[end])) ||
            facts.description[end] == '_'))
        ++end;
    std::string name = facts.description.substr(start, end - start);
    int32_t signo = process.GetUnixSignals().GetSignalNumberFromName(name.c_str());
    if (signo > 0) {
        facts.signal = signo;
        facts.signal_name = name;
    }
}

// panic_unwind's personality cleanup is linked only into programs built with panic=unwind;
// a Rust program (one with std's rust_panic) without it was built with panic=abort.
std::string panic_runtime_of(::lldb::SBTarget target) {
    ::lldb::SBModule exe = target.GetModuleAtIndex(0);
    if (!exe.IsValid()) return "";
    auto defines = [&](const char* regex) {
        return exe.FindFunctions(regex, ::lldb::eFunctionNameTypeAny).GetSize() > 0 ||
               target.FindGlobalFunctions(regex, 1, ::lldb::eMatchTypeRegex).GetSize() > 0;
    };
    if (defines("^panic_unwind::")) return "unwind";
    if (defines("(^|::)rust_panic$")) return "abort";
    return "";
}

// Frames a fallback unwinder found carry no line: the culprit's file:line is what a panic
// without a message is located by, so look it up from the PC (a caller's PC is a return
// address: the call is the byte before it).
void fill_lines(::lldb::SBTarget target, bt::RawThread& t) {
    for (size_t i = 0; i < t.frames.size(); ++i) {
        bt::RawFrame& f = t.frames[i];
        if (!f.file.empty() || f.pc == 0) continue;
        ::lldb::SBAddress addr = target.ResolveLoadAddress(i == 0 ? f.pc : f.pc - 1);
        ::lldb::SBLineEntry line = addr.GetLineEntry();
        if (!line.IsValid() || !line.GetFileSpec().IsValid()) continue;
        const char* file = line.GetFileSpec().GetFilename();
        if (!file) continue;
        f.file = file;
        f.line = line.GetLine();
        f.column = line.GetColumn();
    }
}

} // namespace

crash::StopFacts stop_facts(::lldb::SBProcess process, ::lldb::SBThread thread) {
    crash::StopFacts facts;
    // A live process is driven through lldb-server (`gdb-remote`); cores by `minidump`/`elf-core`.
    const char* plugin = process.GetPluginName();
    facts.from_core = plugin && std::string_view(plugin) != "gdb-remote";
    facts.panic_runtime = panic_runtime_of(process.GetTarget());
    if (process.GetState() == ::lldb::eStateExited) {
        facts.exit_status = process.GetExitStatus();
        const char* d = process.GetExitDescription();
        facts.description = d ? d : "exited";
        return facts;
    }
    if (!thread.IsValid()) return facts;
    char buf[512] = {0};
    thread.GetStopDescription(buf, sizeof buf);
    facts.description = buf;
    if (thread.GetStopReason() == ::lldb::eStopReasonSignal &&
        thread.GetStopReasonDataCount() > 0) {
        facts.signal = int(thread.GetStopReasonDataAtIndex(0));
        const char* name = process.GetUnixSignals().GetSignalAsCString(facts.signal);
        facts.signal_name = name ? name : "";
    }
    if (facts.signal == 0) signal_from_description(process, facts);
    facts.fault_address = fault_address_in(facts.description);
    if (!facts.fault_address && facts.from_core)
        facts.fault_address = core_fault_address(process, thread);
    deduce_push_fault(process, thread, facts);
    return facts;
}

::lldb::SBThread crashing_thread(::lldb::SBProcess process) {
    ::lldb::SBThread selected = process.GetSelectedThread();
    if (selected.IsValid() && has_stop_reason(selected)) return selected;
    for (uint32_t i = 0; i < process.GetNumThreads(); ++i) {
        ::lldb::SBThread t = process.GetThreadAtIndex(i);
        if (has_stop_reason(t)) return t;
    }
    return selected.IsValid() ? selected : process.GetThreadAtIndex(0);
}

Result<ThreadVerdict> classify_thread(::lldb::SBProcess process, ::lldb::SBThread thread,
                                      const BacktraceOptions& options) {
    if (!process.IsValid()) return err("no process: seam needs a stopped process or a core file");
    crash::StopFacts facts = stop_facts(process, thread);
    ThreadVerdict v;
    if (facts.exit_status) {
        v.classification = crash::classify({.stop = facts});
        return v;
    }
    if (process.GetState() != ::lldb::eStateStopped)
        return err("the process is running: stop it first");
    if (!thread.IsValid()) return err("no thread to explain");
    // LLDB's own frames when its unwind reaches the thread's start (whole, and every frame with
    // its registers: the panic scan needs the hook frame's SP and CFA); seam's unwinder where
    // LLDB stops early.
    BacktraceOptions lldb_only = options;
    lldb_only.seam_unwind = false;
    bt::RawThread raw = collect_thread(thread, lldb_only);
    bool whole =
        !raw.frames.empty() && is_thread_start(clean_rust_name(raw.frames.back().function));
    if (!whole) raw = collect_thread(thread, options);
    fill_lines(process.GetTarget(), raw);
    v.backtrace = bt::classify(std::move(raw));
    ::lldb::SBTarget target = process.GetTarget();
    SBMemoryReader memory(process, target);
    const DebugInfo* info = nullptr;
    if (auto d = DebugInfoCache::shared().get(target.GetModuleAtIndex(0), target)) info = *d;
    SBProcessQueries queries(process);
    crash::Inputs in{.stop = facts,
                     .backtrace = &v.backtrace,
                     .memory = &memory,
                     .debug_info = info,
                     .process = &queries,
                     .full_names = options.full_names};
    v.classification = crash::classify(in);
    return v;
}

} // namespace seam::lldb
