#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# fragmon inside a real kdevops: KDEVOPS_DIR=/path/to/kdevops (a checkout or a git
# directory; .ci/run sets it where the snapshot exists). Every test works in clones of
# it, with HOME in a temporary directory (kdevops keeps plugins under ~/.config/kdevops),
# and runs kdevops' own make targets (defconfig-*, extra_vars.yaml, plugin-add, the
# plugin's targets) and kdevops' own monitoring task files. Without KDEVOPS_DIR they skip.

setup_file() {
	export FM_TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	export T=$(mktemp -d /tmp/fragmon-kdevops-test.XXXXXX)
	export HOME=$T/home
	# kdevops' Kconfig takes defaults from $USER
	export USER=${USER:-$(id -un)}
	mkdir -p "$HOME"
	export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_RETRY_FILES_ENABLED=0
	export ANSIBLE_LOCAL_TEMP=$T/ansible-tmp ANSIBLE_REMOTE_TEMP=$T/ansible-tmp ANSIBLE_HOME=$T/ansible-home
	[ -n "${KDEVOPS_DIR:-}" ] || return 0
	# the upstream the test trees are cloned from
	git clone -q "$KDEVOPS_DIR" "$T/upstream"
	if [ -x "$FM_TOP/fragmon-agent" ] && [ -x "$FM_TOP/fragmon-plot" ]; then
		fm_make kdevops-plugin > "$T/plugin-build.log" 2>&1 || true
	fi
	# a defconfig fragment for the two local nodes: one output directory each (an
	# extra var templated per host), short timeouts
	mkdir -p "$HOME/.config/kdevops/defconfigs/configs"
	cat > "$HOME/.config/kdevops/defconfigs/configs/fmtest.config" <<EOC
CONFIG_MONITOR_FRAGMENTATION_OUTPUT_DIR="$T/target/{{ inventory_hostname }}"
CONFIG_MONITOR_FRAGMENTATION_SNAPSHOT_INTERVAL_MS=250
CONFIG_MONITOR_FRAGMENTATION_MAX_OUTPUT_MB=64
CONFIG_MONITOR_FRAGMENTATION_STOP_TIMEOUT=20
CONFIG_KDEVOPS_USER_CONFIG_ENABLE=y
EOC
}

teardown_file() {
	[ -n "${T:-}" ] || return 0
	local p
	for p in "$T"/target/*/run-*/fragmon-agent.pid; do
		[ -f "$p" ] && kill -9 "$(cat "$p")" 2>/dev/null
	done
	rm -rf "$T"
}

# shellcheck source=tests/e2e/fstests-role.bash
. "$BATS_TEST_DIRNAME/../e2e/fstests-role.bash"

fm_make() {
	make -s -C "$FM_TOP" BUILD="$T/build" FRAGMON_AGENT_BIN="$FM_TOP/fragmon-agent" \
		FRAGMON_PLOT_BIN="$FM_TOP/fragmon-plot" "$@"
}

setup() {
	[ -n "${KDEVOPS_DIR:-}" ] || skip "KDEVOPS_DIR is not set (a kdevops checkout to test against)"
	[ -d "$T/upstream/playbooks/roles/monitoring/tasks" ] || skip "$KDEVOPS_DIR has no playbooks/roles/monitoring"
	command -v ansible-playbook > /dev/null || skip "ansible-core not installed"
	command -v jq > /dev/null || skip "jq not installed"
	command -v bison > /dev/null && command -v flex > /dev/null || skip "bison and flex are needed to build kdevops' kconfig"
	[ -x "$FM_TOP/fragmon-agent" ] || skip "fragmon-agent not built (make agent)"
	[ -x "$FM_TOP/fragmon-plot" ] || skip "fragmon-plot not built (make plot)"
	[ -f "$T/build/kdevops-plugin/.kdevops/plugin.yaml" ] || { cat "$T/plugin-build.log"; false; }
}

require_bpf() {
	[ "$(id -u)" -eq 0 ] || skip "the agent needs root"
	[ -r /sys/kernel/btf/vmlinux ] || skip "kernel has no BTF: the agent cannot attach"
}

# new_tree NAME: a clone of the upstream, as a user has it
new_tree() {
	git clone -q "$T/upstream" "$T/$1"
	echo "$T/$1"
}

