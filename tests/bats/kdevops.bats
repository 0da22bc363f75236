#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# fragmon inside a kdevops checkout: KDEVOPS_DIR=/path/to/kdevops bats tests/bats/kdevops.bats
# Works on a clone of it (the checkout is never changed) with HOME in a temporary directory
# (kdevops installs plugins under ~/.config/kdevops). Skips when KDEVOPS_DIR is not set.

setup_file() {
	export FM_TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	[ -n "${KDEVOPS_DIR:-}" ] || return 0
	export T=$(mktemp -d /tmp/fragmon-kdevops-test.XXXXXX)
	export KD=$T/kdevops HOME=$T/home
	mkdir -p "$HOME"
	git clone -q "$KDEVOPS_DIR" "$KD"
	export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_RETRY_FILES_ENABLED=0
	export ANSIBLE_LOCAL_TEMP=$T/ansible-tmp ANSIBLE_REMOTE_TEMP=$T/ansible-tmp ANSIBLE_HOME=$T/ansible-home
	# kdevops' inventory and ansible.cfg, reduced to two local nodes: baseline and dev
	# kdevops' inventory and ansible.cfg, reduced to two local nodes, baseline and dev; each
	# gets its own agent output directory (real nodes are separate machines), no sudo here
	cat > "$KD/hosts" <<EOI
[all]
node     monitor_fragmentation_output_dir=$T/target/node
node-dev monitor_fragmentation_output_dir=$T/target/node-dev
[baseline]
node
[dev]
node-dev
[all:vars]
ansible_connection=local
ansible_python_interpreter=/usr/bin/python3
fragmon_become=false
fragmon_install_dir=$T/bin
EOI
	printf '[defaults]\ninventory = hosts\n' > "$KD/ansible.cfg"
}

teardown_file() {
	[ -n "${T:-}" ] || return 0
	local p
	for p in "$T"/target/*/run-*/fragmon-agent.pid; do
		[ -f "$p" ] && kill -9 "$(cat "$p")" 2>/dev/null
	done
	rm -rf "$T"
}

setup() {
	[ -n "${KDEVOPS_DIR:-}" ] || skip "KDEVOPS_DIR is not set (a kdevops checkout to test against)"
	[ -d "$KD/playbooks/roles/monitoring/tasks" ] || skip "$KDEVOPS_DIR has no playbooks/roles/monitoring"
	command -v ansible-playbook > /dev/null || skip "ansible-core not installed"
	command -v jq > /dev/null || skip "jq not installed"
}

require_bins() {
	[ -x "$FM_TOP/fragmon-agent" ] || skip "fragmon-agent not built (make agent)"
	[ -x "$FM_TOP/fragmon-plot" ] || skip "fragmon-plot not built (make plot)"
	[ -r /sys/kernel/btf/vmlinux ] || skip "kernel has no BTF: the agent cannot attach"
}

fm_make() {
	make -s -C "$FM_TOP" BUILD="$T/build" FRAGMON_AGENT_BIN="$FM_TOP/fragmon-agent" \
		FRAGMON_PLOT_BIN="$FM_TOP/fragmon-plot" "$@"
}

is_png() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }

# kdevops' extra_vars.yaml for a dedicated fstests workflow with fragmentation monitoring
# (without monitor_fragmentation_output_dir: the two local nodes need their own)
write_extra_vars() {
	cat > "$KD/extra_vars.yaml" <<EOY
---
topdir_path: "$KD"
kdevops_workflows_dedicated_workflow: True
kdevops_workflow_enable_fstests: True
kdevops_run_fstests: True
enable_monitoring: True
monitor_developmental_stats: True
monitor_folio_migration: False
monitor_memory_fragmentation: True
monitor_fragmentation_duration: 0
monitor_fragmentation_mode: "full"
monitor_fragmentation_snapshot_interval_ms: 250
monitor_fragmentation_max_output_mb: 64
monitor_fragmentation_stop_timeout: 20
monitor_fragmentation_plot: True
monitor_fragmentation_prometheus_dir: ""
EOY
}

