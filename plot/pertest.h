/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A/B test by test (docs/plot.md, "Where it came from"): when both runs ran
 * the same tests, each test is one paired observation, y = log(rate on B /
 * rate on A) with rate = (fallbacks + h) / seconds the test ran, h half a
 * burst of the two runs' mean size.
 *
 *  - The typical ratio over the tests: the tests in the order they ran in
 *    PT_BATCHES batches of consecutive tests, a sign-flip test on the
 *    batches' weighted means of y and its interval (a test leaves the memory
 *    in the state the next ones start from: batches, not tests, are the
 *    units); the verdict "more on B" / "fewer on B" only where it excludes 0.
 *  - Each test's own interval: y +- z sqrt(se^2 + tau^2), se^2 =
 *    phi / (nA + h) + phi / (nB + h) with phi the runs' dispersion inside
 *    tests (bursts: po_dispersion), tau^2 the run-to-run spread of tests beyond
 *    that (DerSimonian-Laird over the big tests), z Bonferroni over the tests
 *    (the chance that any test is flagged by noise is 5%).
 */
#ifndef FRAGMON_PLOT_PERTEST_H
#define FRAGMON_PLOT_PERTEST_H

#include "origin.h"

#define PT_MIN_TESTS 12 /* fewer paired tests: no interval */
#define PT_BATCHES 6
#define PT_BIG_BURSTS 5 /* tests with this many bursts a side say how runs differ */
#define PT_MIN_BIG 5

struct pt_input {
	const char *name;
	double n, dur;
	double first; /* when it first ran: the order of the tests */
};

struct pt_row {
	const char *name;
	double na, nb, da, db; /* fallbacks, seconds */
	double y, lo, hi;      /* log ratio B/A and its interval */
	int flag;	       /* +1 more on B, -1 fewer on B, 0 within noise */
	double first;
};

struct pt_result {
	int both;		 /* tests in both runs */
	int only_a, only_b;	 /* tests in one run only */
	int m;			 /* paired tests with a fallback on either side: the unit */
	double phia, phib;	 /* dispersion of each run */
	double tau2, z;		 /* between-run variance of y, per-test multiplier */
	int have_ci;		 /* PT_MIN_TESTS or more, 3 or more effective */
	double hl, hl_lo, hl_hi; /* mean log ratio over the tests and its 95% interval */
	int batches;		 /* of consecutive tests */
	double p;		 /* sign-flip p of the batches, two-sided */
	int verdict;		 /* +1 more on B, -1 fewer, 0 within noise, 2 too few tests */
	int nmore, nless;	 /* tests flagged */
	struct pt_row *rows;	 /* the m tests, by y (most more-on-B first) */
};

/* 0 ok (res->rows to pt_free), -1 out of memory */
int pt_compare(const struct pt_input *a, int na, double phia, const struct pt_input *b, int nb,
	       double phib, struct pt_result *res);
void pt_free(struct pt_result *res);
/* the tests of a run as inputs (names point into o); returns the count */
int pt_inputs(const struct po_origin *o, struct pt_input *out, int max);
/* the standard normal quantile */
double pt_qnorm(double p);

#endif