# kd_make DIR TARGET...: kdevops' make, output in $output and $T/make.log
kd_make() {
	local d=$1
	shift
	run make -C "$d" "$@"
	echo "$output" > "$T/make.log"
}

# configure DIR: kdevops' own defconfig with fragmon and the test fragment, extra_vars.yaml
configure() {
	kd_make "$1" defconfig-xfs+fragmon+fmtest
	[ "$status" -eq 0 ] || { echo "$output" | tail -n 20; return 1; }
	kd_make "$1" extra_vars.yaml
	[ "$status" -eq 0 ] || { echo "$output" | tail -n 20; return 1; }
}

# kdevops' inventory and ansible.cfg for two local nodes, baseline and dev (not sudo)
write_hosts() {
	cat > "$1/hosts" <<EOI
[all]
node
node-dev
[baseline]
node
[dev]
node-dev
[all:vars]
ansible_connection=local
ansible_python_interpreter=/usr/bin/python3
ansible_become=false
fragmon_become=false
fragmon_install_dir=$T/bin
fragmon_fetch_dir=$T/fetch/{{ inventory_hostname }}
EOI
	printf '[defaults]\ninventory = hosts\n' > "$1/ansible.cfg"
}

# fstests-shaped role (tests/e2e/fstests-role.bash): a workload, kdevops' monitor-results
# collection mid-run, and a copy_results step after the collect
write_role() {
	write_fstests_role "$T" "$1" "- name: Run the tests
  ansible.builtin.shell: \"sleep 2; mkdir -p $T/results; date +%s%N > $T/results/{{ inventory_hostname }}.result\"
  changed_when: true
  tags: [\"oscheck\", \"fstests\", \"run_tests\"]

- name: Interim results, as kdevops' make monitor-results
  ansible.builtin.import_tasks: $1/playbooks/roles/monitoring/tasks/monitor_collect_only.yml
  tags: [\"run_tests\"]

- name: More tests
  ansible.builtin.command: sleep 1
  changed_when: true
  tags: [\"oscheck\", \"fstests\", \"run_tests\"]" "- name: Copy the test results
  ansible.builtin.fetch:
    src: \"$T/results/{{ inventory_hostname }}.result\"
    dest: \"{{ topdir_path }}/workflows/fstests/results/{{ inventory_hostname }}/result.txt\"
    flat: true
  tags: [\"oscheck\", \"fstests\", \"copy_results\"]"
}

# fstests KDIR LIMIT [ARGS]: the playbook as make fstests-baseline / fstests-dev run it
fstests() {
	local kd=$1 lim=$2
	shift 2
	run_fstests "$T" "$kd" "$lim" "$@"
	echo "$output" > "$T/fstests-$lim.log"
	echo "$output" | tail -n 25
}

# gone PID: PID has exited (a zombie not reaped yet by whoever inherited it counts)
gone() {
	local i
	for i in $(seq 30); do
		[ -d "/proc/$1" ] || return 0
		[ "$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2> /dev/null)" = Z ] && return 0
		sleep 0.1
	done
	return 1
}

is_png() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }

yamlval() { python3 -c 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1])).get(sys.argv[2])))' "$1" "$2"; }

