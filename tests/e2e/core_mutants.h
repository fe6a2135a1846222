#pragma once
/// Seeded mutants of real core/executable pairs, for probing seam-report with corrupt input the
/// way crash dumps arrive damaged in the field: bit flips in a core's ELF header, program headers
/// and notes, cores cut short, bit flips in an executable's ELF header, program and section
/// headers and notes (its build-id), and in its DWARF (`.debug_*`) and unwind tables
/// (`.eh_frame`, `.eh_frame_hdr`).
#include <cstdint>
#include <string>
#include <vector>

#include "formatters/core/result.h"

namespace seam::e2e {

/// One base pair: a core and the executable it records, by a path whose name ends in "-base".
struct CorePair {
    std::string core;
    std::string exe; ///< e.g. DIR/bin/crash-base; mutated executables go beside it
};

enum class MutationKind { CoreHeaders, Truncation, ExeHeaders, Dwarf, Unwind };
const char* name_of(MutationKind kind);

struct Mutant {
    std::string core; ///< in the output directory
    std::string exe;  ///< the executable the core records: the base one, or a mutated copy
    MutationKind kind;
    unsigned round = 0;        ///< MutationPlan::round
    unsigned flips = 0;        ///< bits flipped (not Truncation)
    uint64_t cut_at = 0;       ///< Truncation: the length the core was cut to
    uint64_t base_size = 0;    ///< the base core's size
    uint64_t segments_end = 0; ///< where the base core's last segment ends (a shorter one is cut)
};

struct MutationPlan {
    uint64_t seed = 1;
    /// A large run is made and analysed a round at a time, so that at most one round's mutated
    /// executables are on disk; a round's mutants are fixed by the seed and the round.
    unsigned round = 0;
    /// Per base pair, mutants of each kind.
    unsigned core_headers = 10, truncations = 8, exe_headers = 0, dwarf = 14, unwind = 8;
};

/// Writes the mutants of every base into `core_dir` (named `NNN-KIND-BASE.core`, so a sorted
/// listing is generation order; at most 1000 a round) and mutated executables beside each base
/// executable (`NAME-rNNN` for `NAME-base`, r the round's letter: a path of the same length,
/// which replaces the base path inside the mutant core so that the core records its own
/// executable). Deterministic for a seed and a round.
Result<std::vector<Mutant>> make_mutants(const std::vector<CorePair>& bases,
                                         const std::string& core_dir, const MutationPlan& plan);

/// The reproducer of an LLDB crash the mutants found: a copy of `base` whose executable's
/// section `section` claims `extra` bytes more than it holds (its header's sh_size), written to
/// `exe` (a path of the base executable's length), and a copy of its core that records `exe`,
/// written to `core`. LLDB 19 dies of SIGFPE loading an executable whose `.dynstr` claims
/// 8 GiB more.
Status write_oversized_section(const CorePair& base, const std::string& section, uint64_t extra,
                               const std::string& core, const std::string& exe);

/// File ranges of an ELF file's section contents whose names start with one of `prefixes`
/// (a prefix equal to a whole name matches that name).
struct Range {
    uint64_t offset = 0, size = 0;
};
Result<std::vector<Range>> section_ranges(const std::vector<unsigned char>& elf,
                                          const std::vector<std::string>& prefixes);
/// An ELF core's header, program header table and PT_NOTE contents.
Result<std::vector<Range>> header_and_note_ranges(const std::vector<unsigned char>& core);
/// An ELF file's header, program and section header tables, and its SHT_NOTE sections.
Result<std::vector<Range>> exe_header_ranges(const std::vector<unsigned char>& elf);
/// The end of the last segment's contents: a core cut before it is truncated.
Result<uint64_t> segments_end(const std::vector<unsigned char>& core);

} // namespace seam::e2e
