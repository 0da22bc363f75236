#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The build: header dependencies, make install, no hidden failure.

setup() {
	FM_TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	T=$(mktemp -d /tmp/fragmon-build-test.XXXXXX)
}

teardown() {
	rm -rf "$T"
}

@test "build: make install puts the programs, the role and the docs under DESTDIR/PREFIX" {
	[ -x "$FM_TOP/fragmon-agent" ] && [ -x "$FM_TOP/fragmon-plot" ] || skip "not built (make)"
	run make -C "$FM_TOP" --no-print-directory -s install DESTDIR="$T/root" PREFIX=/usr
	echo "$output"
	[ "$status" -eq 0 ]
	[ -x "$T/root/usr/bin/fragmon-agent" ]
	[ -x "$T/root/usr/bin/fragmon-plot" ]
	run "$T/root/usr/bin/fragmon-agent" --version
	[[ "$output" == "fragmon-agent "* ]]
	# the role finds the programs three levels above itself, as in the source tree
	role=$T/root/usr/share/fragmon/ansible/roles/fragmon
	[ -f "$role/tasks/main.yml" ]
	run "$role/../../../fragmon-agent" --version
	[ "$status" -eq 0 ]
	[ -f "$T/root/usr/share/fragmon/ansible/fragmon-run.yml" ]
	[ -f "$T/root/usr/share/fragmon/kconfig/Kconfig.fragmon" ]
	[ -f "$T/root/usr/share/doc/fragmon/README.md" ]
	[ -f "$T/root/usr/share/doc/fragmon/docs/format.md" ]
	# nothing of the build tree
	! find "$T/root" -name '*.mk' -o -name '*.o' | grep -q .
	run make -C "$FM_TOP" --no-print-directory -s uninstall DESTDIR="$T/root" PREFIX=/usr
	[ "$status" -eq 0 ]
	[ -z "$(find "$T/root" -type f)" ]
}

@test "build: an object is rebuilt when a header it includes changes (-MMD -MP)" {
	[ -f "$FM_TOP/build/agent/ingest.o" ] || skip "not built (make)"
	# a copy of the tree, so that the real build is not touched
	git -C "$FM_TOP" ls-files -z | (cd "$FM_TOP" && xargs -0 cp --parents -t "$T")
	make -C "$T" --no-print-directory -s BUILD=b agent > /dev/null
	run make -C "$T" --no-print-directory -n BUILD=b agent
	[[ "$output" != *"ingest.c"* ]]
	touch "$T/contract/counts.h"
	run make -C "$T" --no-print-directory -n BUILD=b agent
	[[ "$output" == *"agent/ingest.c"* ]]  # includes counts.h
	[[ "$output" != *"agent/cli.c"* ]]     # does not
}

@test "build: a missing tool fails the build instead of being skipped" {
	command -v clang > /dev/null || skip "no clang"
	git -C "$FM_TOP" ls-files -z | (cd "$FM_TOP" && xargs -0 cp --parents -t "$T")
	run make -C "$T" --no-print-directory -s BUILD=b LLVM_STRIP=/nonexistent/llvm-strip agent
	echo "$output"
	[ "$status" -ne 0 ]
	[ ! -e "$T/fragmon-agent" ]
}
