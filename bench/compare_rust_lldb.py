#!/usr/bin/env python3
"""seam against stock rust-lldb on the same fixture, the same stop and the same operations.

    python3 bench/compare_rust_lldb.py --build BUILD_DIR [--reps N] [--whole-reps N]

Builds nothing: `cmake --build BUILD_DIR --target bench` first (bench/README.md). Each side runs
in a worker process of its own (LLDB's type categories, `plugin load` and Python imports are
global to a process, so two debuggers in one process would share formatters). Each repetition
of a case starts on a fresh stop at `bench_stop` (the fixture calls it in a loop, and LLDB drops
its memory cache and its values' children when the process resumes), so every time measured is
a first access. The table gives median wall times in milliseconds and their ratio.
"""
import argparse
import json
import os
import re
import select
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rows  # noqa: E402

LLDB = "/usr/lib/llvm-19/bin/lldb"
SERVER = "/usr/lib/llvm-19/bin/lldb-server"

# The large containers of fixtures/large.rs (frame 2 at the stop), in the order.
CONTAINERS = [
    ("vec_u64", "Vec<u64> 1e6"),
    ("vec_string", "Vec<String> 1e5"),
    ("map_u64", "HashMap<u64,u64> 1e6"),
    ("map_string_vec", "HashMap<String,Vec<u32>> 1e5"),
    ("btree_u64", "BTreeMap<u64,u64> 1e5"),
    ("deque_u32", "VecDeque<u32> 1e6"),
    ("big_string", "String 10 MB"),
]
LOCALS_FRAME = 1
CONTAINERS_FRAME = 2
FIRST_CHILDREN = 256
# seam print's default budget renders at most this many children of one container
# (formatters/core/memory.h, Budget::max_children); rust-lldb is given the same cap.
WHOLE_CHILDREN = 100_000


def rust_sysroot():
    rustc = os.path.expanduser("~/.cargo/bin/rustc")
    if not os.path.exists(rustc):
        rustc = "rustc"
    return subprocess.check_output([rustc, "--print", "sysroot"], text=True).strip()


def rust_lldb_commands():
    """What rust-lldb passes lldb before the file: an import and a sourced command file."""
    etc = os.path.join(rust_sysroot(), "lib", "rustlib", "etc")
    return [
        f'command script import "{os.path.join(etc, "lldb_lookup.py")}"',
        f'command source -s 1 "{os.path.join(etc, "lldb_commands")}"',
    ]


# ---------------------------------------------------------------------------------------------
# Worker: one lldb session, one side.


class Session:
    def __init__(self, lldb, side, build):
        self.lldb = lldb
        self.side = side
        self.debugger = lldb.SBDebugger.Create(False)
        self.debugger.SetAsync(False)
        self.interp = self.debugger.GetCommandInterpreter()
        if side == "rust-lldb":
            for c in rust_lldb_commands():
                self.must(c)
        else:
            self.must(f"plugin load {os.path.join(build, 'plugin', 'libseam.so')}")
        fixture = os.path.join(build, "bench", "large-O0")
        self.target = self.debugger.CreateTarget(fixture)
        if not self.target.IsValid():
            raise SystemExit(f"cannot open {fixture}: build the `bench` target first")
        self.target.BreakpointCreateByName("bench_stop")
        err = lldb.SBError()
        self.process = self.target.Launch(self.debugger.GetListener(), None, None, None, None,
                                          None, os.getcwd(), 0, False, err)
        if not err.Success() or self.process.GetState() != lldb.eStateStopped:
            raise SystemExit(f"{side}: launch failed: {err.GetCString()}")

    def run(self, command):
        result = self.lldb.SBCommandReturnObject()
        self.interp.HandleCommand(command, result)
        return result

    def must(self, command):
        r = self.run(command)
        if not r.Succeeded():
            raise SystemExit(f"{self.side}: `{command}` failed: {r.GetError()}")
        return r

    def fresh_stop(self):
        """Resumes to the next hit of bench_stop: LLDB's caches of this stop are gone."""
        self.process.Continue()
        if self.process.GetState() != self.lldb.eStateStopped:
            raise SystemExit(f"{self.side}: the fixture did not stop again")
        return self.process.GetSelectedThread()

    def select(self, thread, index):
        thread.SetSelectedFrame(index)
        return thread.GetFrameAtIndex(index)

    def kill(self):
        self.process.Kill()
        self.lldb.SBDebugger.Destroy(self.debugger)


