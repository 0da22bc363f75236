#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# fragmon-plot: numbers, images, errors, URLs.  Hand-built inputs are in
# tests/data/plot/ (expected values below are worked out by hand from them);
# the legacy captures are checked against an independent count (python json).

FM_TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
# FRAGMON_PLOT: another build of it (make check-asan runs the suite on a sanitized one)
PLOT=${FRAGMON_PLOT:-$FM_TOP/fragmon-plot}
DATA=$FM_TOP/tests/data/plot
LEGACY=${FRAGMON_LEGACY_DIR:-$FM_TOP/../shared/data}
PROBE=$FM_TOP/build/plot/pngprobe
GEN=$FM_TOP/build/plot/gen-events

setup_file() {
	make -s -C "$FM_TOP" plot plot-test-tools >/dev/null
}

setup() {
	OUT=$(mktemp -d /tmp/fragmon-plot-test.XXXXXX)
}

teardown() {
	[ -n "${MUTE_PID:-}" ] && kill "$MUTE_PID" 2>/dev/null || true
	if [ -n "${HTTP_PID:-}" ]; then
		kill "$HTTP_PID" 2>/dev/null || true
		wait "$HTTP_PID" 2>/dev/null || true
	fi
	rm -rf "$OUT"
}

# value of "key: value" in --summary output
sval() { # key
	printf '%s\n' "$output" | sed -n "s/^$1: //p" | head -n 1
}

# the plot area of a panel, from FRAGMON_PLOT_LAYOUT=1 on stderr: "x0 y0 x1 y1"
panel() { # layout-file name
	sed -n "s/^layout: $2 //p" "$1"
}

colour_in() { # png layout-file panel
	# shellcheck disable=SC2046
	"$PROBE" "$1" colour $(panel "$2" "$3")
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_http() { # directory
	HTTP_PORT=$(free_port)
	python3 -m http.server --bind 127.0.0.1 --directory "$1" "$HTTP_PORT" \
		>"$OUT/http.log" 2>&1 </dev/null 3>&- &
	HTTP_PID=$!
	for _ in $(seq 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$HTTP_PORT") 2>/dev/null && return 0
		sleep 0.1
	done
	echo "HTTP server did not start" >&2
	return 1
}

@test "plot: --help documents the exit codes; unknown option exits 2" {
	run "$PLOT" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"Exit status: 0 ok; 1 runtime failure"* ]]
	[[ "$output" == *"--results-dir DIR"* ]]
	# every option of the table is in the text, with its short form where it has one
	[[ "$output" == *"  -o, --output FILE"* ]]
	[[ "$output" == *"  -h, --help"* ]]
	run "$PLOT" --no-such-option x.json
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown option '--no-such-option'"* ]]
	run "$PLOT" -x x.json
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown option '-x'"* ]]
	run "$PLOT"
	[ "$status" -eq 2 ]
	run "$PLOT" "$DATA/small-agent.json" --bin abc
	[ "$status" -eq 2 ]
	run "$PLOT" "$DATA/small-agent.json" --bin
	[ "$status" -eq 2 ]
	[[ "$output" == *"'--bin' needs an argument"* ]]
}

@test "plot: options: non-finite numbers refused; repeated options refused or combined" {
	for v in inf -inf nan 1e999 0 -3; do
		run "$PLOT" "$DATA/small-agent.json" --bin "$v" -o "$OUT/x.png"
		[ "$status" -eq 2 ]
		[[ "$output" == *"--bin wants a positive finite number, not '$v'"* ]]
	done
	run "$PLOT" "$DATA/small-agent.json" --timeout inf --summary
	[ "$status" -eq 2 ]
	# one value only: refused when given twice, whatever the spelling
	run "$PLOT" "$DATA/small-agent.json" -o "$OUT/a.png" --output "$OUT/b.png"
	[ "$status" -eq 2 ]
	[[ "$output" == *"-o/--output given twice"* ]]
	run "$PLOT" "$DATA/small-agent.json" --compare "$DATA/small-legacy.json" --compare "$DATA/small-agent.json"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--compare given twice"* ]]
	for o in --json --title --bin --results-dir; do
		run "$PLOT" "$DATA/small-agent.json" $o 1 $o 2
		[ "$status" -eq 2 ]
		[[ "$output" == *"$o given twice"* ]]
	done
	[ -z "$(ls "$OUT")" ]
	# lists combine: --labels twice, or comma-separated
	run "$PLOT" --multi "$DATA/small-agent.json" "$DATA/small-legacy.json" "$DATA/empty-run.json" \
		--labels one --labels two,three --summary
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep '^== ' | cut -d' ' -f2 | tr '\n' ' ')" = "one two three " ]
	# bounded: at most 16 runs and 64 files (repeats included) in one image
	f=$DATA/small-agent.json
	run "$PLOT" --multi $(for i in 1 2 3 4 5; do printf '%s ' "$f,$f,$f,$f,$f,$f,$f,$f,$f,$f,$f,$f,$f,$f"; done) --summary
	[ "$status" -eq 2 ]
	[[ "$output" == *"70 files: at most 64 in one image"* ]]
	run "$PLOT" --multi $(for i in $(seq 17); do printf '%s ' "$f"; done) --summary
	[ "$status" -eq 2 ]
	[[ "$output" == *"at most 16 runs in one image"* ]]
	# A is the run named first, whichever side of --compare it is on
	run "$PLOT" --compare "$DATA/small-legacy.json" "$DATA/small-agent.json" --summary
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep '^== ' | head -n 1 | cut -d' ' -f2)" = small-legacy ]
}

@test "plot: empty, whitespace-only or NUL-only input is an error (exit 2), nothing written" {
	: >"$OUT/zero.json"
	printf ' \n\t ' >"$OUT/ws.json"
	head -c 4096 /dev/zero >"$OUT/nul.json"
	{ printf '  \n'; head -c 100 /dev/zero; } >"$OUT/wsnul.json"
	gzip -c "$OUT/zero.json" >"$OUT/zero.json.gz"
	for f in zero.json ws.json nul.json wsnul.json zero.json.gz; do
		run "$PLOT" "$OUT/$f" -o "$OUT/z.png"
		echo "$f: $status $output"
		[ "$status" -eq 2 ]
		[[ "$output" == *"$f: "*"no JSON data: the input is "* ]]
		[ ! -e "$OUT/z.png" ]
	done
	run bash -c "'$PLOT' - --summary </dev/null"
	[ "$status" -eq 2 ]
	[[ "$output" == *"-: no JSON data: the input is empty (0 bytes)"* ]]
}

@test "plot: outputs: - is stdout; devices, pipes and symlinks written through, never replaced" {
	cd "$OUT"
	# - and /dev/stdout: standard output, whatever it is (here a pipe), the link kept
	run bash -c "'$PLOT' '$DATA/small-legacy.json' --json - | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"runs\"][0][\"label\"])'"
	[ "$status" -eq 0 ]
	[ "$output" = small-legacy ]
	"$PLOT" "$DATA/small-legacy.json" -o - | head -c 8 | od -An -tx1 | tr -d ' \n' >sig
	[ "$(cat sig)" = 89504e470d0a1a0a ]
	[ ! -e ./- ]
	"$PLOT" "$DATA/small-legacy.json" --json /dev/stdout >via-stdout.json
	[ -L /dev/stdout ]
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' via-stdout.json
	# appended to a log through /dev/stdout: the log keeps its first line
	echo "first line" >log.txt
	"$PLOT" "$DATA/small-legacy.json" --json /dev/stdout >>log.txt
	[ "$(head -n 1 log.txt)" = "first line" ]
	[ "$(sed -n 2p log.txt | head -c 1)" = "{" ]
	# /dev/null stays the device
	"$PLOT" "$DATA/small-legacy.json" -o /dev/null --json /dev/null
	[ -c /dev/null ]
	# a FIFO: written to, still a FIFO
	mkfifo fifo.json
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["runs"]))' fifo.json >fifo.out &
	reader=$!
	"$PLOT" "$DATA/small-legacy.json" --json fifo.json
	wait "$reader"
	[ "$(cat fifo.out)" = 1 ]
	[ -p fifo.json ]
	# a symlink to a regular file: the file gets the image, the link stays a link
	echo old >target.png
	ln -s target.png link.png
	"$PLOT" "$DATA/small-legacy.json" -o link.png
	[ -L link.png ]
	[ "$(readlink link.png)" = target.png ]
	[ "$(head -c 4 target.png | od -An -c | tr -d ' ')" = '211PNG' ]
	[ "$(ls | grep -c tmp)" -eq 0 ]
}

