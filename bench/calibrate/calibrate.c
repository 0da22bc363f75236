// SPDX-License-Identifier: GPL-2.0
/*
 * make calibrate: fragmon-plot's A/B verdicts on synthetic same-process pairs
 * (bench/calibrate/gen.c) of documented families.  Per family: the rate of
 * pairs with any verdict (a row not "within noise") with its Wilson 95%
 * interval, the primary metric's own false-positive rate, each row's
 * reported standard error against the true spread of B - A over the pairs,
 * and the primary metric's power at 1.25x, 1.5x, 2x and 3x the extfrag
 * intensity.  Each run is written in the agent's format and read back by
 * fragmon-plot's own reader, so the whole path is measured.
 *
 *   calibrate [--pairs N] [--power-pairs M] [--family NAME] [--max-fpr F] [--rows] [--lean]
 *   calibrate --write FAMILY SEED FILE   one run of a family, to look at
 *
 * --lean leaves free_by_type out of the snapshots (fragmon-plot's reader skips
 * it; the numbers are the same, the check is faster).  Exit 1 when a family's
 * familywise rate is above --max-fpr.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "metrics.h"
#include "model.h"
#include "reader.h"
#include "stats.h"

#ifdef CAL_BEFORE
#define PM_V_NEEDREP (-1)
#define PRIMARY(c) pm_row_find((c)->rows, (c)->nrows, "extfrag_per_s")
#define SE(c, k) (((c)->d[k].hi - (c)->d[k].lo) / (2 * (c)->q))
#define COMPARE(a, b, c) pm_compare(a, b, PM_BOOT_R, c)
#else
#define PRIMARY(c) ((c)->primary)
#define SE(c, k) ((c)->d[k].se)
#define COMPARE(a, b, c) pm_compare(a, b, c)
#endif

struct family {
	const char *name, *what;
	enum cal_kind kind;
	double dur_a, dur_b, tau;
	int runs, shared;
};

static const struct family fams[] = {
    {"poisson", "Poisson 5/s, state tau 2 s", CAL_POISSON, 600, 600, 2, 1, 0},
    {"poisson-state20", "Poisson 5/s, state tau 20 s", CAL_POISSON, 600, 600, 20, 1, 0},
    {"state60", "Poisson 5/s, state tau 60 s", CAL_POISSON, 600, 600, 60, 1, 0},
    {"bursty", "bursts of 50-500 ~1/min + 0.5/s, tau 10 s", CAL_BURSTY, 600, 600, 10, 1, 0},
    {"bursty-shared", "bursty, pattern/order shared per burst", CAL_BURSTY, 600, 600, 10, 1, 1},
    {"regimes", "1/s <-> 20/s, 60 s sojourns, tau 10 s", CAL_REGIMES, 600, 600, 10, 1, 0},
    {"regimes-shared", "regimes, pattern/order shared per regime", CAL_REGIMES, 600, 600, 10, 1,
     1},
    {"bursty-300v600", "bursty, 300 s against 600 s", CAL_BURSTY, 300, 600, 10, 1, 0},
    {"poisson-3runs", "Poisson, tau 20 s, 3 runs per side", CAL_POISSON, 600, 600, 20, 3, 0},
    {"bursty-3runs", "bursty shared, 3 runs per side", CAL_BURSTY, 600, 600, 10, 3, 1},
    {"regimes-3runs", "regimes shared, 3 runs per side", CAL_REGIMES, 600, 600, 10, 3, 1},
};
#define NFAM (sizeof(fams) / sizeof(fams[0]))

static const double mults[] = {1.25, 1.5, 2, 3};
#define NMULT (sizeof(mults) / sizeof(mults[0]))

static int lean; /* --lean: no free_by_type in the snapshots */

/* one run of the family, through the agent's format and fragmon-plot's reader */
static struct pm_run *make_run(const struct family *f, double dur, double scale, uint64_t seed)
{
	struct cal_proc p;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	struct pm_run *r = pm_run_new("calibrate");
	struct pm_reader *rd = r ? pm_reader_new(r) : NULL;
	int bad;

	cal_proc_init(&p, f->kind, dur, f->tau, f->shared);
	p.scale = scale;
	p.lean = lean;
	bad = !m || !rd || cal_write_run(&p, seed, m);
	if (m)
		fclose(m);
	bad = bad || pm_reader_feed(rd, buf, len) || pm_reader_finish(rd);
	if (!bad)
		pm_run_finish(r);
	if (rd)
		pm_reader_free(rd);
	free(buf);
	if (bad) {
		fprintf(stderr, "calibrate: %s seed %llu: could not make the run\n", f->name,
			(unsigned long long)seed);
		pm_run_free(r);
		return NULL;
	}
	snprintf(r->label, sizeof(r->label), "s%llu", (unsigned long long)seed);
	return r;
}

