// The core-file reader seam-report checks build-ids with (formatters/report/core_file.h): ELF
// cores (program headers, NT_FILE, the executable's first page and its build-id note) and
// minidumps (stream directory, module list, CodeView record). The input is the whole file,
// read both as a core and as an executable whose build-id is asked for.
#include <cstdint>

#include "formatters/report/core_file.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static seam::fuzz::MemFile file;
    const std::string& path = file.write(data, size);
    (void)seam::report::read_core_executable(path);
    (void)seam::report::read_build_id(path);
    return 0;
}
