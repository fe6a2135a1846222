#include "formatters/core/formatter.h"
#include "formatters/rust/families.h"

namespace seam {
void register_rust_hash(Registry&) {}
} // namespace seam
