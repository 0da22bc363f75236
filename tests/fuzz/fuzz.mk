# SPDX-License-Identifier: GPL-2.0
# libFuzzer harnesses (clang, Debian libfuzzer-14-dev), included by the top Makefile.
#   make fuzz FUZZ_SECONDS=N   build and run each harness N seconds (default 30) from
#                              its seed corpus in tests/fuzz/corpus/NAME; a crash
#                              fails the target and is saved as build-fuzz/crash-NAME-*
#   make fuzz-build            only build build-fuzz/fuzz_config, build-fuzz/fuzz_plot_reader
# Each run appends "NAME execs=E seconds=S crashes=C" to build-fuzz/fuzz-stats.txt.
# FUZZ_ARGS adds libFuzzer options (e.g. -jobs=2 -workers=2).

FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 30
FUZZ_ARGS ?=
FUZZ_CC ?= clang
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-omit-frame-pointer -std=gnu11 -Wall -Wextra -Werror \
	-D_GNU_SOURCE -DFRAGMON_VERSION='"$(VERSION)"' -I contract -I common -I agent -I plot
FUZZ_TARGETS := fuzz_config fuzz_plot_reader
# what reads and summarises a run, no drawing (and not the whole plotter: a
# half-edited panel must not stop the fuzzing)
FUZZ_PLOT_SRCS := $(addprefix plot/,reader.c model.c metrics.c stats.c summary.c output.c \
	warnings.c trend.c origin.c origin_report.c pertest.c) $(wildcard common/*.c)

$(FUZZ_BUILD):
	$(Q)mkdir -p $@

$(FUZZ_BUILD)/fuzz_config: tests/fuzz/fuzz_config.c agent/config.c agent/marker.c agent/config.h | $(FUZZ_BUILD)
	$(call msg,FUZZ-CC,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) tests/fuzz/fuzz_config.c agent/config.c agent/marker.c -lyaml -o $@

$(FUZZ_BUILD)/fuzz_plot_reader: tests/fuzz/fuzz_plot_reader.c $(FUZZ_PLOT_SRCS) \
		$(wildcard plot/*.h) $(wildcard common/*.h) | $(FUZZ_BUILD)
	$(call msg,FUZZ-CC,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) tests/fuzz/fuzz_plot_reader.c $(FUZZ_PLOT_SRCS) \
		$(PLOT_LIBS) -o $@

fuzz-build: $(addprefix $(FUZZ_BUILD)/,$(FUZZ_TARGETS))

# per harness: -max_len and a dictionary
FUZZ_OPTS_fuzz_config := -max_len=4096 -dict=tests/fuzz/config.dict
FUZZ_OPTS_fuzz_plot_reader := -max_len=65536 -dict=tests/fuzz/plot.dict

# UBSan reports stop the run, except known plotter bugs (reported, see the file)
FUZZ_UBSAN_OPTIONS := halt_on_error=1:print_stacktrace=1:suppressions=$(abspath tests/data/hostile/known-plot-bugs.supp)

fuzz: fuzz-build
	$(Q)rc=0; for t in $(FUZZ_TARGETS); do \
		name=$${t#fuzz_}; seeds=tests/fuzz/corpus/$$name; work=$(FUZZ_BUILD)/corpus/$$name; \
		mkdir -p $$work; log=$(FUZZ_BUILD)/$$t.log; \
		case $$t in fuzz_config) opts='$(FUZZ_OPTS_fuzz_config)';; \
			*) opts='$(FUZZ_OPTS_fuzz_plot_reader)';; esac; \
		printf '  %-8s %s\n' FUZZ "$$t for $(FUZZ_SECONDS) s"; \
		ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 UBSAN_OPTIONS=$(FUZZ_UBSAN_OPTIONS) \
		$(FUZZ_BUILD)/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
			-malloc_limit_mb=1024 -print_final_stats=1 \
			-artifact_prefix=$(FUZZ_BUILD)/crash-$$name- $$opts $(FUZZ_ARGS) \
			$$work $$seeds > $$log 2>&1; st=$$?; \
		execs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log | awk '{s+=$$1} END {print s+0}'); \
		crashes=$$([ $$st -eq 0 ] && echo 0 || echo 1); \
		echo "$$name execs=$$execs seconds=$(FUZZ_SECONDS) crashes=$$crashes" | \
			tee -a $(FUZZ_BUILD)/fuzz-stats.txt | sed 's/^/           /'; \
		if [ $$st -ne 0 ]; then grep -E 'ERROR|SUMMARY|artifact' $$log | head -20; rc=1; fi; \
	done; exit $$rc

.PHONY: fuzz fuzz-build
