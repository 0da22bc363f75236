#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the kernel-matrix initramfs (busybox, the static fragmon-agent,
# its fault-injection build and fragload).  It runs the agent the way a user
# would, under the workload, on the booted kernel.  Cases (fm.cases=a,b,...
# on the kernel command line):
#   btf       the agent as the kernel comes (its BTF visible, if it has any)
#   nobtf     /sys/kernel/btf hidden under a tmpfs (as on a kernel built
#             without CONFIG_DEBUG_INFO_BTF)
#   snapshot  -m snapshot: no BPF at all
#   rejected  the fault-injection agent with FRAGMON_FAULT_REJECT=handle_migrate:
#             the kernel's verifier really rejects that program
#   btffile   --btf /vmlinux.btf --index-source event: a BTF file made by
#             pahole from the kernel's DWARF (kernels built without BTF)
# Everything the host checks goes to the data channel (fm.data=: ttyS1, the
# second UART, by default; "virtio" = the virtio-serial port named fmdata) as
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
cases="btf nobtf snapshot"
rounds=2
data=ttyS1
for a in $(cat /proc/cmdline); do
	case $a in
	fm.cases=*) cases=$(echo "${a#fm.cases=}" | tr , ' ') ;;
	fm.rounds=*) rounds=${a#fm.rounds=} ;;
	fm.data=*) data=${a#fm.data=} ;;
	esac
done
if [ "$data" = virtio ]; then
	out=
	for p in /sys/class/virtio-ports/*; do
		[ "$(cat $p/name 2>/dev/null)" = fmdata ] && out=/dev/${p##*/}
	done
	[ -n "$out" ] || echo "fmvm: no virtio-serial port named fmdata"
else
	out=/dev/$data
	stty -F $out raw -echo 2>/dev/null
fi

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

echo "fmvm: kernel $(uname -r), cases: $cases, data: $out"
emit_text uname "$(uname -r) $(uname -m)"
emit cmdline /proc/cmdline
emit pagetypeinfo /proc/pagetypeinfo
[ -r /sys/kernel/btf/vmlinux ] && emit_text kernel-btf yes || emit_text kernel-btf no

