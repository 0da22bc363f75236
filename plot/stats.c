// SPDX-License-Identifier: GPL-2.0
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Student's t (no GPL-2.0 library in Debian has it: GSL is GPL-3) ---- */

/* the continued fraction of the regularised incomplete beta (modified Lentz) */
static double betacf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double c = 1, d = 1 - (a + b) * x / (a + 1), h;

	d = 1 / (fabs(d) < tiny ? tiny : d);
	h = d;
	for (int m = 1; m <= 300; m++) {
		double m2 = 2.0 * m, aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2)), del;

		d = 1 + aa * d;
		d = 1 / (fabs(d) < tiny ? tiny : d);
		c = 1 + aa / c;
		c = fabs(c) < tiny ? tiny : c;
		h *= d * c;
		aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
		d = 1 + aa * d;
		d = 1 / (fabs(d) < tiny ? tiny : d);
		c = 1 + aa / c;
		c = fabs(c) < tiny ? tiny : c;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < 1e-12)
			break;
	}
	return h;
}

/* I_x(a, b) */
static double betai(double a, double b, double x)
{
	double lb;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	lb = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
	if (x < (a + 1) / (a + b + 2))
		return exp(lb) * betacf(a, b, x) / a;
	return 1 - exp(lb) * betacf(b, a, 1 - x) / b;
}

double pm_t_cdf(double t, double df)
{
	double tail;

	if (!(df > 0) || isnan(t))
		return NAN;
	if (isinf(t))
		return t > 0 ? 1 : 0;
	tail = 0.5 * betai(df / 2, 0.5, df / (df + t * t));
	return t > 0 ? 1 - tail : tail;
}

