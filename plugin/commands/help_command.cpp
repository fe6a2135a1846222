#include "plugin/commands/commands.h"

namespace seam::plugin {

namespace {

constexpr const char* k_help =
    "seam: Rust and C values read from the DWARF, not through LLDB's C++ view of Rust.\n"
    "\n"
    "  seam print [--tree|--debug|--pretty|--json] [--depth N] [--container T.F] [PATH]\n"
    "  seam p ...            same as seam print\n"
    "      PATH: a variable of the selected frame, then .field, .0 (tuple field), [N], ->field,\n"
    "      or a leading * to dereference; no PATH prints every variable of the frame.\n"
    "      --tree (default)  a tree of summaries with ownership facts\n"
    "      --debug           Rust's {:?}      --pretty  Rust's {:#?}\n"
    "      --json            one JSON object (schema seam.value/1)\n"
    "      --depth N         levels of children for --tree and --json (default 3)\n"
    "      --container T.F   a C list head as the list of T structs its member F links, or a\n"
    "                        pointer to an F member as the T embedding it (container_of)\n"
    "  seam bt [--full] [--full-names] [--all] [--json]\n"
    "      the backtrace across the C/Rust boundary: each frame's language, crate or library,\n"
    "      name, arguments (read from the DWARF) and location; `Rust -> C` and `C -> Rust`\n"
    "      markers where the language changes; [wrapper]: the Rust frame that called C.\n"
    "      --full            show the runtime frames (std start-up, panicking, libc) folded\n"
    "                        by default\n"
    "      --full-names      whole function names (default: generic arguments collapsed to\n"
    "                        <…>, the path kept: alloc::vec::Vec<…>::push)\n"
    "      --all             every thread, not only the selected one\n"
    "      --json            one JSON object (schema seam.backtrace/1)\n"
    "      frames LLDB could not find and seam did are tagged [unwound by seam: ...]\n"
    "  seam panic [--json] [--break] [--full-names]\n"
    "      why the thread stopped: a Rust panic (unwind or abort) with its message and location\n"
    "      read from memory, a panic that could not unwind through extern \"C\", abort() in C or\n"
    "      Rust, a fault in C called from Rust, a stack overflow, an allocator abort, an exit\n"
    "      --json            the classification object\n"
    "      --break           stop every later panic before it unwinds\n"
    "  seam report [--format text|markdown|json] [--signature-frames N] [--full-names]\n"
    "      a crash report of this process or core: classification, panic, backtrace with\n"
    "      boundaries, other threads folded, locals with ownership facts, crash signature\n"
    "      (schema seam.report/1; the seam-report program does the same over many cores)\n"
    "  seam own [--frame|--thread|--process] [--json|--dot|--svg FILE] [--container T.F] [PATH]\n"
    "      who owns what: the ownership graph over the selected frame's variables (--frame,\n"
    "      the default), every frame of the thread (--thread), or every thread and the\n"
    "      statics of every module (--process); nodes are frames, statics and heap\n"
    "      allocations, edges owns/shares/weak/borrows/raw/C/crossing; findings: Rc/Arc\n"
    "      cycles, two owners of one allocation, a RefCell aliased while mutably borrowed,\n"
    "      Rust allocations held by C, held locks, strong counts above the references found\n"
    "      (--process only)\n"
    "      PATH              the value's fact, what it owns, and the chains of owners that\n"
    "                        keep it alive, from every root of the process\n"
    "      --container T.F   PATH points at (or is) member F of a T: the T that embeds it\n"
    "                        (container_of; a Rust wrapper around a C object, say)\n"
    "      --json            one JSON object (schema seam.own/1, docs/own.md)\n"
    "      --dot             Graphviz DOT      --svg FILE  laid out by Graphviz, written to FILE\n"
    "  seam recipe load FILE...   load recipe files (TOML): wrapper handles, counts, C lists,\n"
    "                        void * holding a Box or Arc (docs/recipes.md); also read from\n"
    "                        ~/.config/seam/recipes and *.seam.toml beside each module\n"
    "  seam recipe list | clear   the rules in force (with file:line) | forget them\n"
    "  seam version          seam and LLDB versions\n"
    "  seam help             this text\n"
    "\n"
    "The plugin also gives `frame variable` summaries for Rust's std types (type category "
    "'seam').\n";

Result<std::string> run_command(::lldb::SBDebugger&, const std::vector<std::string>&) {
    return std::string(k_help);
}

} // namespace

const CommandSpec k_help_command{"help", "Lists the seam commands.", "seam help", run_command};

} // namespace seam::plugin
