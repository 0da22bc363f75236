# SPDX-License-Identifier: GPL-2.0
#
# Kconfig, standalone (included by the top Makefile):
#   make menuconfig      edit .config (kconfig-frontends' kconfig-mconf)
#   make defconfig       .config with every default (DEFCONFIG=file: start from file)
#   make olddefconfig    bring .config up to date, new symbols get their default
#   make fragmon.yaml    .config -> the agent's YAML config
#   make extra-vars      .config -> ansible/extra_vars.yaml, Ansible variables as
#                        kdevops writes them (ansible-playbook -e @ansible/extra_vars.yaml)
#
# kconfig/Kconfig* carry kdevops' `output yaml` lines; kconfig-frontends does not know
# them, so it reads a stripped copy under $(BUILD)/kconfig/.

KCONFIG_SRCS := kconfig/Kconfig kconfig/Kconfig.monitor kconfig/Kconfig.fragmon
KCONFIG_BUILD := $(BUILD)/kconfig
KCONFIG_STRIPPED := $(patsubst kconfig/%,$(KCONFIG_BUILD)/%,$(KCONFIG_SRCS))
KCONFIG_FILE ?= .config
KCONFIG_RUN = cd $(KCONFIG_BUILD) && KCONFIG_CONFIG=$(abspath $(KCONFIG_FILE))
DEFCONFIG ?=

$(KCONFIG_BUILD):
	$(Q)mkdir -p $@

$(KCONFIG_BUILD)/%: kconfig/% | $(KCONFIG_BUILD)
	$(call msg,GEN,$@)
	$(Q)sed '/^[[:space:]]*output[[:space:]][[:space:]]*yaml[[:space:]]*$$/d' $< > $@

.PHONY: menuconfig defconfig olddefconfig kconfig-help
menuconfig: $(KCONFIG_STRIPPED)
	$(Q)$(KCONFIG_RUN) kconfig-mconf Kconfig

defconfig: $(KCONFIG_STRIPPED)
	$(call msg,CONF,$(KCONFIG_FILE))
ifeq ($(DEFCONFIG),)
	$(Q)$(KCONFIG_RUN) kconfig-conf -s --alldefconfig Kconfig
else
	$(Q)$(KCONFIG_RUN) kconfig-conf -s --defconfig=$(abspath $(DEFCONFIG)) Kconfig
endif

olddefconfig: $(KCONFIG_STRIPPED)
	$(call msg,CONF,$(KCONFIG_FILE))
	$(Q)$(KCONFIG_RUN) kconfig-conf -s --olddefconfig Kconfig

# a missing .config starts from the defaults
$(KCONFIG_FILE): | $(KCONFIG_STRIPPED)
	$(call msg,CONF,$@ (defaults))
	$(Q)$(KCONFIG_RUN) kconfig-conf -s --alldefconfig Kconfig

# FRAGMON_YAML / EXTRA_VARS: other output files (the tests use temporary ones)
FRAGMON_YAML ?= fragmon.yaml
EXTRA_VARS ?= ansible/extra_vars.yaml

$(FRAGMON_YAML): $(KCONFIG_FILE) kconfig/config2yaml.sh
	$(call msg,GEN,$@)
	$(Q)kconfig/config2yaml.sh agent $(KCONFIG_FILE) > $@.tmp && mv $@.tmp $@ || { rm -f $@.tmp; exit 1; }

ifneq ($(FRAGMON_YAML),fragmon.yaml)
.PHONY: fragmon.yaml
fragmon.yaml: $(FRAGMON_YAML)
endif

.PHONY: extra-vars
extra-vars: $(EXTRA_VARS)
$(EXTRA_VARS): $(KCONFIG_FILE) $(KCONFIG_SRCS) kconfig/config2yaml.sh
	$(call msg,GEN,$@)
	$(Q)kconfig/config2yaml.sh ansible $(KCONFIG_FILE) $(KCONFIG_SRCS) > $@.tmp && mv $@.tmp $@ || { rm -f $@.tmp; exit 1; }

kconfig-help:
	@echo "make menuconfig | defconfig [DEFCONFIG=f] | olddefconfig   edit .config"
	@echo "make fragmon.yaml      .config -> agent config;  make extra-vars  -> ansible/extra_vars.yaml"