@test "plot: outputs refused with exit 2: directory, dangling or foreign symlink, other extensions, an input" {
	cd "$OUT"
	mkdir dir.png
	run "$PLOT" "$DATA/small-legacy.json" -o dir.png
	[ "$status" -eq 2 ]
	[[ "$output" == *"dir.png: not a file fragmon-plot can write to (a directory)"* ]]
	ln -s nowhere.png dangling.png
	run "$PLOT" "$DATA/small-legacy.json" -o dangling.png
	[ "$status" -eq 2 ]
	[[ "$output" == *"dangling.png: a symlink to nothing"* ]]
	[ -L dangling.png ] && [ ! -e nowhere.png ]
	for ext in svg pdf jpg PNG.gz txt; do
		run "$PLOT" "$DATA/small-legacy.json" -o "x.$ext"
		[ "$status" -eq 2 ]
		[[ "$output" == *"writes PNG images only"* ]]
	done
	run "$PLOT" "$DATA/small-legacy.json" --json m.png
	[ "$status" -eq 2 ]
	[[ "$output" == *"--json writes JSON"* ]]
	# upper case and no extension are fine
	"$PLOT" "$DATA/small-legacy.json" -o UPPER.PNG --json noext
	[ -s UPPER.PNG ] && [ -s noext ]
	# the data being plotted is never the output
	cp "$DATA/small-legacy.json" in.json
	run "$PLOT" in.json --json in.json
	[ "$status" -eq 2 ]
	[[ "$output" == *"is the input"* ]]
	cmp in.json "$DATA/small-legacy.json"
	# a PNG is not written to a terminal; - cannot serve two outputs
	run "$PLOT" "$DATA/small-legacy.json" --json - --summary
	[ "$status" -eq 2 ]
	run "$PLOT" "$DATA/small-legacy.json" -o - --json -
	[ "$status" -eq 2 ]
	if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
		# a symlink planted by another user in a sticky world-writable directory
		mkdir -m 1777 sticky
		echo precious >precious.txt
		ln -s "$OUT/precious.txt" sticky/out.json
		chown -h nobody sticky/out.json
		run "$PLOT" "$DATA/small-legacy.json" --json sticky/out.json
		[ "$status" -eq 2 ]
		[[ "$output" == *"owned by another user in a sticky world-writable directory"* ]]
		[ "$(cat precious.txt)" = precious ]
	fi
	rm -rf dir.png
	[ -z "$(ls | grep -v -e '^in.json$' -e '^UPPER.PNG$' -e '^noext$' -e '^precious.txt$' -e '^sticky$' -e '^dangling.png$')" ]
}

@test "plot: --summary of a hand-built agent file equals the hand-computed numbers" {
	run "$PLOT" "$DATA/small-agent.json" --summary
	[ "$status" -eq 0 ]
	[ "$(sval format)" = fragmon ]
	[ "$(sval kernel)" = 6.18.0-test ]
	[ "$(sval events)" = 15 ]
	[ "$(sval pages_migrated)" = 32 ]
	[ "$(sval pages_migrate_failed)" = 7 ]
	[ "$(sval extfrag)" = 5 ]
	[ "$(sval extfrag_bpf_total)" = 5 ]
	# the one extfrag event whose zone had no free block of its order: index 700
	[ "$(sval extfrag_frag_index_mean)" = 0.700 ]
	[ "$(sval extfrag_steal)" = 3 ]
	[ "$(sval extfrag_claim)" = 2 ]
	# MOVABLE->UNMOVABLE x2 (!!) and MOVABLE->RECLAIMABLE (!) are bad; UNMOVABLE->MOVABLE good
	[ "$(sval bad_fallbacks)" = 3 ]
	[ "$(sval good_fallbacks)" = 1 ]
	[ "$(sval to_unmovable)" = 2 ]
	[ "$(sval fragmenting)" = 2 ]
	[ "$(sval compaction_success)" = 3 ]
	[ "$(sval compaction_failure)" = 3 ]
	# 3 of 6 runs: too few to be a rate (a ratio needs 10 in its denominator)
	[ "$(sval compaction_success_pct)" = "n/a (3 of 6: too few to be a rate)" ]
	# (950 + 800) / 2 / 1000; the -1000 success counted apart
	[ "$(sval success_frag_index_mean)" = 0.875 ]
	[ "$(sval success_index_negative)" = 1 ]
	[ "$(sval duration_s)" = 6.0 ]
	# rates per second of the run (6 s): 5 extfrag, 3 steal, 3 compaction failures,
	# 32 pages migrated; good fallbacks as a share of all: 1 of 5
	[ "$(sval extfrag_per_s)" = 0.833 ]
	[ "$(sval steal_per_s)" = 0.500 ]
	[ "$(sval compaction_fail_per_s)" = 0.500 ]
	[ "$(sval pages_migrated_per_s)" = 5.33 ]
	# 1 of 5: too few to be a rate
	[ "$(sval good_pct)" = "n/a (1 of 5: too few to be a rate)" ]
	# vmstat compact_stall 0 -> 2 over 6 s
	[ "$(sval compact_stall_per_s)" = 0.333 ]
	[ "$(sval snapshots)" = 2 ]
	# last snapshot: 10 + 5*2 + 2*4 = 28 pages = 0.109 MiB; nothing at order >= 9
	[ "$(sval free_mib_end)" = 0.1 ]
	[ "$(sval free_high_order_mib_end)" = 0.0 ]
	# first snapshot 3000 free pages, 2048 of them at order >= 9; last 28, none:
	# 2048 / 3028 of the free memory over the run
	[ "$(sval free_high_order_pct)" = 67.6 ]
	# order 9: -1000 at t=0 (a block was free: half the time), 938 at t=6; the
	# -1000 is never averaged with the index
	[ "$(sval free_block_high_order_pct)" = 50.0 ]
	[ "$(sval frag_index_high_order_mean)" = 0.938 ]
	# unusable index, order 9: 390 and 1000; order 3: 150 and 1000
	[ "$(sval unusable_high_order_mean)" = 0.695 ]
	[ "$(sval unusable_order3_mean)" = 0.575 ]
	# pageblocks (first snapshot only): 60 of 879 are UNMOVABLE
	[ "$(sval unmovable_pageblocks_pct)" = 6.83 ]
	# 6 s with a snapshot every 6 s: too short for intervals, and it says so
	[[ "$(sval intervals)" == *"too few bins for intervals"* ]]
	[[ "$(sval extfrag_per_s)" != *"["* ]]
	[ "$(sval events_dropped)" = 3 ]
	# vmstat at the last snapshot minus the first
	[ "$(sval vmstat_compact_stall)" = 2 ]
	[ "$(sval vmstat_compact_fail)" = 1 ]
	[ "$(sval vmstat_compact_success)" = 1 ]
	# fewer than 10 runs: counts, no share
	[ "$(sval compaction_order_9)" = "2 success, 2 failure" ]
	[ "$(sval compaction_order_2)" = "0 success, 1 failure" ]
	[ "$(sval extfrag_order_0)" = 4 ]
	[ "$(sval extfrag_order_1)" = 1 ]
	# rows worst first
	[ "$(printf '%s\n' "$output" | grep '^pattern:' | head -n 1)" = "pattern: !! MOVABLE->UNMOVABLE 1 steal, 1 claim" ]
	[ "$(printf '%s\n' "$output" | grep '^pattern:' | tail -n 1)" = "pattern: + UNMOVABLE->MOVABLE 1 steal, 0 claim" ]
}

