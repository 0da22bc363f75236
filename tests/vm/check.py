#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge what a kernel-matrix guest printed (tests/vm/guest-init.sh).

check.py LABEL DATAFILE [JSONOUT]: prints one line per case and check, and
exit status 1 if any check failed.  The checks are those of the host suite
(tests/bats/agent.bats), on the booted kernel:
  probe       --probe exits 0 and says can_run (full cases); in case
              "rejected" it also reports migrate:mm_migrate_pages rejected
  exit        the agent exits 0 on SIGTERM
  btf         metadata.btf: "kernel" when the kernel shows BTF, "none" when it
              has none or it is hidden, "file" with --btf; migratetype names
              from BTF with a BTF, else from /proc/pagetypeinfo
  complete    a final file: valid JSON, complete, end_reason SIGTERM
  extfrag     real extfrag events; the agent's exact total = an ftrace
              instance's count of the same tracepoint over a window inside
              the agent's (switched on after the agent attached, off before
              it is stopped: the agent may see 0..EDGE more, never fewer)
  compaction  compaction runs; = ftrace's mm_compaction_end count (0..EDGE)
  names       metadata.migratetypes in /proc/pagetypeinfo's order
  index       the last snapshot's indices (taken as the agent stops) = debugfs
              extfrag/unusable_index read just before the stop, or just after
              the agent exited (the two reads enclose that snapshot)
  dropped     no event lost
  by task     statistics.extfrag_by_task adds up to the extfrag totals
  stacks      statistics.extfrag_stacks: the stacks' counts + map_full +
              failed + rate_limited = the extfrag total, every event's stack_id is one of
              them (or -1), and a stack runs through pipe_write (or
              anon_pipe_write) <- vfs_write: fragload's pipe writes
  markers     the phase and fstests markers the guest wrote to /dev/kmsg
  tracepoints every program attached (or the tracepoint missing); in case
              "rejected" migrate:mm_migrate_pages is "rejected: <the
              verifier's message>" and the others still attached
  event index (case btffile) the index read in BPF at each extfrag event
              ("fragmentation_index_source": "bpf") agrees with the nearest
              snapshot's for >= 90 % of the events (tolerance 50, as
              tests/bats/agent.bats)
