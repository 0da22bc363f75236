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
CONFIG_MONITOR_FRAGMENTATION_KEEP_RUNS=2
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

# the series' patches, in order, without the cover letter
series() { ls "$FM_TOP"/kdevops/patches/[0-9]*.patch | grep -v -- '-cover-letter\.patch$'; }

git_am() { git -C "$1" -c user.name=t -c user.email=t@invalid am -q $(series); }

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

@test "kdevops: the series: form, git am, install leaves kdevops untouched, fragmon chosen explicitly" {
	local kd p subj
	kd=$(new_tree am)
	# form: a cover letter; each patch from git format-patch, signed off by its sender
	# (a placeholder to replace), a subject in kdevops' style of at most 60 characters
	[ -f "$FM_TOP/kdevops/patches/0000-cover-letter.patch" ]
	! grep -q '\*\*\* SUBJECT HERE \*\*\*\|\*\*\* BLURB HERE \*\*\*' "$FM_TOP/kdevops/patches/0000-cover-letter.patch"
	for p in $(series); do
		head -1 "$p" | grep -q '^From [0-9a-f]\{40\} '
		! grep -q 'fragmon@invalid' "$p"
		grep -q '^Signed-off-by: .* <.*@.*>$' "$p"
		subj=$(git mailinfo /dev/null /dev/null < "$p" | sed -n 's/^Subject: //p')
		echo "$subj"
		[ "${#subj}" -le 60 ]
		[[ "$subj" =~ ^[a-z0-9_-]+:\ [a-z] ]]
	done
	grep -q '^Fixes: c904d517d612 ("kdevops: Add versioned plugin system for workflows")$' "$(series | head -1)"
	git_am "$kd"
	[ "$(git -C "$kd" rev-list --count HEAD ^origin/HEAD)" -eq "$(series | wc -l)" ]
	# patch 2 is a pure move: each new monitors/memory_fragmentation/<step>.yml (below its
	# 4-line header) holds only lines of monitor_<step>.yml before it
	local mv f
	mv=$(git -C "$kd" log --format=%H --grep='move the fragmentation tracker' -1)
	[ -n "$mv" ]
	for f in run collect collect_only; do
		comm -23 <(git -C "$kd" show "$mv:playbooks/roles/monitoring/tasks/monitors/memory_fragmentation/$f.yml" |
			tail -n +5 | sort) <(git -C "$kd" show "$mv^:playbooks/roles/monitoring/tasks/monitor_$f.yml" | sort) > "$T/moved.$f"
		[ ! -s "$T/moved.$f" ] || { cat "$T/moved.$f"; false; }
	done
	# the tracker is gated once per import, not per task
	[ "$(git -C "$kd" diff origin/HEAD HEAD | grep -c '^+.*not monitor_fragmentation_by_plugin')" -eq 3 ]
	# what lands in kdevops' files is under kdevops' licence
	! git -C "$kd" diff origin/HEAD HEAD | grep '^+.*SPDX-License-Identifier' | grep -v 'copyleft-next-0.3.1'
	git -C "$kd" diff origin/HEAD HEAD | grep -q '^+# SPDX-License-Identifier: copyleft-next-0.3.1'
	run fm_make kdevops-install KDEVOPS="$kd"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"has the monitoring plugin hook: its files are not touched"* ]]
	[ -z "$(git -C "$kd" status --porcelain)" ]
	# kdevops-plugin-add no longer makes the user Kconfig source the plugins a second time
	! grep -qs 'Kconfig.plugins' "$HOME/.config/kdevops/Kconfig"
	run "$FM_TOP/kdevops/kdevops-tree.sh" status "$kd"
	[[ "$output" == *"plugin: installed"*"hook: in-kdevops"* ]]
	configure "$kd"
	[ "$(yamlval "$kd/extra_vars.yaml" monitor_fragmentation_by_plugin)" = true ]
	[ "$(yamlval "$kd/extra_vars.yaml" monitor_plugins)" = '"fragmon"' ]
	# without +fragmon kdevops' tracker stays the choice and no fragmon option appears
	printf 'CONFIG_ENABLE_MONITORING=y\nCONFIG_MONITOR_DEVELOPMENTAL_STATS=y\nCONFIG_MONITOR_MEMORY_FRAGMENTATION=y\n' \
		> "$HOME/.config/kdevops/defconfigs/configs/tracker.config"
	kd_make "$kd" defconfig-xfs+tracker
	[ "$status" -eq 0 ]
	grep -qx 'CONFIG_MONITOR_FRAGMENTATION_BY_TRACKER=y' "$kd/.config"
	grep -qx 'CONFIG_MONITOR_PLUGINS=""' "$kd/.config"
	! grep -q 'CONFIG_MONITOR_FRAGMENTATION_MODE=' "$kd/.config"
	run fm_make kdevops-uninstall KDEVOPS="$kd"
	[ "$status" -eq 0 ]
	[ -z "$(git -C "$kd" status --porcelain)" ]
}

