#!/usr/bin/env python3
"""seam-report over many cores of one executable against `lldb -b -c CORE EXE -o 'bt all'` per
core, in the same run (bench/README.md, "seam-report batch").

    python3 bench/report_batch.py --build build-report [--cores 100] [--jobs 2]

Makes one ELF core of a real crash (tests/fixtures/crash_abort.rs, `c_segv`: SIGSEGV in C called
from Rust) with gdb's gcore, copies it --cores times into a scratch directory, then times
  seam:  seam-report --jobs J DIR          (one batch: J worker processes)
  lldb:  lldb -b -c CORE EXE -o 'bt all'   (one lldb per core, J of them at a time)
and prints both wall-clock times and the ratio (lldb / seam; the issue's target is >= 5).
"""
import argparse
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile
import time


def make_core(exe: str, kind: str, core: str) -> None:
    subprocess.run(["gdb", "-q", "-batch", "-nx", "-ex", "set pagination off", "-ex", "run",
                    "-ex", f"gcore {core}", "-ex", "kill", "--args", exe, kind],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    if not os.path.exists(core):
        sys.exit(f"gdb wrote no core for {exe} {kind}")


def time_seam(tool: str, directory: str, jobs: int) -> tuple[float, str]:
    start = time.perf_counter()
    run = subprocess.run([tool, "--jobs", str(jobs), directory], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if run.returncode != 0:
        sys.exit(f"seam-report failed ({run.returncode}):\n{run.stderr}{run.stdout[-2000:]}")
    return elapsed, run.stdout


def time_lldb(lldb: str, exe: str, cores: list[str], jobs: int) -> tuple[float, int]:
    def one(core: str) -> int:
        run = subprocess.run([lldb, "-b", "-x", "-c", core, exe, "-o", "bt all"],
                             capture_output=True, text=True)
        return run.stdout.count("frame #")

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        frames = sum(pool.map(one, cores))
    return time.perf_counter() - start, frames


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", required=True, help="the build directory (seam-report, fixtures)")
    parser.add_argument("--cores", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2, help="processes at a time, both sides")
    parser.add_argument("--lldb", default=shutil.which("lldb-19") or "/usr/lib/llvm-19/bin/lldb")
    parser.add_argument("--fixture", default="crash_abort-O0")
    parser.add_argument("--kind", default="c_segv")
    args = parser.parse_args()

    tool = os.path.join(args.build, "cli", "seam-report")
    exe = os.path.abspath(os.path.join(args.build, "fixtures", args.fixture))
    for path in (tool, exe):
        if not os.path.exists(path):
            sys.exit(f"{path} is missing: cmake --build {args.build} --target seam-report "
                     f"fixture-{args.fixture.rsplit('-', 1)[0]}")

    with tempfile.TemporaryDirectory(prefix="seam-bench-report-") as scratch:
        first = os.path.join(scratch, "first.core")
        make_core(exe, args.kind, first)
        directory = os.path.join(scratch, "cores")
        os.mkdir(directory)
        cores = []
        for i in range(args.cores):
            cores.append(os.path.join(directory, f"core.{i:04d}"))
            shutil.copyfile(first, cores[-1])

        seam_s, out = time_seam(tool, directory, args.jobs)
        lldb_s, frames = time_lldb(args.lldb, exe, cores, args.jobs)
        summary = [line for line in out.splitlines() if " cores, " in line]
        print(f"{args.cores} cores of {args.fixture} ({args.kind}, "
              f"{os.path.getsize(first)} bytes each), {args.jobs} at a time, "
              f"{os.cpu_count()} CPUs")
        print(f"seam-report --jobs {args.jobs}: {seam_s:8.2f} s  "
              f"({seam_s / args.cores * 1000:.0f} ms/core; {summary[0] if summary else '?'})")
        print(f"lldb -b 'bt all' per core:  {lldb_s:8.2f} s  "
              f"({lldb_s / args.cores * 1000:.0f} ms/core; {frames} frames printed)")
        print(f"ratio (lldb / seam-report): {lldb_s / seam_s:.1f}x  (target >= 5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
