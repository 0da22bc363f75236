// SPDX-License-Identifier: GPL-2.0
/*
 * Panel 1: compaction over time.  Top: each success at its fragmentation
 * index (0..1000), dot size by order, darker where many fall together, the
 * successes at -1000 (a block of the order was already free) in their own
 * lane.  Below, one lane per order (and run): a bar per time column whose
 * height is the number of compaction runs (log scale, the same for every
 * lane) and whose colour is the share that succeeded; the number of failures
 * is printed on the bar where it fits, and the lane's label has its totals.
 * A busy order is a tall bar, never a solid band.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"

#define SUCC_H 220
#define NEG_LANE 30
#define LANE_H 34
#define MAX_LANE_ORDERS 8
#define COLS 80

/* order slots with compaction events in any run, highest first; past
 * MAX_LANE_ORDERS the busiest are kept and the rest share slot -1 ("other") */
static int lane_slots(const struct pm_view *v, int *slots)
{
	int n = 0;
	uint64_t tot[PM_ORD] = {0};

	for (int s = PM_ORD - 1; s >= 0; s--) {
		for (int i = 0; i < v->n; i++)
			tot[s] += v->runs[i]->succ[s] + v->runs[i]->fail[s];
		if (tot[s])
			slots[n++] = s;
	}
	if (n <= MAX_LANE_ORDERS)
		return n;
	for (int k = 0; k < n; k++) /* busiest first */
		for (int j = k + 1; j < n; j++)
			if (tot[slots[j]] > tot[slots[k]]) {
				int t = slots[j];

				slots[j] = slots[k];
				slots[k] = t;
			}
	n = MAX_LANE_ORDERS - 1;
	for (int k = 0; k < n; k++) /* then by order again */
		for (int j = k + 1; j < n; j++)
			if (slots[j] > slots[k]) {
				int t = slots[j];

				slots[j] = slots[k];
				slots[k] = t;
			}
	slots[n++] = -1;
	return n;
}

static int in_lane(const int *slots, int nl, int l, int s)
{
	if (slots[l] >= 0)
		return slots[l] == s;
	for (int k = 0; k < nl; k++)
		if (slots[k] == s)
			return 0;
	return 1;
}

int pm_compaction_height(const struct pm_view *v)
{
	int slots[PM_ORD], nl = lane_slots(v, slots) * v->n;

	return 40 + 12 + SUCC_H + 8 + NEG_LANE + 14 + (nl ? nl : 1) * LANE_H + 50;
}

static double alpha_of(uint32_t n)
{
	/* one event is clearly visible, many are darker */
	return 0.55 + 0.4 * (1 - pow(0.8, (double)n - 1));
}

static int radius(int slot)
{
	int order = slot - 1;

	return order <= 0 ? 3 : 3 + (order * 2 + 1) / 3;
}

/* success share: red (none) -> yellow -> green (all), ColorBrewer RdYlGn */
static unsigned rate_col(double f)
{
	return f < 0.5 ? pm_mix(0xd73027, 0xfee08b, f * 2) : pm_mix(0xfee08b, 0x1a9850, f * 2 - 1);
}

/* the success-rate key in the title row */
static void rate_key(struct pm_canvas *c, int x1, int y)
{
	int w = 160, x0 = x1 - w;

	for (int x = 0; x < w; x++)
		gdImageLine(c->im, x0 + x, y - 7, x0 + x, y + 7, pm_rgb(rate_col((double)x / w)));
	pm_text(c, x0 - 6, y, 11.5, 0x333333, PM_RIGHT, 0, "lanes: share that succeeded  0%%");
	pm_text(c, x1 + 6, y, 11.5, 0x333333, PM_LEFT, 0, "100%%");
}

