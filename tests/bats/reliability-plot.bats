#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# fragmon-plot against hostile input: generated files, a 2 GB sparse
# file, a gzip bomb, hostile HTTP servers on 127.0.0.1.  Every input must end
# in exit 2 with a message naming it, or in a valid PNG (exit 0); never a
# crash, a hang, or an unbounded allocation.  FRAGMON_PLOT selects the binary.

FM_TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
PLOT=${FRAGMON_PLOT:-$FM_TOP/fragmon-plot}
HOSTILE=$FM_TOP/tests/data/hostile
# peak RSS allowed per run (sanitizers add shadow memory and quarantine)
MAX_RSS_KB=$((${FRAGMON_SANITIZED:+4 *} 256 * 1024))

setup() {
	[ -x "$PLOT" ] || skip "fragmon-plot not built"
	OUT=$(mktemp -d /tmp/fragmon-rel-plot.XXXXXX)
}

teardown() {
	if [ -n "${HTTP_PID:-}" ]; then
		kill "$HTTP_PID" 2>/dev/null || true
		wait "$HTTP_PID" 2>/dev/null || true
	fi
	rm -rf "$OUT"
}

is_known() { # name
	grep -q "^$1:" "$HOSTILE/known-plot-bugs.txt"
}

# plot_one FILE EXPECT: run the plotter under a time limit, measure its peak
# RSS, check the outcome; prints one line; returns 1 on a violation
plot_one() {
	local f=$1 expect=$2 name rc rss png=$OUT/out.png extra=
	name=$(basename "$f")
	rm -f "$png"
	is_known "$name" && extra=:allocator_may_return_null=1
	rc=0
	ASAN_OPTIONS="${ASAN_OPTIONS:-}$extra" /usr/bin/time -o "$OUT/time" -f '%M %e' \
		timeout 60 "$PLOT" "$f" -o "$png" > /dev/null 2> "$OUT/err" || rc=$?
	read -r rss secs < <(tail -n 1 "$OUT/time") || true
	local msg
	msg=$(grep -v '^Command exited' "$OUT/err" | head -c 160 | tr '\n' ' ')
	echo "$name expect=$expect exit=$rc rss=${rss}KB ${secs}s: $msg"
	if is_known "$name"; then
		echo "  (known plotter bug, reported: see tests/data/hostile/known-plot-bugs.txt)"
		[ "$rc" -ne 124 ] && [ "$rss" -lt "$MAX_RSS_KB" ]
		return
	fi
	[ "$rc" -ne 124 ] || { echo "  TIMEOUT"; return 1; }
	[ "$rss" -lt "$MAX_RSS_KB" ] || { echo "  RSS above $MAX_RSS_KB KB"; return 1; }
	! grep -qE 'Sanitizer|runtime error:' "$OUT/err" || { echo "  SANITIZER"; return 1; }
	case "$rc" in
	0)
		[ "$expect" != bad ] || { echo "  accepted a bad input"; return 1; }
		file "$png" | grep -q 'PNG image data' || { echo "  exit 0 but no PNG"; return 1; }
		if [ "$expect" = nojson ]; then
			grep -q ' 0 events read' "$OUT/err" || { echo "  no warning"; return 1; }
		fi
		;;
	2)
		[ "$expect" != ok ] || { echo "  refused a valid input"; return 1; }
		grep -qF "$f" "$OUT/err" || { echo "  message does not name the input"; return 1; }
		[ ! -e "$png" ] || { echo "  PNG left after an error"; return 1; }
		;;
	*)
		echo "  exit $rc: neither 0 nor 2"
		return 1
		;;
	esac
}

