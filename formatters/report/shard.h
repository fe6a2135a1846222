#pragma once
/// Splitting a batch of cores into N shards that N runs of seam-report, on as many machines,
/// each take one of (`--shard K/N`, docs/seam-report.md): every core lands in exactly one shard,
/// decided by the core alone, so runs that list the same cores in another order, at another
/// time, or under another mount point still agree.
#include <cstdint>
#include <string>
#include <string_view>

#include "formatters/core/result.h"

namespace seam::report {

struct Shard {
    uint32_t index = 0; ///< K: 0 to count - 1 (as a Kubernetes Indexed Job numbers its pods)
    uint32_t count = 1; ///< N
};

/// `K/N` as the user wrote it, or why it is none (one line, naming what is wrong).
Result<Shard> parse_shard(std::string_view text);

/// The shard (0 to `count` - 1) a core whose key is `key` belongs to: FNV-1a 64 of the key's
/// bytes through MurmurHash3's fmix64 finalizer, modulo `count`. The key is the core's path
/// relative to the directory argument it was found under, or the file argument as given
/// (shard_key).
uint32_t shard_of(std::string_view key, uint32_t count);

/// The key of a core found at `path` under the argument `argument` (a directory, or the file).
std::string shard_key(const std::string& argument, const std::string& path);

} // namespace seam::report
