#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# fragmon-agent under faults: full disk, unwritable or hostile paths, ring buffer
# overflow, signals at the worst moments, racing instances, a removed output
# directory.
# FRAGMON_AGENT selects the binary (make check-asan: the sanitized one).

load lib/agent

FINAL=fragmentation_data.json

# a sanitizer report anywhere in a log fails the test that made it
no_sanitizer_report() { # file
	! grep -E 'AddressSanitizer|LeakSanitizer|runtime error:' "$1"
}

tiny_tmpfs() { # dir size
	MNT=$1
	mkdir -p "$MNT"
	mount -t tmpfs -o "size=$2,mode=0755" fragmon-rel "$MNT" || skip "cannot mount tmpfs"
}

# complete final file: valid JSON, legacy keys, metadata.complete true
complete_final() { # file
	run $FMCHECK legacy "$1"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[ "$($FMCHECK get "$1" metadata.complete)" = true ]
}

@test "reliability: output on a tiny tmpfs that fills mid-run: error, exit 1, earlier final file untouched" {
	require_bpf
	tiny_tmpfs "$OUT/fs" 32k
	echo '{"earlier": "run"}' > "$OUT/fs/$FINAL"
	before=$(sha256sum < "$OUT/fs/$FINAL")
	# the pidfile and the earlier file take a page each; snapshots (~2 KiB
	# each, every 10 ms, however slow /proc/pagetypeinfo is: ~50 ms on a busy
	# machine) fill the other 24 KiB in well under 3 s
	run "$AGENT" -o "$OUT/fs" -q -i 10 -d 3
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"No space left on device"* ]]
	[[ "$output" == *"$FINAL was not written"* ]]
	[ "$(sha256sum < "$OUT/fs/$FINAL")" = "$before" ]
	# what was written is kept as a readable JSON prefix, no pidfile left
	[ -e "$OUT/fs/$FINAL.partial" ]
	run $FMCHECK partial "$OUT/fs/$FINAL.partial"
	[ "$status" -eq 0 ]
	[ ! -e "$OUT/fs/fragmon-agent.pid" ]
}

@test "reliability: a filesystem too small for even the header is a clear error at start" {
	require_bpf
	tiny_tmpfs "$OUT/fs" 4k
	# one page: the pidfile takes it, the header does not fit
	run "$AGENT" -o "$OUT/fs" -q -d 1
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"No space left on device"* ]]
	[ ! -e "$OUT/fs/$FINAL" ]
}

@test "reliability: output directory not writable (read-only fs; non-root user): exit 1, says why" {
	require_bpf
	tiny_tmpfs "$OUT/ro" 1m
	mount -o remount,ro "$OUT/ro"
	run "$AGENT" -o "$OUT/ro" -q -d 1
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$OUT/ro"*"Read-only file system"* ]]
	# snapshot mode runs without root: an unprivileged user and a root-owned directory
	mkdir -m 0755 "$OUT/rootonly"
	chmod 0755 "$OUT"
	run setpriv --reuid=nobody --regid=nogroup --clear-groups "$AGENT" -m snapshot \
		-o "$OUT/rootonly" -q -d 1
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$OUT/rootonly"*"Permission denied"* ]]
	[ -z "$(ls -A "$OUT/rootonly")" ]
}

@test "reliability: config unreadable, a directory, a FIFO, a device, too big: exit 2 at once" {
	[ -x "$AGENT" ] || skip "fragmon-agent not built"
	printf 'duration: 1\nmode: snapshot\n' > "$OUT/c.yaml"
	chmod 0600 "$OUT/c.yaml"
	chmod 0755 "$OUT"
	run setpriv --reuid=nobody --regid=nogroup --clear-groups "$AGENT" -c "$OUT/c.yaml" \
		-o "$OUT/x"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"c.yaml: cannot open config: Permission denied"* ]]
	mkdir "$OUT/dir.yaml"
	run "$AGENT" -c "$OUT/dir.yaml" -o "$OUT/x"
	[ "$status" -eq 2 ]
	[[ "$output" == *"dir.yaml: config is not a regular file"* ]]
	# a FIFO must be refused, not waited on for ever
	mkfifo "$OUT/fifo.yaml"
	run timeout 5 "$AGENT" -c "$OUT/fifo.yaml" -o "$OUT/x"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"not a regular file"* ]]
	run timeout 5 "$AGENT" -c /dev/zero -o "$OUT/x"
	[ "$status" -eq 2 ]
	truncate -s 2M "$OUT/big.yaml"
	run "$AGENT" -c "$OUT/big.yaml" -o "$OUT/x"
	[ "$status" -eq 2 ]
	[[ "$output" == *"larger than"* ]]
	run "$AGENT" -c "$OUT/missing.yaml" -o "$OUT/x"
	[ "$status" -eq 2 ]
	[[ "$output" == *"No such file or directory"* ]]
	[ ! -e "$OUT/x" ]
}

