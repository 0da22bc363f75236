#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages (Debian 12, bookworm) of the sets named, only
# those missing. Run as root (or with sudo available).
#
#   tools/install-deps.sh [-n] SET...    SET: build test fuzz vm all
#   tools/install-deps.sh --list SET...  print the packages of the sets, one a line
#
#   build  compile and run both programs and the workload: make, make demo
#   test   the test suite and its checks: make check (with build)
#   fuzz   libFuzzer and valgrind: make fuzz, make check-asan, make check-leaks
#   vm     emulators, the arm64 cross compiler, kernel builds, guest images:
#          make vm-test, make vm-e2e, make ARCH=arm64
#
# -n prints what would be installed and installs nothing. FRAGMON_EXTRA_PKGS
# adds packages. Each make target calls this with its sets (top Makefile, "deps").
set -euo pipefail

declare -A SET
SET[build]="make gcc clang llvm bpftool pkgconf
	libbpf-dev libelf-dev zlib1g-dev libzstd-dev libyaml-dev libyajl-dev
	libgd-dev libfreetype-dev libpng-dev libcurl4-openssl-dev fonts-dejavu-core"
SET[test]="bats jq python3 python3-yaml file procps time git xz-utils clang-format
	prometheus prometheus-node-exporter ansible-core ansible ansible-lint
	kconfig-frontends bison flex pahole"
SET[fuzz]="libclang-rt-14-dev libfuzzer-14-dev valgrind"
SET[vm]="qemu-system-x86 qemu-system-arm qemu-utils gcc-aarch64-linux-gnu busybox-static
	cpio xz-utils file pahole bc bison flex libssl-dev debootstrap e2fsprogs openssh-client"
ORDER="build test fuzz vm"

usage() {
	echo "usage: tools/install-deps.sh [-n | --list] SET... (SET: $ORDER all)" >&2
	exit 2
}

dry=0 list=0
case "${1:-}" in
-n) dry=1 && shift ;;
--list) list=1 && shift ;;
esac
[ $# -gt 0 ] || usage

pkgs=()
for s in "$@"; do
	[ "$s" = all ] && set -- $ORDER && break
done
for s in "$@"; do
	[ -n "${SET[$s]:-}" ] || { echo "tools/install-deps.sh: unknown set '$s'" >&2 && usage; }
	for p in ${SET[$s]}; do
		[[ " ${pkgs[*]} " == *" $p "* ]] || pkgs+=("$p")
	done
done
# shellcheck disable=SC2206 # a list of words
[ -n "${FRAGMON_EXTRA_PKGS:-}" ] && pkgs+=(${FRAGMON_EXTRA_PKGS})

if [ $list -eq 1 ]; then
	printf '%s\n' "${pkgs[@]}"
	exit 0
fi

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
if [ $dry -eq 1 ]; then
	echo "fragmon: sets $*: ${#pkgs[@]} packages, missing: ${missing[*]:-none}"
	exit 0
fi
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "fragmon: installing missing packages ($*): ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
