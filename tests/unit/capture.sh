#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Refresh the canned kernel files of the unit tests (tests/unit/data/<id>/):
# /proc/{zoneinfo,buddyinfo,pagetypeinfo,vmstat,meminfo}, the kernel's own
# /sys/kernel/debug/extfrag/{extfrag,unusable}_index read at the same moment
# as buddyinfo, and the tracefs formats of the tracepoints the agent reads.
#
#   capture.sh [ID...]    default: host 5.10 6.1 6.12 6.12-arm64 6.12-numa2
#
# host: this machine (root; idle state only: its memory is not touched).
# The others boot a Debian kernel (tests/vm/kernels.sh, cache
# $FRAGMON_VM_CACHE) under qemu TCG with a busybox initramfs whose /init is
# tests/unit/capture-init.sh: an "idle" state after boot and a "frag" state
# after fragmenting memory.  -numa2: two NUMA nodes (512 MiB, 1 CPU each),
# qemu -smp 2 -m 1G -numa node,memdev=m0,cpus=0 -numa node,memdev=m1,cpus=1.
# Needs qemu-system-x86 and qemu-system-arm (apt), busybox-static.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
data=$here/data
export FRAGMON_VM_CACHE=${FRAGMON_VM_CACHE:-$top/build/vm}
TIMEOUT=${CAPTURE_TIMEOUT:-900}
[ $# -gt 0 ] || set -- host 5.10 6.1 6.12 6.12-arm64 6.12-numa2
die() { echo "capture.sh: $*" >&2; exit 1; }

# the tracepoints whose format files are captured, here and by capture-init.sh
# (which reads the list from /events)
EVENTS="kmem/mm_page_alloc_extfrag compaction/mm_compaction_begin compaction/mm_compaction_end
	compaction/mm_compaction_finished compaction/mm_compaction_suitable
	compaction/mm_compaction_try_to_compact_pages compaction/mm_compaction_deferred
	compaction/mm_compaction_defer_compaction compaction/mm_compaction_defer_reset
	compaction/mm_compaction_kcompactd_wake compaction/mm_compaction_kcompactd_sleep
	migrate/mm_migrate_pages"

# the applets capture-init.sh uses
APPLETS="sh mount cat wc cmp stty mkdir rm find sync poweroff uname echo sleep head tail"

# split a data port's "=== FILE name bytes" stream into DIR/name
# moment = buddyinfo, extfrag_index, unusable_index, buddyinfo: split it into
# the files, "stable" = the tries it took, or "no N" if the two buddyinfo differ
SPLIT_PY=$(mktemp); export SPLIT_PY
cat > "$SPLIT_PY" <<'PY'
def split_moment(d):
    import os
    lines = open(os.path.join(d, 'moment')).read().splitlines(True)
    z = len(lines) // 4
    parts = [lines[i * z:(i + 1) * z] for i in range(4)]
    for name, part in zip(('buddyinfo', 'extfrag_index', 'unusable_index'), parts):
        open(os.path.join(d, name), 'w').write(''.join(part))
    tries = open(os.path.join(d, 'tries')).read().strip() if os.path.exists(os.path.join(d, 'tries')) else '1'
    ok = len(lines) == 4 * z and parts[0] == parts[3]
    open(os.path.join(d, 'stable'), 'w').write((tries if ok else 'no ' + tries) + '\n')
    for f in ('moment', 'tries'):
        if os.path.exists(os.path.join(d, f)):
            os.remove(os.path.join(d, f))
PY
trap 'rm -f "$SPLIT_PY"' EXIT

unpack() { # data-file dir
	python3 - "$1" "$2" <<'PY'
import os, sys
exec(open(os.environ['SPLIT_PY']).read())
raw = open(sys.argv[1], 'rb').read()
out, pos, n = sys.argv[2], 0, 0
done = b'=== DONE' in raw
while True:
    i = raw.find(b'=== FILE ', pos)
    if i < 0:
        break
    eol = raw.index(b'\n', i)
    name, size = raw[i + 9:eol].decode().rsplit(' ', 1)
    body = raw[eol + 1:eol + 1 + int(size)]
    path = os.path.join(out, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, 'wb').write(body)
    pos, n = eol + 1 + int(size), n + 1
    if name.endswith('/moment'):
        split_moment(os.path.dirname(path))
print(f"{n} files{'' if done else ' (guest did not finish)'}")
sys.exit(0 if done and n else 1)
PY
}

initramfs() { # busybox out
	local root
	root=$(mktemp -d)
	mkdir -p "$root"/{bin,proc,sys,dev,tmp}
	cp "$1" "$root/bin/busybox"
	for a in $APPLETS; do ln -s busybox "$root/bin/$a"; done
	cp "$here/capture-init.sh" "$root/init"
	echo $EVENTS > "$root/events"
	chmod 755 "$root/init"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$2"
	rm -rf "$root"
}

capture_host() {
	[ "$(id -u)" -eq 0 ] || die "host: needs root (debugfs)"
	local id t d n
	id=$(uname -r | cut -d. -f1,2)
	t=/sys/kernel/tracing
	[ -d $t/events ] || t=/sys/kernel/debug/tracing
	[ -r /sys/kernel/debug/extfrag/extfrag_index ] || mount -t debugfs nodev /sys/kernel/debug
	d=$(mktemp -d)
	uname -r > "$d/release"
	uname -m > "$d/machine"
	for e in $EVENTS; do
		[ -r "$t/events/$e/format" ] || continue
		mkdir -p "$d/events/$e"
		cat "$t/events/$e/format" > "$d/events/$e/format"
	done
	mkdir -p "$d/idle"
	z=$(wc -l < /proc/buddyinfo)
	for n in $(seq 1 100); do
		cat /proc/buddyinfo /sys/kernel/debug/extfrag/extfrag_index \
			/sys/kernel/debug/extfrag/unusable_index /proc/buddyinfo > "$d/idle/moment"
		[ "$(head -n "$z" "$d/idle/moment")" = "$(tail -n "$z" "$d/idle/moment")" ] && break
	done
	echo "$n" > "$d/idle/tries"
	python3 -c "exec(open('$SPLIT_PY').read()); split_moment('$d/idle')"
	for f in zoneinfo pagetypeinfo vmstat meminfo; do cat /proc/$f > "$d/idle/$f"; done
	rm -rf "${data:?}/$id"
	mkdir -p "$data"
	mv "$d" "$data/$id"
	chmod -R a+rX "$data/$id"
	echo "capture: $id (this machine, $(cat "$data/$id/release")): stable after $(cat "$data/$id/idle/stable")"
}

capture_guest() { # id
	local id=$1 kid=${1%-numa2} arch=x86_64 bb=/bin/busybox dir run rc=0 qemu port console
	[ "$kid" = 6.12-arm64 ] && arch=aarch64
	read -r _ dir < <("$top/tests/vm/kernels.sh" fetch "$kid")
	run=$(mktemp -d)
	if [ $arch = aarch64 ]; then
		local deb
		deb=$("$top/tests/vm/kernels.sh" deb trixie arm64 busybox-static)
		dpkg-deb -x "$deb" "$run/bb"
		bb=$run/bb/usr/bin/busybox
		[ -x "$bb" ] || bb=$run/bb/bin/busybox
		qemu=(qemu-system-aarch64 -M virt -cpu max -serial "file:$run/data.bin")
		console=ttyAMA0 port=ttyAMA0
	else
		file -L "$bb" | grep -q 'statically linked' || die "$bb is not a static busybox (busybox-static)"
		qemu=(qemu-system-x86_64 -serial "file:$run/console.log" -serial "file:$run/data.bin")
		console=ttyS0 port=ttyS1
	fi
	if [ "$id" != "$kid" ]; then
		qemu+=(-smp 2 -m 1G -object memory-backend-ram,id=m0,size=512M
			-object memory-backend-ram,id=m1,size=512M
			-numa node,memdev=m0,cpus=0 -numa node,memdev=m1,cpus=1)
	else
		qemu+=(-smp 1 -m 512M)
	fi
	initramfs "$bb" "$run/initramfs.gz"
	echo "capture: booting $id ($(cat "$dir/version"))"
	timeout "$TIMEOUT" "${qemu[@]}" -accel tcg -display none -monitor none -no-reboot \
		-kernel "$dir/vmlinuz" -initrd "$run/initramfs.gz" \
		-append "console=$console loglevel=0 quiet panic=-1 fm.port=$port" </dev/null \
		>"$run/qemu.log" 2>&1 || rc=$?
	mkdir -p "$run/out"
	if ! unpack "$run/data.bin" "$run/out"; then
		tail -c 3000 "$run/console.log" 2>/dev/null || true
		cat "$run/qemu.log"
		die "$id: no complete capture (qemu exit $rc; 124: timeout after ${TIMEOUT}s)"
	fi
	rm -rf "${data:?}/$id"
	mkdir -p "$data"
	mv "$run/out" "$data/$id"
	rm -rf "$run"
	echo "capture: $id: $(cat "$data/$id/fill"); stable after $(cat "$data/$id/idle/stable") / $(cat "$data/$id/frag/stable")"
}

for id in "$@"; do
	case $id in
	host) capture_host ;;
	5.10 | 6.1 | 6.12 | 6.12-arm64 | 5.10-numa2 | 6.1-numa2 | 6.12-numa2 | 6.12-arm64-numa2) capture_guest "$id" ;;
	*) die "unknown id '$id'" ;;
	esac
done
