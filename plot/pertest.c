// SPDX-License-Identifier: GPL-2.0
#include "pertest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Acklam's rational approximation, |error| < 1.2e-9 */
double pt_qnorm(double p)
{
	static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
				   -2.759285104469687e+02, 1.383577518672690e+02,
				   -3.066479806614716e+01, 2.506628277459239e+00};
	static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
				   -1.556989798598866e+02, 6.680131188771972e+01,
				   -1.328068155288572e+01};
	static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
				   -2.400758277161838e+00, -2.549732539343734e+00,
				   4.374664141464968e+00,  2.938163982698783e+00};
	static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
				   2.445134137142996e+00, 3.754408661907416e+00};
	double q, r;

	if (p <= 0)
		return -INFINITY;
	if (p >= 1)
		return INFINITY;
	if (p < 0.02425) {
		q = sqrt(-2 * log(p));
		return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		       ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	}
	if (p > 1 - 0.02425)
		return -pt_qnorm(1 - p);
	q = p - 0.5;
	r = q * q;
	return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
	       (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

static int by_name(const void *x, const void *y)
{
	return strcmp(((const struct pt_input *)x)->name, ((const struct pt_input *)y)->name);
}

static int by_y(const void *x, const void *y)
{
	const struct pt_row *a = x, *b = y;

	if (a->y != b->y)
		return a->y > b->y ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* two-sided sign-flip p of sum(x - d) over the 2^k sign patterns */
static double flip_p(const double *x, int k, double d)
{
	double s0 = 0;
	int n = 0;

	for (int b = 0; b < k; b++)
		s0 += x[b] - d;
	for (unsigned e = 0; e < 1u << k; e++) {
		double s = 0;

		for (int b = 0; b < k; b++)
			s += e >> b & 1 ? -(x[b] - d) : x[b] - d;
		n += fabs(s) >= fabs(s0) - 1e-12 * (1 + fabs(s0));
	}
	return (double)n / (1u << k);
}

/* the end of the interval {d: p(d) > 0.05} between in (accepted) and out */
static double flip_bound(const double *x, int k, double in, double out)
{
	for (int i = 0; i < 60; i++) {
		double mid = (in + out) / 2;

		if (flip_p(x, k, mid) > 0.05)
			in = mid;
		else
			out = mid;
	}
	return in;
}

/*
 * The typical ratio: the tests, in the order they ran, cut into PT_BATCHES
 * batches of consecutive tests; each batch's mean of y weighted by 1 / (se^2
 * + tau^2) (a test of few fallbacks says little).  Under "same process" each
 * batch's mean is as likely negative as positive, whatever its own noise:
 * a sign-flip test over the 2^PT_BATCHES patterns, its interval by inverting
 * it.  A test leaves memory in the state the next ones start from: tests
 * close together are not independent, batches far apart nearly are.
 */
static void typical(struct pt_result *res, const double *y, const double *se2, int m)
{
	double bm[PT_BATCHES], mean = 0, lo, hi, span;
	int k = m < PT_BATCHES ? m : PT_BATCHES;

	res->batches = k;
	for (int b = 0; b < k; b++) {
		double sw = 0, swy = 0;

		for (int i = b * m / k; i < (b + 1) * m / k; i++) {
			sw += 1 / (se2[i] + res->tau2);
			swy += y[i] / (se2[i] + res->tau2);
		}
		bm[b] = swy / sw;
		mean += bm[b] / k;
	}
	res->hl = mean;
	if (m < PT_MIN_TESTS || k < PT_BATCHES)
		return;
	res->p = flip_p(bm, k, 0);
	lo = hi = bm[0];
	for (int b = 1; b < k; b++) {
		lo = fmin(lo, bm[b]);
		hi = fmax(hi, bm[b]);
	}
	span = hi - lo + 1e-9;
	/* p is 1 at the mean, at most 2/2^k past every batch mean */
	res->hl_lo = flip_bound(bm, k, mean, lo - span);
	res->hl_hi = flip_bound(bm, k, mean, hi + span);
	res->have_ci = 1;
}

/*
 * tau^2, the spread of y from run to run beyond each test's own noise, from
 * the tests with PT_BIG_BURSTS bursts or more on both sides (a small test's
 * y is pulled towards 0 by the half burst and would hide the spread):
 * DerSimonian-Laird over them; over all tests when fewer than PT_MIN_BIG are
 * big.  Tests already flagged are left out.
 */
static double between(const struct pt_result *res, const double *y, const double *se2, int m)
{
	double *v = malloc(sizeof(*v) * (size_t)m), *e = malloc(sizeof(*e) * (size_t)m);
	double sw = 0, sw2 = 0, swy = 0, q = 0, t2 = 0;
	int n = 0;

	if (!v || !e) {
		free(v);
		free(e);
		return 0;
	}
	for (int k = 0; k < m; k++)
		if (!res->rows[k].flag && res->rows[k].na >= PT_BIG_BURSTS * res->phia &&
		    res->rows[k].nb >= PT_BIG_BURSTS * res->phib) {
			v[n] = y[k];
			e[n++] = se2[k];
		}
	if (n >= PT_MIN_BIG) {
		for (int k = 0; k < n; k++) {
			sw += 1 / e[k];
			sw2 += 1 / (e[k] * e[k]);
			swy += v[k] / e[k];
		}
		for (int k = 0; k < n; k++)
			q += (v[k] - swy / sw) * (v[k] - swy / sw) / e[k];
		if (sw - sw2 / sw > 0)
			t2 = (q - (n - 1)) / (sw - sw2 / sw);
	} else {
		for (int k = 0; k < m; k++) {
			sw += 1 / se2[k];
			sw2 += 1 / (se2[k] * se2[k]);
			swy += y[k] / se2[k];
		}
		for (int k = 0; k < m; k++)
			q += (y[k] - swy / sw) * (y[k] - swy / sw) / se2[k];
		if (m > 1 && sw - sw2 / sw > 0)
			t2 = (q - (m - 1)) / (sw - sw2 / sw);
	}
	free(v);
	free(e);
	return t2 > 0 ? t2 : 0;
}

static int by_first(const void *x, const void *y)
{
	const struct pt_row *a = x, *b = y;

	return a->first < b->first ? -1 : a->first > b->first;
}

int pt_compare(const struct pt_input *a, int na, double phia, const struct pt_input *b, int nb,
	       double phib, struct pt_result *res)
{
	struct pt_input *sa = malloc(sizeof(*sa) * (size_t)(na + 1));
	struct pt_input *sb = malloc(sizeof(*sb) * (size_t)(nb + 1));
	double *y = NULL, *se2 = NULL;
	int i = 0, j = 0, m = 0, rc = -1;

	memset(res, 0, sizeof(*res));
	res->phia = phia > 1 ? phia : 1;
	res->phib = phib > 1 ? phib : 1;
	res->verdict = 2;
	res->rows = malloc(sizeof(*res->rows) * (size_t)(na < nb ? na + 1 : nb + 1));
	if (!sa || !sb || !res->rows)
		goto out;
	memcpy(sa, a, sizeof(*a) * (size_t)na);
	memcpy(sb, b, sizeof(*b) * (size_t)nb);
	qsort(sa, (size_t)na, sizeof(*sa), by_name);
	qsort(sb, (size_t)nb, sizeof(*sb), by_name);
	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : strcmp(sa[i].name, sb[j].name);

		if (c < 0) {
			res->only_a++;
			i++;
		} else if (c > 0) {
			res->only_b++;
			j++;
		} else {
			struct pt_row *r = &res->rows[m];

			res->both++;
			if (sa[i].dur > 0 && sb[j].dur > 0 && sa[i].n + sb[j].n > 0) {
				*r = (struct pt_row){sa[i].name, sa[i].n,    sb[j].n, sa[i].dur,
						     sb[j].dur,	 0,	     0,	      0,
						     0,		 sa[i].first};
				m++;
			}
			i++;
			j++;
		}
	}
	res->m = m;
	if (!m) {
		rc = 0;
		goto out;
	}
	y = malloc(sizeof(*y) * (size_t)m);
	se2 = malloc(sizeof(*se2) * (size_t)m);
	if (!y || !se2)
		goto out;
	/* the order the tests ran in (A's) */
	qsort(res->rows, (size_t)m, sizeof(*res->rows), by_first);
	for (int k = 0; k < m; k++) {
		struct pt_row *r = &res->rows[k];
		double half = (res->phia + res->phib) / 4;
		double ea = r->na + half, eb = r->nb + half;

		/* half a burst (of the two runs' mean size, the same on both sides: a
		 * shift of every test otherwise) added: a test without fallbacks is not 0 */
		r->y = y[k] = log(eb / r->db) - log(ea / r->da);
		/* one dispersion for both sides: swapping A and B in a batch of tests
		 * then only flips the sign of its y (the sign-flip test below) */
		se2[k] = 2 * half / ea + 2 * half / eb;
	}
	/* the tests flagged are left out of tau^2 and the rest looked at again,
	 * until no more are: tests that changed must not hide each other */
	res->z = pt_qnorm(1 - 0.025 / m);
	for (int changed = 1, round = 0; changed && round < 8; round++) {
		res->tau2 = between(res, y, se2, m);
		changed = 0;
		for (int k = 0; k < m; k++) {
			struct pt_row *r = &res->rows[k];
			double h = res->z * sqrt(se2[k] + res->tau2);

			r->lo = r->y - h;
			r->hi = r->y + h;
			if (!r->flag && (r->lo > 0 || r->hi < 0)) {
				r->flag = r->lo > 0 ? 1 : -1;
				changed = 1;
			}
		}
	}
	for (int k = 0; k < m; k++) {
		res->nmore += res->rows[k].flag > 0;
		res->nless += res->rows[k].flag < 0;
	}
	typical(res, y, se2, m);
	if (res->have_ci)
		res->verdict = res->hl_lo > 0 ? 1 : res->hl_hi < 0 ? -1 : 0;
	qsort(res->rows, (size_t)m, sizeof(*res->rows), by_y);
	rc = 0;
out:
	free(sa);
	free(sb);
	free(y);
	free(se2);
	if (rc)
		pt_free(res);
	return rc;
}

void pt_free(struct pt_result *res)
{
	free(res->rows);
	res->rows = NULL;
}

int pt_inputs(const struct po_origin *o, struct pt_input *out, int max)
{
	int n = 0;

	for (int i = 0; o && i < o->nnames && n < max; i++)
		if (o->names[i].kind == PO_TEST)
			out[n++] = (struct pt_input){o->names[i].name, (double)o->names[i].n,
						     o->names[i].dur, o->names[i].first};
	return n;
}
