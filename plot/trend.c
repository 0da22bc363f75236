// SPDX-License-Identifier: GPL-2.0
#include "trend.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* mid-ranks of y[0..n) into r */
static void ranks(const double *y, int n, double *r)
{
	for (int i = 0; i < n; i++) {
		int below = 0, same = 0;

		for (int j = 0; j < n; j++) {
			below += y[j] < y[i];
			same += y[j] == y[i];
		}
		r[i] = below + (same + 1) / 2.0;
	}
}

/* Pearson's correlation of the ranks ry with the positions perm[i] + 1 */
static double rho_of(const double *ry, const int *perm, int n)
{
	double my = 0, mx = (n + 1) / 2.0, sxy = 0, sxx = 0, syy = 0;

	for (int i = 0; i < n; i++)
		my += ry[i];
	my /= n;
	for (int i = 0; i < n; i++) {
		double dx = perm[i] + 1 - mx, dy = ry[i] - my;

		sxy += dx * dy;
		sxx += dx * dx;
		syy += dy * dy;
	}
	return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : 0;
}

double pm_spearman_order(const double *y, int n)
{
	double ry[PM_MAX_REPEATS];
	int id[PM_MAX_REPEATS];

	if (n < 2 || n > PM_MAX_REPEATS)
		return 0;
	ranks(y, n, ry);
	for (int i = 0; i < n; i++)
		id[i] = i;
	return rho_of(ry, id, n);
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

double pm_spearman_p(const double *y, int n)
{
	double ry[PM_MAX_REPEATS], obs;
	int perm[PM_MAX_REPEATS], c[PM_MAX_REPEATS] = {0};
	long hit = 0, all = 0;

	if (n < 3 || n > PM_MAX_REPEATS)
		return 1;
	ranks(y, n, ry);
	for (int i = 0; i < n; i++)
		perm[i] = i;
	obs = fabs(rho_of(ry, perm, n)) - 1e-9;
	if (n <= PM_TREND_EXACT) {
		/* every order once (Heap's algorithm) */
		int i = 0;

		hit = fabs(rho_of(ry, perm, n)) >= obs;
		all = 1;
		while (i < n) {
			if (c[i] < i) {
				int j = i % 2 ? c[i] : 0, t = perm[j];

				perm[j] = perm[i];
				perm[i] = t;
				hit += fabs(rho_of(ry, perm, n)) >= obs;
				all++;
				c[i]++;
				i = 0;
			} else {
				c[i++] = 0;
			}
		}
		return (double)hit / all;
	}
	{
		uint64_t s = PM_TREND_SEED;

		for (int k = 0; k < PM_TREND_PERMS; k++) {
			for (int i = n - 1; i > 0; i--) {
				int j = (int)(xorshift(&s) % (uint64_t)(i + 1)), t = perm[i];

				perm[i] = perm[j];
				perm[j] = t;
			}
			hit += fabs(rho_of(ry, perm, n)) >= obs;
		}
		/* the observed order counts as one of them */
		return (hit + 1.0) / (PM_TREND_PERMS + 1.0);
	}
}

void pm_trend_side(const struct pm_side *s, struct pm_trend *t)
{
	int by_start = s->n > 1;

	memset(t, 0, sizeof(*t));
	t->n = s->n;
	t->p = 1;
	for (int i = 0; i < s->n; i++) {
		t->idx[i] = i;
		by_start &= s->run[i]->start_time > 0;
		for (int j = 0; j < i && by_start; j++)
			by_start = s->run[j]->start_time != s->run[i]->start_time;
	}
	t->by_start = by_start;
	/* run order: by start time (insertion sort on a few runs), else as given */
	for (int i = 1; by_start && i < s->n; i++)
		for (int j = i;
		     j > 0 && s->run[t->idx[j]]->start_time < s->run[t->idx[j - 1]]->start_time;
		     j--) {
			int x = t->idx[j];

			t->idx[j] = t->idx[j - 1];
			t->idx[j - 1] = x;
		}
	for (int i = 0; i < s->n; i++) {
		const struct pm_run *r = s->run[t->idx[i]];
		double d = pm_run_duration(r);

		t->rate[i] = d > 0 ? (double)(r->steal + r->claim) / d : 0;
	}
	if (s->n < PM_TREND_MIN_RUNS)
		return;
	for (int i = 1; i < s->n && !t->tested; i++)
		t->tested = t->rate[i] != t->rate[0];
	if (!t->tested)
		return;
	t->rho = pm_spearman_order(t->rate, s->n);
	t->p = pm_spearman_p(t->rate, s->n);
	t->trend = t->p <= PM_TREND_ALPHA;
}