@test "kdevops: with the plugin only (no hook series), defconfig, +fragmon, olddefconfig, extra_vars.yaml work; tree untouched" {
	local kd
	kd=$(new_tree plain)
	kd_make "$kd" kdevops-plugin-add URL="$T/build/kdevops-plugin" < /dev/null
	[ "$status" -eq 0 ]
	cp "$T/build/kdevops-plugin/.kdevops/defconfigs/configs/fragmon.config" "$HOME/.config/kdevops/defconfigs/configs/"
	# kdevops sources the plugin's Kconfig twice here: the plugin's guard takes the second
	grep -q 'Kconfig.plugins' "$HOME/.config/kdevops/Kconfig"
	kd_make "$kd" defconfig-xfs
	echo "$output" | tail -n 5
	[ "$status" -eq 0 ]
	! grep -q 'CONFIG_MONITOR_FRAGMENTATION_MODE=' "$kd/.config"
	configure "$kd"
	grep -qx 'CONFIG_MONITOR_FRAGMENTATION_MODE="full"' "$kd/.config"
	[ "$(grep -c '^CONFIG_MONITOR_FRAGMENTATION_STRICT\|^# CONFIG_MONITOR_FRAGMENTATION_STRICT' "$kd/.config")" -eq 1 ]
	# kdevops' own conf, as menuconfig saves: olddefconfig after a change
	sed -i 's/^CONFIG_MONITOR_FRAGMENTATION_MODE_FULL=y/# CONFIG_MONITOR_FRAGMENTATION_MODE_FULL is not set/; $a CONFIG_MONITOR_FRAGMENTATION_MODE_EXTFRAG=y' "$kd/.config"
	(cd "$kd" && KCONFIG_YAMLCFG="$kd/.extra_vars_auto.yaml" scripts/kconfig/conf --olddefconfig Kconfig) > "$T/old.log" 2>&1 ||
		{ cat "$T/old.log"; false; }
	kd_make "$kd" extra_vars.yaml
	[ "$status" -eq 0 ]
	local ev=$kd/extra_vars.yaml
	[ "$(yamlval "$ev" monitor_memory_fragmentation)" = true ]
	[ "$(yamlval "$ev" monitor_fragmentation_mode)" = '"extfrag"' ]
	[ "$(yamlval "$ev" monitor_fragmentation_stop_timeout)" = 20 ]
	[ "$(yamlval "$ev" monitor_fragmentation_snapshot_interval_ms)" = 250 ]
	[ "$(yamlval "$ev" monitor_fragmentation_strict)" = false ]
	[ "$(yamlval "$ev" monitor_fragmentation_plot)" = true ]
	[ "$(yamlval "$ev" kdevops_workflow_name)" = '"fstests"' ]
	# the same lines as our standalone `make extra-vars` writes for the same .config
	"$FM_TOP/kconfig/config2yaml.sh" ansible "$kd/.config" "$FM_TOP/kconfig/Kconfig.monitor" \
		"$FM_TOP/kconfig/Kconfig.fragmon" | grep -E '^monitor_(memory_)?fragmentation' | sort > "$T/ours"
	grep -E '^monitor_(memory_)?fragmentation' "$ev" | grep -v '_by_\|_plugin\|_kernel_btf' | sort > "$T/theirs"
	diff "$T/ours" "$T/theirs"
	# the plugin Makefile is included twice too (user config enabled): no warning
	kd_make "$kd" fragmon-help-menu
	[ "$status" -eq 0 ]
	[[ "$output" != *"warning: overriding"* ]]
	[ "$(echo "$output" | grep -c '^fragmon-start')" -eq 1 ]
	# kdevops' tracked files are untouched
	[ -z "$(git -C "$kd" status --porcelain --untracked-files=no)" ]
	rm -rf "$HOME/.config/kdevops/plugins" "$HOME/.config/kdevops/plugins.json" "$HOME/.config/kdevops/Kconfig"* \
		"$HOME/.config/kdevops/Makefile"* "$HOME/.config/kdevops/defconfigs/configs/fragmon.config"
}

