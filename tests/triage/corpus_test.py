#!/usr/bin/env python3
"""Grouping quality on a labelled corpus (docs/triage.md, "Grouping quality"): crash_corpus
(tests/fixtures/crash_corpus.rs and .c) crashes on one of its root causes per run, through one of
two callers, with a value in its message; gdb's gcore saves each crash. The label of a core is
its root cause, the bug's line (`BUG:<cause>` in the sources). seam-report --jsonl over the
corpus and `seam-report group` give the groups; every pair of cores is then either rightly
together, rightly apart, wrongly merged (two causes, one group) or wrongly split (one cause, two
groups). The test asserts no wrong merge at all, and exactly the documented splits.

    corpus_test.py --seam-report BUILD/cli/seam-report --fixtures BUILD/fixtures [--keep DIR]

The manifest (cores and their labels) is written by this script beside the cores, never by hand.
"""
import argparse
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES_SRC = os.path.join(HERE, "..", "fixtures")

# Each root cause and the kind seam must classify it as. The cause is the argument
# crash_corpus takes and the `BUG:` mark of its line.
CAUSES = {
    "index_oob": "rust-panic",
    "unwrap_none": "rust-panic",
    "expect_port": "rust-panic",
    "expect_timeout": "rust-panic",
    "explicit_panic": "rust-panic",
    "unreachable": "rust-panic",
    "refcell_borrowed": "rust-panic",
    "overflow_add": "rust-panic",
    "div_by_zero": "rust-panic",
    "slice_range": "rust-panic",
    "str_boundary": "rust-panic",
    "thread_assert": "rust-panic",
    "callback_panic": "rust-panic",
    "callback_expect": "rust-panic",
    "process_abort": "abort-in-rust",
    "stack_overflow": "stack-overflow",
    "c_null_read": "fault-in-c",
    "c_wild_write": "fault-in-c",
    "c_abort": "abort-in-c",
    "c_assert": "abort-in-c",
    "c_double_free": "allocator-abort",
    "c_heap_overrun": "allocator-abort",
    "c_stack_overflow": "stack-overflow",
}

CORE_LOCATION_BEFORE_TRACK_CALLER = {"slice_range", "str_boundary"}

# Each cause is run this way at each level: (caller, value). The caller picks one of two call
# paths to the bug; the value changes the message (an index 4 or 8), the input, the heap.
RUNS = [("a", 1), ("b", 2), ("a", 5)]
LEVELS = ["O0", "O2"]

# The splits allowed, each documented in docs/triage.md: cause -> why. Each splits its cores by
# level, and only so (every pair of one level together, every pair across levels apart).
SPLIT_BY_LEVEL = {
    # corpus_c_release's last call is free(): at -O2 gcc makes it a jump, so the function that
    # freed twice has no frame on the stack, and the innermost user frame is its caller.
    "c_double_free": "-O2 makes the faulting function's last call (free) a jump",
}


