#!/usr/bin/env bash
# README's screenshots of seam-gui: the real window, rendered on Qt's offscreen platform by
# seam-gui's own --screenshot, over the fixtures of a build tree:
#   crash-stack.png  a core of a Rust panic (panic=abort) in a callback that C called: the mixed
#                    stack with its boundary markers and folded runtime frames, the crash view;
#   variables.png    a live stop in own.rs's rc_weak: values with their ownership badges;
#   graph.png        a live stop in own.rs's rc_cycle: the frame's ownership graph, the cycle
#                    flagged.
# The core is written by gdb's gcore at the abort (LLDB 19 writes no ELF cores on Linux).
#
#   gui/screenshots.sh [BUILD_DIR] [OUT_DIR]     (defaults: build, docs/screenshots)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
out=${2:-docs/screenshots}
gui=$build/gui/seam-gui
fixtures=$build/fixtures
for f in "$gui" "$fixtures/crash_abort-O0" "$fixtures/own-O0"; do
    [[ -x $f ]] || { echo "screenshots: $f is not built" >&2; exit 1; }
done
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export QT_QPA_PLATFORM=offscreen

gdb -q -batch -ex run -ex "gcore $tmp/crash.core" \
    --args "$fixtures/crash_abort-O0" callback_panic >"$tmp/gdb.log" 2>&1 ||
    { cat "$tmp/gdb.log" >&2; exit 1; }
"$gui" --exe "$fixtures/crash_abort-O0" --core "$tmp/crash.core" \
    --screenshot "$out/crash-stack.png"
"$gui" --exe "$fixtures/own-O0" --args rc_weak --break seam_probe --frame 1 \
    --screenshot "$out/variables.png"
"$gui" --exe "$fixtures/own-O0" --args rc_cycle --break seam_probe --frame 1 --graph \
    --screenshot "$out/graph.png"
echo "screenshots: $(ls "$out"/*.png | tr '\n' ' ')"
