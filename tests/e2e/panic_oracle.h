#pragma once
// What the crash fixtures themselves say: the panic blocks std's hook wrote to stderr (the
// oracle for messages and locations) and the `// MARK:<kind>` lines of their sources.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace seam::e2e {

struct PanicBlock {
    std::string location; ///< `file:line:col` as printed after "panicked at "
    std::string message;  ///< the message lines, joined with '\n'
};

/// Every `thread '…' (…) panicked at LOC:\nMESSAGE` block of `text`, in order
/// (and std's pre-1.73 `panicked at 'MESSAGE', LOC` form).
std::vector<PanicBlock> panic_blocks(const std::string& text);

/// The line (1-based) of `// MARK:<kind>` (or `/* MARK:<kind> */`) in `source`; 0 if absent.
uint32_t marker_line(const std::string& source_path, const std::string& kind);

/// The whole file, or "" when it cannot be read.
std::string slurp(const std::string& path);

} // namespace seam::e2e
