#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the kernel-matrix initramfs (busybox, the static fragmon-agent and
# fragload).  It runs the agent the way a user would, under the workload, on
# the booted kernel: once as the kernel comes (its BTF visible) and once with
# /sys/kernel/btf hidden under a tmpfs (as on a kernel built without
# CONFIG_DEBUG_INFO_BTF), then a snapshot-mode run.  Everything the host
# checks goes to the second serial port (ttyS1) as
#   === FILE <name> <bytes>\n<bytes>\n=== END <name>\n
# and tests/vm/check.py judges it: this script decides nothing.
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t tmpfs tmp /tmp
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
T=/sys/kernel/tracing
[ -d $T/events ] || T=/sys/kernel/debug/tracing
stty -F /dev/ttyS1 raw -echo 2>/dev/null
out=/dev/ttyS1
# kernel command line: fm.cases="btf nobtf snapshot" fm.rounds=N
cases="btf nobtf snapshot"
rounds=2
for a in $(cat /proc/cmdline); do
	case $a in
	fm.cases=*) cases=$(echo "${a#fm.cases=}" | tr , ' ') ;;
	fm.rounds=*) rounds=${a#fm.rounds=} ;;
	esac
done

emit() { # name file
	[ -e "$2" ] || return 0
	echo "=== FILE $1 $(wc -c < "$2")" > $out
	cat "$2" > $out
	echo "=== END $1" > $out
}
emit_text() { # name text
	printf '%s\n' "$2" > /tmp/.t
	emit "$1" /tmp/.t
}

echo "fmvm: kernel $(uname -r), cases: $cases"
emit_text uname "$(uname -r) $(uname -m)"
emit cmdline /proc/cmdline
emit pagetypeinfo /proc/pagetypeinfo
[ -r /sys/kernel/btf/vmlinux ] && emit_text kernel-btf yes || emit_text kernel-btf no

run_case() { # case
	c=$1
	d=/tmp/$c
	mkdir -p $d
	if [ "$c" = nobtf ]; then
		mount -t tmpfs nobtf /sys/kernel/btf
	fi
	/fragmon-agent --probe > $d/probe.json 2> $d/probe.err
	emit_text $c/probe.rc $?
	emit $c/probe.json $d/probe.json
	emit $c/probe.err $d/probe.err
	mode=full
	[ "$c" = snapshot ] && mode=snapshot
	# an independent count of the same tracepoints: an ftrace instance
	i=$T/instances/fmcheck
	rmdir $i 2>/dev/null
	mkdir $i && echo 8192 > $i/buffer_size_kb
	for ev in kmem/mm_page_alloc_extfrag compaction/mm_compaction_end compaction/mm_compaction_begin; do
		[ -d $i/events/$ev ] && echo 1 > $i/events/$ev/enable
	done
	echo 1 > $i/tracing_on
	t0=$(cut -d' ' -f1 /proc/uptime)
	/fragmon-agent -o $d/out -m $mode -i 500 -q 2> $d/agent.log &
	pid=$!
	n=0
	while [ ! -e $d/out/fragmentation_data.json.partial ] && kill -0 $pid 2>/dev/null && [ $n -lt 600 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	t1=$(cut -d' ' -f1 /proc/uptime)
	emit_text $c/start "$t0 $t1"
	# rounds of the workload until the instance has seen enough extfrag
	# events: the kernel keeps the pageblocks it claimed, so a round
	# provokes fewer the more rounds ran before
	r=0
	while [ $r -lt $rounds ] || { [ "$mode" = full ] && [ $r -lt 8 ] &&
		[ "$(grep -c ' mm_page_alloc_extfrag:' $i/trace)" -lt 20 ]; }; do
		/fragload pipes > /dev/null 2>&1
		/fragload compact > /dev/null 2>&1
		r=$((r + 1))
	done
	emit_text $c/rounds $r
	sleep 1
	# the kernel's own indices, for the agent's last snapshot: read before
	# the stop, as the agent frees its memory (ring buffer, maps) at exit
	# and in a small guest that moves the high orders
	cp /sys/kernel/debug/extfrag/extfrag_index $d/extfrag_index 2>/dev/null
	cp /sys/kernel/debug/extfrag/unusable_index $d/unusable_index 2>/dev/null
	kill -TERM $pid
	wait $pid
	emit_text $c/agent.rc $?
	echo 0 > $i/tracing_on
	for ev in mm_page_alloc_extfrag mm_compaction_end mm_compaction_begin; do
		emit_text $c/ftrace.$ev "$(grep -c " $ev:" $i/trace)"
	done
	echo 0 > $i/events/enable
	rmdir $i
	emit $c/extfrag_index $d/extfrag_index
	emit $c/unusable_index $d/unusable_index
	emit $c/agent.log $d/agent.log
	ls -la $d/out > $d/ls 2>&1
	emit $c/ls $d/ls
	if [ -e $d/out/fragmentation_data.json ]; then
		gzip -c $d/out/fragmentation_data.json > $d/final.gz
		emit $c/final.json.gz $d/final.gz
	elif [ -e $d/out/fragmentation_data.json.partial ]; then
		gzip -c $d/out/fragmentation_data.json.partial > $d/partial.gz
		emit $c/partial.json.gz $d/partial.gz
	fi
	rm -rf $d/out
	if [ "$c" = nobtf ]; then
		umount /sys/kernel/btf
	fi
}

for c in $cases; do
	run_case $c
	echo "fmvm: case $c done"
done
emit_text done yes
echo "fmvm: done"
sync
poweroff -f
