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
