#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# fragmon inside kdevops. With KDEVOPS_DIR=/path/to/kdevops (bats tests/bats/kdevops.bats):
# against a clone of that checkout (never the checkout itself), HOME in a temporary directory
# (kdevops installs plugins under ~/.config/kdevops); those tests skip without it. The
# "stand-in tree" tests always run, on a minimal tree with kdevops' plugin interface.

setup_file() {
	export FM_TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	export T=$(mktemp -d /tmp/fragmon-kdevops-test.XXXXXX)
	export HOME=$T/home
	mkdir -p "$HOME"
	export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_RETRY_FILES_ENABLED=0
	export ANSIBLE_LOCAL_TEMP=$T/ansible-tmp ANSIBLE_REMOTE_TEMP=$T/ansible-tmp ANSIBLE_HOME=$T/ansible-home
	export SI=$T/standin
	make_standin "$SI"
	write_hosts "$SI"
	[ -n "${KDEVOPS_DIR:-}" ] || return 0
	export KD=$T/kdevops
	git clone -q "$KDEVOPS_DIR" "$KD"
	write_hosts "$KD"
}

# kdevops' inventory and ansible.cfg, reduced to two local nodes, baseline and dev; each
# gets its own agent output directory (real nodes are separate machines), no sudo here
write_hosts() {
	cat > "$1/hosts" <<EOI
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
fragmon_fetch_dir=$T/fetch/{{ inventory_hostname }}
EOI
	printf '[defaults]\ninventory = hosts\n' > "$1/ansible.cfg"
}

# A stand-in for a kdevops tree, written here (nothing of kdevops is copied), for CI where
# no kdevops checkout exists: the plugin interface (make kdevops-plugin-add URL=dir,
# kdevops-plugin-remove NAME=name, ~/.config/kdevops/plugins.json) and monitoring task
# files whose legacy fragmentation tasks only leave a marker file when they run.
make_standin() {
	local d=$1 f
	mkdir -p "$d/scripts" "$d/playbooks/roles/monitoring/tasks/install-deps/debian"
	cat > "$d/scripts/kdevops-plugin.sh" <<'EOS'
#!/bin/bash
set -euo pipefail
base=$HOME/.config/kdevops reg=$HOME/.config/kdevops/plugins.json
mkdir -p "$base/plugins"
[ -f "$reg" ] || echo '{"version": 1, "plugins": {}}' > "$reg"
case $1 in
add)
	name=$(python3 -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["metadata"]["name"])' "$2/.kdevops/plugin.yaml")
	if jq -e --arg n "$name" '.plugins[$n]' "$reg" > /dev/null; then read -r -p "Replace? " a; fi
	cp -r "$2/.kdevops" "$base/plugins/$name"
	jq --arg n "$name" '.plugins[$n] = {"path": "x"}' "$reg" > "$reg.tmp" && mv "$reg.tmp" "$reg" ;;
remove)
	rm -rf "${base:?}/plugins/$2"
	jq --arg n "$2" 'del(.plugins[$n])' "$reg" > "$reg.tmp" && mv "$reg.tmp" "$reg" ;;
esac
EOS
	chmod +x "$d/scripts/kdevops-plugin.sh"
	printf 'kdevops-plugin-add:\n\tscripts/kdevops-plugin.sh add $(URL)\nkdevops-plugin-remove:\n\tscripts/kdevops-plugin.sh remove $(NAME)\n' > "$d/Makefile"
	for f in monitor_run monitor_collect monitor_collect_only install-deps/debian/main; do
		cat > "$d/playbooks/roles/monitoring/tasks/$f.yml" <<EOY
---
# stand-in for kdevops' $f.yml

# other monitors
- name: Another monitor
  ansible.builtin.debug:
    msg: "$f"

- name: Legacy fragmentation tracker ($f)
  ansible.builtin.file:
    path: "$T/legacy-ran-$(basename "$f")"
    state: touch
    mode: "0644"
  delegate_to: localhost
  when:
    - monitor_developmental_stats|default(false)|bool
    - monitor_memory_fragmentation|default(false)|bool
EOY
	done
	git -C "$d" init -q && git -C "$d" add -A && git -C "$d" -c user.name=t -c user.email=t@t commit -qm standin
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
	command -v ansible-playbook > /dev/null || skip "ansible-core not installed"
	command -v jq > /dev/null || skip "jq not installed"
}