@test "plot: extfrag per GiB allocated where the snapshots carry vmstat pgalloc_*" {
	# small-agent.json has none: no such metric
	run "$PLOT" "$DATA/small-agent.json" --summary
	[ -z "$(sval extfrag_per_gib)" ]
	# 262,144 pages of 4 KiB allocated between the two snapshots (two zones' counters): 1 GiB
	python3 - "$DATA/small-agent.json" "$OUT/alloc.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
snaps = [e for e in d["events"] if e["event_type"] == "snapshot"]
snaps[0]["vmstat"].update(pgalloc_dma32=1000, pgalloc_normal=5000)
snaps[1]["vmstat"].update(pgalloc_dma32=1000 + 62144, pgalloc_normal=5000 + 200000)
json.dump(d, open(sys.argv[2], "w"))
PY
	run "$PLOT" "$OUT/alloc.json" --summary
	[ "$status" -eq 0 ]
	# 5 extfrag events per GiB
	[ "$(sval extfrag_per_gib)" = 5.00 ]
}

@test "plot: gzip input is read as is (file, URL); corrupt gzip exits 2" {
	gzip -c "$DATA/small-agent.json" >"$OUT/run.json.gz"
	run "$PLOT" "$OUT/run.json.gz" --summary
	[ "$status" -eq 0 ]
	[[ "$output" == "== run ("* ]]
	[ "$(sval extfrag_steal)" = 3 ]
	[ "$(sval free_block_high_order_pct)" = 50.0 ]
	gzip -c "$DATA/malformed.json" >"$OUT/bad.json.gz"
	run "$PLOT" "$OUT/bad.json.gz" -o "$OUT/bad.png"
	[ "$status" -eq 2 ]
	[[ "$output" == *"decompressed byte 90 (line 3, column 46)"* ]]
	printf '\037\213garbage-not-deflate' >"$OUT/corrupt.json.gz"
	run "$PLOT" "$OUT/corrupt.json.gz" -o "$OUT/bad.png"
	[ "$status" -eq 2 ]
	[[ "$output" == *"gzip: byte"* ]]
	[ ! -e "$OUT/bad.png" ]
	start_http "$OUT"
	run "$PLOT" "http://127.0.0.1:$HTTP_PORT/run.json.gz" --summary
	[ "$status" -eq 0 ]
	[ "$(sval extfrag_steal)" = 3 ]
}

@test "plot: - reads standard input (e.g. a compressed archive)" {
	run bash -c "gzip -c '$DATA/small-agent.json' | zcat | '$PLOT' - --summary"
	[ "$status" -eq 0 ]
	[[ "$output" == "== stdin (-)"* ]]
	[ "$(sval extfrag_steal)" = 3 ]
}

@test "plot: free memory counts every zone of a big NUMA box, from the latest snapshot" {
	# 12 zones with one order-10 block (4 MiB) each at t=1.0; a 2-zone snapshot at t=0.5
	# arrives after it in the file and must not count as the last one
	run "$PLOT" "$DATA/numa-12-zones.json" --summary
	[ "$status" -eq 0 ]
	[ "$(sval free_mib_end)" = 48.0 ]
	[ "$(sval free_high_order_mib_end)" = 48.0 ]
}

@test "plot: legacy labels: PCPTYPES is HIGHATOMIC, empty migrate_from is unknown" {
	run "$PLOT" "$DATA/small-legacy.json" --summary
	[ "$status" -eq 0 ]
	[ "$(sval format)" = legacy ]
	[ "$(sval extfrag_steal)" = 1 ]
	[ "$(sval compaction_success_pct)" = "n/a (1 of 3: too few to be a rate)" ]
	[[ "$output" == *"pattern: !! HIGHATOMIC->UNMOVABLE 0 steal, 1 claim"* ]]
	[[ "$output" == *"pattern: + ?->MOVABLE 1 steal, 0 claim"* ]]
	[[ "$output" != *PCPTYPES* ]]
	# legacy has no snapshots and no fragmenting flag: not reported as 0
	[ -z "$(sval fragmenting)" ]
	[ -z "$(sval free_mib_end)" ]
	# legacy extfrag indices are placeholders (100/400/700), not reported
	[ -z "$(sval extfrag_frag_index_mean)" ]
}

@test "plot: single dashboard: 2400 px wide, every panel inside the image, data where the panels are" {
	FRAGMON_PLOT_LAYOUT=1 "$PLOT" "$DATA/small-agent.json" -o "$OUT/a.png" 2>"$OUT/layout"
	read -r w h < <("$PROBE" "$OUT/a.png")
	[ "$w" -eq 2400 ]
	# the table's plot area ends 50 px above its panel's end, then a 24 px gap and 20 px margin
	bottom=$(panel "$OUT/layout" table | awk '{print $4}')
	[ "$h" -eq $((bottom + 94)) ]
	for p in compaction extfrag heatmap snapshot; do
		c=$(colour_in "$OUT/a.png" "$OUT/layout" $p)
		echo "$p $c"
		awk -v c="$c" 'BEGIN { exit !(c > 0.0002) }'
	done
	# the table has text
	# shellcheck disable=SC2046
	ink=$("$PROBE" "$OUT/a.png" ink $(panel "$OUT/layout" table))
	awk -v c="$ink" 'BEGIN { exit !(c > 0.005) }'
}

@test "plot: a run with no events gives a readable image with no data drawn" {
	FRAGMON_PLOT_LAYOUT=1 run "$PLOT" "$DATA/empty-run.json" -o "$OUT/e.png"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | grep '^layout:' >"$OUT/layout"
	read -r w h < <("$PROBE" "$OUT/e.png")
	[ "$w" -eq 2400 ]
	for p in compaction extfrag heatmap; do
		[ "$(colour_in "$OUT/e.png" "$OUT/layout" $p)" = 0.0000 ]
	done
	# the "no events" banner
	[ "$("$PROBE" "$OUT/e.png" rgb fdecea 0 0 2400 200)" != 0.0000 ]
}

