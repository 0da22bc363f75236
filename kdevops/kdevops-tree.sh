#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# kdevops-tree.sh install KDEVOPS PLUGIN_SRC   install the fragmon plugin into kdevops;
#                                              give kdevops the monitoring plugin hook
#                                              if it has none yet
# kdevops-tree.sh uninstall KDEVOPS            undo both
# kdevops-tree.sh update KDEVOPS [ARGS...]     git pull --ff-only ARGS in KDEVOPS with the
#                                              hook series taken out and put back after
# kdevops-tree.sh status KDEVOPS               plugin and hook state, one line each
#
# fragmon runs inside kdevops' workflows through a generic hook: kdevops' monitoring
# task files hand each step (run, collect, collect_only, kill) to installed plugins
# that ship monitoring/<step>.yml. That hook is the patch series in kdevops/patches/
# (copyleft-next-0.3.1, kdevops' licence), offered to kdevops. A kdevops that has it
# (merged upstream, or the series applied with git am) is not touched at all: install
# only runs kdevops' own `make kdevops-plugin-add`. A kdevops without it gets the
# series applied to its working tree (git apply); copies of the patches applied are
# kept with that record in <git dir>/fragmon-series.d/, so uninstall takes exactly that
# out again whatever happened to the fragmon checkout since, and update takes it out
# around git pull.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
PATCHES=()
for p in "$here"/patches/[0-9]*.patch; do
	case $p in *-cover-letter.patch) ;; *) PATCHES+=("$p") ;; esac
done

die() { echo "kdevops-tree: $*" >&2; exit 1; }
usage() { echo "usage: $0 install KDEVOPS PLUGIN_SRC | uninstall KDEVOPS | update KDEVOPS [GIT-PULL-ARGS...] | status KDEVOPS" >&2; exit 2; }

