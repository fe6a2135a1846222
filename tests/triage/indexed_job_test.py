#!/usr/bin/env python3
"""The Kubernetes Indexed Job of docs/examples/seam-report-indexed-job.yaml, run without
Kubernetes: each pod's own command, from the manifest, with JOB_COMPLETION_INDEX = 0 .. N-1 and
its volumes as local directories, over real cores of a fixture crash. Every pod must succeed (a
shard with a core that is no core too), leave one whole record file, and the records merged by
`seam-report group` must equal one batch over the same cores, group for group. A pod given an
index past N must exit 2, the code the manifest's podFailurePolicy fails the index on.

    indexed_job_test.py --seam-report BUILD/cli/seam-report --fixture BUILD/fixtures/crash_abort-O0 \
        --manifest docs/examples/seam-report-indexed-job.yaml
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

# gdb's gcore of a fixture at its crash, as the seam-report benchmark makes its cores.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
from report_batch import make_core  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seam-report", required=True)
    parser.add_argument("--fixture", required=True)
    parser.add_argument("--manifest", required=True)
    args = parser.parse_args()

    with open(args.manifest) as f:
        job = yaml.safe_load(f)
    spec = job["spec"]
    pod = spec["template"]["spec"]
    container = pod["containers"][0]
    shards = int(next(e["value"] for e in container["env"] if e["name"] == "SHARDS"))
    failures = []

    def check(ok: bool, what: str) -> None:
        if not ok:
            failures.append(what)

    check(spec["completionMode"] == "Indexed", "completionMode is Indexed")
    check(spec["completions"] == shards, f"completions ({spec['completions']}) == SHARDS ({shards})")
    check(pod["restartPolicy"] == "Never", "restartPolicy Never (backoffLimitPerIndex needs it)")
    usage_rule = [r for r in spec["podFailurePolicy"]["rules"] if r["action"] == "FailIndex"]
    check(bool(usage_rule) and usage_rule[0]["onExitCodes"]["values"] == [2],
          "exit 2 (usage) fails the index")
    mounts = {m["name"]: m for m in container["volumeMounts"]}
    check(mounts["cores"].get("readOnly") is True, "the cores are mounted read-only")

    scratch = tempfile.mkdtemp(prefix="seam-indexed-job-")
    cores, triage = os.path.join(scratch, "cores"), os.path.join(scratch, "triage")
    os.makedirs(os.path.join(cores, "app"))
    os.makedirs(triage)
    for kind, name in [("c_segv", "app/core.1"), ("c_segv", "app/core.2"), ("c_abort", "core.3"),
                       ("panic_literal", "core.4"), ("index_oob", "app/core.5")]:
        make_core(args.fixture, kind, os.path.join(cores, name))
    with open(os.path.join(cores, "core.6"), "w") as f:
        f.write("not a core\n")

    # The pod's command as written, its mount paths pointed at the scratch directories.
    script = container["args"][0]
    script = script.replace(mounts["cores"]["mountPath"], cores)
    script = script.replace(mounts["triage"]["mountPath"], triage)
    env = dict(os.environ, SHARDS=str(shards),
               PATH=os.path.dirname(os.path.abspath(args.seam_report)) + ":" + os.environ["PATH"])

    def run_pod(index: int) -> subprocess.CompletedProcess:
        return subprocess.run(container["command"] + [script], capture_output=True, text=True,
                              env=dict(env, JOB_COMPLETION_INDEX=str(index)))

    for index in range(shards):
        done = run_pod(index)
        check(done.returncode == 0, f"pod {index} exits 0, not {done.returncode}: {done.stderr}")
    records = sorted(os.listdir(os.path.join(triage, "records")))
    check(records == sorted(f"shard-{k}-of-{shards}.jsonl" for k in range(shards)),
          f"one whole record file per pod, no .part left: {records}")

    past = run_pod(shards)
    check(past.returncode == 2, f"a pod past the last index exits 2, not {past.returncode}")
    check(not os.path.exists(os.path.join(triage, "records", f"shard-{shards}-of-{shards}.jsonl")),
          "and writes no records")

    tool = args.seam_report
    files = [os.path.join(triage, "records", r) for r in records if r.endswith(".jsonl")]
    merged = json.loads(subprocess.run([tool, "group", "--format", "json"] + files,
                                       capture_output=True, text=True).stdout)
    batch = json.loads(subprocess.run([tool, "--format", "json", cores],
                                      capture_output=True, text=True).stdout)
    check(merged["groups"] == batch["groups"], "the pods' records merged equal the batch's groups:\n"
          + json.dumps(merged["groups"], indent=1) + "\n" + json.dumps(batch["groups"], indent=1))
    check([merged[k] for k in ("total", "analysed", "failed")] == [6, 5, 1],
          f"6 cores, 5 analysed, 1 failed: {merged}")
    check([g["count"] for g in merged["groups"]] == [2, 1, 1, 1], f"groups: {merged['groups']}")

    for f in failures:
        print("FAILED:", f)
    if failures:
        print("scratch kept in", scratch)
        return 1
    shutil.rmtree(scratch)
    print(f"{shards} pods, {len(files)} record files, "
          f"{len(merged['groups'])} groups equal to the batch's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
