#include "plugin/summary_line.h"

#include "formatters/render/summary_line.h"

namespace seam::plugin {

std::string summary_line(Context& ctx, const Formatted& f, uint32_t max_string) {
    return render_summary_line(
        ctx, f, SummaryLimits{.max_items = ctx.budget().max_children, .max_string = max_string});
}

} // namespace seam::plugin
