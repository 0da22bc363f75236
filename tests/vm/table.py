#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""table.py RUNDIR ID...: the kernel x check table of a vm-test run (markdown)."""
import json
import os
import sys

CASES = {"btf": "kernel BTF", "nobtf": "BTF hidden", "snapshot": "mode: snapshot"}
COLS = ["probe", "exit", "complete", "extfrag", "compaction", "dropped", "names", "index",
        "snapshots"]


def cell(c):
    if c is None:
        return "–"
    return ("✓ " if c["ok"] else "✗ ") + (c["detail"] if c["detail"] and
                                          c["detail"][0].isdigit() and len(c["detail"]) < 20
                                          else "" if c["ok"] else c["detail"][:60])


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
                  " | ".join(cell(v["checks"].get(c)) for c in COLS) +
                  (f" | {att:.2f} |" if att is not None else " | |"))


if __name__ == "__main__":
    main()
