/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A trend across the repeated runs of one side (docs/plot.md, "Repeated runs
 * that drift"): runs of one boot can drift (free memory ages, pageblocks
 * change owner), and then they are not exchangeable repeats and the spread
 * between them is not the noise of a run.  The test: Spearman's rank
 * correlation of each run's extfrag rate (events per second) with its place
 * in the order the runs ran (their start times when every run has a distinct
 * one, else the order given), and its two-sided permutation p-value: exact
 * over all n! orders up to PM_TREND_EXACT runs, else PM_TREND_PERMS random
 * orders from a fixed seed.  A trend is reported where p <= PM_TREND_ALPHA;
 * under exchangeable runs every order is equally likely, so the false-alarm
 * rate is at most PM_TREND_ALPHA (measured: tests/unit/test_trend.c).  With
 * fewer than PM_TREND_MIN_RUNS runs no order can reach that p (4 runs: the
 * smallest two-sided p is 2/24), so nothing is tested.
 */
#ifndef FRAGMON_PLOT_TREND_H
#define FRAGMON_PLOT_TREND_H

#include <stdint.h>

#include "model.h"

#define PM_TREND_ALPHA 0.05
#define PM_TREND_MIN_RUNS 5
#define PM_TREND_EXACT 7
#define PM_TREND_PERMS 10000
#define PM_TREND_SEED 0x7472656e64ULL

struct pm_trend {
	int n;			     /* runs of the side */
	int tested;		     /* n >= PM_TREND_MIN_RUNS and the rates are not all equal */
	int by_start;		     /* ordered by start time, else as given */
	double rate[PM_MAX_REPEATS]; /* extfrag per second of each run, in run order */
	int idx[PM_MAX_REPEATS];     /* which run of the side each is */
	double rho, p;
	int trend; /* tested and p <= PM_TREND_ALPHA */
};

/* Spearman's rho of y[0..n) against 0..n-1 (mid-ranks for ties); 0 when y is constant */
double pm_spearman_order(const double *y, int n);
/* two-sided permutation p-value of that rho */
double pm_spearman_p(const double *y, int n);
void pm_trend_side(const struct pm_side *s, struct pm_trend *t);

#endif
