// SPDX-License-Identifier: GPL-2.0
/*
 * Panel 2: extfrag events per time bin, steal vs claim.  A run is drawn as
 * filled steps with solid lines, B with dashed lines.  Repeated runs of a
 * side are drawn pooled: the step line is the mean over the runs that reach
 * the bin, a band of the series' colour spans the runs' smallest to largest
 * count in it.  One spike must not flatten the rest: when the largest bin is
 * far above the 90th percentile the axis stops there and each clipped bin's
 * count is printed in a strip above the plot area, never over the data; the
 * good/bad shares of the fallbacks get a line of their own above that.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "view.h"

#define PLOT_H 300
#define MAX_DISP 600
#define NOTE_LINE 18 /* one line of fallback shares per side */
#define CLIP_LINE 15 /* one line of clipped counts per series */

/* the panel's numbers: per series (side i: 2i steal, 2i + 1 claim) and display bin */
struct ef {
	double d;			 /* display bin, s */
	int nd, nser;			 /* bins, series */
	double *mean, *lo, *hi;		 /* nser * nd */
	double ymax;			 /* top of the axis */
	int clipped, clip_rows;		 /* the axis stops below a spike; series with labels */
	int clip_row[2 * PM_MAX_RUNS];	 /* strip row of each series, -1: nothing clipped */
	uint64_t total[2 * PM_MAX_RUNS]; /* events of the series, all runs */
};

