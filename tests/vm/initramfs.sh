#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# initramfs.sh OUT BUSYBOX AGENT FAULT_AGENT FRAGLOAD [FILE...]: the
# kernel-matrix initramfs (newc cpio, gzip): static busybox, the static agent,
# its fault-injection build (/fragmon-agent-fault), fragload, any FILEs (in /
# under their own names) and tests/vm/guest-init.sh as /init.  Written
# atomically.
set -euo pipefail
[ $# -ge 5 ] || { echo "usage: initramfs.sh OUT BUSYBOX AGENT FAULT_AGENT FRAGLOAD [FILE...]" >&2; exit 2; }
out=$1 busybox=$2 agent=$3 fault=$4 fragload=$5
shift 5
here=$(cd "$(dirname "$0")" && pwd)
for f in "$busybox" "$agent" "$fault" "$fragload"; do
	[ -x "$f" ] || { echo "initramfs.sh: $f: not an executable" >&2; exit 1; }
done
for f in "$@"; do
	[ -f "$f" ] || { echo "initramfs.sh: $f: no such file" >&2; exit 1; }
done
root=$(mktemp -d)
trap 'rm -rf "$root" "$out.tmp"' EXIT
mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,etc}
cp "$busybox" "$root/bin/busybox"
for a in sh mount umount mkdir rmdir cat cp ls rm sleep kill wc grep cut tr gzip stty \
	poweroff reboot sync echo printf seq uname sed awk head tail date dmesg dd; do
	ln -s busybox "$root/bin/$a"
done
cp "$agent" "$root/fragmon-agent"
cp "$fault" "$root/fragmon-agent-fault"
cp "$fragload" "$root/fragload"
for f in "$@"; do cp "$f" "$root/"; done
cp "$here/guest-init.sh" "$root/init"
chmod 755 "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