require_kdevops() {
	[ -n "${KDEVOPS_DIR:-}" ] || skip "KDEVOPS_DIR is not set (a kdevops checkout to test against)"
	[ -d "$KD/playbooks/roles/monitoring/tasks" ] || skip "$KDEVOPS_DIR has no playbooks/roles/monitoring"
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

# write_fstests_role KDIR [interim]: a stand-in for kdevops' fstests role with the monitoring
# imports exactly as playbooks/roles/fstests/tasks/main.yml has them, around a workload;
# with "interim", kdevops' monitor-results collection (monitor_collect_only.yml) mid-run
write_fstests_role() {
	mkdir -p "$T/roles/fstests/tasks"
	cat > "$T/roles/fstests/tasks/main.yml" <<EOY
- name: Start monitoring services before running tests
  ansible.builtin.import_tasks: $1/playbooks/roles/monitoring/tasks/monitor_run.yml
  when:
    - kdevops_run_fstests|bool
    - enable_monitoring|default(false)|bool
  tags: ["oscheck", "fstests", "run_tests", "monitoring", "monitor_run"]

- name: Run the tests
  ansible.builtin.command: sleep 2
  changed_when: true
  tags: ["oscheck", "fstests", "run_tests"]
EOY
	[ "${2:-}" = interim ] && cat >> "$T/roles/fstests/tasks/main.yml" <<EOY

- name: Interim results, as kdevops' make monitor-results
  ansible.builtin.import_tasks: $1/playbooks/roles/monitoring/tasks/monitor_collect_only.yml
  tags: ["run_tests"]

- name: More tests
  ansible.builtin.command: sleep 1
  changed_when: true
  tags: ["oscheck", "fstests", "run_tests"]
EOY
	cat >> "$T/roles/fstests/tasks/main.yml" <<EOY

- name: Stop monitoring services and collect data after running tests
  ansible.builtin.import_tasks: $1/playbooks/roles/monitoring/tasks/monitor_collect.yml
  when:
    - kdevops_run_fstests|bool
    - enable_monitoring|default(false)|bool
  tags: ["oscheck", "fstests", "run_tests", "monitoring", "monitor_collect"]
EOY
	printf -- '- name: fstests\n  hosts: baseline:dev\n  roles:\n    - role: fstests\n' > "$T/fstests.yml"
}

# run_fstests KDIR LIMIT: as `make fstests-baseline` / `make fstests-dev` run it
run_fstests() {
	cd "$1"
	run env ANSIBLE_ROLES_PATH="$T/roles" ansible-playbook --limit "$2" "$T/fstests.yml" \
		--tags vars,run_tests,copy_results --extra-vars=@./extra_vars.yaml
	echo "$output" > "$T/fstests-$2.log"
	echo "$output" | tail -n 25
}

is_png() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }

