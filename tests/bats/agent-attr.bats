#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Where fragmentation comes from, on the real kernel of this machine: test
# and phase markers from /dev/kmsg, counts per task, kernel call paths.

load lib/agent

# markers FILE: one line per marker event: "timestamp kind edge source name"
markers() {
	python3 -c '
import json, sys
for e in json.load(open(sys.argv[1]))["events"]:
    if e["event_type"] == "marker":
        print(e["timestamp"], e["kind"], e["edge"], e["source"], e["name"])' "$1"
}

@test "attr: markers written to /dev/kmsg after the start are in the file, on the agent's clock" {
	require_bpf
	[ -w /dev/kmsg ] || skip "no writable /dev/kmsg"
	echo "run fstests before/000 at $(date '+%F %T')" > /dev/kmsg
	cat > "$OUT.yaml" <<'EOC'
marker_patterns:
  - "ltp=^LTP: starting ([^ ]+)"
  - "whole=^fmtest-[a-z]+$"
EOC
	start_agent "$OUT" -c "$OUT.yaml" -i 200 --marker-pattern 'cli=^fmcli (.+)$'
	echo "fragmon: begin bats-phase" > /dev/kmsg
	w0=$(date +%s.%N)
	echo "run fstests generic/001 at $(date '+%F %T')" > /dev/kmsg
	w1=$(date +%s.%N)
	sleep 0.3
	echo "run blktests block/001 at $(date '+%F %T')" > /dev/kmsg
	echo "LTP: starting mmap01 (mmap01)" > /dev/kmsg
	echo "fmtest-whole" > /dev/kmsg
	echo "fmcli from the command line" > /dev/kmsg
	echo "not a marker" > /dev/kmsg
	echo "fragmon: end bats-phase" > /dev/kmsg
	sleep 0.3
	stop_agent INT
	f=$OUT/fragmentation_data.json
	run markers "$f"
	echo "$output"
	[ "${#lines[@]}" -eq 7 ]
	[[ "${lines[0]}" == *" phase begin fragmon bats-phase" ]]
	[[ "${lines[1]}" == *" test begin fstests generic/001" ]]
	[[ "${lines[2]}" == *" test begin blktests block/001" ]]
	[[ "${lines[3]}" == *" test begin ltp mmap01" ]]
	[[ "${lines[4]}" == *" test begin whole fmtest-whole" ]]
	[[ "${lines[5]}" == *" test begin cli from the command line" ]]
	[[ "${lines[6]}" == *" phase end fragmon bats-phase" ]]
	[[ "$output" != *before/000* ]]
	# on the agent's clock: the fstests line's time (seconds since the agent
	# started at run.start_time) lies within the wall-clock window around
	# the echo; the 0.3 s sleep lies between it and the next
	python3 - "$f" "$w0" "$w1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ev = [e for e in d["events"] if e["event_type"] == "marker"]
t = [e["timestamp"] for e in ev]
assert t == sorted(t), t
wall = d["run"]["start_time"] + t[1]
w0, w1 = float(sys.argv[2]), float(sys.argv[3])
print(f"fstests line at {wall:.6f}, echo between {w0:.6f} and {w1:.6f}")
assert w0 - 0.002 <= wall <= w1 + 0.002, (wall, w0, w1)
assert 0.25 < t[2] - t[1] < 2, t
assert ev[1]["message"].startswith("run fstests generic/001 at "), ev[1]
PY
	[ "$($FMCHECK get "$f" statistics.markers.test)" = 5 ]
	[ "$($FMCHECK get "$f" statistics.markers.phase)" = 2 ]
	[ "$($FMCHECK get "$f" statistics.events_by_type.marker)" = 7 ]
	[ "$($FMCHECK get "$f" statistics.markers.lines_lost)" = 0 ]
	[ "$($FMCHECK get "$f" statistics.markers.lines_read)" -ge 8 ]
	[ "$($FMCHECK get "$f" metadata.markers)" = kmsg ]
	[ "$($FMCHECK get "$f" run.markers)" = kmsg ]
	# the offset between the printk clock and CLOCK_MONOTONIC was measured
	$FMCHECK get "$f" metadata.markers_clock_offset_us
	run $FMCHECK legacy "$f"
	[ "$status" -eq 0 ]
}

@test "attr: markers off, and a bad marker pattern is a config error naming the position" {
	require_bpf
	start_agent "$OUT" -i 200 --markers off
	echo "fragmon: begin off-phase" > /dev/kmsg
	sleep 0.2
	stop_agent INT
	f=$OUT/fragmentation_data.json
	[ "$($FMCHECK get "$f" metadata.markers)" = "unavailable: disabled by config" ]
	[ "$($FMCHECK count "$f" marker)" = 0 ]
	printf 'mode: full\nmarker_patterns:\n  - "bad=^x("\n' > "$OUT.yaml"
	run "$AGENT" -c "$OUT.yaml" -o "$OUT/x"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$OUT.yaml:3:5: marker_patterns: pattern bad"* ]]
	run "$AGENT" --marker-pattern fstests=x -o "$OUT/x"
	[ "$status" -eq 2 ]
	[[ "$output" == *"option --marker-pattern"*"built in"* ]]
	[ ! -e "$OUT/x" ]
}

