#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The agent where the kernel gives less: no BTF (hidden, as on a kernel built
# without CONFIG_DEBUG_INFO_BTF), a program the verifier rejects, no BPF at
# all.  The same checks run booted on other kernels: make vm-test.

load lib/agent

FAULT_AGENT=$FM_TOP/build-fault/fragmon-agent

require_fault_agent() {
	[ -x "$FAULT_AGENT" ] || skip "no fault-injection agent (make fault-agent)"
}

@test "kernels: without kernel BTF the agent captures everything: counts = ftrace, names from pagetypeinfo" {
	require_bpf
	names_btf=$("$AGENT" --probe | python3 -c 'import json,sys; print(json.load(sys.stdin)["migratetypes"])')
	AGENT_PREFIX=$WITHOUT_BTF capture_with_ftrace fmnobtf INT "$OUT" -i 200
	f=$OUT/fragmentation_data.json
	counts_vs_ftrace fmnobtf "$f"
	[ "$($FMCHECK get "$f" metadata.btf)" = none ]
	[ "$($FMCHECK get "$f" metadata.field_offsets)" = tracefs ]
	[ "$($FMCHECK get "$f" metadata.migratetype_source)" = pagetypeinfo ]
	[ "$($FMCHECK get "$f" metadata.bpf_error)" = null ]
	names=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["metadata"]["migratetypes"])' "$f")
	echo "with BTF: $names_btf; without: $names"
	[ "$names" = "$names_btf" ]
	# every extfrag event carries both migratetypes by name
	run python3 -c '
import json, sys
ev = [e for e in json.load(open(sys.argv[1]))["events"] if e["event_type"] == "extfrag"]
names = json.load(open(sys.argv[1]))["metadata"]["migratetypes"]
bad = [e for e in ev if e["migrate_from"] not in names or e["migrate_to"] not in names]
sys.exit(1 if bad or not ev else 0)' "$f"
	[ "$status" -eq 0 ]
}

@test "kernels: --probe without kernel BTF names what is missing and can still run" {
	require_bpf
	run "$WITHOUT_BTF" "$AGENT" --probe
	echo "$output"
	[ "$status" -eq 0 ]
	echo "$output" > "$OUT/probe.json"
	[ "$($FMCHECK get "$OUT/probe.json" btf)" = none ]
	[[ "$($FMCHECK get "$OUT/probe.json" btf_missing)" == *"CONFIG_DEBUG_INFO_BTF"* ]]
	[ "$($FMCHECK get "$OUT/probe.json" can_run)" = true ]
	[ "$($FMCHECK get "$OUT/probe.json" tracepoints.kmem:mm_page_alloc_extfrag)" = ok ]
	[ "$($FMCHECK get "$OUT/probe.json" migratetype_source)" = pagetypeinfo ]
	# what needs kernel types says so
	run "$WITHOUT_BTF" "$AGENT" --probe --index-source event
	echo "$output" > "$OUT/probe2.json"
	[[ "$($FMCHECK get "$OUT/probe2.json" index_source_event)" == *"no BTF"* ]]
}

@test "kernels: index_source event without BTF uses the snapshots and says why" {
	require_bpf
	run "$WITHOUT_BTF" "$AGENT" -o "$OUT" -d 2 -i 200 --index-source event
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"index_source event: kernel has no BTF"* ]]
	f=$OUT/fragmentation_data.json
	[[ "$($FMCHECK get "$f" metadata.index_source_fallback)" == *"CONFIG_DEBUG_INFO_BTF"* ]]
	[ "$($FMCHECK get "$f" metadata.complete)" = true ]
}

@test "kernels: with a BTF file (btf:) a kernel without BTF gets the index read at each event" {
	require_bpf
	debugfs_ready || skip "no debugfs"
	# the running kernel's BTF copied to a file stands for one made by pahole
	cp /sys/kernel/btf/vmlinux "$OUT/vmlinux.btf"
	ftrace_start fmnobtf kmem/mm_page_alloc_extfrag
	AGENT_PREFIX=$WITHOUT_BTF start_agent "$OUT/run" -i 100 --index-source event \
		--btf "$OUT/vmlinux.btf"
	provoke_extfrag fmnobtf 1
	stop_agent INT
	ftrace_stop fmnobtf
	f=$OUT/run/fragmentation_data.json
	[ "$($FMCHECK get "$f" metadata.btf)" = file ]
	[ "$($FMCHECK get "$f" metadata.btf_path)" = "$OUT/vmlinux.btf" ]
	[ "$($FMCHECK get "$f" metadata.migratetype_source)" = btf ]
	[ "$($FMCHECK get "$f" metadata.fragmentation_index_source)" = bpf ]
	read -r n agree < <($FMCHECK event-index "$f" 50)
	echo "extfrag events with a BPF index: $n, agreeing with snapshots: $agree"
	[ "$n" -ge 1 ]
	[ "$agree" -ge $((n * 9 / 10)) ]
	# a file that is not BTF: the index falls back, the run goes on
	echo garbage > "$OUT/bad.btf"
	run "$WITHOUT_BTF" "$AGENT" -o "$OUT/bad" -d 1 --index-source event --btf "$OUT/bad.btf"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"cannot read BTF from $OUT/bad.btf"* ]]
}

