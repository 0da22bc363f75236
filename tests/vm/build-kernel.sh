#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel matrix's kernel built WITHOUT BTF, as kdevops builds its kernels
# (CONFIG_DEBUG_INFO=y, CONFIG_DEBUG_INFO_BTF unset): Debian 12's
# linux-source-6.1 package, x86_64 allnoconfig + tests/vm/kernel-nobtf.config.
# Its DWARF vmlinux is kept: vm-test.sh makes a BTF file from it with
# pahole --btf_encode_detached at each run, the way a user of such a kernel
# gives fragmon-agent its types (--btf FILE).
#
#   build-kernel.sh         prints the directory of the cached build:
#                           bzImage, vmlinux (DWARF), config, version
#                           (uname -r), source (the package), seconds (build
#                           time), build.log
#
# Cached in $FRAGMON_VM_CACHE/built/6.1-nobtf-<source version>-<hash of the
# config fragment and RECIPE>; a new Debian upload of the source or a changed
# config builds once more (and removes the older builds).  Progress
# and the build log go to stderr only when the build fails.  VM_KERNEL_JOBS:
# make -j (default 2, this machine's cores).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
CACHE=${FRAGMON_VM_CACHE:-$top/build/vm}
export FRAGMON_VM_CACHE=$CACHE
FRAG=$here/kernel-nobtf.config
JOBS=${VM_KERNEL_JOBS:-2}
SRCPKG=linux-source-6.1
# bump when a change here changes what is built (it is part of the cache key)
RECIPE=1

die() { echo "build-kernel.sh: $*" >&2; exit 1; }
for t in gcc make bc flex bison xz; do
	command -v $t >/dev/null || die "$t is not installed (tools/install-deps.sh installs it)"
done

mkdir -p "$CACHE/built"
# one build at a time (worktrees may share the cache)
exec 9>"$CACHE/built/.lock"
flock 9
deb=$("$here/kernels.sh" deb bookworm amd64 $SRCPKG)
ver=$(dpkg-deb -f "$deb" Version)
hash=$({ cat "$FRAG"; echo "recipe $RECIPE"; } | sha256sum | cut -c1-12)
name=6.1-nobtf-$ver-$hash
out=$CACHE/built/$name
if [ -s "$out/bzImage" ] && [ -s "$out/vmlinux" ]; then
	echo "$out"
	exit 0
fi

work=$(mktemp -d "$CACHE/built/.build.XXXXXX")
trap 'rm -rf "$work"' EXIT
t0=$SECONDS
echo "build-kernel.sh: building $SRCPKG $ver without BTF (once; cached as $out)" >&2
src=$work/src
mkdir -p "$src"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/src/$SRCPKG.tar.xz | xz -dc -T2 |
	tar -x -C "$src" --strip-components=1
log=$work/build.log
kmake() { make -C "$src" ARCH=x86_64 "$@" >>"$log" 2>&1 || {
	tail -n 40 "$log" >&2
	die "make $* failed (log above)"
}; }
kmake allnoconfig KCONFIG_ALLCONFIG="$FRAG"
# every line of the fragment must have made it: a symbol whose dependencies
# are unmet is dropped by kconfig without a word
while read -r line; do
	case $line in
	CONFIG_*=*) grep -qxF "$line" "$src/.config" || die "kernel-nobtf.config: $line did not make it into .config" ;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }
		sym=${sym%% *}
		! grep -q "^$sym=" "$src/.config" || die "kernel-nobtf.config: $sym is set" ;;
	esac
done <"$FRAG"
kmake -j"$JOBS" bzImage
rel=$(make -s -C "$src" ARCH=x86_64 kernelrelease)
res=$work/out
mkdir -p "$res"
cp "$src/arch/x86/boot/bzImage" "$res/bzImage"
cp "$src/vmlinux" "$res/vmlinux"
cp "$src/.config" "$res/config"
echo "$rel" >"$res/version"
basename "$deb" >"$res/source"
echo $((SECONDS - t0)) >"$res/seconds"
cp "$log" "$res/build.log"
rm -rf "$out"
mv "$res" "$out"
# older builds (another source version or config) are not used any more
for old in "$CACHE"/built/6.1-nobtf-*; do
	[ "$old" = "$out" ] || rm -rf "$old"
done
echo "build-kernel.sh: built in $((SECONDS - t0)) s" >&2
echo "$out"