@test "reliability: hostile files (numbers, strings, nesting, types, duplicates, shapes): exit 0 or 2, never a crash" {
	mkdir "$OUT/in"
	python3 "$HOSTILE/make-hostile.py" "$OUT/in" > "$OUT/list"
	bad=0 n=0
	while read -r name expect; do
		n=$((n + 1))
		plot_one "$OUT/in/$name" "$expect" || bad=$((bad + 1))
	done < "$OUT/list"
	# the reproducers kept in the repo
	for f in "$HOSTILE"/*.json; do
		n=$((n + 1))
		plot_one "$f" any || bad=$((bad + 1))
	done
	echo "hostile inputs tried: $n, violations: $bad"
	[ "$n" -ge 50 ]
	[ "$bad" -eq 0 ]
}

@test "reliability: a 2 GB sparse file (bare, and after a valid prefix) is handled in bounded time and memory" {
	truncate -s 2G "$OUT/sparse.json"
	plot_one "$OUT/sparse.json" nojson
	printf '{"run": {"format": "fragmon", "format_version": 1}, "events": [\n' > "$OUT/prefix.json"
	truncate -s 2G "$OUT/prefix.json"
	plot_one "$OUT/prefix.json" any
	# NUL bytes are not JSON: the reader stops at the first one, it does not read 2 GB
	read -r _ secs < <(tail -n 1 "$OUT/time")
	awk -v s="$secs" 'BEGIN { exit !(s < 20) }'
	rm -f "$OUT/sparse.json" "$OUT/prefix.json"
}

@test "reliability: a gzip bomb file (256 MiB of JSON whitespace, then NULs) streams in bounded memory" {
	python3 -c 'import gzip,sys
with gzip.open(sys.argv[1], "wb", compresslevel=6) as z:
    z.write(b"{\"events\": [")
    for _ in range(256):
        z.write(b" " * (1 << 20))
    z.write(b"\0" * (1 << 20))' "$OUT/bomb.json.gz"
	[ "$(stat -c %s "$OUT/bomb.json.gz")" -lt 1000000 ]
	plot_one "$OUT/bomb.json.gz" nojson
	# all of it was inflated and parsed (the NULs come last), in bounded memory
	grep -q 'at byte 268435468 ' "$OUT/err"
}

start_hostile_http() {
	python3 "$HOSTILE/hostile-http.py" "$OUT/port" "$HOSTILE/../plot/small-agent.json" \
		> "$OUT/http.log" 2>&1 < /dev/null 3>&- &
	HTTP_PID=$!
	for _ in $(seq 100); do
		[ -s "$OUT/port" ] && { PORT=$(cat "$OUT/port"); return 0; }
		sleep 0.1
	done
	cat "$OUT/http.log" >&2
	return 1
}

# url_case PATH: must fail (exit 1 or 2) with WANT in the message within LIMIT seconds
url_case() { # path want limit
	local rc=0 t0 t1
	t0=$(date +%s.%N)
	timeout 60 "$PLOT" "http://127.0.0.1:$PORT/$1" --max-size 1 --timeout 3 \
		-o "$OUT/u.png" > /dev/null 2> "$OUT/uerr" || rc=$?
	t1=$(date +%s.%N)
	echo "/$1: exit $rc in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s: $(cat "$OUT/uerr")"
	[ "$rc" -eq 1 ] || [ "$rc" -eq 2 ]
	grep -q -- "$2" "$OUT/uerr"
	grep -q "127.0.0.1:$PORT/$1" "$OUT/uerr"
	awk -v a="$t0" -v b="$t1" -v l="$3" 'BEGIN { exit !(b - a < l) }'
	[ ! -e "$OUT/u.png" ]
}

@test "reliability: URL input: oversize bodies, gzip bomb, slow and silent servers, redirect loops, file:// redirect" {
	start_hostile_http
	# the server itself works: a valid run plots
	run "$PLOT" "http://127.0.0.1:$PORT/ok" -o "$OUT/ok.png"
	[ "$status" -eq 0 ]
	file "$OUT/ok.png" | grep -q 'PNG image data'
	url_case oversize-chunked "larger than the size limit" 10
	url_case oversize-length "larger than the size limit" 10
	url_case gzip-bomb "larger than the size limit" 10
	url_case slow "timed out" 10
	url_case hang "timed out" 10
	url_case loop "redirects" 10
	url_case loop-a "redirects" 10
	url_case to-file "not supported" 10
	url_case missing "404" 10
}

@test "reliability: leak check: a plot run (single, A/B, summary) is valgrind-clean (and LSan-clean)" {
	data=$FM_TOP/tests/data/plot
	# the sanitized build, when there is one: LeakSanitizer
	asan=$PLOT
	[ -n "${FRAGMON_SANITIZED:-}" ] || asan=$FM_TOP/build-asan/fragmon-plot
	if [ -x "$asan" ]; then
		mkdir "$OUT/rep"
		ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:log_path=$OUT/rep/asan" \
			"$asan" "$data/small-agent.json" --compare "$data/small-legacy.json" \
			-o "$OUT/lsan.png"
		[ -z "$(ls -A "$OUT/rep")" ] || { cat "$OUT/rep"/*; false; }
	fi
	command -v valgrind > /dev/null || skip "valgrind not installed"
	# valgrind needs the uninstrumented build
	local vplot=$FM_TOP/fragmon-plot
	[ -x "$vplot" ] || skip "fragmon-plot not built"
	ldd "$vplot" | grep -q libasan && skip "fragmon-plot is a sanitizer build"
	for args in "$data/small-agent.json -o $OUT/a.png" \
		"$data/small-agent.json --compare $data/small-legacy.json -o $OUT/ab.png" \
		"--summary $FM_TOP/tests/fuzz/corpus/plot_reader/agent-partial-prefix.json"; do
		# shellcheck disable=SC2086
		run valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
			--errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
			"$vplot" $args
		echo "$args: exit $status"
		echo "$output" | head -40
		[ "$status" -eq 0 ]
	done
}
