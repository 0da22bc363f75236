#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Output size and the cost of `compress: gzip` (docs/size.md).  Run as root:
#   make bench-size        (SECS=60 per capture, RATE=5 events/s for the hour, REPS=5)
# 1. Two real captures on this kernel, plain then gzip: the agent in full mode with
#    1 s snapshots for SECS s under tests/workload/fragload (pipes, files, compact in
#    a loop): bytes per event of each type, the files' sizes, the agent's CPU time.
# 2. A third capture, gzip, idle (no workload) for IDLE s: the compressed bytes of a
#    snapshot as consecutive snapshots of a real run compress; the busy gzip capture
#    less its snapshots at that cost gives the compressed bytes of an event. One hour at
#    RATE events/s (the busy capture's mix) plus a snapshot a second, plain and gzip.
# 3. The CPU cost of compressing in the agent: zlib (level 6, a sync flush per 0.5 s of
#    data) timed on the plain capture's own bytes; and bench/synthetic feeding 1,000,000
#    extfrag events through the agent's writer plain and gzip, REPS times each,
#    alternating: CPU ns per event, medians (synthetic events compress better than
#    real ones: that figure is the writer's path, the first the compression's cost).
set -euo pipefail
cd "$(dirname "$0")/.."
AGENT=${FRAGMON_AGENT:-./fragmon-agent}
LOAD=build/tests/fragload
BENCH=${BUILD:-build}/bench
SECS=${SECS:-60}
IDLE=${IDLE:-120}
RATE=${RATE:-5}
REPS=${REPS:-5}
[ -x "$BENCH/synthetic" ] && [ -x "$LOAD" ] || { echo "run make bench-tools workload first" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT

# utime + stime of PID in ms
cpu_ms() {
	awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) * 1000 / hz }' "/proc/$1/stat"
}

capture() { # dir seconds workload(0/1) extra-args...
	local d=$1 secs=$2 work=$3 pid t_end cpu
	shift 3
	"$AGENT" -o "$d" -q "$@" 2>"$d.log" &
	pid=$!
	while [ ! -e "$d/fragmentation_data.json.partial" ] && [ ! -e "$d/fragmentation_data.json.gz.partial" ]; do
		kill -0 $pid 2>/dev/null || { cat "$d.log" >&2; exit 1; }
		sleep 0.05
	done
	t_end=$(($(date +%s) + secs))
	while [ "$(date +%s)" -lt "$t_end" ]; do
		if [ "$work" = 1 ]; then
			$LOAD pipes >/dev/null
			$LOAD files 5000 >/dev/null
			$LOAD compact >/dev/null
		fi
		sleep 1
	done
	cpu=$(cpu_ms $pid)
	kill -INT $pid
	wait $pid
	echo "$cpu" >"$d.cpu"
}

echo "== size-bench: $(uname -r), $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%MZ), SECS=$SECS IDLE=$IDLE RATE=$RATE REPS=$REPS"
capture "$tmp/plain" "$SECS" 1
capture "$tmp/gz" "$SECS" 1 --compress gzip
capture "$tmp/idle" "$IDLE" 0 --compress gzip
python3 - "$tmp" "$RATE" <<'EOF'
import collections, gzip, json, sys, time, zlib

tmp, rate = sys.argv[1], float(sys.argv[2])
plain = open(f"{tmp}/plain/fragmentation_data.json", "rb").read()
gzd = open(f"{tmp}/gz/fragmentation_data.json.gz", "rb").read()
raw = gzip.decompress(gzd)
d, g = json.loads(plain), json.loads(raw)
cpu = {k: float(open(f"{tmp}/{k}.cpu").read()) for k in ("plain", "gz")}

# the lines of the events array: one event per line
lines = plain.split(b"\n")
start = next(i for i, l in enumerate(lines) if l.startswith(b'"events"')) + 1
ev_lines = []
for l in lines[start:]:
    if l.startswith(b"]"):
        break
    ev_lines.append(l.rstrip(b","))
header = b"\n".join(lines[:start]) + b"\n"
tail_text = b"\n".join(lines[start + len(ev_lines):])
by_type = collections.defaultdict(list)
for l in ev_lines:
    by_type[json.loads(l)["event_type"]].append(len(l) + 2)

def n_events(doc):
    return len(doc["events"])

print(f"capture plain: {len(plain)} bytes, {n_events(d)} events "
      f"({len(by_type['snapshot'])} snapshots), {len(plain) / n_events(d):.0f} bytes/event, "
      f"agent CPU {cpu['plain']:.0f} ms")
print(f"capture gzip:  {len(gzd)} bytes ({len(raw)} inflated), {n_events(g)} events, "
      f"{len(gzd) / n_events(g):.1f} bytes/event, ratio {len(raw) / len(gzd):.1f}, "
      f"agent CPU {cpu['gz']:.0f} ms")
print("plain bytes per event, by type (line + separator):")
for t, v in sorted(by_type.items(), key=lambda kv: -len(kv[1])):
    print(f"  {t:22s} {len(v):7d} events  {sum(v) / len(v):7.0f} bytes")

