// SPDX-License-Identifier: GPL-2.0
/*
 * plot/trend.c: Spearman's rho against run order and its permutation p; the
 * false-alarm rate of the trend warning measured on exchangeable runs (each
 * run's rate drawn independently from one distribution: every order equally
 * likely), and its power on runs that drift.  The figures are printed
 * (docs/plot.md, "Repeated runs that drift").
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "trend.h"
#include "unit.h"

static uint64_t rng = 88172645463325252ULL;

static double unif(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return ((rng >> 11) + 0.5) / 9007199254740992.0;
}

static double gauss(void)
{
	return sqrt(-2 * log(unif())) * cos(2 * M_PI * unif());
}

static double poisson(double mu)
{
	/* normal approximation above 50, else by products of uniforms */
	if (mu > 50) {
		double x = round(mu + sqrt(mu) * gauss());

		return x < 0 ? 0 : x;
	}
	{
		double l = exp(-mu), p = 1;
		int k = 0;

		do {
			k++;
			p *= unif();
		} while (p > l);
		return k - 1;
	}
}

/* one run's extfrag rate: a run of 60-120 s, a bursty intensity (lognormal
 * across runs, sd 0.6), counts Poisson; drift: the mean falls by `decay` a run */
static double run_rate(double mean, int i, double decay)
{
	double dur = 60 + 60 * unif(), lam = mean * exp(0.6 * gauss() - 0.18) * pow(decay, i);

	return poisson(lam * dur) / dur;
}

static void wilson(int k, int n, double *lo, double *hi)
{
	double z = 1.96, p = (double)k / n, d = 1 + z * z / n;
	double c = (p + z * z / (2 * n)) / d,
	       h = z * sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / d;

	*lo = c - h;
	*hi = c + h;
}

static void test_trend_basics(void)
{
	double down[6] = {26, 18, 17, 12, 4, 2}, flat[6] = {3, 3, 3, 3, 3, 3};
	double tie[5] = {1, 0, 1, 0, 1};

	UT_CHECK(fabs(pm_spearman_order(down, 6) + 1) < 1e-12, "rho of a falling series: %g",
		 pm_spearman_order(down, 6));
	/* two of the 720 orders are as extreme (the falling and the rising one) */
	UT_CHECK(fabs(pm_spearman_p(down, 6) - 2.0 / 720) < 1e-12, "p: %g", pm_spearman_p(down, 6));
	UT_CHECK(pm_spearman_order(flat, 6) == 0, "constant: rho 0");
	UT_CHECK(pm_spearman_p(tie, 5) > 0.5, "alternating ties: p %g", pm_spearman_p(tie, 5));
	/* 4 runs can never reach 5%: the smallest two-sided p is 2/24 */
	UT_CHECK(pm_spearman_p(down, 4) > PM_TREND_ALPHA, "4 runs: p %g", pm_spearman_p(down, 4));
}

static void test_trend_false_alarm(void)
{
	static const int ns[] = {5, 6, 7, 8, 10, 16}, trials[] = {2000, 2000, 600, 150, 150, 150};
	static const double means[] = {0.1, 2.0}; /* ~9 events a run (ties), ~180 */

	for (size_t m = 0; m < 2; m++)
		for (size_t k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
			int hit = 0, pw = 0, pw2 = 0, n = ns[k];
			double lo, hi, plo, phi;

			for (int t = 0; t < trials[k]; t++) {
				double y[PM_MAX_REPEATS], z[PM_MAX_REPEATS], w[PM_MAX_REPEATS];

				for (int i = 0; i < n; i++) {
					y[i] = run_rate(means[m], i, 1);
					z[i] = run_rate(means[m], i, 0.8);
					w[i] = run_rate(means[m], i, 0.6);
				}
				hit += pm_spearman_p(y, n) <= PM_TREND_ALPHA;
				pw += pm_spearman_p(z, n) <= PM_TREND_ALPHA;
				pw2 += pm_spearman_p(w, n) <= PM_TREND_ALPHA;
			}
			wilson(hit, trials[k], &lo, &hi);
			wilson(pw, trials[k], &plo, &phi);
			printf("# trend: %2d runs, mean %.1f/s: false alarms %.1f%% [%.1f, %.1f] "
			       "of %d; "
			       "drift -20%%/run found %.0f%% [%.0f, %.0f], -40%%/run %.0f%%\n",
			       n, means[m], 100.0 * hit / trials[k], 100 * lo, 100 * hi, trials[k],
			       100.0 * pw / trials[k], 100 * plo, 100 * phi,
			       100.0 * pw2 / trials[k]);
			/* consistent with <= 5%, and not far above it */
			UT_CHECK(lo <= PM_TREND_ALPHA && hit <= 0.07 * trials[k],
				 "%d runs: false alarms %d of %d", n, hit, trials[k]);
		}
}

const struct ut_test ut_trend_tests[] = {
    {"trend: Spearman rho against run order, exact permutation p", test_trend_basics},
    {"trend: false alarms on exchangeable runs <= 5%, power on drifting runs",
     test_trend_false_alarm},
    {NULL, NULL},
};