@test "kdevops: make kdevops-install is idempotent, kdevops-uninstall restores the tree" {
	require_bins
	run fm_make kdevops-install KDEVOPS="$KD"
	echo "$output"
	[ "$status" -eq 0 ]
	jq -e '.plugins.fragmon' "$HOME/.config/kdevops/plugins.json"
	[ -x "$HOME/.config/kdevops/plugins/fragmon/fragmon-agent" ]
	[ -x "$HOME/.config/kdevops/plugins/fragmon/fragmon-plot" ]
	[ -f "$HOME/.config/kdevops/plugins/fragmon/playbooks/roles/fragmon/tasks/stop.yml" ]
	local f
	for f in monitor_run monitor_collect monitor_collect_only; do
		grep -q '^# fragmon:begin' "$KD/playbooks/roles/monitoring/tasks/$f.yml"
	done
	# the legacy tracker is switched off everywhere it was switched on
	! grep -rqE '\bmonitor_memory_fragmentation\b' $(grep -rlE 'fragmon_legacy_monitor_memory_fragmentation' "$KD/playbooks") /dev/null
	# nothing outside playbooks/roles/monitoring/tasks changed
	[ -z "$(git -C "$KD" status --porcelain | grep -v ' playbooks/roles/monitoring/tasks/')" ]
	git -C "$KD" diff > "$T/first.diff"
	[ -s "$T/first.diff" ]

	run fm_make kdevops-install KDEVOPS="$KD"
	[ "$status" -eq 0 ]
	git -C "$KD" diff | cmp - "$T/first.diff"
	[ "$(jq '.plugins | length' "$HOME/.config/kdevops/plugins.json")" -eq 1 ]
	# every changed file still parses as YAML
	for f in $(git -C "$KD" diff --name-only); do
		python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$KD/$f"
	done

	run fm_make kdevops-uninstall KDEVOPS="$KD"
	[ "$status" -eq 0 ]
	[ -z "$(git -C "$KD" status --porcelain --untracked-files=no)" ]
	! jq -e '.plugins.fragmon' "$HOME/.config/kdevops/plugins.json"
	run fm_make kdevops-uninstall KDEVOPS="$KD"
	[ "$status" -eq 0 ]
	[ -z "$(git -C "$KD" status --porcelain --untracked-files=no)" ]
}

@test "kdevops: kdevops' own kconfig takes the plugin's options into extra_vars" {
	require_bins
	command -v bison > /dev/null && command -v flex > /dev/null || skip "bison and flex are needed to build kdevops' kconfig"
	run fm_make kdevops-install KDEVOPS="$KD"
	[ "$status" -eq 0 ]
	run make -s -C "$KD/scripts/kconfig" conf
	[ "$status" -eq 0 ] || skip "kdevops' kconfig does not build here: $output"
	# kdevops' Monitors menu + the installed plugin's Kconfig, through kdevops' parser
	mkdir -p "$T/kc"
	printf 'mainmenu "t"\nsource "%s"\nsource "%s"\n' "$KD/kconfigs/monitors/Kconfig" \
		"$HOME/.config/kdevops/plugins/fragmon/Kconfig" > "$T/kc/Kconfig"
	printf '%s\n' CONFIG_ENABLE_MONITORING=y CONFIG_MONITOR_DEVELOPMENTAL_STATS=y \
		CONFIG_MONITOR_MEMORY_FRAGMENTATION=y CONFIG_MONITOR_FRAGMENTATION_MODE_EXTFRAG=y \
		CONFIG_MONITOR_FRAGMENTATION_STOP_TIMEOUT=17 > "$T/kc/.config"
	cd "$T/kc"
	run env KCONFIG_YAMLCFG="$T/kc/extra.yaml" "$KD/scripts/kconfig/conf" --olddefconfig Kconfig
	echo "$output"
	[ "$status" -eq 0 ]
	cat "$T/kc/extra.yaml"
	grep -qx 'monitor_memory_fragmentation: True' extra.yaml
	grep -qx 'monitor_fragmentation_duration: 0' extra.yaml
	grep -qx 'monitor_fragmentation_output_dir: "/root/monitoring/fragmentation"' extra.yaml
	grep -qx 'monitor_fragmentation_mode: "extfrag"' extra.yaml
	grep -qx 'monitor_fragmentation_stop_timeout: 17' extra.yaml
	grep -qx 'monitor_fragmentation_plot: True' extra.yaml
	# the same lines our standalone `make extra-vars` writes for the same .config
	"$FM_TOP/kconfig/config2yaml.sh" ansible "$T/kc/.config" "$FM_TOP/kconfig/Kconfig.monitor" \
		"$FM_TOP/kconfig/Kconfig.fragmon" | grep -E '^monitor_(memory_)?fragmentation' | sort > ours
	grep -E '^monitor_(memory_)?fragmentation' extra.yaml | sort > theirs
	diff ours theirs
}

