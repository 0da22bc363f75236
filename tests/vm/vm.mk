# SPDX-License-Identifier: GPL-2.0
# The kernel matrix: make vm-test (tests/vm/vm-test.sh; VM_KERNELS="5.10 6.1"
# limits it).  Kernel packages are cached in FRAGMON_VM_CACHE (default
# $(BUILD)/vm).

$(BUILD)/tests/fragload-static: tests/workload/fragload.c | $(BUILD)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(FM_CFLAGS) -static $< -o $@

VM_KERNELS ?=
vm-test: agent $(BUILD)/tests/fragload-static
	$(Q)BUILD=$(BUILD) tests/vm/vm-test.sh $(VM_KERNELS)
.PHONY: vm-test

# A test build of the agent whose BPF object can be made to fail the
# verifier on purpose (FRAGMON_FAULT_REJECT=<program>): the real kernel
# rejects a real program, and the tests check that the run goes on.
FAULT_BUILD ?= build-fault
fault-agent:
	$(Q)$(MAKE) --no-print-directory BUILD=$(FAULT_BUILD) EXTRA_CFLAGS=-DFM_FAULT_INJECT \
		BPF_EXTRA_CFLAGS=-DFM_FAULT_INJECT $(FAULT_BUILD)/fragmon-agent
.PHONY: fault-agent
