#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Repeated runs that drift: cut RUN into N consecutive parts as split-run.py
does (each a run of its own, start times in order), then keep in part k only
the share KEEP_k of its extfrag events (every event is kept or dropped by a
fixed rule, so the output is the same each time); the statistics block is
recounted.  KEEP 1,1,1,... gives exchangeable-looking parts of a steady run;
1,0.7,0.5,0.35,0.2,0.1 runs whose extfrag rate falls with run order, as the
runs of one boot were seen to.

    drift-runs.py RUN.json[.gz] N OUT_PREFIX KEEP1,KEEP2,...  -> OUT_PREFIX1.json ...
"""
import json
import os
import subprocess
import sys

src, n, prefix, keep = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4].split(",")
here = os.path.dirname(os.path.abspath(__file__))
subprocess.run([sys.executable, os.path.join(here, "split-run.py"), src, str(n), prefix],
               check=True)
for k in range(n):
    path = "%s%d.json" % (prefix, k + 1)
    with open(path) as f:
        d = json.load(f)
    share, ev, seen = float(keep[k % len(keep)]), [], 0
    for e in d["events"]:
        if e["event_type"] == "extfrag":
            seen += 1
            # keep event i when floor(i * share) advances: evenly thinned
            if int(seen * share) == int((seen - 1) * share):
                continue
        ev.append(e)
    d["events"] = ev
    ef = [e for e in ev if e["event_type"] == "extfrag"]
    st = d.setdefault("statistics", {})
    by = {}
    for e in ev:
        by[e["event_type"]] = by.get(e["event_type"], 0) + 1
    st["events_by_type"] = by
    st["extfrag_steal"] = sum(1 for e in ef if e.get("is_steal"))
    st["extfrag_claim"] = sum(1 for e in ef if not e.get("is_steal"))
    if "metadata" in d:
        d["metadata"]["total_events"] = len(ev)
    with open(path, "w") as f:
        json.dump(d, f)