@test "reliability: planted symlinks (pidfile, final, partial, checkpoint) are refused, never followed" {
	require_bpf
	# a stand-in for /etc/passwd: its bytes and mode must not change
	cp /etc/passwd "$OUT/victim"
	victim=$(sha256sum < "$OUT/victim")
	mkdir "$OUT/o"
	# name:what the message must say
	for planted in fragmon-agent.pid:symlink "$FINAL:refusing" "$FINAL.partial:refusing"; do
		name=${planted%%:*}
		ln -s "$OUT/victim" "$OUT/o/$name"
		run "$AGENT" -o "$OUT/o" -q -d 1
		echo "$name: $output"
		[ "$status" -eq 1 ]
		[[ "$output" == *"${planted#*:}"* ]]
		rm "$OUT/o/$name"
		[ ! -e "$OUT/o/fragmon-agent.pid" ]
	done
	# an explicit --pidfile that is a symlink to the real /etc/passwd
	passwd=$(sha256sum < /etc/passwd)
	ln -s /etc/passwd "$OUT/evil.pid"
	run "$AGENT" -o "$OUT/o" -q -d 1 -p "$OUT/evil.pid"
	[ "$status" -eq 1 ]
	[ "$(sha256sum < /etc/passwd)" = "$passwd" ]
	# a checkpoint name planted while the agent runs
	start_agent "$OUT/o" -i 100
	ln -s "$OUT/victim" "$OUT/o/fragmentation_data.checkpoint.json"
	kill -USR1 "$AGENT_PID"
	sleep 0.5
	kill -0 "$AGENT_PID"
	stop_agent INT
	grep -q "refusing" "$OUT/o.log"
	[ -L "$OUT/o/fragmentation_data.checkpoint.json" ]
	[ "$(sha256sum < "$OUT/victim")" = "$victim" ]
	complete_final "$OUT/o/$FINAL"
	rm -f "$OUT/o.log"
}

