#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The fragmon Ansible role for real: ansible-playbook on this machine, two local "hosts"
# (node and node-dev, own output directories), the real agent and plotter.

setup_file() {
	export FM_TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	export T=$(mktemp -d /tmp/fragmon-ansible-test.XXXXXX)
	export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_RETRY_FILES_ENABLED=0
	export ANSIBLE_LOCAL_TEMP=$T/ansible-tmp ANSIBLE_REMOTE_TEMP=$T/ansible-tmp
	export ANSIBLE_HOME=$T/ansible-home
	cat > "$T/inventory.ini" <<EOI
[baseline]
node     monitor_fragmentation_output_dir=$T/target/node
[dev]
node-dev monitor_fragmentation_output_dir=$T/target/node-dev
[all:vars]
ansible_connection=local
ansible_python_interpreter=/usr/bin/python3
fragmon_become=false
fragmon_install_dir=$T/bin
fragmon_fetch_dir=$T/fetch/{{ inventory_hostname }}
fragmon_results_dir=$T/results
monitor_fragmentation_snapshot_interval_ms=250
EOI
	# every test may run alone (bats -f): install the agent on both "hosts" once
	if command -v ansible-playbook > /dev/null && [ -x "$FM_TOP/fragmon-agent" ]; then
		ansible-playbook -i "$T/inventory.ini" "$FM_TOP/ansible/fragmon-install.yml" \
			> "$T/install.log" 2>&1 || true
	fi
}

teardown_file() {
	local p
	for p in "$T"/target/*/run-*/fragmon-agent.pid; do
		[ -f "$p" ] && kill -9 "$(cat "$p")" 2>/dev/null
	done
	rm -rf "$T" "/var/tmp/$(basename "$T").stage"
}

require_tools() {
	command -v ansible-playbook > /dev/null || skip "ansible-playbook not installed (ansible-core)"
	command -v jq > /dev/null || skip "jq not installed"
}

require_agent() {
	require_tools
	[ "$(id -u)" -eq 0 ] || skip "the agent needs root"
	[ -x "$FM_TOP/fragmon-agent" ] || skip "fragmon-agent not built (make agent)"
	[ -r /sys/kernel/btf/vmlinux ] || skip "kernel has no BTF: the agent cannot attach"
	[ -x "$T/bin/fragmon-ctl" ] || { cat "$T/install.log"; false; }
}

require_plot() {
	[ -x "$FM_TOP/fragmon-plot" ] || skip "fragmon-plot not built (make plot)"
}

# play PLAYBOOK [ansible-playbook args...]: run one of ansible/fragmon-*.yml, output in $output
play() {
	local pb=$1
	shift
	run ansible-playbook -i "$T/inventory.ini" "$FM_TOP/ansible/$pb" "$@"
	echo "$output" > "$T/last-play.log"
}

is_png() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }

current_pid() { cat "$T/target/$1/current/fragmon-agent.pid" 2>/dev/null; }

@test "ansible: install, start, workload, stop, collect, plot on node and node-dev" {
	require_agent
	require_plot
	local work="sleep 2"
	[ -x "$FM_TOP/build/tests/fragload" ] && work="$FM_TOP/build/tests/fragload compact; sleep 1"
	play fragmon-run.yml -e "{\"fragmon_command\": \"$work\"}"
	echo "$output" | tail -n 30
	[ "$status" -eq 0 ]
	[[ "$output" == *"fragmon-agent on node: stopped-sigint"* ]]
	[[ "$output" == *"fragmon-agent on node-dev: stopped-sigint"* ]]
	local h
	for h in node node-dev; do
		# one run directory per host, on the "target"
		[ -L "$T/target/$h/current" ]
		[ "$(ls -d "$T/target/$h"/run-* | wc -l)" -eq 1 ]
		[ -x "$T/bin/fragmon-agent" ] && [ -x "$T/bin/fragmon-ctl" ]
		# on the controller: the host's final JSON and log
		[ "$(jq -r .metadata.complete "$T/results/$h/fragmentation_data.json")" = true ]
		[ "$(jq -r .metadata.end_reason "$T/results/$h/fragmentation_data.json")" = SIGINT ]
		[ "$(jq -r .run.snapshot_interval_ms "$T/results/$h/fragmentation_data.json")" = 250 ]
		[ -s "$T/results/$h/fragmon-agent.log" ]
		[ "$(jq -r .result "$T/results/$h/fragmon-stop.json")" = stopped-sigint ]
		[ ! -e "$T/results/$h/fragmentation_data.json.partial" ]
		is_png "$T/results/$h.png"
	done
	is_png "$T/results/node-vs-node-dev.png"
	is_png "$T/results/overview.png"
	# outside kdevops, not the names kdevops' tools read
	[ -z "$(ls "$T/results" | grep '_fragmentation_')" ]
}