@test "kdevops: the patch series applies with git am; install then leaves kdevops untouched" {
	local kd p
	kd=$(new_tree am)
	for p in "$FM_TOP"/kdevops/patches/[0-9]*.patch; do
		head -1 "$p" | grep -q '^From [0-9a-f]\{40\} '
	done
	git -C "$kd" -c user.name=t -c user.email=t@invalid am -q "$FM_TOP"/kdevops/patches/[0-9]*.patch
	[ "$(git -C "$kd" rev-list --count HEAD ^origin/HEAD)" -eq "$(ls "$FM_TOP"/kdevops/patches/[0-9]*.patch | wc -l)" ]
	# what lands in kdevops' files is under kdevops' licence
	! git -C "$kd" diff origin/HEAD HEAD | grep '^+.*SPDX-License-Identifier' | grep -v 'copyleft-next-0.3.1'
	git -C "$kd" diff origin/HEAD HEAD | grep -q '^+# SPDX-License-Identifier: copyleft-next-0.3.1'
	run fm_make kdevops-install KDEVOPS="$kd"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"has the monitoring plugin hook: its files are not touched"* ]]
	[ -z "$(git -C "$kd" status --porcelain)" ]
	run "$FM_TOP/kdevops/kdevops-tree.sh" status "$kd"
	[[ "$output" == *"plugin: installed"*"hook: in-kdevops"* ]]
	configure "$kd"
	[ "$(yamlval "$kd/extra_vars.yaml" monitor_fragmentation_by_plugin)" = true ]
	[ "$(yamlval "$kd/extra_vars.yaml" monitor_fragmentation_by_tracker)" = false ]
	# kdevops' tracker stays available as the other choice
	printf 'CONFIG_MONITOR_FRAGMENTATION_BY_TRACKER=y\n' > "$HOME/.config/kdevops/defconfigs/configs/tracker.config"
	kd_make "$kd" defconfig-xfs+fragmon+tracker
	[ "$status" -eq 0 ]
	grep -qx 'CONFIG_MONITOR_FRAGMENTATION_BY_TRACKER=y' "$kd/.config"
	! grep -q 'CONFIG_MONITOR_FRAGMENTATION_MODE=' "$kd/.config"
	# the BTF choice for kdevops' kernels, off by default
	grep -qx '# CONFIG_MONITOR_FRAGMENTATION_KERNEL_BTF is not set' "$kd/.config"
	run fm_make kdevops-uninstall KDEVOPS="$kd"
	[ "$status" -eq 0 ]
	[ -z "$(git -C "$kd" status --porcelain)" ]
}

@test "kdevops: install on a kdevops without the hook applies the series; kdevops-update pulls through it; uninstall restores" {
	# its own upstream, which gets a commit
	local kd up=$T/up-hooked
	git clone -q "$T/upstream" "$up"
	git -C "$up" config user.name test && git -C "$up" config user.email test@invalid
	git clone -q "$up" "$T/hooked"
	kd=$T/hooked
	run fm_make kdevops-install KDEVOPS="$kd"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"applied the monitoring hook series"* ]]
	run "$FM_TOP/kdevops/kdevops-tree.sh" status "$kd"
	[[ "$output" == *"hook: applied-by-fragmon"* ]]
	git -C "$kd" diff > "$T/first.diff"
	[ -s "$T/first.diff" ]
	[ -f "$kd/playbooks/roles/monitoring/tasks/plugins.yml" ]
	# again: same tree
	run fm_make kdevops-install KDEVOPS="$kd"
	[ "$status" -eq 0 ]
	git -C "$kd" diff | cmp - "$T/first.diff"
	[ "$(jq '.plugins | length' "$HOME/.config/kdevops/plugins.json")" -eq 1 ]
	configure "$kd"
	[ "$(yamlval "$kd/extra_vars.yaml" monitor_fragmentation_by_plugin)" = true ]

	# upstream changes a file the series changes: a plain git pull refuses ...
	sed -i '3s/.*/# upstream change/' "$up/playbooks/roles/monitoring/tasks/monitor_run.yml"
	git -C "$up" commit -qam "monitoring: upstream change"
	run git -C "$kd" pull --ff-only
	[ "$status" -ne 0 ]
	[[ "$output" == *"local changes"* ]]
	# ... make kdevops-update takes the series out, pulls, puts it back
	run fm_make kdevops-update KDEVOPS="$kd"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(git -C "$kd" rev-parse HEAD)" = "$(git -C "$up" rev-parse HEAD)" ]
	sed -n 3p "$kd/playbooks/roles/monitoring/tasks/monitor_run.yml" | grep -qx '# upstream change'
	grep -q 'monitoring_plugin_step: run' "$kd/playbooks/roles/monitoring/tasks/monitor_run.yml"
	run "$FM_TOP/kdevops/kdevops-tree.sh" status "$kd"
	[[ "$output" == *"hook: applied-by-fragmon"* ]]

	run fm_make kdevops-uninstall KDEVOPS="$kd"
	[ "$status" -eq 0 ]
	[ -z "$(git -C "$kd" status --porcelain --untracked-files=no)" ]
	[ ! -e "$kd/playbooks/roles/monitoring/tasks/plugins.yml" ]
	! jq -e '.plugins.fragmon' "$HOME/.config/kdevops/plugins.json"
	[ ! -e "$HOME/.config/kdevops/defconfigs/configs/fragmon.config" ]
	run fm_make kdevops-uninstall KDEVOPS="$kd"
	[ "$status" -eq 0 ]
}