# an hour: per-snapshot and per-event costs of the real captures
idle_gz = open(f"{tmp}/idle/fragmentation_data.json.gz", "rb").read()
idle = json.loads(gzip.decompress(idle_gz))
idle_snaps = sum(1 for e in idle["events"] if e["event_type"] == "snapshot")


def once_gz(text):
    """compressed bytes of what a file holds once: header (run) and tail (statistics, metadata)"""
    head = text[:text.index(b'"events": [') + 12]
    tail = text[text.rindex(b"\n],\n"):]
    return len(zlib.compress(head, 6)) + len(zlib.compress(tail, 6))


# per snapshot: the idle run's few other events included (an overestimate)
snap_gz = (len(idle_gz) - once_gz(gzip.decompress(idle_gz))) / idle_snaps
busy_snaps = sum(1 for e in g["events"] if e["event_type"] == "snapshot")
busy_other = n_events(g) - busy_snaps
ev_gz = max(0.0, (len(gzd) - once_gz(raw) - busy_snaps * snap_gz) / busy_other)
snap_plain = sum(by_type["snapshot"]) / len(by_type["snapshot"])
other = [x for t, v in by_type.items() if t != "snapshot" for x in v]
ev_plain = sum(other) / len(other)
print(f"idle gzip capture: {len(idle_gz)} bytes, {idle_snaps} snapshots, "
      f"{n_events(idle) - idle_snaps} other events: {snap_gz:.0f} bytes/snapshot")
print(f"per event: plain {ev_plain:.0f} bytes (snapshot {snap_plain:.0f}); "
      f"gzip {ev_gz:.1f} bytes (snapshot {snap_gz:.0f})")
mib = 1048576
hour_plain = 3600 * snap_plain + 3600 * rate * ev_plain
hour_gz = 3600 * snap_gz + 3600 * rate * ev_gz
print(f"one hour at {rate:g} events/s + 1 snapshot/s: plain {hour_plain / mib:.1f} MiB, "
      f"gzip {hour_gz / mib:.2f} MiB (ratio {hour_plain / hour_gz:.1f})")
for r in (0, 50, 500):
    hp = 3600 * snap_plain + 3600 * r * ev_plain
    hg = 3600 * snap_gz + 3600 * r * ev_gz
    print(f"  at {r} events/s: plain {hp / mib:.1f} MiB/h, gzip {hg / mib:.2f} MiB/h")

# zlib's time on this capture's own bytes, as the agent calls it: level 6, one
# Z_SYNC_FLUSH per 0.5 s of the capture's data rate; repeated to 32 MiB
body = b"".join(l + b",\n" for l in ev_lines)
per_half = max(1, int(len(plain) / (d["metadata"]["duration"] * 2)))
data = body * (32 * mib // len(body) + 1)
z = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
t0 = time.process_time()
for i in range(0, len(data), per_half):
    z.compress(data[i:i + per_half])
    z.flush(zlib.Z_SYNC_FLUSH)
z.flush(zlib.Z_FINISH)
ns_byte = (time.process_time() - t0) * 1e9 / len(data)
print(f"zlib level 6 on the capture's bytes ({per_half} bytes per 0.5 s flush): "
      f"{ns_byte:.1f} ns/byte = {ns_byte * ev_plain / 1000:.1f} us/event, "
      f"{ns_byte * snap_plain / 1000:.1f} us/snapshot; "
      f"{ns_byte * hour_plain / 1e6:.0f} ms of CPU per hour at {rate:g} events/s "
      f"({100 * ns_byte * hour_plain / 3.6e12:.4f}% of one CPU)")
EOF

# 3. compression CPU in the agent's writer
for i in $(seq 1 "$REPS"); do
	for m in plain gzip; do
		rm -rf "$tmp/syn"
		mkdir -p "$tmp/syn"
		"$BENCH/synthetic" 1000000 "$tmp/syn" $([ $m = gzip ] && echo gzip) |
			awk -v m=$m '/^cpu_ns_per_event/ { print m, $2 }' >>"$tmp/syn.cpu"
		ls -l "$tmp/syn" | awk -v m=$m 'NR > 1 { print m, $5 }' >>"$tmp/syn.size"
	done
done
python3 - "$tmp" <<'EOF'
import statistics, sys
tmp = sys.argv[1]
cpu, size = {}, {}
for l in open(f"{tmp}/syn.cpu"):
    m, v = l.split(); cpu.setdefault(m, []).append(float(v))
for l in open(f"{tmp}/syn.size"):
    m, v = l.split(); size[m] = int(v)
p, g = statistics.median(cpu["plain"]), statistics.median(cpu["gzip"])
print(f"writer, 1,000,000 synthetic extfrag events ({size['plain'] / 1e6:.0f} bytes/event plain): "
      f"CPU {p:.0f} ns/event plain, {g:.0f} ns/event gzip (medians of {len(cpu['plain'])}): "
      f"compression +{g - p:.0f} ns/event ({100 * (g - p) / p:+.0f}%)")
print(f"  plain runs {sorted(round(x) for x in cpu['plain'])}, gzip runs {sorted(round(x) for x in cpu['gzip'])}")
EOF
