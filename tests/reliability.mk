# SPDX-License-Identifier: GPL-2.0
# Reliability checks, included by the top Makefile (after the agent and plot rules).
#   make check-asan   agent and plotter built with -fsanitize=address,undefined into
#                     build-asan/, then the whole bats suite run against them; any
#                     ASan/UBSan/LSan report fails the run
#   make check-leaks  only the leak checks: LSan on an agent start/checkpoint/stop cycle,
#                     LSan and valgrind on plot runs
#
# $(BUILD)/fragmon-agent and $(BUILD)/fragmon-plot link the same objects as the
# top-level programs, so a sanitizer build never overwrites ./fragmon-agent.

ASAN_BUILD ?= build-asan
ASAN_SANITIZE ?= address,undefined
# reports go to files: a report from a process whose status a test ignores
# still fails the run
ASAN_LOGDIR ?= $(ASAN_BUILD)/reports
FM_ASAN_OPTIONS := halt_on_error=1:detect_leaks=1:abort_on_error=0:exitcode=66:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:log_path=$(abspath $(ASAN_LOGDIR))/asan
FM_UBSAN_OPTIONS := halt_on_error=1:print_stacktrace=1:exitcode=67:log_path=$(abspath $(ASAN_LOGDIR))/ubsan

$(BUILD)/fragmon-agent: $(AGENT_OBJS) $(COMMON_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(AGENT_LINK) $(SAN_LDFLAGS) $^ $(AGENT_LIBS) -o $@

$(BUILD)/fragmon-plot: $(PLOT_OBJS) $(COMMON_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN_LDFLAGS) $^ $(PLOT_LIBS) -o $@

# fail (and show them) if any sanitizer report was written
asan_reports = n=$$(ls $(ASAN_LOGDIR) | wc -l); \
	if [ "$$n" -gt 0 ]; then head -n 60 $(ASAN_LOGDIR)/*; \
	echo "sanitizers: $$n report(s) in $(ASAN_LOGDIR)"; rc=1; \
	else echo "sanitizers: no report"; fi

asan-build:
	$(Q)$(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) SANITIZE=$(ASAN_SANITIZE) \
		CFLAGS="-O1 -g" $(ASAN_BUILD)/fragmon-agent $(ASAN_BUILD)/fragmon-plot

# the sanitized programs replace the normal ones for every test that honours
# FRAGMON_AGENT / FRAGMON_PLOT; test tools (fragload, pngprobe) stay normal
check-asan: deps-test deps-fuzz
	$(Q)$(MAKE) --no-print-directory all workload plot-test-tools
	$(Q)$(MAKE) --no-print-directory asan-build
	$(Q)rm -rf $(ASAN_LOGDIR) && mkdir -p $(ASAN_LOGDIR)
	$(call msg,TEST,bats suite under ASan+UBSan+LSan)
	$(Q)FRAGMON_AGENT=$(abspath $(ASAN_BUILD)/fragmon-agent) \
		FRAGMON_PLOT=$(abspath $(ASAN_BUILD)/fragmon-plot) FRAGMON_SANITIZED=1 \
		ASAN_OPTIONS='$(FM_ASAN_OPTIONS)' UBSAN_OPTIONS='$(FM_UBSAN_OPTIONS)' \
		tools/run-tests.sh; rc=$$?; $(asan_reports); exit $$rc

check-leaks: deps-test deps-fuzz asan-build plot-test-tools
	$(Q)rm -rf $(ASAN_LOGDIR) && mkdir -p $(ASAN_LOGDIR)
	$(Q)FRAGMON_AGENT=$(abspath $(ASAN_BUILD)/fragmon-agent) \
		FRAGMON_PLOT=$(abspath $(ASAN_BUILD)/fragmon-plot) FRAGMON_SANITIZED=1 \
		ASAN_OPTIONS='$(FM_ASAN_OPTIONS)' UBSAN_OPTIONS='$(FM_UBSAN_OPTIONS)' \
		FRAGMON_TESTS="tests/bats/reliability-agent.bats tests/bats/reliability-plot.bats" \
		BATS_FILTER=leak tools/run-tests.sh; rc=$$?; $(asan_reports); exit $$rc

.PHONY: asan-build check-asan check-leaks