@test "plot: both legacy captures plot, and their counts match an independent count" {
	for f in legacy-simple legacy-load; do
		[ -r "$LEGACY/$f.json" ] || skip "no $LEGACY/$f.json (set FRAGMON_LEGACY_DIR)"
		run "$PLOT" "$LEGACY/$f.json" -o "$OUT/$f.png" --summary
		[ "$status" -eq 0 ]
		[ "$("$PROBE" "$OUT/$f.png" | cut -d' ' -f1)" -eq 2400 ]
		want=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
ev = d["events"]
ef = [e for e in ev if e["event_type"] == "extfrag"]
print(len(ev), len(ef), sum(1 for e in ef if e["is_steal"]),
      sum(1 for e in ev if e["event_type"] == "compaction_success"),
      sum(1 for e in ev if e["event_type"] == "compaction_failure"),
      sum(1 for e in ef if e["migrate_to"] == "UNMOVABLE"))' "$LEGACY/$f.json")
		got="$(sval events) $(sval extfrag) $(sval extfrag_steal) $(sval compaction_success) $(sval compaction_failure) $(sval to_unmovable)"
		echo "$f: want $want got $got"
		[ "$want" = "$got" ]
		# extfrag by allocation order: the legacy tracker's own statistics block
		want=$(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["statistics"]["extfrag"]
print(" ".join("%s:%d" % (o, s[o]) for o in sorted(s, key=int)))' "$LEGACY/$f.json")
		got=$(printf '%s\n' "$output" | sed -n 's/^extfrag_order_\([0-9]*\): /\1:/p' | tr '\n' ' ' | sed 's/ $//')
		echo "$f by order: want $want got $got"
		[ "$want" = "$got" ]
	done
}

@test "plot: generated agent file: counts equal the file's own statistics block" {
	"$GEN" -n 20000 -d 60 -s 3 -o "$OUT/g.json"
	run "$PLOT" "$OUT/g.json" --summary
	[ "$status" -eq 0 ]
	want=$(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["statistics"]
print(s["extfrag_steal"], s["extfrag_claim"], s["events_by_type"]["compaction_success"],
      s["events_by_type"]["compaction_failure"])' "$OUT/g.json")
	[ "$want" = "$(sval extfrag_steal) $(sval extfrag_claim) $(sval compaction_success) $(sval compaction_failure)" ]
}

@test "plot: a truncated file (killed agent) plots what is there and says so" {
	# run header + snapshot + two extfrag events, then half a line
	{ head -n 15 "$DATA/small-agent.json"; sed -n 16p "$DATA/small-agent.json" | head -c 60; } \
		>"$OUT/fragmentation_data.json.partial"
	run "$PLOT" "$OUT/fragmentation_data.json.partial" -o "$OUT/t.png" --summary
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning: truncated at byte"* ]]
	[ "$(sval complete)" = "no (truncated)" ]
	[ "$(sval events)" = 3 ]
	[ "$(sval extfrag)" = 2 ]
	[ -s "$OUT/t.png" ]
	# the red warning band in the header
	[ "$("$PROBE" "$OUT/t.png" rgb fdecea 0 0 2400 200)" != 0.0000 ]
	# a complete file has none
	"$PLOT" "$DATA/small-legacy.json" -o "$OUT/c.png"
	[ "$("$PROBE" "$OUT/c.png" rgb fdecea 0 0 2400 200)" = 0.0000 ]
	# a checkpoint (complete: false) is whole JSON but not a whole run
	sed 's/"complete": true/"complete": false/' "$DATA/small-agent.json" >"$OUT/ckpt.json"
	run "$PLOT" "$OUT/ckpt.json" --summary
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning: a checkpoint"* ]]
	[ "$(sval complete)" = "no (checkpoint)" ]
	# zeros after the data: a torn write after a crash is a truncation, not bad JSON
	{ head -n 15 "$DATA/small-agent.json"; head -c 4096 /dev/zero; } >"$OUT/torn.json.partial"
	run "$PLOT" "$OUT/torn.json.partial" --summary
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning: truncated at byte $(head -n 15 "$DATA/small-agent.json" | wc -c)"* ]]
	[ "$(sval events)" = 3 ]
	# one byte of JSON is a (very) truncated run
	printf '{' >"$OUT/one.json"
	run "$PLOT" "$OUT/one.json" -o "$OUT/z.png"
	[ "$status" -eq 0 ]
	[[ "$output" == *"truncated at byte 1"* ]]
	[ -s "$OUT/z.png" ]
}

@test "plot: malformed JSON: file, byte offset, line and column; exit 2; no PNG left" {
	run "$PLOT" "$DATA/malformed.json" -o "$OUT/m.png"
	[ "$status" -eq 2 ]
	# the second comma of ",," is byte 90 (from 0), line 3, column 46
	[ "$(grep -bo ',,' "$DATA/malformed.json" | cut -d: -f1)" -eq 89 ]
	[[ "$output" == *"malformed.json: byte 90 (line 3, column 46): parse error"* ]]
	[ ! -e "$OUT/m.png" ]
	[ -z "$(ls "$OUT")" ]
	printf '[1, 2]' >"$OUT/array.json"
	run "$PLOT" "$OUT/array.json" -o "$OUT/m.png"
	[ "$status" -eq 2 ]
	[[ "$output" == *"not an object"* ]]
	run "$PLOT" "$OUT/does-not-exist.json" -o "$OUT/m.png"
	[ "$status" -eq 2 ]
	[ ! -e "$OUT/m.png" ]
}

@test "plot: cannot write the output: exit 1, nothing left behind" {
	run "$PLOT" "$DATA/small-agent.json" -o "$OUT/no/such/dir/x.png"
	[ "$status" -eq 1 ]
	[[ "$output" == *"x.png"* ]]
	[ ! -e "$OUT/no" ]
	# a device that fills up: the encoder's thread stops, one message, exit 1
	for args in "-o /dev/full" "--json /dev/full" "--multi $DATA/small-agent.json -o /dev/full"; do
		# shellcheck disable=SC2086
		run timeout 60 "$PLOT" "$DATA/small-legacy.json" $args
		[ "$status" -eq 1 ]
		[ "$output" = "fragmon-plot: /dev/full: cannot write: No space left on device" ]
	done
}

@test "plot: A/B and N-way images; labels must match the runs" {
	FRAGMON_PLOT_LAYOUT=1 "$PLOT" "$DATA/small-agent.json" --compare "$DATA/small-legacy.json" \
		--labels 4k 16k -o "$OUT/ab.png" 2>"$OUT/layout"
	[ "$("$PROBE" "$OUT/ab.png" | cut -d' ' -f1)" -eq 2400 ]
	for p in compaction extfrag heatmap; do
		c=$(colour_in "$OUT/ab.png" "$OUT/layout" $p)
		awk -v c="$c" 'BEGIN { exit !(c > 0.0002) }'
	done
	run "$PLOT" "$DATA/small-agent.json" --compare "$DATA/small-legacy.json" --summary
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep -c '^== ')" -eq 2 ]
	run "$PLOT" --multi "$DATA/small-agent.json" "$DATA/small-legacy.json" "$DATA/empty-run.json" \
		--labels a b c -o "$OUT/multi.png"
	[ "$status" -eq 0 ]
	[ "$("$PROBE" "$OUT/multi.png" colour 0 0 2400 1200)" != 0.0000 ]
	# the same file twice: two distinct names
	run "$PLOT" --multi "$DATA/small-agent.json" "$DATA/small-agent.json" --summary
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep '^== ' | cut -d'(' -f1 | sort -u | wc -l)" -eq 2 ]
	run "$PLOT" --multi "$DATA/small-agent.json" "$DATA/small-legacy.json" --labels only-one -o "$OUT/x.png"
	[ "$status" -eq 2 ]
	[ ! -e "$OUT/x.png" ]
}

# the verdict of a metric in the comparison lines of --summary
verdict() { # key
	printf '%s\n' "$output" | awk -v k="$1" '$1 == k { sub(/.*\]  /, ""); sub(/.* n\/a  /, ""); print; exit }'
}

# verdict words of every compared row of a --summary comparison
verdicts() {
	printf '%s\n' "$output" | sed -n '/^metric /,$p' | tail -n +2 | sed 's/.*\]  //; s/.* n\/a  //'
}

@test "plot: A/B verdicts: a known difference (twice the event rate) is worse, interval excluding 0" {
	"$GEN" -n 20000 -d 300 -S -s 1 -o "$OUT/a.json"
	"$GEN" -n 40000 -d 300 -S -s 2 -o "$OUT/b.json"
	run "$PLOT" "$OUT/a.json" --compare "$OUT/b.json" --summary --json "$OUT/m.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"comparison: B = b vs A = a"* ]]
	[ "$(verdict extfrag_per_s)" = worse ]
	[ "$(verdict compaction_fail_per_s)" = worse ]
	# compaction runs: more, neither better nor worse
	[ "$(verdict compaction_per_s)" = higher ]
	# the same mix of fallbacks and the same memory: within noise
	[ "$(verdict good_pct)" = "≈ (within noise)" ]
	[ "$(verdict unusable_high_order_mean)" = "≈ (within noise)" ]
	python3 - "$OUT/m.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = d["comparisons"][0]
m = c["metrics"]["extfrag_per_s"]
assert c["a"] == "a" and c["b"] == "b", c
assert m["verdict"] == "worse" and m["better"] == "lower", m
assert m["delta_ci"][0] > 0 and m["delta_ci"][0] < m["delta"] < m["delta_ci"][1], m
assert abs(m["b"] / m["a"] - 2) < 0.05, m
assert m["a_ci"][0] < m["a"] < m["a_ci"][1], m
assert c["method"]["confidence"] == 0.95 and c["method"]["primary_level"] == 0.05, c["method"]
assert c["method"]["primary"] in ("extfrag_per_gib", "extfrag_per_s"), c["method"]
assert c["method"]["secondary_tested"] is True, c["method"]
p = c["metrics"][c["method"]["primary"]]
assert p["verdict"] == "worse" and p["level"] == 0.05 and p["p"] < 0.05, p
assert c["warnings"] == [], c["warnings"]
# every run carries its own intervals too
assert d["runs"][0]["intervals"]["extfrag_per_s"][0] < d["runs"][0]["metrics"]["extfrag_per_s"]
PY
}

