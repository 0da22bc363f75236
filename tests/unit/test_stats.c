// SPDX-License-Identifier: GPL-2.0
/*
 * plot/stats.h: Student's t, the Politis-White block length, and A/B
 * comparisons of runs built event by event (pm_run_add): a known difference
 * is called, the same process is not, a run that is one burst needs repeats,
 * intervals stay in the possible range, repeated runs are the units.
 */
#include <math.h>
#include <stdlib.h>

#include "stats.h"
#include "unit.h"

#define NEAR(got, want, tol, what)                                                                 \
	UT_CHECK(fabs((got) - (want)) <= (tol), "%s: got %.6f, want %.6f", what, (double)(got),    \
		 (double)(want))

static void t_distribution(void)
{
	/* R: qt(0.975, c(1, 2, 10, 30)), pt(2, 5) */
	NEAR(pm_t_quantile(0.975, 1), 12.706205, 1e-4, "t 0.975, 1 df");
	NEAR(pm_t_quantile(0.975, 2), 4.302653, 1e-5, "t 0.975, 2 df");
	NEAR(pm_t_quantile(0.975, 10), 2.228139, 1e-5, "t 0.975, 10 df");
	NEAR(pm_t_quantile(0.975, 30), 2.042272, 1e-5, "t 0.975, 30 df");
	NEAR(pm_t_quantile(0.975, 1e7), 1.959964, 1e-4, "t 0.975, ~normal");
	NEAR(pm_t_quantile(0.025, 10), -2.228139, 1e-5, "t 0.025, 10 df");
	NEAR(pm_t_cdf(2, 5), 0.9490303, 1e-6, "P(T5 <= 2)");
	NEAR(pm_t_cdf(0, 3.5), 0.5, 1e-12, "P(T <= 0)");
	NEAR(pm_t_cdf(pm_t_quantile(0.001, 7.3), 7.3), 0.001, 1e-7, "cdf(quantile)");
	UT_CHECK(isnan(pm_t_quantile(1, 5)), "the quantile of 1 is not a number");
}

static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 11;
}

static double unif(uint64_t *s)
{
	return ((double)lcg(s) + 0.5) / 9007199254740992.0;
}

static void block_length(void)
{
	double x[600];
	uint64_t s = 1;
	int white, ar;

	for (int i = 0; i < 600; i++)
		x[i] = unif(&s) - 0.5;
	white = pm_block_length(x, 600);
	/* AR(1), phi 0.9: about 19 bins of memory */
	x[0] = 0;
	for (int i = 1; i < 600; i++)
		x[i] = 0.9 * x[i - 1] + unif(&s) - 0.5;
	ar = pm_block_length(x, 600);
	UT_CHECK(white <= 3, "white noise: block %d, want <= 3", white);
	UT_CHECK(ar >= 8 && ar > 3 * white, "AR(1) 0.9: block %d, want >= 8 (white %d)", ar, white);
	UT_EQ_LL(pm_block_length(x, 3), 1, "too short for a length");
}

/* a run of dur s: Poisson extfrag events at rate/s, snapshots every second */
static struct pm_run *run_of(double dur, double rate, uint64_t seed, double burst_at, int burst)
{
	struct pm_run *r = pm_run_new("t");
	struct pm_event ev;
	uint64_t s = seed;

