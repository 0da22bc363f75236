#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# fragmon-plot, where the fallbacks came from: tests and phases (marker
# events), tasks, kernel call paths; --folded; A/B test by test.  The inputs
# come from tests/data/plot/make-attr.py: attr-small.json is worked out by
# hand there (generic/001 [1, 4): 3 fallbacks, generic/002 [4, 7): 4, none
# running: 3; the phase fstests [0.5, 9.5): 9; the pipe path 7, the dentry
# path 3).  The last test runs the agent on this kernel.

FM_TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
PLOT=${FRAGMON_PLOT:-$FM_TOP/fragmon-plot}
DATA=$FM_TOP/tests/data/plot
LEGACY=${FRAGMON_LEGACY_DIR:-/work/shared/data}
MAKE_ATTR="python3 $DATA/make-attr.py"
SMALL=$DATA/attr-small.json

setup_file() {
	make -s -C "$FM_TOP" plot >/dev/null
}

setup() {
	OUT=$(mktemp -d /tmp/fragmon-plot-origin.XXXXXX)
}

teardown() {
	[ -n "${AGENT_PID:-}" ] && kill -9 "$AGENT_PID" 2>/dev/null || true
	rm -rf "$OUT"
}

# lines "key: value" of --summary output with this key
lines() { printf '%s\n' "$output" | sed -n "s/^$1: //p"; }

@test "--summary: the tests with their fallbacks, rate while they ran and share" {
	run "$PLOT" "$SMALL" --summary
	[ "$status" -eq 0 ]
	[ "$(lines tests)" = "2 (fallbacks while a test ran: 7 of 10, 70.0%; while none did: 3)" ]
	[ "$(lines test | head -n 1)" = "generic/002 4 fallbacks, 1.33/s over 3 s, 40.0% of the run" ]
	[ "$(lines test | sed -n 2p)" = "generic/001 3 fallbacks, 1/s over 3 s, 30.0% of the run" ]
	[ "$(lines phase)" = "fstests 9 fallbacks, 1/s over 9 s, 90.0% of the run" ]
	[ "$(lines markers)" = "kmsg (5 marker events, 0 late)" ]
	[ "$(lines markers_lines_read)" = 40 ]
}

@test "--summary: the per-task table adds up to the totals" {
	run "$PLOT" "$SMALL" --summary
	[ "$status" -eq 0 ]
	[[ "$(lines tasks)" == "3 (7 steal, 3 claim; the totals: 7, 3: they add up)" ]]
	[ "$(lines task | head -n 1)" = "fio pid 10 (1 pid) 5 steal, 2 claim, 70.0%, most MOVABLE->UNMOVABLE" ]
	# a file whose tasks do not add up is said to
	python3 - "$SMALL" "$OUT/bad.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["statistics"]["extfrag_by_task"][0]["steal"] -= 1
json.dump(d, open(sys.argv[2], "w"))
EOF
	run "$PLOT" "$OUT/bad.json" --summary
	[[ "$(lines tasks)" == *"they DO NOT add up"* ]]
}

@test "--summary and --folded name the pipe write path" {
	run "$PLOT" "$SMALL" --summary --folded "$OUT/s.folded"
	[ "$status" -eq 0 ]
	[ "$(lines path | head -n 1)" = "anon_pipe_write ← ksys_write 7 fallbacks, 70.0%, most MOVABLE->UNMOVABLE" ]
	[ "$(lines path | sed -n 2p)" = "__d_alloc ← do_sys_openat2 3 fallbacks, 30.0%, most MOVABLE->UNMOVABLE" ]
	# folded: outermost frame first, one count, sorted; the counts add up to the extfrag total
	grep -qx 'entry_SYSCALL_64_after_hwframe;do_syscall_64;ksys_write;vfs_write;anon_pipe_write;alloc_pages_mpol_noprof;__alloc_pages_noprof;get_page_from_freelist 7' "$OUT/s.folded"
	[ "$(wc -l < "$OUT/s.folded")" -eq 2 ]
	[ "$(awk '{ s += $NF } END { print s }' "$OUT/s.folded")" -eq 10 ]
	! grep -v -E '^[^ ;]+(;[^;]+)* [0-9]+$' "$OUT/s.folded"
}

@test "--json carries the same tables" {
	"$PLOT" "$SMALL" --json "$OUT/s.json"
	python3 - "$OUT/s.json" <<'EOF'
import json, sys
o = json.load(open(sys.argv[1]))["runs"][0]["origin"]
t = o["tests"]
assert t["count"] == 2 and t["total_fallbacks"] == 10 and t["no_test_running"] == 3, t
assert [(x["name"], x["fallbacks"], x["seconds"]) for x in t["top"]] == \
    [("generic/002", 4, 3), ("generic/001", 3, 3)], t["top"]
assert abs(t["top"][0]["share"] - 0.4) < 1e-9 and abs(t["top"][0]["per_second"] - 4 / 3) < 1e-4
assert o["phases"]["top"][0]["fallbacks"] == 9
tasks = o["tasks"]["top"]
assert sum(x["steal"] for x in tasks) == 7 and sum(x["claim"] for x in tasks) == 3, tasks
p = o["call_paths"]["top"]
assert p[0]["path"] == "anon_pipe_write \u2190 ksys_write" and p[0]["fallbacks"] == 7, p
assert o["stacks_map_full"] == 0 and o["stacks_failed"] == 0
EOF
}

