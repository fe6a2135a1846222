#pragma once
/// What the fuzz targets share: fuzzed bytes seen as target memory, as a file the readers open by
/// path, and the fixture programs whose DWARF gives the targets a real type graph.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "formatters/core/memory.h"

namespace seam::fuzz {

/// Fuzzed bytes mapped at `base`. Strict: a read succeeds only inside the image. Wrapping: every
/// address reads the image again and again (byte `a` is image[(a - base) mod size]), so that
/// any pointer the input holds leads somewhere and a length of 2^61 meets the budget, not the
/// end of the image.
class ImageMemory : public MemoryReader {
public:
    ImageMemory(uint64_t base, std::span<const uint8_t> image, bool wrapping)
        : m_base(base), m_image(image), m_wrapping(wrapping) {}

    Status read(uint64_t address, std::span<std::byte> out) override {
        if (m_image.empty()) return err("unmapped {:#x}", address);
        if (m_wrapping) {
            uint64_t at = (address - m_base) % m_image.size();
            for (size_t done = 0; done < out.size();) {
                size_t n = std::min<uint64_t>(out.size() - done, m_image.size() - at);
                std::memcpy(out.data() + done, m_image.data() + at, n);
                done += n;
                at = 0;
            }
            return ok_status();
        }
        if (address < m_base || address - m_base > m_image.size() ||
            out.size() > m_image.size() - (address - m_base))
            return err("unmapped {:#x}", address);
        std::memcpy(out.data(), m_image.data() + (address - m_base), out.size());
        return ok_status();
    }

private:
    uint64_t m_base;
    std::span<const uint8_t> m_image;
    bool m_wrapping;
};

/// One anonymous in-memory file, rewritten with each input: the DWARF and core readers take a
/// path (`/proc/self/fd/N`), and a file on disk would cost a write to the disk per execution.
class MemFile {
public:
    MemFile() : m_fd(::memfd_create("seam-fuzz", 0)) {
        if (m_fd < 0) std::abort();
        m_path = "/proc/self/fd/" + std::to_string(m_fd);
    }
    ~MemFile() { ::close(m_fd); }
    const std::string& write(const uint8_t* data, size_t size) {
        if (::ftruncate(m_fd, 0) != 0 || ::pwrite(m_fd, data, size, 0) != ssize_t(size))
            std::abort();
        return m_path;
    }

private:
    int m_fd;
    std::string m_path;
};

/// The fixture programs the build made for the fuzz tree (SEAM_FUZZ_FIXTURES, `:`-separated).
inline std::vector<std::string> fixture_paths() {
    std::vector<std::string> out;
    std::istringstream list(SEAM_FUZZ_FIXTURES);
    std::string path;
    while (std::getline(list, path, ':'))
        if (!path.empty()) out.push_back(path);
    return out;
}

} // namespace seam::fuzz