run_case() { # case
	c=$1
	d=/tmp/$c
	mkdir -p $d
	agent=/fragmon-agent
	mode=full
	args=
	unset FRAGMON_FAULT_REJECT
	case $c in
	nobtf) mount -t tmpfs nobtf /sys/kernel/btf ;;
	snapshot) mode=snapshot ;;
	rejected)
		agent=/fragmon-agent-fault
		export FRAGMON_FAULT_REJECT=handle_migrate
		;;
	btffile) args="--btf /vmlinux.btf --index-source event" ;;
	esac
	# shellcheck disable=SC2086
	$agent --probe $args > $d/probe.json 2> $d/probe.err
	emit_text $c/probe.rc $?
	emit $c/probe.json $d/probe.json
	emit $c/probe.err $d/probe.err
	# an independent count of the same tracepoints: an ftrace instance,
	# switched on once the agent is attached and off before it stops, so
	# that its window lies inside the agent's
	i=$T/instances/fmcheck
	rmdir $i 2>/dev/null
	mkdir $i && echo 8192 > $i/buffer_size_kb
	echo 0 > $i/tracing_on
	for ev in kmem/mm_page_alloc_extfrag compaction/mm_compaction_end compaction/mm_compaction_begin; do
		[ -d $i/events/$ev ] && echo 1 > $i/events/$ev/enable
	done
	t0=$(cut -d' ' -f1 /proc/uptime)
	# shellcheck disable=SC2086
	$agent -o $d/out -m $mode -i 500 -q $args 2> $d/agent.log &
	pid=$!
	n=0
	while [ ! -e $d/out/fragmentation_data.json.partial ] && kill -0 $pid 2>/dev/null && [ $n -lt 600 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	t1=$(cut -d' ' -f1 /proc/uptime)
	echo 1 > $i/tracing_on
	# test and phase markers, as fstests and the Ansible role write them
	echo "fragmon: begin vm-$c" > /dev/kmsg
	echo "run fstests vm/$c at $(date '+%F %T')" > /dev/kmsg
	emit_text $c/start "$t0 $t1"
	# rounds of the workload until the instance has seen enough extfrag
	# events: the kernel keeps the pageblocks it claimed, so a round of
	# pipes (UNMOVABLE) provokes fewer the more rounds ran before; the
	# rounds past the first ones first give MOVABLE its pageblocks back
	# (page cache filling 3/4 of the available memory, then removed)
	r=0
	while [ $r -lt $rounds ] || { [ "$mode" = full ] && [ $r -lt 8 ] &&
		[ "$(grep -c ' mm_page_alloc_extfrag:' $i/trace)" -lt 20 ]; }; do
		if [ $r -ge $rounds ]; then
			kb=$(awk '/^MemAvailable:/ { print int($2 * 3 / 4) }' /proc/meminfo)
			mkdir -p /movable
			mount -t tmpfs -o size=${kb}k movable /movable
			dd if=/dev/zero of=/movable/fill bs=64k count=$((kb / 64)) 2>/dev/null
			umount /movable
		fi
		/fragload pipes > /dev/null 2>&1
		/fragload compact > /dev/null 2>&1
		r=$((r + 1))
	done
	emit_text $c/rounds $r
	# let the free lists settle (an RT kernel frees for seconds after the
	# workload, from its RCU threads): /proc/buddyinfo unchanged over
	# 0.5 s, at most 15 s
	n=0
	b=$(cat /proc/buddyinfo)
	while [ $n -lt 30 ]; do
		sleep 0.5
		a=$b
		b=$(cat /proc/buddyinfo)
		n=$((n + 1))
		[ "$a" = "$b" ] && break
	done
	emit_text $c/settle $n
	echo 0 > $i/tracing_on
	# the kernel's own indices, for the agent's last snapshot (taken as it
	# stops): read just before the stop and again once it has exited (it
	# frees its ring buffer and maps at exit, which in a small guest moves
	# the high orders), so that the two reads enclose that snapshot
	cp /sys/kernel/debug/extfrag/extfrag_index $d/extfrag_index 2>/dev/null
	cp /sys/kernel/debug/extfrag/unusable_index $d/unusable_index 2>/dev/null
	echo "fragmon: end vm-$c" > /dev/kmsg
	t2=$(cut -d' ' -f1 /proc/uptime)
	kill -TERM $pid
	# the final file comes first; detaching the programs after it
	while [ ! -e $d/out/fragmentation_data.json ] && kill -0 $pid 2>/dev/null; do
		sleep 0.02
	done
	emit_text $c/final "$t2 $(cut -d' ' -f1 /proc/uptime)"
	wait $pid
	rc=$?
	emit_text $c/stop "$t2 $(cut -d' ' -f1 /proc/uptime)"
	cp /sys/kernel/debug/extfrag/extfrag_index $d/extfrag_index.after 2>/dev/null
	cp /sys/kernel/debug/extfrag/unusable_index $d/unusable_index.after 2>/dev/null
	emit_text $c/agent.rc $rc
	for ev in mm_page_alloc_extfrag mm_compaction_end mm_compaction_begin; do
		emit_text $c/ftrace.$ev "$(grep -c " $ev:" $i/trace)"
	done
	echo 0 > $i/events/enable
	rmdir $i
	for f in extfrag_index unusable_index extfrag_index.after unusable_index.after; do
		emit $c/$f $d/$f
	done
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
	rm -rf $d
	if [ "$c" = nobtf ]; then
		umount /sys/kernel/btf
	fi
}

for c in $cases; do
	run_case $c
	echo "fmvm: case $c done"
done
emit_text "done" yes
echo "fmvm: done"
sync
# reboot, not poweroff: qemu -no-reboot exits on either, and a kernel
# without ACPI (x86) cannot power off
reboot -f
