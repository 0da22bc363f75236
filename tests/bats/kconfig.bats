#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Kconfig standalone: defconfig/olddefconfig with kconfig-frontends, .config -> fragmon.yaml
# -> fragmon-agent, .config -> Ansible variables, and the role's defaults kept in step.

setup() {
	FM_TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	T=$(mktemp -d /tmp/fragmon-kconfig-test.XXXXXX)
	command -v kconfig-conf > /dev/null || skip "kconfig-frontends not installed"
	MK=(make -s -C "$FM_TOP" KCONFIG_FILE="$T/.config" BUILD="$T/build"
		FRAGMON_YAML="$T/fragmon.yaml" EXTRA_VARS="$T/extra_vars.yaml")
}

teardown() {
	[ -n "${AGENT_PID:-}" ] && kill -9 "$AGENT_PID" 2>/dev/null || true
	[ -n "${MCONF_PID:-}" ] && kill -9 "$MCONF_PID" 2>/dev/null || true
	rm -rf "$T"
}

# symbols marked `output yaml` in our Kconfig files
yaml_symbols() {
	awk '$1 == "config" { s = $2 } $1 == "output" && $2 == "yaml" { print s }' \
		"$FM_TOP"/kconfig/Kconfig.monitor "$FM_TOP"/kconfig/Kconfig.fragmon | sort
}

# yaml FILE KEY: the value python's yaml loader sees, as JSON
yaml() { python3 -c 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))[sys.argv[2]]))' "$1" "$2"; }

@test "kconfig: the Kconfig files parse with kconfig-frontends; defconfig writes the defaults" {
	run "${MK[@]}" defconfig
	[ "$status" -eq 0 ]
	grep -qx 'CONFIG_MONITOR_MEMORY_FRAGMENTATION=y' "$T/.config"
	grep -qx 'CONFIG_MONITOR_FRAGMENTATION_MODE="full"' "$T/.config"
	# the stripped copies are what kconfig-frontends reads; the sources keep output yaml
	! grep -q 'output yaml' "$T"/build/kconfig/Kconfig*
	[ "$(grep -c 'output yaml' "$FM_TOP/kconfig/Kconfig.fragmon")" -eq 14 ]
	run "${MK[@]}" fragmon.yaml
	[ "$status" -eq 0 ]
	[ "$(yaml "$T/fragmon.yaml" duration)" = 0 ]
	[ "$(yaml "$T/fragmon.yaml" output_dir)" = '"/root/monitoring/fragmentation"' ]
	[ "$(yaml "$T/fragmon.yaml" mode)" = '"full"' ]
	[ "$(yaml "$T/fragmon.yaml" snapshot_interval_ms)" = 1000 ]
	[ "$(yaml "$T/fragmon.yaml" max_output_mb)" = 64 ]
	[ "$(yaml "$T/fragmon.yaml" prometheus_dir)" = '""' ]
	[ "$(yaml "$T/fragmon.yaml" index_source)" = '"snapshot"' ]
	[ "$(yaml "$T/fragmon.yaml" markers)" = '"kmsg"' ]
	[ "$(yaml "$T/fragmon.yaml" compress)" = '"none"' ]
	[ "$(yaml "$T/fragmon.yaml" stacks)" = '"on"' ]
	head -1 "$T/fragmon.yaml" | grep -q SPDX-License-Identifier
}

