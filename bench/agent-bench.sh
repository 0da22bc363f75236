#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Agent benchmarks: BPF cost per event vs a bare counter (and bpftrace when
# installed), start-to-attached time, RSS over 1,000,000 events.
# Run as root after `make agent workload`:  bench/agent-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
AGENT=${FRAGMON_AGENT:-./fragmon-agent}
LOAD=build/tests/fragload
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; sysctl -qw kernel.bpf_stats_enabled=0; rm -rf "$tmp"' EXIT


cost() { # --bench-bare[=first]: the bare counter attached after / before ours
	echo "== BPF cost per extfrag event ($1; kernel.bpf_stats_enabled, same tracepoint, same run)"
	sysctl -qw kernel.bpf_stats_enabled=1
	rm -rf "$tmp/cost"
	"$AGENT" -o "$tmp/cost" -q -m extfrag "$1" >"$tmp/stats" 2>"$tmp/cost.log" &
	agent=$!
	while [ ! -e "$tmp/cost/fragmentation_data.json.partial" ]; do sleep 0.05; done
	bt=
	if command -v bpftrace >/dev/null; then
		ulimit -l unlimited 2>/dev/null || true
		bpftrace -e 'tracepoint:kmem:mm_page_alloc_extfrag { printf("%d %d %d %d %d %d\n", pid, args->alloc_order, args->fallback_order, args->alloc_migratetype, args->fallback_migratetype, args->change_ownership); }' >"$tmp/bt.out" 2>&1 &
		bt=$!
		sleep 3
	fi
	for _ in 1 2 3; do
		$LOAD pipes >/dev/null
	done
	n_bt=0 t_bt=0
	if [ -n "$bt" ]; then
		read -r n_bt t_bt < <(bpftool prog show -j | python3 -c '
import json, sys
progs = [p for p in json.load(sys.stdin) if p.get("type") == "tracepoint"
         and ("mm_page_alloc" in p.get("name", "") or p.get("name", "").startswith("tracepoint_kmem"))]
p = max(progs, key=lambda p: p["id"]) if progs else {}
print(p.get("run_cnt", 0), p.get("run_time_ns", 0))')
		kill -INT "$bt"; wait "$bt" || true
	fi
	kill -INT "$agent"; wait "$agent"
	sysctl -qw kernel.bpf_stats_enabled=0
	# the agent reports its own programs' bpf_stats as it stops
	read -r _ _ n_fm t_fm < <(grep "^bpf_stats handle_extfrag " "$tmp/stats")
	read -r _ _ n_bare t_bare < <(grep "^bpf_stats bench_bare_extfrag " "$tmp/stats")
	python3 - "$n_fm" "$t_fm" "$n_bare" "$t_bare" "$n_bt" "$t_bt" <<'PY'
import sys
n_fm, t_fm, n_b, t_b, n_bt, t_bt = map(int, sys.argv[1:])
if not n_fm or not n_b:
    sys.exit("no extfrag events: the workload provoked none")
fm, bare = t_fm / n_fm, t_b / n_b
print(f"events: fragmon {n_fm}, bare counter {n_b}")
print(f"fragmon handle_extfrag: {fm:8.0f} ns/event")
print(f"bare counter:           {bare:8.0f} ns/event")
print(f"ratio fragmon / bare:   {fm / bare:8.2f}x  (target <= 3x)")
if n_bt:
    bt = t_bt / n_bt
    print(f"bpftrace printf:        {bt:8.0f} ns/event ({n_bt} events)")
    print(f"ratio bpftrace / fragmon: {bt / fm:6.2f}x")
else:
    print("bpftrace: not installed (apt-get install bpftrace) - not measured")
PY
}
cost --bench-bare
cost --bench-bare=first

echo "== start to attached (12 tracepoints, mode full), 10 runs"
for i in $(seq 1 10); do
	"$AGENT" -o "$tmp/start$i" -d 1 2>&1 | sed -n 's/.*attached in \([0-9.]*\) ms.*/\1/p'
done | sort -n | awk '{a[NR]=$1} END {printf "min %.1f ms, median %.1f ms, max %.1f ms (target <= 150 ms)\n", a[1], a[int((NR+1)/2)], a[NR]}'

echo "== RSS: idle 10 s vs 1,000,000 events through the same userspace path"
"$AGENT" -o "$tmp/idle" -q -d 10 -i 1000 &
idle=$!
sleep 9.5
rss_idle=$(awk '/VmRSS/ {print $2}' /proc/$idle/status)
wait $idle
/usr/bin/time -f "%M" -o "$tmp/peak" "$AGENT" -m snapshot -o "$tmp/synth" -q --bench-synthetic 1000000 >"$tmp/rss"
rss_1m=$(awk '$1 == 1000000 {print $2}' "$tmp/rss")
rss_0=$(awk '$1 == 0 {print $2}' "$tmp/rss")
size=$(stat -c %s "$tmp/synth/fragmentation_data.json")
echo "agent (full mode, ring 4 MiB) after 10 s idle: VmRSS ${rss_idle} kB"
echo "synthetic: RSS ${rss_0} kB at start, ${rss_1m} kB after 1,000,000 events ($((size / 1048576)) MiB written); peak $(cat "$tmp/peak") kB"
python3 -c "import sys; a,b=int(sys.argv[1]),int(sys.argv[2]); print(f'RSS change over 1M events: {100.0*(b-a)/a:+.1f}% (target within 10%)')" "$rss_0" "$rss_1m"