# snapshot KD DEFCONFIG OUT: kdevops' make defconfig-X and extra_vars.yaml, and the task
# lists of kdevops' playbooks for it, into OUT.{config,ev,tasks}
snapshot() {
	local kd=$1 pb
	kd_make "$kd" "defconfig-$2"
	[ "$status" -eq 0 ] || return 1
	kd_make "$kd" extra_vars.yaml
	[ "$status" -eq 0 ] || return 1
	grep -v '^#' "$kd/.config" | sort > "$3.config"
	grep -v '^#\|^kdevops_version:' "$kd/extra_vars.yaml" | sort > "$3.ev"
	: > "$3.tasks"
	if ansible-doc community.general.make > /dev/null 2>&1; then
		for pb in fstests build_linux fio-tests monitor-results monitor-kill; do
			(cd "$kd" && ansible-playbook -i localhost, "playbooks/$pb.yml" --list-tasks \
				--extra-vars=@./extra_vars.yaml) | sed -n 's/^      \(.*\)\tTAGS:.*/\1/p' | sed 's/[[:space:]]*$//' |
				sort >> "$3.tasks" || return 1
		done
		sort -o "$3.tasks" "$3.tasks"
	fi
}

@test "kdevops: a configuration without fragmon: the same before and after the series, and with the plugin installed" {
	# one path for all three, so that kdevops' path-derived variables match
	local kd=$T/same out=$T/same-out
	mkdir -p "$out"
	git clone -q "$T/upstream" "$kd"
	snapshot "$kd" build-linux-multifs "$out/upstream"
	git_am "$kd"
	snapshot "$kd" build-linux-multifs "$out/series"
	run fm_make kdevops-install KDEVOPS="$kd"
	[ "$status" -eq 0 ]
	snapshot "$kd" build-linux-multifs "$out/plugin"
	# the series adds its two options, at their neutral values, and nothing else
	diff "$out/upstream.config" "$out/series.config" | grep '^[<>]' > "$out/config.diff" || true
	cat "$out/config.diff"
	[ "$(cat "$out/config.diff")" = "$(printf '> CONFIG_MONITOR_FRAGMENTATION_BY_TRACKER=y\n> CONFIG_MONITOR_PLUGINS=""')" ]
	diff "$out/upstream.ev" "$out/series.ev" | grep '^[<>]' > "$out/ev.diff" || true
	cat "$out/ev.diff"
	[ "$(cat "$out/ev.diff")" = "$(printf '> monitor_fragmentation_by_plugin: False\n> monitor_plugins: ""')" ]
	# installing the plugin changes nothing but kdevops' own plugin taint flags
	diff "$out/series.config" "$out/plugin.config" | grep '^[<>]' | grep -v 'KDEVOPS_PLUGINS_\(INSTALLED\|TAINTED\)' && false
	diff "$out/series.ev" "$out/plugin.ev" | grep '^[<>]' | grep -v 'kdevops_plugins_\(installed\|tainted\)' && false
	grep -qx 'CONFIG_MONITOR_FRAGMENTATION_BY_TRACKER=y' "$out/plugin.config"
	# the same tasks (fstests, build_linux, fio-tests, monitor-results, monitor-kill), plus
	# the hook's, all skipped without MONITOR_PLUGINS; fio-tests gains the monitoring imports
	[ -s "$out/upstream.tasks" ] || skip "ansible's community.general collection is missing (Debian: ansible): task lists not compared"
	diff "$out/upstream.tasks" "$out/series.tasks" | sed -n 's/^< //p' > "$out/tasks.lost"
	[ ! -s "$out/tasks.lost" ] || { cat "$out/tasks.lost"; false; }
	diff "$out/series.tasks" "$out/plugin.tasks"
	diff "$out/upstream.tasks" "$out/series.tasks" | sed -n 's/^> //p' | sort -u > "$out/tasks.new"
	cat "$out/tasks.new"
	! grep -v "monitoring plugins\|plugins in MONITOR_PLUGINS\|a plugin monitors memory fragmentation\|Stop the monitors of plugins" "$out/tasks.new" |
		grep -v '^fio-tests : '
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

	# the fragmon checkout that installed changes (a pull edits a patch, or it moves):
	# uninstall takes out the copies kept at install time
	git -C "$kd" diff > "$T/applied.diff"
	[ -d "$(git -C "$kd" rev-parse --absolute-git-dir)/fragmon-series.d" ]
	cp -r "$FM_TOP/kdevops" "$T/moved-kdevops"
	sed -i '0,/^+/s/^+\(.*\)$/+\1 edited/' "$T/moved-kdevops/patches/$(series | sed -n 3p | xargs basename)"
	run "$T/moved-kdevops/kdevops-tree.sh" uninstall "$kd"
	echo "$output"
	[ "$status" -eq 0 ]
	# the configuration made with fragmon is still there: said loudly
	[[ "$output" == *"WARNING: $kd/.config $kd/extra_vars.yaml still ask for fragmon"* ]]
	[ -z "$(git -C "$kd" status --porcelain --untracked-files=no)" ]
	[ ! -e "$kd/playbooks/roles/monitoring/tasks/plugins.yml" ]
	! jq -e '.plugins.fragmon' "$HOME/.config/kdevops/plugins.json"
	[ ! -e "$HOME/.config/kdevops/defconfigs/configs/fragmon.config" ]
	run fm_make kdevops-uninstall KDEVOPS="$kd"
	[ "$status" -eq 0 ]
	rm -rf "$T/moved-kdevops"
}

