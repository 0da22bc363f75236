#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the capture initramfs (tests/unit/capture.sh): busybox only.  It
# prints what the unit tests read, from this kernel, to the data port ($1 of
# fm.port=, default ttyS1) as
#   === FILE <name> <bytes>\n<bytes>\n=== END <name>\n
# twice: "idle" right after boot, and "frag" after filling memory with
# one-page tmpfs files and deleting every other one (free memory then lies in
# order-0 holes: the fragmentation index of the high orders leaves -1000).
# Each state's buddyinfo and the kernel's own extfrag_index and
# unusable_index are read at one moment ("moment": one cat of buddyinfo,
# both indices and buddyinfo again; capture.sh splits it and keeps it only
# if both buddyinfo reads are equal, trying up to 100 times).
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
T=/sys/kernel/tracing
[ -d $T/events ] || T=/sys/kernel/debug/tracing
port=ttyS1
keep=8192
for a in $(cat /proc/cmdline); do
	case $a in
	fm.port=*) port=${a#fm.port=} ;;
	fm.keep=*) keep=${a#fm.keep=} ;;
	esac
done
out=/dev/$port
stty -F $out raw -echo 2>/dev/null
mkdir -p /cap /fill
mount -t tmpfs -o size=16m cap /cap

emit() { # name file
	[ -e "$2" ] || return 0
	echo "=== FILE $1 $(wc -c < "$2")" > $out
	cat "$2" > $out
	echo "=== END $1" > $out
}

state() { # name: one consistent moment of buddyinfo and the kernel's indices
	d=/cap/$1
	mkdir -p $d
	z=$(wc -l < /proc/buddyinfo)
	n=0
	while [ $n -lt 100 ]; do
		n=$((n + 1))
		# one process reads all four: buddyinfo, the indices, buddyinfo again
		cat /proc/buddyinfo /sys/kernel/debug/extfrag/extfrag_index \
			/sys/kernel/debug/extfrag/unusable_index /proc/buddyinfo > $d/moment
		head -n $z $d/moment > $d/b1
		tail -n $z $d/moment > $d/b2
		cmp -s $d/b1 $d/b2 && break
	done
	echo "$n" > $d/tries
	for f in zoneinfo pagetypeinfo vmstat meminfo; do cat /proc/$f > $d/$f; done
	for f in tries moment zoneinfo pagetypeinfo vmstat meminfo; do
		emit $1/$f $d/$f
	done
}

memfree() { # kB
	while read -r k v u; do
		[ "$k" = MemFree: ] && { echo "$v"; return; }
	done < /proc/meminfo
}

uname -r > /cap/release
uname -m > /cap/machine
emit release /cap/release
emit machine /cap/machine
emit cmdline /proc/cmdline
for e in $(cat /events); do  # written by capture.sh
	emit events/$e/format $T/events/$e/format
done
state idle

# fill: one page per file, until twice the zones' high watermarks (at least
# fm.keep kB, default 8 MiB) are left: below the min watermark the OOM killer
# would end init
total=$(memfree)
high=0
while read -r k v rest; do
	[ "$k" = high ] && high=$((high + v))
done < /proc/zoneinfo
stop=$((high * 2 * 4))
[ $stop -lt $keep ] && stop=$keep
mount -t tmpfs -o size=95%,nr_inodes=0 fill /fill
i=0
full=
while [ -z "$full" ] && [ $i -lt 4000000 ] && [ "$(memfree)" -gt $stop ]; do
	j=0
	while [ $j -lt 250 ]; do
		echo x 2>/dev/null > /fill/$i || { full=" (tmpfs full)"; break; }
		i=$((i + 1))
		j=$((j + 1))
	done
done
(cd /fill && rm -f *[13579])
echo "$i files$full, every other one deleted; MemFree was $total kB" > /cap/fill
emit fill /cap/fill
state frag
echo "=== DONE" > $out
sync
poweroff -f