@test "the dashboard has the panel and marker lines; a legacy file neither" {
	FRAGMON_PLOT_LAYOUT=1 "$PLOT" "$SMALL" -o "$OUT/s.png" 2>"$OUT/layout"
	grep -q '^layout: origin ' "$OUT/layout"
	[ -s "$OUT/s.png" ]
	FRAGMON_PLOT_LAYOUT=1 "$PLOT" "$LEGACY/legacy-simple.json" -o "$OUT/l.png" 2>"$OUT/layout"
	! grep -q '^layout: origin ' "$OUT/layout"
}

@test "old files: no attribution lines; --folded says there is nothing" {
	run "$PLOT" "$LEGACY/legacy-load.json" --summary
	[ "$status" -eq 0 ]
	! printf '%s\n' "$output" | grep -qE '^(markers|tests|tasks|call_paths):'
	run "$PLOT" "$DATA/small-agent.json" --folded "$OUT/x.folded"
	[ "$status" -eq 0 ]
	[[ "$output" == *"has no call paths (no statistics.extfrag_stacks)"* ]]
	[ -f "$OUT/x.folded" ] && [ ! -s "$OUT/x.folded" ]
}

@test "--folded: bad paths are refused before anything is read" {
	run "$PLOT" "$SMALL" --folded "$OUT/x.png"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--folded writes folded stacks as text"* ]]
	mkdir "$OUT/dir"
	run "$PLOT" "$SMALL" --folded "$OUT/dir"
	[ "$status" -eq 2 ]
	[[ "$output" == *"a directory"* ]]
	cp "$SMALL" "$OUT/in.data"
	run "$PLOT" "$OUT/in.data" --folded "$OUT/in.data"
	[ "$status" -eq 2 ]
	[[ "$output" == *"is the input"* ]]
	run "$PLOT" "$SMALL" --folded - --summary
	[ "$status" -eq 2 ]
	run "$PLOT" "$SMALL" --folded "$OUT/nodir/x.folded"
	[ "$status" -eq 1 ]
	[ ! -e "$OUT/nodir" ]
	cmp "$SMALL" "$OUT/in.data"
	! ls "$OUT" | grep -q tmp
}

@test "A/B: test by test, the call path new on B, differential folded stacks" {
	$MAKE_ATTR ab 3 "$OUT/a.json" "$OUT/b.json" worse
	run "$PLOT" "$OUT/a.json" --compare "$OUT/b.json" --summary --folded "$OUT/ab.folded" \
		--json "$OUT/ab.json"
	[ "$status" -eq 0 ]
	[[ "$(lines 'per test')" == "40 tests in both runs (0 in A only, 0 in B only), "*" with fallbacks: the unit" ]]
	[[ "$(lines per_test_ratio)" == *"batches of consecutive tests"* ]]
	lines test_ab | grep -q '^generic/013 A 8 in '
	[ "$(lines path_ab | head -n 1)" = "xfs_buf_alloc_backing_mem [xfs] ← xfs_ialloc_inode_init [xfs] A 0/h, B 175/h (new on B)" ]
	# two counts per line: A's 0 for the path new on B
	grep -q ';xfs_buf_alloc_backing_mem \[xfs\];folio_alloc_noprof;alloc_pages_mpol_noprof;__alloc_pages_noprof;get_page_from_freelist 0 [1-9][0-9]*$' "$OUT/ab.folded"
	python3 - "$OUT/ab.json" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))["comparisons"][0]["origin"]
pt = c["per_test"]
assert pt["tests_both"] == 40 and pt["verdict"] in ("within_noise", "more_on_b", "fewer_on_b")
assert len(pt["tests"]) == pt["tests_paired"]
g = [t for t in pt["tests"] if t["name"] == "generic/013"][0]
assert g["a"] == 8 and g["b"] > 8 and g["ratio_ci"][0] < g["ratio"] < g["ratio_ci"][1], g
assert c["paths_grown"][0]["new_on_b"] is True
EOF
}

@test "A/B of one process: no verdict, no test flagged" {
	$MAKE_ATTR ab 5 "$OUT/a.json" "$OUT/b.json" same
	run "$PLOT" "$OUT/a.json" --compare "$OUT/b.json" --summary
	[ "$status" -eq 0 ]
	[[ "$(lines per_test_ratio)" == *"(within noise)" ]]
	[[ "$(lines per_test_flags)" == "0 more on B, 0 fewer on B"* ]]
}

# ---- on this kernel: the agent, markers written to /dev/kmsg, pipe writes ----

