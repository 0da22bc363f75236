#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run the bats suite (TAP), echo it, and end with a plain summary line.
# BATS_FILTER=regex runs only matching tests; FRAGMON_TESTS="a.bats b.bats"
# only those files.
set -uo pipefail
cd "$(dirname "$0")/.."
files=${FRAGMON_TESTS:-tests/bats}
args=(--tap)
[ -n "${BATS_FILTER:-}" ] && args+=(--filter "$BATS_FILTER")
log=$(mktemp)
# shellcheck disable=SC2086
bats "${args[@]}" $files | tee "$log"
rc=${PIPESTATUS[0]}
passed=$(grep -Ec '^ok [0-9]+' "$log" || true)
skipped=$(grep -Ec '^ok [0-9]+ .*# skip' "$log" || true)
failed=$(grep -Ec '^not ok [0-9]+' "$log" || true)
rm -f "$log"
echo "$((passed - skipped)) passed, $failed failed, $skipped skipped"
exit "$rc"
