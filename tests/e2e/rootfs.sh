#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# rootfs.sh KERNEL_ID...: the guests' system for make vm-e2e, built once and cached.
# Prints the directory holding it:
#   rootfs.img            ext4, Debian 12 (bookworm) made with debootstrap: sshd, python3,
#                         sudo, the user kdevops (key login, passwordless sudo), busybox
#                         init (/sbin/init) running tests/e2e/guest-setup then sshd; every
#                         kernel's modules
#   vmlinuz-ID initrd-ID  per kernel (tests/vm/kernels.sh fetch ID): Debian's kernel and an
#                         initramfs made by initramfs-tools in the root (virtio, ext4)
#   id_ed25519[.pub]      the key the controller logs in with
# Cache: $FRAGMON_VM_CACHE/e2e/<hash of this script, guest-setup and the kernel packages>;
# only complete builds are kept (a .done marker). The Debian mirror is the one this
# machine's apt uses (tests/vm/kernels.sh mirror logic reads the same files).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
CACHE=${FRAGMON_VM_CACHE:-$top/build/vm}
SUITE=bookworm
PKGS=openssh-server,python3,sudo,kmod,iproute2,initramfs-tools,busybox-static,procps,zstd,xz-utils

die() { echo "rootfs.sh: $*" >&2; exit 1; }
[ $# -gt 0 ] || die "usage: rootfs.sh KERNEL_ID..."
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot)"
# each kernel once, in a fixed order
set -- $(printf '%s\n' "$@" | sort -u)

# the kernels: their directories from the shared kernel cache
kdirs=()
for id in "$@"; do
	line=$(FRAGMON_VM_CACHE=$CACHE "$top/tests/vm/kernels.sh" fetch "$id") || die "cannot fetch kernel $id"
	kdirs+=("${line#* }")
done

key=$({
	cat "$0" "$here/guest-setup"
	echo "$SUITE $PKGS"
	for i in "${!kdirs[@]}"; do echo "${*:i+1:1} $(cat "${kdirs[i]}/package")"; done
} | sha256sum | cut -c1-16)
out=$CACHE/e2e/$key
if [ -f "$out/.done" ]; then
	echo "$out"
	exit 0
fi

# the machine's Debian mirror (deb822 .sources first, then sources.list)
mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2> /dev/null || true)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) { print $i; exit } }' /etc/apt/sources.list 2> /dev/null || true)
[ -n "$mirror" ] || die "no Debian mirror in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list"

rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d "$CACHE/e2e/build.XXXXXX")
root=$work/root
cleanup() {
	for m in proc sys dev; do umountq "$root/$m"; done
	[ -f "$out/.done" ] || rm -rf "$out"
	if [ -f "$out/.done" ] || [ -z "${FRAGMON_E2E_KEEP:-}" ]; then rm -rf "$work"; else echo "rootfs.sh: kept $work" >&2; fi
}
inroot() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"; }
umountq() { mountpoint -q "$1" 2> /dev/null && umount -l "$1" || true; }
trap cleanup EXIT

echo "rootfs.sh: debootstrap $SUITE (log: $work/debootstrap.log)" >&2
debootstrap --variant=minbase --include="$PKGS" "$SUITE" "$root" "$mirror" > "$work/debootstrap.log" 2>&1 ||
	{ tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed"; }

# kernels: modules and an initramfs each (initramfs-tools in the root, small: the drivers
# of the qemu machine only)
printf 'virtio_pci\nvirtio_blk\next4\n' >> "$root/etc/initramfs-tools/modules"
sed -i 's/^MODULES=.*/MODULES=list/' "$root/etc/initramfs-tools/initramfs.conf"
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
for i in "${!kdirs[@]}"; do
	id=${*:i+1:1} d=${kdirs[i]}
	rel=$(cat "$d/version")
	dpkg-deb --fsys-tarfile "$d"/*.deb | tar -x --keep-directory-symlink -C "$root"
	inroot depmod "$rel"
	inroot mkinitramfs -o "/boot/initrd.img-$rel" "$rel" > "$work/mkinitramfs-$id.log" 2>&1 ||
		{ cat "$work/mkinitramfs-$id.log" >&2; die "mkinitramfs $rel failed"; }
	cp "$root/boot/vmlinuz-$rel" "$out/vmlinuz-$id"
	cp "$root/boot/initrd.img-$rel" "$out/initrd-$id"
	echo "$rel" > "$out/release-$id"
done
for m in proc sys dev; do umountq "$root/$m"; done

# the system: busybox init, sshd, the kdevops user
ln -sf /bin/busybox "$root/sbin/init"
install -m 0755 "$here/guest-setup" "$root/usr/local/sbin/guest-setup"
cat > "$root/etc/inittab" << 'EOF'
::sysinit:/usr/local/sbin/guest-setup
::respawn:/usr/sbin/sshd -D -e
::ctrlaltdel:/bin/busybox poweroff -f
::shutdown:/bin/sync
EOF
echo "/dev/vda / ext4 rw,relatime 0 1" > "$root/etc/fstab"
inroot useradd -m -s /bin/bash kdevops
echo "kdevops ALL=(ALL) NOPASSWD: ALL" > "$root/etc/sudoers.d/kdevops"
chmod 0440 "$root/etc/sudoers.d/kdevops"
ssh-keygen -q -t ed25519 -N "" -C fragmon-e2e -f "$out/id_ed25519"
install -d -m 0700 -o 1000 -g 1000 "$root/home/kdevops/.ssh"
install -m 0600 -o 1000 -g 1000 "$out/id_ed25519.pub" "$root/home/kdevops/.ssh/authorized_keys"
inroot ssh-keygen -A > /dev/null
printf 'UseDNS no\nPasswordAuthentication no\n' > "$root/etc/ssh/sshd_config.d/e2e.conf"
rm -rf "$root/var/cache/apt/archives"/*.deb "$root/var/lib/apt/lists"/*_Packages

# a sparse ext4 image of the tree, 1 GiB free for the runs
size=$(($(du -sm "$root" | cut -f1) + 1024))
mkfs.ext4 -q -F -L e2eroot -d "$root" "$out/rootfs.img" "${size}M" > "$work/mkfs.log" 2>&1 ||
	{ cat "$work/mkfs.log" >&2; die "mkfs.ext4 failed"; }
touch "$out/.done"
# earlier builds (other keys) are not used again
for old in "$CACHE"/e2e/*/; do
	[ "${old%/}" = "$out" ] || [ ! -f "$old/.done" ] || rm -rf "${old%/}"
done
echo "$out"
