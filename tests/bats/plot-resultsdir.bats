#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# fragmon-plot --results-dir on a results tree laid out as the Ansible role
# fetches it in kdevops (<results>/<inventory host>/fragmentation_data.json
# beside the run's log, stop report and config; interim/ beside the hosts):
# X with X-dev, every configuration against a baseline, --baseline.

FM_TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
PLOT=${FRAGMON_PLOT:-$FM_TOP/fragmon-plot}
DATA=$FM_TOP/tests/data/plot
P=kdevops-fio-tests

setup_file() {
	make -s -C "$FM_TOP" plot >/dev/null
}

setup() {
	OUT=$(mktemp -d /tmp/fragmon-resultsdir-test.XXXXXX)
}

teardown() {
	rm -rf "$OUT"
}

# a fetched host: the data (copied from $2) and the files collect.yml fetches with it
host() { # results-dir host data-file
	mkdir -p "$1/$2"
	cp "$3" "$1/$2/$(basename "$3" | sed 's/^real-[a-z0-9]*\.json/fragmentation_data.json/')"
	echo "fragmon-agent: stopped by SIGINT" >"$1/$2/fragmon-agent.log"
	echo '{"result": "stopped-sigint"}' >"$1/$2/fragmon-stop.json"
	echo 'mode: full' >"$1/$2/fragmon.yaml"
}

# kdevops' fio-tests-fs-xfs-all-blocksizes: one host per block size, each with -dev
tree() { # dir [configurations]
	local d=$1 data=("$DATA/real-light90.json.gz" "$DATA/real-steady120.json.gz" "$DATA/real-heavy90.json.gz")
	shift
	local i=0
	for c in "${@:-xfs-4k xfs-16k xfs-32k}"; do
		for c1 in $c; do
			host "$d" "$P-$c1" "${data[i % 3]}"
			host "$d" "$P-$c1-dev" "${data[(i + 1) % 3]}"
			i=$((i + 1))
		done
	done
	# make monitor-results' interim copies: not hosts of this tree
	mkdir -p "$d/interim/$P-xfs-4k"
	cp "$DATA/small-agent.json" "$d/interim/$P-xfs-4k/fragmentation_data.json"
}

@test "resultsdir: every configuration against the first, on the same kernel, beside the X-dev pairs" {
	tree "$OUT/res"
	run "$PLOT" --results-dir "$OUT/res" -o "$OUT/png"
	[ "$status" -eq 0 ]
	cat >"$OUT/want" <<EOF
comparison_$P-xfs-4k-dev_vs_$P-xfs-16k-dev.png
comparison_$P-xfs-4k-dev_vs_$P-xfs-32k-dev.png
comparison_$P-xfs-4k_vs_$P-xfs-16k.png
comparison_$P-xfs-4k_vs_$P-xfs-32k.png
overview.png
$P-xfs-16k-dev.png
$P-xfs-16k-vs-$P-xfs-16k-dev.png
$P-xfs-16k.png
$P-xfs-32k-dev.png
$P-xfs-32k-vs-$P-xfs-32k-dev.png
$P-xfs-32k.png
$P-xfs-4k-dev.png
$P-xfs-4k-vs-$P-xfs-4k-dev.png
$P-xfs-4k.png
EOF
	ls "$OUT/png" | LC_ALL=C sort >"$OUT/got"
	LC_ALL=C sort -o "$OUT/want" "$OUT/want"
	diff "$OUT/want" "$OUT/got"
	# each is the A/B dashboard of the two hosts, the baseline as A
	"$PLOT" "$OUT/res/$P-xfs-4k/fragmentation_data.json.gz" \
		--compare "$OUT/res/$P-xfs-32k/fragmentation_data.json.gz" -o "$OUT/ab.png"
	cmp "$OUT/ab.png" "$OUT/png/comparison_$P-xfs-4k_vs_$P-xfs-32k.png"
	"$PLOT" "$OUT/res/$P-xfs-4k-dev/fragmentation_data.json.gz" \
		--compare "$OUT/res/$P-xfs-16k-dev/fragmentation_data.json.gz" -o "$OUT/ab.png"
	cmp "$OUT/ab.png" "$OUT/png/comparison_$P-xfs-4k-dev_vs_$P-xfs-16k-dev.png"
	# the overview starts with the baseline configuration
	run "$PLOT" --results-dir "$OUT/res" -o "$OUT/png" --summary
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep '^== ' | head -n 2 | cut -d' ' -f2 | tr '\n' ' ')" = "$P-xfs-4k $P-xfs-4k-dev " ]
}

@test "resultsdir: --baseline names the configuration by its end; the overview starts with it" {
	tree "$OUT/res"
	run "$PLOT" --results-dir "$OUT/res" --baseline xfs-16k -o "$OUT/png" --summary
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep '^== ' | head -n 2 | cut -d' ' -f2 | tr '\n' ' ')" = "$P-xfs-16k $P-xfs-16k-dev " ]
	ls "$OUT/png" | grep '^comparison_' | LC_ALL=C sort >"$OUT/got"
	printf '%s\n' "comparison_$P-xfs-16k-dev_vs_$P-xfs-32k-dev.png" \
		"comparison_$P-xfs-16k-dev_vs_$P-xfs-4k-dev.png" \
		"comparison_$P-xfs-16k_vs_$P-xfs-32k.png" \
		"comparison_$P-xfs-16k_vs_$P-xfs-4k.png" | LC_ALL=C sort >"$OUT/want"
	diff "$OUT/want" "$OUT/got"
	"$PLOT" "$OUT/res/$P-xfs-16k/fragmentation_data.json.gz" \
		--compare "$OUT/res/$P-xfs-4k/fragmentation_data.json.gz" -o "$OUT/ab.png"
	cmp "$OUT/ab.png" "$OUT/png/comparison_$P-xfs-16k_vs_$P-xfs-4k.png"
	# the whole name works too
	run "$PLOT" --results-dir "$OUT/res" --baseline "$P-xfs-32k" -o "$OUT/png2"
	[ "$status" -eq 0 ]
	[ -s "$OUT/png2/comparison_$P-xfs-32k_vs_$P-xfs-4k.png" ]
}

