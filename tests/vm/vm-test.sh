#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel matrix (make vm-test): boot each kernel under qemu (TCG) with an
# initramfs of busybox, the static fragmon-agent, its fault-injection build
# and a static fragload, run the agent under the workload in several cases
# (tests/vm/guest-init.sh), and judge what the guest printed
# (tests/vm/check.py).  Prints a kernel x check table (markdown); exit 1 if
# any check failed, 77 if this machine cannot run qemu.
#
#   vm-test.sh [ID...]   default: 5.10 6.1 6.1-rt 6.12 6.1-nobtf 6.12-arm64
# IDs: those of tests/vm/kernels.sh (Debian's kernel packages), and 6.1-nobtf,
# Debian's linux-source-6.1 built without BTF (tests/vm/build-kernel.sh).
# Environment: FRAGMON_VM_CACHE (cache, default build/vm), VM_JOBS (guests at
# once, default 2), VM_MEM (MiB, 768), VM_TIMEOUT (s, 300; arm64 twice that),
# AGENT, FAULT_AGENT, FRAGLOAD, BUSYBOX (static x86_64 binaries; default the
# build's and /bin/busybox), AGENT_ARM64, FAULT_AGENT_ARM64, FRAGLOAD_ARM64
# (default the arm64 build's: make ARCH=arm64), BUSYBOX_ARM64 (default
# Debian's busybox-static:arm64, fetched into the cache).
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
FAULT_AGENT=${FAULT_AGENT:-$top/build-fault/fragmon-agent}
FRAGLOAD=${FRAGLOAD:-$top/$BUILD/tests/fragload-static}
BUSYBOX=${BUSYBOX:-/bin/busybox}
AGENT_ARM64=${AGENT_ARM64:-$top/$BUILD-arm64/fragmon-agent}
FAULT_AGENT_ARM64=${FAULT_AGENT_ARM64:-$top/build-fault-arm64/fragmon-agent}
FRAGLOAD_ARM64=${FRAGLOAD_ARM64:-$top/$BUILD-arm64/tests/fragload-static}
[ $# -gt 0 ] || set -- 5.10 6.1 6.1-rt 6.12 6.1-nobtf 6.12-arm64

# the cases each kernel runs (guest-init.sh); a kernel built without BTF has
# no /sys/kernel/btf to hide, and gets the pahole-made BTF file instead
cases_of() {
	case $1 in
	6.1-nobtf) echo btf,snapshot,rejected,btffile ;;
	*) echo btf,nobtf,snapshot,rejected ;;
	esac
}
arch_of() { case $1 in *-arm64) echo arm64 ;; *) echo x86_64 ;; esac; }

need=()
for id in "$@"; do need+=("$(arch_of "$id")"); done
for a in "${need[@]}"; do
	q=qemu-system-${a/arm64/aarch64}
	command -v "$q" >/dev/null || { echo "vm-test: skipped: $q is not installed" >&2; exit 77; }
done
static() { # file what
	[ -x "$1" ] && file -L "$1" | grep -q 'statically linked' ||
		{ echo "vm-test: $1 is not a static executable ($2)" >&2; exit 1; }
}
static "$BUSYBOX" "busybox-static"

run=$top/$BUILD/vm-test
rm -rf "$run"
mkdir -p "$run"
t_start=$SECONDS
declare -A kernel=() initrd=()

# x86_64 kernels: the Debian packages, and the one built without BTF
x86=()
for id in "$@"; do
	if [ "$(arch_of "$id")" = x86_64 ]; then x86+=("$id"); fi
