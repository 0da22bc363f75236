#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""table.py RUNDIR ID...: the kernel x check table of a vm-test run (markdown)."""
import json
import os
import sys

CASES = {"btf": "kernel BTF", "nobtf": "BTF hidden", "snapshot": "mode: snapshot"}
COLS = ["probe", "exit", "complete", "extfrag", "compaction", "dropped", "names", "index",
        "snapshots"]


SHOW = {"extfrag", "compaction", "index", "snapshots"}  # columns whose figures are shown


def cell(col, c):
    if c is None:
        return "–"
    if not c["ok"]:
        return "✗ " + c["detail"][:80]
    return "✓ " + (c["detail"] if col in SHOW else "")


def main():
    run, ids = sys.argv[1], sys.argv[2:]
    print("| kernel | case | " + " | ".join(COLS) + " | attach s |")
    print("|---|---|" + "---|" * (len(COLS) + 1))
    for i in ids:
        p = os.path.join(run, i, "report.json")
        if not os.path.exists(p):
            print(f"| {i} | no report | " + " | ".join("✗" for _ in COLS) + " | |")
            continue
        r = json.load(open(p))
        name = f"{i} `{r['release'].split()[0]}`" if r["release"] else i
        if not r["booted"]:
            print(f"| {name} | did not finish | " + " | ".join("✗" for _ in COLS) + " | |")
        for case, v in r["cases"].items():
            info = v.get("info") or {}
            att = info.get("attach_s")
            print(f"| {name} | {CASES.get(case, case)} | " +
                  " | ".join(cell(c, v["checks"].get(c)) for c in COLS) +
                  (f" | {att:.2f} |" if att is not None else " | |"))


if __name__ == "__main__":
    main()