@test "kconfig: .config -> fragmon.yaml -> agent round trip with a non-default value of every option" {
	mkdir -p "$T/out dir" "$T/prom"
	# every `output yaml` symbol but the master switch (tested below) gets a non-default
	cat > "$T/.config" <<EOC
CONFIG_MONITOR_MEMORY_FRAGMENTATION=y
CONFIG_MONITOR_FRAGMENTATION_DURATION=2
CONFIG_MONITOR_FRAGMENTATION_OUTPUT_DIR="$T/out dir"
CONFIG_MONITOR_FRAGMENTATION_MODE_SNAPSHOT=y
CONFIG_MONITOR_FRAGMENTATION_SNAPSHOT_INTERVAL_MS=150
CONFIG_MONITOR_FRAGMENTATION_MAX_OUTPUT_MB=7
CONFIG_MONITOR_FRAGMENTATION_KEEP_RUNS=5
CONFIG_MONITOR_FRAGMENTATION_STOP_TIMEOUT=9
# CONFIG_MONITOR_FRAGMENTATION_PLOT is not set
CONFIG_MONITOR_FRAGMENTATION_PLOT_BASELINE="xfs-4k,xfs-16k"
CONFIG_MONITOR_FRAGMENTATION_PROMETHEUS_DIR="$T/prom"
CONFIG_MONITOR_FRAGMENTATION_INDEX_AT_EVENT=y
CONFIG_MONITOR_FRAGMENTATION_COMPRESS_GZIP=y
CONFIG_MONITOR_FRAGMENTATION_STRICT=y
CONFIG_MONITOR_FRAGMENTATION_MARKERS=y
CONFIG_MONITOR_FRAGMENTATION_MARKER_PATTERN="ltp=^LTP: starting ([^ ]+)"
# CONFIG_MONITOR_FRAGMENTATION_STACKS is not set
EOC
	# ... and the test covers every symbol there is
	local covered
	covered=$( (sed -n 's/^CONFIG_\([A-Z0-9_]*\)=.*/\1/p; s/^# CONFIG_\([A-Z0-9_]*\) is not set/\1/p' "$T/.config";
		echo MONITOR_FRAGMENTATION_MODE; echo MONITOR_FRAGMENTATION_INDEX_SOURCE
		echo MONITOR_FRAGMENTATION_COMPRESS) |
		grep -v '_MODE_\|_INDEX_AT_\|_COMPRESS_' | sort)
	[ "$covered" = "$(yaml_symbols)" ]

	run "${MK[@]}" olddefconfig
	[ "$status" -eq 0 ]
	grep -qx 'CONFIG_MONITOR_FRAGMENTATION_MODE="snapshot"' "$T/.config"
	grep -qx 'CONFIG_MONITOR_FRAGMENTATION_DURATION=2' "$T/.config"
	grep -qx "CONFIG_MONITOR_FRAGMENTATION_OUTPUT_DIR=\"$T/out dir\"" "$T/.config"
	grep -qx '# CONFIG_MONITOR_FRAGMENTATION_PLOT is not set' "$T/.config"

	run "${MK[@]}" fragmon.yaml extra-vars
	[ "$status" -eq 0 ]
	cat "$T/fragmon.yaml"
	[ "$(yaml "$T/fragmon.yaml" duration)" = 2 ]
	[ "$(yaml "$T/fragmon.yaml" output_dir)" = "\"$T/out dir\"" ]
	[ "$(yaml "$T/fragmon.yaml" mode)" = '"snapshot"' ]
	[ "$(yaml "$T/fragmon.yaml" snapshot_interval_ms)" = 150 ]
	[ "$(yaml "$T/fragmon.yaml" max_output_mb)" = 7 ]
	[ "$(yaml "$T/fragmon.yaml" prometheus_dir)" = "\"$T/prom\"" ]
	[ "$(yaml "$T/fragmon.yaml" index_source)" = '"event"' ]
	[ "$(yaml "$T/fragmon.yaml" marker_patterns)" = '["ltp=^LTP: starting ([^ ]+)"]' ]
	[ "$(yaml "$T/fragmon.yaml" compress)" = '"gzip"' ]
	[ "$(yaml "$T/fragmon.yaml" stacks)" = '"off"' ]

	# the Ansible side, as kdevops writes it: names lower-cased, typed
	cat "$T/extra_vars.yaml"
	[ "$(yaml "$T/extra_vars.yaml" monitor_memory_fragmentation)" = true ]
	[ "$(yaml "$T/extra_vars.yaml" monitor_fragmentation_duration)" = 2 ]
	[ "$(yaml "$T/extra_vars.yaml" monitor_fragmentation_mode)" = '"snapshot"' ]
	[ "$(yaml "$T/extra_vars.yaml" monitor_fragmentation_stop_timeout)" = 9 ]
	[ "$(yaml "$T/extra_vars.yaml" monitor_fragmentation_keep_runs)" = 5 ]
	[ "$(yaml "$T/extra_vars.yaml" monitor_fragmentation_plot)" = false ]
	[ "$(yaml "$T/extra_vars.yaml" monitor_fragmentation_plot_baseline)" = '"xfs-4k,xfs-16k"' ]
	[ "$(yaml "$T/extra_vars.yaml" monitor_fragmentation_prometheus_dir)" = "\"$T/prom\"" ]
	[ "$(yaml "$T/extra_vars.yaml" monitor_fragmentation_index_source)" = '"event"' ]
	[ "$(yaml "$T/extra_vars.yaml" monitor_fragmentation_compress)" = '"gzip"' ]
	[ "$(yaml "$T/extra_vars.yaml" monitor_fragmentation_strict)" = true ]
	[ "$(grep -c '^monitor_' "$T/extra_vars.yaml")" -eq "$(yaml_symbols | wc -l)" ]

	# the agent takes the file as it is
	[ -x "$FM_TOP/fragmon-agent" ] || skip "fragmon-agent not built (make agent): agent part of the round trip not run"
	[ "$(id -u)" -eq 0 ] || skip "the agent needs root"
	run timeout 30 "$FM_TOP/fragmon-agent" -c "$T/fragmon.yaml" -q
	[ "$status" -eq 0 ]
	local json="$T/out dir/fragmentation_data.json.gz"
	[ "$(zcat "$json" | jq -r .run.mode)" = snapshot ]
	[ "$(zcat "$json" | jq -r .run.snapshot_interval_ms)" = 150 ]
	[ "$(zcat "$json" | jq -r .run.max_output_mb)" = 7 ]
	[ "$(zcat "$json" | jq -r .run.duration_limit)" = 2 ]
	[ "$(zcat "$json" | jq -r .metadata.end_reason)" = duration ]
	[ -s "$T/prom/fragmon.prom" ]
}

