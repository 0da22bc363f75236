# SPDX-License-Identifier: GPL-2.0
# make ARCH=arm64 on another machine: the static agent (and fragload, the
# test workload) cross-built with Debian's gcc-aarch64-linux-gnu against a
# sysroot of Debian's arm64 -dev packages (tests/vm/sysroot.sh: downloaded
# into the VM cache with a private apt cache; the system's apt configuration
# is not changed).  Included by the top Makefile before its build variables.
#
#   make ARCH=arm64              build-arm64/fragmon-agent, build-arm64/tests/fragload-static
#   make ARCH=arm64 fault-agent  build-fault-arm64/fragmon-agent
#
# The BPF object is built as for the host (it includes no kernel headers; the
# UAPI types are the same): the same object for both architectures.

CROSS_TRIPLET_arm64 := aarch64-linux-gnu
CROSS_TRIPLET := $(CROSS_TRIPLET_$(ARCH))
ifeq ($(CROSS_TRIPLET),)
$(error ARCH=$(ARCH): only ARCH=arm64 can be cross-built (mk/cross.mk))
endif
CROSS_SUITE ?= bookworm
VM_CACHE_DIR := $(or $(FRAGMON_VM_CACHE),build/vm)
SYSROOT ?= $(VM_CACHE_DIR)/sysroot/$(CROSS_SUITE)-$(ARCH)
HOSTCC := gcc
CC := $(CROSS_TRIPLET)-gcc --sysroot=$(SYSROOT)
ifeq ($(origin BUILD),file)
BUILD := build-$(ARCH)
endif
FAULT_BUILD ?= build-fault-$(ARCH)

# the programs of a cross build live in $(BUILD), never at the top
# (./fragmon-agent is the host's)
.DEFAULT_GOAL := cross
CROSS_TOP_GOALS := all agent fragmon-agent plot fragmon-plot check demo workload
ifneq ($(filter $(CROSS_TOP_GOALS),$(MAKECMDGOALS)),)
$(error make ARCH=$(ARCH) builds $(BUILD)/fragmon-agent and $(BUILD)/tests/fragload-static (no goal), or fault-agent; not: $(filter $(CROSS_TOP_GOALS),$(MAKECMDGOALS)))
endif
cross: $(BUILD)/fragmon-agent $(BUILD)/tests/fragload-static
	@file $^ | sed 's/, BuildID[^,]*//'
.PHONY: cross

# every object waits for the sysroot; made once (FRAGMON_VM_REFRESH=1 with
# rm -r $(SYSROOT) takes newer packages)
$(SYSROOT)/.packages: tests/vm/sysroot.sh
	$(Q)command -v $(CROSS_TRIPLET)-gcc >/dev/null || \
		{ echo "make ARCH=$(ARCH): $(CROSS_TRIPLET)-gcc missing: apt-get install gcc-$(CROSS_TRIPLET) (tools/install-deps.sh)" >&2; exit 1; }
	$(Q)FRAGMON_VM_CACHE=$(VM_CACHE_DIR) tests/vm/sysroot.sh $(CROSS_SUITE) $(ARCH) $(SYSROOT)
	$(Q)touch $@
$(BUILD)/common $(BUILD)/agent $(BUILD)/tests: | $(SYSROOT)/.packages
