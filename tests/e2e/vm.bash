# SPDX-License-Identifier: GPL-2.0
# qemu guests for make vm-e2e (sourced by tests/e2e/e2e.bats). Software emulation
# (-accel tcg), 1 vCPU, 1 GiB; the disk is a qcow2 overlay on the cached root image
# (tests/e2e/rootfs.sh), so the cache is never written; SSH only through a port forward
# on 127.0.0.1 (user networking with restrict=on: the guest reaches nothing else).

# free_port: an unused TCP port on 127.0.0.1
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# vm_start IMAGE_DIR RUN_DIR NAME KERNEL_ID PORT: boot a guest in the background
vm_start() {
	local img=$1 dir=$2 name=$3 kid=$4 port=$5
	mkdir -p "$dir"
	qemu-img create -q -f qcow2 -b "$img/rootfs.img" -F raw "$dir/$name.qcow2"
	qemu-system-x86_64 -accel tcg -m 1024 -smp 1 -display none -no-reboot -daemonize \
		-pidfile "$dir/$name.pid" -serial "file:$dir/$name.console" \
		-kernel "$img/vmlinuz-$kid" -initrd "$img/initrd-$kid" \
		-append "root=/dev/vda rw console=ttyS0 e2e.hostname=$name panic=-1" \
		-drive "file=$dir/$name.qcow2,if=virtio,format=qcow2" \
		-netdev "user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:$port-:22" \
		-device virtio-net-pci,netdev=n0
}

# vm_ssh KEY PORT CMD...: run CMD on a guest as kdevops
vm_ssh() {
	local key=$1 port=$2
	shift 2
	ssh -q -o BatchMode=yes -o ConnectTimeout=5 -o StrictHostKeyChecking=no \
		-o UserKnownHostsFile=/dev/null -i "$key" -p "$port" kdevops@127.0.0.1 "$@"
}

# vm_wait KEY PORT SECONDS: until sshd answers
vm_wait() {
	local i
	for i in $(seq "$3"); do
		vm_ssh "$1" "$2" true 2> /dev/null && return 0
		sleep 1
	done
	return 1
}

# vm_stop RUN_DIR NAME: power off (SIGTERM to qemu; SIGKILL after 5 s)
vm_stop() {
	local pid i
	pid=$(cat "$1/$2.pid" 2> /dev/null) || return 0
	[ -n "$pid" ] && kill -0 "$pid" 2> /dev/null || return 0
	tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q qemu-system || return 0
	kill "$pid"
	for i in $(seq 50); do
		kill -0 "$pid" 2> /dev/null || return 0
		sleep 0.1
	done
	kill -9 "$pid" 2> /dev/null || true
}
