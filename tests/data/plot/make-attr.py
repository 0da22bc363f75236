#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Agent files with attribution (markers, extfrag_by_task, extfrag_stacks) in
the format of docs/format.md, for tests/bats/plot-origin.bats.

  make-attr.py small OUT        the hand-checked run (expected values in the bats file)
  make-attr.py ab SEED A B [X]  a baseline/dev pair of one fstests-like run: the
                                same 40 tests on both, bursty fallbacks; X = "same"
                                (one process) or "worse" (generic/013 x8 and a new
                                call path on B)
"""
import json
import random
import sys

PIPE = ["get_page_from_freelist", "__alloc_pages_noprof", "alloc_pages_mpol_noprof",
        "anon_pipe_write", "vfs_write", "ksys_write", "do_syscall_64",
        "entry_SYSCALL_64_after_hwframe"]
SLAB = ["get_page_from_freelist", "__alloc_pages_noprof", "allocate_slab", "___slab_alloc",
        "kmem_cache_alloc_noprof", "__d_alloc", "d_alloc_parallel", "path_openat",
        "do_filp_open", "do_sys_openat2", "__x64_sys_openat", "do_syscall_64",
        "entry_SYSCALL_64_after_hwframe"]
XFS = ["get_page_from_freelist", "__alloc_pages_noprof", "alloc_pages_mpol_noprof",
       "folio_alloc_noprof", "xfs_buf_alloc_backing_mem [xfs]", "xfs_buf_get_map [xfs]",
       "xfs_trans_get_buf_map [xfs]", "xfs_ialloc_inode_init [xfs]", "process_one_work",
       "worker_thread", "kthread", "ret_from_fork", "ret_from_fork_asm"]
WB = ["get_page_from_freelist", "__alloc_pages_noprof", "new_slab", "___slab_alloc",
      "kmem_cache_alloc_noprof", "bio_alloc_bioset", "ext4_bio_write_folio",
      "ext4_do_writepages", "do_writepages", "__writeback_single_inode",
      "writeback_sb_inodes", "wb_writeback", "wb_workfn", "process_one_work",
      "worker_thread", "kthread", "ret_from_fork", "ret_from_fork_asm"]


def header(duration):
    return {"format": "fragmon", "format_version": 1, "agent_version": "0.1.0",
            "start_time": 1765051200.0, "kernel_version": "6.18.0-test", "hostname": "testhost",
            "mode": "full", "snapshot_interval_ms": 1000, "pageblock_order": 9,
            "nr_page_orders": 11, "markers": "kmsg"}


def marker(t, name, kind, edge, source):
    msg = ("run fstests %s at 2026-12-06 20:00:00" % name if kind == "test"
           else "fragmon: %s %s" % (edge, name))
    return {"timestamp": t, "event_type": "marker", "pid": 0, "tid": 0, "comm": "", "cpu": -1,
            "name": name, "kind": kind, "edge": edge, "source": source, "message": msg}


def extfrag(t, steal, comm, pid, stack):
    return {"timestamp": round(t, 6), "event_type": "extfrag", "pid": pid, "tid": pid,
            "comm": comm, "cpu": 0, "order": 0, "fallback_order": 3,
            "migrate_from": "MOVABLE", "migrate_to": "UNMOVABLE", "is_steal": steal,
            "node": 0, "zone": "Normal", "pfn": 1050000, "pageblock": 2050,
            "fragmenting": True, "fragmentation_index": -1000, "unusable_index": 0,
            "fragmentation_index_source": "bpf", "stack_id": stack}


def write(path, events, stacks, tasks, duration, markers_stats):
    ef = [e for e in events if e["event_type"] == "extfrag"]
    steal = sum(1 for e in ef if e["is_steal"])
    entries = []
    for sid, frames in stacks.items():
        s = sum(1 for e in ef if e["stack_id"] == sid and e["is_steal"])
        c = sum(1 for e in ef if e["stack_id"] == sid and not e["is_steal"])
        entries.append({"id": sid, "frames": frames, "steal": s, "claim": c,
                        "patterns": {"MOVABLE->UNMOVABLE": {"steal": s, "claim": c}}})
    doc = {"run": header(duration), "events": events,
           "statistics": {"events_by_type": {"extfrag": len(ef),
                                             "marker": len(events) - len(ef)},
                          "extfrag_steal": steal, "extfrag_claim": len(ef) - steal,
                          "markers": markers_stats, "extfrag_by_task": tasks,
                          "extfrag_stacks": {"enabled": True, "distinct": len(entries),
                                             "map_full": 0, "failed": 0,
                                             "entries": entries}},
           "metadata": {"start_time": 1765051200.0, "end_time": 1765051200.0 + duration,
                        "duration": duration, "total_events": len(events),
                        "kernel_version": "6.18.0-test", "format": "fragmon",
                        "format_version": 1, "hostname": "testhost", "mode": "full",
                        "complete": True, "end_reason": "signal", "events_dropped": 0,
                        "events_capped": 0, "output_capped": False, "markers": "kmsg",
                        "tracepoints": {"kmem:mm_page_alloc_extfrag": "attached"},
                        "pageblock_order": 9, "nr_page_orders": 11}}
    with open(path, "w") as f:
        json.dump(doc, f, indent=None)
        f.write("\n")


def tasks_of(events):
    by = {}
    for e in events:
        if e["event_type"] != "extfrag":
            continue
        t = by.setdefault(e["comm"], {"comm": e["comm"], "pid": e["pid"], "pids": 1,
                                      "steal": 0, "claim": 0, "fragmenting": 0,
                                      "patterns": {"MOVABLE->UNMOVABLE": {"steal": 0,
                                                                          "claim": 0}}})
        k = "steal" if e["is_steal"] else "claim"
        t[k] += 1
        t["fragmenting"] += 1
        t["patterns"]["MOVABLE->UNMOVABLE"][k] += 1
    return sorted(by.values(), key=lambda t: (-(t["steal"] + t["claim"]), t["comm"]))


def small(path):
    # generic/001 [1, 4): 3 fallbacks; generic/002 [4, 7) (ended): 4; none
    # running: 0.8, 8.0, 9.8; phase fstests [0.5, 9.5): 9.  The marker of
    # generic/002 comes after an event at 4.2 (kmsg is read once per poll).
    ev = [marker(0.5, "fstests", "phase", "begin", "fragmon"),
          extfrag(0.8, True, "fio", 10, 1),
          marker(1.0, "generic/001", "test", "begin", "fstests"),
          extfrag(1.5, True, "fio", 10, 1), extfrag(2.0, False, "fio", 10, 1),
          extfrag(2.5, True, "kworker/u8:1", 11, 2),
          extfrag(4.2, True, "fio", 10, 1),
          marker(4.0, "generic/002", "test", "begin", "fstests"),
          extfrag(5.0, True, "fio", 10, 1), extfrag(6.0, False, "fio", 10, 1),
          extfrag(6.5, True, "fio", 10, 1),
          marker(7.0, "generic/002", "test", "end", "fstests"),
          extfrag(8.0, True, "kworker/u8:1", 11, 2),
          marker(9.5, "fstests", "phase", "end", "fragmon"),
          extfrag(9.8, False, "xfsaild/sda", 12, 2)]
    write(path, ev, {1: PIPE, 2: SLAB}, tasks_of(ev), 10.0,
          {"test": 3, "phase": 2, "lines_read": 40, "lines_lost": 0})


def ab(seed, pa, pb, kind):
    rnd = random.Random(seed)
    tests = ["generic/%03d" % i for i in range(1, 41)]
    base = {t: rnd.lognormvariate(-0.5, 1.2) for t in tests}
    durs = {t: rnd.uniform(5, 40) for t in tests}
    for side, path in ((0, pa), (1, pb)):
        r = random.Random(seed * 7 + side + 1)
        ev, t = [], 1.0
        ev.append(marker(0.2, "fstests", "phase", "begin", "fragmon"))
        for name in tests:
            d = durs[name] * r.uniform(0.9, 1.1)
            ev.append(marker(t, name, "test", "begin", "fstests"))
            rate = base[name] * r.lognormvariate(0, 0.3)
            worse = side == 1 and kind == "worse" and name == "generic/013"
            if worse:
                rate *= 8
            # bursts: clusters of 1-8 events within 50 ms
            u = t
            while True:
                u += r.expovariate(rate / 4.5)
                if u >= t + d:
                    break
                for _ in range(r.randint(1, 8)):
                    stack = 3 if worse and r.random() < 0.7 else r.choice([1, 1, 2, 4])
                    comm = {1: "fsstress", 2: "xfs_io", 3: "kworker/u8:2", 4: "kworker/1:1"}
                    ev.append(extfrag(u + r.uniform(0, 0.05), r.random() < 0.8,
                                      comm[stack], 100 + stack, stack))
            t += d
        ev.append(marker(t + 0.1, "fstests", "phase", "end", "fragmon"))
        write(path, ev, {1: PIPE, 2: SLAB, 3: XFS, 4: WB}, tasks_of(ev), t + 1.0,
              {"test": len(tests), "phase": 2, "lines_read": 2 * len(tests), "lines_lost": 0})


if __name__ == "__main__":
    if sys.argv[1] == "small":
        small(sys.argv[2])
    else:
        ab(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5] if len(sys.argv) > 5 else "same")
