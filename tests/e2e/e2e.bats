#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# make vm-e2e: fragmon in kdevops end to end, over SSH, against real guests. Two qemu
# guests (tests/e2e/rootfs.sh: Debian 12 from debootstrap, sshd, python3, the user
# kdevops with sudo) on two Debian kernels, baseline "e2e" on FRAGMON_E2E_BASELINE_KERNEL
# and dev "e2e-dev" on FRAGMON_E2E_DEV_KERNEL (tests/vm/kernels.sh IDs), reachable only
# on 127.0.0.1 port forwards. From this controller: a clone of KDEVOPS_DIR with fragmon
# installed by make kdevops-install, configured by kdevops' own make
# defconfig-xfs+fragmon+e2e and make extra_vars.yaml; a workflow shaped like fstests
# (its role's monitoring imports, `when` and tags, run as make fstests-baseline /
# fstests-dev run it) runs kdevops' own monitoring task files: install, start, a workload
# on each guest, stop, collect, plot. Needs root, qemu, debootstrap; skips without
# KDEVOPS_DIR. Cache: FRAGMON_VM_CACHE (kernels, the root image).

# shellcheck source=tests/e2e/vm.bash
. "$BATS_TEST_DIRNAME/vm.bash"
# shellcheck source=tests/e2e/fstests-role.bash
. "$BATS_TEST_DIRNAME/fstests-role.bash"

