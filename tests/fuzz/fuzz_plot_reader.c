// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for fragmon-plot's streaming JSON reader (plot/reader.c,
 * fragmon and legacy formats) and what is computed from a run without drawing:
 * the model, the metrics, their intervals (a few bootstrap replicates: the
 * code paths, not the precision) and the --summary text.  The input is fed in
 * two chunks split at a point taken from its first byte, so the reader also
 * meets tokens cut across read() boundaries.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "metrics.h"
#include "model.h"
#include "reader.h"
#include "stats.h"
#include "summary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/*
 * libFuzzer's default "entropic" scheduling updates a frequency for each of
 * the ~15,000 features this harness reaches on every run: once the corpus has
 * grown, that took 55% of the time (perf) and the rate fell from 12,500 to
 * ~5,000 executions/s.  Without it (-entropic=0, unless given on the command
 * line) the rate stays ~12,000/s.
 */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char *args[256];
	static char opt[] = "-entropic=0";
	int n = *argc;

	for (int i = 1; i < n; i++)
		if (!strncmp((*argv)[i], "-entropic", 9))
			return 0;
	if (n + 2 > (int)(sizeof(args) / sizeof(args[0])))
		return 0;
	for (int i = 0; i < n; i++)
		args[i] = (*argv)[i];
	args[n] = opt;
	args[n + 1] = NULL;
	*argc = n + 1;
	*argv = args;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct pm_reader *rd;
	struct pm_run *r;
	size_t cut;
	int bad;

	if (!devnull) {
		devnull = fopen("/dev/null", "w");
		pm_stats_set_bins(12);
	}
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
		static struct pm_mrow rows[PM_MAX_ROWS];
		double ch[CH_N];
		char buf[64];
		int n = pm_rows(&r, 1, 0, rows, PM_MAX_ROWS);
		struct pm_side side = {{r}, 1, "fuzz"};

		pm_run_channels(r, 0, r->nbins, ch);
		for (int i = 0; i < n; i++)
			pm_val_str(&rows[i], pm_value(&rows[i], r, ch), buf, sizeof(buf));
		(void)pm_run_span(r);
		(void)pm_run_plentiful(r);
		if (devnull) {
			static struct pm_compare cmp;

			/* the run alone, then against itself (an A/B comparison) */
			pm_summary_text(devnull, &side, 1);
			(void)pm_compare(&side, &side, &cmp);
		}
	}
	pm_run_free(r);
	return 0;
}