@test "plot: the two halves of one steady run compare as within noise on every row" {
	"$GEN" -n 40000 -d 300 -S -s 7 -o "$OUT/steady.json"
	python3 "$DATA/split-run.py" "$OUT/steady.json" 2 "$OUT/half"
	run "$PLOT" "$OUT/half1.json" --compare "$OUT/half2.json" --summary
	[ "$status" -eq 0 ]
	verdicts >"$OUT/v"
	cat "$OUT/v"
	[ "$(grep -c . "$OUT/v")" -ge 30 ]
	! grep -qvE '^(≈ \(within noise\)|none in either run|n/a \(too few to be a rate\)|one run: needs repeats|nothing to measure)$' "$OUT/v"
}

@test "plot: real captures: heavier workload worse; halves and interleaved parts of one run within noise" {
	# fragmon-agent on this kind of VM: fragload pipes every 6 s (light) or 1 s
	# (heavy), 90 s each; the steady run: every 1.5 s for 120 s after 30 s of it
	run "$PLOT" "$DATA/real-light90.json.gz" --compare "$DATA/real-heavy90.json.gz" --summary
	[ "$status" -eq 0 ]
	[ "$(verdict extfrag_per_s)" = worse ]
	[ "$(verdict to_unmovable_per_s)" = worse ]
	# like with like: every extfrag event of both runs is in Normal, so both
	# runs' state rows are Normal's (heavy's DMA32 has the most free memory)
	[ "$(grep -c '^zone: Normal of node 0 (under pressure: the most fallbacks)$' <<<"$output")" = 2 ]
	[[ "$output" == *"unusable_high_order_mean: 0.569 "* ]]
	# and so no longer "better" (light's Normal against heavy's DMA32 was
	# 0.475 against 0.002): heavy's Normal is higher (0.569), but its index
	# climbed from ~0.45 to ~0.85 during its 90 s (a 12 s Politis-White block:
	# 3 batches), which one run each cannot turn into a verdict
	[ "$(verdict unusable_high_order_mean)" = "one run: needs repeats" ]
	[[ "$output" == *"unusable_high_order_mean                    0.475        0.569       +0.094 "* ]]
	"$PLOT" "$DATA/real-heavy90.json.gz" --json "$OUT/z.json"
	python3 -c 'import json,sys; z=json.load(open(sys.argv[1]))["runs"][0]["zone"]; assert z == {"node": 0, "name": "Normal", "why": "under pressure: the most fallbacks"}, z' "$OUT/z.json"
	python3 "$DATA/split-run.py" "$DATA/real-steady120.json.gz" 2 "$OUT/h"
	run "$PLOT" "$OUT/h1.json" --compare "$OUT/h2.json" --summary
	[ "$status" -eq 0 ]
	# the event rates are steady; the memory state drifted (free memory went
	# down over the two minutes), which is what the state rows rightly say
	for k in extfrag_per_s claim_per_s bad_per_s to_unmovable_per_s compaction_per_s \
		compaction_success_pct extfrag_order_0_per_s; do
		echo "$k: $(verdict $k)"
		[ "$(verdict $k)" = "≈ (within noise)" ]
	done
	# sixths, odd against even, as repeated runs: every row within noise
	python3 "$DATA/split-run.py" "$DATA/real-steady120.json.gz" 6 "$OUT/s"
	run "$PLOT" "$OUT/s1.json,$OUT/s3.json,$OUT/s5.json" --compare "$OUT/s2.json,$OUT/s4.json,$OUT/s6.json" \
		--labels odd even --summary
	[ "$status" -eq 0 ]
	[[ "$output" == *"comparison: B = even vs A = odd"* ]]
	[[ "$output" == *"A: 3 runs, the spread between them (runs as the units)"* ]]
	verdicts >"$OUT/v"
	cat "$OUT/v"
	! grep -qvE '^(≈ \(within noise\)|none in either run|n/a \(too few to be a rate\)|one run: needs repeats|nothing to measure)$' "$OUT/v"
}

@test "plot: calibration: 40 same-process pairs of each family (fixed seeds): a verdict in at most 15%" {
	# bench/calibrate: Poisson, bursts, rate regimes, autocorrelated state,
	# 300 s against 600 s, 3 runs per side (docs/plot.md, "Calibration"); the
	# full table (400 pairs, power) is make calibrate
	run "$FM_TOP/build/bench/calibrate/calibrate" --pairs 40 --power-pairs 0 --lean --max-fpr 0.15
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^| [a-z0-9-]* | ' <<<"$output")" -eq 12 ]
	[[ "$output" == *"| bursty-3runs | "* ]]
}

@test "plot: comparisons: durations that differ by more than 10% are warned about; outputs reproducible" {
	# 6 s against 10 s
	FRAGMON_PLOT_LAYOUT=1 run "$PLOT" "$DATA/small-agent.json" --compare "$DATA/small-legacy.json" \
		--summary --json "$OUT/m.json" -o "$OUT/ab.png"
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning: durations differ by 67% (A 6.0 s, B 10.0 s): rates per second are compared, never raw counts"* ]]
	python3 -c 'import json,sys; w=json.load(open(sys.argv[1]))["comparisons"][0]["warnings"]; assert "durations differ by 67%" in w[0], w' "$OUT/m.json"
	# the warning band in the comparison table
	# shellcheck disable=SC2046
	[ "$("$PROBE" "$OUT/ab.png" rgb fff3cd $(printf '%s\n' "$output" | sed -n 's/^layout: table //p'))" != 0.0000 ]
	# the same input, the same numbers (a fixed seed): twice
	"$PLOT" "$DATA/real-light90.json.gz" --compare "$DATA/real-heavy90.json.gz" --summary >"$OUT/s1"
	"$PLOT" "$DATA/real-light90.json.gz" --compare "$DATA/real-heavy90.json.gz" --summary >"$OUT/s2"
	cmp "$OUT/s1" "$OUT/s2"
	# N-way: the overview's header says so too
	"$PLOT" --multi "$DATA/small-agent.json" "$DATA/small-legacy.json" -o "$OUT/all.png"
	[ "$("$PROBE" "$OUT/all.png" rgb fff3cd 0 0 2400 300)" != 0.0000 ]
	# equal durations: no warning
	"$GEN" -n 2000 -d 100 -s 1 -o "$OUT/a.json"
	"$GEN" -n 2000 -d 105 -s 2 -o "$OUT/b.json"
	run "$PLOT" "$OUT/a.json" --compare "$OUT/b.json" --summary
	[[ "$output" != *"durations differ"* ]]
	"$PLOT" --multi "$OUT/a.json" "$OUT/b.json" -o "$OUT/ab.png"
	[ "$("$PROBE" "$OUT/ab.png" rgb fff3cd 0 0 2400 300)" = 0.0000 ]
}

@test "plot: N-way: every run against the first, in --summary, --json and the image" {
	for i in 1 2 3; do "$GEN" -n $((i * 10000)) -d 200 -S -s $i -o "$OUT/r$i.json"; done
	run "$PLOT" --multi "$OUT/r1.json" "$OUT/r2.json" "$OUT/r3.json" --summary --json "$OUT/m.json" -o "$OUT/all.png"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep -c '^comparison: ')" -eq 2 ]
	[[ "$output" == *"comparison: B = r2 vs A = r1"* ]]
	[[ "$output" == *"comparison: B = r3 vs A = r1"* ]]
	python3 - "$OUT/m.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["runs"]) == 3 and len(d["comparisons"]) == 2
assert [c["b"] for c in d["comparisons"]] == ["r2", "r3"]
assert all(c["metrics"]["extfrag_per_s"]["verdict"] == "worse" for c in d["comparisons"])
PY
	[ -s "$OUT/all.png" ]
}