setup_file() {
	export FM_TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	export T=$(mktemp -d /tmp/fragmon-e2e.XXXXXX)
	export HOME=$T/home USER=${USER:-$(id -un)}
	mkdir -p "$HOME"
	export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_RETRY_FILES_ENABLED=0
	export ANSIBLE_LOCAL_TEMP=$T/ansible-tmp ANSIBLE_HOME=$T/ansible-home ANSIBLE_LOG_PATH=$T/ansible.log
	export BASE_K=${FRAGMON_E2E_BASELINE_KERNEL:-6.1} DEV_K=${FRAGMON_E2E_DEV_KERNEL:-6.12}
	export KD=$T/kdevops R=$T/kdevops/workflows/fstests/results/monitoring/fragmentation
	e2e_skip_reason > "$T/skip" || true
	[ -s "$T/skip" ] && return 0
	local t0=$SECONDS
	export IMG
	IMG=$(FRAGMON_VM_CACHE=${FRAGMON_VM_CACHE:-$FM_TOP/build/vm} "$BATS_TEST_DIRNAME/rootfs.sh" "$BASE_K" "$DEV_K" 2> "$T/rootfs.log") ||
		{ cat "$T/rootfs.log" >&3; return 1; }
	echo "# root image $IMG ($((SECONDS - t0)) s)" >&3
	export KEY=$T/id_ed25519 P1 P2
	install -m 0600 "$IMG/id_ed25519" "$KEY"
	P1=$(free_port) && vm_start "$IMG" "$T/vm" e2e "$BASE_K" "$P1"
	P2=$(free_port) && vm_start "$IMG" "$T/vm" e2e-dev "$DEV_K" "$P2"
	# meanwhile: the plugin, the workload binary, kdevops configured with fragmon
	make -s -C "$FM_TOP" BUILD="$T/build" kdevops-plugin > "$T/plugin.log" 2>&1 || { cat "$T/plugin.log" >&3; return 1; }
	git clone -q "$KDEVOPS_DIR" "$KD"
	make -s -C "$FM_TOP" BUILD="$T/build" kdevops-install KDEVOPS="$KD" > "$T/install.log" 2>&1 ||
		{ cat "$T/install.log" >&3; return 1; }
	mkdir -p "$HOME/.config/kdevops/defconfigs/configs"
	printf '%s\n' CONFIG_MONITOR_FRAGMENTATION_STOP_TIMEOUT=10 CONFIG_MONITOR_FRAGMENTATION_SNAPSHOT_INTERVAL_MS=500 \
		> "$HOME/.config/kdevops/defconfigs/configs/e2e.config"
	{ make -C "$KD" defconfig-xfs+fragmon+e2e && make -C "$KD" extra_vars.yaml; } > "$T/configure.log" 2>&1 ||
		{ tail -n 20 "$T/configure.log" >&3; return 1; }
	write_inventory
	write_role
	vm_wait "$KEY" "$P1" 300 && vm_wait "$KEY" "$P2" 300 ||
		{ tail -n 20 "$T"/vm/*.console >&3; return 1; }
	echo "# guests up: e2e $(vm_ssh "$KEY" "$P1" uname -r), e2e-dev $(vm_ssh "$KEY" "$P2" uname -r) ($((SECONDS - t0)) s)" >&3
}

teardown_file() {
	[ -n "${T:-}" ] || return 0
	# FRAGMON_E2E_LOGS=dir keeps the plays' logs (timestamps per task), the consoles, the PNGs
	if [ -n "${FRAGMON_E2E_LOGS:-}" ]; then
		mkdir -p "$FRAGMON_E2E_LOGS" && cp "$T"/*.log "$T"/vm/*.console "$R"/*.png "$FRAGMON_E2E_LOGS"/ 2> /dev/null || true
	fi
	vm_stop "$T/vm" e2e
	vm_stop "$T/vm" e2e-dev
	rm -rf "$T"
}

e2e_skip_reason() {
	[ -n "${KDEVOPS_DIR:-}" ] || { echo "KDEVOPS_DIR is not set (a kdevops checkout)"; return; }
	[ "$(id -u)" -eq 0 ] || { echo "needs root (debootstrap, chroot)"; return; }
	local c
	for c in qemu-system-x86_64 qemu-img debootstrap ansible-playbook jq ssh; do
		command -v "$c" > /dev/null || { echo "$c is not installed (make deps)"; return; }
	done
	[ -x "$FM_TOP/fragmon-agent" ] && [ -x "$FM_TOP/fragmon-plot" ] || echo "fragmon-agent/fragmon-plot not built (make agent plot)"
}

setup() {
	[ ! -s "$T/skip" ] || skip "$(cat "$T/skip")"
}

# kdevops' inventory shape: baseline and dev nodes, the kdevops user, sudo for root
write_inventory() {
	cat > "$KD/hosts" <<EOI
[all]
e2e      ansible_host=127.0.0.1 ansible_port=$P1
e2e-dev  ansible_host=127.0.0.1 ansible_port=$P2
[baseline]
e2e
[dev]
e2e-dev
[all:vars]
ansible_user=kdevops
ansible_ssh_private_key_file=$KEY
ansible_python_interpreter=/usr/bin/python3
EOI
	cat > "$KD/ansible.cfg" <<EOC
[defaults]
inventory = hosts
forks = 10
[ssh_connection]
pipelining = True
ssh_args = -o ControlMaster=auto -o ControlPersist=300s -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
control_path_dir = $T/cp
EOC
}

# the fstests-shaped role (fstests-role.bash): the workload between the monitoring
# imports, and a copy_results step after the collect (as fstests copies its results)
write_role() {
	write_fstests_role "$T" "$KD" "- name: Run the tests (a workload that fragments memory)
  ansible.builtin.script: $BATS_TEST_DIRNAME/workload.py
  args:
    executable: python3
  become: true
  register: e2e_workload
  changed_when: true
  tags: [\"oscheck\", \"fstests\", \"run_tests\"]

- name: Record this run's test result
  ansible.builtin.shell: \"echo '{{ e2e_workload.stdout | trim }}' \$(uname -r) \$(date +%s%N) > /var/tmp/e2e-result.txt\"
  changed_when: true
  tags: [\"oscheck\", \"fstests\", \"run_tests\"]

- name: Hang the agent (SIGSTOP), as a stuck monitor would
  ansible.builtin.shell: \"kill -STOP \$(cat {{ monitor_fragmentation_output_dir }}/current/fragmon-agent.pid)\"
  become: true
  changed_when: true
  when: inventory_hostname in e2e_sigstop_hosts | default([])
  tags: [\"oscheck\", \"fstests\", \"run_tests\"]" "- name: Copy the test results
  ansible.builtin.fetch:
    src: /var/tmp/e2e-result.txt
    dest: \"{{ topdir_path }}/workflows/fstests/results/{{ inventory_hostname }}/result.txt\"
    flat: true
  tags: [\"oscheck\", \"fstests\", \"copy_results\"]"
}

# fstests LIMIT [ARGS]: as make fstests-baseline / fstests-dev run the playbook
fstests() {
	local lim=$1 t0=$SECONDS
	shift
	run_fstests "$T" "$KD" "$lim" "$@"
	echo "$output" > "$T/fstests-$lim-$BATS_TEST_NUMBER.log"
	echo "# fstests --limit $lim $*: exit $status in $((SECONDS - t0)) s" >&3
	[ "$status" -eq 0 ] || echo "$output" | tail -n 40
}

is_png() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }

@test "e2e: baseline then dev: both runs fetched into the workflow's results, A/B dashboard made, results copied" {
	fstests baseline
	[ "$status" -eq 0 ]
	fstests dev
	[ "$status" -eq 0 ]
	local h k
	for h in e2e e2e-dev; do
		[ "$(jq -r .metadata.complete "$R/$h/fragmentation_data.json")" = true ]
		[ "$(jq -r .metadata.end_reason "$R/$h/fragmentation_data.json")" = SIGINT ]
		[ "$(jq -r .metadata.hostname "$R/$h/fragmentation_data.json")" = "$h" ]
		[ "$(jq -r .run.snapshot_interval_ms "$R/$h/fragmentation_data.json")" = 500 ]
		# the workload's first run on a fresh guest makes allocations fall back
		[ "$(jq -r '.statistics.events_by_type.extfrag // 0' "$R/$h/fragmentation_data.json")" -gt 0 ]
		[ "$(jq -r .result "$R/$h/fragmon-stop.json")" = stopped-sigint ]
		[ -s "$R/$h/fragmon-agent.log" ]
		is_png "$R/$h.png"
		[ -s "$KD/workflows/fstests/results/$h/result.txt" ]
	done
	[ "$(jq -r .metadata.kernel_version "$R/e2e/fragmentation_data.json")" = "$(cat "$IMG/release-$BASE_K")" ]
	[ "$(jq -r .metadata.kernel_version "$R/e2e-dev/fragmentation_data.json")" = "$(cat "$IMG/release-$DEV_K")" ]
	# the A/B dashboard baseline vs dev, made by the workflow's own collect
	is_png "$R/e2e-vs-e2e-dev.png"
	is_png "$R/overview.png"
	grep -q 'fragmon-agent on e2e: started' "$T/fstests-baseline-$BATS_TEST_NUMBER.log"
	# fetched through the connection user (kdevops, sudo on the guest)
	grep -q 'e2e-dev: fragmentation_data.json, fragmon-agent.log, fragmon-stop.json, fragmon.yaml from /root/monitoring/fragmentation/run-' \
		"$T/fstests-dev-$BATS_TEST_NUMBER.log"
	# kdevops' Python tracker was not installed or run on the guests
	! vm_ssh "$KEY" "$P1" test -e /opt/fragmentation
}

@test "e2e: a hung agent (SIGSTOP) and a broken plotter in one run on both guests: bounded stop, partial data, results copied" {
	local before
	before=$(cat "$KD/workflows/fstests/results/e2e/result.txt" "$KD/workflows/fstests/results/e2e-dev/result.txt")
	# a damaged install: the first 4 KiB of fragmon-plot
	head -c 4096 "$FM_TOP/fragmon-plot" > "$T/broken-plot"
	chmod +x "$T/broken-plot"
	# both guests at once (as make fstests runs them); the agent on e2e hangs
	fstests baseline:dev -e fragmon_plot_bin="$T/broken-plot" -e '{"e2e_sigstop_hosts": ["e2e"]}'
	[ "$status" -eq 0 ]
	# the SIGSTOPped agent: SIGKILL within the configured stop timeout (10 s)
	[[ "$output" == *"fragmon-agent on e2e: stopped-sigkill"* ]]
	[[ "$output" == *"fragmon-agent on e2e-dev: stopped-sigint"* ]]
	[ "$(jq -r .result "$R/e2e/fragmon-stop.json")" = stopped-sigkill ]
	local secs
	secs=$(jq -r .seconds "$R/e2e/fragmon-stop.json")
	echo "# SIGSTOPped agent: stopped-sigkill after $secs s (stop timeout 10 s)" >&3
	awk -v s="$secs" 'BEGIN { exit !(s <= 10.0) }'
	# its partial data, of this run, is what the controller has
	[ -s "$R/e2e/fragmentation_data.json.partial" ]
	[ ! -e "$R/e2e/fragmentation_data.json" ]
	head -c 200 "$R/e2e/fragmentation_data.json.partial" | grep -q '"run"'
	cp "$R/e2e/fragmon-stop.json" "$T/sigstop-stop.json"
	[ "$(jq -r .metadata.complete "$R/e2e-dev/fragmentation_data.json")" = true ]
	# the broken plotter: a warning before the workload, the plot reported, not fatal
	[[ "$output" == *"does not run on the controller"* ]]
	[[ "$output" == *"fragmon plot failed"* ]]
	grep -q 'fragmon: plot failed' "$R/FRAGMON-PLOT-FAILED.txt"
	grep -q 'the workflow went on' "$R/FRAGMON-PLOT-FAILED.txt"
	# the workflow copied this run's results on both guests after that
	[ "$(cat "$KD/workflows/fstests/results/e2e/result.txt" "$KD/workflows/fstests/results/e2e-dev/result.txt")" != "$before" ]
	grep -q "$(cat "$IMG/release-$BASE_K")" "$KD/workflows/fstests/results/e2e/result.txt"
	grep -q "$(cat "$IMG/release-$DEV_K")" "$KD/workflows/fstests/results/e2e-dev/result.txt"
}

@test "e2e: a rerun does not mix old and new files" {
	[ -f "$T/sigstop-stop.json" ] || skip "needs the SIGSTOP test's run before it"
	fstests baseline
	[ "$status" -eq 0 ]
	# plotted again: the note of the broken plotter is gone
	[ ! -e "$R/FRAGMON-PLOT-FAILED.txt" ]
	# this run only: final file, no .partial of the hung run, a different run directory
	[ "$(jq -r .metadata.complete "$R/e2e/fragmentation_data.json")" = true ]
	[ ! -e "$R/e2e/fragmentation_data.json.partial" ]
	[ "$(jq -r .result "$R/e2e/fragmon-stop.json")" = stopped-sigint ]
	[ "$(jq -r .run "$R/e2e/fragmon-stop.json")" != "$(jq -r .run "$T/sigstop-stop.json")" ]
	# the data is that run's file on the guest
	local run
	run=$(jq -r .run "$R/e2e/fragmon-stop.json")
	[ "$(vm_ssh "$KEY" "$P1" sudo sha256sum "$run/fragmentation_data.json" | cut -d' ' -f1)" = \
		"$(sha256sum < "$R/e2e/fragmentation_data.json" | cut -d' ' -f1)" ]
	# the guest keeps every run in its own directory; the controller has the last one
	[ "$(vm_ssh "$KEY" "$P1" sudo sh -c "'ls -d /root/monitoring/fragmentation/run-*'" | wc -l)" -eq 3 ]
	[ "$(ls "$R/e2e" | sort | tr '\n' ' ')" = "fragmentation_data.json fragmon-agent.log fragmon-stop.json fragmon.yaml " ]
	is_png "$R/e2e-vs-e2e-dev.png"
}