@test "resultsdir: --baseline xfs-4k,xfs-16k gives the seed study's 4k-16k, 4k-32k and 16k-32k" {
	tree "$OUT/res"
	run "$PLOT" --results-dir "$OUT/res" --baseline xfs-4k,xfs-16k -o "$OUT/png"
	[ "$status" -eq 0 ]
	ls "$OUT/png" | grep '^comparison_' | LC_ALL=C sort >"$OUT/got"
	for s in "" -dev; do
		echo "comparison_$P-xfs-4k${s}_vs_$P-xfs-16k$s.png"
		echo "comparison_$P-xfs-4k${s}_vs_$P-xfs-32k$s.png"
		echo "comparison_$P-xfs-16k${s}_vs_$P-xfs-32k$s.png"
	done | LC_ALL=C sort >"$OUT/want"
	diff "$OUT/want" "$OUT/got"
	"$PLOT" "$OUT/res/$P-xfs-16k/fragmentation_data.json.gz" \
		--compare "$OUT/res/$P-xfs-32k/fragmentation_data.json.gz" -o "$OUT/ab.png"
	cmp "$OUT/ab.png" "$OUT/png/comparison_$P-xfs-16k_vs_$P-xfs-32k.png"
	[ "$(ls "$OUT/png" | wc -l)" -eq 16 ]
}

@test "resultsdir: an unknown or ambiguous --baseline lists the configurations, exits 2, writes nothing" {
	tree "$OUT/res" "xfs-4k ext4-4k xfs-16k"
	run "$PLOT" --results-dir "$OUT/res" --baseline xfs-8k -o "$OUT/png"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--baseline xfs-8k: no such configuration in $OUT/res"* ]]
	[[ "$output" == *"the configurations in $OUT/res: $P-ext4-4k, $P-xfs-4k, $P-xfs-16k"* ]]
	[ ! -e "$OUT/png" ]
	run "$PLOT" --results-dir "$OUT/res" --baseline 4k -o "$OUT/png"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--baseline 4k: more than one configuration in $OUT/res"* ]]
	[ ! -e "$OUT/png" ]
	# one bad name of a list is enough; a dev host is not a configuration
	run "$PLOT" --results-dir "$OUT/res" --baseline xfs-4k,xfs-4k-dev -o "$OUT/png"
	[ "$status" -eq 2 ]
	[ ! -e "$OUT/png" ]
	run "$PLOT" --results-dir "$OUT/res" --baseline xfs-4k, -o "$OUT/png"
	[ "$status" -eq 2 ]
	[ ! -e "$OUT/png" ]
	# without --results-dir it means nothing
	run "$PLOT" "$DATA/small-agent.json" --baseline xfs-4k -o "$OUT/x.png"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--baseline is for --results-dir"* ]]
	[ ! -e "$OUT/x.png" ]
}

@test "resultsdir: two results trees: a host in both is that side's repeated runs" {
	tree "$OUT/r1" "xfs-4k xfs-16k"
	tree "$OUT/r2" "xfs-4k xfs-16k"
	rm -rf "$OUT/r2/$P-xfs-16k-dev"
	run "$PLOT" --results-dir "$OUT/r1,$OUT/r2" -o "$OUT/png" --summary
	[ "$status" -eq 0 ]
	[[ "$output" == *"A: 2 runs"* ]]
	"$PLOT" "$OUT/r1/$P-xfs-4k/fragmentation_data.json.gz,$OUT/r2/$P-xfs-4k/fragmentation_data.json.gz" \
		--compare "$OUT/r1/$P-xfs-16k/fragmentation_data.json.gz,$OUT/r2/$P-xfs-16k/fragmentation_data.json.gz" \
		--labels "$P-xfs-4k" "$P-xfs-16k" -o "$OUT/ab.png"
	cmp "$OUT/ab.png" "$OUT/png/comparison_$P-xfs-4k_vs_$P-xfs-16k.png"
	# the dev side: 2 runs against the 1 run left
	[ -s "$OUT/png/comparison_$P-xfs-4k-dev_vs_$P-xfs-16k-dev.png" ]
	[[ "$output" == *"B: 1 run,"* ]]
}

@test "resultsdir: a baseline without a -dev host says the -dev hosts are not compared" {
	tree "$OUT/res" "xfs-4k xfs-16k"
	rm -rf "$OUT/res/$P-xfs-4k-dev"
	run "$PLOT" --results-dir "$OUT/res" -o "$OUT/png"
	[ "$status" -eq 0 ]
	[[ "$output" == *"note: the baseline $P-xfs-4k has no -dev host: 1 -dev host(s) not compared across configurations"* ]]
	[ -s "$OUT/png/comparison_$P-xfs-4k_vs_$P-xfs-16k.png" ]
	[ "$(ls "$OUT/png" | grep -c '^comparison_')" -eq 1 ]
	# a host whose data is broken: the others are still compared, the exit status says so
	cp "$DATA/malformed.json" "$OUT/res/$P-xfs-16k/fragmentation_data.json"
	rm -rf "$OUT/png"
	run "$PLOT" --results-dir "$OUT/res" -o "$OUT/png"
	[ "$status" -eq 2 ]
	[ "$(ls "$OUT/png" | grep -c '^comparison_')" -eq 0 ]
	[ -s "$OUT/png/$P-xfs-16k-dev.png" ]
}