static void side_free(struct pm_side *s)
{
	for (int i = 0; i < s->n; i++)
		pm_run_free(s->run[i]);
	s->n = 0;
}

static int make_side(const struct family *f, double dur, double scale, uint64_t seed,
		     struct pm_side *s)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < f->runs; i++) {
		if (!(s->run[i] = make_run(f, dur, scale, seed * 16 + (uint64_t)i))) {
			side_free(s);
			return -1;
		}
		s->n++;
	}
	return 0;
}

/* per row: B - A and its reported standard error over the null pairs */
#define MAXKEYS 96
struct rowacc {
	char key[40];
	int n, called, needrep;
	double sd, sd2, se; /* sums of d, d^2, se */
};

struct acc {
	int pairs, any, primary;
	int power[NMULT], npower;
	struct rowacc row[MAXKEYS];
	int nrow;
};

static struct rowacc *row_of(struct acc *a, const char *key)
{
	for (int i = 0; i < a->nrow; i++)
		if (!strcmp(a->row[i].key, key))
			return &a->row[i];
	if (a->nrow == MAXKEYS)
		return NULL;
	memset(&a->row[a->nrow], 0, sizeof(a->row[0]));
	snprintf(a->row[a->nrow].key, sizeof(a->row[0].key), "%s", key);
	return &a->row[a->nrow++];
}

static int called(enum pm_verdict v)
{
	return v == PM_V_BETTER || v == PM_V_WORSE || v == PM_V_HIGHER || v == PM_V_LOWER;
}

/* one comparison; mult 0: a null pair, else the power of the primary at mult */
static int trial(const struct family *f, int fi, int t, double mult, struct acc *a,
		 struct pm_compare *c)
{
	uint64_t base = 0x5eed0000ULL + (uint64_t)fi * 1000003ULL + (uint64_t)t * 7919ULL +
			(mult > 0 ? (uint64_t)(mult * 4) * 104729ULL : 0);
	struct pm_side s[2];
	int any = 0, p;

	if (make_side(f, f->dur_a, 1, base * 2, &s[0]))
		return -1;
	if (make_side(f, f->dur_b, mult > 0 ? mult : 1, base * 2 + 1, &s[1])) {
		side_free(&s[0]);
		return -1;
	}
	pm_pick_zone(s, 2);
	if (COMPARE(&s[0], &s[1], c)) {
		side_free(&s[0]);
		side_free(&s[1]);
		return -1;
	}
	p = PRIMARY(c);
	if (mult > 0) {
		for (size_t m = 0; m < NMULT; m++)
			if (mults[m] == mult)
				a->power[m] += p >= 0 && c->d[p].verdict == PM_V_WORSE;
	} else {
		for (int k = 0; k < c->nrows; k++) {
			struct rowacc *ra = row_of(a, c->rows[k].key);

			any |= called(c->d[k].verdict);
			if (!ra)
				continue;
			ra->called += called(c->d[k].verdict);
			ra->needrep += (int)c->d[k].verdict == (int)PM_V_NEEDREP;
			if (c->d[k].have_ci) {
				ra->n++;
				ra->sd += c->d[k].d;
				ra->sd2 += c->d[k].d * c->d[k].d;
				ra->se += SE(c, k);
			}
		}
		a->pairs++;
		a->any += any;
		a->primary += p >= 0 && called(c->d[p].verdict);
	}
	side_free(&s[0]);
	side_free(&s[1]);
	return 0;
}

static void wilson(int k, int n, double *lo, double *hi)
{
	double z = 1.959964, p = n ? (double)k / n : 0, z2 = z * z / (n ? n : 1);
	double c = (p + z2 / 2) / (1 + z2);
	double h = z * sqrt(p * (1 - p) / (n ? n : 1) + z2 / (4.0 * (n ? n : 1))) / (1 + z2);

	*lo = fmax(0, c - h);
	*hi = fmin(1, c + h);
}

