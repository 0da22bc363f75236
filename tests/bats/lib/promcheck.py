#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks on fragmon's Prometheus textfile for tests/bats/prom.bats.

  promcheck.py dups FILE          no series (name + labels) written twice
  promcheck.py vs-json PROM JSON  every series agrees with the agent's JSON file
                                  of the same run (statistics, metadata, last snapshot)
  promcheck.py get FILE SERIES    the value of one series, e.g. 'fragmon_agent_running'
  promcheck.py scrape URL         GET URL (node_exporter's /metrics), print the body

Exit 0 = pass, 1 = fail (says why)."""
import json
import re
import sys
import urllib.request

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def samples(text):
    """[(name, {label: value}, float)] of the sample lines"""
    out = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if not m:
            sys.exit(f"promcheck: not a sample line: {line!r}")
        labels = dict(LABEL.findall(m.group(3) or ""))
        out.append((m.group(1), labels, float(m.group(4))))
    return out


def key(name, labels):
    return name + "{" + ",".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}"


def dups(path):
    seen, bad = set(), []
    for name, labels, _ in samples(open(path).read()):
        k = key(name, labels)
        if k in seen:
            bad.append(k)
        seen.add(k)
    if bad:
        sys.exit("promcheck: written twice: " + ", ".join(bad))
    print(f"{len(seen)} series, none twice")


def vs_json(prom, path):
    s = samples(open(prom).read())
    d = json.load(open(path))
    st, meta = d["statistics"], d["metadata"]
    snaps = [e for e in d["events"] if e["event_type"] == "snapshot"]
    last = max(snaps, key=lambda e: e["timestamp"])
    page = d["run"]["page_size"]
    errors = []

    def series(name, **want):
        return [(lab, v) for n, lab, v in s if n == name and
                all(lab.get(k) == str(x) for k, x in want.items())]

    def one(name, **want):
        r = series(name, **want)
        if len(r) != 1:
            errors.append(f"{name}{want}: {len(r)} series")
            return None
        return r[0][1]

    def expect(what, got, want):
        if got is None or abs(got - want) > 1e-9:
            errors.append(f"{what}: textfile {got}, JSON {want}")

    # counters: the exact totals of statistics and metadata
    by_type = st["events_by_type"]
    for lab, v in series("fragmon_events_total"):
        expect(f"events {lab['event']}", v, by_type.get(lab["event"], 0))
    for ev, n in by_type.items():
        if ev != "snapshot":
            expect(f"events {ev}", one("fragmon_events_total", event=ev), n)
    ext = by_type.get("extfrag", 0)
    expect("extfrag by order, sum", sum(v for _, v in series("fragmon_extfrag_events_total")), ext)
    for order, n in st["extfrag"].items():
        expect(f"extfrag order {order}", one("fragmon_extfrag_events_total", order=order), n)
    expect("fallbacks, sum", sum(v for _, v in series("fragmon_extfrag_fallbacks_total")), ext)
    for pat, n in st["extfrag_patterns"].items():
        frm, to = pat.split("->")
        for action in ("steal", "claim"):
            expect(f"fallbacks {pat} {action}",
                   one("fragmon_extfrag_fallbacks_total", **{"from": frm}, to=to, action=action),
                   n[action])
    expect("fragmenting", one("fragmon_extfrag_fragmenting_total"), st["extfrag_fragmenting"])
    runs = sum(v for _, v in series("fragmon_compaction_runs_total"))
    expect("compaction runs, sum", runs,
           sum(c["success"] + c["failure"] for c in st["compaction"].values()))
    for order, c in st["compaction"].items():
        for result in ("success", "failure"):
            expect(f"compaction order {order} {result}",
                   one("fragmon_compaction_runs_total", order=order, result=result), c[result])
    expect("migrated", one("fragmon_migrate_pages_total", result="succeeded"),
           st["migrate"]["succeeded"])
    expect("migrate failed", one("fragmon_migrate_pages_total", result="failed"),
           st["migrate"]["failed"])
    expect("dropped", one("fragmon_events_dropped_total"), meta["events_dropped"])
    expect("capped", one("fragmon_events_capped_total"), meta["events_capped"])
    expect("snapshots", one("fragmon_snapshots_total"), meta["snapshots"])
    expect("running", one("fragmon_agent_running"), 0)
    expect("start time", round(one("fragmon_agent_start_time_seconds") or 0, 3),
           round(meta["start_time"], 3))
    # gauges: the last snapshot, the one taken at the stop
    nz = 0
    for z in last["zones"]:
        lab = {"node": z["node"], "zone": z["zone"]}
        pages = 0
        for o, n in enumerate(z["free"]):
            expect(f"free {lab} {o}", one("fragmon_free_blocks", order=o, **lab), n)
            expect(f"fragindex {lab} {o}", one("fragmon_fragmentation_index", order=o, **lab),
                   z["fragmentation_index"][o] / 1000)
            expect(f"unusable {lab} {o}", one("fragmon_unusable_index", order=o, **lab),
                   z["unusable_index"][o] / 1000)
            pages += n << o
        expect(f"free bytes {lab}", one("fragmon_free_bytes", **lab), pages * page)
        for mt, n in z.get("pageblocks", {}).items():
            expect(f"pageblocks {lab} {mt}", one("fragmon_pageblocks", migratetype=mt, **lab), n)
        nz += 1
    if len(series("fragmon_free_blocks")) != sum(len(z["free"]) for z in last["zones"]):
        errors.append("free_blocks: series for zones not in the last snapshot")
    if errors:
        sys.exit("promcheck: " + "; ".join(errors[:20]))
    print(f"{len(s)} samples agree: {ext} extfrag events, {int(runs)} compaction runs, "
          f"{nz} zones of the last snapshot")


def get(path, name):
    for n, lab, v in samples(open(path).read()):
        if key(n, lab) == name or (n == name and not lab):
            print(int(v) if v == int(v) else v)
            return
    sys.exit(f"promcheck: no series {name}")


def scrape(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        sys.stdout.write(r.read().decode())


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"dups": dups, "vs-json": vs_json, "get": get, "scrape": scrape}[cmd](*args)
