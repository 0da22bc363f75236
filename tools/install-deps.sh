#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages fragmon needs to build and test, only those
# missing. Run as root (or with sudo available). Debian 12 (bookworm).
set -euo pipefail

PKGS=(
	make gcc clang llvm bpftool pkg-config
	libbpf-dev libelf-dev zlib1g-dev libzstd-dev libyaml-dev libyajl-dev
	libgd-dev libfreetype-dev libcurl4-openssl-dev fonts-dejavu-core libpng-dev
	bats jq python3 file procps psmisc kmod prometheus prometheus-node-exporter
	ansible-core ansible-lint kconfig-frontends bison flex
	clang-format libclang-rt-14-dev libfuzzer-14-dev valgrind time
	qemu-system-x86 qemu-system-arm busybox-static cpio xz-utils dwarves bc libssl-dev gcc-aarch64-linux-gnu
	debootstrap qemu-utils openssh-client
)
[ -n "${FRAGMON_EXTRA_PKGS:-}" ] && PKGS+=(${FRAGMON_EXTRA_PKGS})

missing=()
for p in "${PKGS[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "fragmon: installing missing packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