@test "ansible: a failing workload fails the play, after the data was stopped, collected and plotted" {
	require_agent
	require_plot
	play fragmon-run.yml --limit node-dev -e fragmon_results_dir="$T/results-fail" \
		-e '{"fragmon_command": "sleep 1; exit 3"}'
	echo "$output" | tail -n 30
	[ "$status" -ne 0 ]
	[[ "$output" == *"fatal: [node-dev]"* ]]
	[[ "$output" == *"fragmon-agent on node-dev: stopped-sigint"* ]]
	[ "$(jq -r .metadata.complete "$T/results-fail/node-dev/fragmentation_data.json")" = true ]
	is_png "$T/results-fail/node-dev.png"
}

@test "ansible: starting twice is idempotent, stopping twice is a clean no-op" {
	require_agent
	play fragmon-start.yml --limit node
	[ "$status" -eq 0 ]
	[[ "$output" == *"fragmon-agent on node: started"* ]]
	local pid run
	pid=$(current_pid node)
	run=$(readlink -f "$T/target/node/current")
	kill -0 "$pid"
	play fragmon-start.yml --limit node
	[ "$status" -eq 0 ]
	[[ "$output" == *"fragmon-agent on node: already-running, pid $pid"* ]]
	[[ "$output" == *"node                       : ok="*"changed=0"* ]]
	[ "$(readlink -f "$T/target/node/current")" = "$run" ]
	[ "$(current_pid node)" = "$pid" ]
	[ "$(pgrep -c -f "$T/bin/fragmon-agent")" -eq 1 ]

	play fragmon-stop.yml --limit node
	[ "$status" -eq 0 ]
	[[ "$output" == *"fragmon-agent on node: stopped-sigint"* ]]
	! kill -0 "$pid" 2>/dev/null
	play fragmon-stop.yml --limit node
	[ "$status" -eq 0 ]
	[[ "$output" == *"fragmon-agent on node: finished"* ]]
	[[ "$output" == *"node                       : ok="*"changed=0"* ]]
}

@test "ansible: fragmon_start_fresh ends a leftover agent's run and starts a new one" {
	require_agent
	play fragmon-start.yml --limit node
	[ "$status" -eq 0 ]
	local old new oldrun
	old=$(current_pid node)
	oldrun=$(readlink -f "$T/target/node/current")
	play fragmon-start.yml --limit node -e fragmon_start_fresh=true
	echo "$output" | tail -n 12
	[ "$status" -eq 0 ]
	[[ "$output" == *"fragmon-agent on node: restarted"* ]]
	new=$(current_pid node)
	[ -n "$new" ] && [ "$new" != "$old" ]
	! kill -0 "$old" 2>/dev/null
	[ "$(readlink -f "$T/target/node/current")" != "$oldrun" ]
	# the old run ended cleanly and keeps its data and stop report
	[ "$(jq -r .metadata.complete "$oldrun/fragmentation_data.json")" = true ]
	[ "$(jq -r .result "$oldrun/fragmon-stop.json")" = stopped-sigint ]
	play fragmon-stop.yml --limit node
	[ "$status" -eq 0 ]
}

