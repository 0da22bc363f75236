#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Debian kernel packages for the kernel matrix (make vm-test) and the
# end-to-end guests, fetched with apt into a private cache.  The system's apt
# configuration is not changed: each Debian release gets its own sources list
# and state directories under the cache; the mirror is the one this machine's
# apt already uses (/etc/apt/sources.list.d/*.sources or /etc/apt/sources.list).
#
#   kernels.sh fetch ID...     download + unpack; prints "ID DIR" per kernel
#   kernels.sh deb SUITE ARCH PKG   download one package (e.g. busybox-static
#                              for arm64); prints the .deb's path
#   kernels.sh list            the IDs
#
# A kernel directory holds the package (*.deb), vmlinuz, config, version (the
# kernel release, uname -r) and package (its name and version).  A second run
# reuses it; package lists are refreshed once a day (FRAGMON_VM_REFRESH=1
# forces it).  Cache: $FRAGMON_VM_CACHE, default build/vm.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${FRAGMON_VM_CACHE:-$top/build/vm}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# id: suite arch metapackage (it depends on the versioned signed image; we
# take the -unsigned twin of that, the same kernel without the EFI signature)
kernel_row() {
	case $1 in
	5.10) echo "bullseye amd64 linux-image-amd64" ;;
	6.1) echo "bookworm amd64 linux-image-amd64" ;;
	6.1-rt) echo "bookworm amd64 linux-image-rt-amd64" ;;
	6.12) echo "trixie amd64 linux-image-amd64" ;;
	6.12-arm64) echo "trixie arm64 linux-image-arm64" ;;
	*) return 1 ;;
	esac
}
IDS="5.10 6.1 6.1-rt 6.12 6.12-arm64"

die() { echo "kernels.sh: $*" >&2; exit 1; }

# The archive and security URIs this machine's apt uses.
mirror_uris() {
	local f main="" sec="" m s
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		# deb822 stanzas: URIs + Suites
		eval "$(awk '
			function flush() {
				if (uri != "" && suites != "") {
					if (suites ~ /-security/) { if (sec == "") sec = uri }
					else if (main == "") main = uri
				}
				uri = ""; suites = ""
			}
			/^[ \t]*$/ { flush(); next }
			/^URIs:/ { uri = $2 }
			/^Suites:/ { $1 = ""; suites = $0 }
			END { flush(); printf "m=%s; s=%s\n", main, sec }' "$f")"
		[ -z "$main" ] && main=$m
		[ -z "$sec" ] && sec=$s
	done
	if [ -r /etc/apt/sources.list ]; then
		local line
		while read -r line; do
			set -- $line
			[ "${1:-}" = deb ] || continue
			shift
			[[ ${1:-} == \[* ]] && while [[ $1 != *']' ]]; do shift; done && shift
			case ${2:-} in
			*-security) [ -n "$sec" ] || sec=$1 ;;
			*) [ -n "$main" ] || main=$1 ;;
			esac
		done < <(grep -E '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list || true)
	fi
	[ -n "$main" ] || die "no Debian mirror found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list"
	echo "$main ${sec:-}"
}

apt_opts() { # suite arch
	local d=$CACHE/apt/$1-$2
	echo "-o Dir::Etc::sourcelist=$d/sources.list -o Dir::Etc::sourceparts=/nonexistent" \
		"-o Dir::State::Lists=$d/lists -o Dir::Cache=$d/cache -o Dir::State::status=$d/status" \
		"-o APT::Architecture=$2 -o APT::Architectures=$2 -o Debug::NoLocking=1" \
		"-o Acquire::Languages=none -o APT::Get::List-Cleanup=0 -o APT::Sandbox::User=root"
}

apt_setup() { # suite arch: a private sources list and fresh enough lists
	local suite=$1 arch=$2 d=$CACHE/apt/$1-$2 main sec stamp
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
	touch "$d/status"
	read -r main sec < <(mirror_uris)
	{
		echo "deb [arch=$arch signed-by=$KEYRING] $main $suite main"
		echo "deb [arch=$arch signed-by=$KEYRING] $main $suite-updates main"
		[ -n "$sec" ] && echo "deb [arch=$arch signed-by=$KEYRING] $sec $suite-security main"
	} > "$d/sources.list.new"
	stamp=$d/lists/.updated
	if [ "${FRAGMON_VM_REFRESH:-0}" = 1 ] || ! cmp -s "$d/sources.list.new" "$d/sources.list" ||
		[ -z "$(find "$stamp" -mmin -1440 2>/dev/null)" ]; then
		mv "$d/sources.list.new" "$d/sources.list"
		# shellcheck disable=SC2046
		apt-get $(apt_opts "$suite" "$arch") -q update >"$d/update.log" 2>&1 ||
			{ cat "$d/update.log" >&2; die "apt-get update for $suite/$arch failed"; }
		touch "$stamp"
	else
		rm -f "$d/sources.list.new"
	fi
}