	r->have_run = 1;
	r->duration = dur;
	r->snap_interval = 1;
	r->tp[PM_TP_EXTFRAG] = r->tp[PM_TP_COMPACTION] = r->tp[PM_TP_MIGRATE] = 1;
	snprintf(r->mode, sizeof(r->mode), "full");
	pm_run_presize(r, dur);
	for (double t = -log(unif(&s)) / rate; rate > 0 && t < dur; t += -log(unif(&s)) / rate) {
		pm_event_reset(&ev);
		ev.type = PM_EV_EXTFRAG;
		ev.t = t;
		ev.have_t = 1;
		ev.is_steal = unif(&s) < 0.3;
		snprintf(ev.from, sizeof(ev.from), "MOVABLE");
		snprintf(ev.to, sizeof(ev.to), unif(&s) < 0.5 ? "UNMOVABLE" : "RECLAIMABLE");
		pm_run_add(r, &ev);
	}
	for (int i = 0; i < burst; i++) {
		pm_event_reset(&ev);
		ev.type = PM_EV_EXTFRAG;
		ev.t = burst_at + 0.001 * i;
		ev.have_t = 1;
		snprintf(ev.from, sizeof(ev.from), "MOVABLE");
		snprintf(ev.to, sizeof(ev.to), "UNMOVABLE");
		pm_run_add(r, &ev);
	}
	for (int t = 0; t < (int)dur; t++) {
		pm_event_reset(&ev);
		ev.type = PM_EV_SNAPSHOT;
		ev.t = t + 0.5;
		ev.have_t = 1;
		ev.nzones = 1;
		memset(&ev.zones[0], 0, sizeof(ev.zones[0]));
		snprintf(ev.zones[0].name, sizeof(ev.zones[0].name), "Normal");
		ev.zones[0].nfree = ev.zones[0].nus = 11;
		for (int o = 0; o < 11; o++) {
			ev.zones[0].free[o] = 100 + lcg(&s) % 50;
			ev.zones[0].us[o] = (int)(o * 80 + lcg(&s) % 60);
			ev.tot_free[o] = ev.zones[0].free[o];
		}
		ev.tot_nfree = 11;
		pm_run_add(r, &ev);
	}
	pm_run_finish(r);
	return r;
}

static int compare(struct pm_run *a, struct pm_run *b, struct pm_compare *c)
{
	struct pm_side s[2] = {{{a}, 1, "A"}, {{b}, 1, "B"}};

	pm_pick_zone(s, 2);
	return pm_compare(&s[0], &s[1], c);
}

static void known_difference(void)
{
	struct pm_compare *c = malloc(sizeof(*c));
	struct pm_run *a = run_of(600, 5, 11, 0, 0), *b = run_of(600, 15, 12, 0, 0);
	int p;

	if (!c || compare(a, b, c))
		UT_SKIP("out of memory");
	p = c->primary;
	UT_EQ_STR(p >= 0 ? c->rows[p].key : "", "extfrag_per_s", "the primary without pgalloc");
	UT_EQ_LL(c->d[p].verdict, PM_V_WORSE, "3x the rate");
	UT_CHECK(c->d[p].lo > 0, "the interval above 0: [%g, %g]", c->d[p].lo, c->d[p].hi);
	UT_CHECK(c->gate_open, "the secondaries are tested");
	UT_EQ_LL(c->d[pm_row_find(c->rows, c->nrows, "bad_per_s")].verdict, PM_V_WORSE,
		 "a secondary rate, 3x");
	UT_CHECK(c->d[p].level == PM_ALPHA, "the primary at its own 5%%");
	UT_CHECK(c->power.have && c->power.mdc_rel > 0 && c->power.mdc_rel < 0.3,
		 "Poisson 5/s, 600 s: a change of %.2f is detectable", c->power.mdc_rel);
	for (int k = 0; k < c->nrows; k++) {
		double lo, hi;

		pm_row_bounds(&c->rows[k], &lo, &hi);
		if (c->a[k].have_ci)
			UT_CHECK(c->a[k].lo >= lo && c->a[k].hi <= hi, "%s: A's interval in range",
				 c->rows[k].key);
		if (c->d[k].have_ci)
			UT_CHECK(c->d[k].lo >= lo - hi && c->d[k].hi <= hi - lo,
				 "%s: B - A in range", c->rows[k].key);
	}
	pm_run_free(a);
	pm_run_free(b);
	free(c);
}

