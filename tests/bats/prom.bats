#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# fragmon-agent's Prometheus textfile (prometheus_dir), read by the real
# tools: promtool check metrics and node_exporter's textfile collector
# (Debian packages prometheus and prometheus-node-exporter).

load lib/agent

PROMCHECK="python3 $FM_TOP/tests/bats/lib/promcheck.py"

setup() {
	OUT=$(mktemp -d /tmp/fragmon-prom-test.XXXXXX)
	NE_PID=
}

teardown() {
	[ -n "${AGENT_PID:-}" ] && kill -9 "$AGENT_PID" 2>/dev/null || true
	[ -n "$NE_PID" ] && kill "$NE_PID" 2>/dev/null && wait "$NE_PID" 2>/dev/null || true
	ftrace_remove fmprom 2>/dev/null || true
	rm -rf "$OUT" "$OUT.log"
}

require_tool() { # command package
	command -v "$1" >/dev/null || skip "$1 not installed (Debian package $2: tools/install-deps.sh)"
}

# wait until FILE exists (at most 10 s)
wait_file() {
	local i
	for i in $(seq 1 100); do
		[ -e "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

@test "prom: under a workload, the textfile passes promtool and node_exporter and agrees with the JSON" {
	require_bpf
	require_tool promtool prometheus
	require_tool prometheus-node-exporter prometheus-node-exporter
	mkdir "$OUT/prom"
	ftrace_start fmprom kmem/mm_page_alloc_extfrag
	start_agent "$OUT/run" -i 200 --prometheus-dir "$OUT/prom"
	wait_file "$OUT/prom/fragmon.prom"
	[ "$($PROMCHECK get "$OUT/prom/fragmon.prom" fragmon_agent_running)" = 1 ]
	provoke_extfrag fmprom 5
	"$FRAGLOAD" compact
	sleep 0.5
	# while it runs: valid for promtool, no series twice
	cp "$OUT/prom/fragmon.prom" "$OUT/running.prom"
	run promtool check metrics < "$OUT/running.prom"
	echo "$output"
	[ "$status" -eq 0 ] && [ -z "$output" ]
	stop_agent INT
	ftrace_stop fmprom
	f=$OUT/prom/fragmon.prom
	run promtool check metrics < "$f"
	echo "promtool: $output"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	$PROMCHECK dups "$OUT/running.prom"
	$PROMCHECK dups "$f"
	# the last file (written at the stop) holds the run's exact totals and its
	# last snapshot: every series agrees with the final JSON
	run $PROMCHECK vs-json "$f" "$OUT/run/fragmentation_data.json"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$($PROMCHECK get "$f" 'fragmon_events_total{event="extfrag"}')" -ge 1 ]
	# the series a user alerts on carry node/zone/order, from/to, no internal numbers
	grep -q '^fragmon_extfrag_fallbacks_total{from="MOVABLE",to="UNMOVABLE",action="steal"} ' "$f"
	grep -Eq '^fragmon_fragmentation_index\{node="0",zone="[A-Za-z0-9]+",order="3"\} ' "$f"
	[ -z "$(grep -E 'kind=|host=' "$f")" ]
	[ "$(grep -c '^fragmon_events_total{event="compaction_success"}' "$f")" -eq 1 ]
	# nothing but the file in the directory (the temporary file is renamed)
	[ "$(ls "$OUT/prom")" = fragmon.prom ]

	# node_exporter 1.5's textfile collector, on 127.0.0.1, scraped once (a port
	# taken by someone else: the exporter exits, try another)
	local port url try i
	for try in 1 2 3; do
		port=$((20000 + RANDOM % 20000))
		url=http://127.0.0.1:$port/metrics
		prometheus-node-exporter --web.listen-address="127.0.0.1:$port" \
			--collector.disable-defaults --collector.textfile \
			--collector.textfile.directory="$OUT/prom" 2>"$OUT/ne.log" &
		NE_PID=$!
		for i in $(seq 1 50); do
			$PROMCHECK scrape "$url" > "$OUT/scrape.txt" 2>/dev/null && break 2
			kill -0 "$NE_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill "$NE_PID" 2>/dev/null; wait "$NE_PID" 2>/dev/null || true
		NE_PID=
	done
	[ -n "$NE_PID" ] || { cat "$OUT/ne.log" >&2; false; }
	grep -q '^node_textfile_scrape_error 0$' "$OUT/scrape.txt" || { cat "$OUT/ne.log" "$OUT/scrape.txt" >&2; false; }
	# every sample of the file is served, with its value (node_exporter 1.5 drops a
	# repeated series silently: the counts would differ)
	[ "$(grep -c '^fragmon_' "$f")" -eq "$(grep -c '^fragmon_' "$OUT/scrape.txt")" ]
	want=$(grep '^fragmon_events_total{event="extfrag"}' "$f" | cut -d' ' -f2)
	grep -q "^fragmon_events_total{event=\"extfrag\"} $want\$" "$OUT/scrape.txt"
}

@test "prom: a missing prometheus_dir is logged once with the path and errno; written once it exists" {
	require_bpf
	start_agent "$OUT/run" -i 100 --prometheus-dir "$OUT/later"
	sleep 1.5 # ~15 snapshots, each a failed write
	grep "prometheus_dir" "$OUT/run.log" >&2 || true
	[ "$(grep -c "prometheus_dir $OUT/later: cannot create $OUT/later/fragmon.prom.$AGENT_PID.tmp: No such file or directory" "$OUT/run.log")" -eq 1 ]
	[ "$(grep -c prometheus_dir "$OUT/run.log")" -eq 1 ]
	mkdir "$OUT/later"
	wait_file "$OUT/later/fragmon.prom"
	stop_agent INT
	grep -q "prometheus_dir $OUT/later: $OUT/later/fragmon.prom written again" "$OUT/run.log"
	[ "$(grep -c prometheus_dir "$OUT/run.log")" -eq 2 ]
	# the run itself was not disturbed
	[ "$($FMCHECK get "$OUT/run/fragmentation_data.json" metadata.complete)" = true ]
	[ "$($PROMCHECK get "$OUT/later/fragmon.prom" fragmon_agent_running)" = 0 ]
}

@test "prom: an unwritable prometheus_dir is logged once with EACCES and the run ends with status 0" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to run the agent as another user"
	[ -x "$AGENT" ] || skip "fragmon-agent not built"
	command -v setpriv >/dev/null || skip "setpriv (util-linux) not installed"
	mkdir -m 0755 "$OUT/prom" "$OUT/run"
	chown nobody "$OUT/run"
	chmod 0755 "$OUT"
	# snapshot mode needs no privilege: the agent runs as nobody, the
	# directory belongs to root
	run setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$AGENT" -o "$OUT/run" -q -m snapshot -i 100 -d 2 --prometheus-dir "$OUT/prom"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(grep -c "prometheus_dir $OUT/prom: cannot create $OUT/prom/fragmon.prom.[0-9]*.tmp: Permission denied" <<<"$output")" -eq 1 ]
	[ "$(grep -c prometheus_dir <<<"$output")" -eq 1 ]
	[ -z "$(ls "$OUT/prom")" ]
	[ "$($FMCHECK get "$OUT/run/fragmentation_data.json" metadata.complete)" = true ]
	# several snapshots, so several failed writes, logged once
	[ "$($FMCHECK get "$OUT/run/fragmentation_data.json" metadata.snapshots)" -ge 3 ]
}