double pm_t_quantile(double p, double df)
{
	double lo = -1, hi = 1;

	if (!(p > 0 && p < 1) || !(df > 0))
		return NAN;
	while (pm_t_cdf(lo, df) > p)
		lo *= 2;
	while (pm_t_cdf(hi, df) < p)
		hi *= 2;
	for (int i = 0; i < 200 && hi - lo > 1e-10 * (1 + fabs(lo)); i++) {
		double mid = (lo + hi) / 2;

		if (pm_t_cdf(mid, df) < p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
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
	/* the spectral density at 0 is at least the lag-0 variance's share for a
	 * series whose autocorrelations are not positive overall: a flat-top
	 * estimate near 0 (negative correlations at a lag or two: a ratio's
	 * residuals, white noise by chance) made b explode to n/3; short blocks
	 * over-, never under-state the variance of such a series */
	if (d0 < acov[0])
		d0 = acov[0];
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

static int target_bins = PM_TARGET_BINS;

void pm_stats_set_bins(int bins)
{
	target_bins = bins > 0 ? bins : PM_TARGET_BINS;
}

struct series {
	int T;		 /* bins */
	double w;	 /* bin width, s */
	double duration; /* s */
	double *x;	 /* T x CH_N channel sums per bin */
	double total[CH_N];
};

static void series_free(struct series *s)
{
	free(s->x);
	s->x = NULL;
}

/* r cut into about target_bins bins to the end of the run (quiet bins after
 * the last event count too), none shorter than the snapshot interval */
static int series_make(struct series *s, const struct pm_run *r)
{
	double dur = pm_run_duration(r), span = r->nbins;
	int f = 1; /* fine bins per analysis bin */

	memset(s, 0, sizeof(*s));
	s->duration = dur;
	if (dur > 0 && dur / r->bw > span && dur / r->bw < 1e9)
		span = ceil(dur / r->bw);
	while (span / f > target_bins ||
	       (r->snap_interval > 0 && r->bw * f < r->snap_interval && span / f > 3))
		f *= 2;
	s->w = r->bw * f;
	s->T = (int)ceil(span / f);
	if (s->T < 1)
		s->T = 1;
	s->x = malloc(sizeof(double) * (size_t)s->T * CH_N);
	if (!s->x)
		return -1;
	for (int t = 0; t < s->T; t++) {
		double *c = s->x + (size_t)t * CH_N;

		pm_run_channels(r, t * f, (t + 1) * f, c);
		for (int k = 0; k < CH_N; k++)
			s->total[k] += c[k];
	}
	return 0;
}

/* a side: its runs cut into series */
struct sidedata {
	int n;
	struct series s[PM_MAX_REPEATS];
	double duration; /* all runs */
};

static void sidedata_free(struct sidedata *b)
{
	for (int i = 0; i < b->n; i++)
		series_free(&b->s[i]);
	b->n = 0;
}

static int sidedata_make(const struct pm_side *side, struct sidedata *b)
{
	memset(b, 0, sizeof(*b));
	for (int i = 0; i < side->n; i++) {
		if (series_make(&b->s[i], side->run[i])) {
			sidedata_free(b);
			return -1;
		}
		b->duration += b->s[i].duration;
		b->n++;
	}
	return 0;
}

void pm_row_bounds(const struct pm_mrow *m, double *lo, double *hi)
{
	*lo = 0;
	*hi = INFINITY;
	if (m->type == PM_RATIO && m->scale == 100)
		*hi = 100; /* shares */
	else if (m->type == PM_RATIO && m->scale == 0.001)
		*hi = 1; /* indices x1000, shown as 0..1 */
}

/* numerator and denominator of a row in one bin (a rate: seconds) */
static void nd(const struct pm_mrow *m, const double *ch, double secs, double *num, double *den)
{
	*num = ch[m->num] * m->scale;
	*den = m->type == PM_RATIO ? ch[m->den] : secs;
}

/*
 * The value of a row for one side and its standard error: pooled sums; the
 * units are the runs (two or more) or batches of one run's bins.
 */
static void side_row(const struct pm_side *side, const struct sidedata *b, const struct pm_mrow *m,
		     struct pm_est *e)
{
	double N = 0, D = 0, R, var = 0, lo, hi;
	int applies = 0;

	memset(e, 0, sizeof(*e));
	for (int i = 0; i < side->n; i++)
		applies |= pm_row_applies(m, side->run[i]);
	if (!applies) {
		e->why = PM_W_NONE;
		return;
	}
	if (m->type == PM_INFO) {
		/* counts add up over the runs of a side */
		for (int i = 0; i < side->n; i++) {
			struct pm_val x = pm_value(m, side->run[i], NULL);

			if (x.valid) {
				e->v.v += x.v;
				e->v.valid = 1;
			}
		}
		return;
	}
	for (int i = 0; i < b->n; i++) {
		double n1, d1;

		nd(m, b->s[i].total, b->s[i].duration, &n1, &d1);
		N += n1;
		D += d1;
	}
	if (!(D > 0)) {
		e->why = PM_W_NONE;
		return;
	}
	R = N / D;
	e->num = N / m->scale;
	e->den = D;
	e->v.v = R;
	e->v.valid = isfinite(R);
	if (m->type == PM_RATIO && D < (m->min_den > 0 ? m->min_den : 1)) {
		e->why = m->scale == 100 ? PM_W_FEW : PM_W_FEWVAL;
		return;
	}
	if (b->n >= 2) {
		/* runs as the units: e_i = N_i - R D_i */
		for (int i = 0; i < b->n; i++) {
			double n1, d1;

			nd(m, b->s[i].total, b->s[i].duration, &n1, &d1);
			var += (n1 - R * d1) * (n1 - R * d1);
		}
		var *= (double)b->n / (b->n - 1);
		e->df = b->n - 1;
		e->units = b->n;
	} else {
		const struct series *s = &b->s[0];
		double *res, sum2 = 0, sumx = 0, sumx2 = 0;
		int T = s->T, L, k;

		if (T < 4) {
			e->why = PM_W_SHORT;
			return;
		}
		res = malloc(sizeof(double) * (size_t)T);
		if (!res) {
			e->why = PM_W_SHORT;
			return;
		}
		for (int t = 0; t < T; t++) {
			double n1, d1;

			nd(m, s->x + (size_t)t * CH_N, s->duration / T, &n1, &d1);
			res[t] = n1 - R * d1;
		}
		L = pm_block_length(res, T);
		k = T / (PM_BATCH_BLOCKS * L);
		if (k > PM_BATCH_MAX)
			k = PM_BATCH_MAX;
		e->block = L;
		e->units = k;
		if (k >= 2) {
			for (int j = 0; j < k; j++) {
				int t0 = (int)((long)j * T / k), t1 = (int)((long)(j + 1) * T / k);
				double E = 0, X = 0;

				for (int t = t0; t < t1; t++) {
					E += res[t];
					X += s->x[(size_t)t * CH_N + m->num];
				}
				sum2 += E * E;
				sumx += X;
				sumx2 += X * X;
			}
		}
		free(res);
		/* too few independent periods, or the numerator in about one or two
		 * batches (a run that is one burst): no interval from this run */
		if (k < PM_BATCH_MIN || (sumx2 > 0 && sumx * sumx / sumx2 < 3)) {
			e->why = PM_W_NEEDREP;
			return;
		}
		var = sum2 * k / (k - 1);
		e->df = k - 1;
	}
	e->se = sqrt(var) / D;
	if (!isfinite(e->se)) {
		e->why = PM_W_SHORT;
		return;
	}
	pm_row_bounds(m, &lo, &hi);
	{
		double q = pm_t_quantile(1 - PM_ALPHA / 2, e->df);

		e->lo = fmax(lo, R - q * e->se);
		e->hi = fmin(hi, R + q * e->se);
	}
	e->have_ci = 1;
}

static void fill_info(struct pm_boot_info *in, const struct sidedata *b)
{
	in->runs = b->n;
	in->bins = b->n ? b->s[0].T : 0;
	in->bin_s = b->n ? b->s[0].w : 0;
}

int pm_estimate(const struct pm_side *s, const struct pm_mrow *rows, int nrows, struct pm_est *est,
		struct pm_boot_info *info)
{
	struct sidedata b;

	if (sidedata_make(s, &b))
		return -1;
	for (int k = 0; k < nrows; k++)
		side_row(s, &b, &rows[k], &est[k]);
	if (info)
		fill_info(info, &b);
	sidedata_free(&b);
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
	case PM_V_NEEDREP:
		return "needs repeats";
	case PM_V_UNTESTED:
		return "untested";
	default:
		return "n/a";
	}
}

const char *pm_why_text(enum pm_why w)
{
	switch (w) {
	case PM_W_NONE:
		return "nothing to measure";
	case PM_W_FEW:
		return "too few to be a rate";
	case PM_W_FEWVAL:
		return "too few values for an interval";
	case PM_W_SHORT:
		return "run too short for an interval";
	case PM_W_NEEDREP:
		return "one run: needs repeats";
	case PM_W_EMPTY:
		return "none in either run";
	default:
		return "";
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

/* B - A of row k: Welch's t; 0 when there is a test */
static int diff_row(struct pm_compare *out, int k)
{
	const struct pm_est *a = &out->a[k], *b = &out->b[k];
	struct pm_diff *d = &out->d[k];
	const struct pm_mrow *m = &out->rows[k];
	double va, vb;

	/* a share of too few on either side is not a rate to subtract */
	d->valid = a->v.valid && b->v.valid && a->why != PM_W_FEW && b->why != PM_W_FEW;
	d->d = d->valid ? b->v.v - a->v.v : 0;
	d->verdict = PM_V_NA;
	/* nothing of it in either run: nothing to compare */
	d->empty = d->valid && a->v.v == 0 && b->v.v == 0 && (m->type == PM_RATE || m->min_den > 0);
	if (d->empty) {
		d->why = PM_W_EMPTY;
		return -1;
	}
	if (!d->valid) {
		d->why = a->v.valid && a->why != PM_W_FEW ? b->why : a->why;
		return -1;
	}
	if (!a->have_ci || !b->have_ci) {
		d->why = a->have_ci ? b->why : a->why;
		if (d->why == PM_W_NEEDREP)
			d->verdict = PM_V_NEEDREP;
		return -1;
	}
	va = a->se * a->se;
	vb = b->se * b->se;
	d->se = sqrt(va + vb);
	if (!(d->se > 0)) {
		/* no spread on either side (a constant): no test */
		d->why = PM_W_EMPTY;
		if (d->d == 0)
			return -1;
		d->why = PM_W_NEEDREP;
		d->verdict = PM_V_NEEDREP;
		return -1;
	}
	d->df = (va + vb) * (va + vb) /
		((va > 0 ? va * va / a->df : 0) + (vb > 0 ? vb * vb / b->df : 0));
	d->p = 2 * (1 - pm_t_cdf(fabs(d->d) / d->se, d->df));
	return 0;
}

/* the interval at level alpha and the verdict it gives */
static void decide(struct pm_compare *out, int k, double alpha, int tested)
{
	struct pm_diff *d = &out->d[k];
	const struct pm_mrow *m = &out->rows[k];
	double q = pm_t_quantile(1 - alpha / 2, d->df), lo, hi;

	pm_row_bounds(m, &lo, &hi);
	d->level = alpha;
	d->have_ci = 1;
	d->lo = fmax(lo - hi, d->d - q * d->se);
	d->hi = fmin(hi - lo, d->d + q * d->se);
	if (d->lo <= 0 && d->hi >= 0)
		d->verdict = PM_V_SAME;
	else if (!tested)
		d->verdict = PM_V_UNTESTED;
	else if (m->better == PM_NEUTRAL)
		d->verdict = d->d > 0 ? PM_V_HIGHER : PM_V_LOWER;
	else
		d->verdict = (d->d > 0) == (m->better == PM_HIGHER) ? PM_V_BETTER : PM_V_WORSE;
}

/* the primary question: fallbacks per GiB allocated where both sides can say, else per second */
static int pick_primary(const struct pm_compare *out)
{
	int g = pm_row_find(out->rows, out->nrows, "extfrag_per_gib");

	if (g >= 0 && out->a[g].v.valid && out->b[g].v.valid)
		return g;
	return pm_row_find(out->rows, out->nrows, "extfrag_per_s");
}

/* idx[0..n) sorted by the rows' p-values (insertion: a few dozen rows) */
static void sort_by_p(int *idx, int n, const struct pm_diff *d)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && d[idx[j]].p < d[idx[j - 1]].p; j--) {
			int t = idx[j];

			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
}

/* what the primary row could have seen: 80% power, two-sided 5% */
static void power_of(struct pm_compare *out, const struct pm_side *a, const struct pm_side *b)
{
	int k = out->primary;
	const struct pm_est *ea, *eb;
	double va, vb, ra, za = 1.959964, zb = 0.841621, need, len;

	if (k < 0 || !out->d[k].have_ci)
		return;
	ea = &out->a[k];
	eb = &out->b[k];
	ra = ea->v.v;
	out->power.have = 1;
	out->power.mdc =
	    (pm_t_quantile(0.975, out->d[k].df) + pm_t_quantile(0.8, out->d[k].df)) * out->d[k].se;
	out->power.mdc_rel = ra > 0 ? out->power.mdc / ra : NAN;
	/* variance per run-second, as if it fell as 1 / (runs x length) */
	va = ea->se * ea->se * a->n * side_duration(a);
	vb = eb->se * eb->se * b->n * side_duration(b);
	len = (side_duration(a) + side_duration(b)) / 2;
	if (!(ra > 0) || !(len > 0))
		return;
	need = (za + zb) * (za + zb) * (va + vb) / (0.25 * ra * ra); /* run-seconds per side */
	out->power.s_for_15 = need;
	/* runs of this length, the spread between them as the units (t, n - 1 each) */
	for (int n = 2; n <= 1000; n++) {
		double df = 2.0 * (n - 1);
		double q = pm_t_quantile(0.975, df) + pm_t_quantile(0.8, df);

		if (q * q * (va + vb) / (n * len) <= 0.25 * ra * ra) {
			out->power.runs_for_15 = n;
			break;
		}
	}
}

int pm_compare(const struct pm_side *a, const struct pm_side *b, struct pm_compare *out)
{
	struct sidedata ba, bb;
	struct pm_run *runs[2 * PM_MAX_REPEATS];
	int nr = 0, idx[PM_MAX_ROWS], m = 0, p;

	memset(out, 0, sizeof(*out));
	for (int i = 0; i < a->n; i++)
		runs[nr++] = a->run[i];
	for (int i = 0; i < b->n; i++)
		runs[nr++] = b->run[i];
	out->nrows = pm_rows(runs, nr, 1, out->rows, PM_MAX_ROWS);
	out->repeats = a->n >= 2 && b->n >= 2;
	if (sidedata_make(a, &ba))
		return -1;
	if (sidedata_make(b, &bb)) {
		sidedata_free(&ba);
		return -1;
	}
	fill_info(&out->ia, &ba);
	fill_info(&out->ib, &bb);
	for (int k = 0; k < out->nrows; k++) {
		side_row(a, &ba, &out->rows[k], &out->a[k]);
		side_row(b, &bb, &out->rows[k], &out->b[k]);
	}
	sidedata_free(&ba);
	sidedata_free(&bb);
	p = out->primary = pick_primary(out);
	/* no extfrag traced on either side (mode compaction or snapshot): no primary
	 * question, the rows are one Holm family at 5% */
	out->gate_open = p < 0;
	/* the primary at its own 5% */
	if (p >= 0 && !diff_row(out, p)) {
		decide(out, p, PM_ALPHA, 1);
		out->gate_open = out->d[p].verdict != PM_V_SAME;
	}
	/* the secondaries: Holm among them, tested only through the open gate */
	for (int k = 0; k < out->nrows; k++)
		if (k != p && !diff_row(out, k))
			idx[m++] = k;
	out->nsec = m;
	sort_by_p(idx, m, out->d);
	{
		int stop = m; /* the first row Holm does not reject */

		for (int i = 0; i < m && stop == m; i++)
			if (!out->gate_open || out->d[idx[i]].p > PM_ALPHA / (m - i))
				stop = i;
		/* rejected rows at their own step's level; the rest at the level where Holm
		 * stopped: each interval excludes 0 exactly when its row is called */
		for (int i = 0; i < m; i++)
			decide(out, idx[i], PM_ALPHA / (m - (i < stop ? i : stop)), i < stop);
	}
	power_of(out, a, b);
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
	return 0;
}
