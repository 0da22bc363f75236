/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intervals and verdicts (docs/plot.md, "How runs are compared").
 *
 * One run per side: each run is cut into T time bins (about 200, never
 * shorter than the snapshot interval) and resampled with the circular block
 * bootstrap, blocks of L bins (Politis-White automatic length, at most T/3;
 * one L for the event channels, another for the snapshot channels, drawn
 * independently), R replicates from a fixed seed.  Several runs per side (A1,A2 --compare
 * B1,B2): two stages, the runs of the side drawn with replacement, then each
 * drawn run resampled in blocks; a side's value pools its runs (sums over
 * sums).  Per-side intervals are the 2.5 and 97.5 percentiles.  B - A gets a
 * simultaneous 95% interval over all the rows of the table: d +- q se, with
 * se the bootstrap standard deviation of B* - A* and q the 95th percentile of
 * max over rows of |B* - A* - d| / se, so that the chance that any row's
 * interval misses is 5%, not 5% per row.  A verdict only where the interval
 * excludes 0.
 */
#ifndef FRAGMON_PLOT_STATS_H
#define FRAGMON_PLOT_STATS_H

#include "metrics.h"

#define PM_BOOT_R 2000
#define PM_BOOT_SEED 20261122ULL
#define PM_TARGET_BINS 200

enum pm_verdict {
	PM_V_NA,     /* no interval: n/a */
	PM_V_SAME,   /* the interval holds 0: ~ within noise */
	PM_V_BETTER, /* B better than A */
	PM_V_WORSE,
	PM_V_HIGHER, /* neutral rows: B higher / lower */
	PM_V_LOWER,
};

struct pm_est {
	struct pm_val v;
	int have_ci;
	double lo, hi;
};

struct pm_diff {
	int valid, have_ci;
	int empty; /* zero in both runs (no events of the kind): no verdict */
	double d, lo, hi;
	enum pm_verdict verdict;
};

/* how one side was resampled */
struct pm_boot_info {
	int runs; /* runs of the side */
	int bins; /* T of the first run */
	double bin_s;
	int block;	/* L of the first run, bins: events */
	int block_snap; /* ... and what snapshots say */
};

struct pm_compare {
	int nrows;
	struct pm_mrow rows[PM_MAX_ROWS];
	struct pm_est a[PM_MAX_ROWS], b[PM_MAX_ROWS];
	struct pm_diff d[PM_MAX_ROWS];
	double q;    /* the simultaneous multiplier */
	int reps;    /* bootstrap replicates */
	int nfam;    /* rows in the simultaneous family */
	int repeats; /* both sides had several runs: intervals from the spread between runs */
	struct pm_boot_info ia, ib;
	char warn[4][256];
	int nwarn;
};

/* A = a, B = b; reps replicates (PM_BOOT_R); 0 ok, -1 out of memory */
int pm_compare(const struct pm_side *a, const struct pm_side *b, int reps, struct pm_compare *out);
/* one side alone: value and 95% interval of each row; 0 ok, -1 out of memory */
int pm_estimate(const struct pm_side *s, const struct pm_mrow *rows, int nrows, int reps,
		struct pm_est *est, struct pm_boot_info *info);
const char *pm_verdict_word(enum pm_verdict v);
/* how many analysis bins a run is cut into (PM_TARGET_BINS; the fuzz harness
 * uses a few: the same code, less work per input) */
void pm_stats_set_bins(int bins);
/* Politis-White block length for the circular bootstrap of x[0..n) */
int pm_block_length(const double *x, int n);

#endif
