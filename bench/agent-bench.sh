#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Agent benchmarks: BPF cost per event vs a bare counter (and bpftrace when
# installed), start-to-attached time, RSS over 1,000,000 events.  The bare
# counter and the synthetic feeder are programs of their own (bench/bench.mk).
# Run as root:  make bench-agent   (REPS runs per attachment order, default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
AGENT=${FRAGMON_AGENT:-./fragmon-agent}
LOAD=build/tests/fragload
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; sysctl -qw kernel.bpf_stats_enabled=0; rm -rf "$tmp"' EXIT
bare=


BENCH=${BUILD:-build}/bench
[ -x "$BENCH/bare" ] && [ -x "$BENCH/synthetic" ] || { echo "run make bench-tools first" >&2; exit 1; }

# run count and time of the BPF program NAME that process PID holds (its
# fdinfo lists its programs' ids; bpftool has their bpf_stats)
prog_stats() { # pid name
	local ids
	ids=$(grep -h '^prog_id:' /proc/"$1"/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -u | tr '\n' ' ')
	bpftool prog show -j | python3 -c '
import json, sys
ids, name = set(sys.argv[1].split()), sys.argv[2]
p = [p for p in json.load(sys.stdin) if str(p["id"]) in ids and p.get("name") == name]
print(p[0].get("run_cnt", 0), p[0].get("run_time_ns", 0)) if p else print(0, 0)' "$ids" "$2"
}

start_bare() {
	"$BENCH/bare" >"$tmp/bare.out" 2>&1 &
	bare=$!
	while ! grep -q ready "$tmp/bare.out" 2>/dev/null; do
		kill -0 $bare 2>/dev/null || { cat "$tmp/bare.out" >&2; exit 1; }
		sleep 0.05
	done
}

# One agent run with the bare counter on the same tracepoint, attached
# before ($1 = first) or after ($1 = after) ours; prints
# "handle_n handle_ns bare_n bare_ns flush_n flush_ns stack_n stack_ns"
# (stack: the bare counter that takes the kernel stack, the unwinder's cost).
cost_run() {
	local order=$1
	shift
	rm -rf "$tmp/cost"
	sysctl -qw kernel.bpf_stats_enabled=1
	[ "$order" = first ] && start_bare
	"$AGENT" -o "$tmp/cost" -q -m extfrag "$@" 2>"$tmp/cost.log" &
	agent=$!
	while [ ! -e "$tmp/cost/fragmentation_data.json.partial" ]; do
		kill -0 $agent 2>/dev/null || { cat "$tmp/cost.log" >&2; exit 1; }
		sleep 0.05
	done
	[ "$order" = after ] && start_bare
	for _ in 1 2 3; do
		$LOAD pipes >/dev/null
	done
	sleep 0.4 # the agent's next poll sends what is staged
	h=$(prog_stats $agent handle_extfrag)
	f=$(prog_stats $agent flush_stage)
	kill -INT "$bare"
	wait "$bare"
	kill -INT "$agent"
	wait "$agent"
	sysctl -qw kernel.bpf_stats_enabled=0
	read -r bn bt < <(awk '/^bare_extfrag/ {print $2, $3}' "$tmp/bare.out")
	read -r sn stt < <(awk '/^bare_stack/ {print $2, $3}' "$tmp/bare.out")
	echo "$h $bn $bt $f $sn $stt"
}

# cost LABEL REPS AGENT-ARGS...: both attachment orders, REPS runs each
cost() {
	local label=$1 reps=$2
	shift 2
	echo "== BPF cost per extfrag event, $label ($reps runs per order; kernel.bpf_stats_enabled, same tracepoint, same run)"
	: >"$tmp/after" && : >"$tmp/first"
	for _ in $(seq "$reps"); do
		cost_run after "$@" >>"$tmp/after"
		cost_run first "$@" >>"$tmp/first"
	done
	python3 - "$tmp/after" "$tmp/first" <<'PY'
import sys
def load(path):
    s = [0] * 8
    for line in open(path):
        s = [a + int(b) for a, b in zip(s, line.split())]
    return s
after, first = load(sys.argv[1]), load(sys.argv[2])
if not after[0] or not first[0]:
    sys.exit("no extfrag events: the workload provoked none")
def per(s, i):
    return s[2 * i + 1] / s[2 * i]
fm_a, bare_a = per(after, 0), per(after, 1)
fm_f, bare_f = per(first, 0), per(first, 1)
# flush_stage sends what handlers left staged: charge it to their events
fl = (after[5] + first[5]) / (after[0] + first[0])
print(f"events: {after[0]} (bare after ours), {first[0]} (bare first)")
print(f"bare counter attached after fragmon : fragmon {fm_a:6.0f} ns, bare {bare_a:5.0f} ns, ratio {fm_a / bare_a:5.2f}x")
print(f"bare counter attached before fragmon: fragmon {fm_f:6.0f} ns, bare {bare_f:5.0f} ns, ratio {fm_f / bare_f:5.2f}x")
print(f"each program first on the tracepoint: fragmon {fm_a:6.0f} ns, bare {bare_f:5.0f} ns, ratio {fm_a / bare_f:5.2f}x  (target <= 4x with stacks, <= 3x without)")
print(f"flush_stage (agent-triggered batch sends), per event: {fl:5.0f} ns; with it: ratio {(fm_a + fl) / bare_f:5.2f}x")
st = (after[7] + first[7]) / max(after[6] + first[6], 1)
print(f"the kernel's unwinder alone (a bare counter taking bpf_get_stackid, same run): {st:6.0f} ns, {st / bare_f:5.2f}x the bare counter")
PY
}

