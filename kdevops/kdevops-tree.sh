#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# kdevops-tree.sh install KDEVOPS PLUGIN_SRC   install the fragmon plugin into kdevops and
#                                              hand its fragmentation monitoring to fragmon
# kdevops-tree.sh uninstall KDEVOPS            undo both; the tree is as before
# kdevops-tree.sh status KDEVOPS               print installed / not-installed
#
# The change to the kdevops tree (playbooks/roles/monitoring/tasks/), nothing else:
#  1. in every task file there that tests monitor_memory_fragmentation, that variable is
#     renamed fragmon_legacy_monitor_memory_fragmentation, so kdevops' Python tracker,
#     its packages and its visualizer stay off;
#  2. monitor_run.yml, monitor_collect.yml and monitor_collect_only.yml get a block between
#     "# fragmon:begin" and "# fragmon:end" before their first task (kdevops/hooks/*.yml)
#     that includes the fragmon role (install+start / stop+collect+plot / interim) when
#     monitor_memory_fragmentation is set.
# Both steps are idempotent and exactly reversed by uninstall. The plugin itself goes to
# ~/.config/kdevops/plugins/fragmon through kdevops' own `make kdevops-plugin-add`, and its
# defconfig fragment to ~/.config/kdevops/defconfigs/configs/fragmon.config
# (make defconfig-<base>+fragmon).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
LEGACY=fragmon_legacy_monitor_memory_fragmentation
HOOKED=(monitor_run.yml monitor_collect.yml monitor_collect_only.yml)

die() { echo "kdevops-tree: $*" >&2; exit 1; }
usage() { echo "usage: $0 install KDEVOPS PLUGIN_SRC | uninstall KDEVOPS | status KDEVOPS" >&2; exit 2; }

[ $# -ge 2 ] || usage
action=$1 kd=$2
[ -d "$kd" ] || die "$kd: no such directory"
kd=$(cd "$kd" && pwd)
tasks=$kd/playbooks/roles/monitoring/tasks
if ! { [ -x "$kd/scripts/kdevops-plugin.sh" ] && [ -f "$tasks/monitor_run.yml" ]; }; then
	die "$kd does not look like a kdevops tree with plugin support (scripts/kdevops-plugin.sh, $tasks/monitor_run.yml)"
fi
registry=${HOME}/.config/kdevops/plugins.json
FRAGMENTS=${HOME}/.config/kdevops/defconfigs/configs

plugin_installed() { [ -f "$registry" ] && jq -e '.plugins.fragmon' "$registry" > /dev/null 2>&1; }
hooked() { grep -q '^# fragmon:begin' "$tasks/monitor_run.yml"; }

# task files that test kdevops' fragmentation switch
# (none is fine: a kdevops without the legacy tracker)
legacy_files() {
	{ grep -rlE "\\bmonitor_memory_fragmentation\\b|\\b$LEGACY\\b" "$tasks" --include='*.yml' --include='*.yaml' || true; } | sort
}

unhook() {
	local f
	for f in "${HOOKED[@]}"; do
		[ -f "$tasks/$f" ] || continue
		# drop the block and the blank line we put after it
		awk '/^# fragmon:begin/ { skip = 1; next }
		     skip && /^# fragmon:end/ { skip = 0; eat = 1; next }
		     skip { next }
		     eat && /^$/ { eat = 0; next }
		     { eat = 0; print }' "$tasks/$f" > "$tasks/$f.fragmon-tmp"
		cat "$tasks/$f.fragmon-tmp" > "$tasks/$f"
		rm -f "$tasks/$f.fragmon-tmp"
	done
	legacy_files | while read -r f; do
		sed -i "s/\\b$LEGACY\\b/monitor_memory_fragmentation/g" "$f"
	done
}

hook() {
	local f
	if grep -rq "\\b$LEGACY\\b" "$tasks" && ! hooked; then
		die "$tasks already uses $LEGACY: refusing to patch"
	fi
	hooked && return 0
	legacy_files | while read -r f; do
		sed -i "s/\\bmonitor_memory_fragmentation\\b/$LEGACY/g" "$f"
	done
	for f in "${HOOKED[@]}"; do
		[ -f "$tasks/$f" ] || continue
		# before the first task and the comment lines right above it; without the
		# snippet's SPDX line
		awk -v hook="$here/hooks/$f" '
			{ line[NR] = $0 }
			!first && /^- / { first = NR }
			END {
				at = first ? first : NR + 1
				while (at > 1 && line[at - 1] ~ /^#/ && line[at - 1] !~ /SPDX-License-Identifier/) at--
				for (i = 1; i <= NR; i++) {
					if (i == at) {
						while ((getline l < hook) > 0) if (l !~ /SPDX-License-Identifier/) print l
						print ""
					}
					print line[i]
				}
				if (at > NR) while ((getline l < hook) > 0) if (l !~ /SPDX-License-Identifier/) print l
			}' "$tasks/$f" > "$tasks/$f.fragmon-tmp"
		cat "$tasks/$f.fragmon-tmp" > "$tasks/$f"
		rm -f "$tasks/$f.fragmon-tmp"
	done
}

case $action in
install)
	[ $# -eq 3 ] || usage
	src=$3
	[ -f "$src/.kdevops/plugin.yaml" ] || die "$src/.kdevops/plugin.yaml missing: run make kdevops-plugin"
	# kdevops-plugin-add asks before replacing an installed plugin: remove it first
	if plugin_installed; then
		make -s -C "$kd" kdevops-plugin-remove NAME=fragmon < /dev/null > /dev/null
	fi
	make -s -C "$kd" kdevops-plugin-add URL="$src" < /dev/null > /dev/null
	plugin_installed || die "kdevops-plugin-add did not register fragmon"
	hook
	# the defconfig fragment where kdevops looks for user fragments: defconfig-<base>+fragmon
	mkdir -p "$FRAGMENTS"
	cp "$src/.kdevops/defconfigs/configs/fragmon.config" "$FRAGMENTS/fragmon.config"
	echo "kdevops-tree: fragmon plugin installed in ~/.config/kdevops/plugins/fragmon, monitoring hooks in $tasks"
	;;
uninstall)
	[ $# -eq 2 ] || usage
	unhook
	rm -f "$FRAGMENTS/fragmon.config"
	if plugin_installed; then
		make -s -C "$kd" kdevops-plugin-remove NAME=fragmon < /dev/null > /dev/null
	fi
	echo "kdevops-tree: fragmon removed from $kd"
	;;
status)
	if hooked && plugin_installed; then echo installed; else echo not-installed; fi
	;;
*) usage ;;
esac
