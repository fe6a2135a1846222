#!/usr/bin/env python3
"""Crash triage from Python through LLDB's own module: load the seam plugin, open a core, run
`seam report --json` and read the report (schema seam.report/1, docs/report-schema.md).

    PYTHONPATH=$(lldb -P) python3 docs/examples/report.py --plugin build/plugin/libseam.so EXE CORE

Prints the classification, the crash signature and the frames it hashes, then every language
boundary between the program's own frames in the crashing thread:

    fault-in-c d3ce7989193abe39 crash_c_read <- crash_abort::crash_kinds::read_config <- ...
      ── Rust -> C: wrapper crash_abort::crash_kinds::read_config calls crash_c_read ──
"""
import argparse
import json
import sys

import lldb


def seam_report(debugger: lldb.SBDebugger) -> dict:
    """`seam report --json` on the debugger's selected target, parsed."""
    result = lldb.SBCommandReturnObject()
    debugger.GetCommandInterpreter().HandleCommand("seam report --json", result)
    if not result.Succeeded():
        raise RuntimeError(result.GetError())
    return json.loads(result.GetOutput())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plugin", required=True, help="path of libseam.so")
    parser.add_argument("exe")
    parser.add_argument("core")
    args = parser.parse_args()

    lldb.SBDebugger.Initialize()
    debugger = lldb.SBDebugger.Create(False)  # no ~/.lldbinit
    debugger.SetAsync(False)
    result = lldb.SBCommandReturnObject()
    debugger.GetCommandInterpreter().HandleCommand(f"plugin load {args.plugin}", result)
    if not result.Succeeded():
        print(f"cannot load the plugin: {result.GetError()}", file=sys.stderr)
        return 1

    error = lldb.SBError()
    target = debugger.CreateTarget(args.exe, None, None, True, error)
    if not target.IsValid():
        print(f"cannot load {args.exe}: {error}", file=sys.stderr)
        return 1
    process = target.LoadCore(args.core, error)
    if not process.IsValid():
        print(f"cannot open {args.core}: {error}", file=sys.stderr)
        return 1

    report = seam_report(debugger)
    assert report["schema"] == "seam.report/1", report["schema"]
    signature = report["signature"]
    print(report["classification"]["kind"], signature["hash"], " <- ".join(signature["frames"]))
    # The boundaries between the program's own frames (start-up code crosses from C to Rust too).
    thread = report["crashing_thread"] or {"frames": [], "boundaries": []}
    runtime = {f["index"] for f in thread["frames"] if f["runtime"]}
    for boundary in thread["boundaries"]:
        if boundary["caller"] not in runtime and boundary["callee"] not in runtime:
            print("  " + boundary["text"])
    lldb.SBDebugger.Destroy(debugger)
    return 0


if __name__ == "__main__":
    sys.exit(main())
