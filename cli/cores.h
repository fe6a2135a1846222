#pragma once
/// The cores a run of seam-report takes: its arguments expanded, and the one shard of them that
/// `--shard K/N` names.
#include <optional>
#include <string>
#include <vector>

#include "formatters/report/shard.h"

namespace seam::cli {

/// Every regular file under each directory argument (recursively, sorted: a batch's order is the
/// same every run), a file argument as it is, in the order of the arguments; with `shard`, only
/// the cores that fall in it (report::shard_of of their report::shard_key). `problem` says what
/// was wrong with an argument (no such file, an empty directory), else is left alone.
std::vector<std::string> expand(const std::vector<std::string>& args,
                                const std::optional<report::Shard>& shard, std::string& problem);

/// When a core was seen: its file's modification time as `2026-12-07T13:05:53Z` (UTC, to the
/// second; the kernel or gcore last wrote it at the crash), "" when it cannot be read.
std::string seen_of(const std::string& core);

} // namespace seam::cli