# kdevops_fstests KD LIMIT [ARGS]: kdevops' own playbooks/fstests.yml as make
# fstests-baseline / fstests-dev run it (--tags vars,run_tests,copy_results), from the
# start of its monitoring on (--start-at-task: the fstests install and test-device setup
# before it need real nodes), with a stand-in oscheck.sh doing memory work where the tests
# would run. The variables of the tasks skipped that way are given.
kdevops_fstests() {
	local kd=$1 lim=$2
	shift 2
	mkdir -p "$T/xfstests"
	cat > "$T/xfstests/oscheck.sh" <<EOS
#!/bin/sh
# stand-in for fstests' oscheck.sh: memory work where the tests would run
[ -x "$FM_TOP/build/tests/fragload" ] && "$FM_TOP/build/tests/fragload" compact > /dev/null 2>&1
sleep 1
date +%s%N > "$T/xfstests/oscheck-\$(hostname)-\$\$.ran"
EOS
	chmod +x "$T/xfstests/oscheck.sh"
	cd "$kd" || return 1
	run ansible-playbook --limit "$lim" playbooks/fstests.yml --tags vars,run_tests,copy_results \
		--start-at-task "Create monitoring directory" --extra-vars=@./extra_vars.yaml \
		--extra-vars "{\"kdevops_run_fstests\": true, \"kdevops_git\": \"$kd\", \"kdevops_data\": \"$kd\",
			\"fstests_data_target\": \"$T/xfstests\", \"fstests_workflow_dir\": \"$kd/workflows/fstests\",
			\"devconfig_enable_systemd_journal_remote\": false, \"all_limit_tests\": \"\", \"oscheck_extra_args\": \"\",
			\"fstests_journal\": \"\", \"fstests_initial_baseline_args\": \"\", \"fstests_skip_tests_args\": \"\",
			\"fstests_setup_system\": \"n\"}" "$@"
	echo "$output" > "$T/fstests-$lim.log"
	echo "$output" | grep -E 'fatal|fragmon-agent on|ERROR' | tail -n 20
}

