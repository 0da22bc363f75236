#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks on fragmon output for the bats tests. Exit 0 = pass, 1 = fail (says why)."""
import json
import sys
import zlib

LEGACY_META = {"start_time": float, "end_time": float, "duration": float,
               "total_events": int, "kernel_version": str}
LEGACY_EVENT = {"timestamp": float, "event_type": str, "pid": int, "comm": str,
                "order": int, "fragmentation_index": int}
LEGACY_EXTFRAG = {"tid": int, "fallback_order": int, "migrate_from": str,
                  "migrate_to": str, "is_steal": bool, "node": int}
LEGACY_COMPACTION = {"zone": str, "node": int}


class CheckFailed(Exception):
    pass


def fail(msg):
    raise CheckFailed(msg)


def read(path, whole=True):
    """The file's bytes; gzip (by its magic) inflated: whole wants the stream's
    end (a final file), else what a cut stream (a killed agent's) gives."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] != b"\x1f\x8b":
        return data
    z = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = z.decompress(data)
    if whole and not z.eof:
        fail(f"{path}: the gzip stream has no end (truncated)")
    if z.eof and z.unused_data:
        fail(f"{path}: {len(z.unused_data)} bytes after the gzip stream")
    return out


def load(path):
    return json.loads(read(path).decode("utf-8"))


def typed(obj, spec, where):
    for k, t in spec.items():
        if k not in obj:
            fail(f"{where}: missing key {k}")
        v = obj[k]
        ok = isinstance(v, t) and not (t is int and isinstance(v, bool))
        if t is float and isinstance(v, int) and not isinstance(v, bool):
            ok = True
        if not ok:
            fail(f"{where}: {k} is {type(v).__name__}, want {t.__name__}")


def legacy(path):
    d = load(path)
    for k in ("metadata", "events", "statistics"):
        if k not in d:
            fail(f"{path}: no {k}")
    typed(d["metadata"], LEGACY_META, "metadata")
    if d["metadata"]["total_events"] != len(d["events"]):
        fail("total_events != len(events)")
    for i, e in enumerate(d["events"]):
        if e["event_type"] == "snapshot":
            continue
        if e["event_type"] in ("extfrag", "compaction_success", "compaction_failure"):
            typed(e, LEGACY_EVENT, f"event {i}")
        if e["event_type"] == "extfrag":
            typed(e, LEGACY_EXTFRAG, f"event {i}")
        if e["event_type"] == "compaction_success":
            typed(e, LEGACY_COMPACTION, f"event {i}")
    for k in ("extfrag", "compaction"):
        if not isinstance(d["statistics"].get(k), dict):
            fail(f"statistics.{k} missing")
    print("ok")


def partial(path):
    """A killed agent's file: a JSON prefix; returns events and last timestamp."""
    raw = read(path, whole=False).decode("utf-8")
    lines = raw.split("\n")
    # drop a torn last line, then close the arrays
    body = "\n".join(lines[:-1]) if not raw.endswith("\n") else raw
    body = body.rstrip().rstrip(",")
    d = json.loads(body + "\n]}")
    ev = d["events"]
    print(len(ev), max((e["timestamp"] for e in ev), default=-1))


def get(path, expr):
    d = load(path)
    v = d
    for part in expr.split("."):
        if isinstance(v, list):
            v = v[int(part)]
        else:
            v = v.get(part) if isinstance(v, dict) else None
    print(json.dumps(v) if not isinstance(v, str) else v)


def count(path, etype):
    d = load(path)
    print(sum(1 for e in d["events"] if e["event_type"] == etype))


def comms(path, etype):
    d = load(path)
    for e in d["events"]:
        if e["event_type"] == etype:
            print(json.dumps(e["comm"]))