static void report(const struct family *f, const struct acc *a, int rows, int npow)
{
	double lo, hi;

	wilson(a->any, a->pairs, &lo, &hi);
	printf("| %s | %s | %d | %.1f%% [%.1f, %.1f] | %.1f%% |", f->name, f->what, a->pairs,
	       100.0 * a->any / a->pairs, 100 * lo, 100 * hi, 100.0 * a->primary / a->pairs);
	for (size_t m = 0; m < NMULT; m++)
		if (npow)
			printf(" %.0f%% |", 100.0 * a->power[m] / npow);
		else
			printf(" - |");
	{
		/* reported se against the true spread, over the rows with enough pairs */
		double worst = 1e9, best = 0;
		const char *wk = "";

		for (int i = 0; i < a->nrow; i++) {
			const struct rowacc *r = &a->row[i];
			double var, ratio;

			if (r->n < 20)
				continue;
			var = (r->sd2 - r->sd * r->sd / r->n) / (r->n - 1);
			if (!(var > 0))
				continue;
			ratio = r->se / r->n / sqrt(var);
			if (ratio < worst) {
				worst = ratio;
				wk = r->key;
			}
			if (ratio > best)
				best = ratio;
		}
		if (best > 0)
			printf(" %.2f (%s) - %.2f |\n", worst, wk, best);
		else
			printf(" - |\n");
	}
	if (!rows)
		return;
	for (int i = 0; i < a->nrow; i++) {
		const struct rowacc *r = &a->row[i];
		double var = r->n > 1 ? (r->sd2 - r->sd * r->sd / r->n) / (r->n - 1) : 0;

		printf("    %-34s pairs %3d  called %5.1f%%  needs repeats %5.1f%%  se/true sd %s",
		       r->key, a->pairs, 100.0 * r->called / a->pairs,
		       100.0 * r->needrep / a->pairs, r->n >= 20 && var > 0 ? "" : "-\n");
		if (r->n >= 20 && var > 0)
			printf("%.2f\n", r->se / r->n / sqrt(var));
	}
}

int main(int argc, char **argv)
{
	int pairs = 200, ppairs = 200, rows = 0, rc = 0;
	double max_fpr = -1;
	const char *only = NULL;
	struct pm_compare *c = malloc(sizeof(*c));

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--pairs") && i + 1 < argc)
			pairs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--power-pairs") && i + 1 < argc)
			ppairs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--family") && i + 1 < argc)
			only = argv[++i];
		else if (!strcmp(argv[i], "--max-fpr") && i + 1 < argc)
			max_fpr = atof(argv[++i]);
		else if (!strcmp(argv[i], "--rows"))
			rows = 1;
		else if (!strcmp(argv[i], "--lean"))
			lean = 1;
		else if (!strcmp(argv[i], "--write") && i + 3 < argc) {
			for (size_t k = 0; k < NFAM; k++)
				if (!strcmp(fams[k].name, argv[i + 1])) {
					struct cal_proc p;
					FILE *out = fopen(argv[i + 3], "w");

					cal_proc_init(&p, fams[k].kind, fams[k].dur_a, fams[k].tau,
						      fams[k].shared);
					if (!out || cal_write_run(&p, strtoull(argv[i + 2], NULL, 0),
								  out) ||
					    fclose(out)) {
						perror(argv[i + 3]);
						return 1;
					}
					return 0;
				}
			fprintf(stderr, "calibrate: no family %s\n", argv[i + 1]);
			return 2;
		} else {
			fprintf(stderr,
				"usage: calibrate [--pairs N] [--power-pairs M] [--family NAME] "
				"[--max-fpr F] [--rows] [--lean] | --write FAMILY SEED FILE\n");
			return 2;
		}
	}
	if (!c)
		return 1;
	printf("| family | process | pairs | any verdict [Wilson 95%%] | primary alone | "
	       "power 1.25x | 1.5x | 2x | 3x | se / true sd of B-A: lowest (row) - highest |\n"
	       "|---|---|---|---|---|---|---|---|---|---|\n");
	fflush(stdout);
	for (size_t k = 0; k < NFAM; k++) {
		struct acc *a;

		if (only && strcmp(only, fams[k].name))
			continue;
		a = calloc(1, sizeof(*a));
		if (!a)
			return 1;
		for (int t = 0; t < pairs && !rc; t++)
			rc = trial(&fams[k], (int)k, t, 0, a, c) ? 1 : 0;
		for (int t = 0; t < ppairs && !rc; t++)
			for (size_t m = 0; m < NMULT && !rc; m++)
				rc = trial(&fams[k], (int)k, t, mults[m], a, c) ? 1 : 0;
		if (rc) {
			free(a);
			break;
		}
		report(&fams[k], a, rows, ppairs);
		fflush(stdout);
		if (max_fpr >= 0 && a->pairs && (double)a->any / a->pairs > max_fpr) {
			fprintf(stderr, "calibrate: %s: %d of %d pairs with a verdict, above %.0f%%\n",
				fams[k].name, a->any, a->pairs, 100 * max_fpr);
			rc = 1;
		}
		free(a);
	}
	free(c);
	return rc;
}