# by_task_check FILE: the per-task rows add up to the totals (steal, claim,
# fragmenting, each pattern), at most 64 rows + "(other)", sorted; prints
# "COMM STEAL+CLAIM" of each row
by_task_check() {
	python3 - "$1" <<'PY'
import json, sys
st = json.load(open(sys.argv[1]))["statistics"]
rows = st["extfrag_by_task"]
def tot(key):
    return sum(r[key] for r in rows)
assert tot("steal") == st["extfrag_steal"], (tot("steal"), st["extfrag_steal"])
assert tot("claim") == st["extfrag_claim"], (tot("claim"), st["extfrag_claim"])
assert tot("fragmenting") == st["extfrag_fragmenting"]
pat = {}
for r in rows:
    assert r["steal"] == sum(p["steal"] for p in r["patterns"].values()), r
    assert r["claim"] == sum(p["claim"] for p in r["patterns"].values()), r
    assert r["pids"] >= 1 and (r["pid"] > 0 or r["comm"] in ("(other)", "swapper/0", "swapper/1")), r
    for k, v in r["patterns"].items():
        p = pat.setdefault(k, [0, 0])
        p[0] += v["steal"]
        p[1] += v["claim"]
assert pat == {k: [v["steal"], v["claim"]] for k, v in st["extfrag_patterns"].items()}, pat
named = [r for r in rows if r["comm"] != "(other)"]
assert len(named) <= 64, len(named)
assert all(r["comm"] != "(other)" for r in rows[:-1]), "(other) is the last row"
n = [r["steal"] + r["claim"] for r in named]
assert n == sorted(n, reverse=True), n
for r in rows:
    print(r["comm"], r["steal"] + r["claim"])
PY
}

# ftrace_by_comm NAME COMM: extfrag events of tasks named COMM in the instance
ftrace_by_comm() {
	local t; t=$(tracefs_dir)/instances/$1-$FT_ID
	grep ' mm_page_alloc_extfrag:' "$t/trace" | grep -c "^ *$2-[0-9]* " || true
}

@test "attr: per-task counts add up to the totals and match ftrace's per task, dropped events included" {
	require_bpf
	ftrace_start fmtask kmem/mm_page_alloc_extfrag
	# a 4 KiB ring and the agent stopped during the burst: events are
	# dropped, and still counted per task (in BPF)
	start_agent "$OUT" -i 0 --ringbuf-kb 4
	kill -STOP "$AGENT_PID"
	FRAGLOAD_COMM=fm-pipes provoke_extfrag fmtask 60
	kill -CONT "$AGENT_PID"
	sleep 0.3
	stop_agent INT
	ftrace_stop fmtask
	f=$OUT/fragmentation_data.json
	dropped=$($FMCHECK get "$f" metadata.events_dropped)
	run by_task_check "$f"
	echo "$output"
	[ "$status" -eq 0 ]
	want=$(ftrace_by_comm fmtask fm-pipes)
	got=$(echo "$output" | awk '$1 == "fm-pipes" {print $2}')
	echo "fm-pipes: agent $got, ftrace $want; dropped $dropped"
	[ "$dropped" -gt 0 ]
	[ "$want" -ge 16 ]
	[ $((want - got)) -le 2 ] && [ $((got - want)) -le 2 ]
	# the totals themselves agree with ftrace
	all=$(ftrace_count fmtask mm_page_alloc_extfrag)
	ext=$($FMCHECK get "$f" statistics.events_by_type.extfrag)
	[ $((all - ext)) -le 2 ] && [ $((ext - all)) -le 2 ]
}

# stacks_check FILE [SLACK]: the stacks' counts + map_full + failed +
# rate_limited = the extfrag total (a checkpoint, taken while events go on:
# up to SLACK more, the events counted in BPF but still in flight); every
# extfrag event's stack_id names an entry (or is -1, at most that many);
# prints each stack "COUNT frame <- frame ..."
stacks_check() {
	python3 - "$1" "${2:-0}" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
slack = int(sys.argv[2])
st = d["statistics"]
xs = st["extfrag_stacks"]
ent = xs["entries"]
total = sum(st["extfrag"].values())
counted = sum(e["steal"] + e["claim"] for e in ent)
lost = xs["map_full"] + xs["failed"] + xs["rate_limited"]
print(f"{len(ent)} stacks: {counted} + map_full {xs['map_full']} + failed {xs['failed']}"
      f" + rate_limited {xs['rate_limited']} = {total}")
assert xs["enabled"] is True and xs["distinct"] == len(ent)
assert 0 <= counted + lost - total <= slack
ids = {e["id"] for e in ent}
assert len(ids) == len(ent), "each stack once"
ev = [e for e in d["events"] if e["event_type"] == "extfrag"]
assert all(e["stack_id"] in ids or e["stack_id"] == -1 for e in ev)
assert sum(e["stack_id"] == -1 for e in ev) <= lost
for e in ent:
    assert e["frames"] and e["steal"] + e["claim"] > 0, e
    assert sum(p["steal"] + p["claim"] for p in e["patterns"].values()) == e["steal"] + e["claim"], e
    print(e["steal"] + e["claim"], " <- ".join(e["frames"]))
n = [e["steal"] + e["claim"] for e in ent]
assert n == sorted(n, reverse=True)
PY
}

