#pragma once
/// One core, analysed in a worker process: its executable found and checked, the core loaded
/// through the SB API, the report collected and rendered.
#include <string>

#include <nlohmann/json.hpp>

#include "formatters/report/report.h"

namespace seam::cli {

struct AnalyseOptions {
    std::string exe; ///< --exe; "" = the path the core records
    report::Format format = report::Format::Text;
    bool render = true; ///< also render the full report in `format` (one core, not a batch)
    size_t signature_frames = report::k_signature_frames;
    bool full_names = false; ///< --full-names: whole function names in the rendered report
};

/// The worker's answer for one core: `{"ok": true, "report": {...}, "text": "..."}` or
/// `{"ok": false, "error": "one line"}`. Never throws.
nlohmann::json analyse_core(const std::string& core, const AnalyseOptions& options);

} // namespace seam::cli
