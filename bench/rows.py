"""One row of bench/all's table, printed as a JSON line by every bench script given `--json`.

A row is one case measured in one run: seam's figure and, where the script measures one, the
anchor's (stock rust-lldb, plain lldb, `lldb -b` per core, libdwarf's own walk) in the same
unit. bench/all reads these lines and prints the table; the ratio is anchor / seam there.
"""
import json
import sys


def side(value, bound="", reads=None, rss_mb=None, name=None, **extra):
    """A figure: `value` in the row's unit, `bound` '>' when the run was cut short at that
    value, `reads` memory reads (packets or engine reads, as the row's note says), `rss_mb`
    peak resident memory of the process that did the work."""
    out = {"value": value, "bound": bound}
    for key, v in (("reads", reads), ("rss_mb", rss_mb), ("name", name)):
        if v is not None:
            out[key] = v
    out.update(extra)
    return out


def emit(bench, case, unit, seam, anchor=None, note="", **extra):
    """Prints one row. `seam` and `anchor` are side() dicts; an anchor carries its name."""
    row = {"bench": bench, "case": case, "unit": unit, "seam": seam}
    if anchor is not None:
        row["anchor"] = anchor
    if note:
        row["note"] = note
    row.update(extra)
    print(json.dumps(row), flush=True)


def peak_rss_mb(pid="self"):
    """VmHWM of a process (Linux), in MB; None when it cannot be read."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def log(*args):
    print(*args, file=sys.stderr, flush=True)
