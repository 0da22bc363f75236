# SPDX-License-Identifier: GPL-2.0
# The agent's benchmarks (bench/agent-bench.sh): their own programs, none of
# it in the agent.
#   $(BUILD)/bench/bare       the bare-counter reference (bare.bpf.c) and its loader
#   $(BUILD)/bench/synthetic  N synthetic events through the agent's userspace path
#   make bench-size           bench/size-bench.sh: bytes per event and per hour, gzip's CPU

$(BUILD)/bench:
	$(Q)mkdir -p $@

$(BUILD)/bench/bare.bpf.o: bench/bare.bpf.c | $(BUILD)/bench
	$(call msg,BPF,$@)
	$(Q)$(CLANG) -g -O2 -target bpf -Wall -Werror $(BPF_INCLUDES) -c $< -o $@

$(BUILD)/bench/bare.skel.h: $(BUILD)/bench/bare.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

$(BUILD)/bench/bare: bench/bare.c $(BUILD)/bench/bare.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(FM_CFLAGS) -I $(BUILD)/bench $< -lbpf -lelf -lz -o $@

$(BUILD)/bench/synthetic.o: bench/synthetic.c | $(BUILD)/bench $(BPF_SKELS)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(FM_CFLAGS) -I agent -c $< -o $@

$(BUILD)/bench/synthetic: $(BUILD)/bench/synthetic.o $(filter-out $(BUILD)/agent/main.o,$(AGENT_OBJS)) \
		$(COMMON_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(AGENT_LIBS) -o $@

bench-tools: $(BUILD)/bench/bare $(BUILD)/bench/synthetic
.PHONY: bench-tools

# output size plain and gzip, per event and per hour, and the CPU cost of gzip (root)
bench-size: agent workload bench-tools
	$(Q)BUILD=$(BUILD) bench/size-bench.sh
.PHONY: bench-size

# make calibrate: the false-positive rate, interval calibration and power of
# fragmon-plot's A/B verdicts on synthetic same-process pairs (bench/calibrate/,
# docs/plot.md "Calibration"); CAL_ARGS="--pairs 400 --rows" etc.
CAL_SRCS := $(wildcard bench/calibrate/*.c)
CAL_OBJS := $(patsubst bench/calibrate/%.c,$(BUILD)/bench/calibrate/%.o,$(CAL_SRCS))
# fragmon-plot's own code, all of it but main (the reader's hooks call into other files)
CAL_PLOT = $(filter-out $(BUILD)/plot/main.o,$(PLOT_OBJS))
CAL_ARGS ?=

$(BUILD)/bench/calibrate:
	$(Q)mkdir -p $@

$(BUILD)/bench/calibrate/%.o: bench/calibrate/%.c $(wildcard bench/calibrate/*.h) \
		$(wildcard plot/*.h) | $(BUILD)/bench/calibrate
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(FM_CFLAGS) -I plot -I bench/calibrate -c $< -o $@

$(BUILD)/bench/calibrate/calibrate: $(CAL_OBJS) $(CAL_PLOT) $(COMMON_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN_LDFLAGS) $^ $(PLOT_LIBS) -o $@

calibrate: $(BUILD)/bench/calibrate/calibrate
	$(Q)$(BUILD)/bench/calibrate/calibrate $(CAL_ARGS)

.PHONY: calibrate

# the short fixed-seed calibration in make check (tests/bats/plot.bats) needs it
plot-test-tools: $(BUILD)/bench/calibrate/calibrate