@test "ansible: stop with no agent and no run at all is a clean no-op" {
	require_tools
	[ -x "$FM_TOP/fragmon-agent" ] || skip "fragmon-agent not built (make agent)"
	play fragmon-install.yml --limit node -e monitor_fragmentation_mode=snapshot
	[ "$status" -eq 0 ]
	play fragmon-stop.yml --limit node -e monitor_fragmentation_output_dir="$T/target/never-started"
	[ "$status" -eq 0 ]
	[[ "$output" == *"fragmon-agent on node: not-running"* ]]
	[[ "$output" == *"changed=0"* ]]
}

@test "ansible: stop of a hung (SIGSTOPped) agent escalates to SIGKILL within the stop timeout" {
	require_agent
	# stale files of an earlier run, on the target and on the controller
	mkdir -p "$T/target/node/run-19700101T000000Z" "$T/results/node"
	echo '{"stale": true}' > "$T/target/node/run-19700101T000000Z/fragmentation_data.json"
	echo '{"stale": true}' > "$T/results/node/fragmentation_data.json"
	play fragmon-start.yml --limit node
	[ "$status" -eq 0 ]
	local pid
	pid=$(current_pid node)
	kill -STOP "$pid"
	local t0=$SECONDS
	play fragmon-stop.yml --limit node -e monitor_fragmentation_stop_timeout=5
	local took=$((SECONDS - t0))
	echo "$output" | tail -n 20
	[ "$status" -eq 0 ]
	[[ "$output" == *"fragmon-agent on node: stopped-sigkill"* ]]
	local secs
	secs=$(jq -r .seconds "$T/target/node/current/fragmon-stop.json")
	# fragmon-ctl's own bound, and the whole play (ansible's start-up included)
	awk -v s="$secs" 'BEGIN { exit !(s <= 5.0) }'
	[ "$took" -lt 25 ]
	! kill -0 "$pid" 2>/dev/null
	# a killed agent leaves its .partial: collect fetches that, never a stale final file
	[ -f "$T/target/node/current/fragmentation_data.json.partial" ]
	play fragmon-collect.yml --limit node -e monitor_fragmentation_plot=false
	[ "$status" -eq 0 ]
	[ -s "$T/results/node/fragmentation_data.json.partial" ]
	! grep -q stale "$T/results/node/fragmentation_data.json.partial"
	[ ! -e "$T/results/node/fragmentation_data.json" ]
	[ "$(jq -r .result "$T/results/node/fragmon-stop.json")" = stopped-sigkill ]
}

@test "ansible: an agent that cannot start fails the start task with its own message" {
	require_agent
	play fragmon-start.yml --limit node-dev -e monitor_fragmentation_mode=bogus
	echo "$output" | tail -n 20
	[ "$status" -ne 0 ]
	[[ "$output" == *"fatal: [node-dev]"* ]]
	[[ "$output" == *"agent exited with status 2 before it was ready"* ]]
	[[ "$output" == *'unknown mode'* ]]
	# its run directory keeps the log; nothing is left running
	grep -q 'unknown mode' "$T/target/node-dev/current/fragmon-agent.log"
	[ -z "$(current_pid node-dev)" ]
}

@test "ansible: a duration-limited run keeps its data" {
	require_agent
	play fragmon-start.yml --limit node-dev -e monitor_fragmentation_duration=2
	[ "$status" -eq 0 ]
	local pid
	pid=$(current_pid node-dev)
	local i
	for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
	! kill -0 "$pid" 2>/dev/null
	play fragmon-stop.yml --limit node-dev
	[ "$status" -eq 0 ]
	[[ "$output" == *"fragmon-agent on node-dev: finished"* ]]
	play fragmon-collect.yml --limit node-dev -e monitor_fragmentation_plot=false
	[ "$status" -eq 0 ]
	[ "$(jq -r .metadata.end_reason "$T/results/node-dev/fragmentation_data.json")" = duration ]
	[ "$(jq -r .metadata.complete "$T/results/node-dev/fragmentation_data.json")" = true ]
}

