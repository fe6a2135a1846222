#include "cli/cores.h"

#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <filesystem>

namespace seam::cli {

namespace fs = std::filesystem;

std::vector<std::string> expand(const std::vector<std::string>& args,
                                const std::optional<report::Shard>& shard, std::string& problem) {
    std::vector<std::string> out;
    // Whether a core is taken is decided before anything is read of it: a shard reads only its
    // own cores.
    auto take = [&](const std::string& argument, const std::string& path) {
        if (!shard ||
            report::shard_of(report::shard_key(argument, path), shard->count) == shard->index)
            out.push_back(path);
    };
    for (const std::string& a : args) {
        std::error_code ec;
        if (fs::is_directory(a, ec)) {
            std::vector<std::string> found;
            for (const auto& e : fs::recursive_directory_iterator(a, ec))
                if (e.is_regular_file()) found.push_back(e.path().string());
            std::sort(found.begin(), found.end());
            if (found.empty()) problem = "no files in directory " + a;
            for (const std::string& f : found) take(a, f);
        } else if (fs::exists(a, ec)) {
            take(a, a);
        } else {
            problem = "no such file or directory: " + a;
        }
    }
    return out;
}

std::string seen_of(const std::string& core) {
    struct stat st {};
    if (::stat(core.c_str(), &st) != 0) return "";
    std::tm utc{};
    if (!::gmtime_r(&st.st_mtim.tv_sec, &utc)) return "";
    char text[32];
    return std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc) ? text : "";
}

} // namespace seam::cli
