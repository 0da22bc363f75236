// SPDX-License-Identifier: GPL-2.0
/*
 * Panel 2: extfrag events per time bin, steal vs claim.  A run is drawn as
 * filled steps with solid lines, B with dashed lines.  One spike must not
 * flatten the rest: when the largest bin is far above the 90th percentile the
 * axis stops there and clipped bins carry their count.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "view.h"

#define PLOT_H 300
#define MAX_DISP 600

int pm_extfrag_height(const struct pm_view *v)
{
	(void)v;
	return 40 + 10 + PLOT_H + 50;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* display bins of steal (claim = 0) or claim (1) of one run */
static void rebin(const struct pm_run *run, int claim, double d, uint32_t *out, int nd)
{
	memset(out, 0, sizeof(*out) * (size_t)nd);
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

void pm_panel_extfrag(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r)
{
	double d = pm_display_bin(v, 240);
	int nd = (int)ceil(v->t1 / d) + 1;
	uint32_t *ser, *sorted, maxv = 0, p90;
	int ytop, ybot, nser = 2 * v->n;
	double ymax;
	char sub[256];
	struct pm_legend_item leg[4];
	static char lab[4][96];
	int clipped = 0;

	if (nd > 4 * MAX_DISP)
		nd = 4 * MAX_DISP;
	ser = calloc((size_t)nser * (size_t)nd, sizeof(*ser));
	sorted = calloc((size_t)nser * (size_t)nd, sizeof(*sorted));
	if (!ser || !sorted) {
		free(ser);
		free(sorted);
		return;
	}
	for (int i = 0; i < v->n; i++) {
		rebin(v->runs[i], 0, d, ser + (2 * i) * nd, nd);
		rebin(v->runs[i], 1, d, ser + (2 * i + 1) * nd, nd);
	}
	memcpy(sorted, ser, sizeof(*ser) * (size_t)nser * (size_t)nd);
	qsort(sorted, (size_t)nser * (size_t)nd, sizeof(*sorted), cmp_u32);
	maxv = sorted[nser * nd - 1];
	{
		/* 90th percentile of the non-empty bins: the busy level a spike is measured
		 * against (the top tenth of the bins may be the spike itself) */
		int first = 0;

		while (first < nser * nd && !sorted[first])
			first++;
		p90 = first < nser * nd ? sorted[first + (int)((nser * nd - 1 - first) * 0.90)] : 0;
	}
	ymax = maxv ? maxv : 1;
	if (p90 > 0 && maxv > 4 * p90) {
		ymax = 2.5 * p90;
		clipped = 1;
	}
	ymax = ceil(ymax / pm_nice_step(ymax, 6)) * pm_nice_step(ymax, 6);

	{
		char dur[32];

		pm_fmt_duration(d, dur, sizeof(dur));
		snprintf(sub, sizeof(sub), "events per %s bin%s", dur,
			 clipped ? "; axis clipped at a spike, clipped bins show their count" : "");
	}
	ytop = pm_panel_title(c, r, "External fragmentation events (extfrag): steal vs claim", sub);
	for (int i = 0; i < v->n; i++) {
		const struct pm_style *st = pm_style(i);
		const struct pm_run *run = v->runs[i];
		const char *pre = v->n > 1 ? v->tag[i] : "";

		snprintf(lab[2 * i], sizeof(lab[0]), "%s%ssteal (%llu)", pre, *pre ? " " : "",
			 (unsigned long long)run->steal);
		snprintf(lab[2 * i + 1], sizeof(lab[0]), "%s%sclaim (%llu)", pre, *pre ? " " : "",
			 (unsigned long long)run->claim);
		leg[2 * i] =
		    (struct pm_legend_item){lab[2 * i], st->steal, st->dashed ? PM_DASH : PM_LINE};
		leg[2 * i + 1] = (struct pm_legend_item){lab[2 * i + 1], st->claim,
							 st->dashed ? PM_DASH : PM_LINE};
	}
	pm_legend(c, v->x1, r.y + 16, 12, leg, nser);
	ytop += 10;
	ybot = ytop + PLOT_H;
	pm_y_axis(c, v, ytop, ybot, 0, ymax, "events per bin");
	pm_time_axis(c, v, ytop, ybot);
	{
		uint64_t any = 0;

		for (int i = 0; i < v->n; i++)
			any += v->runs[i]->steal + v->runs[i]->claim;
		if (!any)
			pm_text(c, (v->x0 + v->x1) / 2, (ytop + ybot) / 2, 14, 0x777777, PM_CENTER,
				0, "no extfrag events in %s", v->n > 1 ? "these runs" : "this run");
	}
	for (int i = 0; i < v->n; i++) {
		const struct pm_run *run = v->runs[i];
		uint64_t all = run->bad + run->good + run->neutral;

		/* good and bad as shares of all fallbacks: a count alone says nothing */
		if (all)
			pm_text(
			    c, v->x0 + 10, ytop + 14 + 18 * i, 12, 0x333333, PM_LEFT, 0,
			    "%s%sbad %llu (%.0f%%), neutral %llu (%.0f%%), good %llu (%.0f%%) of "
			    "%llu fallbacks",
			    v->n > 1 ? v->tag[i] : "", v->n > 1 ? ": " : "",
			    (unsigned long long)run->bad, 100.0 * run->bad / all,
			    (unsigned long long)run->neutral, 100.0 * run->neutral / all,
			    (unsigned long long)run->good, 100.0 * run->good / all,
			    (unsigned long long)all);
	}

	for (int s = 0; s < nser; s++) {
		const struct pm_style *st = pm_style(s / 2);
		unsigned col = s % 2 ? st->claim : st->steal;
		const uint32_t *y = ser + s * nd;
		int px = -1, py = ybot, labels = 0, lastlab = -1000;
		const struct pm_run *run = v->runs[s / 2];

		/* nothing to draw: no flat line that could pass for data */
		if (!(s % 2 ? run->claim : run->steal))
			continue;

		for (int k = 0; k < nd; k++) {
			double val = y[k] > ymax ? ymax : y[k];
			int x0 = pm_x(v, k * d), x1 = pm_x(v, (k + 1) * d);
			int yy = ybot - (int)lround(val / ymax * (ybot - ytop));

			if (s < 2 && y[k])
				pm_rect_fill(c, x0, yy, x1 > x0 ? x1 - 1 : x0, ybot - 1,
					     pm_rgb(pm_mix(0xffffff, col, 0.25)));
			if (px >= 0)
				pm_line(c, x0, py, x0, yy, pm_rgb(col), 2, st->dashed);
			pm_line(c, x0, yy, x1, yy, pm_rgb(col), 2, st->dashed);
			px = x1;
			py = yy;
		}
		/* clipped bins: one label per run of neighbouring ones, with its largest count */
		for (int k = 0; k < nd; k++) {
			int best = k, x;

			if (y[k] <= ymax)
				continue;
			while (k + 1 < nd &&
			       (y[k + 1] > ymax || pm_x(v, (k + 1) * d) - pm_x(v, best * d) < 44)) {
				k++;
				if (y[k] > y[best])
					best = k;
			}
			x = pm_x(v, (best + 0.5) * d);
			if (labels < 60 && x - lastlab > 44) {
				pm_text(c, x, ytop + 12 + 16 * s, 10.5, col, PM_CENTER, 1, "%u",
					y[best]);
				labels++;
				lastlab = x;
			}
		}
	}
	free(ser);
	free(sorted);
}