def gdb_cores(exe: str, runs: list[tuple[str, str, int]], out: str) -> list[str]:
    """Runs `exe CAUSE PATH VALUE` for each run in one gdb session, saving a core at each crash;
    returns the cores written. RUST_BACKTRACE is unset so that the panic hook does not load the
    executable's DWARF into the heap (cores of 1 MB, not 44); one malloc arena, so that a thread
    reserves no 64 MiB arena of its own."""
    cmd = ["gdb", "-q", "-batch", "-nx", "-ex", "set pagination off", "-ex", "set confirm off",
           "-ex", "set startup-with-shell off", "-ex", "set debuginfod enabled off",
           "-ex", "unset environment RUST_BACKTRACE", "-ex", "set environment MALLOC_ARENA_MAX 1"]
    cores = []
    for cause, path, value in runs:
        core = os.path.join(out, f"{os.path.basename(exe)}-{cause}-{path}{value}.core")
        cmd += ["-ex", f"run {cause} {path} {value}", "-ex", f"gcore {core}", "-ex", "kill"]
        cores.append(core)
    subprocess.run(cmd + [exe], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return cores


def make_corpus(fixtures: str, cores_dir: str, check) -> dict[str, dict]:
    """Every cause, RUNS times at each level, into `cores_dir`: core -> its label."""
    shutil.rmtree(cores_dir, ignore_errors=True)
    os.makedirs(cores_dir)
    # Four gdb sessions (two per level), each a share of the runs: gdb mostly waits on the
    # program and the kernel, so four keep two CPUs busy.
    runs = {level: [(c, p, v) for c in CAUSES for p, v in RUNS] for level in LEVELS}
    batches = [(level, runs[level][i::2]) for level in LEVELS for i in range(2)]
    manifest = {}
    with ThreadPoolExecutor(max_workers=len(batches)) as pool:
        done = pool.map(lambda b: (b, gdb_cores(os.path.join(fixtures, f"crash_corpus-{b[0]}"),
                                                b[1], cores_dir)), batches)
        for (level, batch), cores in done:
            for (cause, path, value), core in zip(batch, cores):
                check(os.path.exists(core), f"gdb wrote no core for {level} {cause} {path} {value}")
                if os.path.exists(core):
                    manifest[core] = {"cause": cause, "level": level, "path": path, "value": value}
    return manifest


def bug_lines() -> dict[str, tuple[str, int]]:
    """`BUG:<cause>` marks of the fixture's sources: cause -> (file name, line)."""
    out = {}
    for name in ("crash_corpus.rs", "crash_corpus.c"):
        with open(os.path.join(FIXTURES_SRC, name)) as f:
            for number, line in enumerate(f, 1):
                m = re.search(r"BUG:(\w+)", line)
                if m and m.group(1) in CAUSES:
                    out[m.group(1)] = (name, number)
    return out


def pair_counts(label_of: dict[str, str], group_of: dict[str, str]):
    """Pairs of cores: wrongly merged (two labels, one group) and wrongly split (one label, two
    groups), each as a list of (core, core)."""
    merged, split = [], []
    for a, b in itertools.combinations(sorted(label_of), 2):
        same_label, same_group = label_of[a] == label_of[b], group_of[a] == group_of[b]
        if same_group and not same_label:
            merged.append((a, b))
        elif same_label and not same_group:
            split.append((a, b))
    return merged, split


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seam-report", required=True)
    parser.add_argument("--fixtures", required=True, help="the build's fixtures directory")
    parser.add_argument("--keep", help="make the corpus in this directory and keep it")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: group the corpus made before instead of making it")
    parser.add_argument("--signature-frames", type=int, help="passed to seam-report")
    args = parser.parse_args()
    failures = []

    def check(ok: bool, what: str) -> None:
        if not ok:
            failures.append(what)

    for level in LEVELS:
        exe = os.path.join(args.fixtures, f"crash_corpus-{level}")
        if not os.path.exists(exe):
            sys.exit(f"{exe} was not built (cmake --build BUILD --target fixture-crash_corpus)")
    scratch = args.keep or tempfile.mkdtemp(prefix="seam-corpus-")
    manifest_file = os.path.join(scratch, "manifest.jsonl")
    manifest = {}
    started = time.monotonic()
    if args.keep and args.reuse:
        with open(manifest_file) as f:
            for line in f:
                entry = json.loads(line)
                manifest[entry.pop("core")] = entry
    else:
        manifest = make_corpus(args.fixtures, os.path.join(scratch, "cores"), check)
        with open(manifest_file, "w") as f:
            for core, label in sorted(manifest.items()):
                f.write(json.dumps(dict(core=core, **label)) + "\n")
    made = time.monotonic() - started

    records = os.path.join(scratch, "records.jsonl")
    extra = ["--signature-frames", str(args.signature_frames)] if args.signature_frames else []
    started = time.monotonic()
    batch = subprocess.run([args.seam_report, "--jobs", "2", "--jsonl", "-o", records] + extra +
                           sorted(manifest), capture_output=True, text=True)
    check(batch.returncode == 0, f"seam-report exits 0, not {batch.returncode}: {batch.stderr}")
    grouped = subprocess.run([args.seam_report, "group", "--format", "json", records],
                             capture_output=True, text=True)
    analysed = time.monotonic() - started
    check(grouped.returncode == 0, f"group exits 0, not {grouped.returncode}: {grouped.stderr}")
    groups = json.loads(grouped.stdout)["groups"]

    # Each core's own report must say what its label says: the kind of crash and, for a panic,
    # the bug's line as its location (the label is checked, not only trusted).
    reports = {}
    with open(records) as f:
        for line in f:
            record = json.loads(line)
            reports[record["core"]] = record.get("report") or {}
    marks = bug_lines()
    for core, label in sorted(manifest.items()):
        report = reports.get(core, {})
        cls = report.get("classification") or {}
        check(cls.get("kind") == CAUSES[label["cause"]],
              f"{os.path.basename(core)}: kind {cls.get('kind')}, not {CAUSES[label['cause']]}")
        location = (report.get("panic") or {}).get("location")
        if CAUSES[label["cause"]] == "rust-panic":
            name, number = marks[label["cause"]]
            at_bug = (location is not None
                      and location.split("/")[-1].startswith(f"{name}:{number}:"))
            # Before #[track_caller] reached them, std's slice and str indexing panicked at
            # their own line in core (rustc 1.63: library/core/src/slice/index.rs:73:5).
            in_core = (label["cause"] in CORE_LOCATION_BEFORE_TRACK_CALLER and location is not None
                       and "library/core/src/" in location)
            check(at_bug or in_core,
                  f"{os.path.basename(core)}: panic at {location}, not {name}:{number}")

    group_of, message_of = {}, {}
    for g in groups:
        for core in g["cores"]:
            group_of[core] = g["signature"]
    for core in manifest:
        group_of.setdefault(core, "<no group>:" + core)
        message_of[core] = (reports.get(core, {}).get("panic") or {}).get("message")
    label_of = {core: m["cause"] for core, m in manifest.items()}
    merged, split = pair_counts(label_of, group_of)
    merged_messages = [(a, b) for a, b in merged if message_of[a] != message_of[b]]
    causes_split = sorted({label_of[a] for a, _ in split})

    print(f"corpus: {len(manifest)} cores over {len(set(label_of.values()))} root causes, "
          f"{len({group_of[c] for c in manifest})} groups (cores made in {made:.1f} s, "
          f"analysed and grouped in {analysed:.1f} s)")
    print(f"pairs: {len(manifest) * (len(manifest) - 1) // 2}, wrongly merged {len(merged)} "
          f"(of them across different panic messages {len(merged_messages)}), "
          f"wrongly split {len(split)}")
    for cause in causes_split:
        members = sorted(c for c in manifest if label_of[c] == cause)
        print(f"  split: {cause}: " + ", ".join(
            f"{os.path.basename(c)} -> {group_of[c][:16]}" for c in members))
    for a, b in merged[:20]:
        print(f"  merged: {os.path.basename(a)} + {os.path.basename(b)} in {group_of[a]}")
    check(len(manifest) >= 100, f"at least 100 cores, not {len(manifest)}")
    check(len(set(label_of.values())) >= 20, "at least 20 root causes")
    check(not merged_messages, "no merge across different panic messages")
    check(not merged, "no wrong merge")
    level_of = {core: m["level"] for core, m in manifest.items()}
    expected_split = [(a, b) for a, b in itertools.combinations(sorted(label_of), 2)
                      if label_of[a] == label_of[b] and label_of[a] in SPLIT_BY_LEVEL
                      and level_of[a] != level_of[b]]
    check(split == expected_split,
          f"wrongly split exactly {len(expected_split)} pairs ({', '.join(SPLIT_BY_LEVEL)} by "
          f"level), not {len(split)}")

    for what in failures:
        print("FAILED:", what)
    if not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
