#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write hostile inputs for fragmon-plot into DIR, one file each, and print
"name expect" lines: expect is "ok" (must plot: exit 0), "bad" (must be refused:
exit 2 with a message), "any" (exit 0 or 2; either way no crash, bounded time
and memory) or "nojson" (no JSON value at all: exit 2, or exit 0 with a warning
that 0 events were read).  Used by tests/bats/reliability-plot.bats; nothing is stored."""
import json
import os
import sys

D = sys.argv[1]
CASES = []


def ev(t=1.0, **kw):
    e = {"timestamp": t, "event_type": "extfrag", "pid": 1, "tid": 1, "comm": "x",
         "order": 2, "fallback_order": 10, "migrate_from": "MOVABLE",
         "migrate_to": "UNMOVABLE", "is_steal": False, "node": 0, "zone": "Normal",
         "fragmentation_index": 500}
    e.update(kw)
    return e


def snap(t=1.0, **kw):
    z = {"node": 0, "zone": "Normal", "free": [100, 50, 25, 12, 6, 3, 1, 1, 0, 0, 1],
         "fragmentation_index": [-1000] * 9 + [900, 950]}
    z.update(kw)
    return {"timestamp": t, "event_type": "snapshot", "pid": 0, "tid": 0, "comm": "",
            "cpu": -1, "zones": [z]}


def doc(events, meta=None, stats=None, run=None):
    d = {}
    if run is not None:
        d["run"] = run
    d["events"] = events
    d["statistics"] = stats if stats is not None else {"extfrag": {}, "compaction": {}}
    m = {"start_time": 1.7e9, "end_time": 1.7e9 + 10, "duration": 10.0,
         "total_events": len(events), "kernel_version": "6.1"}
    m.update(meta or {})
    d["metadata"] = m
    return d


def put(name, expect, data):
    path = os.path.join(D, name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    CASES.append((name, expect))


def putj(name, expect, d):
    put(name, expect, json.dumps(d))


# numbers
putj("huge-numbers.json", "any", doc([ev(1e300, order=10**30, fallback_order=2**64,
                                         fragmentation_index=-10**40, pid=2**63)],
                                     meta={"duration": 1e308, "total_events": 10**25}))
putj("huge-counts.json", "any", doc([ev()], stats={"extfrag": {"2": 10**30},
                                                   "events_by_type": {"extfrag": 2**64 + 5},
                                                   "compaction": {}}))
putj("negative-numbers.json", "any", doc([ev(-5.0, order=-7, fallback_order=-1,
                                             fragmentation_index=-99999, node=-3)],
                                         meta={"duration": -10.0, "start_time": -1.0}))
putj("negative-timestamps.json", "any", doc([ev(-1e6), ev(-0.5), ev(3.0)]))
put("nan-literal.json", "bad", '{"events": [{"timestamp": NaN, "event_type": "extfrag"}]}')
put("infinity-literal.json", "bad", '{"metadata": {"duration": Infinity}, "events": []}')
put("overflow-to-inf.json", "any", json.dumps(doc([ev(1.0)])).replace('"timestamp": 1.0',
                                                                       '"timestamp": 1e400'))
put("overflow-duration.json", "any", json.dumps(doc([ev(1.0)])).replace('"duration": 10.0',
                                                                        '"duration": -1e400'))
putj("tiny-denormal.json", "ok", doc([ev(5e-324), ev(-0.0), ev(1e-300)]))
putj("order-63.json", "any", doc([ev(order=63, fallback_order=63),
                                  {"timestamp": 2.0, "event_type": "compaction_success",
                                   "order": 63, "fragmentation_index": 500, "node": 0,
                                   "zone": "Normal", "pid": 1, "comm": "c"},
                                  {"timestamp": 2.0, "event_type": "compaction_failure",
                                   "order": 63, "fragmentation_index": -1, "node": 0,
                                   "zone": "Normal", "pid": 1, "comm": "c"}]))
putj("order-extremes.json", "any", doc([ev(order=o) for o in (-2**31, -2, -1, 11, 16, 2**31 - 1)]))
putj("snapshot-64-orders.json", "any", doc([snap(free=list(range(64)),
                                                 fragmentation_index=[2000] * 64)]))
putj("snapshot-many-zones.json", "any", doc([dict(snap(t), zones=[
    {"node": n, "zone": "Z%d" % n, "free": [1] * 11} for n in range(300)]) for t in (1, 2)]))
putj("fi-out-of-range.json", "any", doc([ev(fragmentation_index=10**6),
                                         ev(fragmentation_index=-10**6)]))
# strings
big = "A" * (1 << 20)
putj("string-1mb-comm.json", "ok", doc([ev(comm=big)]))
putj("string-1mb-type.json", "ok", doc([ev(event_type=big), ev()]))
putj("string-1mb-migratetype.json", "ok", doc([ev(migrate_from=big, migrate_to=big)]))
putj("string-1mb-meta.json", "ok", doc([ev()], meta={"kernel_version": big, "hostname": big}))
putj("string-1mb-key.json", "ok", doc([dict(ev(), **{big: 1})]))
putj("string-zone-names.json", "any", doc([snap(zone=big), snap(2.0, zone="\u0000\u202e")]))
put("string-bad-utf8.json", "any", b'{"events": [{"timestamp": 1, "event_type": "extfrag", '
    b'"comm": "\xff\xfe\xc0\x80", "migrate_from": "\xed\xa0\x80"}], "metadata": {}}')
put("string-escapes.json", "any", '{"events": [{"timestamp": 1, "event_type": "extfr\\u0000ag",'
    ' "comm": "\\ud800\\udfff\\ud800", "migrate_from": "MOV\\u0000ABLE"}]}')
# nesting
deep = "[" * 10000 + "]" * 10000
put("nest-10000-top.json", "bad", deep)
put("nest-10000-in-event.json", "any",
    '{"events": [{"timestamp": 1, "event_type": "extfrag", "x": %s}], "metadata": {}}' % deep)
put("nest-10000-objects.json", "any",
    '{"metadata": ' + '{"a": ' * 10000 + '1' + '}' * 10000 + ', "events": []}')
put("nest-10000-unclosed.json", "any", '{"events": [' + '[' * 10000)
# wrong types
for name, d in {
    "type-events-object.json": {"events": {"a": 1}, "metadata": {}},
    "type-events-number.json": {"events": 5},
    "type-event-number.json": {"events": [1, "two", None, True, []]},
    "type-timestamp-string.json": doc([ev("soon"), ev(None), ev(True), ev([1])]),
    "type-order-string.json": doc([ev(order="9", fallback_order=None, is_steal="yes")]),
    "type-metadata-array.json": {"metadata": [1, 2], "events": []},
    "type-zones-string.json": doc([dict(snap(), zones="Normal")]),
    "type-free-object.json": doc([snap(free={"0": 1}), snap(2.0, free=["x", None, -1, 1e300])]),
    "type-stats-wrong.json": doc([ev()], stats={"extfrag": [1, 2], "compaction": "x",
                                                 "events_by_type": {"extfrag": "many"}}),
    "type-top-array.json": [doc([ev()])],
    "type-top-string.json": "fragmentation",
}.items():
    putj(name, "any", d)
put("type-top-null.json", "bad", "null")
# duplicates
put("dup-events.json", "any", '{"events": [{"timestamp": 1, "event_type": "extfrag"}], '
    '"events": [{"timestamp": 2, "event_type": "extfrag"}], "metadata": {}, "metadata": {}}')
put("dup-event-keys.json", "any", '{"events": [{"timestamp": 1, "timestamp": 2, '
    '"event_type": "extfrag", "event_type": "snapshot", "order": 1, "order": 99}]}')
# sizes and shapes
putj("events-0.json", "ok", doc([]))
putj("events-1.json", "ok", doc([ev(3.0)]))
putj("events-same-time.json", "ok", doc([ev(5.0, order=i % 11) for i in range(10000)]))
putj("events-wide-span.json", "ok", doc([ev(0.0), ev(1e9), ev(5e8)]))
putj("events-unsorted.json", "ok", doc([ev(t) for t in (9, 1, 5, 3, 7, 0.001, 8)]))
put("empty.json", "nojson", "")
put("whitespace.json", "nojson", " \n\t" * 1000)
put("bom.json", "any", "\ufeff" + json.dumps(doc([ev()])))
put("trailing-garbage.json", "any", json.dumps(doc([ev()])) + "}}garbage")
put("two-documents.json", "any", json.dumps(doc([ev()])) * 2)
put("nul-bytes.json", "nojson", "\0" * 4096)

for name, expect in CASES:
    print(name, expect)
