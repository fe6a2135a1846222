#!/usr/bin/env python3
"""What LLDB 19 itself costs per synthetic child, against seam and rust-lldb, in one run.

LLDB's SB API has no C++ synthetic-children callback: every child a client asks for is one call
into a Python provider, and before each call LLDB 19 "enters a session" (it parses and runs a
`run_one_line(...)` string, wraps its stdout and stderr in new Python file objects, and parses
and runs a string that clears `lldb.debugger` and friends on the way out). This script measures
the first 256 children of `vec_u64` (a Vec<u64> of 1e6, bench/fixtures/large.rs) as a UI asks
for them (FindVariable, then GetChildAtIndex for each), on fresh stops, for:

- `empty provider`: a Python provider whose get_child_at_index returns None at once: LLDB's
  own cost per call, the floor of every Python formatter;
- `empty provider + seam's session cache`: the same with seam loaded first, whose
  seam_children.py compiles LLDB's session-entry text once (plugin/children/seam_children.py):
  the floor of any provider that seam could write;
- `address provider`: the least a real provider does (one CreateValueFromAddress per child);
- `rust-lldb` and `seam`.

The largest ratio any Python-provider formatter can reach over rust-lldb on this case is
rust-lldb's time over the floor; the table prints it. Builds nothing: build the `bench` target.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_rust_lldb as common  # noqa: E402  (Session, LLDB, SERVER)
import rows  # noqa: E402

FIRST_CHILDREN = 256
VEC_REGEX = r"^(alloc::([a-z_]+::)+)Vec<.+>$"

PROVIDERS = '''
import lldb

class Empty:
    def __init__(self, valobj, internal_dict):
        pass
    def num_children(self, max_count=0):
        return 1000000
    def get_child_at_index(self, index):
        return None
    def update(self):
        return False
    def has_children(self):
        return True

class ByAddress:
    """Vec's buffer pointer and element type, found once; one value per child."""
    def __init__(self, valobj, internal_dict):
        self.valobj = valobj
    def update(self):
        v = self.valobj.GetNonSyntheticValue()
        self.elem = v.GetType().GetTemplateArgumentType(0)
        self.size = self.elem.GetByteSize()
        ptr = v.GetValueForExpressionPath(".buf.inner.ptr.pointer.pointer")
        self.base = ptr.GetValueAsUnsigned()
        self.len = v.GetChildMemberWithName("len").GetValueAsUnsigned()
        return False
    def num_children(self, max_count=0):
        return min(self.len, max_count or self.len)
    def get_child_at_index(self, index):
        return self.valobj.CreateValueFromAddress("[%d]" % index, self.base + index * self.size,
                                                  self.elem)
    def has_children(self):
        return True
'''


def make_session(lldb, side, build, module_path):
    """A Session of compare_rust_lldb for `side`; the provider sides register theirs in a
    category of their own, searched before every other."""
    plain = side in ("empty provider", "address provider")
    if plain:
        original = common.Session.must
        common.Session.must = lambda self, c: None if c.startswith("plugin load") else original(self, c)
    try:
        s = common.Session(lldb, "rust-lldb" if side == "rust-lldb" else "seam", build)
    finally:
        if plain:
            common.Session.must = original
    if side in ("empty provider", "address provider", "empty provider + seam's session cache"):
        cls = "ByAddress" if side == "address provider" else "Empty"
        s.must(f"command script import {module_path}")
        s.must(f'type synthetic add -l floor_providers.{cls} -x "{VEC_REGEX}" -w floor')
        s.must("type category enable floor")
        if side != "empty provider":
            s.must("type category disable seam")
    return s


def measure(s, reps):
    def once():
        thread = s.fresh_stop()
        frame = s.select(thread, common.CONTAINERS_FRAME)
        t0 = time.perf_counter()
        v = frame.FindVariable("vec_u64")
        v.SetPreferSyntheticValue(True)
        n = min(FIRST_CHILDREN, v.GetNumChildren())
        for i in range(n):
            c = v.GetChildAtIndex(i)
            c.GetValue() or c.GetSummary()
        return (time.perf_counter() - t0) * 1000, n

    once()  # warm-up: DWARF, imports, first type look-ups
    runs = [once() for _ in range(reps)]
    return statistics.median(t for t, _ in runs), runs[0][1]


def worker(args):
    sys.path.insert(0, subprocess.check_output([common.LLDB, "-P"], text=True).strip())
    import lldb

    module = os.path.join(args.tmp, "floor_providers.py")
    with open(module, "w") as f:
        f.write(PROVIDERS)
    s = make_session(lldb, args.worker, os.path.abspath(args.build), module)
    ms, n = measure(s, args.reps)
    s.kill()
    print(f"{ms:.3f} {n}")


SIDES = ["empty provider", "empty provider + seam's session cache", "address provider",
         "rust-lldb", "seam"]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--build", required=True, help="the CMake build directory")
    p.add_argument("--reps", type=int, default=9)
    p.add_argument("--json", action="store_true", help="bench/all's JSON rows (bench/rows.py)")
    p.add_argument("--worker", choices=SIDES, help=argparse.SUPPRESS)
    p.add_argument("--tmp", default="/tmp", help=argparse.SUPPRESS)
    args = p.parse_args()
    os.environ.setdefault("LLDB_DEBUGSERVER_PATH", common.SERVER)
    if args.worker:
        return worker(args)
    results = {}
    for side in SIDES:
        out = subprocess.check_output([sys.executable, os.path.abspath(__file__), "--worker",
                                       side, "--build", args.build, "--reps", str(args.reps)],
                                      text=True)
        ms, n = out.split()
        results[side] = (float(ms), int(n))
        print(f"  {side}: {float(ms):.1f} ms", file=sys.stderr, flush=True)
    rust = results["rust-lldb"][0]
    if args.json:
        for side, (ms, n) in results.items():
            if side != "rust-lldb":
                rows.emit("provider_floor", f"first {FIRST_CHILDREN} children of Vec<u64> 1e6: "
                          f"{side}", "ms", rows.side(round(ms, 1), name=side),
                          rows.side(round(rust, 1), name="rust-lldb"),
                          note=f"{1000 * ms / max(n, 1):.0f} us a child")
        return
    print(f"| first {FIRST_CHILDREN} children of Vec<u64> 1e6 | median ms | per child us "
          "| rust-lldb / this |")
    print("| --- | --- | --- | --- |")
    for side, (ms, n) in results.items():
        print(f"| {side} | {ms:.1f} | {1000 * ms / max(n, 1):.0f} | {rust / ms:.1f}x |")
    floor = results["empty provider + seam's session cache"][0]
    print(f"\nThe most any Python provider can be faster than rust-lldb here: {rust / floor:.1f}x "
          f"(rust-lldb {rust:.1f} ms over the floor {floor:.1f} ms).")


if __name__ == "__main__":
    main()