@test "plot: events outside the run's time span are counted, warned about, never stretch the axis" {
	python3 - "$OUT" "$DATA/small-legacy.json" "$DATA/small-agent.json" <<'PY'
import json, sys
out, legacy, agent = sys.argv[1:]
d = json.load(open(legacy))
stray = dict(d["events"][0], timestamp=1763770000.5)
d["events"].insert(1, stray)
json.dump(d, open(out + "/legacy-stray.json", "w"))
a = json.load(open(agent))
a["events"].insert(3, dict(a["events"][1], timestamp=1763770000.5))
a["events"].insert(5, dict(a["events"][1], timestamp=-50.0))
json.dump(a, open(out + "/agent-stray.json", "w"))
PY
	# legacy (metadata first, 10 s) and agent files (metadata last, 6 s)
	for f in legacy-stray:10:1 agent-stray:6:2; do
		IFS=: read -r name dur n <<<"$f"
		FRAGMON_PLOT_LAYOUT=1 run "$PLOT" "$OUT/$name.json" --summary -o "$OUT/$name.png"
		[ "$status" -eq 0 ]
		[ "$(sval events_outside_run)" = "$n" ]
		[ "$(sval duration_s)" = "$dur.0" ]
		t1=$(printf '%s\n' "$output" | sed -n 's/^layout: t1 //p')
		echo "$name: axis to $t1 s"
		awk -v t="$t1" -v d="$dur" 'BEGIN { exit !(t >= d && t <= 2 * d) }'
	done
	# the stray events are not counted as events of the run
	run "$PLOT" "$OUT/legacy-stray.json" --summary
	[ "$(sval extfrag)" = "$("$PLOT" "$DATA/small-legacy.json" --summary | sed -n 's/^extfrag: //p')" ]
	# stderr and the image say so
	run "$PLOT" "$OUT/agent-stray.json" -o "$OUT/x.png"
	[ "$("$PROBE" "$OUT/x.png" rgb fdecea 0 0 2400 250)" != 0.0000 ]
	# a killed agent's file (no metadata, so no end known): the strays are still left out
	sed 's/, "statistics".*//' "$OUT/agent-stray.json" >"$OUT/stray.json.partial"
	FRAGMON_PLOT_LAYOUT=1 run "$PLOT" "$OUT/stray.json.partial" --summary -o "$OUT/p.png"
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning: truncated"* ]]
	[ "$(sval events_outside_run)" = 2 ]
	[ "$(printf '%s\n' "$output" | sed -n 's/^layout: t1 //p')" -le 10 ]
}

@test "plot: events a run could not capture are n/a, never zero (rejected tracepoint, no BPF)" {
	python3 - "$DATA/small-agent.json" "$OUT" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))
b = dict(a, run=dict(a["run"], bpf_error="not root: BPF needs CAP_BPF"))
b["events"] = [e for e in a["events"] if e["event_type"] == "snapshot"]
json.dump(b, open(sys.argv[2] + "/nobpf.json", "w"))
c = dict(a, metadata=dict(a["metadata"], tracepoints={
    "kmem:mm_page_alloc_extfrag": "rejected: R3 min value is negative",
    "compaction:mm_compaction_end": "attached", "migrate:mm_migrate_pages": "missing"}))
c["events"] = [e for e in a["events"] if e["event_type"] not in ("extfrag", "migrate")]
json.dump(c, open(sys.argv[2] + "/rejected.json", "w"))
PY
	run "$PLOT" "$OUT/nobpf.json" --summary -o "$OUT/n.png"
	[ "$status" -eq 0 ]
	[ -z "$(sval extfrag_per_s)" ] && [ -z "$(sval compaction_per_s)" ] && [ -z "$(sval pages_migrated)" ]
	# what the snapshots say is still there
	[ "$(sval unusable_high_order_mean)" = 0.695 ]
	[ "$("$PROBE" "$OUT/n.png" rgb fdecea 0 0 2400 250)" != 0.0000 ]
	run "$PLOT" "$OUT/rejected.json" --summary
	[ -z "$(sval extfrag_per_s)" ] && [ -z "$(sval pages_migrated_per_s)" ]
	[ "$(sval compaction_per_s)" = 1.00 ]
	# against a run that did capture them: n/a, no verdict
	run "$PLOT" "$DATA/small-agent.json" --compare "$OUT/rejected.json" --summary
	[ "$(printf '%s\n' "$output" | awk '$1 == "extfrag_per_s" { print $3 }')" = n/a ]
}

@test "plot: time axes in seconds, minutes, hours or days; one number format per axis" {
	for spec in 30:s:"0.0 2.5 5.0" 135:s:"0 10 20" 7200:min:"0 10 20" 30000:h:"0 1 2" 604800:d:"0 1 2"; do
		IFS=: read -r d unit first <<<"$spec"
		"$GEN" -n 500 -d "$d" -i $((d / 100 + 1)) -o "$OUT/g.json"
		FRAGMON_PLOT_LAYOUT=1 "$PLOT" "$OUT/g.json" -o "$OUT/g.png" 2>"$OUT/layout"
		x=$(sed -n 's/^layout: xticks //p' "$OUT/layout" | head -n 1)
		echo "$d s: $x"
		[[ "$x" == "$first "* ]]
		[[ "$x" == *" $unit" ]]
		# ticks up to the end of the run, not to 10^9 s
		awk -v t="$(sed -n 's/^layout: t1 //p' "$OUT/layout")" -v d="$d" 'BEGIN { exit !(t >= d && t < 1.3 * d) }'
		# every axis: all its labels with the same number of decimals and the same suffix
		sed -n 's/^layout: [xy]ticks //p' "$OUT/layout" | while read -r line; do
			echo "$line" | tr ' ' '\n' | grep -E '^-?[0-9]' |
				sed -E 's/^-?[0-9]+//; s/^\.([0-9]*).*/\1/' | awk '{ print length($0) }' | sort -u | wc -l |
				grep -qx 1 || { echo "mixed formats: $line"; exit 1; }
		done
	done
}

@test "plot: plentiful memory: a one-line note instead of an all-green index panel" {
	# the hand-built file has a snapshot without a free block: a panel
	FRAGMON_PLOT_LAYOUT=1 run "$PLOT" "$DATA/small-agent.json" -o "$OUT/a.png"
	[[ "$output" != *"layout: note plentiful"* ]]
	# every index -1000: the note
	python3 - "$DATA/small-agent.json" "$OUT/plenty.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for e in d["events"]:
    for z in e.get("zones", []):
        z["fragmentation_index"] = [-1000] * len(z["fragmentation_index"])
json.dump(d, open(sys.argv[2], "w"))
PY
	FRAGMON_PLOT_LAYOUT=1 run "$PLOT" "$OUT/plenty.json" -o "$OUT/p.png" --summary
	[[ "$output" == *"layout: note plentiful"* ]]
	[ "$(sval free_block_high_order_pct)" = 100.0 ]
	# no index is averaged: none was >= 0
	[ -z "$(sval frag_index_high_order_mean)" ]
}