def text_of(value):
    """What a UI shows of a value: its value, else its summary."""
    return value.GetValue() or value.GetSummary() or ""


def first_children(session, name):
    """FindVariable on a fresh stop, then what a UI shows of it and of its first 256 children."""
    thread = session.fresh_stop()
    frame = session.select(thread, CONTAINERS_FRAME)
    t0 = time.perf_counter()
    v = frame.FindVariable(name)
    v.SetPreferSyntheticValue(True)
    out = len(text_of(v))
    n = min(FIRST_CHILDREN, v.GetNumChildren())
    for i in range(n):
        out += len(text_of(v.GetChildAtIndex(i)))
    return time.perf_counter() - t0, {"children": n, "out_bytes": out}


def command_case(session, frame_index, command, cap):
    """Runs `command` on a fresh stop; past `cap` seconds lldb is asked to interrupt it."""
    thread = session.fresh_stop()
    session.select(thread, frame_index)
    timer = threading.Timer(cap, session.debugger.RequestInterrupt)
    t0 = time.perf_counter()
    timer.start()
    r = session.run(command)
    elapsed = time.perf_counter() - t0
    timer.cancel()
    if session.debugger.InterruptRequested():
        session.debugger.CancelInterruptRequest()
    if elapsed >= cap:
        return elapsed, {"out_bytes": len(r.GetOutput() or ""), "interrupted": True}
    if not r.Succeeded():
        raise SystemExit(f"{session.side}: `{command}` failed: {r.GetError()[:300]}")
    return elapsed, {"out_bytes": len(r.GetOutput() or "")}


def whole_command(side, name):
    if side == "seam":
        return f"seam print --debug {name}"
    # rust-lldb: one line per child with its value or summary (-D 1), as many children as seam
    # renders; a String's children are its bytes, so the String is its summary alone (-D 0).
    depth = 0 if name == "big_string" else 1
    return f"frame variable -D {depth} {name}"


def count_reads(session, measure):
    """Memory-read packets sent to lldb-server during one more (untimed) repetition: LLDB's
    cache misses, the round trips that cost time. Logging slows the run, so it is not timed."""
    with tempfile.NamedTemporaryFile(prefix="seam-bench-", suffix=".log", delete=False) as f:
        path = f.name
    session.must(f"log enable -f {path} gdb-remote packets")
    try:
        measure()
    finally:
        session.must("log disable gdb-remote packets")
    with open(path, errors="replace") as f:
        log = f.read()
    os.unlink(path)
    # `send packet: $x<addr>,<len>` (binary read) or `$m<addr>,<len>` (hex read).
    return len(re.findall(r"send packet: \$[xm][0-9a-f]+,[0-9a-f]+", log))


# Locals of fifty_locals that the frame-variable cases name: all but `l26_none`, an
# Option<String>::None that LLDB 19 decodes as Some (it truncates the discriminant) and on
# which rust-lldb's String provider never returns; the full `frame variable` is a case too.
LOCALS_BUT_NONE = ("l00_u8 l01_i8 l02_u16 l03_i16 l04_u32 l05_i32 l06_u64 l07_i64 l08_usize "
                   "l09_isize l10_u128 l11_i128 l12_f32 l13_f64 l14_bool l15_char l16_str "
                   "l17_string l18_vec_u8 l19_vec_i32 l20_vec_string l21_array l22_slice "
                   "l23_tuple l25_some l27_ok l28_err l29_box l30_box_str l31_rc "
                   "l31b_rc_clone l32_arc l33_cell l34_refcell l35_mutex l36_rwlock l37_map "
                   "l38_set l39_btree l40_btreeset l41_deque l42_point l43_record l44_circle "
                   "l45_rect l46_empty l47_duration l48_range l49_path")


def cases(side, only=None):
    """(name, kind, measure(session, args)) in the order they run; `only`: a regex that the
    names kept must contain."""
    return [c for c in all_cases(side) if not only or re.search(only, c[0])]