static void ef_free(struct ef *e)
{
	free(e->mean);
	free(e->lo);
	free(e->hi);
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* display bins of steal (claim = 0) or claim (1) of one run, added to out */
static void rebin(const struct pm_run *run, int claim, double d, double *out, int nd)
{
	for (int b = 0; b < run->nbins; b++) {
		const struct pm_bin *bn = pm_bin(run, b);
		uint32_t n = claim ? bn->claim : bn->steal;
		int k;

		if (!n)
			continue;
		k = (int)((b + 0.5) * run->bw / d);
		if (k >= nd)
			k = nd - 1;
		out[k] += n;
	}
}

static int ef_compute(const struct pm_view *v, struct ef *e)
{
	double *one, *sorted;
	int all, first;
	double p90, maxv = 0;

	memset(e, 0, sizeof(*e));
	e->d = pm_display_bin(v, 240);
	for (int i = 0; i < v->n; i++)
		for (int r = 0; r < v->sides[i].n; r++)
			if (v->sides[i].run[r]->bw > e->d)
				e->d = v->sides[i].run[r]->bw;
	e->nd = (int)ceil(v->t1 / e->d) + 1;
	if (e->nd > 4 * MAX_DISP)
		e->nd = 4 * MAX_DISP;
	e->nser = 2 * v->n;
	all = e->nser * e->nd;
	e->mean = calloc((size_t)all, sizeof(double));
	e->lo = calloc((size_t)all, sizeof(double));
	e->hi = calloc((size_t)all, sizeof(double));
	one = calloc((size_t)e->nd, sizeof(double));
	sorted = calloc((size_t)all, sizeof(double));
	if (!e->mean || !e->lo || !e->hi || !one || !sorted) {
		free(one);
		free(sorted);
		ef_free(e);
		return -1;
	}
	for (int s = 0; s < e->nser; s++) {
		const struct pm_side *side = &v->sides[s / 2];
		double *m = e->mean + s * e->nd, *lo = e->lo + s * e->nd, *hi = e->hi + s * e->nd;
		int cover[4 * MAX_DISP] = {0};

		for (int k = 0; k < e->nd; k++)
			lo[k] = INFINITY;
		for (int r = 0; r < side->n; r++) {
			const struct pm_run *run = side->run[r];
			double span = pm_run_span(run);

			e->total[s] += s % 2 ? run->claim : run->steal;
			memset(one, 0, sizeof(double) * (size_t)e->nd);
			rebin(run, s % 2, e->d, one, e->nd);
			/* a run counts in the bins it reaches, not past its end */
			for (int k = 0; k < e->nd && (k == 0 || k * e->d < span); k++) {
				m[k] += one[k];
				lo[k] = fmin(lo[k], one[k]);
				hi[k] = fmax(hi[k], one[k]);
				cover[k]++;
			}
		}
		for (int k = 0; k < e->nd; k++) {
			m[k] = cover[k] ? m[k] / cover[k] : 0;
			if (!cover[k])
				lo[k] = hi[k] = 0;
			if (m[k] > maxv)
				maxv = m[k];
		}
	}
	/* 90th percentile of the non-empty bins: the busy level a spike is measured
	 * against (the top tenth of the bins may be the spike itself) */
	memcpy(sorted, e->mean, sizeof(double) * (size_t)all);
	qsort(sorted, (size_t)all, sizeof(double), cmp_dbl);
	for (first = 0; first < all && sorted[first] <= 0; first++)
		;
	p90 = first < all ? sorted[first + (int)((all - 1 - first) * 0.90)] : 0;
	free(sorted);
	free(one);
	e->ymax = maxv > 0 ? maxv : 1;
	if (p90 > 0 && maxv > 4 * p90) {
		e->ymax = 2.5 * p90;
		e->clipped = 1;
	}
	e->ymax = ceil(e->ymax / pm_nice_step(e->ymax, 6)) * pm_nice_step(e->ymax, 6);
	for (int s = 0; s < e->nser; s++) {
		e->clip_row[s] = -1;
		for (int k = 0; e->clipped && k < e->nd; k++)
			if (e->mean[s * e->nd + k] > e->ymax) {
				e->clip_row[s] = e->clip_rows++;
				break;
			}
	}
	return 0;
}

static int sides_with_fallbacks(const struct pm_view *v)
{
	int n = 0;

	for (int i = 0; i < v->n; i++) {
		uint64_t all = 0;

		for (int r = 0; r < v->sides[i].n; r++)
			all += v->sides[i].run[r]->bad + v->sides[i].run[r]->good +
			       v->sides[i].run[r]->neutral;
		n += all != 0;
	}
	return n;
}

int pm_extfrag_height(const struct pm_view *v)
{
	struct ef e;
	int clip = 0;

	if (!ef_compute(v, &e)) {
		clip = e.clip_rows;
		ef_free(&e);
	}
	return 40 + sides_with_fallbacks(v) * NOTE_LINE + clip * CLIP_LINE + 10 + PLOT_H + 50;
}

/* good and bad as shares of all fallbacks, one line per side above the plot */
static int fallback_lines(struct pm_canvas *c, const struct pm_view *v, int y)
{
	for (int i = 0; i < v->n; i++) {
		const struct pm_side *side = &v->sides[i];
		uint64_t bad = 0, good = 0, neu = 0, all;
		char runs[32] = "";

		for (int r = 0; r < side->n; r++) {
			bad += side->run[r]->bad;
			good += side->run[r]->good;
			neu += side->run[r]->neutral;
		}
		all = bad + good + neu;
		if (!all)
			continue;
		if (side->n > 1)
			snprintf(runs, sizeof(runs), " in %d runs", side->n);
		pm_text(c, v->x0, y + NOTE_LINE / 2, 12, 0x333333, PM_LEFT, 0,
			"%s%sbad %llu (%.0f%%), neutral %llu (%.0f%%), good %llu (%.0f%%) of %llu "
			"fallbacks%s",
			v->n > 1 ? v->tag[i] : "", v->n > 1 ? ": " : "", (unsigned long long)bad,
			100.0 * bad / all, (unsigned long long)neu, 100.0 * neu / all,
			(unsigned long long)good, 100.0 * good / all, (unsigned long long)all,
			runs);
		y += NOTE_LINE;
	}
	return y;
}

/* clipped bins: one label per run of neighbouring ones, with its largest count,
 * in the series' row of the strip above the plot; a tick joins it to the bar */
static void clip_labels(struct pm_canvas *c, const struct pm_view *v, const struct ef *e, int s,
			int strip, int ytop)
{
	const double *y = e->mean + s * e->nd;
	const struct pm_style *st = pm_style(s / 2);
	unsigned col = s % 2 ? st->claim : st->steal;
	int labels = 0, lastlab = -1000, yl = strip + e->clip_row[s] * CLIP_LINE + CLIP_LINE / 2;

	for (int k = 0; k < e->nd; k++) {
		int best = k, x;
		char num[24];

		if (y[k] <= e->ymax)
			continue;
		while (k + 1 < e->nd && (y[k + 1] > e->ymax ||
					 pm_x(v, (k + 1) * e->d) - pm_x(v, best * e->d) < 44)) {
			k++;
			if (y[k] > y[best])
				best = k;
		}
		x = pm_x(v, (best + 0.5) * e->d);
		pm_line(c, x, ytop - 6, x, ytop, pm_rgb(col), 2, 0);
		if (labels >= 60 || x - lastlab <= 44)
			continue;
		pm_fmt_num(y[best], y[best] >= 10 ? 1 : 0.1, num, sizeof(num));
		pm_text(c, x, yl, 10.5, col, PM_CENTER, 1, "%s", num);
		labels++;
		lastlab = x;
	}
}

static void draw_series(struct pm_canvas *c, const struct pm_view *v, const struct ef *e, int s,
			int ytop, int ybot)
{
	const struct pm_style *st = pm_style(s / 2);
	unsigned col = s % 2 ? st->claim : st->steal;
	const double *y = e->mean + s * e->nd;
	int px = -1, py = ybot, repeats = v->sides[s / 2].n > 1;

#define YPIX(val) (ybot - (int)lround(fmin(val, e->ymax) / e->ymax * (ybot - ytop)))
	for (int k = 0; repeats && k < e->nd; k++) {
		/* the spread of the side's runs in the bin */
		double lo = e->lo[s * e->nd + k], hi = e->hi[s * e->nd + k];
		int x0 = pm_x(v, k * e->d), x1 = pm_x(v, (k + 1) * e->d);

		if (hi > lo)
			pm_rect_fill(c, x0, YPIX(hi), x1 > x0 ? x1 - 1 : x0, YPIX(lo),
				     pm_rgba(col, 0.16));
	}
	for (int k = 0; k < e->nd; k++) {
		int x0 = pm_x(v, k * e->d), x1 = pm_x(v, (k + 1) * e->d);
		int yy = YPIX(y[k]);

		if (s < 2 && y[k] > 0 && !repeats)
			pm_rect_fill(c, x0, yy, x1 > x0 ? x1 - 1 : x0, ybot - 1,
				     pm_rgb(pm_mix(0xffffff, col, 0.25)));
		if (px >= 0)
			pm_line(c, x0, py, x0, yy, pm_rgb(col), 2, st->dashed);
		pm_line(c, x0, yy, x1, yy, pm_rgb(col), 2, st->dashed);
		px = x1;
		py = yy;
	}
#undef YPIX
}

void pm_panel_extfrag(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r)
{
	struct ef e;
	int ytop, ybot, strip, repeats = 0;
	char sub[256], dur[32];
	struct pm_legend_item leg[4];
	static char lab[4][96];
	uint64_t any = 0;

	if (ef_compute(v, &e))
		return;
	for (int i = 0; i < v->n; i++)
		repeats |= v->sides[i].n > 1;
	pm_fmt_duration(e.d, dur, sizeof(dur));
	snprintf(sub, sizeof(sub), "events per %s bin", dur);
	ytop = pm_panel_title(c, r, "External fragmentation events (extfrag): steal vs claim", sub);
	for (int s = 0; s < e.nser; s++) {
		const struct pm_style *st = pm_style(s / 2);
		const char *pre = v->n > 1 ? v->tag[s / 2] : "";
		int nr = v->sides[s / 2].n;
		char runs[32] = "";

		if (nr > 1)
			snprintf(runs, sizeof(runs), " in %d runs", nr);
		snprintf(lab[s], sizeof(lab[0]), "%s%s%s (%llu%s)", pre, *pre ? " " : "",
			 s % 2 ? "claim" : "steal", (unsigned long long)e.total[s], runs);
		if (getenv("FRAGMON_PLOT_LAYOUT"))
			fprintf(stderr, "layout: extfrag-series %c %s %llu runs %d\n", 'A' + s / 2,
				s % 2 ? "claim" : "steal", (unsigned long long)e.total[s], nr);
		leg[s] = (struct pm_legend_item){lab[s], s % 2 ? st->claim : st->steal,
						 st->dashed ? PM_DASH : PM_LINE};
		any += e.total[s];
	}
	pm_legend(c, v->x1, r.y + 16, 12, leg, e.nser);
	strip = fallback_lines(c, v, ytop);
	ytop = strip + e.clip_rows * CLIP_LINE + 10;
	ybot = ytop + PLOT_H;
	pm_y_axis(c, v, ytop, ybot, 0, e.ymax,
		  repeats ? "events per bin (mean of runs)" : "events per bin");
	pm_time_axis(c, v, ytop, ybot);
	if (getenv("FRAGMON_PLOT_LAYOUT"))
		fprintf(stderr, "layout: extfrag-text %d %d clip %d %d\n", r.y, strip, strip, ytop);
	if (!any)
		pm_text(c, (v->x0 + v->x1) / 2, (ytop + ybot) / 2, 14, 0x777777, PM_CENTER, 0,
			"no extfrag events in %s", v->n > 1 ? "these runs" : "this run");
	/* what the drawing means, under the time axis (the title row holds the legend) */
	if (repeats || e.clipped)
		pm_text(c, v->x0, ybot + 34, 11, 0x555555, PM_LEFT, 0, "%s%s%s",
			repeats ? "repeated runs: the line is their mean per bin, the band spans "
				  "the runs' smallest to largest count"
				: "",
			repeats && e.clipped ? "; " : "",
			e.clipped
			    ? "the axis is clipped at a spike: the counts of clipped bins are "
			      "printed above the plot"
			    : "");
	for (int s = 0; s < e.nser; s++) {
		/* nothing to draw: no flat line that could pass for data */
		if (!e.total[s])
			continue;
		draw_series(c, v, &e, s, ytop, ybot);
		if (e.clip_row[s] >= 0)
			clip_labels(c, v, &e, s, strip, ytop);
	}
	ef_free(&e);
}