@test "kdevops: kdevops' own fstests, monitor-results and monitor-kill playbooks with fragmon: baseline, dev, interim, kill, stale config" {
	require_bpf
	ansible-doc community.general.make > /dev/null 2>&1 || skip "ansible's community.general collection is missing (Debian: ansible)"
	local kd
	kd=$(new_tree wf)
	git_am "$kd"
	run fm_make kdevops-install KDEVOPS="$kd"
	[ "$status" -eq 0 ]
	configure "$kd"
	write_hosts "$kd"
	printf 'ansible_become=false\n' >> "$kd/hosts"
	# kdevops' own check mode: the hook's steps run, fragmon's say what they would do
	kdevops_fstests "$kd" baseline --check
	grep -q 'check mode: fragmon would install and start fragmon-agent on node' "$T/fstests-baseline.log"
	grep -q 'check mode: fragmon would stop fragmon-agent, collect and plot its run on node' "$T/fstests-baseline.log"
	[ ! -e "$T/target/node" ]
	local lim mark
	mark=$(date +%s%N)
	for lim in baseline dev; do
		kdevops_fstests "$kd" "$lim" -e fragmon_marker="fstests-$mark"
		grep -q "fragmon-agent on node$([ "$lim" = dev ] && echo -dev): stopped-sigint" "$T/fstests-$lim.log"
		# the workload ran between start and stop (the play goes on to copy_results'
		# post-processing, which needs real fstests results)
		grep -q 'TASK \[fstests : Run fstests using ./oscheck.sh' "$T/fstests-$lim.log"
	done
	local r=$kd/workflows/fstests/results/monitoring/fragmentation h
	for h in node node-dev; do
		[ "$(jq -r .metadata.complete "$r/$h/fragmentation_data.json")" = true ]
		[ "$(jq -r .run.snapshot_interval_ms "$r/$h/fragmentation_data.json")" = 250 ]
		is_png "$r/$h.png"
		# the names kdevops' own tools read
		[ "$(readlink "$r/${h}_fragmentation_data.json")" = "$h/fragmentation_data.json" ]
		[ "$(readlink "$r/${h}_fragmentation_plot.png")" = "$h.png" ]
	done
	is_png "$r/node-vs-node-dev.png"
	is_png "$r/overview.png"
	ls "$T"/xfstests/oscheck-*.ran
	# the phase markers on the kernel's log, around each host's run
	[ "$(dmesg | grep -c "fragmon: begin fstests-$mark")" -eq 2 ]
	[ "$(dmesg | grep -c "fragmon: end fstests-$mark")" -eq 2 ]
	# kdevops' own tracker was handed over: its tasks were all skipped
	! grep -A1 'TASK \[.*Start fragmentation monitoring in background' "$T/fstests-baseline.log" | grep -q '^changed\|^ok'
	[ -z "$(find "$T/target" -name 'fragmentation_tracker*')" ]

	# kdevops' make monitor-results (its own playbook) while the agent runs, then
	# make monitor-kill (now for every workflow) stops it before kdevops' cleanup
	cd "$kd"
	run ansible-playbook "$HOME/.config/kdevops/plugins/fragmon/playbooks/fragmon-start.yml" \
		--extra-vars=@./extra_vars.yaml --limit node
	[ "$status" -eq 0 ]
	local pid
	pid=$(cat "$T/target/node/current/fragmon-agent.pid")
	kd_make "$kd" monitor-results HOSTS=node
	echo "$output" | tail -n 5
	[ "$status" -eq 0 ]
	[ "$(jq -r .metadata.complete "$r/interim/node/fragmentation_data.json")" = false ]
	[[ "$output" != *"Plot generation skipped - matplotlib not available"* ]]
	kill -0 "$pid"
	# (kdevops' cleanup would remove this machine's /root/monitoring: keep it)
	echo 'enable_monitoring_cleanup: False' >> extra_vars.yaml
	kd_make "$kd" monitor-kill HOSTS=node
	echo "$output" | tail -n 5
	[ "$status" -eq 0 ]
	[[ "$output" == *"fragmon-agent on node: stopped-sigint"* ]]
	gone "$pid"

	# a broken plotter: reported, and the workflow still goes on to copy its results
	kdevops_fstests "$kd" baseline -e fragmon_plot_bin=/bin/false
	grep -q 'fragmon plot failed' "$T/fstests-baseline.log"
	grep -q 'exited with status 1' "$r/FRAGMON-PLOT-FAILED.txt"
	# the third run on node: the oldest pruned (MONITOR_FRAGMENTATION_KEEP_RUNS=2)
	grep -q 'fragmon-agent on node: started, .*1 old run(s) removed' "$T/fstests-baseline.log"
	[ "$(ls -d "$T"/target/node/run-* | wc -l)" -eq 2 ]
	grep -q 'TASK \[fstests : Copy xunit results' "$T/fstests-baseline.log" ||
		grep -q 'TASK \[fstests : .*results' "$T/fstests-baseline.log"

	# a stale configuration: fragmon removed, extra_vars.yaml still names it -> the
	# workflow fails before its workload, loudly
	run make -s -C "$kd" kdevops-plugin-remove NAME=fragmon < /dev/null
	kdevops_fstests "$kd" baseline
	[ "$status" -ne 0 ]
	grep -q 'MONITOR_PLUGINS names fragmon, but no such plugin with monitors is installed' "$T/fstests-baseline.log"
	! grep -q 'TASK \[fstests : Run fstests using ./oscheck.sh' "$T/fstests-baseline.log"
	# fragmon chosen, but no plugin named at all
	kdevops_fstests "$kd" baseline -e monitor_plugins=""
	[ "$status" -ne 0 ]
	grep -q 'MONITOR_FRAGMENTATION_BY_PLUGIN is set, but no plugin in MONITOR_PLUGINS' "$T/fstests-baseline.log"
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

@test "kdevops: build-linux-visualize's report shows fragmon's pictures; fio-tests' 4k-vs-16k defconfig with +fragmon" {
	require_bpf
	local kd h
	kd=$(new_tree consumers)
	git_am "$kd"
	run fm_make kdevops-install KDEVOPS="$kd"
	[ "$status" -eq 0 ]
	write_hosts "$kd"
	cd "$kd"
	# build-linux: fragmon's results in the workflow's directory, under kdevops' names
	kd_make "$kd" defconfig-build-linux-multifs+fragmon+fmtest
	[ "$status" -eq 0 ]
	kd_make "$kd" fragmon-install fragmon-start HOSTS=node
	[ "$status" -eq 0 ]
	kd_make "$kd" fragmon-stop fragmon-collect HOSTS=node
	echo "$output" | tail -n 5
	[ "$status" -eq 0 ]
	local r=$kd/workflows/build-linux/results
	[ -L "$r/monitoring/fragmentation/node_fragmentation_plot.png" ]
	# build timings as the build-linux workflow writes them, then kdevops' own report
	printf '[{"build_number": 1, "duration": 612.5, "success": true, "exit_code": 0},
	  {"build_number": 2, "duration": 598.1, "success": true, "exit_code": 0}]\n' > "$r/node_build_times_node.json"
	kd_make "$kd" build-linux-visualize
	echo "$output" | tail -n 8
	[ "$status" -eq 0 ]
	local html
	html=$(find "$r" -name '*.html' | head -1)
	[ -n "$html" ]
	grep -q 'Memory Fragmentation Analysis' "$html"
	# the picture embedded is fragmon's dashboard of node
	grep -q "$(base64 -w0 "$r/monitoring/fragmentation/node.png" | head -c 200)" "$html"

	# fio-tests' block size study with fragmon chosen: the monitoring hooks run around the
	# fio jobs, and the hosts the defconfig makes get fragmon's dashboards
	printf 'CONFIG_MONITOR_FRAGMENTATION_PLOT_BASELINE="xfs-4k"\n' > "$HOME/.config/kdevops/defconfigs/configs/fiobase.config"
	kd_make "$kd" defconfig-fio-tests-fs-xfs-4k-vs-16k+fragmon+fmtest+fiobase
	[ "$status" -eq 0 ]
	kd_make "$kd" extra_vars.yaml
	[ "$(yamlval extra_vars.yaml monitor_fragmentation_by_plugin)" = true ]
	[ "$(yamlval extra_vars.yaml kdevops_workflow_name)" = '"fio-tests"' ]
	if ansible-doc community.general.make > /dev/null 2>&1; then
		ansible-playbook -i localhost, playbooks/fio-tests.yml --list-tasks --extra-vars=@./extra_vars.yaml |
			grep -o "Run the monitoring plugins' {{ monitoring_plugin_step }} step\|Run fio tests in background\|Wait for fio tests to complete" |
			uniq > "$T/fio-order"
		cat "$T/fio-order"
		[ "$(tr '\n' '|' < "$T/fio-order")" = "Run the monitoring plugins' {{ monitoring_plugin_step }} step|Run fio tests in background|Wait for fio tests to complete|Run the monitoring plugins' {{ monitoring_plugin_step }} step|" ]
	fi
	# the nodes as kdevops' gen_nodes names them for this defconfig (<prefix>-fio-tests-<fs>)
	local pfx
	pfx=$(yamlval extra_vars.yaml kdevops_host_prefix | tr -d '"')
	local hosts=("$pfx-fio-tests-xfs-4k" "$pfx-fio-tests-xfs-4k-dev" "$pfx-fio-tests-xfs-16k" "$pfx-fio-tests-xfs-16k-dev")
	{
		echo "[all]"; printf '%s\n' "${hosts[@]}"
		echo "[baseline]"; printf '%s\n' "${hosts[0]}" "${hosts[2]}"
		echo "[dev]"; printf '%s\n' "${hosts[1]}" "${hosts[3]}"
		sed -n '/^\[all:vars\]/,$p' hosts
	} > hosts.fio
	sed -i 's/^inventory = .*/inventory = hosts.fio/' ansible.cfg
	kd_make "$kd" fragmon-start
	[ "$status" -eq 0 ]
	kd_make "$kd" fragmon-stop fragmon-collect
	echo "$output" | tail -n 12
	[ "$status" -eq 0 ]
	r=$kd/workflows/fio-tests/results/monitoring/fragmentation
	for h in "${hosts[@]}"; do
		is_png "$r/$h.png"
	done
	is_png "$r/${hosts[0]}-vs-${hosts[1]}.png"
	is_png "$r/${hosts[2]}-vs-${hosts[3]}.png"
	is_png "$r/overview.png"
	# the block sizes compared, on each kernel, against the baseline chosen in Kconfig
	is_png "$r/comparison_${hosts[0]}_vs_${hosts[2]}.png"
	is_png "$r/comparison_${hosts[1]}_vs_${hosts[3]}.png"
}