@test "plot: compaction lanes carry their counts; the heatmap's colour means how many, not how bad" {
	[ -r "$LEGACY/legacy-load.json" ] || skip "no $LEGACY/legacy-load.json (set FRAGMON_LEGACY_DIR)"
	FRAGMON_PLOT_LAYOUT=1 run "$PLOT" "$LEGACY/legacy-load.json" -o "$OUT/l.png"
	[ "$status" -eq 0 ]
	want=$(python3 -c '
import json, sys
ev = json.load(open(sys.argv[1]))["events"]
for o in (9, 4):
    s = sum(1 for e in ev if e["event_type"] == "compaction_success" and e["order"] == o)
    f = sum(1 for e in ev if e["event_type"] == "compaction_failure" and e["order"] == o)
    # a share of fewer than 10 runs is not a rate: counts only
    print("order %d: %d failed of %d" % (o, f, s + f) + (" (%.1f%% ok)" % (100.0 * s / (s + f)) if s + f >= 10 else ""))' "$LEGACY/legacy-load.json")
	got=$(printf '%s\n' "$output" | sed -n 's/^layout: lane //p')
	echo "want: $want"
	echo "got:  $got"
	[ "$got" = "$want" ]
	# the old heatmap red is gone from the heatmap
	# shellcheck disable=SC2046
	[ "$("$PROBE" "$OUT/l.png" rgb f44336 $(printf '%s\n' "$output" | sed -n 's/^layout: heatmap //p'))" = 0.0000 ]
}

@test "plot: --json writes the same metrics as --summary, atomically" {
	run "$PLOT" "$DATA/small-agent.json" --json "$OUT/m.json" --summary
	[ "$status" -eq 0 ]
	steal=$(sval extfrag_steal)
	[ "$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]; print(r["metrics"]["extfrag_steal"], r["metrics"]["compaction_success_pct"], r["metrics"]["extfrag_per_s"], r["compaction_by_order"]["9"]["failure"], r["truncated"], r["no_interval"]["compaction_success_pct"])' "$OUT/m.json")" = "$steal None 0.833333 2 False n/a (3 of 6: too few to be a rate)" ]
	[ "$(ls "$OUT")" = m.json ]
	# no number printed with more than 6 significant digits
	! grep -E '[0-9]\.[0-9]{7,}' "$OUT/m.json"
}

@test "plot: --results-dir pairs X with X-dev and writes an overview" {
	mkdir -p "$OUT/res/xfs-4k" "$OUT/res/xfs-4k-dev" "$OUT/res/xfs-32k" "$OUT/res/notes"
	gzip -c "$DATA/small-agent.json" >"$OUT/res/xfs-4k/fragmentation_data.json.gz"
	head -n 14 "$DATA/small-agent.json" >"$OUT/res/xfs-4k-dev/fragmentation_data.json.partial"
	cp "$DATA/small-legacy.json" "$OUT/res/xfs-32k/fragmentation_data.json"
	run "$PLOT" --results-dir "$OUT/res" -o "$OUT/png"
	[ "$status" -eq 0 ]
	for f in xfs-4k xfs-4k-dev xfs-32k xfs-4k-vs-xfs-4k-dev comparison_xfs-4k_vs_xfs-32k overview; do
		[ -s "$OUT/png/$f.png" ]
	done
	[ "$(ls "$OUT/png" | wc -l)" -eq 6 ]
	[[ "$output" == *"xfs-4k-dev/fragmentation_data.json.partial: warning: truncated"* ]]
	# as the Ansible role calls it: the PNGs next to the host directories, twice
	run "$PLOT" --results-dir "$OUT/res" -o "$OUT/res"
	[ "$status" -eq 0 ]
	run "$PLOT" --results-dir "$OUT/res" -o "$OUT/res"
	[ "$status" -eq 0 ]
	[ "$(ls "$OUT/res"/*.png | wc -l)" -eq 6 ]
	# a host with a broken file: the others are still plotted, the exit status says so
	cp "$DATA/malformed.json" "$OUT/res/xfs-32k/fragmentation_data.json"
	rm -rf "$OUT/png"
	run "$PLOT" --results-dir "$OUT/res" -o "$OUT/png"
	[ "$status" -eq 2 ]
	[[ "$output" == *"xfs-32k/fragmentation_data.json: byte 90"* ]]
	[ -s "$OUT/png/xfs-4k-vs-xfs-4k-dev.png" ]
	[ -s "$OUT/png/overview.png" ]
	[ ! -e "$OUT/png/xfs-32k.png" ]
}

@test "plot: --results-dir: 26 hosts in natural order, every pair, the overview in pages with the baseline" {
	for i in $(seq 1 12); do
		for s in "" -dev; do
			mkdir -p "$OUT/res/h$i$s"
			cp "$DATA/small-agent.json" "$OUT/res/h$i$s/fragmentation_data.json"
		done
	done
	# a baseline with its pair sorting apart from it, and a lone host
	mkdir -p "$OUT/res/a" "$OUT/res/a-dev" "$OUT/res/interim"
	cp "$DATA/small-legacy.json" "$OUT/res/a/fragmentation_data.json"
	cp "$DATA/small-legacy.json" "$OUT/res/a-dev/fragmentation_data.json"
	run "$PLOT" --results-dir "$OUT/res" -o "$OUT/png"
	[ "$status" -eq 0 ]
	[[ "$output" == *"note: 26 hosts: the overview is 2 images of at most 16 hosts, each starting with the baseline a"* ]]
	# natural order: h2 before h10
	printf '%s\n' "$output" | grep -E '/h[0-9]+\.png$' | sed 's|.*/||' >"$OUT/order"
	[ "$(head -n 3 "$OUT/order" | tr '\n' ' ')" = "h1.png h2.png h3.png " ]
	[ "$(tail -n 1 "$OUT/order")" = h12.png ]
	for i in $(seq 1 12); do
		[ -s "$OUT/png/h$i.png" ] && [ -s "$OUT/png/h$i-dev.png" ] && [ -s "$OUT/png/h$i-vs-h$i-dev.png" ]
	done
	[ -s "$OUT/png/a-vs-a-dev.png" ]
	[ -s "$OUT/png/overview-1.png" ] && [ -s "$OUT/png/overview-2.png" ]
	[ ! -e "$OUT/png/overview.png" ]
	# 26 hosts + 13 pairs + 24 against the baseline a (a-dev) + 2 overview pages
	[ -s "$OUT/png/comparison_a_vs_h12.png" ] && [ -s "$OUT/png/comparison_a-dev_vs_h12-dev.png" ]
	[ "$(ls "$OUT/png" | wc -l)" -eq 65 ]
	# the summary of each page starts with the baseline; every host is in one
	run "$PLOT" --results-dir "$OUT/res" -o "$OUT/png" --summary
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep -c '^== a (')" -eq 2 ]
	for i in $(seq 1 12); do
		[ "$(printf '%s\n' "$output" | grep -c "^== h$i (")" -eq 1 ]
	done
	# -o must be a directory
	run "$PLOT" --results-dir "$OUT/res" -o -
	[ "$status" -eq 2 ]
	touch "$OUT/file"
	run "$PLOT" --results-dir "$OUT/res" -o "$OUT/file"
	[ "$status" -eq 2 ]
}

@test "plot: long labels are kept: shortened in the middle where space is short, in full in the header" {
	long=xfs-reflink-4k-blocksize-with-a-long-name-baseline
	longb=xfs-reflink-4k-blocksize-with-a-long-name-development
	FRAGMON_PLOT_LAYOUT=1 run "$PLOT" "$DATA/small-agent.json" --compare "$DATA/small-legacy.json" \
		--labels "$long" "$longb" -o "$OUT/ab.png"
	[ "$status" -eq 0 ]
	# distinct short names, not A/B: the common start dropped
	[ "$(printf '%s\n' "$output" | sed -n 's/^layout: tag A //p')" = "...baseline" ]
	[ "$(printf '%s\n' "$output" | sed -n 's/^layout: tag B //p')" = "...development" ]
	run "$PLOT" "$DATA/small-agent.json" --compare "$DATA/small-legacy.json" --labels "$long" "$longb" --summary
	[[ "$output" == *"== $long ("* ]]
	[[ "$output" == *"== $longb ("* ]]
	# no common start: both ends kept
	FRAGMON_PLOT_LAYOUT=1 run "$PLOT" "$DATA/small-agent.json" --compare "$DATA/small-legacy.json" \
		--labels "$long" "other-$longb" -o "$OUT/ab.png"
	[ "$(printf '%s\n' "$output" | sed -n 's/^layout: tag A //p')" = "xfs-reflink...e-baseline" ]
	[ "$(printf '%s\n' "$output" | sed -n 's/^layout: tag B //p')" = "other-xfs-r...evelopment" ]
}

@test "plot: URL input: success, 404, oversize, malformed, TLS failure, timeout, refused connection" {
	cp "$DATA/small-agent.json" "$DATA/malformed.json" "$OUT/"
	start_http "$OUT"
	base="http://127.0.0.1:$HTTP_PORT"
	run "$PLOT" "$base/small-agent.json" --summary -o "$OUT/u.png"
	[ "$status" -eq 0 ]
	[ "$(sval extfrag_steal)" = 3 ]
	[ "$(sval free_block_high_order_pct)" = 50.0 ]
	[ -s "$OUT/u.png" ]
	run "$PLOT" "$base/missing.json" -o "$OUT/404.png"
	[ "$status" -eq 1 ]
	[[ "$output" == *"missing.json: cannot fetch: HTTP 404"* ]]
	[ ! -e "$OUT/404.png" ]
	run "$PLOT" "$base/small-agent.json" --max-size 0.001 -o "$OUT/big.png"
	[ "$status" -eq 1 ]
	[[ "$output" == *"size limit"* ]]
	[ ! -e "$OUT/big.png" ]
	run "$PLOT" "$base/malformed.json" -o "$OUT/bad.png"
	[ "$status" -eq 2 ]
	[[ "$output" == *"byte 90 (line 3, column 46)"* ]]
	# https to a plain HTTP server: the TLS handshake fails
	run "$PLOT" "https://127.0.0.1:$HTTP_PORT/small-agent.json" -o "$OUT/tls.png"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot fetch: TLS failure"* ]]
	[ ! -e "$OUT/tls.png" ]
	# a server that accepts and never answers: the total timeout ends it
	python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4)
print(s.getsockname()[1], flush=True); time.sleep(30)' >"$OUT/mute.port" 2>/dev/null </dev/null 3>&- &
	MUTE_PID=$!
	for _ in $(seq 50); do [ -s "$OUT/mute.port" ] && break; sleep 0.1; done
	start=$SECONDS
	run "$PLOT" "http://127.0.0.1:$(cat "$OUT/mute.port")/x.json" --timeout 1 -o "$OUT/mute.png"
	kill "$MUTE_PID" 2>/dev/null || true
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot fetch: timed out"* ]]
	[ $((SECONDS - start)) -lt 10 ]
	[ ! -e "$OUT/mute.png" ]
	port=$(free_port)
	run "$PLOT" "http://127.0.0.1:$port/x.json" -o "$OUT/refused.png"
	[ "$status" -eq 1 ]
	[[ "$output" == *"connection refused"* ]]
	[ ! -e "$OUT/refused.png" ]
}

