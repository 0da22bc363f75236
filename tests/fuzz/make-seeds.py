#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Regenerate the plot reader's seed corpus (tests/fuzz/corpus/plot_reader) from the
legacy tracker's files and one agent capture, each cut to a few events.

    tests/fuzz/make-seeds.py LEGACY_DIR AGENT_OUTPUT.json
"""
import copy
import json
import os
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "plot_reader")


def write(name, text):
    with open(os.path.join(OUT, name), "w") as f:
        f.write(text)


def pick(events, want):
    """first events of each type, want = {type: n}"""
    out, left = [], dict(want)
    for e in events:
        if left.get(e["event_type"], 0) > 0:
            out.append(e)
            left[e["event_type"]] -= 1
    return out


def legacy(path, stem, indent):
    d = json.load(open(path))
    d["events"] = pick(d["events"], {"extfrag": 3, "compaction_success": 2,
                                     "compaction_failure": 2})
    d["metadata"]["total_events"] = len(d["events"])
    write(stem + ".json", json.dumps(d, indent=indent))


def agent(path):
    d = json.load(open(path))
    snaps = [e for e in d["events"] if e["event_type"] == "snapshot"][:2]
    for s in snaps:
        s["zones"] = s["zones"][-1:]
        s["vmstat"] = dict(list(s["vmstat"].items())[:3])
    others = pick(d["events"], {"extfrag": 3, "migrate": 1, "kcompactd_sleep": 1,
                                "kcompactd_wake": 1, "compaction_success": 1,
                                "compaction_failure": 1, "compaction_try": 1})
    ext = [e for e in others if e["event_type"] == "extfrag"]
    if ext:  # a compaction run summary of each kind, in the agent's shape
        base = {k: ext[0][k] for k in ("pid", "tid", "comm", "cpu", "node", "zone")}
        for t, st, fi, o in (("compaction_success", "success", 512, 9),
                             ("compaction_failure", "complete", -1, -1),
                             ("compaction_run", "partial_skipped", 0, 3)):
            others.append(dict(base, timestamp=ext[0]["timestamp"] + 0.25, event_type=t,
                               order=o, fragmentation_index=fi, status=st, sync=False,
                               duration_us=12.5, source="run"))
    d["events"] = snaps[:1] + others + snaps[1:]
    d["metadata"]["total_events"] = len(d["events"])
    full = json.dumps(d, indent=None, separators=(", ", ": "))
    write("agent-full.json", full)
    # a killed agent's file: a JSON prefix ending inside the events
    text = json.dumps({k: d[k] for k in ("run", "events")}, indent=1)
    write("agent-partial-prefix.json", text[: len(text) * 2 // 3])
    empty = copy.deepcopy(d)
    empty["events"] = []
    empty["metadata"]["total_events"] = 0
    write("agent-no-events.json", json.dumps(empty))
    one = copy.deepcopy(d)
    one["events"] = ext[:1]
    one["metadata"]["total_events"] = len(one["events"])
    write("agent-one-event.json", json.dumps(one))


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    legacy(os.path.join(sys.argv[1], "legacy-load.json"), "legacy-load-cut", None)
    legacy(os.path.join(sys.argv[1], "legacy-simple.json"), "legacy-simple-cut", 2)
    agent(sys.argv[2])
