#pragma once
/// What a core file says of the executable that dumped it, read from the file itself: LLDB
/// loads whatever executable it is given with an ELF core, even one with another build-id, and
/// then unwinds garbage; seam-report checks the build-ids first.
#include <string>

#include "formatters/core/result.h"

namespace seam::report {

struct CoreExecutable {
    std::string format;   ///< "elf" or "minidump"
    std::string path;     ///< the executable's path as the core records it; "" if not recorded
    std::string build_id; ///< lowercase hex; "" when the core does not record it
};

/// Reads an ELF core (NT_FILE's first file mapping, and the build-id note in that mapping's
/// first page, which the kernel and gdb dump) or a minidump (its first module's name and
/// CodeView build-id record). An error for a file that is neither, or is cut short.
Result<CoreExecutable> read_core_executable(const std::string& core);

/// The GNU build-id of an ELF file (lowercase hex), "" when it has none.
Result<std::string> read_build_id(const std::string& elf);

} // namespace seam::report
