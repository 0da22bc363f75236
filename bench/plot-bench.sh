#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# fragmon-plot benchmark: generate agent-format files of N events (with
# snapshots), then time the full single-run dashboard (wall, peak RSS) and
# the JSON ingest alone (--summary: read + aggregate, no image).
#   bench/plot-bench.sh [N ...]       default: 500000 5000000
# BENCH_DIR (default /tmp/fragmon-plot-bench) keeps the generated files.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
GEN=$BUILD/plot/gen-events
PLOT=./fragmon-plot
DIR=${BENCH_DIR:-/tmp/fragmon-plot-bench}
[ -x "$GEN" ] && [ -x "$PLOT" ] || make -s plot "$GEN"
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time)" >&2; exit 1; }
mkdir -p "$DIR"
[ $# -gt 0 ] || set -- 500000 5000000

best() { # command...: best of 3 runs, prints "wall_s rss_kb"
	local i out best_w="" best_r=""
	for i in 1 2 3; do
		/usr/bin/time -f '%e %M' -o "$DIR/time" "$@" >/dev/null
		read -r w r <"$DIR/time"
		if [ -z "$best_w" ] || awk -v a="$w" -v b="$best_w" 'BEGIN { exit !(a < b) }'; then
			best_w=$w
		fi
		[ -z "$best_r" ] || [ "$r" -gt "$best_r" ] && best_r=$r
	done
	echo "$best_w $best_r"
}

printf '%-10s %9s %12s %10s %12s %10s\n' events "file MB" "dashboard s" "peak MB" "ingest s" "ingest MB/s"
for n in "$@"; do
	f=$DIR/events-$n.json
	[ -s "$f" ] || "$GEN" -n "$n" -d 600 -o "$f"
	mb=$(awk -v b="$(stat -c %s "$f")" 'BEGIN { printf "%.1f", b / 1e6 }')
	cat "$f" >/dev/null # page cache: measure fragmon-plot, not the disk
	read -r dw dr < <(best "$PLOT" "$f" -o "$DIR/out-$n.png")
	read -r iw _ < <(best "$PLOT" "$f" --summary)
	printf '%-10s %9s %12s %10s %12s %10s\n' "$n" "$mb" "$dw" "$(awk -v r="$dr" 'BEGIN { printf "%.1f", r / 1024 }')" \
		"$iw" "$(awk -v m="$mb" -v t="$iw" 'BEGIN { printf "%.0f", (t > 0 ? m / t : 0) }')"
done
echo "machine: $(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)"