def all_cases(side):
    out = [
        ("frame variable (50 locals)", "small",
         lambda s, a: command_case(s, LOCALS_FRAME, "frame variable", a.cap)),
        ("frame variable (49 locals, no None)", "small",
         lambda s, a: command_case(s, LOCALS_FRAME, "frame variable " + LOCALS_BUT_NONE, a.cap)),
    ]
    for name, label in CONTAINERS:
        out.append((f"first {FIRST_CHILDREN} children: {label}", "small",
                    lambda s, a, name=name: first_children(s, name)))
    for name, label in CONTAINERS:
        out.append((f"whole: {label}", "whole",
                    lambda s, a, name=name: command_case(s, CONTAINERS_FRAME,
                                                         whole_command(side, name), a.cap)))
    return out


def worker(args):
    """Runs the cases from `--skip` on and prints one JSON line per case as it ends."""
    sys.path.insert(0, subprocess.check_output([LLDB, "-P"], text=True).strip())
    import lldb

    session = Session(lldb, args.worker, os.path.abspath(args.build))
    session.must(f"settings set target.max-children-count {WHOLE_CHILDREN}")
    for case, kind, fn in cases(args.worker, args.only)[args.skip:]:
        def measure(fn=fn):
            result = fn(session, args)
            print("{}", flush=True)  # a heartbeat: the driver waits `--cap` for each
            return result

        reps = args.reps if kind == "small" else args.whole_reps
        # Warm-up: DWARF parsing, Python imports, first type look-ups. A case that already
        # overran the cap is not repeated.
        t, info = measure()
        times = [t * 1000]
        if not info.get("interrupted"):
            times = []
            for _ in range(reps):
                t, info = measure()
                times.append(t * 1000)
        info["ms"] = statistics.median(times)
        info["min_ms"] = min(times)
        info["max_ms"] = max(times)
        if args.count_reads and not info.get("interrupted"):
            info["reads"] = count_reads(session, measure)
        info["rss_mb"] = rows.peak_rss_mb()  # the worker's peak so far: LLDB and its formatters
        print(json.dumps({"case": case, **info}), flush=True)
        print(f"  {session.side}: {case}: {info['ms']:.1f} ms", file=sys.stderr, flush=True)
    session.kill()


# ---------------------------------------------------------------------------------------------
# Driver.