apt_field() { # suite arch pkg field
	# shellcheck disable=SC2046
	apt-cache $(apt_opts "$1" "$2") show --no-all-versions "$3" 2>/dev/null |
		awk -v f="$4:" '$1 == f && !n++ { $1 = ""; sub(/^ /, ""); print }'
}
# (the awk scripts read to the end: an early exit would kill the writer with
# SIGPIPE, and pipefail would make that an error)

debs_of() { # dir pkg arch: the package's files (arch or all)
	ls "$1/$2_"*"_$3.deb" "$1/$2_"*"_all.deb" 2>/dev/null || true
}

download() { # suite arch pkg dir -> path of the .deb
	local suite=$1 arch=$2 pkg=$3 dir=$4 ver deb old
	ver=$(apt_field "$suite" "$arch" "$pkg" Version)
	[ -n "$ver" ] || die "$pkg ($suite/$arch): no such package on the mirror"
	deb=$(debs_of "$dir" "$pkg" "$arch" | sed -n 1p)
	if [ -n "$deb" ] && [ "$(dpkg-deb -f "$deb" Version)" = "$ver" ]; then
		echo "$deb"
		return
	fi
	mkdir -p "$dir"
	# shellcheck disable=SC2046
	(cd "$dir" && apt-get $(apt_opts "$suite" "$arch") -q download "$pkg=$ver" >/dev/null) ||
		die "cannot download $pkg=$ver ($suite/$arch)"
	for old in $(debs_of "$dir" "$pkg" "$arch"); do
		[ "$(dpkg-deb -f "$old" Version)" = "$ver" ] || rm -f "$old"
	done
	debs_of "$dir" "$pkg" "$arch" | sed -n 1p
}

fetch_kernel() { # id -> prints "id dir"
	local id=$1 row suite arch meta image pkg dir deb rel tmp
	row=$(kernel_row "$id") || die "unknown kernel '$id' (known: $IDS)"
	read -r suite arch meta <<<"$row"
	apt_setup "$suite" "$arch"
	image=$(apt_field "$suite" "$arch" "$meta" Depends | tr ',' '\n' |
		awk '$1 ~ /^linux-image-[0-9]/ && !n++ { print $1 }')
	[ -n "$image" ] || die "$meta ($suite/$arch) names no versioned kernel image"
	pkg=$image-unsigned
	dir=$CACHE/kernels/$id
	deb=$(download "$suite" "$arch" "$pkg" "$dir")
	if [ ! -s "$dir/vmlinuz" ] || [ "$(cat "$dir/package" 2>/dev/null)" != "$(basename "$deb")" ]; then
		tmp=$(mktemp -d "$dir/x.XXXXXX")
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards './boot/*'
		rel=$(basename "$(ls "$tmp"/boot/config-* | head -n 1)")
		rel=${rel#config-}
		cp "$tmp/boot/vmlinuz-$rel" "$dir/vmlinuz"
		cp "$tmp/boot/config-$rel" "$dir/config"
		echo "$rel" > "$dir/version"
		basename "$deb" > "$dir/package"
		rm -rf "$tmp"
	fi
	echo "$id $dir"
}

cmd=${1:-}
shift || true
case $cmd in
fetch)
	[ $# -gt 0 ] || set -- $IDS
	for id in "$@"; do fetch_kernel "$id"; done
	;;
deb)
	[ $# -eq 3 ] || die "usage: kernels.sh deb SUITE ARCH PKG"
	apt_setup "$1" "$2"
	download "$1" "$2" "$3" "$CACHE/debs/$1-$2"
	;;
list) echo "$IDS" ;;
*) die "usage: kernels.sh fetch [ID...] | deb SUITE ARCH PKG | list" ;;
esac
