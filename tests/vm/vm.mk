# SPDX-License-Identifier: GPL-2.0
# The kernel matrix: make vm-test (tests/vm/vm-test.sh; VM_KERNELS="5.10 6.1"
# limits it).  Kernel packages, the kernel built without BTF, the arm64
# sysroot and busybox are cached in FRAGMON_VM_CACHE (default $(BUILD)/vm).

$(BUILD)/tests/fragload-static: tests/workload/fragload.c | $(BUILD)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(FM_CFLAGS) -static $< -o $@

VM_KERNELS ?=
FRAGMON_VM_CACHE ?= $(BUILD)/vm
# the arm64 programs, when an arm64 kernel is in the matrix
VM_ARM64 := $(if $(VM_KERNELS),$(filter %-arm64,$(VM_KERNELS)),6.12-arm64)
vm-test: deps-vm
	$(Q)$(MAKE) --no-print-directory agent fault-agent $(BUILD)/tests/fragload-static
	$(if $(VM_ARM64),$(Q)$(MAKE) --no-print-directory ARCH=arm64 BUILD=$(BUILD)-arm64 \
		FAULT_BUILD=build-fault-arm64 FRAGMON_VM_CACHE=$(abspath $(FRAGMON_VM_CACHE)) cross fault-agent)
	$(Q)BUILD=$(BUILD) FRAGMON_VM_CACHE=$(abspath $(FRAGMON_VM_CACHE)) \
		FAULT_AGENT=$(abspath $(FAULT_BUILD))/fragmon-agent \
		AGENT_ARM64=$(abspath $(BUILD)-arm64)/fragmon-agent \
		FRAGLOAD_ARM64=$(abspath $(BUILD)-arm64)/tests/fragload-static \
		FAULT_AGENT_ARM64=$(abspath build-fault-arm64)/fragmon-agent \
		tests/vm/vm-test.sh $(VM_KERNELS)
.PHONY: vm-test

# A test build of the agent whose BPF object can be made to fail the
# verifier on purpose (FRAGMON_FAULT_REJECT=<program>): the real kernel
# rejects a real program, and the tests check that the run goes on.
FAULT_BUILD ?= build-fault
fault-agent:
	$(Q)$(MAKE) --no-print-directory BUILD=$(FAULT_BUILD) EXTRA_CFLAGS=-DFM_FAULT_INJECT \
		BPF_EXTRA_CFLAGS=-DFM_FAULT_INJECT $(FAULT_BUILD)/fragmon-agent
.PHONY: fault-agent
