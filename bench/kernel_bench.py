#!/usr/bin/env python3
"""seam on the real kernel's vmlinux against plain lldb: first `seam bt`, first `seam print`, RSS.

    python3 bench/kernel_bench.py --build BUILD_DIR [--reps N]
    python3 bench/kernel_bench.py --build BUILD_DIR --distro [--reps N]
    python3 bench/kernel_bench.py --build BUILD_DIR --out DIR --break FUNC --print EXPR [--frame N]

Builds nothing: run `ctest --test-dir BUILD_DIR -R kernel.build` (or tests/kernel/kernel.sh build
BUILD_DIR/tests/kernel/out --sample tests/kernel/seam_sample.rs) first. `--distro` takes
Debian's distro kernel instead (bench/fetch_distro_kernel.sh: a 600 MB vmlinux, thousands of
units, fetched on first use) and stops in its first `do_one_initcall`. Each run is a fresh
QEMU boot (tests/kernel/kernel.sh boot) and a fresh `lldb-19 -b` attached over gdb-remote and
stopped at the breakpoint (our build: the sample's `seam_stop`, frame 1); then one of:
  plain       lldb's own `bt` (no plugin loaded)
  seam-bt     `seam bt`, then `seam print EXPR` (warm)
  seam-print  `seam print EXPR` first
  seam-own    `seam own --process` first (with --own): the ownership graph over every root, the
              kernel's C statics included
Each command is timed inside lldb (wall time, and the process's CPU time, which a loaded
machine does not inflate) and lldb's RSS read from /proc/self/status before and after. Output: the median of each over --reps runs.
Targets (issue 15): first `seam bt` and first `seam print` within 1 s; RSS with seam within
1.3x of plain lldb's after its `bt`.
"""
import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import rows  # noqa: E402

KERNEL_SH = os.path.join(REPO, "tests", "kernel", "kernel.sh")
FETCH_DISTRO = os.path.join(HERE, "fetch_distro_kernel.sh")

