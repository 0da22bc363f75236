# SPDX-License-Identifier: GPL-2.0
# A stand-in for kdevops' fstests role, for tests/bats/kdevops.bats and tests/e2e/e2e.bats:
# the monitoring imports exactly as kdevops' playbooks/roles/fstests/tasks/main.yml has
# them (same `when`, same tags), around the caller's own workload and copy_results tasks,
# run as `make fstests-baseline` / `make fstests-dev` run playbooks/fstests.yml.

# fstests_import run|collect KDEVOPS_DIR: one of fstests' two monitoring imports
fstests_import() {
	cat <<EOY
- name: $([ "$1" = run ] && echo "Start monitoring services before running tests" || echo "Stop monitoring services and collect data after running tests")
  ansible.builtin.import_tasks: $2/playbooks/roles/monitoring/tasks/monitor_$1.yml
  when:
    - kdevops_run_fstests|bool
    - enable_monitoring|default(false)|bool
  tags: ["oscheck", "fstests", "run_tests", "monitoring", "monitor_$1"]

EOY
}

# write_fstests_role DIR KDEVOPS_DIR WORKLOAD_YAML COPY_RESULTS_YAML: DIR/roles/fstests and
# DIR/fstests.yml (hosts baseline:dev, as kdevops' playbooks/fstests.yml)
write_fstests_role() {
	mkdir -p "$1/roles/fstests/tasks"
	{
		fstests_import run "$2"
		printf '%s\n\n' "$3"
		fstests_import collect "$2"
		printf '%s\n' "$4"
	} > "$1/roles/fstests/tasks/main.yml"
	printf -- '- name: fstests\n  hosts: baseline:dev\n  roles:\n    - role: fstests\n' > "$1/fstests.yml"
}

# run_fstests DIR KDEVOPS_DIR LIMIT [ARGS...]: the playbook as make fstests-baseline runs it,
# in KDEVOPS_DIR (its ansible.cfg and extra_vars.yaml); bats' run, output in $output
run_fstests() {
	local d=$1 kd=$2 lim=$3
	shift 3
	cd "$kd" || return 1
	run env ANSIBLE_ROLES_PATH="$d/roles" ansible-playbook --limit "$lim" "$d/fstests.yml" \
		--tags vars,run_tests,copy_results --extra-vars '{ "kdevops_run_fstests": True }' \
		--extra-vars=@./extra_vars.yaml "$@"
}