/* same process: the primary is called in about 5% of seeds, never far more */
static void same_process(void)
{
	struct pm_compare *c = malloc(sizeof(*c));
	int called = 0, any = 0;

	if (!c)
		UT_SKIP("out of memory");
	for (int i = 0; i < 60; i++) {
		struct pm_run *a = run_of(300, 5, 100 + 2 * i, 0, 0),
			      *b = run_of(300, 5, 101 + 2 * i, 0, 0);
		int hit = 0;

		if (compare(a, b, c))
			UT_SKIP("out of memory");
		called += c->d[c->primary].verdict != PM_V_SAME;
		for (int k = 0; k < c->nrows; k++)
			hit |= c->d[k].verdict == PM_V_WORSE || c->d[k].verdict == PM_V_BETTER ||
			       c->d[k].verdict == PM_V_HIGHER || c->d[k].verdict == PM_V_LOWER;
		/* the gate: no secondary verdict without the primary */
		if (c->d[c->primary].verdict == PM_V_SAME)
			for (int k = 0; k < c->nrows; k++)
				UT_CHECK(
				    c->d[k].verdict != PM_V_WORSE && c->d[k].verdict != PM_V_BETTER,
				    "seed %d: %s called with the gate closed", i, c->rows[k].key);
		any += hit;
		pm_run_free(a);
		pm_run_free(b);
	}
	/* binomial(60, 0.05): P(>= 9) < 0.3% */
	UT_CHECK(called <= 8, "the primary called in %d of 60 same-process pairs", called);
	UT_CHECK(any <= 8, "any verdict in %d of 60 same-process pairs", any);
	free(c);
}

/* one burst of 2000 events in a quiet run: one run cannot say */
static void one_burst(void)
{
	struct pm_compare *c = malloc(sizeof(*c));
	struct pm_run *a = run_of(600, 0.02, 5, 0, 0), *b = run_of(600, 0.02, 6, 300, 2000);

	if (!c || compare(a, b, c))
		UT_SKIP("out of memory");
	UT_EQ_LL(c->d[c->primary].verdict, PM_V_NEEDREP, "one burst against a quiet run");
	UT_EQ_LL(c->b[c->primary].why, PM_W_NEEDREP, "B: too few independent periods");
	UT_CHECK(!c->gate_open, "the gate stays closed");
	pm_run_free(a);
	pm_run_free(b);
	free(c);
}

/* several runs per side: the runs are the units, n - 1 degrees of freedom */
static void repeated_runs(void)
{
	struct pm_compare *c = malloc(sizeof(*c));
	struct pm_side s[2] = {{{0}, 3, "A"}, {{0}, 3, "B"}};
	int p;

	if (!c)
		UT_SKIP("out of memory");
	for (int i = 0; i < 3; i++) {
		s[0].run[i] = run_of(200, 5, 40 + (uint64_t)i, 0, 0);
		s[1].run[i] = run_of(200, 20, 50 + (uint64_t)i, 0, 0);
	}
	pm_pick_zone(s, 2);
	if (pm_compare(&s[0], &s[1], c))
		UT_SKIP("out of memory");
	p = c->primary;
	UT_CHECK(c->repeats, "repeated runs on both sides");
	UT_EQ_LL(c->a[p].units, 3, "A's units are its runs");
	NEAR(c->a[p].df, 2, 1e-12, "A: 2 degrees of freedom");
	UT_EQ_LL(c->d[p].verdict, PM_V_WORSE, "4x the rate over 3 runs");
	NEAR(c->a[p].v.v,
	     (double)(s[0].run[0]->by_type[PM_EV_EXTFRAG] + s[0].run[1]->by_type[PM_EV_EXTFRAG] +
		      s[0].run[2]->by_type[PM_EV_EXTFRAG]) /
		 600,
	     1e-9, "A's value pools its runs");
	for (int i = 0; i < 3; i++) {
		pm_run_free(s[0].run[i]);
		pm_run_free(s[1].run[i]);
	}
	free(c);
}

const struct ut_test ut_stats_tests[] = {
    {"stats: Student's t quantiles and distribution", t_distribution},
    {"stats: Politis-White block length follows the memory of the series", block_length},
    {"stats: a known difference is worse; intervals inside the possible range", known_difference},
    {"stats: the same process: the primary called about 5% of the time; secondaries gated",
     same_process},
    {"stats: one burst cannot support a verdict: needs repeats", one_burst},
    {"stats: repeated runs are the units; the side's value pools its runs", repeated_runs},
    {NULL, NULL},
};
