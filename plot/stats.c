// SPDX-License-Identifier: GPL-2.0
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a small, fixed-seed generator (xoshiro256**) ---- */

struct rng {
	uint64_t s[4];
};

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *g)
{
	uint64_t r = rotl(g->s[1] * 5, 7) * 9, t = g->s[1] << 17;

	g->s[2] ^= g->s[0];
	g->s[3] ^= g->s[1];
	g->s[1] ^= g->s[2];
	g->s[0] ^= g->s[3];
	g->s[2] ^= t;
	g->s[3] = rotl(g->s[3], 45);
	return r;
}

static void rng_seed(struct rng *g, uint64_t seed)
{
	/* splitmix64 fills the state */
	for (int i = 0; i < 4; i++) {
		uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		g->s[i] = z ^ (z >> 31);
	}
}

static int rng_below(struct rng *g, int n)
{
	return (int)((rng_next(g) >> 11) % (uint64_t)n);
}

/* ---- Politis-White (2004, corrected by Patton, Politis, White 2009) ---- */

static double lambda(double t)
{
	t = fabs(t);
	return t <= 0.5 ? 1 : t <= 1 ? 2 * (1 - t) : 0;
}

int pm_block_length(const double *x, int n)
{
	double mean = 0, var = 0, *acov, c, g = 0, d0 = 0, b;
	int kn, mmax, m = -1, M, maxlag;

	if (n < 6)
		return 1;
	for (int i = 0; i < n; i++)
		mean += x[i];
	mean /= n;
	for (int i = 0; i < n; i++)
		var += (x[i] - mean) * (x[i] - mean);
	if (var <= 0)
		return 1; /* a constant: any block does */
	kn = (int)ceil(sqrt(log10(n)));
	if (kn < 5)
		kn = 5;
	mmax = (int)ceil(sqrt(n)) + kn;
	if (mmax > n - 1)
		mmax = n - 1;
	/* the lags looked at: up to mmax + kn */
	maxlag = mmax + kn < n ? mmax + kn : n - 1;
	acov = calloc((size_t)maxlag + 1, sizeof(*acov));
	if (!acov)
		return 1;
	for (int k = 0; k <= maxlag; k++) {
		for (int i = 0; i + k < n; i++)
			acov[k] += (x[i] - mean) * (x[i + k] - mean);
		acov[k] /= n;
	}
	c = 2 * sqrt(log10(n) / n);
	/* the smallest m after which K_N autocorrelations in a row are insignificant */
	for (int cand = 0; cand <= mmax && m < 0; cand++) {
		int ok = 1;

		for (int k = 1; k <= kn && ok; k++)
			if (cand + k <= maxlag && fabs(acov[cand + k] / acov[0]) >= c)
				ok = 0;
		if (ok)
			m = cand;
	}
	if (m < 0)
		m = mmax;
	M = 2 * m > mmax ? mmax : 2 * m;
	for (int k = -M; k <= M; k++) {
		double l = M ? lambda((double)k / M) : (k == 0);

		g += l * abs(k) * acov[abs(k)];
		d0 += l * acov[abs(k)];
	}
	free(acov);
	if (g == 0 || d0 == 0)
		return 1;
	b = pow(2 * g * g / (4.0 / 3.0 * d0 * d0), 1.0 / 3.0) * pow(n, 1.0 / 3.0);
	if (!(b >= 1))
		b = 1;
	if (b > n / 3.0)
		b = n / 3.0;
	return (int)ceil(b) > 0 ? (int)ceil(b) : 1;
}

/* ---- one run cut into analysis bins ---- */

struct series {
	const struct pm_run *r;
	int T;		 /* bins */
	int L[2];	 /* block length of each channel group (events, snapshots) */
	double w;	 /* bin width, s */
	double duration; /* s */
	/* the channels kept (those the rows are made of): group 0's, then group 1's */
	int ch[CH_N], nch, ngrp0;
	double *pre; /* prefix sums over the doubled series: (2T + 1) x nch */
	double total[CH_N];
};

static void series_free(struct series *s)
{
	free(s->pre);
	s->pre = NULL;
}

/*
 * Two groups of channels, each resampled with its own block length: the events
 * (bursts of seconds) and what the snapshots say (states that move slowly).
 * One length for both would be the states' for the events too: intervals of
 * event rates wider than their own time structure calls for.  The groups are
 * drawn independently; a row never mixes them but extfrag per GiB allocated,
 * whose interval is then, if anything, wider.
 */
