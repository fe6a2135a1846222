#pragma once
/// Lays a Graphviz DOT graph out with Graphviz's own library (libgvc, Debian's
/// `libgraphviz-dev`) and renders it as SVG: `seam own --svg FILE`. No graphviz program needs
/// to be installed.
#include <string>

#include "formatters/core/result.h"

namespace seam::svg {

/// The SVG document of `dot` laid out by the `dot` engine; an error naming Graphviz's own
/// message when the text does not parse or the layout fails.
Result<std::string> dot_to_svg(const std::string& dot);

} // namespace seam::svg
