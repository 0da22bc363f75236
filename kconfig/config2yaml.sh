#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# config2yaml.sh agent   .config           -> fragmon-agent YAML config (fragmon.yaml)
# config2yaml.sh ansible .config Kconfig... -> Ansible variables, as kdevops writes
#                                              them into extra_vars.yaml: every symbol
#                                              marked `output yaml` in the given
#                                              Kconfig files, CONFIG_ dropped,
#                                              lower-cased; bool True/False, int bare,
#                                              string double-quoted.
# Kconfig writes strings with only \" and \\ escaped, which is also valid YAML
# double-quoted syntax, so string values are copied verbatim.
set -euo pipefail

usage() { echo "usage: $0 agent CONFIG | ansible CONFIG KCONFIG..." >&2; exit 2; }
[ $# -ge 2 ] || usage
what=$1 config=$2
shift 2
[ -r "$config" ] || { echo "$0: cannot read $config (run make defconfig or make menuconfig)" >&2; exit 2; }

case "$what" in
agent)
	grep -q '^CONFIG_MONITOR_MEMORY_FRAGMENTATION=y' "$config" || {
		echo "$0: MONITOR_MEMORY_FRAGMENTATION is not set in $config" >&2
		exit 1
	}
	echo "# SPDX-License-Identifier: GPL-2.0"
	echo "# fragmon-agent config, generated from $config by make fragmon.yaml"
	awk -F= '
	BEGIN {
		key["CONFIG_MONITOR_FRAGMENTATION_DURATION"] = "duration"
		key["CONFIG_MONITOR_FRAGMENTATION_OUTPUT_DIR"] = "output_dir"
		key["CONFIG_MONITOR_FRAGMENTATION_MODE"] = "mode"
		key["CONFIG_MONITOR_FRAGMENTATION_SNAPSHOT_INTERVAL_MS"] = "snapshot_interval_ms"
		key["CONFIG_MONITOR_FRAGMENTATION_MAX_OUTPUT_MB"] = "max_output_mb"
		key["CONFIG_MONITOR_FRAGMENTATION_PROMETHEUS_DIR"] = "prometheus_dir"
		key["CONFIG_MONITOR_FRAGMENTATION_INDEX_SOURCE"] = "index_source"
		key["CONFIG_MONITOR_FRAGMENTATION_COMPRESS"] = "compress"
	}
	/^CONFIG_/ && ($1 in key) { v = substr($0, length($1) + 2); print key[$1] ": " v }
	$1 == "CONFIG_MONITOR_FRAGMENTATION_MARKERS" { markers = "kmsg" }
	$1 == "CONFIG_MONITOR_FRAGMENTATION_STACKS" { stacks = "on" }
	$1 == "CONFIG_MONITOR_FRAGMENTATION_MARKER_PATTERN" && substr($0, length($1) + 2) != "\"\"" {
		pattern = substr($0, length($1) + 2)
	}
	END {
		# quoted: YAML 1.1 readers take a bare on/off for a boolean
		print "markers: \"" (markers ? markers : "off") "\""
		print "stacks: \"" (stacks ? stacks : "off") "\""
		if (markers && pattern != "") print "marker_patterns: [" pattern "]"
	}
	' "$config"
	;;
ansible)
	[ $# -ge 1 ] || usage
	echo "---"
	echo "# SPDX-License-Identifier: GPL-2.0"
	echo "# generated from $config by make extra-vars"
	awk '
	FNR == NR {
		if ($1 == "config" || $1 == "menuconfig") sym = $2
		else if ($1 == "output" && $2 == "yaml" && sym != "") out["CONFIG_" sym] = 1
		next
	}
	/^CONFIG_[A-Za-z0-9_]+=/ {
		eq = index($0, "="); name = substr($0, 1, eq - 1); v = substr($0, eq + 1)
		if (!(name in out)) next
		if (v == "y") v = "True"; else if (v == "n") v = "False"
		print tolower(substr(name, 8)) ": " v
		next
	}
	/^# CONFIG_[A-Za-z0-9_]+ is not set$/ {
		name = $2
		if (name in out) print tolower(substr(name, 8)) ": False"
	}
	' <(cat "$@") "$config"
	;;
*) usage ;;
esac