@test "ansible: interim results checkpoint, fetch and plot while the agent keeps running" {
	require_agent
	require_plot
	play fragmon-start.yml --limit node
	[ "$status" -eq 0 ]
	local pid
	pid=$(current_pid node)
	sleep 1
	play fragmon-interim.yml --limit node
	echo "$output" | tail -n 20
	[ "$status" -eq 0 ]
	kill -0 "$pid"
	[ "$(jq -r .metadata.complete "$T/results/interim/node/fragmentation_data.json")" = false ]
	is_png "$T/results/interim/node.png"
	play fragmon-stop.yml --limit node
	[ "$status" -eq 0 ]
	[[ "$output" == *"fragmon-agent on node: stopped-sigint"* ]]
}

@test "ansible: collect fetches a staged copy the connection user can read (no slurp through become)" {
	require_tools
	[ "$(id -u)" -eq 0 ] || skip "needs root to hand files to another user"
	id nobody > /dev/null 2>&1 || skip "no user nobody"
	# like the default /var/tmp/fragmon-fetch-<host>: under a directory anyone may traverse
	local base=$T/stage-base ctl=$FM_TOP/ansible/roles/fragmon/files/fragmon-ctl
	local stage=/var/tmp/$(basename "$T").stage
	mkdir -p "$base/run-1"
	ln -sfn run-1 "$base/current"
	head -c 100000 /dev/urandom > "$base/run-1/fragmentation_data.json"
	echo log > "$base/run-1/fragmon-agent.log"
	chmod 0640 "$base/run-1"/*
	run "$ctl" stage "$base" "$stage" nobody
	echo "$output"
	[ "$status" -eq 0 ]
	local res dir
	res=$(echo "$output" | tail -n 1)
	[ "$(echo "$res" | jq -r .result)" = staged ]
	[ "$(echo "$res" | jq -c .files)" = '["fragmentation_data.json","fragmon-agent.log"]' ]
	dir=$(echo "$res" | jq -r .dir)
	[ "$(stat -c %U "$dir/fragmentation_data.json")" = nobody ]
	su -s /bin/sh nobody -c "cat '$dir/fragmentation_data.json'" | cmp - "$base/run-1/fragmentation_data.json"
	# the original stays root's
	[ "$(stat -c %U "$base/run-1/fragmentation_data.json")" = root ]
	run "$ctl" unstage "$base" "$stage"
	[ "$status" -eq 0 ]
	[ ! -e "$stage" ]
	run "$ctl" unstage "$base" /
	[ "$status" -ne 0 ]
	[ -d /var/tmp ]
}

@test "ansible: a failing plot is reported, not fatal; strict makes it fatal" {
	require_tools
	require_plot
	mkdir -p "$T/bad/node"
	echo "this is not JSON" > "$T/bad/node/fragmentation_data.json"
	play fragmon-plot.yml --limit node -e fragmon_results_dir="$T/bad"
	echo "$output" | tail -n 20
	[ "$status" -eq 0 ]
	[[ "$output" == *"fatal: [node]: FAILED!"*"fragmon plot failed"*"lexical error"* ]]
	[[ "$output" == *"...ignoring"* ]]
	[[ "$output" == *"ignored=1"* ]]
	grep -q 'fragmon: plot failed' "$T/bad/FRAGMON-PLOT-FAILED.txt"
	grep -q 'exited with status 2' "$T/bad/FRAGMON-PLOT-FAILED.txt"
	grep -q 'lexical error' "$T/bad/FRAGMON-PLOT-FAILED.txt"
	play fragmon-plot.yml --limit node -e fragmon_results_dir="$T/bad" -e monitor_fragmentation_strict=true
	[ "$status" -ne 0 ]
	[[ "$output" == *"fragmon plot failed"* ]]
	grep -q 'Fatal: monitor_fragmentation_strict' "$T/bad/FRAGMON-PLOT-FAILED.txt"
	# fixed data: plotted, the note is gone
	rm -rf "$T/bad/node" && mkdir -p "$T/bad/node"
	cp "$FM_TOP/ansible/roles/fragmon/files/plot-check.json" "$T/bad/node/fragmentation_data.json"
	play fragmon-plot.yml --limit node -e fragmon_results_dir="$T/bad"
	[ "$status" -eq 0 ]
	is_png "$T/bad/node.png"
	[ ! -e "$T/bad/FRAGMON-PLOT-FAILED.txt" ]
}

@test "ansible: install checks that fragmon-plot draws on the controller" {
	require_tools
	require_plot
	[ -x "$FM_TOP/fragmon-agent" ] || skip "fragmon-agent not built (make agent)"
	play fragmon-install.yml --limit node -e monitor_fragmentation_mode=snapshot
	[ "$status" -eq 0 ]
	[[ "$output" != *"ignored=1"* ]]
	# a plotter that cannot run: a warning before any workload, fatal with strict
	play fragmon-install.yml --limit node -e monitor_fragmentation_mode=snapshot -e fragmon_plot_bin=/bin/false
	echo "$output" | tail -n 20
	[ "$status" -eq 0 ]
	[[ "$output" == *"/bin/false does not run on the controller"* ]]
	[[ "$output" == *"ignored=1"* ]]
	play fragmon-install.yml --limit node -e monitor_fragmentation_mode=snapshot -e fragmon_plot_bin=/bin/false \
		-e monitor_fragmentation_strict=true
	[ "$status" -ne 0 ]
	[[ "$output" == *"Stopping before the workload"* ]]
	# no plotting wanted: no check
	play fragmon-install.yml --limit node -e monitor_fragmentation_mode=snapshot -e fragmon_plot_bin=/bin/false \
		-e monitor_fragmentation_plot=false
	[ "$status" -eq 0 ]
	[[ "$output" != *"does not run on the controller"* ]]
}

@test "ansible: a failing collect is reported and leaves a note, the play goes on" {
	require_agent
	play fragmon-start.yml --limit node-dev
	[ "$status" -eq 0 ]
	play fragmon-stop.yml --limit node-dev
	[ "$status" -eq 0 ]
	# staging on the target fails (fragmon-ctl refuses / as a staging directory)
	play fragmon-collect.yml --limit node-dev -e fragmon_results_dir="$T/ro-results" -e monitor_fragmentation_plot=false \
		-e fragmon_fetch_dir=/
	echo "$output" | tail -n 20
	[ "$status" -eq 0 ]
	[[ "$output" == *"fragmon collect failed"* ]]
	[[ "$output" == *"rescued=1"* ]]
	grep -q 'refusing to use / as a staging directory' "$T/ro-results/node-dev/FRAGMON-COLLECT-FAILED.txt"
	grep -q 'fragmon: collect failed on node-dev' "$T/ro-results/node-dev/FRAGMON-COLLECT-FAILED.txt"
	# the next good collect removes the note
	play fragmon-collect.yml --limit node-dev -e fragmon_results_dir="$T/ro-results" -e monitor_fragmentation_plot=false
	[ "$status" -eq 0 ]
	[ -s "$T/ro-results/node-dev/fragmentation_data.json" ]
	[ ! -e "$T/ro-results/node-dev/FRAGMON-COLLECT-FAILED.txt" ]
}

@test "ansible: kill stops a running agent within the stop timeout; no agent installed is a no-op" {
	require_agent
	play fragmon-start.yml --limit node
	[ "$status" -eq 0 ]
	local pid
	pid=$(current_pid node)
	kill -0 "$pid"
	cat > "$T/kill.yml" <<EOY
- name: Kill
  hosts: node
  gather_facts: false
  tasks:
    - name: Kill
      ansible.builtin.include_role:
        name: $FM_TOP/ansible/roles/fragmon
        tasks_from: kill
EOY
	run ansible-playbook -i "$T/inventory.ini" "$T/kill.yml" -e monitor_memory_fragmentation=false
	echo "$output" | tail -n 10
	[ "$status" -eq 0 ]
	[[ "$output" == *"fragmon-agent on node: stopped-sigint"* ]]
	! kill -0 "$pid" 2> /dev/null
	run ansible-playbook -i "$T/inventory.ini" "$T/kill.yml" -e fragmon_install_dir="$T/nothing-here"
	[ "$status" -eq 0 ]
	[[ "$output" == *"changed=0"* ]]
}

@test "ansible: index_source event on a kernel without BTF: BTF made with pahole from DWARF once per release, given to the agent" {
	require_agent
	command -v pahole > /dev/null || skip "pahole (dwarves) not installed"
	# a DWARF object stands in for a kdevops-built vmlinux; /nonexistent for the missing
	# /sys/kernel/btf/vmlinux
	printf 'struct zone_like { int a; long b; };\nstruct zone_like z;\n' > "$T/dw.c"
	gcc -g -c "$T/dw.c" -o "$T/dw.o"
	local ev=(-e monitor_fragmentation_index_source=event -e fragmon_kernel_btf=/nonexistent
		-e fragmon_dwarf_vmlinux="$T/dw.o" -e fragmon_btf_cache_dir="$T/btf-cache")
	play fragmon-start.yml --limit node "${ev[@]}"
	echo "$output" | tail -n 12
	[ "$status" -eq 0 ]
	local rel btf
	rel=$(uname -r)
	btf=$T/btf-cache/vmlinux-$rel.btf
	[[ "$output" == *"fragmon-agent on node: BTF for $rel generated with pahole from $T/dw.o"* ]]
	bpftool btf dump file "$btf" | grep -q "STRUCT 'zone_like'"
	grep -qx "btf: \"$btf\"" "$T/target/node/current/fragmon.yaml"
	play fragmon-stop.yml --limit node
	[ "$status" -eq 0 ]
	[ "$(jq -r .metadata.btf "$T/target/node/current/fragmentation_data.json")" = file ]
	# the next start takes it from the cache; a kernel with BTF needs none; no DWARF: none
	play fragmon-start.yml --limit node "${ev[@]}"
	[[ "$output" == *"BTF for $rel from $btf (made earlier with pahole)"* ]]
	play fragmon-stop.yml --limit node
	play fragmon-start.yml --limit node -e monitor_fragmentation_index_source=event
	[[ "$output" == *"kernel $rel has BTF (/sys/kernel/btf/vmlinux)"* ]]
	! grep -q '^btf:' "$T/target/node/current/fragmon.yaml"
	play fragmon-stop.yml --limit node
	run "$T/bin/fragmon-ctl" btf "$T/btf-none" /nonexistent "$T/nothing.o"
	[[ "$output" == *'"result": "none"'*"no DWARF vmlinux at $T/nothing.o"* ]]
}

@test "ansible: results land in kdevops' workflow results directory (kdevops_workflow_name)" {
	require_tools
	cat > "$T/paths.yml" <<EOY
- name: Paths
  hosts: node
  gather_facts: false
  tasks:
    - name: Paths
      ansible.builtin.include_role:
        name: $FM_TOP/ansible/roles/fragmon
        tasks_from: paths
    - name: Show
      ansible.builtin.debug:
        msg: "RESULTS={{ fragmon_results_path }}"
EOY
	# no fragmon_results_dir: that is inventory-wide in this file, so use another one
	sed '/fragmon_results_dir/d' "$T/inventory.ini" > "$T/inv-wf.ini"
	run ansible-playbook -i "$T/inv-wf.ini" "$T/paths.yml" -e topdir_path=/kd -e kdevops_workflow_name=sysbench
	[ "$status" -eq 0 ]
	[[ "$output" == *'RESULTS=/kd/workflows/sysbench/results/monitoring/fragmentation"'* ]]
	run ansible-playbook -i "$T/inv-wf.ini" "$T/paths.yml" -e topdir_path=/kd -e kdevops_workflow_name=mix \
		-e fragmon_workflow=build-linux
	[[ "$output" == *'RESULTS=/kd/workflows/build-linux/results/monitoring/fragmentation"'* ]]
	run ansible-playbook -i "$T/inv-wf.ini" "$T/paths.yml" -e topdir_path=/kd
	[[ "$output" == *'RESULTS=/kd/results/fragmentation"'* ]]
	run ansible-playbook -i "$T/inv-wf.ini" "$T/paths.yml" -e topdir_path=/kd -e kdevops_workflow_name=fstests \
		-e fragmon_results_dir=/elsewhere
	[[ "$output" == *'RESULTS=/elsewhere"'* ]]
}

@test "ansible: a node keeps the newest keep_runs runs; begin and end markers reach the kernel log" {
	require_agent
	local mark d=$T/target/node
	mark=bats-$$-$(date +%s%N)
	# three older runs (one of them with an agent pid file of a process long gone)
	rm -rf "$d"/run-*
	mkdir -p "$d/run-20000101T000000Z" "$d/run-20000102T000000Z" "$d/run-20000103T000000Z"
	echo 999999 > "$d/run-20000103T000000Z/fragmon-agent.pid"
	play fragmon-start.yml --limit node -e monitor_fragmentation_keep_runs=2 -e fragmon_marker="$mark"
	[ "$status" -eq 0 ]
	[[ "$output" == *"fragmon-agent on node: started, "*", 2 old run(s) removed"* ]]
	play fragmon-stop.yml --limit node -e fragmon_marker="$mark"
	[ "$status" -eq 0 ]
	[ "$(ls -d "$d"/run-* | xargs -n1 basename | head -1)" = run-20000103T000000Z ]
	[ "$(ls -d "$d"/run-* | wc -l)" -eq 2 ]
	[ "$(dmesg | grep -c "fragmon: begin $mark\$")" -eq 1 ]
	[ "$(dmesg | grep -c "fragmon: end $mark\$")" -eq 1 ]
	[ "$(jq -r .marker "$d/current/fragmon-stop.json")" = true ]
	# fragmon-ctl itself: 0 keeps every run, no marker name writes none
	run env FRAGMON_KEEP_RUNS=0 FRAGMON_MARK= "$T/bin/fragmon-ctl" start "$d" "$T/bin/fragmon-agent" 30
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '.marker, .pruned' | tr '\n' ' ')" = "false 0 " ]
	run "$T/bin/fragmon-ctl" stop "$d" 10
	[ "$(echo "$output" | jq -r .marker)" = false ]
	[ "$(ls -d "$d"/run-* | wc -l)" -eq 3 ]
}

@test "ansible: in kdevops the results also carry the names kdevops' tools read (links)" {
	require_agent
	require_plot
	rm -f "$T/results"/*_fragmentation_*
	play fragmon-run.yml -e "{\"fragmon_command\": \"sleep 1\", \"topdir_path\": \"$T/kd\"}"
	[ "$status" -eq 0 ]
	local r=$T/results h
	for h in node node-dev; do
		[ "$(readlink "$r/${h}_fragmentation_data.json")" = "$h/fragmentation_data.json" ]
		[ "$(readlink "$r/${h}_fragmentation_plot.png")" = "$h.png" ]
		jq -e .metadata.complete "$r/${h}_fragmentation_data.json"
	done
}

@test "ansible: ansible-lint clean on the role, --syntax-check on the example playbooks" {
	require_tools
	command -v ansible-lint > /dev/null || skip "ansible-lint not installed"
	cd "$FM_TOP/ansible"
	run ansible-lint -q -p roles/fragmon fragmon-*.yml
	echo "$output"
	[ "$status" -eq 0 ]
	local pb
	for pb in fragmon-*.yml; do
		run ansible-playbook -i examples/local.ini --syntax-check "$pb"
		[ "$status" -eq 0 ] || { echo "$pb: $output"; false; }
		run ansible-playbook -i examples/inventory.ini --syntax-check "$pb"
		[ "$status" -eq 0 ] || { echo "$pb: $output"; false; }
	done
}
