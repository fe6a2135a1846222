#pragma once
/// `--state-json`: what the main window's views show, as JSON (schema `seam.gui-state/1`):
/// the process state, threads, the stack rows (frames with their language, boundary markers,
/// folded runtime runs), the crash view, the selected frame with its variables (summaries and
/// ownership badges) and its source line, and the ownership graph when one was drawn. Read from the
/// models, so it is what a user sees.
#include <nlohmann/json.hpp>

namespace seam::gui {

class MainWindow;

nlohmann::json state_json(MainWindow& window);

} // namespace seam::gui
