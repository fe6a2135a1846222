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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rows  # noqa: E402


def make_core(exe: str, kind: str, core: str) -> None:
    subprocess.run(["gdb", "-q", "-batch", "-nx", "-ex", "set pagination off", "-ex", "run",
                    "-ex", f"gcore {core}", "-ex", "kill", "--args", exe, kind],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    if not os.path.exists(core):
        sys.exit(f"gdb wrote no core for {exe} {kind}")


def run_rss(cmd: list[str]) -> tuple[int, str, str, float]:
    """Runs `cmd`: its exit status, stdout, stderr and peak RSS in MB (wait4: the largest of the
    process and the descendants it waited for, e.g. seam-report's workers)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (proc.returncode, out.read().decode(errors="replace"),
                err.read().decode(errors="replace"), usage.ru_maxrss / 1024)


def time_seam(tool: str, directory: str, jobs: int) -> tuple[float, str, float]:
    start = time.perf_counter()
    rc, out, err, rss = run_rss([tool, "--jobs", str(jobs), directory])
    elapsed = time.perf_counter() - start
    if rc != 0:
        sys.exit(f"seam-report failed ({rc}):\n{err}{out[-2000:]}")
    return elapsed, out, rss


def time_lldb(lldb: str, exe: str, cores: list[str], jobs: int) -> tuple[float, int, float]:
    def one(core: str) -> tuple[int, float]:
        _, out, _, rss = run_rss([lldb, "-b", "-x", "-c", core, exe, "-o", "bt all"])
        return out.count("frame #"), rss

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(one, cores))
    return (time.perf_counter() - start, sum(f for f, _ in results),
            max((r for _, r in results), default=0))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", required=True, help="the build directory (seam-report, fixtures)")
    parser.add_argument("--cores", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2, help="processes at a time, both sides")
    parser.add_argument("--lldb", default=shutil.which("lldb-19") or "/usr/lib/llvm-19/bin/lldb")
    parser.add_argument("--fixture", default="crash_abort-O0")
    parser.add_argument("--kind", default="c_segv")
    parser.add_argument("--json", action="store_true", help="bench/all's JSON rows (bench/rows.py)")
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

        seam_s, out, seam_rss = time_seam(tool, directory, args.jobs)
        lldb_s, frames, lldb_rss = time_lldb(args.lldb, exe, cores, args.jobs)
        summary = [line for line in out.splitlines() if " cores, " in line]
        if args.json:
            per_core = lambda s: round(s / args.cores * 1000, 1)
            rows.emit("report_batch", f"{args.cores} cores of {args.fixture} {args.kind}, "
                      f"{args.jobs} at a time (per core)", "ms",
                      rows.side(per_core(seam_s), rss_mb=round(seam_rss, 1),
                                name=f"seam-report --jobs {args.jobs}"),
                      rows.side(per_core(lldb_s), rss_mb=round(lldb_rss, 1),
                                name="lldb -b 'bt all' per core"),
                      note=(summary[0].strip() if summary else "") + f"; lldb: {frames} frames")
            return 0
        print(f"{args.cores} cores of {args.fixture} ({args.kind}, "
              f"{os.path.getsize(first)} bytes each), {args.jobs} at a time, "
              f"{os.cpu_count()} CPUs")
        print(f"seam-report --jobs {args.jobs}: {seam_s:8.2f} s  "
              f"({seam_s / args.cores * 1000:.0f} ms/core; {summary[0] if summary else '?'}; "
              f"peak RSS {seam_rss:.0f} MB)")
        print(f"lldb -b 'bt all' per core:  {lldb_s:8.2f} s  "
              f"({lldb_s / args.cores * 1000:.0f} ms/core; {frames} frames printed; "
              f"peak RSS {lldb_rss:.0f} MB each)")
        print(f"ratio (lldb / seam-report): {lldb_s / seam_s:.1f}x  (target >= 5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