static int group_of(int ch)
{
	switch (ch) {
	case CH_VM_STALL:
	case CH_VM_FAIL:
	case CH_VM_SUCC:
	case CH_ALLOC_GIB:
	case CH_NSNAP:
	case CH_FREE_TOT:
	case CH_FREE_HIGH:
	case CH_PB_TOT:
	case CH_PB_UNMOV:
	case CH_PB_RECL:
	case CH_ZN:
	case CH_FREEBLK_HO:
	case CH_FI_HO_SUM:
	case CH_FI_HO_N:
	case CH_US_HO_SUM:
	case CH_US_HO_N:
	case CH_US_O3_SUM:
	case CH_US_O3_N:
		return 1;
	default:
		return 0;
	}
}

/* the channels whose time structure sets the block length of their group */
static const int drivers[] = {CH_EF,	    CH_CRUNS,	   CH_MIG_OK,	CH_VM_STALL,
			      CH_US_HO_SUM, CH_FREEBLK_HO, CH_PB_UNMOV, CH_FREE_HIGH};

#define NDRIVERS (sizeof(drivers) / sizeof(drivers[0]))

static int target_bins = PM_TARGET_BINS;

void pm_stats_set_bins(int bins)
{
	target_bins = bins > 0 ? bins : PM_TARGET_BINS;
}

/* run r cut into analysis bins, prefix sums of channels ch[0..nch) (group 0
 * first, ngrp0 of them) */
static int series_make(struct series *s, const struct pm_run *r, const int *ch, int nch, int ngrp0)
{
	double dur = pm_run_duration(r), *x, span;
	int f = 1; /* fine bins per analysis bin */

	memset(s, 0, sizeof(*s));
	s->r = r;
	s->duration = dur;
	memcpy(s->ch, ch, sizeof(*ch) * (size_t)nch);
	s->nch = nch;
	s->ngrp0 = ngrp0;
	/* about PM_TARGET_BINS bins to the end of the run (quiet bins after the last
	 * event count too), none shorter than the snapshot interval */
	span = r->nbins;
	if (dur > 0 && dur / r->bw > span && dur / r->bw < 1e9)
		span = ceil(dur / r->bw);
	while (span / f > target_bins ||
	       (r->snap_interval > 0 && r->bw * f < r->snap_interval && span / f > 3))
		f *= 2;
	s->w = r->bw * f;
	s->T = (int)ceil(span / f);
	if (s->T < 1)
		s->T = 1;
	s->pre = calloc((size_t)(2 * s->T + 1) * (size_t)(nch ? nch : 1), sizeof(double));
	x = calloc((size_t)s->T * NDRIVERS, sizeof(double));
	if (!s->pre || !x) {
		free(x);
		series_free(s);
		return -1;
	}
	for (int t = 0; t < s->T; t++) {
		double c[CH_N];
		double *row = s->pre + (size_t)(t + 1) * nch, *prev = s->pre + (size_t)t * nch;

		pm_run_channels(r, t * f, (t + 1) * f, c);
		for (int u = 0; u < nch; u++)
			row[u] = prev[u] + c[ch[u]];
		for (int k = 0; k < CH_N; k++)
			s->total[k] += c[k];
		for (size_t k = 0; k < NDRIVERS; k++)
			x[k * (size_t)s->T + (size_t)t] = c[drivers[k]];
	}
	/* the second lap, for blocks that wrap around the end */
	for (int t = s->T; t < 2 * s->T; t++) {
		double *row = s->pre + (size_t)(t + 1) * nch;
		const double *same = s->pre + (size_t)(t + 1 - s->T) * nch;
		const double *last = s->pre + (size_t)s->T * nch;

		for (int u = 0; u < nch; u++)
			row[u] = last[u] + same[u];
	}
	s->L[0] = s->L[1] = 1;
	for (size_t k = 0; k < NDRIVERS; k++) {
		int L = pm_block_length(x + k * (size_t)s->T, s->T), grp = group_of(drivers[k]);

		if (L > s->L[grp])
			s->L[grp] = L;
	}
	free(x);
	return 0;
}

/* add one circular block-bootstrap replicate of s's channel group grp to ch */
static void resample(const struct series *s, int grp, struct rng *g, double *ch)
{
	int left = s->T, L = s->L[grp], from = grp ? s->ngrp0 : 0;
	int to = grp ? s->nch : s->ngrp0;

	while (left > 0 && to > from) {
		int len = left < L ? left : L, start = rng_below(g, s->T);
		const double *hi = s->pre + (size_t)(start + len) * s->nch;
		const double *lo = s->pre + (size_t)start * s->nch;

		for (int u = from; u < to; u++)
			ch[s->ch[u]] += hi[u] - lo[u];
		left -= len;
	}
}