# a pipe write's call path, innermost first: [anon_]pipe_write <- vfs_write <- ksys_write
pipe_path() {
	grep -E '(^| )(anon_)?pipe_write <- vfs_write <- ksys_write( |$)'
}

@test "attr: each extfrag event's kernel stack is counted; pipe writes show as pipe_write <- vfs_write <- ksys_write" {
	require_bpf
	capture_with_ftrace fmstack INT "$OUT" -i 200
	counts_vs_ftrace fmstack "$OUT/fragmentation_data.json"
	run stacks_check "$OUT/fragmentation_data.json"
	echo "$output"
	[ "$status" -eq 0 ]
	echo "$output" | pipe_path
	# modules' symbols carry their module's name; unknown addresses are hex
	run python3 -c '
import json, re, sys
fr = [f for e in json.load(open(sys.argv[1]))["statistics"]["extfrag_stacks"]["entries"] for f in e["frames"]]
bad = [f for f in fr if not re.fullmatch(r"[A-Za-z0-9_.$]+( \[[A-Za-z0-9_]+\])?|0x[0-9a-f]+", f)]
print(len(fr), bad[:5]); sys.exit(1 if bad else 0)' "$OUT/fragmentation_data.json"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "attr: stacks stay exact when events are dropped, and are in checkpoints" {
	require_bpf
	start_agent "$OUT" -i 0 --ringbuf-kb 4
	kill -STOP "$AGENT_PID"
	for i in 1 2; do "$FRAGLOAD" pipes > /dev/null; done
	kill -CONT "$AGENT_PID"
	sleep 0.3
	kill -USR1 "$AGENT_PID"
	for i in $(seq 1 100); do [ -e "$OUT/fragmentation_data.checkpoint.json" ] && break; sleep 0.05; done
	# events of other tasks may come between the checkpoint's totals and its
	# stacks: at most a stage per CPU
	run stacks_check "$OUT/fragmentation_data.checkpoint.json" $(($(nproc) * 64))
	echo "$output"
	[ "$status" -eq 0 ]
	stop_agent INT
	f=$OUT/fragmentation_data.json
	echo "dropped: $($FMCHECK get "$f" metadata.events_dropped)"
	[ "$($FMCHECK get "$f" metadata.events_dropped)" -gt 0 ]
	run stacks_check "$f"
	echo "$output"
	[ "$status" -eq 0 ]
	echo "$output" | pipe_path
	run by_task_check "$f"
	[ "$status" -eq 0 ]
}

@test "attr: stacks off: no stack taken, every event's stack_id is -1" {
	require_bpf
	ftrace_start fmoff kmem/mm_page_alloc_extfrag
	start_agent "$OUT" -i 200 --stacks off
	provoke_extfrag fmoff 1
	stop_agent INT
	f=$OUT/fragmentation_data.json
	run python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
xs = d["statistics"]["extfrag_stacks"]
ev = [e for e in d["events"] if e["event_type"] == "extfrag"]
print(xs, len(ev))
sys.exit(0 if xs == {"enabled": False} and ev and all(e["stack_id"] == -1 for e in ev) else 1)' "$f"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "attr: without /dev/kmsg the markers are unavailable, said once, and the rest runs" {
	require_bpf
	command -v unshare > /dev/null || skip "no unshare(1)"
	# a /dev of its own, empty: as a kernel or container without /dev/kmsg
	run unshare -m sh -c "mount -t tmpfs none /dev && exec '$AGENT' -o '$OUT' -d 1 -i 200"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep -c 'markers unavailable: cannot open /dev/kmsg')" -eq 1 ]
	f=$OUT/fragmentation_data.json
	[ "$($FMCHECK get "$f" metadata.markers)" = "unavailable: cannot open /dev/kmsg: No such file or directory" ]
	[ "$($FMCHECK get "$f" run.markers)" = "$($FMCHECK get "$f" metadata.markers)" ]
	[ "$($FMCHECK get "$f" metadata.bpf_error)" = null ]
	[ "$($FMCHECK get "$f" metadata.complete)" = true ]
}
