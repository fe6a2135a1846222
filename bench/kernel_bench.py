#!/usr/bin/env python3
"""seam on the real kernel's vmlinux against plain lldb: first `seam bt`, first `seam print`, RSS.

    python3 bench/kernel_bench.py --build BUILD_DIR [--reps N]

Builds nothing: run `ctest --test-dir BUILD_DIR -R kernel.build` (or tests/kernel/kernel.sh build
BUILD_DIR/tests/kernel/out --sample tests/kernel/seam_sample.rs) first. Each run is a fresh
QEMU boot (tests/kernel/kernel.sh boot) and a fresh `lldb-19 -b` attached over gdb-remote and
stopped in the sample's `seam_stop`; then one of:
  plain       lldb's own `bt` (no plugin loaded)
  seam-bt     `seam bt`, then `seam print config` (warm)
  seam-print  `seam print config` first
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
KERNEL_SH = os.path.join(REPO, "tests", "kernel", "kernel.sh")

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


def one_run(out, plugin, mode):
    port = free_port()
    pid = int(subprocess.check_output([KERNEL_SH, "boot", out, str(port)], text=True).split()[-1])
    try:
        cmds = ["settings set auto-confirm true"]
        if mode != "plain":
            cmds.append("plugin load " + plugin)
        cmds += ["target create " + os.path.join(out, "vmlinux"),
                 "gdb-remote 127.0.0.1:%d" % port, "breakpoint set -n seam_stop", "continue",
                 "frame select 1"]
        timed = {"plain": ["bt"], "seam-bt": ["seam bt", "seam print config"],
                 "seam-print": ["seam print config"]}[mode]
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
        rows = re.findall(r"^@@ (.*?) \| ([\d.]+) ms \| ([\d.]+) cpu ms \| rss (\d+) -> (\d+) MB",
                          res.stdout, re.M)
        if len(rows) != len(timed):
            sys.exit("lldb did not run the timed commands:\n" + res.stdout + res.stderr)
        return wall, [(c, float(ms), float(cms), int(a), int(b)) for c, ms, cms, a, b in rows]
    finally:
        os.kill(pid, 9)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    out = os.path.join(args.build, "tests", "kernel", "out")
    plugin = os.path.join(args.build, "plugin", "libseam.so")
    size = os.path.getsize(os.path.join(out, "vmlinux")) / 2**20
    print("vmlinux: %.0f MB" % size)
    results = {}
    for rep in range(args.reps):
        for mode in ("plain", "seam-bt", "seam-print"):
            wall, rows = one_run(out, plugin, mode)
            results.setdefault((mode, "(whole session)"), []).append((wall * 1000, 0, 0, 0))
            for c, ms, cms, a, b in rows:
                results.setdefault((mode, c), []).append((ms, cms, a, b))
    print("%-12s %-20s %10s %10s %12s %12s" % ("run", "command", "wall ms", "cpu ms",
                                              "rss before", "rss after"))
    for (mode, c), vals in results.items():
        med = lambda i: statistics.median(v[i] for v in vals)
        print("%-12s %-20s %10.1f %10.1f %9d MB %9d MB" % (mode, c, med(0), med(1), med(2), med(3)))


if __name__ == "__main__":
    main()
