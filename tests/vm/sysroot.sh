#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# sysroot.sh SUITE ARCH DIR: a sysroot of Debian's -dev packages for
# cross-building the static agent (make ARCH=arm64): libc, the kernel's UAPI
# headers and the agent's libraries, downloaded with tests/vm/kernels.sh deb
# (a private apt cache; the system's apt configuration and dpkg database are
# not touched) and unpacked into DIR.  DIR/.packages lists what DIR holds; a
# second run with the same package versions does nothing.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: sysroot.sh SUITE ARCH DIR" >&2; exit 2; }
suite=$1 arch=$2 dir=$3
here=$(cd "$(dirname "$0")" && pwd)
PKGS="libc6 libc6-dev linux-libc-dev libbpf-dev libelf-dev zlib1g-dev libzstd-dev libyaml-dev libyajl-dev"

debs=()
for p in $PKGS; do debs+=("$("$here/kernels.sh" deb "$suite" "$arch" "$p")"); done
want=$(for d in "${debs[@]}"; do basename "$d"; done)
if [ -d "$dir" ] && [ "$(cat "$dir/.packages" 2>/dev/null)" = "$want" ]; then
	exit 0
fi
mkdir -p "$(dirname "$dir")"
tmp=$(mktemp -d "$(dirname "$dir")/.sysroot.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for d in "${debs[@]}"; do dpkg-deb -x "$d" "$tmp"; done
echo "$want" >"$tmp/.packages"
rm -rf "$dir"
mv "$tmp" "$dir"
echo "sysroot.sh: $suite/$arch sysroot in $dir" >&2
