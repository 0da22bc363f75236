# SPDX-License-Identifier: GPL-2.0
#
# Ansible role and kdevops embedding (included by the top Makefile):
#   make ansible-check              ansible-lint on the role, --syntax-check on the playbooks
#   make kdevops-plugin             $(BUILD)/kdevops-plugin/.kdevops: plugin.yaml, Kconfig,
#                                   Makefile, playbooks + role, fragmon-agent.<arch> (the
#                                   controller's, and build-arm64's when built), fragmon-plot,
#                                   and .kdevops-$(VERSION).tar.xz beside it (then in kdevops:
#                                   make kdevops-plugin-add URL=<that dir or tarball>)
#   make kdevops-install KDEVOPS=dir     install the plugin (kdevops' kdevops-plugin-add);
#                                        a kdevops without the monitoring plugin hook
#                                        gets kdevops/patches/ applied (idempotent)
#   make kdevops-update KDEVOPS=dir      git pull --ff-only in kdevops, the applied
#                                        series taken out and put back
#   make kdevops-uninstall KDEVOPS=dir   undo the install
# FRAGMON_AGENT_BIN / FRAGMON_PLOT_BIN pick other binaries for the plugin.

FRAGMON_AGENT_BIN ?= fragmon-agent
# the agent for arm64 nodes (make ARCH=arm64), shipped when it has been built
FRAGMON_AGENT_ARM64_BIN ?= build-arm64/fragmon-agent
CONTROLLER_ARCH := $(shell uname -m)
FRAGMON_PLOT_BIN ?= fragmon-plot
KDEVOPS_PLUGIN_OUT := $(BUILD)/kdevops-plugin
KDEVOPS_PLUGIN := $(KDEVOPS_PLUGIN_OUT)/.kdevops
ANSIBLE_PLAYBOOKS := $(wildcard ansible/fragmon-*.yml)
ANSIBLE_ROLE_FILES := $(shell find ansible/roles/fragmon -type f 2>/dev/null)
KDEVOPS_PLUGIN_SRCS := $(wildcard kdevops/*) $(wildcard kdevops/monitoring/*) kconfig/Kconfig.fragmon \
	$(ANSIBLE_PLAYBOOKS) $(ANSIBLE_ROLE_FILES)

.PHONY: ansible-check ansible-lint ansible-syntax kdevops-plugin kdevops-install kdevops-uninstall \
	kdevops-update ansible-help

ansible-lint:
	$(call msg,LINT,ansible/roles/fragmon)
	$(Q)cd ansible && ansible-lint -q -p roles/fragmon $(notdir $(ANSIBLE_PLAYBOOKS))

ansible-syntax:
	$(call msg,SYNTAX,$(ANSIBLE_PLAYBOOKS))
	$(Q)for p in $(ANSIBLE_PLAYBOOKS); do \
		ANSIBLE_NOCOLOR=1 ansible-playbook -i ansible/examples/local.ini --syntax-check $$p > /dev/null || exit 1; \
	done

ansible-check: ansible-lint ansible-syntax

# The plugin: kdevops copies .kdevops/ to ~/.config/kdevops/plugins/fragmon/. Its layout
# keeps the role's "../../.." = where fragmon-agent and fragmon-plot are, as in this tree.
$(KDEVOPS_PLUGIN)/plugin.yaml: $(KDEVOPS_PLUGIN_SRCS) $(FRAGMON_AGENT_BIN) $(FRAGMON_PLOT_BIN) \
		$(wildcard $(FRAGMON_AGENT_ARM64_BIN))
	$(call msg,PLUGIN,$(KDEVOPS_PLUGIN))
	$(Q)rm -rf $(KDEVOPS_PLUGIN) && mkdir -p $(KDEVOPS_PLUGIN)/playbooks
	$(Q)cp kdevops/Kconfig.head $(KDEVOPS_PLUGIN)/Kconfig
	$(Q)cp kdevops/Kconfig.plugin kdevops/Kconfig.empty kconfig/Kconfig.fragmon $(KDEVOPS_PLUGIN)/
	$(Q)cp kdevops/Makefile $(KDEVOPS_PLUGIN)/Makefile
	$(Q)cp -r kdevops/monitoring $(KDEVOPS_PLUGIN)/monitoring
	$(Q)mkdir -p $(KDEVOPS_PLUGIN)/defconfigs/configs
	$(Q)cp kdevops/fragmon.config $(KDEVOPS_PLUGIN)/defconfigs/configs/fragmon.config
	$(Q)cp $(ANSIBLE_PLAYBOOKS) $(KDEVOPS_PLUGIN)/playbooks/
	$(Q)cp -r ansible/roles $(KDEVOPS_PLUGIN)/playbooks/roles
	$(Q)install -m 0755 $(FRAGMON_AGENT_BIN) $(KDEVOPS_PLUGIN)/fragmon-agent.$(CONTROLLER_ARCH)
	$(Q)if [ "$(CONTROLLER_ARCH)" != aarch64 ] && [ -x "$(FRAGMON_AGENT_ARM64_BIN)" ]; then \
		install -m 0755 $(FRAGMON_AGENT_ARM64_BIN) $(KDEVOPS_PLUGIN)/fragmon-agent.aarch64; \
	elif [ "$(CONTROLLER_ARCH)" != aarch64 ]; then \
		echo "  note: no $(FRAGMON_AGENT_ARM64_BIN): the plugin has no agent for arm64 nodes (make ARCH=arm64 first)"; \
	fi
	$(Q)install -m 0755 $(FRAGMON_PLOT_BIN) $(KDEVOPS_PLUGIN)/fragmon-plot
	$(Q)sed 's/@VERSION@/$(VERSION)/' kdevops/plugin.yaml.in > $@.tmp && mv $@.tmp $@

# the same as a versioned tarball (make kdevops-plugin-add URL=<that file>)
$(KDEVOPS_PLUGIN_OUT)/.kdevops-$(VERSION).tar.xz: $(KDEVOPS_PLUGIN)/plugin.yaml
	$(call msg,TAR,$@)
	$(Q)tar -cJf $@.tmp -C $(KDEVOPS_PLUGIN_OUT) .kdevops && mv $@.tmp $@

kdevops-plugin: $(KDEVOPS_PLUGIN)/plugin.yaml $(KDEVOPS_PLUGIN_OUT)/.kdevops-$(VERSION).tar.xz

kdevops-install: kdevops-plugin
	$(if $(KDEVOPS),,$(error usage: make kdevops-install KDEVOPS=<kdevops dir>))
	$(call msg,KDEVOPS,install $(KDEVOPS))
	$(Q)kdevops/kdevops-tree.sh install $(KDEVOPS) $(abspath $(KDEVOPS_PLUGIN_OUT))

kdevops-uninstall:
	$(if $(KDEVOPS),,$(error usage: make kdevops-uninstall KDEVOPS=<kdevops dir>))
	$(call msg,KDEVOPS,uninstall $(KDEVOPS))
	$(Q)kdevops/kdevops-tree.sh uninstall $(KDEVOPS)

# PULL="origin main" passes arguments to git pull
kdevops-update:
	$(if $(KDEVOPS),,$(error usage: make kdevops-update KDEVOPS=<kdevops dir> [PULL="remote branch"]))
	$(call msg,KDEVOPS,update $(KDEVOPS))
	$(Q)kdevops/kdevops-tree.sh update $(KDEVOPS) $(PULL)

# End to end in qemu guests over SSH (tests/e2e/e2e.bats); KDEVOPS_DIR=<kdevops checkout>,
# FRAGMON_VM_CACHE=<dir> (kernels and the guests' root image, default $(BUILD)/vm)
FRAGMON_VM_CACHE ?= $(abspath $(BUILD))/vm
.PHONY: vm-e2e
vm-e2e: deps-test deps-vm agent plot
	$(Q)FRAGMON_VM_CACHE=$(FRAGMON_VM_CACHE) FRAGMON_TESTS=tests/e2e/e2e.bats tools/run-tests.sh

ansible-help:
	@echo "make ansible-check                   ansible-lint + syntax checks"
	@echo "make kdevops-plugin                  build/kdevops-plugin/.kdevops for make kdevops-plugin-add"
	@echo "make kdevops-install KDEVOPS=dir     plugin (+ the hook series where kdevops lacks it)"
	@echo "make kdevops-update KDEVOPS=dir      git pull kdevops with the series taken out and back"
	@echo "make kdevops-uninstall KDEVOPS=dir   restore it"
	@echo "make vm-e2e                          kdevops + fragmon end to end in two qemu guests (KDEVOPS_DIR)"
