#include "formatters/core/formatter.h"
#include "formatters/rust/families.h"

namespace seam {
void register_rust_strings(Registry&) {}
} // namespace seam
