#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel matrix (make vm-test): boot each kernel under qemu with an
# initramfs of busybox, the static fragmon-agent and a static fragload, run
# the agent under the workload with the kernel's BTF visible and hidden, and
# judge what the guest printed (tests/vm/check.py).  Prints a kernel x check
# table; exit 1 if any check failed, 77 if this machine cannot run qemu.
#
#   vm-test.sh [ID...]      IDs of tests/vm/kernels.sh (default: all x86_64)
# Environment: FRAGMON_VM_CACHE (kernel cache, default build/vm), VM_JOBS
# (guests at once, default 2), VM_MEM (MiB, 768), VM_TIMEOUT (s, 300),
# AGENT, FRAGLOAD, BUSYBOX (static binaries; default the build's).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/vm
BUILD=${BUILD:-build}
CACHE=${FRAGMON_VM_CACHE:-$top/$BUILD/vm}
export FRAGMON_VM_CACHE=$CACHE
JOBS=${VM_JOBS:-2}
MEM=${VM_MEM:-768}
TIMEOUT=${VM_TIMEOUT:-300}
AGENT=${AGENT:-$top/fragmon-agent}
FRAGLOAD=${FRAGLOAD:-$top/$BUILD/tests/fragload-static}
BUSYBOX=${BUSYBOX:-/bin/busybox}
[ $# -gt 0 ] || set -- 5.10 6.1 6.1-rt 6.12

command -v qemu-system-x86_64 >/dev/null || { echo "vm-test: skipped: qemu-system-x86_64 is not installed" >&2; exit 77; }
file -L "$BUSYBOX" | grep -q 'statically linked' || { echo "vm-test: $BUSYBOX is not a static busybox (busybox-static)" >&2; exit 1; }

run=$top/$BUILD/vm-test
rm -rf "$run"
mkdir -p "$run"
t_start=$SECONDS
"$here/initramfs.sh" "$run/initramfs.gz" "$BUSYBOX" "$AGENT" "$FRAGLOAD"

boot() { # id vmlinuz
	local id=$1 kernel=$2 d=$run/$1 t0=$SECONDS rc=0
	mkdir -p "$d"
	timeout "$TIMEOUT" qemu-system-x86_64 -accel tcg -m "$MEM" -smp 2 \
		-display none -monitor none -no-reboot \
		-kernel "$kernel" -initrd "$run/initramfs.gz" \
		-append "console=ttyS0 panic=-1 quiet fm.cases=btf,nobtf,snapshot" \
		-serial "file:$d/console.log" -serial "file:$d/data.bin" </dev/null >"$d/qemu.log" 2>&1 || rc=$?
	echo "$((SECONDS - t0))" > "$d/seconds"
	[ $rc -eq 0 ] || echo "vm-test: $id: qemu exit $rc (124: timeout after ${TIMEOUT}s)" >> "$d/qemu.log"
}

# fetch (sequential: one apt cache), then boot JOBS guests at a time
declare -A kernel=()
for id in "$@"; do
	read -r _ dir < <("$here/kernels.sh" fetch "$id")
	kernel[$id]=$dir/vmlinuz
	echo "$(cat "$dir/version") ($(cat "$dir/package"))" > "$run/$id.package" 2>/dev/null || true
done
t_fetch=$SECONDS
for id in "$@"; do
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
	echo "vm-test: booting $id"
	boot "$id" "${kernel[$id]}" &
done
wait
failed=0
for id in "$@"; do
	echo
	python3 "$here/check.py" "$id" "$run/$id/data.bin" "$run/$id/report.json" || failed=1
	if ! grep -aq "fmvm: done" "$run/$id/console.log" 2>/dev/null; then
		echo "--- $id console (last 30 lines) ---"
		tail -n 30 "$run/$id/console.log" 2>/dev/null || true
		cat "$run/$id/qemu.log"
	fi
done
echo
python3 "$here/table.py" "$run" "$@"
echo "vm-test: $(($SECONDS - t_start)) s (fetch $((t_fetch - t_start)) s); results in $run"
exit $failed