/* a side: its runs cut into series */
struct sideboot {
	int n;
	struct series s[PM_MAX_REPEATS];
	double *rep; /* reps x nrows values */
};

static void sideboot_free(struct sideboot *b)
{
	for (int i = 0; i < b->n; i++)
		series_free(&b->s[i]);
	free(b->rep);
	b->rep = NULL;
	b->n = 0;
}

/* R replicates of every row for one side */
static int side_boot(const struct pm_side *side, const struct pm_mrow *rows, int nrows, int reps,
		     uint64_t seed, struct sideboot *b)
{
	struct rng g;
	char seen[CH_N] = {0};
	int used[CH_N], nu = 0, ngrp0 = 0;

	memset(b, 0, sizeof(*b));
	/* only the channels the rows are made of, the events' group first */
	for (int k = 0; k < nrows; k++)
		if (rows[k].type != PM_INFO) {
			seen[rows[k].num] = 1;
			if (rows[k].type == PM_RATIO)
				seen[rows[k].den] = 1;
		}
	for (int grp = 0; grp < 2; grp++)
		for (int c = 0; c < CH_N; c++)
			if (seen[c] && group_of(c) == grp) {
				used[nu++] = c;
				ngrp0 += !grp;
			}
	for (int i = 0; i < side->n; i++) {
		if (series_make(&b->s[i], side->run[i], used, nu, ngrp0)) {
			sideboot_free(b);
			return -1;
		}
		b->n++;
	}
	b->rep = malloc(sizeof(double) * (size_t)reps * (size_t)(nrows ? nrows : 1));
	if (!b->rep) {
		sideboot_free(b);
		return -1;
	}
	rng_seed(&g, seed);
	for (int r = 0; r < reps; r++) {
		double ch[CH_N] = {0}, dur = 0;
		int pick[PM_MAX_REPEATS];

		/* stage 1 (several runs): which runs this replicate is made of */
		for (int i = 0; i < b->n; i++)
			pick[i] = b->n > 1 ? rng_below(&g, b->n) : 0;
		for (int i = 0; i < b->n; i++) {
			for (int grp = 0; grp < 2; grp++)
				resample(&b->s[pick[i]], grp, &g, ch);
			dur += b->s[pick[i]].duration;
		}
		for (int k = 0; k < nrows; k++)
			b->rep[(size_t)r * nrows + k] =
			    rows[k].type == PM_INFO ? NAN : pm_value_of_sums(&rows[k], ch, dur);
	}
	return 0;
}

/* the k-th smallest of a[0..n) (quickselect; a is reordered): two percentiles
 * of 2000 replicates per row need no full sort */
