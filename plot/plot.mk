# SPDX-License-Identifier: GPL-2.0
# fragmon-plot: included by the top Makefile.
#   make plot         build ./fragmon-plot (libgd static; freetype, libpng, yajl, zlib;
#                     libcurl loaded at run time for URLs)
#   make bench-plot   generate big agent-format files and time fragmon-plot on them

PLOT_SRCS := $(wildcard plot/*.c)
PLOT_OBJS := $(patsubst plot/%.c,$(BUILD)/plot/%.o,$(PLOT_SRCS))
# libgd statically (only its drawing code is used: none of its ~40 image-format
# libraries get loaded), libcurl with dlopen when a URL is given (plot/fetch.c):
# the dynamic linker's work was ~10 ms of a small dashboard
PLOT_LIBS := -Wl,-Bstatic -lgd -Wl,-Bdynamic -lfreetype -lpng16 -lyajl -lz -lm -lpthread -ldl
# labels are cut to fit their boxes on purpose
PLOT_CFLAGS := -Wno-format-truncation $(shell pkg-config --cflags freetype2 2>/dev/null || echo -I/usr/include/freetype2)

$(BUILD)/plot:
	$(Q)mkdir -p $@

$(BUILD)/plot/%.o: plot/%.c $(wildcard plot/*.h) $(wildcard common/*.h) | $(BUILD)/plot
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(FM_CFLAGS) $(PLOT_CFLAGS) -I plot -c $< -o $@

fragmon-plot: $(PLOT_OBJS) $(COMMON_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN_LDFLAGS) $^ $(PLOT_LIBS) -o $@

plot: fragmon-plot

# test helpers and the benchmark generator
$(BUILD)/plot/pngprobe: tests/data/plot/pngprobe.c | $(BUILD)/plot
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(FM_CFLAGS) $< -lgd -o $@

$(BUILD)/plot/gen-events: bench/gen-events.c contract/fragindex.h common/schema.h | $(BUILD)/plot
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(FM_CFLAGS) $< -lm -o $@

plot-test-tools: $(BUILD)/plot/pngprobe $(BUILD)/plot/gen-events

bench-plot: fragmon-plot $(BUILD)/plot/gen-events
	$(Q)BUILD=$(BUILD) bench/plot-bench.sh

.PHONY: plot bench-plot plot-test-tools
