#pragma once
/// What the debugger worker hands the views, as plain data: filled on the worker's thread from
/// the LLDB layer and the engine, copied across to the UI thread in queued signals, shown by the
/// models. Nothing here knows LLDB.
#include <QByteArray>
#include <QHash>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

#include <chrono>
#include <cstdint>

namespace seam::gui {

struct ThreadInfo {
    uint32_t index = 0; ///< LLDB's thread index (1-based)
    uint64_t id = 0;    ///< OS thread id
    QString name;
    QString stop_reason;
    QString top; ///< the innermost user frame's name
    bool selected = false;
};

/// One row of the selected thread's stack as `seam bt` lays it out (bt::layout).
struct StackRow {
    enum class Kind { Frame, Marker, Fold };
    Kind kind = Kind::Frame;
    int frame = -1;     ///< Frame: LLDB's frame index; -1 for a frame seam found itself
    uint32_t index = 0; ///< Frame: seam's number (`#3`)
    QString language;   ///< `Rust`, `C`, `C++`, `?`
    QString owner;      ///< crate or library
    QString name;       ///< the readable name (bt::shown_name)
    QString location;   ///< `file.rs:12`
    QString tags;       ///< `inlined wrapper runtime`
    QString text; ///< Marker: `── Rust -> C: … ──`; Fold: `… N runtime frames folded …`
    uint64_t pc = 0;
};

/// A value of the variables tree. Its children come later, page by page, by `id`.
struct VariableRow {
    uint64_t id = 0; ///< the worker's handle for this value (its children, its Debug text);
                     ///< 0: none (a marker row)
    QString name;
    QString type;
    QString summary;
    QString badge;         ///< ownership_badge: `owned`, `shared 2/1`, ...
    uint64_t children = 0; ///< how many the value has (0: a leaf)
    /// A std family or a recipe formatted it: its first row is its `[raw]` view (the fields as
    /// they lie in memory, expandable), its children follow.
    bool raw = false;
    /// Rows under it: the `[raw]` row and the children.
    uint64_t rows() const { return children + (raw ? 1 : 0); }
};

/// What a value's text on demand shows (the variables view's context menu).
enum class ValueTextKind {
    Debug,       ///< `{:?}`, exactly as the program would print it
    PrettyDebug, ///< `{:#?}`
    Raw,         ///< `[raw]`: the value as its fields lie in memory, with no std formatter
};

/// The answer to a value's text asked for on demand.
struct ValueText {
    uint64_t generation = 0;
    uint64_t id = 0;
    ValueTextKind kind = ValueTextKind::Debug;
    QString text;
};

struct CrashInfo {
    bool present = false;
    QString kind; ///< `rust-panic`, `fault-in-c`, ...
    QString headline;
    QString panic_message;
    QString panic_location;
    QString signature; ///< hash
    QStringList signature_frames;
    QString text; ///< the whole crash view as text (report::render_text)
};

/// The source around the selected frame, or its disassembly where there is no source.
struct SourceInfo {
    QString path; ///< "" for disassembly
    QString text; ///< the whole file, or the disassembly listing
    int line = 0; ///< 1-based current line in `text`; 0: none
};

struct BreakpointInfo {
    int id = 0;
    QString function; ///< set by function name (or LLDB's description of one typed in the console)
    QString file;     ///< set on a source line (the gutter): the file's path and its 1-based line
    int line = 0;
    int locations = 0;
    int hits = 0;
};

/// The selected frame: its variables and its source. Sent after a stop and after a frame or
/// thread is selected.
struct FrameView {
    uint64_t generation = 0; ///< child pages of an older view are dropped
    int frame = -1;          ///< LLDB frame index; -1: no frame
    QString name;            ///< the frame's readable name
    QVector<VariableRow> variables;
    QString variables_error; ///< why there are none (no debug info, ...)
    SourceInfo source;
};

/// The ownership graph of the selected frame (formatters/own), laid out by Graphviz.
struct GraphInfo {
    uint64_t generation = 0; ///< the frame view it belongs to
    QByteArray svg;          ///< empty when it could not be built
    QStringList findings;    ///< `cycle: …`, one per finding
    int nodes = 0;
    int edges = 0;
    QString error;
    /// Each node's id in the SVG (`n3`) to the frame variable it is reached through.
    QHash<QString, QString> node_variables;
    QString focus;      ///< the value drawn for ("": the whole graph)
    QStringList chains; ///< focus: the chains that keep it alive, one per line
};

/// Everything the views show after a stop.
/// std::chrono::steady_clock's reading in ns: comparable across the worker's and the UI thread.
inline qint64 monotonic_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

/// Where a stop's time went (bench/gui_step_bench.cpp reads it): LLDB's own step or run, then
/// the worker's snapshot of the stop (seam's engine and its SB API reads). `ready_ns` is when
/// the worker handed the snapshot over (monotonic_ns): from then on the time is the window's.
struct StopTiming {
    double lldb_ms = 0;
    double snapshot_ms = 0;
    qint64 ready_ns = 0;
};

struct StopSnapshot {
    QString process_state; ///< `stopped`, `exited with status 3`, `core file`, ...
    bool live = false;     ///< a process that can be resumed
    uint64_t pid = 0;      ///< 0 once it has exited
    QVector<ThreadInfo> threads;
    uint32_t thread = 0; ///< the selected thread's index
    QVector<StackRow> stack;
    QString unwind_note;
    CrashInfo crash;
    FrameView frame;
    StopTiming timing;
};

} // namespace seam::gui

Q_DECLARE_METATYPE(seam::gui::StopSnapshot)
Q_DECLARE_METATYPE(seam::gui::FrameView)
Q_DECLARE_METATYPE(seam::gui::GraphInfo)
Q_DECLARE_METATYPE(seam::gui::VariableRow)
Q_DECLARE_METATYPE(seam::gui::BreakpointInfo)
Q_DECLARE_METATYPE(seam::gui::ValueText)