"""
import contextlib
import gzip
import io
import json
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "bats", "lib"))
import fmcheck  # noqa: E402

EDGE = 2   # events the agent's window may see outside ftrace's
TOL = 10   # index x1000, as the host tests
EVENT_TOL = 50  # event-time index vs the nearest snapshot, as agent.bats
MIGRATE = "migrate:mm_migrate_pages"


def frames(raw):
    out, i = {}, 0
    head = re.compile(rb"=== FILE (\S+) (\d+)\n")
    while True:
        m = head.search(raw, i)
        if not m:
            return out
        n, s = int(m.group(2)), m.end()
        out[m.group(1).decode()] = raw[s:s + n]
        i = s + n


def text(f, name, default=""):
    v = f.get(name)
    return v.decode("utf-8", "replace").strip() if v is not None else default


def pagetype_order(pti):
    seen = []
    for line in pti.splitlines():
        m = re.match(r"Node\s+\d+, zone\s+\S+, type\s+(\S+)", line)
        if m and m.group(1) not in seen:
            seen.append(m.group(1))
    return seen


def judge_case(f, case, pt_types, kernel_btf):
    res = {}
    full = case != "snapshot"

    def ok(name, good, detail=""):
        res[name] = (bool(good), detail)

    probe_rc = text(f, f"{case}/probe.rc", "?")
    try:
        probe = json.loads(f.get(f"{case}/probe.json", b"{}") or b"{}")
    except ValueError:
        probe = {}
    if full:
        detail = f"rc {probe_rc}, can_run {probe.get('can_run')}"
        good = probe_rc == "0" and probe.get("can_run") is True
        if case == "rejected":
            mig = probe.get("tracepoints", {}).get(MIGRATE, "?")
            good = good and mig.startswith("rejected: ")
            detail += f", {MIGRATE} {mig}"
        ok("probe", good, detail)
    rc = text(f, f"{case}/agent.rc", "?")
    log = text(f, f"{case}/agent.log")
    ok("exit", rc == "0", f"rc {rc}" + (f": {log.splitlines()[-1]}" if log and rc != "0" else ""))
    raw = f.get(f"{case}/final.json.gz")
    if raw is None:
        ok("complete", False, "no final file" + (" (partial left)" if f"{case}/partial.json.gz" in f else ""))
        return res, None
    try:
        d = json.loads(gzip.decompress(raw))
    except (ValueError, OSError) as e:
        ok("complete", False, f"not JSON: {e}")
        return res, None
    md, st = d.get("metadata", {}), d.get("statistics", {})
    ok("complete", md.get("complete") is True and md.get("end_reason") == "SIGTERM",
       f"end_reason {md.get('end_reason')}")
    ev = d.get("events", [])
    by = {}
    for e in ev:
        by[e["event_type"]] = by.get(e["event_type"], 0) + 1
    if not full:
        ok("snapshots", by.get("snapshot", 0) >= 2 and set(by) - {"marker"} == {"snapshot"},
           f"{by.get('snapshot', 0)} snapshots, types {sorted(by)}")
    else:
        fx = int(text(f, f"{case}/ftrace.mm_page_alloc_extfrag", "-1") or -1)
        ax = sum(st.get("extfrag", {}).values())
        ok("extfrag", ax > 0 and by.get("extfrag", 0) > 0 and 0 <= ax - fx <= EDGE,
           f"{ax} agent / {fx} ftrace")
        fc = int(text(f, f"{case}/ftrace.mm_compaction_end", "-1") or -1)
        ac = sum(v.get("success", 0) + v.get("failure", 0)
                 for v in st.get("compaction", {}).values())
        ok("compaction", ac > 0 and 0 <= ac - fc <= EDGE, f"{ac} agent / {fc} ftrace")
        dropped = md.get("events_dropped", -1)
        ok("dropped", dropped == 0, f"{dropped}")
        tps = dict(md.get("tracepoints", {}))
        mig = tps.pop(MIGRATE, "?") if case == "rejected" else None
        bad = {k: v for k, v in tps.items() if v not in ("attached", "missing", "disabled")}
        good = tps.get("kmem:mm_page_alloc_extfrag") == "attached" and not bad
        detail = ", ".join(f"{k}: {v}" for k, v in bad.items()) or \
            f"{sum(v == 'attached' for v in tps.values())} attached"
        if mig is not None:
            good = good and mig.startswith("rejected: ")
            detail = f"{MIGRATE} {mig}; " + detail
        ok("tracepoints", good, detail)
        stacks_check(ok, d, st, ev)
        rows = st.get("extfrag_by_task", [])
        sums = [sum(r.get(k, 0) for r in rows) for k in ("steal", "claim", "fragmenting")]
        want = [st.get(k, -1) for k in ("extfrag_steal", "extfrag_claim", "extfrag_fragmenting")]
        ok("by task", rows and sums == want, f"{len(rows)} tasks: {sums} vs totals {want}")
        want_btf = {"nobtf": "none", "btffile": "file"}.get(
            case, "kernel" if kernel_btf == "yes" else "none")
        want_src = "pagetypeinfo" if want_btf == "none" else "btf"
        ok("btf", md.get("btf") == want_btf and md.get("migratetype_source") == want_src,
           f"{md.get('btf')}, names from {md.get('migratetype_source')}")
    if case == "btffile":
        n, agree = event_index(d)
        fb = md.get("index_source_fallback")
        ok("event index", md.get("index_source") == "event" and not fb and n >= 1 and
           agree >= n * 9 // 10,
           f"{agree}/{n} agree" + (f"; fallback: {fb}" if fb else ""))
    mk = [(e.get("kind"), e.get("edge"), e.get("source"), e.get("name"))
          for e in ev if e["event_type"] == "marker"]
    want_mk = [("phase", "begin", "fragmon", f"vm-{case}"), ("test", "begin", "fstests", f"vm/{case}"),
               ("phase", "end", "fragmon", f"vm-{case}")]
    ok("markers", md.get("markers") == "kmsg" and mk == want_mk,
       f"{md.get('markers')}: {len(mk)} markers" + ("" if mk == want_mk else f" {mk}"))
    mts = [m.lower() for m in md.get("migratetypes", [])]
    want = [t.lower() for t in pt_types]
    ok("names", want and mts[:len(want)] == want,
       f"{md.get('migratetypes')} vs pagetypeinfo {pt_types}")
    # debugfs read just before the stop and after the agent exited: the
    # last snapshot, taken as the agent stops, lies between the two
    why = []
    for when, sfx in (("before stop", ""), ("after exit", ".after")):
        good, detail = index_check(f, case, d, sfx)
        if good:
            ok("index", True, f"{detail} values ({when})")
            break
        why.append(f"{when}: {detail}")
    else:
        ok("index", False, "; ".join(why))
    def span(name):
        t = text(f, f"{case}/{name}").split()
        return float(t[1]) - float(t[0]) if len(t) == 2 else None
    return res, {"attach_s": span("start"), "final_s": span("final"), "stop_s": span("stop"), "events": by,
                 "tracepoints": md.get("tracepoints")}


# a known call path: a pipe write (fragload pipes), pipe_write or, from
# 6.14 on, anon_pipe_write, called from vfs_write
PIPE_WRITE = ("pipe_write", "anon_pipe_write")


def stacks_check(ok, d, st, ev):
    """stacks: counted, adding up, events referring to them, a known path"""
    xs = st.get("extfrag_stacks", {})
    entries = xs.get("entries", [])
    total = sum(st.get("extfrag", {}).values())
    counted = sum(e["steal"] + e["claim"] for e in entries)
    lost = xs.get("map_full", 0) + xs.get("failed", 0) + xs.get("rate_limited", 0)
    ids = {e["id"] for e in entries}
    bad_ref = sum(1 for e in ev if e["event_type"] == "extfrag"
                  and e.get("stack_id") not in ids and e.get("stack_id") != -1)
    known = [e for e in entries
             if any(f.split(" ")[0] in PIPE_WRITE and "vfs_write" in
                    [g.split(" ")[0] for g in e["frames"][i + 1:]]
                    for i, f in enumerate(e["frames"]))]
    ok("stacks", xs.get("enabled") is True and counted + lost == total and not bad_ref and known,
       f"{len(entries)} stacks: {counted} + {lost} lost vs {total} extfrag, {len(known)} through "
       f"pipe_write <- vfs_write" + (f", {bad_ref} events with an unknown stack_id" if bad_ref else "")
       + ("" if known or not entries else f"; top: {' <- '.join(entries[0]['frames'])}"))


def index_check(f, case, d, sfx):
    """(ok, detail): the last snapshot's indices vs debugfs files"""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for n in ("final.json", "extfrag_index", "unusable_index"):
            p = os.path.join(tmp, n)
            with open(p, "wb") as out:
                out.write(json.dumps(d).encode() if n == "final.json" else
                          f.get(f"{case}/{n}{sfx}", b""))
            paths.append(p)
        try:
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                fmcheck.index_vs_debugfs(paths[0], paths[1], paths[2], TOL)
            return True, buf.getvalue().strip()
        except fmcheck.CheckFailed as e:
            return False, str(e)


