#!/usr/bin/env python3
"""`seam bt --full` against lldb's own `bt` on a 10,000-frame stack alternating Rust and C.

    python3 bench/bt_bench.py --build BUILD_DIR [--reps N] [--frames N]

Builds nothing: `cmake --build BUILD_DIR --target bench-deep-bt seam` first. One lldb session
(the Python `lldb` module) with seam loaded runs fixtures/deep_bt.rs, which stops in
`deep_bt_stop` once per repetition at the bottom of the stack. Each stop is new (LLDB drops its
unwound frames when the process resumes), so each time is a first backtrace: on even
repetitions seam's command runs first, on odd ones lldb's, and only the command that ran
first on a stop is timed cold; the other, run second on the same stop, is timed warm (frames
already unwound). Output: median wall times in ms, cold and warm, and the ratio seam / lldb.
Target (issue 4): cold ratio at most 1.5.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rows  # noqa: E402


def import_lldb():
    try:
        import lldb  # noqa: F401
    except ImportError:
        path = subprocess.check_output(["lldb-19", "-P"], text=True).strip()
        sys.path.insert(0, path)
    import lldb
    return lldb


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--reps", type=int, default=6)
    ap.add_argument("--frames", type=int, default=10_000)
    ap.add_argument("--json", action="store_true", help="bench/all's JSON rows (bench/rows.py)")
    args = ap.parse_args()
    lldb = import_lldb()
    os.environ.setdefault("LLDB_DEBUGSERVER_PATH", "/usr/lib/llvm-19/bin/lldb-server")
    lldb.SBDebugger.Initialize()
    dbg = lldb.SBDebugger.Create(False)
    dbg.SetAsync(False)
    interp = dbg.GetCommandInterpreter()

    def run(cmd):
        ret = lldb.SBCommandReturnObject()
        t0 = time.perf_counter()
        interp.HandleCommand(cmd, ret)
        dt = (time.perf_counter() - t0) * 1000
        if not ret.Succeeded():
            sys.exit(f"{cmd}: {ret.GetError()}")
        return dt, ret.GetOutput() or ""

    run(f"plugin load {os.path.join(args.build, 'plugin', 'libseam.so')}")
    exe = os.path.join(args.build, "bench", "deep_bt-O0")
    target = dbg.CreateTarget(exe)
    if not target.IsValid():
        sys.exit(f"cannot load {exe}: build it with --target bench-deep-bt")
    target.BreakpointCreateByName("deep_bt_stop")
    info = lldb.SBLaunchInfo([])
    env = [f"DEEP_BT_FRAMES={args.frames}", f"DEEP_BT_STOPS={args.reps + 1}"]
    info.SetEnvironmentEntries(env, True)
    err = lldb.SBError()
    process = target.Launch(info, err)
    if not err.Success():
        sys.exit(f"launch: {err}")

    lldb_bt = f"bt {args.frames * 2}"
    seam_bt = "seam bt --full"
    cold = {"lldb": [], "seam": []}
    warm = {"lldb": [], "seam": []}
    frames_seen = {}
    for rep in range(args.reps + 1):
        if process.GetState() != lldb.eStateStopped:
            sys.exit("the fixture did not stop in deep_bt_stop")
        thread = process.GetSelectedThread()
        for t in process:
            if t.GetFrameAtIndex(0).GetFunctionName() == "deep_bt_stop":
                thread = t
        process.SetSelectedThread(thread)
        order = [("seam", seam_bt), ("lldb", lldb_bt)]
        if rep % 2:
            order.reverse()
        for i, (side, cmd) in enumerate(order):
            dt, out = run(cmd)
            frames_seen[side] = out.count("\n")
            if rep == 0:
                continue  # warm-up: the first stop also loads DWARF and symbols
            (cold if i == 0 else warm)[side].append(dt)
        process.Continue()

    med = {k: statistics.median(v) for k, v in cold.items()}
    wmed = {k: statistics.median(v) for k, v in warm.items()}
    if args.json:
        for when, m in (("cold", med), ("warm", wmed)):
            rows.emit("bt_bench", f"{args.frames}-frame mixed stack, {when}", "ms",
                      rows.side(round(m["seam"], 1), name="seam bt --full"),
                      rows.side(round(m["lldb"], 1), name="lldb bt"),
                      note=f"lines: lldb {frames_seen['lldb']}, seam {frames_seen['seam']}")
    out = sys.stderr if args.json else sys.stdout
    print(f"stack: {args.frames} frames + runtime; lines printed: lldb {frames_seen['lldb']}, "
          f"seam {frames_seen['seam']}", file=out)
    print(f"cold (first command at a stop), median of {len(cold['lldb'])}: "
          f"lldb `{lldb_bt}` {med['lldb']:.0f} ms, `{seam_bt}` {med['seam']:.0f} ms, "
          f"ratio {med['seam'] / med['lldb']:.2f}x", file=out)
    print(f"warm (second command, frames unwound), median of {len(warm['lldb'])}: "
          f"lldb {wmed['lldb']:.0f} ms, seam {wmed['seam']:.0f} ms, "
          f"ratio {wmed['seam'] / wmed['lldb']:.2f}x", file=out)
    process.Kill()
    lldb.SBDebugger.Destroy(dbg)


if __name__ == "__main__":
    main()