# kdevops' extra_vars.yaml for a dedicated fstests workflow with fragmentation monitoring
# (without monitor_fragmentation_output_dir: the two local nodes need their own)
write_extra_vars() { # kdevops-dir
	cat > "$1/extra_vars.yaml" <<EOY
---
topdir_path: "$1"
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
	require_kdevops
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
	require_kdevops
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

@test "kdevops: an fstests workflow (baseline, then dev; monitor-results mid-run) starts, stops, fetches and plots by itself" {
	require_kdevops
	require_bins
	run fm_make kdevops-install KDEVOPS="$KD"
	[ "$status" -eq 0 ]
	write_extra_vars "$KD"
	write_fstests_role "$KD" interim
	local lim
	for lim in baseline dev; do
		run_fstests "$KD" "$lim"
		[ "$status" -eq 0 ]
	done
	local r=$KD/workflows/fstests/results/monitoring/fragmentation h
	for h in node node-dev; do
		[ "$(jq -r .metadata.complete "$r/$h/fragmentation_data.json")" = true ]
		[ "$(jq -r .metadata.complete "$r/interim/$h/fragmentation_data.json")" = false ]
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
	require_kdevops
	require_bins
	run fm_make kdevops-install KDEVOPS="$KD"
	[ "$status" -eq 0 ]
	write_extra_vars "$KD"
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

@test "kdevops (stand-in tree, no checkout needed): install is idempotent, uninstall restores it" {
	require_bins
	run fm_make kdevops-install KDEVOPS="$SI"
	echo "$output"
	[ "$status" -eq 0 ]
	jq -e '.plugins.fragmon' "$HOME/.config/kdevops/plugins.json"
	[ -x "$HOME/.config/kdevops/plugins/fragmon/fragmon-agent" ]
	grep -qx CONFIG_MONITOR_MEMORY_FRAGMENTATION=y "$HOME/.config/kdevops/defconfigs/configs/fragmon.config"
	local f tasks=$SI/playbooks/roles/monitoring/tasks
	for f in monitor_run monitor_collect monitor_collect_only; do
		grep -q '^# fragmon:begin' "$tasks/$f.yml"
		# before the first task and the comment above it, after the file's header
		[ "$(grep -n -m1 '^# fragmon:begin' "$tasks/$f.yml" | cut -d: -f1)" -lt "$(grep -n -m1 '^# other monitors' "$tasks/$f.yml" | cut -d: -f1)" ]
		python3 -c 'import sys, yaml; assert len(yaml.safe_load(open(sys.argv[1]))) >= 3' "$tasks/$f.yml"
	done
	! grep -q '^# fragmon:begin' "$tasks/install-deps/debian/main.yml"
	grep -q 'fragmon_legacy_monitor_memory_fragmentation|default(false)|bool' "$tasks/install-deps/debian/main.yml"
	! grep -rqE '\bmonitor_memory_fragmentation\b' "$tasks/install-deps"
	git -C "$SI" diff > "$T/si.diff"
	# twice: same tree, plugin replaced without kdevops' question (no stdin here)
	run fm_make kdevops-install KDEVOPS="$SI"
	[ "$status" -eq 0 ]
	git -C "$SI" diff | cmp - "$T/si.diff"
	run fm_make kdevops-uninstall KDEVOPS="$SI"
	[ "$status" -eq 0 ]
	[ -z "$(git -C "$SI" status --porcelain --untracked-files=no)" ]
	! jq -e '.plugins.fragmon' "$HOME/.config/kdevops/plugins.json"
	[ ! -d "$HOME/.config/kdevops/plugins/fragmon" ]
	[ ! -e "$HOME/.config/kdevops/defconfigs/configs/fragmon.config" ]
	# a tree that already uses our renamed variable is refused, untouched
	echo "# fragmon_legacy_monitor_memory_fragmentation" >> "$tasks/monitor_run.yml"
	git -C "$SI" diff > "$T/si-pre.diff"
	run fm_make kdevops-install KDEVOPS="$SI"
	[ "$status" -ne 0 ]
	[[ "$output" == *"refusing to patch"* ]]
	git -C "$SI" diff | cmp - "$T/si-pre.diff"
	git -C "$SI" checkout -q -- .
}

@test "kdevops (stand-in tree): baseline then dev through the hooked imports: agents, interim, fetch, plots" {
	require_bins
	run fm_make kdevops-install KDEVOPS="$SI"
	[ "$status" -eq 0 ]
	write_extra_vars "$SI"
	write_fstests_role "$SI" interim
	# an agent left running on node by an earlier, failed workflow run
	local pb
	for pb in fragmon-install.yml fragmon-start.yml; do
		run ansible-playbook -i "$SI/hosts" --limit node "$FM_TOP/ansible/$pb"
		[ "$status" -eq 0 ] || { echo "$output" | tail -n 20; false; }
	done
	local lim
	for lim in baseline dev; do
		run_fstests "$SI" "$lim"
		[ "$status" -eq 0 ]
	done
	local r=$SI/workflows/fstests/results/monitoring/fragmentation h
	for h in node node-dev; do
		[ "$(jq -r .metadata.complete "$r/$h/fragmentation_data.json")" = true ]
		[ "$(jq -r .metadata.complete "$r/interim/$h/fragmentation_data.json")" = false ]
		[ -s "$r/$h/fragmon-agent.log" ]
		is_png "$r/$h.png"
		is_png "$r/interim/$h.png"
	done
	is_png "$r/node-vs-node-dev.png"
	is_png "$r/overview.png"
	grep -q "fragmon-agent on node: stopped-sigint" "$T/fstests-baseline.log"
	grep -q "fragmon-agent on node: restarted" "$T/fstests-baseline.log"
	grep -q "fragmon-agent on node-dev: started" "$T/fstests-dev.log"
	# kdevops' legacy fragmentation tasks were handed over: none of them ran
	[ -z "$(ls "$T"/legacy-ran-* 2>/dev/null)" ]
	run fm_make kdevops-uninstall KDEVOPS="$SI"
	[ "$status" -eq 0 ]
}
