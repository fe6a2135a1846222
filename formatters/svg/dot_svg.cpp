#include "formatters/svg/dot_svg.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <mutex>

namespace seam::svg {

namespace {

// Graphviz reports through a process-wide callback and keeps global parser state: one layout
// at a time, its messages collected here rather than printed on the debugger's stderr.
std::mutex g_lock;
std::string g_messages;

int collect_message(char* text) {
    if (text) g_messages += text;
    return 0;
}

// One context for the process, never freed. Graphviz 2.42's pango plugin caches a pointer to the
// last font name it laid out, and that name lives in the context's font table: freeing the
// context (as one per call did) left the next layout comparing against freed memory (ASan, every
// second `seam own --svg` in a process). Kept reachable here, it is neither a dangling pointer nor
// a leak; its font table holds one entry per font name, and seam's graphs use one.
GVC_t* shared_context() {
    static GVC_t* context = gvContext();
    return context;
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

} // namespace

Result<std::string> dot_to_svg(const std::string& dot) {
    std::lock_guard<std::mutex> lock(g_lock);
    g_messages.clear();
    agseterrf(collect_message);
    GVC_t* gvc = shared_context();
    if (!gvc) return err("graphviz: cannot create a context");
    Agraph_t* g = agmemread(dot.c_str());
    if (!g) {
        return err("graphviz cannot read the DOT text: {}", trimmed(g_messages));
    }
    std::string out;
    bool laid_out = gvLayout(gvc, g, "dot") == 0;
    if (laid_out) {
        char* data = nullptr;
        unsigned int length = 0;
        if (gvRenderData(gvc, g, "svg", &data, &length) == 0 && data) out.assign(data, length);
        if (data) gvFreeRenderData(data);
        gvFreeLayout(gvc, g);
    }
    agclose(g);
    if (!laid_out) return err("graphviz could not lay the graph out: {}", trimmed(g_messages));
    if (out.empty()) return err("graphviz rendered no SVG: {}", trimmed(g_messages));
    return out;
}

} // namespace seam::svg
