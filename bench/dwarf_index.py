#!/usr/bin/env python3
"""The DWARF index on a binary with ~100 MB of .debug_info (issue 3: "built lazily or in
under 2 s"). Generates C units (each a 60,000-long chain of structs linked by `prev` pointers,
and a function per struct), builds them with gcc -g -O0, and runs build/bench/dwarf_index_bench
on the result: opening the file, the variables at one function (what a first stop costs), and
the whole-file type-name index (what a look-up by type name costs, once).

    python3 bench/dwarf_index.py --build build [--units 8] [--structs 60000] [--work DIR]
                                 [--libdwarf] [--reps N]

--libdwarf runs the same cases with SEAM_DWARF_SCAN=0: every unit walked through libdwarf's
DIE handles, as before the raw-byte scanner (formatters/dwarf/dwarf_scan.cpp), for comparison.
Quote the CPU column on a shared machine: wall time there is mostly waiting for a core.
"""
import argparse
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rows  # noqa: E402


def write_unit(path, unit, structs, with_main):
    with open(path, "w") as f:
        for i in range(structs):
            prev = i - 1 if i else 0
            f.write(f"struct p{unit}_s{i} {{ int a{i}; long b; double c; char *d; "
                    f"unsigned short e; struct p{unit}_s{prev} *prev; float g; long long h; "
                    f"unsigned char k[4]; void *m; }};\n")
            f.write(f"int p{unit}_f{i}(struct p{unit}_s{i} *p) {{ int local_{i} = p->a{i}; "
                    f"long t = p->b + {i}; return local_{i} + (int)t; }}\n")
        if with_main:
            f.write("int main(void) { return 0; }\n")


def debug_info_bytes(binary):
    out = subprocess.run(["readelf", "-S", "--wide", binary], capture_output=True, text=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if ".debug_info" in parts:
            i = parts.index(".debug_info")
            return int(parts[i + 4], 16)
    return 0


def run_json(bench, env):
    """The benchmarks' JSON report: {name: benchmark}."""
    out = subprocess.run([bench, "--benchmark_format=json"], env=env, capture_output=True,
                         text=True, check=True).stdout
    return {b["name"]: b for b in json.loads(out)["benchmarks"]}


def emit_rows(bench, env, args, info_bytes):
    """Each case's process CPU ms through the scanner (seam's index) and through libdwarf's DIE
    walk (the anchor), in this run; RSS is not measured here."""
    scan = run_json(bench, env)
    walk = run_json(bench, dict(env, SEAM_DWARF_SCAN="0"))
    labels = {"BM_Open": "open", "BM_FirstStopVariables": "variables at one function",
              "BM_WholeTypeIndex": "whole-file type-name index"}
    for name, b in scan.items():
        key = name.split("/")[0]
        w = walk.get(name)
        items = b.get("items_per_second")
        rows.emit("dwarf_index", f"{labels.get(key, key)} ({info_bytes / 1e6:.0f} MB .debug_info, "
                  f"CPU)", "ms", rows.side(round(b["cpu_time"], 1), name="seam scanner"),
                  rows.side(round(w["cpu_time"], 1), name="libdwarf walk") if w else None,
                  items_per_s=items)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", required=True, help="the CMake build directory")
    ap.add_argument("--units", type=int, default=8)
    ap.add_argument("--structs", type=int, default=60000, help="structs per unit")
    ap.add_argument("--work", default="/tmp/seam-dwarf-index")
    ap.add_argument("--libdwarf", action="store_true",
                    help="index through libdwarf's DIE walk (SEAM_DWARF_SCAN=0), for comparison")
    ap.add_argument("--json", action="store_true",
                    help="bench/all's JSON rows (bench/rows.py): the scanner against the libdwarf "
                         "walk, both run now")
    ap.add_argument("--reps", type=int, default=0,
                    help="Google Benchmark repetitions (median reported); 0: one run of 3")
    args = ap.parse_args()
    bench = os.path.join(args.build, "bench", "dwarf_index_bench")
    if not os.path.exists(bench):
        sys.exit(f"{bench} is missing: cmake --build {args.build} --target dwarf_index_bench")
    os.makedirs(args.work, exist_ok=True)
    binary = os.path.join(args.work, f"big-{args.units}x{args.structs}")
    if not os.path.exists(binary):
        sources = []
        for u in range(args.units):
            src = os.path.join(args.work, f"unit{u}.c")
            write_unit(src, u, args.structs, u == 0)
            sources.append(src)
        print(f"compiling {args.units} units of {args.structs} structs (gcc -g -O0, 2 at a time)")
        with ThreadPoolExecutor(2) as pool:
            rcs = list(pool.map(lambda s: subprocess.run(
                ["gcc", "-g", "-O0", "-c", s, "-o", s[:-2] + ".o"]).returncode, sources))
        if any(rcs):
            sys.exit("gcc failed")
        subprocess.run(["gcc", "-o", binary] + [s[:-2] + ".o" for s in sources], check=True)
    # A function in the middle unit, the last of its chain: its parameter's type reaches every
    # struct of that unit. A type of the last unit, by name.
    mid = args.units // 2
    nm = subprocess.run(["nm", binary], capture_output=True, text=True).stdout
    pc = next(l.split()[0] for l in nm.splitlines() if l.endswith(f" p{mid}_f{args.structs - 1}"))
    info_bytes = debug_info_bytes(binary)
    # SEAM_BIG_TYPES and SEAM_BIG_INFO_BYTES: the items and bytes the index cases report per s.
    env = dict(os.environ, SEAM_BIG_BINARY=binary, SEAM_BIG_PC=pc,
               SEAM_BIG_TYPE=f"p{args.units - 1}_s100", SEAM_BIG_TYPES=str(args.units * args.structs),
               SEAM_BIG_INFO_BYTES=str(info_bytes))
    if args.json:
        return emit_rows(bench, env, args, info_bytes)
    if args.libdwarf:
        env["SEAM_DWARF_SCAN"] = "0"
    cmd = [bench]
    if args.reps:
        cmd += [f"--benchmark_repetitions={args.reps}", "--benchmark_report_aggregates_only=true"]
    walk = "libdwarf DIE walk" if args.libdwarf else "raw-byte unit scanner"
    print(f"{binary}: .debug_info {debug_info_bytes(binary) / 1e6:.1f} MB in {args.units} units"
          f" ({walk})")
    sys.exit(subprocess.run(cmd, env=env).returncode)


if __name__ == "__main__":
    main()