def startup_ms(build, reps):
    """lldb start-up to its first command: plain, with `plugin load` (seam), with rust-lldb's
    import and sourced commands. No target; median of `reps` runs."""
    plugin = os.path.join(build, "plugin", "libseam.so")
    variants = {
        "lldb": [],
        "lldb + plugin load seam": ["-O", f"plugin load {plugin}"],
        "lldb + rust-lldb formatters": sum((["-O", c] for c in rust_lldb_commands()), []),
    }
    out = {}
    for name, extra in variants.items():
        times = []
        for _ in range(reps):
            t0 = time.perf_counter()
            subprocess.run([LLDB, "-x", "-b", *extra, "-o", "version"], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append((time.perf_counter() - t0) * 1000)
        out[name] = statistics.median(times)
    return out


def read_line(proc, pending, timeout):
    """The worker's next line, or "" when it ends or says nothing for `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while b"\n" not in pending:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([proc.stdout], [], [], left)[0]:
            return ""
        chunk = os.read(proc.stdout.fileno(), 1 << 16)
        if not chunk:
            return ""
        pending += chunk
    line, _, rest = bytes(pending).partition(b"\n")
    pending[:] = rest
    return line.decode()


def run_worker(side, args):
    """Runs one side's worker. A case that prints nothing for `--cap` seconds per repetition
    (a formatter that never returns ignores lldb's interrupt) is killed with its worker, shown
    as `>cap`, and a new worker goes on with the next case."""
    names = [c[0] for c in cases(side, args.only)]
    results, skip = {}, 0
    t0 = time.perf_counter()
    while skip < len(names):
        cmd = [sys.executable, os.path.abspath(__file__), "--worker", side, "--build",
               args.build, "--reps", str(args.reps), "--whole-reps", str(args.whole_reps),
               "--cap", str(args.cap), "--skip", str(skip)]
        if args.only:
            cmd += ["--only", args.only]
        if args.count_reads:
            cmd.append("--count-reads")
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
        pending, first = bytearray(), True
        while skip < len(names):
            # One repetition at a time: the cap and a little for an interrupted command to
            # return; a minute more for the worker's launch of the fixture.
            line = read_line(proc, pending, args.cap + (60 if first else 15))
            first = False
            if line.strip() == "{}":
                continue
            if not line:
                proc.kill()
                proc.wait()
                if proc.returncode not in (0, -9):
                    print(f"  {side}: worker failed on {names[skip]}", file=sys.stderr)
                results[names[skip]] = {"ms": args.cap * 1000, "out_bytes": 0,
                                        "interrupted": True, "hung": True}
                print(f"  {side}: {names[skip]}: no answer, killed", file=sys.stderr)
                skip += 1
                break
            info = json.loads(line)
            results[info.pop("case")] = info
            skip += 1
        else:
            proc.wait()
    print(f"  {side}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return results


def bound(rust, seam):
    """The ratio of an interrupted case is a bound: '>' when rust-lldb was cut short."""
    r, s = bool(rust.get("interrupted")), bool(seam.get("interrupted"))
    return {(True, False): ">", (False, True): "<", (True, True): "?"}.get((r, s), "")


def emit_rows(rust, seam, startup):
    """bench/all's rows: reads are gdb-remote memory packets, RSS the worker's peak."""
    def figure(info, name=None):
        return rows.side(round(info["ms"], 2), ">" if info.get("interrupted") else "",
                         info.get("reads"), info.get("rss_mb"), name)
    for case in rust:
        rows.emit("compare_rust_lldb", case, "ms", figure(seam[case]),
                  figure(rust[case], "rust-lldb"), note="reads: packets to lldb-server")
    rows.emit("compare_rust_lldb", "start-up, no target (plugin load seam vs rust-lldb's)", "ms",
              rows.side(round(startup["lldb + plugin load seam"], 1)),
              rows.side(round(startup["lldb + rust-lldb formatters"], 1), name="rust-lldb"),
              note=f"plain lldb {startup['lldb']:.0f} ms")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--build", required=True, help="the CMake build directory")
    p.add_argument("--reps", type=int, default=7, help="repetitions of the small cases")
    p.add_argument("--whole-reps", type=int, default=3,
                   help="repetitions of the whole-container cases (rust-lldb takes seconds)")
    p.add_argument("--startup-reps", type=int, default=10)
    p.add_argument("--count-reads", action="store_true",
                   help="also count memory-read packets to lldb-server (one untimed run more)")
    p.add_argument("--cap", type=float, default=120,
                   help="seconds after which a command is interrupted and reported as '>'")
    p.add_argument("--only", help="run only the cases whose name matches this regex")
    p.add_argument("--json", action="store_true",
                   help="print bench/all's JSON rows (bench/rows.py) instead of the tables")
    p.add_argument("--skip", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--worker", choices=["rust-lldb", "seam"], help=argparse.SUPPRESS)
    args = p.parse_args()
    os.environ.setdefault("LLDB_DEBUGSERVER_PATH", SERVER)
    if args.worker:
        return worker(args)

    build = os.path.abspath(args.build)
    print(f"fixture {build}/bench/large-O0; medians of {args.reps} (whole: {args.whole_reps}) "
          "fresh stops, after one warm-up", file=sys.stderr)
    rust = run_worker("rust-lldb", args)
    seam = run_worker("seam", args)

    if args.json:
        return emit_rows(rust, seam, startup_ms(build, args.startup_reps))
    reads = args.count_reads
    header = "| case | rust-lldb ms | seam ms | ratio |" + (
        " reads rust-lldb | reads seam |" if reads else "") + " out rust-lldb | out seam | children rust-lldb | children seam |"
    print(header)
    print("|" + " --- |" * (header.count("|") - 1))
    for case in rust:
        r, s = rust[case], seam[case]
        ratio = r["ms"] / s["ms"] if s["ms"] > 0 else float("inf")
        over = lambda x: ">" if x.get("interrupted") else ""
        row = (f"| {case} | {over(r)}{r['ms']:.1f} | {over(s)}{s['ms']:.1f} |"
               f" {bound(r, s)}{ratio:.1f}x |")
        if reads:
            row += f" {r.get('reads', '')} | {s.get('reads', '')} |"
        row += f" {r['out_bytes']} | {s['out_bytes']} |"
        row += f" {r.get('children', '')} | {s.get('children', '')} |"
        print(row)
    print()
    print("| start-up (no target) | median ms |")
    print("| --- | --- |")
    for name, ms in startup_ms(build, args.startup_reps).items():
        print(f"| {name} | {ms:.0f} |")


if __name__ == "__main__":
    main()