AGENT=${FRAGMON_AGENT:-$FM_TOP/fragmon-agent}
FRAGLOAD=$FM_TOP/build/tests/fragload

require_agent() {
	[ "$(id -u)" -eq 0 ] || skip "needs root for BPF"
	[ -r /sys/kernel/btf/vmlinux ] || skip "kernel has no BTF"
	[ -x "$AGENT" ] || skip "fragmon-agent not built (make agent)"
	[ -x "$FRAGLOAD" ] || skip "fragload not built (make workload)"
	[ -w /dev/kmsg ] || skip "no writable /dev/kmsg"
}

# an agent run: a phase around two tests, pipe writes in the second; once
# per file (the workload takes half a minute), kept in BATS_FILE_TMPDIR
capture() {
	local keep=$BATS_FILE_TMPDIR/agent
	if [ -s "$keep/fragmentation_data.json" ]; then
		cp "$keep/fragmentation_data.json" "$OUT/"
		return 0
	fi
	"$AGENT" -o "$OUT" -q -i 200 "$@" 2>"$OUT/agent.log" &
	AGENT_PID=$!
	for _ in $(seq 1 100); do
		[ -e "$OUT/fragmentation_data.json.partial" ] && break
		sleep 0.05
	done
	[ -e "$OUT/fragmentation_data.json.partial" ] || { cat "$OUT/agent.log" >&2; return 1; }
	echo "fragmon: begin plot-origin" > /dev/kmsg
	echo "run fstests plot-origin/quiet-$$ at $(date '+%F %T')" > /dev/kmsg
	sleep 0.5
	echo "run fstests plot-origin/pipes-$$ at $(date '+%F %T')" > /dev/kmsg
	"$FRAGLOAD" pipes >/dev/null
	echo "fragmon: end plot-origin" > /dev/kmsg
	sleep 0.3
	kill -INT "$AGENT_PID"
	wait "$AGENT_PID"
	AGENT_PID=
	mkdir -p "$keep"
	cp "$OUT/fragmentation_data.json" "$keep/"
}

@test "agent on this kernel: --summary gives the fallbacks to the test that ran; tasks add up" {
	require_agent
	capture
	f=$OUT/fragmentation_data.json
	run "$PLOT" "$f" --summary
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | grep -E '^(markers|tests?|phases?|tasks?|call_paths|path):'
	[[ "$(lines markers)" == "kmsg ("* ]]
	# the counts of an independent reading of the file: a test lasts until the
	# next test begins (other work on this machine may write markers too)
	python3 - "$f" "$$" > "$OUT/expect" <<'EOF2'
import json, sys
d = json.load(open(sys.argv[1]))
ev = d["events"]
ef = [e["timestamp"] for e in ev if e["event_type"] == "extfrag"]
begins = sorted(e["timestamp"] for e in ev if e["event_type"] == "marker" and e["kind"] == "test")
end = max([d["metadata"]["duration"]] + ef)
for name in ("quiet", "pipes"):
    t0 = [e["timestamp"] for e in ev if e["event_type"] == "marker"
          and e["name"] == "plot-origin/%s-%s" % (name, sys.argv[2])][0]
    t1 = min([t for t in begins if t > t0] + [end])
    print(name, sum(t0 <= t < t1 for t in ef))
EOF2
	cat "$OUT/expect"
	# per task: exact, adding up to the totals
	[[ "$(lines tasks)" == *": they add up)" ]]
	pipes=$(sed -n 's/^pipes //p' "$OUT/expect")
	[ "$pipes" -gt 0 ] || skip "the pipe workload provoked no fallback here"
	lines test | grep -q "^plot-origin/pipes-$$ $pipes fallbacks, "
	quiet=$(sed -n 's/^quiet //p' "$OUT/expect")
	if [ "$quiet" -gt 0 ]; then lines test | grep -q "^plot-origin/quiet-$$ $quiet fallbacks, "; fi
	lines task | grep -q '^fragload '
	lines phase | grep -q '^plot-origin [0-9]* fallbacks, '
}

@test "agent on this kernel: the pipe write path in --summary and --folded" {
	require_agent
	"$AGENT" --help | grep -q -- '--stacks' || skip "this agent takes no kernel stacks (--stacks)"
	capture
	f=$OUT/fragmentation_data.json
	python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))["statistics"]; sys.exit(0 if "extfrag_stacks" in s and "extfrag_by_task" in s else 1)' "$f" ||
		skip "this agent writes no extfrag_stacks / extfrag_by_task"
	run "$PLOT" "$f" --summary --folded "$OUT/f.folded"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | grep -E '^(tasks?|call_paths|path):'
	[[ "$(lines tasks)" == *": they add up)" ]]
	lines path | grep -q '^anon_pipe_write ← '
	grep -q ';anon_pipe_write;' "$OUT/f.folded"
	total=$(python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))["statistics"]; print(s["extfrag_steal"] + s["extfrag_claim"])' "$f")
	[ "$(awk '{ s += $NF } END { print s + 0 }' "$OUT/f.folded")" -eq "$total" ]
}