def event_index(d):
    """(extfrag events with a BPF-read index, those agreeing with snapshots)"""
    with tempfile.TemporaryDirectory() as tmp:
        p = os.path.join(tmp, "final.json")
        with open(p, "w") as out:
            json.dump(d, out)
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            fmcheck.event_index_vs_snapshots(p, EVENT_TOL)
    n, agree = buf.getvalue().split()
    return int(n), int(agree)


def main():
    label, path = sys.argv[1], sys.argv[2]
    f = frames(open(path, "rb").read()) if os.path.exists(path) else {}
    report = {"kernel": label, "release": text(f, "uname"), "kernel_btf": text(f, "kernel-btf"),
              "booted": "done" in f, "cases": {}}
    failed = not report["booted"]
    print(f"{label}: {report['release'] or 'no output'}; kernel BTF: {report['kernel_btf'] or '?'}")
    if not report["booted"]:
        print(f"{label}: FAIL boot: the guest did not finish (see its console log)")
    pt = pagetype_order(text(f, "pagetypeinfo"))
    cases = [k.split("/")[0] for k in f if k.endswith("/probe.rc")]
    for case in cases:
        res, info = judge_case(f, case, pt, report["kernel_btf"])
        report["cases"][case] = {"checks": {k: {"ok": v[0], "detail": v[1]} for k, v in res.items()},
                                 "info": info}
        for name, (good, detail) in res.items():
            failed |= not good
            print(f"{label} {case:8s} {'ok  ' if good else 'FAIL'} {name:11s} {detail}")
    if len(sys.argv) > 3:
        with open(sys.argv[3], "w") as out:
            json.dump(report, out, indent=1)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
