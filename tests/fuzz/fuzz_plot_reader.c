// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for fragmon-plot's streaming JSON reader (plot/reader.c,
 * fragmon and legacy formats) and what is computed from a run without drawing:
 * the model, the key metrics and the --summary text.  The input is fed in two
 * chunks split at a point taken from its first byte, so the reader also meets
 * tokens cut across read() boundaries.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "metrics.h"
#include "model.h"
#include "reader.h"
#include "summary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct pm_metric m[PM_M_N];
	struct pm_reader *rd;
	struct pm_run *r;
	size_t cut;
	int bad;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	r = pm_run_new("fuzz");
	if (!r)
		return 0;
	rd = pm_reader_new(r);
	if (!rd) {
		pm_run_free(r);
		return 0;
	}
	cut = size ? data[0] % (size + 1) : 0;
	bad = pm_reader_feed(rd, data, cut) || pm_reader_feed(rd, data + cut, size - cut);
	if (!bad && pm_reader_finish(rd))
		bad = 1; /* no JSON value at all */
	if (bad) {
		const char *e = pm_reader_error(rd);

		/* a refused input must say why */
		if (!e || !*e)
			__builtin_trap();
	}
	if (pm_reader_bytes(rd) > size)
		__builtin_trap();
	pm_reader_free(rd);
	if (!bad) {
		char buf[64];

		pm_metrics(r, m);
		for (int i = 0; i < PM_M_N; i++)
			pm_metric_str(&m[i], buf, sizeof(buf));
		(void)pm_run_span(r);
		(void)pm_run_main_zone(r);
		if (devnull) {
			struct pm_side side = {{r}, 1, "fuzz"};

			pm_summary_text(devnull, &side, 1);
		}
	}
	pm_run_free(r);
	return 0;
}