@test "kernels: a program the verifier rejects is reported; the others still capture" {
	require_bpf
	require_fault_agent
	AGENT=$FAULT_AGENT FRAGMON_FAULT_REJECT=handle_migrate capture_with_ftrace fmnobtf TERM "$OUT" -i 200
	f=$OUT/fragmentation_data.json
	counts_vs_ftrace fmnobtf "$f"
	st=$($FMCHECK get "$f" metadata.tracepoints.migrate:mm_migrate_pages)
	echo "migrate: $st"
	[[ "$st" == "rejected: "*"invalid mem access"* ]]
	[ "$($FMCHECK get "$f" metadata.tracepoints.kmem:mm_page_alloc_extfrag)" = attached ]
	[ "$($FMCHECK get "$f" metadata.complete)" = true ]
	[ "$($FMCHECK count "$f" migrate)" -eq 0 ]
	# --probe says the same, and the agent can still run
	FRAGMON_FAULT_REJECT=handle_migrate run "$FAULT_AGENT" --probe
	[ "$status" -eq 0 ]
	[[ "$output" == *'"migrate:mm_migrate_pages": "rejected: '* ]]
}

@test "kernels: the start-up log says how many programs were rejected" {
	require_bpf
	require_fault_agent
	FRAGMON_FAULT_REJECT=handle_extfrag run "$FAULT_AGENT" -o "$OUT" -d 1 -i 200
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"attached (1 rejected, "* ]]
	# extfrag is what --probe's can_run promises: not here
	FRAGMON_FAULT_REJECT=handle_extfrag run "$FAULT_AGENT" --probe
	[ "$status" -eq 1 ]
	[[ "$output" == *'"can_run": false'* ]]
}

@test "kernels: when BPF cannot be used at all the snapshots still run, and the file says why" {
	require_bpf
	require_fault_agent
	# the verifier rejects the program that sends the staged events
	FRAGMON_FAULT_REJECT=flush_stage run "$FAULT_AGENT" -o "$OUT" -d 2 -i 200
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"BPF capture unavailable: the verifier rejected flush_stage"* ]]
	f=$OUT/fragmentation_data.json
	[[ "$($FMCHECK get "$f" metadata.bpf_error)" == *"flush_stage"* ]]
	[ "$($FMCHECK get "$f" metadata.complete)" = true ]
	[ "$($FMCHECK count "$f" snapshot)" -ge 2 ]
	# not root: no BPF either, snapshots (buddyinfo) all the same
	chmod 777 "$OUT"
	mkdir "$OUT/user" && chmod 777 "$OUT/user"
	run setpriv --reuid=nobody --regid=nogroup --clear-groups "$AGENT" -o "$OUT/user" -d 1 -i 200
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"not root"* ]]
	[ "$($FMCHECK count "$OUT/user/fragmentation_data.json" snapshot)" -ge 2 ]
}

@test "kernels: the BPF object needs no BTF: built without the build machine's, loaded without the kernel's" {
	[ -f "$FM_TOP/build/bpf/fragmon.bpf.o" ] || skip "not built (make agent)"
	command -v unshare >/dev/null || skip "no unshare"
	[ "$(id -u)" -eq 0 ] || skip "hiding /sys/kernel/btf needs root"
	# built where /sys/kernel/btf is hidden (a container, an old kernel): the same object
	"$WITHOUT_BTF" make -C "$FM_TOP" --no-print-directory -s BUILD="$OUT/b" "$OUT/b/bpf/fragmon.bpf.o"
	cmp "$OUT/b/bpf/fragmon.bpf.o" "$FM_TOP/build/bpf/fragmon.bpf.o"
	# no CO-RE relocation (.BTF.ext has no core_relo records): libbpf never needs kernel BTF
	llvm-objcopy --dump-section .BTF.ext="$OUT/btf.ext" "$OUT/b/bpf/fragmon.bpf.o"
	run python3 -c '
import struct, sys
d = open(sys.argv[1], "rb").read()
magic, ver, flags, hdr_len = struct.unpack_from("<HBBI", d)
assert magic == 0xeb9f, hex(magic)
relo_len = struct.unpack_from("<I", d, 28)[0] if hdr_len >= 32 else 0
print("core_relo bytes:", relo_len)
sys.exit(0 if relo_len <= 4 else 1)' "$OUT/btf.ext"
	echo "$output"
	[ "$status" -eq 0 ]
}