[ $# -ge 2 ] || usage
action=$1 kd=$2
shift 2
[ -d "$kd" ] || die "$kd: no such directory"
kd=$(cd "$kd" && pwd)
tasks=$kd/playbooks/roles/monitoring/tasks
if ! { [ -x "$kd/scripts/kdevops-plugin.sh" ] && [ -f "$tasks/monitor_run.yml" ]; }; then
	die "$kd does not look like a kdevops tree with plugin support (scripts/kdevops-plugin.sh, $tasks/monitor_run.yml)"
fi
registry=${HOME}/.config/kdevops/plugins.json
FRAGMENTS=${HOME}/.config/kdevops/defconfigs/configs
if gitdir=$(git -C "$kd" rev-parse --absolute-git-dir 2> /dev/null); then
	statedir=$gitdir/fragmon-series.d
else
	statedir=$kd/.fragmon-series.d
fi
# the list of the patches applied, in order (copies in $statedir)
state=$statedir/applied
# an install by an earlier fragmon: a list of patch files in its checkout
oldstate=${statedir%.d}
if [ -f "$oldstate" ] && [ ! -f "$state" ]; then
	mkdir -p "$statedir"
	while IFS= read -r p; do
		[ -f "$p" ] || die "$oldstate lists $p, which is gone: restore kdevops' files by hand (git -C $kd diff)"
		cp "$p" "$statedir/" && basename "$p"
	done < "$oldstate" > "$state.new"
	mv "$state.new" "$state" && rm -f "$oldstate"
fi

plugin_installed() { [ -f "$registry" ] && jq -e '.plugins.fragmon' "$registry" > /dev/null 2>&1; }

# kdevops hands monitoring steps to the plugins in MONITOR_PLUGINS and lets one replace
# its tracker
has_hook() {
	[ -f "$tasks/plugins.yml" ] && grep -q 'monitoring_plugin_step: run' "$tasks/monitor_run.yml" &&
		grep -q '^config MONITOR_PLUGINS$' "$kd/kconfigs/monitors/Kconfig" &&
		grep -q '^config MONITOR_FRAGMENTATION_BY_PLUGIN$' "$kd/kconfigs/monitors/Kconfig"
}

# git apply in the tree, patch by patch; on a failure the ones applied are taken out
apply_series() {
	local p done=()
	for p in "${PATCHES[@]}"; do
		if ! out=$(cd "$kd" && git apply --whitespace=nowarn "$p" 2>&1); then
			local i
			for ((i = ${#done[@]} - 1; i >= 0; i--)); do
				(cd "$kd" && git apply -R "${done[i]}")
			done
			die "$(basename "$p") does not apply to $kd ($out): this kdevops differs from the one the series was made for; apply kdevops/patches/*.patch by hand (git am -3) or update kdevops"
		fi
		done+=("$p")
	done
	mkdir -p "$statedir"
	for p in "${PATCHES[@]}"; do
		cp "$p" "$statedir/" && basename "$p"
	done > "$state"
}

# takes out the copies kept at install time: the fragmon checkout may have moved or
# changed since
unapply_series() {
	[ -f "$state" ] || return 0
	local list i
	mapfile -t list < "$state"
	for ((i = ${#list[@]} - 1; i >= 0; i--)); do
		(cd "$kd" && git apply -R --check "$statedir/${list[i]}" 2> /dev/null) ||
			die "cannot take ${list[i]} out of $kd: the files it changed were edited since; restore them (git -C $kd diff) and retry"
		(cd "$kd" && git apply -R "$statedir/${list[i]}")
	done
	rm -rf "$statedir"
}

# a kdevops configuration that still asks for fragmon after the uninstall
stale_config_warning() {
	local f hits=()
	for f in "$kd/.config" "$kd/extra_vars.yaml"; do
		[ -f "$f" ] || continue
		grep -Eq '^CONFIG_MONITOR_FRAGMENTATION_BY_PLUGIN=y|^CONFIG_MONITOR_PLUGINS=".*fragmon|^monitor_fragmentation_by_plugin: True|^monitor_plugins: ".*fragmon' "$f" &&
			hits+=("$f")
	done
	[ ${#hits[@]} -gt 0 ] || return 0
	echo "kdevops-tree: WARNING: ${hits[*]} still ask for fragmon (MONITOR_PLUGINS, MONITOR_FRAGMENTATION_BY_PLUGIN):" >&2
	echo "kdevops-tree: WARNING: configure kdevops again (make defconfig-<base> or make menuconfig); until then" >&2
	echo "kdevops-tree: WARNING: workflows with monitoring fail before their workload (with the hook) or monitor nothing" >&2
}

case $action in
install)
	[ $# -eq 1 ] || usage
	src=$1
	[ -f "$src/.kdevops/plugin.yaml" ] || die "$src/.kdevops/plugin.yaml missing: run make kdevops-plugin"
	# kdevops-plugin-add asks before replacing an installed plugin: remove it first
	if plugin_installed; then
		make -s -C "$kd" kdevops-plugin-remove NAME=fragmon < /dev/null > /dev/null
	fi
	make -s -C "$kd" kdevops-plugin-add URL="$src" < /dev/null > /dev/null
	plugin_installed || die "kdevops-plugin-add did not register fragmon"
	# the defconfig fragment where kdevops looks for user fragments: defconfig-<base>+fragmon
	mkdir -p "$FRAGMENTS"
	cp "$src/.kdevops/defconfigs/configs/fragmon.config" "$FRAGMENTS/fragmon.config"
	if [ -f "$state" ]; then
		echo "kdevops-tree: monitoring hook series already applied to $kd (by an earlier install)"
	elif has_hook; then
		echo "kdevops-tree: $kd has the monitoring plugin hook: its files are not touched"
	else
		apply_series
		echo "kdevops-tree: applied the monitoring hook series (${#PATCHES[@]} patches) to $kd's working tree;" \
			"make kdevops-update KDEVOPS=$kd pulls kdevops, make kdevops-uninstall takes it out"
	fi
	echo "kdevops-tree: fragmon plugin installed in ~/.config/kdevops/plugins/fragmon"
	;;
uninstall)
	[ $# -eq 0 ] || usage
	unapply_series
	rm -f "$FRAGMENTS/fragmon.config"
	if plugin_installed; then
		make -s -C "$kd" kdevops-plugin-remove NAME=fragmon < /dev/null > /dev/null
	fi
	echo "kdevops-tree: fragmon removed from $kd"
	stale_config_warning
	;;
update)
	[ -n "${gitdir:-}" ] || die "$kd is not a git checkout"
	had=0
	[ -f "$state" ] && had=1
	unapply_series
	if ! git -C "$kd" pull --ff-only "$@"; then
		[ "$had" = 1 ] && ! has_hook && apply_series
		die "git pull failed in $kd (series put back: $had)"
	fi
	if [ "$had" = 1 ] || plugin_installed; then
		if has_hook; then
			echo "kdevops-tree: $kd now has the monitoring plugin hook itself: nothing to apply"
		else
			apply_series
			echo "kdevops-tree: monitoring hook series applied again to $kd"
		fi
	fi
	;;
status)
	if plugin_installed; then echo "plugin: installed"; else echo "plugin: not-installed"; fi
	if [ -f "$state" ]; then echo "hook: applied-by-fragmon"
	elif has_hook; then echo "hook: in-kdevops"
	else echo "hook: missing"; fi
	;;
*) usage ;;
esac
