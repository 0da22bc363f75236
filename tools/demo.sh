#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The main job: capture DURATION seconds of fragmentation events on this
# machine while the built-in workload provokes them, then plot the result.
# Results: results/demo-<date>/ (printed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
[ "$(id -u)" -eq 0 ] || { echo "demo: run as root (the agent loads BPF programs)" >&2; exit 1; }
out=results/demo-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
./fragmon-agent --probe > "$out/probe.json" || {
	echo "demo: this kernel cannot run the agent, see $out/probe.json" >&2
	exit 1
}
./fragmon-agent -o "$out" -d "$secs" -i 500 2> "$out/fragmon-agent.log" &
agent=$!
for _ in $(seq 1 100); do
	[ -e "$out/fragmentation_data.json.partial" ] && break
	sleep 0.05
done
echo "demo: agent running for ${secs}s (pid $agent), workload starting"
end=$((SECONDS + secs - 2))
while [ $SECONDS -lt $end ]; do
	build/tests/fragload pipes >/dev/null
	build/tests/fragload compact >/dev/null
	sleep 1
done
wait "$agent"
tail -n 1 "$out/fragmon-agent.log"
if [ -x ./fragmon-plot ]; then
	./fragmon-plot "$out/fragmentation_data.json" -o "$out/fragmentation.png" --summary \
		--json "$out/summary.json" | tee "$out/summary.txt"
fi
echo "demo: results in $out"