static void scatter(struct pm_canvas *c, const struct pm_view *v, int ytop, int ybot, int neg_y)
{
	gdImageSetClip(c->im, v->x0 + 1, ytop - 8, v->x1 - 1, neg_y + NEG_LANE);
	for (int i = 0; i < v->n; i++) {
		const struct pm_run *run = v->runs[i];
		const struct pm_style *st = pm_style(i);
		int edge = i ? pm_rgba(0x111111, 0.5) : -1;

		for (int b = 0; b < run->nbins; b++) {
			const struct pm_bin *bn = pm_bin(run, b);
			int x = pm_x(v, (b + 0.5) * run->bw);

			for (int k = 0; k < PM_FI_ROWS; k++) {
				uint32_t n = bn->sc_count[k];
				int y;

				if (!n)
					continue;
				y = k == PM_FI_NEG ? neg_y + NEG_LANE / 2
						   : ybot - (int)lround(k / 50.0 * (ybot - ytop));
				/* one dot per cell, sized by the largest order in it */
				for (int s = PM_ORD - 1; s >= 0; s--)
					if (bn->sc_orders[k] & (1u << s)) {
						pm_marker(c, x, y, radius(s), st->shape,
							  pm_rgba(st->succ, alpha_of(n)), edge);
						break;
					}
			}
		}
	}
	gdImageSetClip(c->im, 0, 0, c->w - 1, c->h - 1);
}