@test "kdevops: an fstests workflow (baseline, then dev) starts, stops, fetches and plots by itself" {
	require_bins
	run fm_make kdevops-install KDEVOPS="$KD"
	[ "$status" -eq 0 ]
	write_extra_vars
	# a stand-in for kdevops' fstests role: the monitoring imports exactly as
	# playbooks/roles/fstests/tasks/main.yml has them, around a workload
	mkdir -p "$T/roles/fstests/tasks"
	cat > "$T/roles/fstests/tasks/main.yml" <<EOY
- name: Start monitoring services before running tests
  ansible.builtin.import_tasks: $KD/playbooks/roles/monitoring/tasks/monitor_run.yml
  when:
    - kdevops_run_fstests|bool
    - enable_monitoring|default(false)|bool
  tags: ["oscheck", "fstests", "run_tests", "monitoring", "monitor_run"]

- name: Run the tests
  ansible.builtin.command: sleep 2
  changed_when: true
  tags: ["oscheck", "fstests", "run_tests"]

- name: Stop monitoring services and collect data after running tests
  ansible.builtin.import_tasks: $KD/playbooks/roles/monitoring/tasks/monitor_collect.yml
  when:
    - kdevops_run_fstests|bool
    - enable_monitoring|default(false)|bool
  tags: ["oscheck", "fstests", "run_tests", "monitoring", "monitor_collect"]
EOY
	printf -- '- name: fstests\n  hosts: baseline:dev\n  roles:\n    - role: fstests\n' > "$T/fstests.yml"
	local lim
	for lim in baseline dev; do
		# as `make fstests-baseline` / `make fstests-dev` run it
		cd "$KD"
		run env ANSIBLE_ROLES_PATH="$T/roles" ansible-playbook --limit "$lim" "$T/fstests.yml" \
			--tags vars,run_tests,copy_results --extra-vars=@./extra_vars.yaml
		echo "$output" > "$T/fstests-$lim.log"
		echo "$output" | tail -n 25
		[ "$status" -eq 0 ]
	done
	local r=$KD/workflows/fstests/results/monitoring/fragmentation h
	for h in node node-dev; do
		[ "$(jq -r .metadata.complete "$r/$h/fragmentation_data.json")" = true ]
		[ -s "$r/$h/fragmon-agent.log" ]
		is_png "$r/$h.png"
		# kdevops' Python tracker never ran
		[ -z "$(find "$T/target/$h" -name 'fragmentation_tracker*')" ]
	done
	grep -q "fragmon-agent on node: stopped-sigint" "$T/fstests-baseline.log"
	grep -q "fragmon-agent on node-dev: stopped-sigint" "$T/fstests-dev.log"
	is_png "$r/node-vs-node-dev.png"
	is_png "$r/overview.png"
}

@test "kdevops: the plugin's make targets work against kdevops' hosts file and extra_vars.yaml" {
	require_bins
	run fm_make kdevops-install KDEVOPS="$KD"
	[ "$status" -eq 0 ]
	write_extra_vars
	sed -i 's/^kdevops_workflow_enable_fstests: True/kdevops_workflow_enable_fstests: False\nkdevops_workflow_enable_sysbench: True/' "$KD/extra_vars.yaml"
	# kdevops includes plugin Makefiles with its workflows (CONFIG_WORKFLOWS=y)
	printf 'CONFIG_WORKFLOWS=y\n' > "$KD/.config"
	cd "$KD"
	run make fragmon-help-menu
	[ "$status" -eq 0 ]
	[[ "$output" == *"fragmon-start"* ]]
	local tgt
	for tgt in fragmon-install fragmon-start fragmon-results fragmon-stop fragmon-collect; do
		run make "$tgt"
		echo "$output" > "$T/make-$tgt.log"
		[ "$status" -eq 0 ] || { echo "make $tgt:"; echo "$output" | tail -n 30; false; }
	done
	grep -q "fragmon-agent on node: started" "$T/make-fragmon-start.log"
	grep -q "fragmon-agent on node-dev: stopped-sigint" "$T/make-fragmon-stop.log"
	local r=$KD/workflows/sysbench/results/monitoring/fragmentation
	[ "$(jq -r .metadata.complete "$r/interim/node/fragmentation_data.json")" = false ]
	[ "$(jq -r .metadata.complete "$r/node/fragmentation_data.json")" = true ]
	is_png "$r/node-vs-node-dev.png"
	run make fragmon-stop
	[ "$status" -eq 0 ]
	[[ "$output" == *"fragmon-agent on node: finished"* ]]
}
