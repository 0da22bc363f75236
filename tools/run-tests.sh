#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run the bats suite (TAP), echo it, and end with a plain summary line.
# BATS_FILTER=regex runs only matching tests; FRAGMON_TESTS="a.bats b.bats"
# only those files. FRAGMON_LEGACY_DIR (the legacy tracker's captures that
# tests/bats/plot.bats reads) defaults to shared/data beside the repository
# (for a git worktree: beside its main checkout).
set -uo pipefail
cd "$(dirname "$0")/.."
if [ -z "${FRAGMON_LEGACY_DIR:-}" ]; then
	main=$(cd "$(git rev-parse --git-common-dir 2>/dev/null || echo .git)/.." && pwd)
	[ -d "$main/../shared/data" ] && export FRAGMON_LEGACY_DIR=$main/../shared/data
fi
files=${FRAGMON_TESTS:-tests/bats}
args=(--tap --timing)
[ -n "${BATS_FILTER:-}" ] && args+=(--filter "$BATS_FILTER")
# a hung test fails on its own ("# timeout after 900s") instead of holding
# the whole run until CI's limit; the slowest test takes ~40 s
export BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-900}
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