def index_vs_debugfs(path, extfrag_file, unusable_file, tol, extfrag_after=None,
                     unusable_after=None):
    """Last snapshot's indices vs the kernel's debugfs files.

    With one reading, each of ours must be within tol of the kernel's.  With a
    reading before the agent's last snapshot and one after (a live system
    moves meanwhile), each of ours must lie between the two, give or take tol.
    """
    d = load(path)
    snaps = [e for e in d["events"] if e["event_type"] == "snapshot"]
    if not snaps:
        fail("no snapshot")
    last = snaps[-1]
    checked = 0

    def kernel(fname):
        out = {}
        for line in open(fname):
            p = line.split()
            # "Node 0, zone   Normal -1.000 -1.000 ..."
            out[(int(p[1].rstrip(",")), p[3])] = [round(float(x) * 1000) for x in p[4:]]
        return out
    kfi, kui = kernel(extfrag_file), kernel(unusable_file)
    kfi2 = kernel(extfrag_after) if extfrag_after else kfi
    kui2 = kernel(unusable_after) if unusable_after else kui

    def near(ours, a, b):
        return min(a, b) - tol <= ours <= max(a, b) + tol
    for z in last["zones"]:
        key = (z["node"], z["zone"])
        if key not in kfi:
            continue
        for o, (ours, a, b) in enumerate(zip(z["fragmentation_index"], kfi[key], kfi2[key])):
            # -1000: a free block of the order exists; either reading may say so
            if ours == -1000:
                good = -1000 in (a, b)
            else:
                vals = [x for x in (a, b) if x != -1000]
                good = bool(vals) and near(ours, min(vals), max(vals))
            if not good:
                fail(f"{key} order {o}: fragmentation index {ours} vs kernel {a}..{b}")
            checked += 1
        for o, (ours, a, b) in enumerate(zip(z["unusable_index"], kui[key], kui2[key])):
            if not near(ours, a, b):
                fail(f"{key} order {o}: unusable index {ours} vs kernel {a}..{b}")
            checked += 1
    if not checked:
        fail("no zone compared")
    print(checked)


def event_index_vs_snapshots(path, tol):
    """BPF-read index at each extfrag event vs the nearest snapshot's, same zone."""
    d = load(path)
    snaps = sorted((e for e in d["events"] if e["event_type"] == "snapshot"),
                   key=lambda e: e["timestamp"])
    n = agree = 0
    for e in d["events"]:
        if e["event_type"] != "extfrag" or e.get("fragmentation_index_source") != "bpf":
            continue
        near = min(snaps, key=lambda s: abs(s["timestamp"] - e["timestamp"]))
        z = [z for z in near["zones"] if z["zone"] == e["zone"] and z["node"] == e["node"]]
        if not z:
            continue
        n += 1
        theirs = z[0]["fragmentation_index"][e["order"]]
        if (theirs == -1000) == (e["fragmentation_index"] == -1000) and \
                abs(theirs - e["fragmentation_index"]) <= tol:
            agree += 1
    print(n, agree)


def shape_of(d):
    """Keys in order at the top, of run, statistics and metadata; the key set of
    each event type: what two runs of one configuration share."""
    ev = {}
    for e in d["events"]:
        ev.setdefault(e["event_type"], set()).update(e.keys())
    return {"top": list(d), "run": list(d["run"]), "statistics": list(d["statistics"]),
            "metadata": list(d["metadata"]),
            "events": {k: sorted(v) for k, v in ev.items()}}


def same_shape(a, b, *types):
    """Files a and b have the same shape; the event types named must be in both."""
    sa, sb = shape_of(load(a)), shape_of(load(b))
    for t in types:
        if t not in sa["events"] or t not in sb["events"]:
            fail(f"no {t} event in {a if t not in sa['events'] else b}")
    # a run may lack a rare event type the other saw: compare the shared ones
    for t in set(sa["events"]) & set(sb["events"]):
        if sa["events"][t] != sb["events"][t]:
            fail(f"{t} keys differ: {sa['events'][t]} vs {sb['events'][t]}")
    for k in ("top", "run", "statistics", "metadata"):
        if sa[k] != sb[k]:
            fail(f"{k} differs: {sa[k]} vs {sb[k]}")
    print("ok", len(set(sa["events"]) & set(sb["events"])), "event types")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    try:
        {"legacy": legacy, "partial": partial, "get": get, "count": count, "comms": comms,
         "same-shape": same_shape,
         "index-vs-debugfs": lambda p, a, b, t, *after: index_vs_debugfs(p, a, b, int(t), *after),
         "event-index": lambda p, t: event_index_vs_snapshots(p, int(t))}[cmd](*args)
    except CheckFailed as e:
        print("fmcheck: " + str(e), file=sys.stderr)
        sys.exit(1)
