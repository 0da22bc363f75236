#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Bad configuration and command lines: a message naming the file and position,
# exit status 2, nothing started (no output directory, no pidfile).

load lib/agent

setup() {
	[ -x "$AGENT" ] || skip "fragmon-agent not built (make agent)"
	T=$(mktemp -d /tmp/fragmon-config-test.XXXXXX)
	OUT=$T/out
}

teardown() {
	rm -rf "$T"
}

# bad_config NAME 'yaml text' 'expected message part' [line:col]
bad_config() {
	local f=$T/$1.yaml
	printf '%b' "$2" > "$f"
	run "$AGENT" -c "$f" -o "$OUT" -d 1
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$f"* ]]
	[[ "$output" == *"$3"* ]]
	if [ -n "${4:-}" ]; then
		[[ "$output" == *"$f:$4:"* ]]
	fi
	[ ! -e "$OUT" ]
}

@test "config: unknown key, with its line and column" {
	bad_config unknown 'duration: 5\nsnapshot_interval: 10\n' 'unknown key "snapshot_interval"' 2:1
}

@test "config: wrong type for an integer" {
	bad_config type 'duration: soon\n' 'expected an integer' 1:11
}

@test "config: out-of-range values" {
	bad_config negative 'duration: -5\n' 'out of range' 1:11
	bad_config interval 'snapshot_interval_ms: 5\n' 'at least 10 ms' 1:23
	bad_config cap 'max_output_mb: 99999999\n' 'out of range'
}

@test "config: ring buffer size not a power of two" {
	bad_config ring 'ringbuf_kb: 1000\n' 'not a power of two' 1:13
}

@test "config: unknown mode" {
	bad_config mode 'mode: everything\n' 'unknown mode "everything"' 1:7
}

@test "config: YAML syntax error" {
	bad_config syntax 'duration: 5\nmode: "full\n' 'YAML error'
}

@test "config: duplicate key" {
	bad_config dup 'mode: full\nmode: extfrag\n' 'duplicate key "mode"' 2:1
}

@test "config: missing value, list value, nested mapping" {
	bad_config missing 'output_dir:\n' 'missing value'
	bad_config list 'mode: [full, extfrag]\n' 'got a list' 1:7
	bad_config nested 'mode:\n  a: b\n' 'got a mapping' 2:3
}

@test "config: not a mapping, two documents, alias" {
	bad_config scalar 'just text\n' 'must be a mapping'
	bad_config twodocs 'mode: full\n---\nmode: full\n' 'one YAML document'
	bad_config alias 'output_dir: &x /tmp\npidfile: *x\n' 'aliases are not allowed'
}

@test "config: empty string where a path is needed" {
	bad_config emptydir 'output_dir: ""\n' 'must not be empty' 1:13
}

@test "config: missing file, directory, unreadable" {
	run "$AGENT" -c "$T/nope.yaml" -o "$OUT"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$T/nope.yaml: cannot open config"* ]]
	run "$AGENT" -c "$T" -o "$OUT"
	[ "$status" -eq 2 ]
	[[ "$output" == *"not a regular file"* ]]
	[ ! -e "$OUT" ]
}

@test "config: bad command-line options" {
	run "$AGENT" --no-such-option
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown option"* ]]
	run "$AGENT" -o "$OUT" --duration abc
	[ "$status" -eq 2 ]
	[[ "$output" == *"option --duration: expected an integer"* ]]
	run "$AGENT" -o "$OUT" -m bogus
	[ "$status" -eq 2 ]
	[[ "$output" == *"option --mode: unknown mode"* ]]
	run "$AGENT" -o "$OUT" extra-argument
	[ "$status" -eq 2 ]
	[ ! -e "$OUT" ]
}

@test "config: a valid file, and flags override it" {
	require_bpf
	cat > "$T/ok.yaml" <<-EOF
	# every key, non-default values
	duration: 30
	output_dir: $T/fromfile
	mode: extfrag
	snapshot_interval_ms: 250
	max_output_mb: 7
	ringbuf_kb: 256
	pidfile: $T/agent.pid
	prometheus_dir: "$T"
	EOF
	run "$AGENT" -c "$T/ok.yaml" -o "$OUT" -d 1 -q
	[ "$status" -eq 0 ]
	[ ! -e "$T/fromfile" ]
	f=$OUT/fragmentation_data.json
	[ "$($FMCHECK get "$f" metadata.mode)" = extfrag ]
	[ "$($FMCHECK get "$f" metadata.duration_limit)" = 1 ]
	[ "$($FMCHECK get "$f" metadata.snapshot_interval_ms)" = 250 ]
	[ "$($FMCHECK get "$f" metadata.max_output_mb)" = 7 ]
	[ "$($FMCHECK get "$f" metadata.ringbuf_kb)" = 256 ]
	[ "$($FMCHECK get "$f" metadata.tracepoints.compaction:mm_compaction_end)" = disabled ]
	[ -e "$T/fragmon.prom" ]
	[ ! -e "$T/agent.pid" ]
}
