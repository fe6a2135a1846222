#!/usr/bin/env python3
"""Stock rust-gdb on compare_rust_lldb.py's fixture and cases, as a third anchor.

    python3 bench/rust_gdb.py --build BUILD_DIR [--reps N] [--whole-reps N] [--cap S] [--json]

Builds nothing (the `bench` target makes bench/large-O0). `rust-gdb` (rustup's wrapper: gdb with
the toolchain's pretty-printers) runs the fixture to `bench_stop`, and every repetition resumes
it to the next hit first, as compare_rust_lldb.py does, so each time is a first access on a new
stop. The cases carry compare_rust_lldb.py's names where gdb does the same work:
- `frame variable (50 locals)`: `info locals` in frame 1 (fifty_locals);
- `whole: X`: `print X` in frame 2, `print elements` 100000 (seam's children budget) and
  `print repeats` unlimited, so every element is printed as seam prints it; the 10 MB String
  with `print elements unlimited`.
gdb has nothing like LLDB's children API, so the `first 256 children` cases have no gdb row.
A case that prints nothing for `--cap` seconds (a minute more for a gdb's first) is killed with its gdb, shown as `>cap`,
and a new gdb goes on with the next case. Times are medians of wall-clock ms inside gdb's
Python (`gdb.execute(..., to_string=True)`); rss_mb is gdb's peak resident memory.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_rust_lldb as common  # noqa: E402  (CONTAINERS, read_line)
import rows  # noqa: E402


def cases():
    """(name, frame, command, kind) in the order they run."""
    out = [("frame variable (50 locals)", common.LOCALS_FRAME, "info locals", "small")]
    for name, label in common.CONTAINERS:
        out.append((f"whole: {label}", common.CONTAINERS_FRAME, f"print {name}", "whole"))
    return out


def inside_gdb():
    """Runs in gdb's Python: the cases from $SEAM_GDB_SKIP on, one `@@ {json}` line each."""
    import gdb  # noqa: F401  (only inside gdb)
    skip = int(os.environ["SEAM_GDB_SKIP"])
    reps = {"small": int(os.environ["SEAM_GDB_REPS"]),
            "whole": int(os.environ["SEAM_GDB_WHOLE_REPS"])}
    for setting in ("pagination off", "confirm off", "print repeats unlimited",
                    f"print elements {common.WHOLE_CHILDREN}"):
        gdb.execute("set " + setting)
    gdb.execute("break bench_stop", to_string=True)
    gdb.execute("run", to_string=True)
    for i, (name, frame, command, kind) in enumerate(cases()[skip:]):
        gdb.execute("set print elements " + ("unlimited" if "big_string" in command
                                             else str(common.WHOLE_CHILDREN)))

        def measure():
            gdb.execute("continue", to_string=True)  # a new stop: gdb's caches are gone
            gdb.execute(f"frame {frame}", to_string=True)
            t0 = time.perf_counter()
            out = gdb.execute(command, to_string=True)
            elapsed = (time.perf_counter() - t0) * 1000
            print("@@ {}", flush=True)  # a heartbeat: the driver waits `--cap` for each
            return elapsed, len(out)

        if i == 0:
            measure()  # warm-up, once per gdb: symbols, DWARF, the pretty-printers' imports
        times, out = [], 0
        for _ in range(reps[kind]):
            t, out = measure()
            times.append(t)
        print("@@ " + json.dumps({"case": name, "ms": statistics.median(times),
                                  "out_bytes": out, "rss_mb": rows.peak_rss_mb()}), flush=True)
    gdb.execute("kill")


def next_result(proc, pending, timeout):
    """gdb's next `@@ ` line without its prefix, or "" when gdb ends or says nothing of ours for
    `timeout` seconds (its own output, blank lines included, is passed over)."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return ""
        if b"\n" not in pending and proc.poll() is not None:
            return ""
        line = common.read_line(proc, pending, left)
        if line.startswith("@@ "):
            return line
        if not line and b"\n" not in pending and time.monotonic() >= deadline:
            return ""


def run_gdb(args):
    """Each case's result, restarting gdb past a case that overran the cap."""
    build = os.path.abspath(args.build)
    names = [c[0] for c in cases()]
    results, skip = {}, 0
    while skip < len(names):
        env = dict(os.environ, SEAM_GDB_SKIP=str(skip), SEAM_GDB_REPS=str(args.reps),
                   SEAM_GDB_WHOLE_REPS=str(args.whole_reps))
        proc = subprocess.Popen([args.gdb, "-nx", "-q", "-batch", "-x", os.path.abspath(__file__),
                                 os.path.join(build, "bench", "large-O0")],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        pending, first = bytearray(), True
        while skip < len(names):
            # gdb's start, the run to the stop and the warm-up come with its first case.
            line = next_result(proc, pending, args.cap + (60 if first else 0))
            first = False
            if line == "@@ {}":
                continue
            if not line:
                proc.kill()
                proc.wait()
                results[names[skip]] = {"ms": args.cap * 1000, "out_bytes": 0,
                                        "interrupted": True}
                rows.log(f"  rust-gdb: {names[skip]}: no answer, killed")
                skip += 1
                break
            info = json.loads(line[3:])
            results[info.pop("case")] = info
            rows.log(f"  rust-gdb: {names[skip]}: {info['ms']:.1f} ms")
            skip += 1
        else:
            proc.wait()
    return results


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--build", required=True, help="the CMake build directory")
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--whole-reps", type=int, default=1)
    p.add_argument("--cap", type=float, default=60, help="seconds before a case is killed")
    p.add_argument("--gdb", default="rust-gdb")
    p.add_argument("--json", action="store_true", help="bench/all's JSON rows (bench/rows.py)")
    args = p.parse_args()
    results = run_gdb(args)
    for case, info in results.items():
        bound = ">" if info.get("interrupted") else ""
        if args.json:
            rows.emit("rust_gdb", case, "ms",
                      rows.side(round(info["ms"], 2), bound, rss_mb=info.get("rss_mb"),
                                name="rust-gdb", out_bytes=info["out_bytes"]))
        else:
            print(f"| {case} | {bound}{info['ms']:.1f} ms | {info['out_bytes']} bytes |")


if __name__ == "__main__":
    try:
        import gdb  # noqa: F401
    except ImportError:
        main()
    else:
        inside_gdb()
