// Shards of a batch of cores (shard.h).
#include "formatters/report/shard.h"

#include <charconv>
#include <filesystem>

#include "formatters/report/report.h"

namespace seam::report {

namespace {

// A count of shards past which a number is surely a typo: no cluster runs a million pods.
constexpr uint32_t k_max_shards = 1'000'000;

// Digits only: from_chars alone would take "+1" or " 1" nowhere, but also "1x" up to the x.
bool whole_number(std::string_view s, uint32_t& out) {
    if (s.empty() || s.size() > 9) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return std::from_chars(s.data(), s.data() + s.size(), out).ec == std::errc();
}

} // namespace

Result<Shard> parse_shard(std::string_view text) {
    auto slash = text.find('/');
    Shard s;
    if (slash == std::string_view::npos || !whole_number(text.substr(0, slash), s.index) ||
        !whole_number(text.substr(slash + 1), s.count))
        return err("--shard {}: expected K/N, two whole numbers (e.g. 0/4: the first of four "
                   "shards)",
                   text);
    if (s.count == 0 || s.count > k_max_shards)
        return err("--shard {}: N must be 1 to {}", text, k_max_shards);
    if (s.index >= s.count)
        return err("--shard {}: K must be below N (shards are numbered 0 to {})", text,
                   s.count - 1);
    return s;
}

uint32_t shard_of(std::string_view key, uint32_t count) {
    // FNV-1a's low bits mix poorly (the lowest is the parity of the bytes' lowest bits, whatever
    // the order), and a modulus reads them: MurmurHash3's 64-bit finalizer spreads every bit of
    // the hash over all of them first.
    uint64_t h = fnv1a64(key);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return uint32_t(h % (count ? count : 1));
}

std::string shard_key(const std::string& argument, const std::string& path) {
    if (argument == path) return path;
    // lexically_relative: the directory as the argument spelled it, no look at the disk (a
    // symlink resolved differently on another host would change the key).
    std::string rel = std::filesystem::path(path).lexically_relative(argument).string();
    return rel.empty() ? path : rel;
}

} // namespace seam::report
