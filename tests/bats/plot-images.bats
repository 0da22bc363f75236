#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# fragmon-plot's pictures: texts clear of the data, counts never left off,
# repeated runs drawn as repeated runs (pooled, as the tables), warnings
# summarised, a trend across repeats warned about.  The inputs are the real
# captures of tests/data/plot cut into parts (split-run.py, drift-runs.py);
# FRAGMON_PLOT_LAYOUT=1 says where things were drawn, pngprobe what is there.

FM_TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
PLOT=${FRAGMON_PLOT:-$FM_TOP/fragmon-plot}
DATA=$FM_TOP/tests/data/plot
LEGACY=${FRAGMON_LEGACY_DIR:-$FM_TOP/../shared/data}
PROBE=$FM_TOP/build/plot/pngprobe

setup_file() {
	make -s -C "$FM_TOP" plot plot-test-tools >/dev/null
	export PARTS
	PARTS=$(mktemp -d /tmp/fragmon-plot-images.XXXXXX)
	for r in real-light90 real-heavy90; do
		python3 "$DATA/split-run.py" "$DATA/$r.json.gz" 3 "$PARTS/$r-"
	done
	# six parts of a steady run, one untouched, one whose extfrag rate falls
	# with run order as the runs of one boot were seen to
	python3 "$DATA/drift-runs.py" "$DATA/real-steady120.json.gz" 6 "$PARTS/flat" 1
	python3 "$DATA/drift-runs.py" "$DATA/real-steady120.json.gz" 6 "$PARTS/drift" \
		1,0.6,0.45,0.2,0.1,0.05
}

teardown_file() {
	rm -rf "$PARTS"
}

setup() {
	OUT=$(mktemp -d /tmp/fragmon-plot-test.XXXXXX)
	L=$PARTS/real-light90-1.json,$PARTS/real-light90-2.json,$PARTS/real-light90-3.json
	H=$PARTS/real-heavy90-1.json,$PARTS/real-heavy90-2.json,$PARTS/real-heavy90-3.json
}

teardown() {
	rm -rf "$OUT"
}

lay() { # layout-file key: the rest of the line of "layout: key ..."
	sed -n "s/^layout: $2 //p" "$1"
}

@test "plot images: a clipped spike's count and the fallback shares are above the plot, apart" {
	# real-light90 with a burst of 1210 extfrag events in 0.12 s at 40.2 s
	python3 - "$DATA/real-light90.json.gz" "$OUT/spike.json" <<-'EOF'
		import copy, gzip, json, sys
		d = json.load(gzip.open(sys.argv[1], "rt"))
		ef = [e for e in d["events"] if e["event_type"] == "extfrag"]
		for i in range(1210):
		    e = copy.deepcopy(ef[i % len(ef)])
		    e["timestamp"] = 40.2 + i * 1e-4
		    d["events"].append(e)
		del d["statistics"]
		json.dump(d, open(sys.argv[2], "w"))
	EOF
	FRAGMON_PLOT_LAYOUT=1 "$PLOT" "$OUT/spike.json" -o "$OUT/s.png" 2>"$OUT/layout"
	read -r x0 y0 x1 y1 <<<"$(lay "$OUT/layout" extfrag)"
	read -r top strip _ _ clip <<<"$(lay "$OUT/layout" extfrag-text)"
	# panel-relative rows: the shares' line, then the strip of clipped counts
	band=$((y0 - clip))
	[ "$strip" -gt $((top + 40)) ] && [ "$clip" -gt "$strip" ]
	# the shares (grey text) are there and nothing coloured is in their line
	[ "$("$PROBE" "$OUT/s.png" ink "$x0" $((band + top + 40)) "$x1" $((band + strip - 1)))" != 0.0000 ]
	[ "$("$PROBE" "$OUT/s.png" colour "$x0" $((band + top + 40)) "$x1" $((band + strip - 1)))" = 0.0000 ]
	# the spike's count, in the claim colour, is in the strip above the plot
	[ "$("$PROBE" "$OUT/s.png" rgb e67e22 "$x0" $((band + strip)) "$x1" $((band + clip - 7)))" != 0.0000 ]
}