done
t_build=0
if [ ${#x86[@]} -gt 0 ]; then
	for f in "$AGENT" "$FAULT_AGENT" "$FRAGLOAD"; do static "$f" "make vm-test builds it"; done
	"$here/initramfs.sh" "$run/initramfs-x86_64.gz" "$BUSYBOX" "$AGENT" "$FAULT_AGENT" "$FRAGLOAD"
	for id in "${x86[@]}"; do
		if [ "$id" = 6.1-nobtf ]; then
			t0=$SECONDS
			dir=$("$here/build-kernel.sh")
			t_build=$((SECONDS - t0))
			kernel[$id]=$dir/bzImage
			# the pahole path: BTF from the kernel's DWARF, for --btf
			command -v pahole >/dev/null || { echo "vm-test: pahole is not installed (dwarves)" >&2; exit 1; }
			pahole --btf_encode_detached="$run/vmlinux.btf" "$dir/vmlinux" >"$run/pahole.log" 2>&1 &&
				[ -s "$run/vmlinux.btf" ] || { cat "$run/pahole.log"; echo "vm-test: pahole failed" >&2; exit 1; }
			echo "vm-test: $id: $(pahole --version) made vmlinux.btf ($(($(stat -c %s "$run/vmlinux.btf") / 1024)) KiB) from its DWARF"
			"$here/initramfs.sh" "$run/initramfs-nobtf.gz" "$BUSYBOX" "$AGENT" "$FAULT_AGENT" \
				"$FRAGLOAD" "$run/vmlinux.btf"
			initrd[$id]=$run/initramfs-nobtf.gz
			echo "$(cat "$dir/version") (built from $(cat "$dir/source") in $(cat "$dir/seconds") s)" >"$run/$id.package"
			continue
		fi
		read -r _ dir < <("$here/kernels.sh" fetch "$id")
		kernel[$id]=$dir/vmlinuz
		initrd[$id]=$run/initramfs-x86_64.gz
		echo "$(cat "$dir/version") ($(cat "$dir/package"))" >"$run/$id.package"
	done
fi

# arm64: the cross-built agent (make ARCH=arm64), Debian's busybox-static:arm64
for id in "$@"; do
	[ "$(arch_of "$id")" = arm64 ] || continue
	if [ ! -e "$run/initramfs-arm64.gz" ]; then
		for f in "$AGENT_ARM64" "$FAULT_AGENT_ARM64" "$FRAGLOAD_ARM64"; do
			static "$f" "make ARCH=arm64 builds it"
		done
		bb=${BUSYBOX_ARM64:-}
		if [ -z "$bb" ]; then
			deb=$("$here/kernels.sh" deb bookworm arm64 busybox-static)
			bb=$CACHE/busybox-arm64/$(basename "$deb" .deb)/bin/busybox
			if [ ! -x "$bb" ]; then
				rm -rf "$CACHE/busybox-arm64"
				mkdir -p "$CACHE/busybox-arm64/x"
				dpkg-deb -x "$deb" "$CACHE/busybox-arm64/x"
				mkdir -p "$(dirname "$bb")"
				mv "$CACHE/busybox-arm64/x/bin/busybox" "$bb"
				rm -rf "$CACHE/busybox-arm64/x"
			fi
		fi
		static "$bb" "busybox-static:arm64"
		"$here/initramfs.sh" "$run/initramfs-arm64.gz" "$bb" "$AGENT_ARM64" "$FAULT_AGENT_ARM64" \
			"$FRAGLOAD_ARM64"
	fi
	read -r _ dir < <("$here/kernels.sh" fetch "$id")
	kernel[$id]=$dir/vmlinuz
	initrd[$id]=$run/initramfs-arm64.gz
	echo "$(cat "$dir/version") ($(cat "$dir/package"))" >"$run/$id.package"
done
t_fetch=$SECONDS

boot() { # id
	local id=$1 d=$run/$1 t0=$SECONDS rc=0 append tmo=$TIMEOUT
	local -a qemu
	mkdir -p "$d"
	append="panic=-1 quiet fm.cases=$(cases_of "$id")"
	if [ "$(arch_of "$id")" = arm64 ]; then
		# the virt machine has one UART (PL011, the console); the data go
		# through a virtio-serial port (CONFIG_VIRTIO_CONSOLE=y, VIRTIO_PCI=y)
		tmo=$((TIMEOUT * 2))
		# shellcheck disable=SC2054 # the commas are qemu's
		qemu=(qemu-system-aarch64 -M virt -cpu "max,pauth-impdef=on"
			-append "console=ttyAMA0 $append fm.data=virtio"
			-serial "file:$d/console.log"
			-device virtio-serial-pci -chardev "file,id=fmdata,path=$d/data.bin"
			-device virtserialport,chardev=fmdata,name=fmdata)
	else
		qemu=(qemu-system-x86_64 -append "console=ttyS0 $append fm.data=ttyS1"
			-serial "file:$d/console.log" -serial "file:$d/data.bin")
	fi
	timeout "$tmo" "${qemu[@]}" -accel tcg -m "$MEM" -smp 2 -display none -monitor none \
		-nic none -no-reboot -kernel "${kernel[$id]}" -initrd "${initrd[$id]}" \
		</dev/null >"$d/qemu.log" 2>&1 || rc=$?
	echo "$((SECONDS - t0))" >"$d/seconds"
	[ $rc -eq 0 ] || echo "vm-test: $id: qemu exit $rc (124: timeout after ${tmo}s)" >>"$d/qemu.log"
}

# JOBS guests at a time, the slowest first (arm64 under TCG, then the
# small kernel built here, which has the most cases)
order=()
for id in "$@"; do if [ "$(arch_of "$id")" = arm64 ]; then order+=("$id"); fi; done
for id in "$@"; do if [ "$id" = 6.1-nobtf ]; then order+=("$id"); fi; done
for id in "$@"; do
	if [ "$(arch_of "$id")" != arm64 ] && [ "$id" != 6.1-nobtf ]; then order+=("$id"); fi
done
for id in "${order[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
	echo "vm-test: booting $id ($(cat "$run/$id.package"))"
	boot "$id" &
done
wait
failed=0
for id in "$@"; do
	echo
	python3 "$here/check.py" "$id" "$run/$id/data.bin" "$run/$id/report.json" || failed=1
	echo "$id: guest ran $(cat "$run/$id/seconds") s"
	if ! grep -aq "fmvm: done" "$run/$id/console.log" 2>/dev/null; then
		echo "--- $id console (last 30 lines) ---"
		tail -n 30 "$run/$id/console.log" 2>/dev/null || true
		cat "$run/$id/qemu.log"
	fi
done
echo
python3 "$here/table.py" "$run" "$@" | tee "$run/table.md"
guests=$(for id in "$@"; do printf '%s %s s, ' "$id" "$(cat "$run/$id/seconds" 2>/dev/null)"; done)
echo "vm-test: $((SECONDS - t_start)) s: kernels, busybox and initramfs $((t_fetch - t_start)) s" \
	"(of which the kernel without BTF $t_build s), guests ($JOBS at a time) ${guests%, }; results in $run"
exit $failed