@test "kconfig: monitoring off -> no agent config, one Ansible variable False" {
	echo '# CONFIG_MONITOR_MEMORY_FRAGMENTATION is not set' > "$T/.config"
	run "${MK[@]}" olddefconfig
	[ "$status" -eq 0 ]
	! grep -q 'CONFIG_MONITOR_FRAGMENTATION_DURATION' "$T/.config"
	run "${MK[@]}" fragmon.yaml
	[ "$status" -ne 0 ]
	[[ "$output" == *"MONITOR_MEMORY_FRAGMENTATION is not set"* ]]
	[ ! -e "$T/fragmon.yaml" ]
	run "${MK[@]}" extra-vars
	[ "$status" -eq 0 ]
	[ "$(grep -c '^monitor_' "$T/extra_vars.yaml")" -eq 1 ]
	[ "$(yaml "$T/extra_vars.yaml" monitor_memory_fragmentation)" = false ]
}

@test "kconfig: make defconfig DEFCONFIG=file starts from that file" {
	printf 'CONFIG_MONITOR_FRAGMENTATION_MODE_EXTFRAG=y\nCONFIG_MONITOR_FRAGMENTATION_MAX_OUTPUT_MB=0\n' > "$T/my_defconfig"
	run "${MK[@]}" defconfig DEFCONFIG="$T/my_defconfig"
	[ "$status" -eq 0 ]
	grep -qx 'CONFIG_MONITOR_FRAGMENTATION_MODE="extfrag"' "$T/.config"
	grep -qx 'CONFIG_MONITOR_FRAGMENTATION_MAX_OUTPUT_MB=0' "$T/.config"
	grep -qx 'CONFIG_MONITOR_FRAGMENTATION_SNAPSHOT_INTERVAL_MS=1000' "$T/.config"
}

@test "kconfig: the role's defaults are the Kconfig symbols with the Kconfig defaults" {
	run "${MK[@]}" defconfig extra-vars
	[ "$status" -eq 0 ]
	python3 - "$T/extra_vars.yaml" "$FM_TOP/ansible/roles/fragmon/defaults/main.yml" <<'EOP'
import sys, yaml
kc = yaml.safe_load(open(sys.argv[1]))
role = yaml.safe_load(open(sys.argv[2]))
ours = {k: v for k, v in role.items() if k.startswith("monitor_")}
if kc != ours:
    sys.exit(f"Kconfig defaults {kc} != role defaults {ours}")
EOP
}

# wait_for FILE TEXT: up to 15 s for TEXT to appear in FILE
wait_for() {
	local i
	for i in $(seq 150); do
		grep -aq "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "timed out waiting for '$2'"; cat -v "$1" | tail -c 2000
	return 1
}

@test "kconfig: make menuconfig edits and saves .config (kconfig-mconf in a pseudo-terminal)" {
	command -v kconfig-mconf > /dev/null || skip "kconfig-mconf not installed"
	command -v script > /dev/null || skip "script(1) not installed"
	mkfifo "$T/keys"
	# the first entry is MONITOR_MEMORY_FRAGMENTATION: n turns it off, Esc Esc leaves,
	# Enter answers "save" with yes
	TERM=xterm script -qfec "make -s -C $FM_TOP KCONFIG_FILE=$T/.config BUILD=$T/build menuconfig" \
		/dev/null < "$T/keys" > "$T/screen" 2>&1 &
	MCONF_PID=$!
	local kfd
	exec {kfd}> "$T/keys"
	wait_for "$T/screen" "fragmon: memory fragmentation monitor"
	sleep 0.5
	printf 'n' >&"$kfd"
	sleep 0.5
	printf '\033' >&"$kfd"
	sleep 0.3
	printf '\033' >&"$kfd"
	wait_for "$T/screen" "save"
	sleep 0.5
	printf '\r' >&"$kfd"
	wait_for "$T/screen" "End of the configuration"
	exec {kfd}>&-
	wait "$MCONF_PID"
	grep -qx '# CONFIG_MONITOR_MEMORY_FRAGMENTATION is not set' "$T/.config"
}