TIMED = """import lldb, resource, time


def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) // 1024


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return (r.ru_utime + r.ru_stime) * 1000


def run(cmd):
    ret = lldb.SBCommandReturnObject()
    before, c, t = rss(), cpu(), time.perf_counter()
    lldb.debugger.GetCommandInterpreter().HandleCommand(cmd, ret)
    ms, cms = (time.perf_counter() - t) * 1000, cpu() - c
    out = (ret.GetOutput() or '') + (ret.GetError() or '')
    print('@@ %s | %.1f ms | %.1f cpu ms | rss %d -> %d MB | %d lines'
          % (cmd, ms, cms, before, rss(), out.count('\\n')))
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_run(out, plugin, mode, stop, show=False):
    port = free_port()
    pid = int(subprocess.check_output([KERNEL_SH, "boot", out, str(port)], text=True).split()[-1])
    try:
        cmds = ["settings set auto-confirm true"]
        if mode != "plain":
            cmds.append("plugin load " + plugin)
        cmds += ["target create " + os.path.join(out, "vmlinux"),
                 "gdb-remote 127.0.0.1:%d" % port, "breakpoint set -n " + stop.brk, "continue",
                 "frame select %d" % stop.frame]
        printed = "seam print " + stop.print
        timed = {"plain": ["bt"], "seam-bt": ["seam bt", printed],
                 "seam-print": [printed], "seam-own": ["seam own --process"]}[mode]
        script = "/tmp/seam-kernel-bench-%d.lldb" % os.getpid()
        module = "/tmp/seam_kernel_timed_%d.py" % os.getpid()
        with open(module, "w") as f:
            f.write(TIMED)
        with open(script, "w") as f:
            f.write("\n".join(cmds) + "\ncommand script import " + module + "\n")
            for c in timed:
                f.write("script seam_kernel_timed_%d.run(%r)\n" % (os.getpid(), c))
            f.write("process kill\n")
        t = time.perf_counter()
        res = subprocess.run(["lldb-19", "-b", "--no-lldbinit", "-s", script],
                             capture_output=True, text=True, timeout=600)
        wall = time.perf_counter() - t
        if show:
            rows.log(res.stdout + res.stderr)
        found = re.findall(r"^@@ (.*?) \| ([\d.]+) ms \| ([\d.]+) cpu ms \| rss (\d+) -> (\d+) MB",
                          res.stdout, re.M)
        if len(found) != len(timed):
            sys.exit("lldb did not run the timed commands:\n" + res.stdout + res.stderr)
        return wall, [(c, float(ms), float(cms), int(a), int(b)) for c, ms, cms, a, b in found]
    finally:
        os.kill(pid, 9)


def emit_rows(results, size, printed):
    """First `seam bt` and first `seam print EXPR` against plain lldb's `bt`: CPU ms (a loaded
    machine does not inflate it), lldb's RSS after the command."""
    def med(mode, command, i):
        return statistics.median(v[i] for v in results[(mode, command)])
    plain = rows.side(round(med("plain", "bt", 1), 1), rss_mb=med("plain", "bt", 3),
                      name="plain lldb bt")
    modes = [("seam-bt", "seam bt"), ("seam-print", "seam print " + printed)]
    if ("seam-own", "seam own --process") in results:
        modes.append(("seam-own", "seam own --process"))
    for mode, command in modes:
        rows.emit("kernel_bench", f"first `{command}` on a {size:.0f} MB vmlinux (CPU)", "ms",
                  rows.side(round(med(mode, command, 1), 1), rss_mb=med(mode, command, 3)),
                  plain, note=f"wall {med(mode, command, 0):.0f} ms (plain bt "
                  f"{med('plain', 'bt', 0):.0f} ms)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--out", help="the kernel: a directory holding vmlinux and bzImage "
                                  "(default BUILD/tests/kernel/out)")
    ap.add_argument("--distro", action="store_true",
                    help="Debian's distro kernel (bench/fetch_distro_kernel.sh fetches it)")
    ap.add_argument("--break", dest="brk", help="function to stop in (default seam_stop; "
                                                "do_one_initcall with --distro)")
    ap.add_argument("--frame", type=int, help="frame selected before the commands (default 1; "
                                              "0 with --distro)")
    ap.add_argument("--print", help="expression of `seam print` (default config; fn with "
                                    "--distro)")
    ap.add_argument("--own", action="store_true", help="also time a first `seam own --process`")
    ap.add_argument("--show", action="store_true", help="print each lldb session's output")
    ap.add_argument("--json", action="store_true", help="bench/all's JSON rows (bench/rows.py)")
    args = ap.parse_args()
    if args.distro:
        out = args.out or subprocess.check_output([FETCH_DISTRO], text=True).split()[-1]
        stop = argparse.Namespace(brk="do_one_initcall", frame=0, print="fn")
    else:
        out = args.out or os.path.join(args.build, "tests", "kernel", "out")
        stop = argparse.Namespace(brk="seam_stop", frame=1, print="config")
    for key in ("brk", "frame", "print"):
        if getattr(args, key) is not None:
            setattr(stop, key, getattr(args, key))
    plugin = os.path.join(args.build, "plugin", "libseam.so")
    size = os.path.getsize(os.path.join(out, "vmlinux")) / 2**20
    rows.log("vmlinux: %.0f MB" % size)
    results = {}
    for rep in range(args.reps):
        for mode in ("plain", "seam-bt", "seam-print") + (("seam-own",) if args.own else ()):
            wall, timed = one_run(out, plugin, mode, stop, args.show)
            results.setdefault((mode, "(whole session)"), []).append((wall * 1000, 0, 0, 0))
            for c, ms, cms, a, b in timed:
                results.setdefault((mode, c), []).append((ms, cms, a, b))
    if args.json:
        return emit_rows(results, size, stop.print)
    print("%-12s %-20s %10s %10s %12s %12s" % ("run", "command", "wall ms", "cpu ms",
                                              "rss before", "rss after"))
    for (mode, c), vals in results.items():
        med = lambda i: statistics.median(v[i] for v in vals)
        print("%-12s %-20s %10.1f %10.1f %9d MB %9d MB" % (mode, c, med(0), med(1), med(2), med(3)))


if __name__ == "__main__":
    main()
