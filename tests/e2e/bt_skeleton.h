#pragma once
/// `seam bt` text reduced to what the backtrace tests compare: what stays the same between runs
/// and toolchains.
#include <string>
#include <vector>

namespace seam::e2e {

/// A frame line without its PC, arguments and location, with its tags (`[cold part]`, `[inlined]`,
/// `[wrapper]`, `[unwound by seam: …]`): `#3 Rust demo demo::main [wrapper]`. Markers stay as
/// they are; a fold line loses its count (it depends on the toolchain's std), a `!` note its
/// text, the `thread #…` header its ids.
std::vector<std::string> skeleton(const std::string& text);

} // namespace seam::e2e
