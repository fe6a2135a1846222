#pragma once
// Shared between the crash classification files; not part of the engine's interface.
#include <string_view>

#include "formatters/crash/crash.h"

namespace seam::crash::detail {

/// Whether a frame's clean name starts with one of the paths (a path prefix ends in `::` or is
/// followed by `::`, `<`, `{` or the end).
bool name_is(std::string_view name, std::string_view path);
/// The C runtime's modules (libc, the loader, libgcc_s…): glibc may come with its DWARF
/// (libc6-dbg), so DWARF alone does not make a C frame the user's.
bool in_system_library(std::string_view module);
/// A frame that belongs to std, core, alloc, the panic runtimes or libc (no user code).
bool is_library_frame(const bt::Frame& f);
/// The panic's message and location, read from the stack memory of the panicking frames.
/// `culprit` (a position in the backtrace) gives the fallback location.
Panic recover_panic(const Inputs& in, std::optional<size_t> culprit, std::string strategy);

} // namespace seam::crash::detail