bpftrace_cost() {
	echo "== bpftrace printing each extfrag event (same workload)"
	if ! command -v bpftrace >/dev/null; then
		echo "bpftrace: not installed (apt-get install bpftrace) - not measured"
		return
	fi
	ulimit -l unlimited 2>/dev/null || true
	sysctl -qw kernel.bpf_stats_enabled=1
	bpftrace -e 'tracepoint:kmem:mm_page_alloc_extfrag { printf("%d %d %d %d %d %d\n", pid, args->alloc_order, args->fallback_order, args->alloc_migratetype, args->fallback_migratetype, args->change_ownership); }' >"$tmp/bt.out" 2>&1 &
	bt=$!
	sleep 3
	for _ in 1 2 3; do
		$LOAD pipes >/dev/null
	done
	bpftool prog show -j | python3 -c '
import json, sys
progs = [p for p in json.load(sys.stdin) if p.get("type") == "tracepoint"
         and ("mm_page_alloc" in p.get("name", "") or p.get("name", "").startswith("tracepoint_kmem"))]
p = max(progs, key=lambda p: p["id"]) if progs else {}
n, t = p.get("run_cnt", 0), p.get("run_time_ns", 0)
print(f"bpftrace printf: {t / n:6.0f} ns/event ({n} events)" if n else "bpftrace: no events")'
	kill -INT "$bt"
	wait "$bt" || true
	sysctl -qw kernel.bpf_stats_enabled=0
}

REPS=${REPS:-3}
# COSTS=quick: only the stacks on/off pair
cost "default (index_source: snapshot, kernel stacks on)" "$REPS"
cost "kernel stacks off (--stacks off)" "$REPS" --stacks off
[ "${COSTS:-}" = quick ] && exit 0
cost "index_source: event (index read in BPF at each event)" "$REPS" --index-source event
bpftrace_cost

echo "== start to attached (12 tracepoints, mode full), 10 runs"
for i in $(seq 1 10); do
	"$AGENT" -o "$tmp/start$i" -d 1 2>&1 | sed -n "s/.* in \([0-9.]*\) ms, writing .*/\1/p"
done | sort -n | awk '{a[NR]=$1} END {printf "min %.1f ms, median %.1f ms, max %.1f ms (target <= 150 ms)\n", a[1], a[int((NR+1)/2)], a[NR]}'

echo "== RSS: idle 10 s vs 1,000,000 events through the same userspace path"
"$AGENT" -o "$tmp/idle" -q -d 10 -i 1000 &
idle=$!
sleep 9.5
rss_idle=$(awk '/VmRSS/ {print $2}' /proc/$idle/status)
wait $idle
mkdir -p "$tmp/synth"
/usr/bin/time -f "%M" -o "$tmp/peak" "$BENCH/synthetic" 1000000 "$tmp/synth" >"$tmp/rss"
rss_1m=$(awk '$1 == 1000000 {print $2}' "$tmp/rss")
rss_0=$(awk '$1 == 0 {print $2}' "$tmp/rss")
size=$(stat -c %s "$tmp/synth/fragmentation_data.json")
echo "agent (full mode, ring 4 MiB) after 10 s idle: VmRSS ${rss_idle} kB"
echo "synthetic: RSS ${rss_0} kB at start, ${rss_1m} kB after 1,000,000 events ($((size / 1048576)) MiB written); peak $(cat "$tmp/peak") kB"
python3 -c "import sys; a,b=int(sys.argv[1]),int(sys.argv[2]); print(f'RSS change over 1M events: {100.0*(b-a)/a:+.1f}% (target within 10%)')" "$rss_0" "$rss_1m"
