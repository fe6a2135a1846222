#pragma once
/// The DWARF backend: types, variables in scope and their locations, read with libdwarf from
/// an ELF file. It is the engine's reference type source; it never calls a debugger.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "formatters/core/memory.h"
#include "formatters/core/result.h"
#include "formatters/core/type.h"
#include "formatters/core/value.h"

namespace seam {

/// A DWARF location description valid over [low, high) (load addresses), or everywhere.
struct LocationRange {
    uint64_t low = 0;
    uint64_t high = 0;
    bool everywhere = false;
    std::vector<uint8_t> expr; ///< DW_OP_* bytes
};

struct Variable {
    std::string name;
    const Type* type = nullptr;
    bool is_parameter = false;
    std::string decl_file;
    uint32_t decl_line = 0;
    std::vector<LocationRange> location;   ///< empty: optimised out
    std::string location_error;            ///< set when DW_AT_location could not be read
    std::vector<LocationRange> frame_base; ///< the enclosing subprogram's DW_AT_frame_base
    uint64_t die_offset = 0;               ///< identity, for mapping a debugger's variable back
};

/// Registers and CFA of one frame, as the debugger unwound them.
class FrameState {
public:
    virtual ~FrameState() = default;
    /// The register with DWARF number `regno` (x86-64 numbering: 0 rax, 1 rdx, 2 rcx, 3 rbx,
    /// 4 rsi, 5 rdi, 6 rbp, 7 rsp, 8-15 r8-r15, 16 rip, 17-32 xmm0-15), if known.
    virtual std::optional<uint64_t> reg(unsigned regno) const = 0;
    /// The raw bytes of a register (vector registers), if known.
    virtual std::optional<std::vector<std::byte>> reg_bytes(unsigned regno) const = 0;
    /// The canonical frame address.
    virtual std::optional<uint64_t> cfa() const = 0;
};

/// One function frame's view of the code: name and language at a PC.
struct FunctionInfo {
    std::string name;      ///< DW_AT_name
    std::string linkage;   ///< DW_AT_linkage_name, if any
    std::string qualified; ///< with namespaces (Rust: `crate::module::func`)
    Lang lang = Lang::Unknown;
    std::string file;
    uint32_t line = 0;
};

/// A thread-local variable: each thread has its own copy, `offset` bytes into the module's TLS
/// block (where the block lies is the thread's: its thread pointer and the loader's layout).
struct ThreadLocalVariable {
    std::string
        name; ///< qualified (`t::CACHE::{constant#0}::{closure#0}::__RUST_STD_INTERNAL_VAL`)
    const Type* type = nullptr;
    uint64_t offset = 0;
};

class DebugInfo : public TypeIndex {
public:
    /// Opens `path` (an ELF with DWARF 4 or 5, from gcc or rustc). `load_bias` is added to every
    /// address in the file to get a load address (0 for non-PIE, the slide for PIE).
    static Result<std::unique_ptr<DebugInfo>> open(const std::string& path, uint64_t load_bias);
    ~DebugInfo() override;

    uint64_t load_bias() const;
    const std::string& path() const;

    /// The language of the compile unit holding `pc` (a load address), Unknown if none.
    Lang language_at(uint64_t pc) const;
    /// The innermost function (inlined ones included) at `pc`.
    std::optional<FunctionInfo> function_info_at(uint64_t pc) const;
    /// The function `inline_depth` levels out from the innermost at `pc`: 0 is the innermost,
    /// N the caller into which the N innermost inlined subroutines were inlined (as debuggers
    /// show one frame per inlined call). nullopt past the outermost subprogram.
    std::optional<FunctionInfo> function_info_at(uint64_t pc, unsigned inline_depth) const;
    /// How many function scopes hold `pc`: 1 + the inlined subroutines nested at it (0: none).
    unsigned function_depth_at(uint64_t pc) const;
    /// The qualified name (function_info_at) of the frame `inline_depth` levels out at `pc`,
    /// for a debugger that shows `frames` frames there (the inlined calls and the function they
    /// were inlined into), so that inlined frames are named from their DW_TAG_inlined_subroutine's
    /// origin just as frames of their own are. None when the DWARF's chain at `pc` is not
    /// `frames` long (the frames would not line up), except that a lone frame (`frames` 1) then
    /// takes the innermost function.
    std::optional<std::string> frame_name_at(uint64_t pc, unsigned frames,
                                             unsigned inline_depth) const;
    /// Variables in scope at `pc`: innermost lexical block first, then outer blocks, then the
    /// subprogram's parameters and locals. A name shadowed by an inner scope appears once (inner).
    Result<std::vector<Variable>> variables_at(uint64_t pc) const;
    /// The same for the function `inline_depth` levels out (see function_info_at): the blocks
    /// and locals of the caller that enclose the inlined call site, the inlined callees' own
    /// variables left out. An error when `inline_depth` is past the outermost subprogram.
    Result<std::vector<Variable>> variables_at(uint64_t pc, unsigned inline_depth) const;
    /// Evaluates the variable's location at `pc` with the frame's registers.
    Result<Value> locate(const Variable& var, uint64_t pc, const FrameState& frame,
                         MemoryReader& mem) const;

    // TypeIndex
    const Type* find_type(std::string_view qualified) const override;
    void complete(const Type* t) const override;
    /// Every qualified name find_type knows, sorted: what a tool that walks all the types of a
    /// program (the fuzz targets' fixed type graph, tests/fuzz) enumerates.
    std::vector<std::string> type_names() const;
    std::optional<GlobalVariable> global_at(uint64_t load_address) const override;
    std::optional<GlobalVariable> global_near(uint64_t load_address,
                                              const std::vector<uint64_t>& near) const override;
    /// Every global with a fixed address (DW_OP_addr, or DWARF 5's DW_OP_addrx through the
    /// unit's .debug_addr table), in C and Rust units alike, in address order: the statics
    /// that `seam own --process` takes as roots. Thread-locals (DW_OP_form_tls_address) are
    /// not among them.
    std::vector<GlobalVariable> globals() const;
    /// The thread-locals of this module (DW_OP_form_tls_address) whose offset and size the
    /// symbol table confirms, by offset: `seam own --thread` and `--process` read each thread's
    /// copy as a root.
    std::vector<ThreadLocalVariable> thread_locals() const;
    std::string function_at(uint64_t load_address) const override;

    struct Impl;

private:
    explicit DebugInfo(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

/// Evaluates a DWARF location expression to a Value of type `t`. Supports DW_OP_addr, fbreg,
/// breg*, reg*, regx, call_frame_cfa, piece, stack_value, implicit_value, the arithmetic and
/// constant ops rustc and gcc emit, and DW_OP_entry_value where the caller's value is unknown
/// (an error). `frame_base` is the enclosing subprogram's, already selected for `pc`.
Result<Value> evaluate_location(const std::vector<uint8_t>& expr,
                                const std::vector<uint8_t>* frame_base, const Type* t,
                                const FrameState& frame, MemoryReader& mem, uint64_t load_bias);

} // namespace seam
