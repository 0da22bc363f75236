/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intervals and verdicts (docs/plot.md, "How runs are compared").
 *
 * Every compared row is a ratio of two sums (a rate: events over seconds).
 * Its standard error comes from units that are close to independent:
 *  - one run per side: batch means.  The run is cut into T time bins; the
 *    row's linearised residual per bin (num - R den) gets a Politis-White
 *    block length b; batches of 3b bins (k = T / 3b of them, at most 30) give
 *    the variance of the sum, with k - 1 degrees of freedom.  Fewer than 6
 *    batches, or the numerator in fewer than 3 batches' worth (one burst):
 *    the run cannot support a verdict ("one run: needs repeats").
 *  - two or more runs per side: the runs are the units (n - 1 degrees of
 *    freedom), the spread between runs.
 * B - A: Welch's t with Welch-Satterthwaite degrees of freedom.
 * Multiplicity: one primary row (extfrag per GiB allocated where both sides
 * have the counters, else per second) tested at 5%; the other rows are
 * secondary, tested only when the primary is called (serial gatekeeping),
 * with Holm's step-down among them: the chance of any false verdict in the
 * whole table stays at 5% (no extfrag traced: no primary, one Holm family).  Each interval is at
 * the level its row was tested at, so it excludes 0 exactly when the row has a verdict.
 */
#ifndef FRAGMON_PLOT_STATS_H
#define FRAGMON_PLOT_STATS_H

#include "metrics.h"

#define PM_TARGET_BINS 200
#define PM_ALPHA 0.05
#define PM_BATCH_MIN 6	  /* batches a run needs for its own interval */
#define PM_BATCH_BLOCKS 3 /* a batch: this many Politis-White blocks */
#define PM_BATCH_MAX 30	  /* more would only shorten them */

enum pm_verdict {
	PM_V_NA,     /* no interval: n/a (pm_diff.why says why) */
	PM_V_SAME,   /* the interval holds 0: ~ within noise */
	PM_V_BETTER, /* B better than A */
	PM_V_WORSE,
	PM_V_HIGHER,  /* neutral rows: B higher / lower */
	PM_V_LOWER,   /* */
	PM_V_NEEDREP, /* one run cannot say: needs repeated runs */
	PM_V_UNTESTED /* secondary row outside 0, but the primary was not called */
};

/* why a value has no interval */
enum pm_why {
	PM_W_OK,
	PM_W_NONE,    /* nothing in the run(s) to measure */
	PM_W_FEW,     /* a share with too few in its denominator: not a rate */
	PM_W_FEWVAL,  /* a mean of too few values for an interval */
	PM_W_SHORT,   /* the run is shorter than 4 bins */
	PM_W_NEEDREP, /* too few independent periods in one run */
	PM_W_EMPTY,   /* zero in both: nothing to compare */
};

struct pm_est {
	struct pm_val v;
	int have_ci;
	double lo, hi; /* 95% */
	double se, df;
	int units;	 /* batches (one run) or runs */
	int block;	 /* one run: the Politis-White block, bins */
	double num, den; /* the pooled sums (a rate: events and seconds) */
	enum pm_why why;
};

struct pm_diff {
	int valid, have_ci;
	int empty; /* zero in both runs (no events of the kind): no verdict */
	double d, lo, hi, se, df;
	double p;     /* two-sided p-value of B - A = 0 */
	double level; /* the level the row was tested at (primary 0.05; Holm's) */
	enum pm_verdict verdict;
	enum pm_why why;
};

/* how one side was measured */
struct pm_boot_info {
	int runs;     /* runs of the side */
	int bins;     /* T of the first run */
	double bin_s; /* width of its bins */
};

/* what the primary row could have seen at this variability */
struct pm_power {
	int have;
	double mdc;	 /* B - A seen 80% of the time (two-sided 5%), in the row's unit */
	double mdc_rel;	 /* ... as a share of A's value */
	int runs_for_15; /* runs per side of this length to see 1.5x, 80% of the time */
	double s_for_15; /* or one run per side this long, s */
};

struct pm_compare {
	int nrows;
	struct pm_mrow rows[PM_MAX_ROWS];
	struct pm_est a[PM_MAX_ROWS], b[PM_MAX_ROWS];
	struct pm_diff d[PM_MAX_ROWS];
	int primary;   /* row index of the primary question, -1 none */
	int nsec;      /* secondary rows tested (Holm's m) */
	int gate_open; /* the primary was called: the secondaries are tested */
	int repeats;   /* both sides had several runs: intervals from the spread between runs */
	struct pm_boot_info ia, ib;
	struct pm_power power;
	char warn[4][256];
	int nwarn;
};

/* A = a, B = b; 0 ok, -1 out of memory */
int pm_compare(const struct pm_side *a, const struct pm_side *b, struct pm_compare *out);
/* one side alone: value and 95% interval of each row; 0 ok, -1 out of memory */
int pm_estimate(const struct pm_side *s, const struct pm_mrow *rows, int nrows, struct pm_est *est,
		struct pm_boot_info *info);
const char *pm_verdict_word(enum pm_verdict v);
/* why there is no interval, for people: "one run: needs repeats", ... */
const char *pm_why_text(enum pm_why w);
/* how many analysis bins a run is cut into (PM_TARGET_BINS; the fuzz harness
 * uses a few: the same code, less work per input) */
void pm_stats_set_bins(int bins);
/* Politis-White block length for x[0..n) */
int pm_block_length(const double *x, int n);
/* Student's t: P(T <= t) with df degrees of freedom (df > 0, not only whole),
 * and its quantile */
double pm_t_cdf(double t, double df);
double pm_t_quantile(double p, double df);
/* the possible range of a row's values (shares 0-100, rates >= 0) */
void pm_row_bounds(const struct pm_mrow *m, double *lo, double *hi);

#endif
