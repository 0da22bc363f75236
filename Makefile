# SPDX-License-Identifier: GPL-2.0
#
# fragmon: quiet by default, V=1 shows the commands.
#   make            build fragmon-agent (static) and fragmon-plot
#   make check      install missing Debian packages, build, run the tests
#   make demo       install, build, run the agent with a workload, plot the result
#   make install    PREFIX=/usr/local DESTDIR=: programs, the Ansible role, docs
#   make help       every target

BUILD ?= build
# make's built-in default "cc" is replaced, a CC given by the user is kept
ifeq ($(origin CC),default)
CC := gcc
endif
CLANG ?= clang
LLVM_STRIP ?= llvm-strip
BPFTOOL ?= bpftool
HOST_ARCH := $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/;s/ppc64le/powerpc/;s/s390x/s390/')
ARCH := $(HOST_ARCH)
VERSION := 0.1.0
PREFIX ?= /usr/local
DESTDIR ?=
# make ARCH=arm64 elsewhere: a cross build (CC, sysroot, BUILD=build-arm64)
ifneq ($(ARCH),$(HOST_ARCH))
include mk/cross.mk
endif

CFLAGS ?= -O2 -g
# -MMD -MP: every object depends on the headers it includes
FM_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -DFRAGMON_VERSION='"$(VERSION)"' \
	-MMD -MP -I contract -I common -I $(BUILD) $(EXTRA_CFLAGS)
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
.PHONY: all agent plot clean check demo deps help format format-check bench install uninstall

all: agent plot

help:
	@echo "make [all]        build fragmon-agent and fragmon-plot"
	@echo "make check        install missing packages, build, run the tests"
	@echo "make demo         install, build, capture a workload for DEMO_SECONDS (30), plot it"
	@echo "make deps         install the missing build packages (deps-test, deps-fuzz, deps-vm, deps-all: more sets)"
	@echo "make install      PREFIX=$(PREFIX) DESTDIR=: programs, Ansible role, docs; make uninstall"
	@echo "make vm-test      the agent on Debian kernels 5.10-6.12 (x86_64, arm64), one built without BTF, under qemu"
	@echo "make check-asan   the bats suite against -fsanitize=address,undefined builds"
	@echo "make check-leaks  LeakSanitizer/valgrind on an agent cycle and plot runs"
	@echo "make fuzz         libFuzzer harnesses, FUZZ_SECONDS=N each (default 30)"
	@echo "make bench        run the benchmarks under bench/"
	@echo "make format       clang-format our C sources"
	@echo "V=1 shows commands; BUILD=dir selects the object directory"

COMMON_SRCS := $(wildcard common/*.c)
COMMON_OBJS := $(patsubst common/%.c,$(BUILD)/common/%.o,$(COMMON_SRCS))

# objects depend on the headers they include (-MMD) and on this Makefile (flags)
$(BUILD)/common/%.o: common/%.c Makefile | $(BUILD)/common
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(FM_CFLAGS) -c $< -o $@

$(BUILD) $(BUILD)/common $(BUILD)/agent $(BUILD)/bpf $(BUILD)/tests:
	$(Q)mkdir -p $@

# ---- BPF: one object for every kernel, skeleton ----
# The object includes no kernel headers (only the UAPI ones of linux-libc-dev)
# and needs no BTF of the build machine: everything kernel-specific is set by
# the agent at load (bpf/fragmon.bpf.c).  Its DWARF is stripped: the agent
# embeds the object, BTF stays.
MULTIARCH := $(shell $(or $(HOSTCC),$(CC)) -print-multiarch 2>/dev/null)
BPF_INCLUDES := -I contract $(if $(MULTIARCH),-idirafter /usr/include/$(MULTIARCH))
BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(BUILD)/bpf/%.bpf.o,$(BPF_SRCS))
BPF_SKELS := $(patsubst bpf/%.bpf.c,$(BUILD)/%.skel.h,$(BPF_SRCS))

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c Makefile | $(BUILD)/bpf
	$(call msg,BPF,$@)
	$(Q)$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror -MMD -MP \
		$(BPF_EXTRA_CFLAGS) $(BPF_INCLUDES) -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@

$(BUILD)/%.skel.h: $(BUILD)/bpf/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

# ---- agent ----
AGENT_SRCS := $(wildcard agent/*.c)
AGENT_OBJS := $(patsubst agent/%.c,$(BUILD)/agent/%.o,$(AGENT_SRCS))
AGENT_LIBS := -lbpf -lelf -lz -lzstd -lyaml -lyajl_s -lm -lpthread
# the skeleton is generated before any agent object is compiled
$(BUILD)/agent/%.o: agent/%.c Makefile | $(BUILD)/agent $(BPF_SKELS)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(FM_CFLAGS) -c $< -o $@

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

# ---- deps: each target installs the Debian packages of its sets, only those
# missing (tools/install-deps.sh: build, test, fuzz, vm; --list SET prints a set).
deps:
	$(Q)tools/install-deps.sh build
deps-test:
	$(Q)tools/install-deps.sh build test
deps-fuzz:
	$(Q)tools/install-deps.sh build fuzz
deps-vm:
	$(Q)tools/install-deps.sh build vm
deps-all:
	$(Q)tools/install-deps.sh all
.PHONY: deps-test deps-fuzz deps-vm deps-all
check: deps-test
demo: deps
fuzz-build: deps-fuzz

# ---- components ----
include plot/plot.mk
include kconfig/kconfig.mk
include ansible/ansible.mk
include bench/bench.mk
include tests/reliability.mk
include tests/fuzz/fuzz.mk
include tests/unit/unit.mk
include tests/vm/vm.mk

-include $(wildcard $(BUILD)/*/*.d $(BUILD)/*/*/*.d)