@test "kdevops: an fstests-shaped workflow through kdevops' monitoring files: baseline, dev, interim, broken plotter, monitor-kill" {
	require_bpf
	local kd
	kd=$(new_tree wf)
	run fm_make kdevops-install KDEVOPS="$kd"
	[ "$status" -eq 0 ]
	configure "$kd"
	write_hosts "$kd"
	write_role "$kd"
	local lim
	for lim in baseline dev; do
		fstests "$kd" "$lim"
		[ "$status" -eq 0 ]
	done
	local r=$kd/workflows/fstests/results/monitoring/fragmentation h
	for h in node node-dev; do
		[ "$(jq -r .metadata.complete "$r/$h/fragmentation_data.json")" = true ]
		[ "$(jq -r .run.snapshot_interval_ms "$r/$h/fragmentation_data.json")" = 250 ]
		[ "$(jq -r .metadata.complete "$r/interim/$h/fragmentation_data.json")" = false ]
		[ -s "$r/$h/fragmon-agent.log" ]
		is_png "$r/$h.png"
		[ -s "$kd/workflows/fstests/results/$h/result.txt" ]
	done
	is_png "$r/node-vs-node-dev.png"
	is_png "$r/overview.png"
	grep -q "fragmon-agent on node: stopped-sigint" "$T/fstests-baseline.log"
	grep -q "fragmon-agent on node-dev: stopped-sigint" "$T/fstests-dev.log"
	# kdevops' own tracker was handed over: its tasks were all skipped
	! grep -A1 'TASK \[.*Start fragmentation monitoring in background' "$T/fstests-baseline.log" | grep -q '^changed\|^ok'
	[ -z "$(find "$T/target" -name 'fragmentation_tracker*')" ]

	# a broken plotter: reported, and the workflow still copies its own results
	local before
	before=$(cat "$kd/workflows/fstests/results/node/result.txt")
	fstests "$kd" baseline -e fragmon_plot_bin=/bin/false
	[ "$status" -eq 0 ]
	grep -q 'fragmon plot failed' "$T/fstests-baseline.log"
	grep -q 'exited with status 1' "$r/FRAGMON-PLOT-FAILED.txt"
	[ "$(cat "$kd/workflows/fstests/results/node/result.txt")" != "$before" ]
	[ "$(jq -r .metadata.complete "$r/node/fragmentation_data.json")" = true ]

	# make monitor-kill: kdevops' playbook stops the running agent before its cleanup
	cd "$kd"
	run ansible-playbook "$HOME/.config/kdevops/plugins/fragmon/playbooks/fragmon-start.yml" \
		--extra-vars=@./extra_vars.yaml --limit node
	[ "$status" -eq 0 ]
	local pid
	pid=$(cat "$T/target/node/current/fragmon-agent.pid")
	kill -0 "$pid"
	run ansible-playbook playbooks/monitor-kill.yml --limit node --extra-vars=@./extra_vars.yaml \
		-e enable_monitoring_cleanup=False
	echo "$output" | tail -n 20
	[ "$status" -eq 0 ]
	[[ "$output" == *"fragmon-agent on node: stopped-sigint"* ]]
	gone "$pid"
}

