# SPDX-License-Identifier: GPL-2.0
# C unit tests, included by the top Makefile (after the agent and plot rules).
#   make unit-check   build $(BUILD)/tests/unit/fragmon-unit and run it (make check runs it
#                     before the bats suite); UNIT_FILTER=word runs only matching tests
#   make unit-asan    the same under -fsanitize=address,undefined, in $(ASAN_BUILD)
# SANITIZE=... is honoured like everywhere: the objects come from the same
# rules as the programs' (agent/, plot/, common/), built into $(BUILD).
# The canned kernel files are tests/unit/data/<kernel>/ (tests/unit/capture.sh).

UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_OBJS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%.o,$(UNIT_SRCS))
# the code under test: only what the tests call; common/ as an archive, so that
# only the members they need are linked (not, e.g., the yajl writer)
UNIT_DEPS := $(BUILD)/agent/procfs.o $(BUILD)/agent/tpformat.o $(BUILD)/plot/model.o \
	$(BUILD)/agent/kmsg.o $(BUILD)/agent/marker.o $(BUILD)/agent/clock.o \
	$(BUILD)/plot/trend.o \
	$(BUILD)/agent/tasks.o $(BUILD)/agent/writer.o $(BUILD)/agent/sink.o \
	$(BUILD)/plot/origin.o $(BUILD)/plot/pertest.o $(BUILD)/plot/folded.o $(BUILD)/plot/output.o \
	$(BUILD)/plot/metrics.o $(BUILD)/plot/stats.o \
	$(BUILD)/agent/event_json.o $(BUILD)/agent/kinfo.o $(BUILD)/agent/kbtf.o $(BUILD)/agent/kallsyms.o \
	$(BUILD)/tests/unit/libcommon.a
# the plotter's input: the JSON reader (yajl) and the gzip filter (zlib)
UNIT_DEPS += $(BUILD)/plot/reader.o $(BUILD)/plot/gunzip.o
# libbpf: the agent's enum names come from its BTF reader (kinfo.c)
UNIT_LIBS := -lyajl -lbpf -lelf -lz -lm

$(BUILD)/tests/unit:
	$(Q)mkdir -p $@

# headers: the -MMD .d files the top Makefile includes
$(BUILD)/tests/unit/%.o: tests/unit/%.c Makefile tests/unit/unit.mk | $(BUILD)/tests/unit
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(FM_CFLAGS) -I agent -I plot -I bpf -I tests/unit -c $< -o $@

$(BUILD)/tests/unit/libcommon.a: $(COMMON_OBJS) | $(BUILD)/tests/unit
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/tests/unit/fragmon-unit: $(UNIT_OBJS) $(UNIT_DEPS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN_LDFLAGS) $^ $(UNIT_LIBS) -o $@

unit-check: $(BUILD)/tests/unit/fragmon-unit
	$(call msg,TEST,C unit tests)
	$(Q)$(BUILD)/tests/unit/fragmon-unit tests/unit/data $(UNIT_FILTER)

# any sanitizer report fails the run (exit status non-zero)
UNIT_ASAN_BUILD = $(or $(ASAN_BUILD),build-asan)
unit-asan:
	$(Q)$(MAKE) --no-print-directory BUILD=$(UNIT_ASAN_BUILD) \
		SANITIZE=$(or $(ASAN_SANITIZE),address,undefined) CFLAGS="-O1 -g" \
		$(UNIT_ASAN_BUILD)/tests/unit/fragmon-unit
	$(call msg,TEST,C unit tests under ASan+UBSan+LSan)
	$(Q)ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:exitcode=66 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=67 \
		$(UNIT_ASAN_BUILD)/tests/unit/fragmon-unit tests/unit/data $(UNIT_FILTER)

.PHONY: unit-check unit-asan