# ---- tests, demo ----
check:
	$(Q)$(MAKE) --no-print-directory all workload fault-agent unit-check
	$(Q)tools/run-tests.sh

DEMO_SECONDS ?= 30
demo:
	$(Q)$(MAKE) --no-print-directory all workload
	$(Q)tools/demo.sh $(DEMO_SECONDS)

# benchmarks print their figures (docs/performance.md); the agent's needs root
bench-agent: agent workload bench-tools
	$(Q)BUILD=$(BUILD) bench/agent-bench.sh
bench: bench-agent bench-plot
.PHONY: bench-agent

# ---- install: the programs, the Ansible role and playbooks, Kconfig, docs ----
SHARE := $(DESTDIR)$(PREFIX)/share/fragmon
install: all
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)install -d $(DESTDIR)$(PREFIX)/bin $(SHARE) $(DESTDIR)$(PREFIX)/share/doc/fragmon/docs
	$(Q)install -m 0755 fragmon-agent fragmon-plot $(DESTDIR)$(PREFIX)/bin/
	$(Q)install -d $(SHARE)/ansible
	$(Q)cp -R ansible/roles ansible/examples $(SHARE)/ansible/
	$(Q)install -m 0644 ansible/*.yml $(SHARE)/ansible/
	@# the role finds the programs three levels above itself, as in the source tree
	$(Q)ln -sf ../../bin/fragmon-agent $(SHARE)/fragmon-agent
	$(Q)ln -sf ../../bin/fragmon-plot $(SHARE)/fragmon-plot
	$(Q)install -d $(SHARE)/kconfig
	$(Q)install -m 0644 kconfig/Kconfig* $(SHARE)/kconfig/
	$(Q)install -m 0644 README.md COPYING $(DESTDIR)$(PREFIX)/share/doc/fragmon/
	$(Q)install -m 0644 docs/*.md $(DESTDIR)$(PREFIX)/share/doc/fragmon/docs/

uninstall:
	$(call msg,UNINSTALL,$(DESTDIR)$(PREFIX))
	$(Q)rm -f $(DESTDIR)$(PREFIX)/bin/fragmon-agent $(DESTDIR)$(PREFIX)/bin/fragmon-plot
	$(Q)rm -rf $(SHARE) $(DESTDIR)$(PREFIX)/share/doc/fragmon

C_SOURCES = $(wildcard agent/*.[ch] bpf/*.[ch] contract/*.h common/*.[ch] plot/*.[ch] \
	tests/workload/*.c bench/*.c tests/fuzz/*.c tests/unit/*.[ch])
format:
	$(Q)clang-format -i $(C_SOURCES)
format-check:
	$(Q)clang-format --dry-run -Werror $(C_SOURCES)

clean:
	$(call msg,CLEAN,)
	$(Q)rm -rf $(BUILD) build-* fragmon-agent fragmon-plot