@test "kdevops: the plugin's make targets honour HOSTS= and regenerate extra_vars.yaml" {
	require_bpf
	local kd
	kd=$(new_tree targets)
	run fm_make kdevops-install KDEVOPS="$kd"
	[ "$status" -eq 0 ]
	configure "$kd"
	write_hosts "$kd"
	cd "$kd"
	# a newer .config: the extra_vars.yaml prerequisite brings the change in
	sed -i 's/^CONFIG_MONITOR_FRAGMENTATION_SNAPSHOT_INTERVAL_MS=.*/CONFIG_MONITOR_FRAGMENTATION_SNAPSHOT_INTERVAL_MS=300/' .config
	(KCONFIG_YAMLCFG="$kd/.extra_vars_auto.yaml" scripts/kconfig/conf --olddefconfig Kconfig) > /dev/null 2>&1
	kd_make "$kd" fragmon-install fragmon-start HOSTS=node
	echo "$output" | tail -n 15
	[ "$status" -eq 0 ]
	[[ "$output" == *"fragmon-agent on node: started"* ]]
	[[ "$output" != *"node-dev"* ]]
	[ ! -e "$T/target/node-dev/current" ] || [ -z "$(cat "$T/target/node-dev/current/fragmon-agent.pid" 2> /dev/null)" ]
	[ "$(yamlval extra_vars.yaml monitor_fragmentation_snapshot_interval_ms)" = 300 ]
	kd_make "$kd" fragmon-results HOSTS=node
	[ "$status" -eq 0 ]
	kd_make "$kd" fragmon-stop fragmon-collect HOSTS=node
	echo "$output" | tail -n 15
	[ "$status" -eq 0 ]
	[[ "$output" == *"fragmon-agent on node: stopped-sigint"* ]]
	local r=$kd/workflows/fstests/results/monitoring/fragmentation
	[ "$(jq -r .metadata.complete "$r/interim/node/fragmentation_data.json")" = false ]
	[ "$(jq -r .metadata.complete "$r/node/fragmentation_data.json")" = true ]
	[ "$(jq -r .run.snapshot_interval_ms "$r/node/fragmentation_data.json")" = 300 ]
	is_png "$r/node.png"
	[ ! -e "$r/node-dev" ]
	kd_make "$kd" fragmon-stop HOSTS=node
	[ "$status" -eq 0 ]
	[[ "$output" == *"fragmon-agent on node: finished"* ]]
}

# btf_task KD PATHDIR: kdevops' bootlinux BTF task (patch 4) against a stand-in kernel
# tree whose scripts/config records its arguments; PATH is PATHDIR (+ /usr/sbin)
btf_task() {
	local kd=$1 tree=$T/btf-tree
	rm -rf "$tree" && mkdir -p "$tree/scripts"
	printf '#!/bin/sh\necho "$@" >> "%s/calls"\n' "$tree" > "$tree/scripts/config"
	chmod +x "$tree/scripts/config"
	cat > "$T/btf-play.yml" <<EOP
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - ansible.builtin.include_tasks: $kd/playbooks/roles/bootlinux/tasks/debug-info-btf.yml
      vars:
        bootlinux_btf_tree: $tree
        bootlinux_btf_config: $tree/.config
EOP
	run env PATH="$2:/usr/sbin" "$(command -v ansible-playbook)" -i localhost, "$T/btf-play.yml"
	echo "$output" | tail -n 8
}

@test "kdevops: patch 4 turns on the kernel's BTF only where pahole >= 1.16 can build it" {
	local kd f
	kd=$(new_tree btf)
	git -C "$kd" -c user.name=t -c user.email=t@invalid am -q "$FM_TOP"/kdevops/patches/[0-9]*.patch
	# a PATH with everything of /usr/bin but pahole, and one with a pahole of a given version
	mkdir -p "$T/nopahole" "$T/pahole-new" "$T/pahole-old"
	for f in /usr/bin/*; do [ "${f##*/}" = pahole ] || ln -sf "$f" "$T/nopahole/"; done
	printf '#!/bin/sh\necho v1.24\n' > "$T/pahole-new/pahole"
	printf '#!/bin/sh\necho v1.15\n' > "$T/pahole-old/pahole"
	chmod +x "$T/pahole-new/pahole" "$T/pahole-old/pahole"

	btf_task "$kd" "$T/pahole-new:$T/nopahole"
	[ "$status" -eq 0 ]
	grep -q -- '--enable DEBUG_INFO_BTF' "$T/btf-tree/calls"
	grep -q -- '--disable DEBUG_INFO_REDUCED' "$T/btf-tree/calls"
	[[ "$output" != *"building the kernel without BTF"* ]]

	btf_task "$kd" "$T/pahole-old:$T/nopahole"
	[ "$status" -eq 0 ]
	[ ! -e "$T/btf-tree/calls" ]
	[[ "$output" == *"pahole v1.15 is older than 1.16: building the kernel without BTF"* ]]

	btf_task "$kd" "$T/nopahole"
	[ "$status" -eq 0 ]
	[ ! -e "$T/btf-tree/calls" ]
	[[ "$output" == *"pahole was not found: building the kernel without BTF (install dwarves"* ]]
}
