#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Cut a fragmentation_data.json into consecutive parts of equal length, each a
run of its own: events of part k are those with k*D/N <= timestamp < (k+1)*D/N
(D = metadata.duration), shifted to start at 0; metadata.duration, start_time,
end_time and total_events are set for the part; statistics are recounted from
the events the part has.  Used by the plot tests to compare the halves of one
steady run, which must come out the same within noise.

    split-run.py RUN.json[.gz] N OUT_PREFIX     -> OUT_PREFIX1.json ... OUT_PREFIXN.json
"""
import gzip
import json
import sys

src, n, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with (gzip.open if src.endswith(".gz") else open)(src, "rt") as f:
    d = json.load(f)
dur = float(d["metadata"]["duration"])
part = dur / n
for k in range(n):
    lo, hi = k * part, (k + 1) * part
    ev = []
    for e in d["events"]:
        t = e.get("timestamp", 0)
        if lo <= t < hi or (k == n - 1 and t >= hi):
            e = dict(e)
            e["timestamp"] = round(t - lo, 9)
            ev.append(e)
    out = {}
    if "run" in d:
        out["run"] = dict(d["run"], start_time=d["run"].get("start_time", 0) + lo)
    out["events"] = ev
    by = {}
    for e in ev:
        by[e["event_type"]] = by.get(e["event_type"], 0) + 1
    ef = [e for e in ev if e["event_type"] == "extfrag"]
    out["statistics"] = {"events_by_type": by,
                         "extfrag_steal": sum(1 for e in ef if e.get("is_steal")),
                         "extfrag_claim": sum(1 for e in ef if not e.get("is_steal"))}
    m = dict(d["metadata"])
    m["start_time"] = m.get("start_time", 0) + lo
    m["end_time"] = m["start_time"] + part
    m["duration"] = part
    m["total_events"] = len(ev)
    out["metadata"] = m
    with open("%s%d.json" % (prefix, k + 1), "w") as f:
        json.dump(out, f)