void pm_panel_compaction(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r)
{
	int slots[PM_ORD], nl = lane_slots(v, slots);
	int ytop, ybot, neg_y, lane_top, ncol;
	double cw;
	char sub[300] = "";
	size_t off = 0;
	uint32_t *sc, *fc, maxn = 1;
	uint64_t any = 0;

	for (int i = 0; i < v->n; i++) {
		const struct pm_run *run = v->runs[i];
		uint64_t s = 0, f = 0;

		for (int k = 0; k < PM_ORD; k++) {
			s += run->succ[k];
			f += run->fail[k];
		}
		any += s + f;
		off += (size_t)snprintf(
		    sub + off, sizeof(sub) - off, "%s%s%s%llu of %llu runs succeeded (%.1f%%)",
		    i ? ";  " : "", v->n > 1 ? v->tag[i] : "", v->n > 1 ? ": " : "",
		    (unsigned long long)s, (unsigned long long)(s + f),
		    s + f ? 100.0 * s / (s + f) : 0.0);
		if (off >= sizeof(sub))
			break;
	}
	ytop = pm_panel_title(c, r, "Compaction over time", sub);
	rate_key(c, v->x1 - 40, r.y + 16);
	ytop += 12;
	ybot = ytop + SUCC_H;
	neg_y = ybot + 8;
	lane_top = neg_y + NEG_LANE + 14;
	pm_y_axis(c, v, ytop, ybot, 0, 1000, "index at success (x1000)");
	pm_rect_fill(c, v->x0, neg_y, v->x1, neg_y + NEG_LANE, pm_rgb(0xf3f8f3));
	pm_text(c, v->x0 - 8, neg_y + NEG_LANE / 2, 11, 0x333333, PM_RIGHT, 0,
		"-1000 (block already free)");
	pm_time_axis(c, v, ytop, lane_top + (nl ? nl * v->n : 1) * LANE_H);
	gdImageLine(c->im, v->x0, ybot, v->x1, ybot, pm_rgb(0x888888));
	if (!any) {
		pm_text(
		    c, (v->x0 + v->x1) / 2, (ytop + ybot) / 2, 14, 0x777777, PM_CENTER, 0,
		    "no compaction events in %s (the kernel may not have compacted, or the mode "
		    "did not trace it)",
		    v->n > 1 ? "these runs" : "this run");
		pm_text(c, v->x0 + 10, lane_top + LANE_H / 2, 12, 0x777777, PM_LEFT, 0,
			"no compaction runs");
		return;
	}
	scatter(c, v, ytop, ybot, neg_y);

	/* lanes: columns of a round width, aligned with the time axis */
	cw = pm_nice_time(v->t1 / COLS);
	if (v->bin > cw)
		cw = v->bin;
	ncol = (int)ceil(v->t1 / cw - 1e-9);
	if (ncol < 1)
		ncol = 1;
	sc = calloc((size_t)(nl * v->n * ncol), sizeof(*sc));
	fc = calloc((size_t)(nl * v->n * ncol), sizeof(*fc));
	if (!sc || !fc) {
		free(sc);
		free(fc);
		return;
	}
	for (int i = 0; i < v->n; i++) {
		const struct pm_run *run = v->runs[i];

		for (int b = 0; b < run->nbins; b++) {
			const struct pm_bin *bn = pm_bin(run, b);
			int col = (int)((b + 0.5) * run->bw / cw);

			if (col >= ncol)
				col = ncol - 1;
			for (int l = 0; l < nl; l++)
				for (int s = 0; s < PM_ORD; s++)
					if (in_lane(slots, nl, l, s) && bn->succ[s] + bn->fail[s]) {
						sc[(l * v->n + i) * ncol + col] += bn->succ[s];
						fc[(l * v->n + i) * ncol + col] += bn->fail[s];
					}
		}
	}
	for (int k = 0; k < nl * v->n * ncol; k++)
		if (sc[k] + fc[k] > maxn)
			maxn = sc[k] + fc[k];
	for (int l = 0; l < nl; l++)
		for (int i = 0; i < v->n; i++) {
			int lane = l * v->n + i, y0 = lane_top + lane * LANE_H,
			    yb = y0 + LANE_H - 3;
			uint64_t ts = 0, tf = 0;
			char name[64], tot[96];

			for (int s = 0; s < PM_ORD; s++)
				if (in_lane(slots, nl, l, s)) {
					ts += v->runs[i]->succ[s];
					tf += v->runs[i]->fail[s];
				}
			pm_rect_fill(c, v->x0, y0, v->x1, yb,
				     pm_rgb(lane % 2 ? 0xf7f7f7 : 0xfbfbfb));
			if (slots[l] < 0)
				snprintf(name, sizeof(name), "other orders");
			else if (slots[l] == 0)
				snprintf(name, sizeof(name), "whole zone (-1)");
			else
				snprintf(name, sizeof(name), "order %d", slots[l] - 1);
			if (v->n > 1)
				snprintf(name + strlen(name), sizeof(name) - strlen(name), "  %s",
					 v->tag[i]);
			snprintf(tot, sizeof(tot), "%llu failed of %llu (%.1f%% ok)",
				 (unsigned long long)tf, (unsigned long long)(ts + tf),
				 ts + tf ? 100.0 * ts / (ts + tf) : 0.0);
			/* FRAGMON_PLOT_LAYOUT=1: each lane's label (tests) */
			if (getenv("FRAGMON_PLOT_LAYOUT"))
				fprintf(stderr, "layout: lane %s: %s\n", name, tot);
			{
				double pt = pm_fit(c, 11, 7, 1, name, PM_X0 - 80);

				pm_text(c, v->x0 - 8, y0 + 9, pt > 0 ? pt : 7, 0x222222, PM_RIGHT,
					1, "%s", name);
				pt = pm_fit(c, 10, 7, 0, tot, PM_X0 - 80);
				pm_text(c, v->x0 - 8, y0 + 23, pt > 0 ? pt : 7, 0x555555, PM_RIGHT,
					0, "%s", tot);
			}
			for (int col = 0; col < ncol; col++) {
				uint32_t s = sc[lane * ncol + col], f = fc[lane * ncol + col];
				int x0 = pm_x(v, col * cw) + 1, x1 = pm_x(v, (col + 1) * cw) - 1;
				int h, ya;
				unsigned colr;
				char num[16];

				if (!(s + f))
					continue;
				h = (int)lround((LANE_H - 5) * log1p(s + f) / log1p(maxn));
				if (h < 3)
					h = 3;
				ya = yb - h;
				colr = rate_col((double)s / (s + f));
				pm_rect_fill(c, x0, ya, x1 > x0 ? x1 : x0, yb - 1, pm_rgb(colr));
				if (!f || h < 13)
					continue;
				snprintf(num, sizeof(num), "%u", f);
				if (pm_text_w(c, 8.5, 0, num) <= x1 - x0 - 2)
					pm_text(c, (x0 + x1) / 2, ya + 7, 8.5,
						pm_is_dark(colr) ? 0xffffff : 0x111111, PM_CENTER,
						0, "%s", num);
			}
		}
	{
		char d[32];

		pm_fmt_duration(cw, d, sizeof(d));
		pm_text(
		    c, v->x0, lane_top + nl * v->n * LANE_H + 34, 11, 0x555555, PM_LEFT, 0,
		    "lanes: one column per %s; the tallest bar is %u runs; numbers on the bars: "
		    "failures",
		    d, maxn);
	}
	free(sc);
	free(fc);
}
