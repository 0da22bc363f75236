# SPDX-License-Identifier: GPL-2.0
# Helpers for the agent's bats tests: real kernel, real tracepoints.

FM_TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
AGENT=${FRAGMON_AGENT:-$FM_TOP/fragmon-agent}
FRAGLOAD=$FM_TOP/build/tests/fragload
FMCHECK="python3 $FM_TOP/tests/bats/lib/fmcheck.py"

# skip (saying why) where the agent cannot run
require_bpf() {
	[ "$(id -u)" -eq 0 ] || skip "needs root for BPF"
	[ -r /sys/kernel/btf/vmlinux ] || skip "kernel has no BTF (/sys/kernel/btf/vmlinux)"
	[ -x "$AGENT" ] || skip "fragmon-agent not built (make agent)"
	tracefs_dir >/dev/null || skip "no tracefs"
}

tracefs_dir() {
	local d
	for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
		[ -d "$d/events" ] && { echo "$d"; return 0; }
	done
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null && [ -d /sys/kernel/tracing/events ] &&
		{ echo /sys/kernel/tracing; return 0; }
	return 1
}

debugfs_ready() {
	[ -r /sys/kernel/debug/extfrag/extfrag_index ] ||
		mount -t debugfs nodev /sys/kernel/debug 2>/dev/null
	[ -r /sys/kernel/debug/extfrag/extfrag_index ]
}

# independent count: an ftrace instance of our own, unique to this bats run
# so that concurrent runs do not share one
FT_ID=$(basename "${BATS_RUN_TMPDIR:-$$}")
ftrace_start() { # name events...
	local t; t=$(tracefs_dir)/instances/$1-$FT_ID; shift
	rmdir "$t" 2>/dev/null || true
	mkdir "$t"
	echo 65536 > "$t/buffer_size_kb"
	local ev
	for ev in "$@"; do echo 1 > "$t/events/$ev/enable"; done
	echo 1 > "$t/tracing_on"
}

ftrace_stop() { # name
	local t; t=$(tracefs_dir)/instances/$1-$FT_ID
	echo 0 > "$t/tracing_on"
}

ftrace_count() { # name event-name
	local t; t=$(tracefs_dir)/instances/$1-$FT_ID
	grep -c " $2:" "$t/trace" || true
}

ftrace_remove() {
	local t; t=$(tracefs_dir)/instances/$1-$FT_ID
	[ -d "$t" ] && { echo 0 > "$t/events/enable"; rmdir "$t"; } || true
}

# The agent test files' setup and teardown: a fresh output directory OUT;
# afterwards a leftover agent is killed, this run's ftrace instances and a
# tmpfs mounted on MNT are removed, and OUT with them.
setup() {
	OUT=$(mktemp -d /tmp/fragmon-test.XXXXXX)
	MNT=
}

teardown() {
	local t
	[ -n "${AGENT_PID:-}" ] && kill -9 "$AGENT_PID" 2>/dev/null || true
	if t=$(tracefs_dir 2>/dev/null); then
		for t in "$t"/instances/*-"$FT_ID"; do
			[ -d "$t" ] && { echo 0 > "$t/events/enable"; rmdir "$t"; }
		done
	fi
	[ -n "${MNT:-}" ] && umount "$MNT" 2>/dev/null || true
	rm -rf "$OUT" "$OUT.log"
}

# Run the pipe workload until the ftrace instance NAME has seen at least MIN
# extfrag events (at most 3 rounds): how many fallbacks one round provokes
# depends on the free UNMOVABLE pool, which other work on the machine changes.
provoke_extfrag() { # name min
	local i
	for i in 1 2 3; do
		"$FRAGLOAD" pipes >/dev/null
		[ "$(ftrace_count "$1" mm_page_alloc_extfrag)" -ge "$2" ] && return 0
	done
	return 0
}

# start the agent in the background; wait until it is attached (.partial).
# AGENT_PREFIX (e.g. $WITHOUT_BTF) is a command the agent runs under.
WITHOUT_BTF=$FM_TOP/tests/bats/lib/without-btf
start_agent() { # outdir args...
	local out=$1; shift
	${AGENT_PREFIX:-} "$AGENT" -o "$out" -q "$@" 2>"$out.log" &
	AGENT_PID=$!
	local i
	for i in $(seq 1 100); do
		[ -e "$out/fragmentation_data.json.partial" ] && return 0
		kill -0 "$AGENT_PID" 2>/dev/null || { cat "$out.log" >&2; return 1; }
		sleep 0.05
	done
	echo "agent not ready after 5 s" >&2
	return 1
}

stop_agent() { # signal
	kill -"${1:-INT}" "$AGENT_PID"
	wait "$AGENT_PID"
}

# Capture under the workload: the ftrace instance NAME counts extfrag and
# compaction ends while the agent (start_agent's OUTDIR ARGS...) runs; then
# the agent is stopped with SIGNAL.  Compare with counts_vs_ftrace.
capture_with_ftrace() { # name signal outdir args...
	local name=$1 sig=$2
	shift 2
	ftrace_start "$name" kmem/mm_page_alloc_extfrag compaction/mm_compaction_end
	start_agent "$@"
	provoke_extfrag "$name" 10
	"$FRAGLOAD" compact
	sleep 0.3
	stop_agent "$sig"
	ftrace_stop "$name"
}

# The agent's exact totals in FILE vs the ftrace instance NAME's counts of the
# same tracepoints (the workload must have provoked both): ftrace's window
# opens before the agent's and closes after it (by < 0.5 s of an idle
# system), so 2 events either way are allowed.  No event may be dropped.
counts_vs_ftrace() { # name file
	local ext_ftrace end_ftrace ext_events ext_stats ok bad dropped
	ext_ftrace=$(ftrace_count "$1" mm_page_alloc_extfrag)
	end_ftrace=$(ftrace_count "$1" mm_compaction_end)
	ext_events=$($FMCHECK count "$2" extfrag)
	ext_stats=$($FMCHECK get "$2" statistics.events_by_type.extfrag)
	ok=$($FMCHECK count "$2" compaction_success)
	bad=$($FMCHECK count "$2" compaction_failure)
	dropped=$($FMCHECK get "$2" metadata.events_dropped)
	echo "ftrace extfrag=$ext_ftrace agent events=$ext_events stats=$ext_stats" \
		"compaction_end=$end_ftrace agent=$ok+$bad dropped=$dropped"
	[ "$ext_ftrace" -ge 1 ]
	[ "$end_ftrace" -ge 1 ]
	[ "$dropped" -eq 0 ]
	[ "$ext_events" -eq "$ext_stats" ]
	[ $((ext_ftrace - ext_events)) -le 2 ] && [ $((ext_events - ext_ftrace)) -le 2 ]
	[ $((end_ftrace - ok - bad)) -le 2 ] && [ $((ok + bad - end_ftrace)) -le 2 ]
}