@test "plot images: repeated runs are drawn pooled in the event panels, with the sums of every run" {
	FRAGMON_PLOT_LAYOUT=1 "$PLOT" "$L" --compare "$H" -o "$OUT/ab.png" 2>"$OUT/layout"
	for side in A B; do
		f=$([ $side = A ] && echo real-light90 || echo real-heavy90)
		want=$(python3 -c 'import json,sys; print(sum(1 for p in sys.argv[1:] for e in json.load(open(p))["events"] if e["event_type"] == "extfrag" and not e.get("is_steal")))' \
			"$PARTS/$f-1.json" "$PARTS/$f-2.json" "$PARTS/$f-3.json")
		[ "$(lay "$OUT/layout" extfrag-series | grep "^$side claim")" = "$side claim $want runs 3" ]
	done
	# the fallbacks panel: each side's own count in the subtitle, not the two pooled
	sub=$(lay "$OUT/layout" heatmap-sub)
	[[ "$sub" == *"real-light90-1: 993 fallbacks"*"real-heavy90-1: 2224 fallbacks"* ]]
	# the free memory panel: a line for each of the 6 runs
	[ "$(lay "$OUT/layout" free-memory)" = "lines, runs drawn 6" ]
	# and the band of the runs' spread is drawn: translucent claim colour under the lines
	read -r x0 y0 x1 y1 <<<"$(lay "$OUT/layout" extfrag)"
	[ "$("$PROBE" "$OUT/ab.png" colour "$x0" "$y0" "$x1" "$y1")" != 0.0000 ]
}

@test "plot images: the fallback legend lists the glyph of every row drawn, from one table" {
	FRAGMON_PLOT_LAYOUT=1 "$PLOT" "$DATA/real-heavy90.json.gz" -o /dev/null 2>"$OUT/layout"
	lay "$OUT/layout" heatmap-row >"$OUT/rows"
	grep -q '^UNMOVABLE>RECLAIMABLE +$' "$OUT/rows"
	while read -r _ glyph; do
		lay "$OUT/layout" heatmap-legend | grep -q "^$glyph " || {
			echo "glyph $glyph not in the legend"
			return 1
		}
	done <"$OUT/rows"
	lay "$OUT/layout" heatmap-legend | grep -qx '+ good (from UNMOVABLE, or to MOVABLE)'
}

@test "plot images: 4-digit compaction failure counts are printed on their bars" {
	FRAGMON_PLOT_LAYOUT=1 "$PLOT" "$LEGACY/legacy-load.json" -o /dev/null 2>"$OUT/layout"
	lay "$OUT/layout" bar-label >"$OUT/labels"
	cat "$OUT/labels"
	# every bar with 1000 or more failures carries its count, whole or as 1.5k
	python3 - "$LEGACY/legacy-load.json" "$OUT/labels" <<-'EOF'
		import json, re, sys
		labels = open(sys.argv[2]).read()
		big = [int(n) for n in re.findall(r": (\d+) as ", labels) if int(n) >= 1000]
		assert big, "no bar with 1000 failures or more was labelled:\n" + labels
		for n in big:
		    m = re.search(r": %d as (\S+)" % n, labels).group(1)
		    assert m == str(n) or m == "%.1fk" % (n / 1000), (n, m)
	EOF
}

@test "plot images: an all-zero unusable index says so; the scatter has its dot-size key" {
	FRAGMON_PLOT_LAYOUT=1 "$PLOT" "$DATA/numa-12-zones.json" -o "$OUT/n.png" 2>"$OUT/layout"
	grep -qx 'layout: note unusable all zero' "$OUT/layout"
	FRAGMON_PLOT_LAYOUT=1 "$PLOT" "$DATA/real-heavy90.json.gz" -o "$OUT/h.png" 2>"$OUT/layout2"
	! grep -q 'unusable all zero' "$OUT/layout2"
	# the key's dots (success green) right of the compaction title row, above the plot
	read -r _ y0 x1 _ <<<"$(lay "$OUT/layout2" compaction)"
	[ "$("$PROBE" "$OUT/h.png" colour $((x1 - 140)) $((y0 - 60)) "$x1" $((y0 - 20)))" != 0.0000 ]
}

