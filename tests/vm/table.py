#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""table.py RUNDIR ID...: the kernel x check table of a vm-test run (markdown).

attach s: from starting the agent to its .partial file (BPF attached, header
written); final s: from SIGTERM to the final file (last snapshot, drain,
write); stop s: from SIGTERM to its exit (the programs detached after the
final file), all in guest time under TCG emulation."""
import json
import os
import sys

CASES = {"btf": "as booted", "nobtf": "BTF hidden", "snapshot": "mode: snapshot",
         "rejected": "migrate rejected", "btffile": "--btf file, index at event"}
COLS = ["probe", "exit", "complete", "btf", "extfrag", "compaction", "dropped", "tracepoints",
        "names", "index", "event index", "snapshots"]
SHOW = {"btf", "extfrag", "compaction", "index", "event index", "snapshots"}  # figures shown


def cell(col, c, case):
    if c is None:
        return "–"
    detail = c["detail"].replace("|", "\\|")
    if not c["ok"]:
        return "✗ " + detail[:100]
    if col == "tracepoints" and case == "rejected":
        # the verifier's own words, which differ from kernel to kernel
        return "✓ " + detail.split(";")[0].replace("migrate:mm_migrate_pages ", "")
    return "✓ " + detail if col in SHOW else "✓"


def main():
    run, ids = sys.argv[1], sys.argv[2:]
    print("| kernel | case | " + " | ".join(COLS) + " | attach s | final s | stop s |")
    print("|---|---|" + "---|" * (len(COLS) + 3))
    for i in ids:
        p = os.path.join(run, i, "report.json")
        if not os.path.exists(p):
            print(f"| {i} | no report | " + " | ".join("✗" for _ in COLS) + " | | | |")
            continue
        r = json.load(open(p))
        name = f"{i} `{r['release'].split()[0]}`" if r["release"] else i
        if not r["booted"]:
            print(f"| {name} | did not finish | " + " | ".join("✗" for _ in COLS) + " | | |")
        for case, v in r["cases"].items():
            info = v.get("info") or {}
            times = [info.get("attach_s"), info.get("final_s"), info.get("stop_s")]
            print(f"| {name} | {CASES.get(case, case)} | " +
                  " | ".join(cell(c, v["checks"].get(c), case) for c in COLS) + " | " +
                  " | ".join(f"{t:.2f}" if t is not None else "" for t in times) + " |")


if __name__ == "__main__":
    main()
