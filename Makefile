# SPDX-License-Identifier: GPL-2.0
#
# fragmon: quiet by default, V=1 shows the commands.
#   make            build fragmon-agent (static) and fragmon-plot
#   make check      install missing Debian packages, build, run the bats suite
#   make demo       install, build, run the agent with a workload, plot the result
#   make help       every target

BUILD ?= build
CC ?= gcc
CLANG ?= clang
BPFTOOL ?= bpftool
ARCH := $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/;s/ppc64le/powerpc/;s/s390x/s390/')
VERSION := 0.1.0

CFLAGS ?= -O2 -g
FM_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -DFRAGMON_VERSION='"$(VERSION)"' \
	-I common -I $(BUILD) $(EXTRA_CFLAGS)
# SANITIZE=address,undefined builds both programs with sanitizers (dynamic agent)
ifneq ($(SANITIZE),)
FM_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer
SAN_LDFLAGS := -fsanitize=$(SANITIZE)
AGENT_LINK :=
else
AGENT_LINK := -static
endif

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.DELETE_ON_ERROR:
.SECONDARY:
.PHONY: all agent plot clean check demo deps help format format-check bench

all: agent plot

help:
	@echo "make [all]        build fragmon-agent and fragmon-plot"
	@echo "make check        install missing packages, build, run tests/bats"
	@echo "make demo         install, build, capture a workload for DEMO_SECONDS (30), plot it"
	@echo "make check-asan   the bats suite against -fsanitize=address,undefined builds"
	@echo "make check-leaks  LeakSanitizer/valgrind on an agent cycle and plot runs"
	@echo "make fuzz         libFuzzer harnesses, FUZZ_SECONDS=N each (default 30)"
	@echo "make bench        run the benchmarks under bench/"
	@echo "make format       clang-format our C sources"
	@echo "V=1 shows commands; BUILD=dir selects the object directory"

COMMON_SRCS := $(wildcard common/*.c)
COMMON_OBJS := $(patsubst common/%.c,$(BUILD)/common/%.o,$(COMMON_SRCS))

$(BUILD)/common/%.o: common/%.c $(wildcard common/*.h) | $(BUILD)/common
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(FM_CFLAGS) -c $< -o $@

$(BUILD) $(BUILD)/common $(BUILD)/agent $(BUILD)/bpf $(BUILD)/tests:
	$(Q)mkdir -p $@

# ---- BPF: one object for every kernel, skeleton ----
# The object includes no kernel headers (only the UAPI ones of linux-libc-dev)
# and needs no BTF of the build machine: everything kernel-specific is set by
# the agent at load (bpf/fragmon.bpf.c).
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(BUILD)/bpf/%.bpf.o,$(BPF_SRCS))
BPF_SKELS := $(patsubst bpf/%.bpf.c,$(BUILD)/%.skel.h,$(BPF_SRCS))

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h) $(wildcard common/*.h) | $(BUILD)/bpf
	$(call msg,BPF,$@)
	$(Q)$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror $(BPF_EXTRA_CFLAGS) \
		-I common -I bpf $(if $(MULTIARCH),-idirafter /usr/include/$(MULTIARCH)) -c $< -o $@
	$(Q)llvm-strip -g $@ 2>/dev/null || true

$(BUILD)/%.skel.h: $(BUILD)/bpf/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

# ---- agent ----
AGENT_SRCS := $(wildcard agent/*.c)
AGENT_OBJS := $(patsubst agent/%.c,$(BUILD)/agent/%.o,$(AGENT_SRCS))
AGENT_LIBS := -lbpf -lelf -lz -lzstd -lyaml -lyajl_s -lm -lpthread
# bpftool names skeletons after the object; libbpf wants the object embedded
$(BUILD)/agent/%.o: agent/%.c $(wildcard agent/*.h) $(wildcard common/*.h) $(BPF_SKELS) | $(BUILD)/agent
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(FM_CFLAGS) -I bpf -c $< -o $@

fragmon-agent: $(AGENT_OBJS) $(COMMON_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(AGENT_LINK) $(SAN_LDFLAGS) $^ $(AGENT_LIBS) -o $@

agent: fragmon-agent

# ---- test workload ----
$(BUILD)/tests/fragload: tests/workload/fragload.c | $(BUILD)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(FM_CFLAGS) $< -o $@

workload: $(BUILD)/tests/fragload
.PHONY: workload

# ---- components owned elsewhere ----
-include plot/plot.mk
-include kconfig/kconfig.mk
-include ansible/ansible.mk
-include bench/bench.mk
-include tests/reliability.mk
-include tests/fuzz/fuzz.mk
include tests/vm/vm.mk

# ---- deps, tests, demo ----
deps:
	$(Q)tools/install-deps.sh

check: deps
	$(Q)$(MAKE) --no-print-directory all workload fault-agent
	$(Q)tools/run-tests.sh

DEMO_SECONDS ?= 30
demo: deps
	$(Q)$(MAKE) --no-print-directory all workload
	$(Q)tools/demo.sh $(DEMO_SECONDS)

# benchmarks print their figures (README "figures"); the agent's needs root
bench-agent: agent workload
	$(Q)bench/agent-bench.sh
bench: bench-agent bench-plot
.PHONY: bench-agent

C_SOURCES = $(wildcard agent/*.[ch] bpf/*.[ch] common/*.[ch] plot/*.[ch] tests/workload/*.c bench/*.c tests/fuzz/*.c)
format:
	$(Q)clang-format -i $(C_SOURCES)
format-check:
	$(Q)clang-format --dry-run -Werror $(C_SOURCES)

clean:
	$(call msg,CLEAN,)
	$(Q)rm -rf $(BUILD) build-* fragmon-agent fragmon-plot