static double kth(double *a, int n, int k)
{
	int lo = 0, hi = n - 1;

	while (lo < hi) {
		double pivot = a[lo + (hi - lo) / 2];
		int i = lo, j = hi;

		while (i <= j) {
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i <= j) {
				double t = a[i];

				a[i++] = a[j];
				a[j--] = t;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	return a[k];
}

/* the side's value of a row: pooled sums of its runs */
static struct pm_val side_value(const struct pm_side *side, const struct sideboot *b,
				const struct pm_mrow *m)
{
	struct pm_val v = {0, 0};
	double ch[CH_N] = {0}, dur = 0;
	int applies = 0;

	for (int i = 0; i < side->n; i++)
		applies |= pm_row_applies(m, side->run[i]);
	if (!applies)
		return v;
	if (m->type == PM_INFO) {
		/* counts add up over the runs of a side */
		double sum = 0;
		int n = 0;

		for (int i = 0; i < side->n; i++) {
			struct pm_val x = pm_value(m, side->run[i], NULL);

			if (x.valid) {
				sum += x.v;
				n++;
			}
		}
		v.valid = n > 0;
		v.v = sum;
		return v;
	}
	for (int i = 0; i < b->n; i++) {
		for (int c = 0; c < CH_N; c++)
			ch[c] += b->s[i].total[c];
		dur += b->s[i].duration;
	}
	v.v = pm_value_of_sums(m, ch, dur);
	v.valid = isfinite(v.v);
	return v;
}

/* enough data for an interval: bins to resample, and the denominator */
static int ci_possible(const struct pm_side *side, const struct sideboot *b,
		       const struct pm_mrow *m)
{
	double den = 0;

	if (m->type == PM_INFO)
		return 0;
	for (int i = 0; i < b->n; i++) {
		if (b->s[i].T < 4 && b->n < 2)
			return 0;
		if (m->type == PM_RATIO)
			den += b->s[i].total[m->den];
	}
	(void)side;
	return m->type != PM_RATIO || den >= (m->min_den > 0 ? m->min_den : 1);
}

static void est_ci(struct pm_est *e, const double *rep, int nrows, int k, int reps, double *tmp)
{
	int n = 0;

	e->have_ci = 0;
	for (int r = 0; r < reps; r++) {
		double v = rep[(size_t)r * nrows + k];

		if (isfinite(v))
			tmp[n++] = v;
	}
	/* replicates where the value is undefined (no data drawn): too thin */
	if (n < reps * 0.95 || n < 20)
		return;
	e->lo = kth(tmp, n, (int)floor(0.025 * (n - 1)));
	e->hi = kth(tmp, n, (int)ceil(0.975 * (n - 1)));
	e->have_ci = 1;
}

static void fill_info(struct pm_boot_info *in, const struct sideboot *b)
{
	in->runs = b->n;
	in->bins = b->n ? b->s[0].T : 0;
	in->bin_s = b->n ? b->s[0].w : 0;
	in->block = b->n ? b->s[0].L[0] : 0;
	in->block_snap = b->n ? b->s[0].L[1] : 0;
}

int pm_estimate(const struct pm_side *s, const struct pm_mrow *rows, int nrows, int reps,
		struct pm_est *est, struct pm_boot_info *info)
{
	struct sideboot b;
	double *tmp = malloc(sizeof(double) * (size_t)(reps > 0 ? reps : 1));

	if (!tmp || side_boot(s, rows, nrows, reps, PM_BOOT_SEED, &b)) {
		free(tmp);
		return -1;
	}
	for (int k = 0; k < nrows; k++) {
		est[k].v = side_value(s, &b, &rows[k]);
		est[k].have_ci = 0;
		if (est[k].v.valid && ci_possible(s, &b, &rows[k]))
			est_ci(&est[k], b.rep, nrows, k, reps, tmp);
	}
	if (info)
		fill_info(info, &b);
	sideboot_free(&b);
	free(tmp);
	return 0;
}

const char *pm_verdict_word(enum pm_verdict v)
{
	switch (v) {
	case PM_V_SAME:
		return "~";
	case PM_V_BETTER:
		return "better";
	case PM_V_WORSE:
		return "worse";
	case PM_V_HIGHER:
		return "higher";
	case PM_V_LOWER:
		return "lower";
	default:
		return "n/a";
	}
}

static void warnf(struct pm_compare *c, const char *fmt, double x, double y, double z)
{
	if (c->nwarn < (int)(sizeof(c->warn) / sizeof(c->warn[0])))
		snprintf(c->warn[c->nwarn++], sizeof(c->warn[0]), fmt, x, y, z);
}

static double side_duration(const struct pm_side *s)
{
	double d = 0;

	for (int i = 0; i < s->n; i++)
		d += pm_run_duration(s->run[i]);
	return s->n ? d / s->n : 0;
}

int pm_compare(const struct pm_side *a, const struct pm_side *b, int reps, struct pm_compare *out)
{
	struct sideboot ba, bb;
	struct pm_run *runs[2 * PM_MAX_REPEATS];
	double *tmp, *se, *tmax;
	int nr = 0, ok[PM_MAX_ROWS], nt = 0;

	memset(out, 0, sizeof(*out));
	for (int i = 0; i < a->n; i++)
		runs[nr++] = a->run[i];
	for (int i = 0; i < b->n; i++)
		runs[nr++] = b->run[i];
	out->nrows = pm_rows(runs, nr, 1, out->rows, PM_MAX_ROWS);
	out->reps = reps;
	out->repeats = a->n >= 2 && b->n >= 2;
	if (side_boot(a, out->rows, out->nrows, reps, PM_BOOT_SEED, &ba))
		return -1;
	/* an independent stream for B: the halves of one run must not be drawn alike */
	if (side_boot(b, out->rows, out->nrows, reps, PM_BOOT_SEED ^ 0xb5ad4eceda1ce2a9ULL, &bb)) {
		sideboot_free(&ba);
		return -1;
	}
	fill_info(&out->ia, &ba);
	fill_info(&out->ib, &bb);
	tmp = malloc(sizeof(double) * (size_t)reps);
	se = calloc(PM_MAX_ROWS, sizeof(double));
	tmax = malloc(sizeof(double) * (size_t)reps);
	if (!tmp || !se || !tmax) {
		free(tmp);
		free(se);
		free(tmax);
		sideboot_free(&ba);
		sideboot_free(&bb);
		return -1;
	}
	for (int k = 0; k < out->nrows; k++) {
		const struct pm_mrow *m = &out->rows[k];
		struct pm_diff *d = &out->d[k];
		double sum = 0, sum2 = 0;
		int n = 0;

		out->a[k].v = side_value(a, &ba, m);
		out->b[k].v = side_value(b, &bb, m);
		ok[k] = 0;
		if (out->a[k].v.valid && ci_possible(a, &ba, m))
			est_ci(&out->a[k], ba.rep, out->nrows, k, reps, tmp);
		if (out->b[k].v.valid && ci_possible(b, &bb, m))
			est_ci(&out->b[k], bb.rep, out->nrows, k, reps, tmp);
		d->valid = out->a[k].v.valid && out->b[k].v.valid;
		d->d = d->valid ? out->b[k].v.v - out->a[k].v.v : 0;
		d->verdict = PM_V_NA;
		/* nothing of it in either run: nothing to compare */
		d->empty = d->valid && out->a[k].v.v == 0 && out->b[k].v.v == 0 &&
			   (m->type == PM_RATE || out->rows[k].min_den > 0);
		if (!d->valid || !out->a[k].have_ci || !out->b[k].have_ci)
			continue;
		for (int r = 0; r < reps; r++) {
			double x =
			    bb.rep[(size_t)r * out->nrows + k] - ba.rep[(size_t)r * out->nrows + k];

			if (isfinite(x)) {
				sum += x;
				sum2 += x * x;
				n++;
			}
		}
		if (n < reps * 0.95 || n < 20 || d->empty)
			continue;
		se[k] = sqrt(fmax(0, (sum2 - sum * sum / n) / (n - 1)));
		ok[k] = 1;
	}
	/* the simultaneous multiplier: max over the family of |B* - A* - d| / se */
	for (int r = 0; r < reps; r++) {
		double m = 0;

		for (int k = 0; k < out->nrows; k++) {
			double x;

			if (!ok[k] || se[k] <= 0)
				continue;
			x = bb.rep[(size_t)r * out->nrows + k] - ba.rep[(size_t)r * out->nrows + k];
			if (isfinite(x) && fabs(x - out->d[k].d) / se[k] > m)
				m = fabs(x - out->d[k].d) / se[k];
		}
		tmax[nt++] = m;
	}
	for (int k = 0; k < out->nrows; k++)
		out->nfam += ok[k] && se[k] > 0;
	out->q = out->nfam ? kth(tmax, nt, (int)ceil(0.95 * (nt - 1))) : 1.96;
	if (out->q < 1.96)
		out->q = 1.96; /* never narrower than one row's own 95% */
	for (int k = 0; k < out->nrows; k++) {
		struct pm_diff *d = &out->d[k];
		enum pm_better better = out->rows[k].better;

		if (!ok[k])
			continue;
		d->have_ci = 1;
		d->lo = d->d - out->q * se[k];
		d->hi = d->d + out->q * se[k];
		if (d->lo <= 0 && d->hi >= 0)
			d->verdict = PM_V_SAME;
		else if (better == PM_NEUTRAL)
			d->verdict = d->d > 0 ? PM_V_HIGHER : PM_V_LOWER;
		else
			d->verdict = (d->d > 0) == (better == PM_HIGHER) ? PM_V_BETTER : PM_V_WORSE;
	}
	{
		double da = side_duration(a), db = side_duration(b);

		if (da > 0 && db > 0 && fabs(da - db) > 0.1 * fmin(da, db))
			warnf(
			    out,
			    "durations differ by %.0f%% (A %.1f s, B %.1f s): rates per second are "
			    "compared, never raw counts",
			    100 * fabs(da - db) / fmin(da, db), da, db);
	}
	for (int k = 0; k < a->n + b->n; k++) {
		const struct pm_run *r = k < a->n ? a->run[k] : b->run[k - a->n];

		if ((r->truncated || !r->have_metadata) &&
		    out->nwarn < (int)(sizeof(out->warn) / sizeof(out->warn[0])))
			snprintf(
			    out->warn[out->nwarn++], sizeof(out->warn[0]),
			    "%s is incomplete (truncated, or no metadata): its rates cover the "
			    "part that was written",
			    r->label);
	}
	free(tmp);
	free(se);
	free(tmax);
	sideboot_free(&ba);
	sideboot_free(&bb);
	return 0;
}