@test "plot: falls back to libgd's built-in fonts when no TrueType font is found" {
	FRAGMON_FONT=builtin FRAGMON_PLOT_LAYOUT=1 "$PLOT" "$DATA/small-agent.json" -o "$OUT/b.png" 2>"$OUT/layout"
	[ "$("$PROBE" "$OUT/b.png" | cut -d' ' -f1)" -eq 2400 ]
	c=$(colour_in "$OUT/b.png" "$OUT/layout" heatmap)
	awk -v c="$c" 'BEGIN { exit !(c > 0.0002) }'
	# shellcheck disable=SC2046
	ink=$("$PROBE" "$OUT/b.png" ink $(panel "$OUT/layout" table))
	awk -v c="$ink" 'BEGIN { exit !(c > 0.003) }'
}

@test "plot: memory does not grow with the number of events" {
	[ -x /usr/bin/time ] || skip "no /usr/bin/time (GNU time) to measure peak RSS"
	"$GEN" -n 10000 -d 120 -o "$OUT/small.json"
	"$GEN" -n 400000 -d 120 -o "$OUT/big.json"
	# (under ASan, with no quarantine: it keeps every freed block, and the number
	# of labels drawn, so of text buffers freed, depends on the data)
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=0" \
		/usr/bin/time -f %M -o "$OUT/rss1" "$PLOT" "$OUT/small.json" -o "$OUT/s.png"
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=0" \
		/usr/bin/time -f %M -o "$OUT/rss2" "$PLOT" "$OUT/big.json" -o "$OUT/b.png"
	r1=$(tail -n 1 "$OUT/rss1")
	r2=$(tail -n 1 "$OUT/rss2")
	echo "RSS 10k events: $r1 KB, 400k events: $r2 KB"
	# the 64 MB budget holds for the normal build; sanitizers add their own shadow memory
	[ -n "${FRAGMON_SANITIZED:-}" ] || ldd "$PLOT" | grep -q 'libasan' || [ "$r2" -lt 65536 ]
	[ $((r2 - r1)) -lt 8192 ]
}

@test "plot: every prefix of a valid file reads as truncated, never as an error or a crash" {
	f=$DATA/small-agent.json
	size=$(stat -c %s "$f")
	# (0 bytes is no run at all: the empty-input test)
	for ((n = 1; n < size - 1; n += 41)); do
		head -c "$n" "$f" >"$OUT/p.json"
		run "$PLOT" "$OUT/p.json" --summary
		if [ "$status" -ne 0 ] || [[ "$output" != *"warning: truncated at byte $n "* ]]; then
			echo "prefix of $n bytes: status $status: $output"
			false
		fi
	done
	# and drawn: a cut inside a snapshot's zones
	head -c 900 "$f" >"$OUT/p.json"
	run "$PLOT" "$OUT/p.json" -o "$OUT/p.png"
	[ "$status" -eq 0 ]
	[ -s "$OUT/p.png" ]
}

@test "plot: corrupted bytes give exit 0 or 2 with a position, never a crash" {
	f=$DATA/small-agent.json
	size=$(stat -c %s "$f")
	for ((n = 7; n < size; n += 53)); do
		{ head -c "$n" "$f"; printf '}'; tail -c +$((n + 2)) "$f"; } >"$OUT/c.json"
		run "$PLOT" "$OUT/c.json" --json "$OUT/c.out"
		case $status in
		0) [ -s "$OUT/c.out" ] ;;
		2) [[ "$output" == *"c.json: byte "*"(line "* ]] && [ ! -e "$OUT/c.out" ] ;;
		*) echo "byte $n: status $status: $output"; false ;;
		esac
		rm -f "$OUT/c.out"
	done
}

@test "plot: a real fragmon-agent capture: every count equals an independent count of the file" {
	agent=$FM_TOP/fragmon-agent
	[ "$(id -u)" -eq 0 ] || skip "needs root to run fragmon-agent"
	[ -x "$agent" ] || skip "fragmon-agent not built (make agent)"
	[ -r /sys/kernel/btf/vmlinux ] || skip "kernel has no BTF"
	timeout 60 "$agent" -d 4 -i 250 -m full -q -o "$OUT/cap" -p "$OUT/cap.pid" </dev/null &
	apid=$!
	# some compaction and migration to count, when the test workload is built
	sleep 1
	load=$FM_TOP/build/tests/fragload
	[ -x "$load" ] && timeout 20 "$load" compact >/dev/null 2>&1 || true
	wait "$apid" || skip "fragmon-agent cannot run here (status $?)"
	f=$OUT/cap/fragmentation_data.json
	[ -s "$f" ]
	run "$PLOT" "$f" --summary -o "$OUT/cap.png"
	[ "$status" -eq 0 ]
	[ "$(sval format)" = fragmon ]
	[ "$(sval complete)" = yes ]
	want=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
ev = d["events"]
n = lambda t: sum(1 for e in ev if e["event_type"] == t)
snaps = sorted((e for e in ev if e["event_type"] == "snapshot"), key=lambda e: e["timestamp"])
vm = lambda k: snaps[-1]["vmstat"].get(k, 0) - snaps[0]["vmstat"].get(k, 0)
ef = [e for e in ev if e["event_type"] == "extfrag"]
print(len(ev), n("extfrag"), sum(1 for e in ef if e["is_steal"]), n("compaction_success"),
      n("compaction_failure"), len(snaps), vm("compact_stall"),
      sum(e["succeeded"] for e in ev if e["event_type"] == "migrate"))' "$f")
	# pages_migrated is absent when the capture saw no migration
	pm=$(sval pages_migrated)
	got="$(sval events) $(sval extfrag) $(sval extfrag_steal) $(sval compaction_success) $(sval compaction_failure) $(sval snapshots) $(sval vmstat_compact_stall) ${pm:-0}"
	echo "want $want got $got"
	[ "$want" = "$got" ]
	[ "$("$PROBE" "$OUT/cap.png" | cut -d' ' -f1)" -eq 2400 ]
}