@test "reliability: files are created with restrictive modes even under umask 000" {
	require_bpf
	mkdir "$OUT/o"
	(umask 000 && exec "$AGENT" -o "$OUT/o" -q -i 100 2> "$OUT/o.log") &
	AGENT_PID=$!
	for i in $(seq 1 100); do [ -e "$OUT/o/$FINAL.partial" ] && break; sleep 0.05; done
	kill -USR1 "$AGENT_PID"
	for i in $(seq 1 50); do
		[ -e "$OUT/o/fragmentation_data.checkpoint.json" ] && break
		sleep 0.1
	done
	pidmode=$(stat -c %a "$OUT/o/fragmon-agent.pid")
	partmode=$(stat -c %a "$OUT/o/$FINAL.partial")
	stop_agent INT
	ckmode=$(stat -c %a "$OUT/o/fragmentation_data.checkpoint.json")
	finmode=$(stat -c %a "$OUT/o/$FINAL")
	echo "pid=$pidmode partial=$partmode checkpoint=$ckmode final=$finmode"
	# data: owner read/write, group read, nothing for others; pidfile: no one else writes
	for m in "$partmode" "$ckmode" "$finmode"; do [ "$m" = 640 ]; done
	[ $((8#$pidmode & 8#022)) -eq 0 ]
	rm -f "$OUT/o.log"
}

@test "reliability: ring buffer overflow under a burst: drops counted and reported, totals exact" {
	require_bpf
	ftrace_start fmrel kmem/mm_page_alloc_extfrag
	# not quiet: the end-of-run summary on stderr must report the drops
	"$AGENT" -o "$OUT" -i 0 --ringbuf-kb 4 2> "$OUT.log" &
	AGENT_PID=$!
	for i in $(seq 1 100); do [ -e "$OUT/$FINAL.partial" ] && break; sleep 0.05; done
	kill -STOP "$AGENT_PID"
	# a burst larger than the 4 KiB ring (~30 records) while nothing reads it:
	# pipe rounds until ftrace saw 60 fallbacks (at most 3), then compaction
	# (zone runs and migrate events); the ftrace count below checks the burst
	provoke_extfrag fmrel 60
	"$FRAGLOAD" compact > /dev/null
	kill -CONT "$AGENT_PID"
	sleep 0.3
	kill -INT "$AGENT_PID"
	wait "$AGENT_PID" || { cat "$OUT.log"; false; }
	ftrace_stop fmrel
	f=$OUT/$FINAL
	want=$(ftrace_count fmrel mm_page_alloc_extfrag)
	ext=$($FMCHECK get "$f" statistics.events_by_type.extfrag)
	dropped=$($FMCHECK get "$f" metadata.events_dropped)
	read -r counted written < <(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(sum(d["statistics"]["events_by_type"].values()), len(d["events"]))' "$f")
	echo "ftrace extfrag=$want counted=$ext dropped=$dropped counted_all=$counted written=$written"
	cat "$OUT.log"
	[ "$want" -ge 16 ]
	[ "$dropped" -gt 0 ]
	# every event the BPF counters saw was written or counted as dropped
	[ "$counted" -eq $((written + dropped)) ]
	[ $((want - ext)) -le 2 ] && [ $((ext - want)) -le 2 ]
	# and the drop is reported at the end, not only in the file
	grep -q "received, $dropped dropped" "$OUT.log"
}

@test "reliability: SIGINT at every moment of start-up: a complete file or a clear error, never a half file" {
	require_bpf
	complete=0 early=0 sigint=0
	# from just after exec (5 ms) to well after attaching (~100 ms); -d 2 ends a
	# run whose signal came before the handlers existed (ignored in a background job)
	for delay in 0.005 0.01 0.02 0.03 0.04 0.06 0.08 0.1 0.12 0.15 0.2 0.3; do
		rm -rf "$OUT/o"
		"$AGENT" -o "$OUT/o" -q -i 50 -d 2 2> "$OUT/o.log" &
		pid=$!
		sleep "$delay"
		kill -INT "$pid"
		st=0
		wait "$pid" || st=$?
		echo "delay $delay: exit $st: $(cat "$OUT/o.log" 2>/dev/null)"
		if [ "$st" -eq 130 ] && [ ! -e "$OUT/o.log" ]; then
			# killed before the agent was exec'd: nothing may exist
			[ ! -e "$OUT/o" ]
			early=$((early + 1))
			continue
		fi
		no_sanitizer_report "$OUT/o.log"
		if [ "$st" -eq 0 ]; then
			complete_final "$OUT/o/$FINAL"
			reason=$($FMCHECK get "$OUT/o/$FINAL" metadata.end_reason)
			[ "$reason" = SIGINT ] || [ "$reason" = duration ]
			[ "$reason" = SIGINT ] && sigint=$((sigint + 1))
			complete=$((complete + 1))
			[ ! -e "$OUT/o/$FINAL.partial" ]
		else
			# stopped before the output existed: says why, nothing under the final name
			[ ! -e "$OUT/o/$FINAL" ]
			[ -s "$OUT/o.log" ]
			early=$((early + 1))
		fi
		[ ! -e "$OUT/o/fragmon-agent.pid" ]
	done
	echo "complete=$complete (SIGINT $sigint) stopped-early=$early"
	[ "$sigint" -ge 6 ]
	rm -f "$OUT/o.log"
}

@test "reliability: a storm of signals during the final write still gives one complete file" {
	require_bpf
	for round in 1 2 3; do
		rm -rf "$OUT/o"
		# 10 ms snapshots for 2 s: a few MB to close, fsync and rename
		start_agent "$OUT/o" -i 10
		sleep 2
		kill -INT "$AGENT_PID"
		# INT, TERM, USR1 and HUP while it finishes, until it has exited.
		# The agent ignores them all after the first stop signal (a sender
		# faster than its handlers could starve the final write; this test
		# hung once in CI on eff50c3, cause not proven: docs/reliability.md
		# A4).  Normal stop takes ~1 s (12 links detached).
		SECONDS=0
		while kill -0 "$AGENT_PID" 2>/dev/null; do
			kill -INT "$AGENT_PID" 2>/dev/null || true
			kill -TERM "$AGENT_PID" 2>/dev/null || true
			kill -USR1 "$AGENT_PID" 2>/dev/null || true
			kill -HUP "$AGENT_PID" 2>/dev/null || true
			# exited but not yet reaped by this shell: done (builtins only,
			# no fork: the storm stays as fast as the loop can go)
			st=
			read -r st < "/proc/$AGENT_PID/stat" 2>/dev/null || true
			st=${st##*) }
			[ "${st%% *}" = Z ] && break
			if [ "$SECONDS" -ge 60 ]; then
				echo "pid $AGENT_PID still there 60 s into the storm:"
				tr '\0' ' ' < "/proc/$AGENT_PID/cmdline" || true
				echo
				grep -E '^(State|SigQ|SigPnd|ShdPnd|SigBlk|SigIgn|SigCgt)' \
					"/proc/$AGENT_PID/status" || true
				cat "/proc/$AGENT_PID/wchan" "/proc/$AGENT_PID/stack" 2>/dev/null || true
				cat "$OUT/o.log" || true
				ls -l "$OUT/o" || true
				kill -9 "$AGENT_PID"
				false
			fi
		done
		echo "round $round: gone after ${SECONDS} s of storm"
		wait "$AGENT_PID"
		AGENT_PID=
		complete_final "$OUT/o/$FINAL"
		# the first signal names the end, however close the next one follows
		# (the stop handlers block each other: bug A3, fixed in b80fbb2)
		[ "$($FMCHECK get "$OUT/o/$FINAL" metadata.end_reason)" = SIGINT ]
		[ ! -e "$OUT/o/$FINAL.partial" ]
		ls "$OUT/o"
		[ -z "$(ls "$OUT/o" | grep -E '\.tmp$')" ]
		no_sanitizer_report "$OUT/o.log"
	done
}

@test "reliability: agents started at the same moment: exactly one runs" {
	require_bpf
	for round in 1 2 3; do
		rm -rf "$OUT/o" "$OUT"/st.*
		mkdir -p "$OUT/o"
		# released together: each waits for the same file to appear
		pids=()
		for i in 1 2 3 4; do
			(while [ ! -e "$OUT/go" ]; do :; done
			 st=0
			 "$AGENT" -o "$OUT/o" -q -d 1 -i 100 2> "$OUT/err.$i" || st=$?
			 echo "$st" > "$OUT/st.$i") &
			pids+=($!)
		done
		sleep 0.3
		touch "$OUT/go"
		# these four only: a bare wait also waits for bats' timeout watchdog
		wait "${pids[@]}"
		rm -f "$OUT/go"
		cat "$OUT"/st.* "$OUT"/err.*
		[ "$(grep -lx 0 "$OUT"/st.* | wc -l)" -eq 1 ]
		[ "$(grep -lx 3 "$OUT"/st.* | wc -l)" -eq 3 ]
		complete_final "$OUT/o/$FINAL"
		[ ! -e "$OUT/o/fragmon-agent.pid" ]
	done
}

@test "reliability: leak check: an agent start/checkpoint/stop cycle is LeakSanitizer-clean" {
	require_bpf
	asan=$AGENT
	[ -n "${FRAGMON_SANITIZED:-}" ] || asan=$FM_TOP/build-asan/fragmon-agent
	[ -x "$asan" ] || skip "no sanitized agent (make check-leaks or make check-asan builds it)"
	mkdir "$OUT/o" "$OUT/rep"
	ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:log_path=$OUT/rep/asan" \
		UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$OUT/rep/ubsan" \
		AGENT=$asan start_agent "$OUT/o" -i 100
	"$FRAGLOAD" pipes 16 > /dev/null || true
	kill -USR1 "$AGENT_PID"
	sleep 0.5
	stop_agent INT
	ls -la "$OUT/rep"
	cat "$OUT/rep"/* 2>/dev/null || true
	[ -z "$(ls -A "$OUT/rep")" ]
	complete_final "$OUT/o/$FINAL"
	# the sanitizer really is there (a report would have been written)
	nm -D "$asan" 2>/dev/null | grep -q __asan_init || ldd "$asan" | grep -q libasan
}

@test "reliability: the output directory removed mid-run: written there again at the end, nothing lost" {
	require_bpf
	ftrace_start fmrel kmem/mm_page_alloc_extfrag compaction/mm_compaction_end
	start_agent "$OUT/run" -i 200
	provoke_extfrag fmrel 5
	rm -rf "$OUT/run"
	provoke_extfrag fmrel 10
	"$FRAGLOAD" compact
	sleep 0.6
	stop_agent TERM
	ftrace_stop fmrel
	cat "$OUT/run.log"
	grep -q "was removed" "$OUT/run.log"
	grep -q "making $OUT/run again" "$OUT/run.log"
	complete_final "$OUT/run/$FINAL"
	# every event, before and after the removal
	counts_vs_ftrace fmrel "$OUT/run/$FINAL"
}
