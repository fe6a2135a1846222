#include "formatters/core/formatter.h"
#include "formatters/rust/families.h"

namespace seam {
void register_c(Registry&) {}
} // namespace seam