@test "plot images: --multi: no line drops past a run's end, pooled order bars, share axes fit" {
	FRAGMON_PLOT_LAYOUT=1 "$PLOT" --multi "$L" "$H" -o /dev/null 2>"$OUT/layout"
	# each run's extfrag line ends in the bin that holds its end
	lay "$OUT/layout" "timeline 0" | while read -r tag _ lo hi _ span; do
		echo "$tag $lo $hi $span"
		python3 -c 'import sys; lo, hi, s = map(float, sys.argv[1:]); assert lo < s <= hi' "$lo" "$hi" "$span"
	done
	# the by-order bars pool the repeated runs, as the table: events over seconds of all runs
	want=$(python3 -c 'import json,sys
ev = dur = 0
for p in sys.argv[1:]:
    d = json.load(open(p))
    dur += d["metadata"]["duration"]
    ev += sum(1 for e in d["events"] if e["event_type"] == "extfrag" and e.get("order") == 0)
print("%.6g" % (ev / dur))' "$PARTS/real-light90-1.json" "$PARTS/real-light90-2.json" "$PARTS/real-light90-3.json")
	[ "$(lay "$OUT/layout" order-bar | awk '$1 == "real-light90-1" && $2 == 0 { print $3 }')" = "$want" ]
	# a 0-2% share is not drawn on a 0-100 axis
	read -r _ hi <<<"$(lay "$OUT/layout" "chart good_pct")"
	python3 -c 'import sys; assert float(sys.argv[1]) <= 20, sys.argv[1]' "$hi"
}

@test "plot images: warnings are one line per kind: 12 duration warnings of a 14-run overview are one" {
	runs=("$DATA/real-light90.json.gz")
	for r in real-light90 real-heavy90; do
		for k in 1 2 3; do runs+=("$PARTS/$r-$k.json"); done
	done
	runs+=("$DATA/real-heavy90.json.gz")
	for k in 1 2 3 4 5 6; do runs+=("$PARTS/flat$k.json"); done
	[ ${#runs[@]} -eq 14 ]
	FRAGMON_PLOT_LAYOUT=1 "$PLOT" --multi "${runs[@]}" -o "$OUT/m.png" 2>"$OUT/layout"
	[ "$(lay "$OUT/layout" warnings)" = 1 ]
	# a truncated and a checkpoint run: one line each in the dashboard's header
	head -c 20000 "$PARTS/flat1.json" >"$OUT/t1.json"
	head -c 30000 "$PARTS/flat2.json" >"$OUT/t2.json"
	FRAGMON_PLOT_LAYOUT=1 "$PLOT" "$OUT/t1.json,$OUT/t2.json" --compare "$PARTS/flat3.json" \
		-o /dev/null 2>"$OUT/layout2"
	[ "$(lay "$OUT/layout2" warnings)" = 1 ]
	# on stderr, as each file is read: the same wording
	[ "$(grep -c 'warning: truncated at byte' "$OUT/layout2")" = 2 ]
}

@test "plot images: repeated runs that trend with run order are warned about in the image, --summary, --json" {
	A=$(printf "$PARTS/flat%d.json," 1 2 3 4 5 6)
	B=$(printf "$PARTS/drift%d.json," 1 2 3 4 5 6)
	run "$PLOT" "${A%,}" --compare "${B%,}" --summary --json "$OUT/t.json"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep -c '^warning: .*repeated runs trend')" = 1 ]
	[[ "$output" == *"warning: drift1: repeated runs trend (6 runs by start time: extfrag/s falls, Spearman rho -1.00, permutation p 0.003"* ]]
	[[ "$output" == *"trend: flat1: 6 runs by start time"* ]]
	python3 - "$OUT/t.json" <<-'EOF'
		import json, sys
		t = {x["side"]: x for x in json.load(open(sys.argv[1]))["trends"]}
		assert t["drift1"]["trend"] and abs(t["drift1"]["p"] - 2 / 720) < 1e-4, t
		assert not t["flat1"]["trend"] and t["flat1"]["tested"], t
		r = t["drift1"]["extfrag_per_s"]
		assert len(r) == 6 and r == sorted(r, reverse=True), r
	EOF
	FRAGMON_PLOT_LAYOUT=1 "$PLOT" "${A%,}" --compare "${B%,}" -o "$OUT/t.png" 2>"$OUT/layout"
	[ "$(lay "$OUT/layout" warnings)" = 1 ]
	# the warning's red band in the header
	[ "$("$PROBE" "$OUT/t.png" rgb fdecea 50 60 2340 200)" != 0.0000 ]
	# five of the steady parts (by start time 14.8, 18, 10.2, 25.9, 24.4 extfrag/s): no warning
	run "$PLOT" "$PARTS/flat3.json,$PARTS/flat6.json,$PARTS/flat1.json,$PARTS/flat5.json,$PARTS/flat2.json" --summary
	[[ "$output" != *"repeated runs trend"* ]]
}
