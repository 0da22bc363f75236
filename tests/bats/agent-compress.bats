#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# compress: gzip: the agent writes fragmentation_data.json.gz itself, flushed
# (Z_SYNC_FLUSH) every 0.5 s so that a killed run stays readable; the final
# file and checkpoints are complete gzip streams, renamed into place.

load lib/agent

PLOT=${FRAGMON_PLOT:-$FM_TOP/fragmon-plot}
GZ=fragmentation_data.json.gz

# start_agent for the gzip names
start_gz() { # outdir args...
	local out=$1 i
	shift
	"$AGENT" -o "$out" -q --compress gzip "$@" 2>"$out.log" &
	AGENT_PID=$!
	for i in $(seq 1 100); do
		[ -e "$out/$GZ.partial" ] && return 0
		kill -0 "$AGENT_PID" 2>/dev/null || { cat "$out.log" >&2; return 1; }
		sleep 0.05
	done
	echo "agent not ready after 5 s" >&2
	return 1
}

@test "compress: kill -9 leaves a readable .gz partial missing at most ~1 s; fragmon-plot reads it" {
	require_bpf
	start_gz "$OUT" -i 50
	"$FRAGLOAD" pipes >/dev/null
	sleep 2
	t_kill=$(date +%s.%N)
	kill -9 "$AGENT_PID"
	wait "$AGENT_PID" || true
	AGENT_PID=
	[ ! -e "$OUT/$GZ" ] && [ ! -e "$OUT/fragmentation_data.json.partial" ]
	# a gzip stream without its end: gzip itself says so
	run gzip -t "$OUT/$GZ.partial"
	[ "$status" -ne 0 ]
	read -r n last < <($FMCHECK partial "$OUT/$GZ.partial")
	t_start=$(zcat "$OUT/$GZ.partial" 2>/dev/null | head -c 4096 |
		sed -n 's/.*"start_time": *\([0-9.]*\).*/\1/p')
	lost=$(awk -v k="$t_kill" -v s="$t_start" -v l="$last" 'BEGIN { printf "%.3f", k - s - l }')
	echo "events=$n last=$last start=$t_start kill=$t_kill lost=${lost}s"
	[ "$n" -ge 30 ]
	awk -v lost="$lost" 'BEGIN { exit !(lost >= 0 && lost <= 1.0) }'
	run "$PLOT" "$OUT/$GZ.partial" -o "$OUT/p.png" --summary
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning: truncated"* ]]
	[[ "$output" == *"events read"* ]]
	[ -s "$OUT/p.png" ]
	# a later run in the same directory keeps it aside, as with plain output (start_gz
	# would see the killed run's file: wait for the new agent's "ready" instead)
	mv "$OUT/$GZ.partial" "$OUT/killed.gz"
	cp "$OUT/killed.gz" "$OUT/$GZ.partial"
	"$AGENT" -o "$OUT" --compress gzip -i 100 2>"$OUT/second.log" &
	AGENT_PID=$!
	for i in $(seq 1 200); do
		grep -q "ready:" "$OUT/second.log" && break
		kill -0 "$AGENT_PID" 2>/dev/null || break
		sleep 0.05
	done
	grep -q "ready:" "$OUT/second.log"
	stop_agent INT
	cmp "$OUT/killed.gz" "$OUT"/$GZ.partial.*
	gzip -t "$OUT/$GZ"
}

@test "compress: a clean stop gives a complete .gz of the plain output's shape; checkpoints too" {
	require_bpf
	start_agent "$OUT/plain" -i 100
	"$FRAGLOAD" pipes >/dev/null
	"$FRAGLOAD" compact >/dev/null
	sleep 0.3
	stop_agent INT
	start_gz "$OUT/gz" -i 100
	"$FRAGLOAD" pipes >/dev/null
	"$FRAGLOAD" compact >/dev/null
	kill -USR1 "$AGENT_PID"
	for i in $(seq 1 50); do
		[ -e "$OUT/gz/fragmentation_data.checkpoint.json.gz" ] && break
		sleep 0.1
	done
	sleep 0.3
	stop_agent INT
	# only the final names, whole gzip streams
	[ ! -e "$OUT/gz/$GZ.partial" ] && [ ! -e "$OUT/gz/fragmentation_data.json" ]
	gzip -t "$OUT/gz/$GZ"
	gzip -t "$OUT/gz/fragmentation_data.checkpoint.json.gz"
	[ "$(stat -c %a "$OUT/gz/$GZ")" = 640 ]
	run $FMCHECK legacy "$OUT/gz/$GZ"
	[ "$status" -eq 0 ]
	run $FMCHECK same-shape "$OUT/plain/fragmentation_data.json" "$OUT/gz/$GZ" snapshot extfrag
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$($FMCHECK get "$OUT/gz/$GZ" metadata.complete)" = true ]
	[ "$($FMCHECK get "$OUT/gz/fragmentation_data.checkpoint.json.gz" metadata.complete)" = false ]
	[ "$($FMCHECK get "$OUT/gz/fragmentation_data.checkpoint.json.gz" metadata.end_reason)" = checkpoint ]
	# every event counted was written
	n=$($FMCHECK count "$OUT/gz/$GZ" extfrag)
	[ "$n" -ge 1 ]
	[ "$n" -eq "$($FMCHECK get "$OUT/gz/$GZ" statistics.events_by_type.extfrag)" ]
	run "$PLOT" "$OUT/gz/$GZ" -o "$OUT/f.png"
	[ "$status" -eq 0 ]
	[[ "$output" != *"truncated"* ]]
}

@test "compress: the config key and option refuse anything but none and gzip" {
	printf 'compress: xz\n' >"$OUT/c.yaml"
	run "$AGENT" -c "$OUT/c.yaml" -o "$OUT/o"
	[ "$status" -eq 2 ]
	[[ "$output" == *"c.yaml:1:11: "*'unknown compress "xz" (none, gzip)'* ]]
	run "$AGENT" --compress bzip2 -o "$OUT/o"
	[ "$status" -eq 2 ]
	[[ "$output" == *'option --compress: unknown compress "bzip2" (none, gzip)'* ]]
	[ ! -e "$OUT/o/$GZ.partial" ]
}

@test "compress: fragmon-ctl starts, checkpoints, stops and stages a gzip run" {
	require_bpf
	CTL=$FM_TOP/ansible/roles/fragmon/files/fragmon-ctl
	printf 'mode: full\nsnapshot_interval_ms: 100\ncompress: gzip\n' |
		"$CTL" start "$OUT/base" "$AGENT" 30 0 - >"$OUT/start.json"
	grep -q '"result": "started"' "$OUT/start.json"
	run "$CTL" checkpoint "$OUT/base" 20
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *'"result": "checkpoint"'* ]]
	[[ "$output" == *'/fragmentation_data.checkpoint.json.gz"}'* ]]
	run "$CTL" stop "$OUT/base" 20
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *stopped-sigint* ]]
	[[ "$output" == *'"final": true'* ]]
	[[ "$output" == *"/$GZ\"}"* ]]
	run "$CTL" stage "$OUT/base" "$OUT/stage" "$(id -un)"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"\"files\": [\"$GZ\", \"fragmon-agent.log\""* ]]
	gzip -t "$OUT"/stage/run-*/$GZ
}
