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
#define KEY_H 14 /* the dot-size key's row above the scatter */
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
			for (int r = 0; r < v->sides[i].n; r++)
				tot[s] += v->sides[i].run[r]->succ[s] + v->sides[i].run[r]->fail[s];
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

	return 40 + KEY_H + 12 + SUCC_H + 8 + NEG_LANE + 14 + (nl ? nl : 1) * LANE_H + 50;
}

static double alpha_of(uint32_t n)
{
	/* one event is visible, many are darker; translucent enough that a dense
	 * stretch shows its density instead of one solid blob */
	return 0.3 + 0.6 * (1 - pow(0.85, (double)n - 1));
}

/* dot radius by order: 3 px up to order 2, 6 px from order 9 (the rows of the
 * index are 4.4 px apart: larger dots merge into a blob) */
static int radius(int slot)
{
	int order = slot - 1;

	return order <= 0 ? 3 : order >= 9 ? 6 : 3 + order / 3;
}

/* the dot-size key: a dot for each of a few orders, right-aligned at x1 */
static void size_key(struct pm_canvas *c, int x1, int y)
{
	static const int orders[] = {0, 3, 6, 9};
	int x = x1;

	for (int k = 3; k >= 0; k--) {
		char num[8];

		snprintf(num, sizeof(num), "%d", orders[k]);
		x -= pm_text_w(c, 11, 0, num);
		pm_text(c, x, y, 11, 0x333333, PM_LEFT, 0, "%s", num);
		x -= 6 + radius(orders[k] + 1);
		pm_marker(c, x, y, radius(orders[k] + 1), PM_CIRCLE, pm_rgba(0x2ecc71, 0.9), -1);
		x -= radius(orders[k] + 1) + 14;
	}
	pm_text(c, x, y, 11, 0x333333, PM_RIGHT, 0,
		"dots: one per success (darker where several coincide), size by order");
}

/* success share: red (none) -> yellow -> green (all), ColorBrewer RdYlGn */
static unsigned rate_col(double f)
{
	return f < 0.5 ? pm_mix(0xd73027, 0xfee08b, f * 2) : pm_mix(0xfee08b, 0x1a9850, f * 2 - 1);
}

/* a failure count that fits in w pixels: as is, 1.2k, 1k, each at 8.5 pt, else 7 pt */
static int fail_label(struct pm_canvas *c, uint32_t f, int w, char *buf, size_t cap, double *pt)
{
	static const double sizes[] = {8.5, 7};

	for (int form = 0; form < 3; form++)
		for (int k = 0; k < 2; k++) {
			if (form == 0)
				snprintf(buf, cap, "%u", f);
			else if (f < 1000)
				continue;
			else
				snprintf(buf, cap, "%.*fk", form == 1 ? 1 : 0, f / 1000.0);
			if (pm_text_w(c, sizes[k], 0, buf) <= w) {
				*pt = sizes[k];
				return 1;
			}
		}
	return 0;
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
	for (int j = 0; j < v->n; j++)
		for (int rr = 0; rr < v->sides[j].n; rr++) {
			const struct pm_run *run = v->sides[j].run[rr];
			const struct pm_style *st = pm_style(j);
			int edge = j ? pm_rgba(0x111111, 0.5) : -1;

			for (int b = 0; b < run->nbins; b++) {
				const struct pm_bin *bn = pm_bin(run, b);
				int x = pm_x(v, (b + 0.5) * run->bw);

				for (int k = 0; k < PM_FI_ROWS; k++) {
					uint32_t n = bn->sc_count[k];
					int y;

					if (!n)
						continue;
					y = k == PM_FI_NEG
						? neg_y + NEG_LANE / 2
						: ybot - (int)lround(k / 50.0 * (ybot - ytop));
					/* one dot per cell, sized by the largest order in it */
					for (int s = PM_ORD - 1; s >= 0; s--)
						if (bn->sc_orders[k] & (1u << s)) {
							pm_marker(c, x, y, radius(s), st->shape,
								  pm_rgba(st->succ, alpha_of(n)),
								  edge);
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
	int unlabelled = 0, repeats = 0;

	for (int i = 0; i < v->n; i++)
		repeats |= v->sides[i].n > 1;

	for (int i = 0; i < v->n; i++) {
		uint64_t s = 0, f = 0;
		char runs[24] = "";

		for (int rr = 0; rr < v->sides[i].n; rr++)
			for (int k = 0; k < PM_ORD; k++) {
				s += v->sides[i].run[rr]->succ[k];
				f += v->sides[i].run[rr]->fail[k];
			}
		any += s + f;
		if (v->sides[i].n > 1)
			snprintf(runs, sizeof(runs), " in %d runs", v->sides[i].n);
		if (s + f)
			off += (size_t)snprintf(
			    sub + off, sizeof(sub) - off,
			    "%s%s%s%llu of %llu runs succeeded (%.1f%%)%s", off ? ";  " : "",
			    v->n > 1 ? v->tag[i] : "", v->n > 1 ? ": " : "", (unsigned long long)s,
			    (unsigned long long)(s + f), 100.0 * s / (s + f), runs);
		else
			off +=
			    (size_t)snprintf(sub + off, sizeof(sub) - off,
					     "%s%s%sno compaction runs%s", off ? ";  " : "",
					     v->n > 1 ? v->tag[i] : "", v->n > 1 ? ": " : "", runs);
		if (off >= sizeof(sub))
			break;
	}
	ytop = pm_panel_title(c, r, "Compaction over time", sub);
	rate_key(c, v->x1 - 40, r.y + 16);
	if (any)
		size_key(c, v->x1, r.y + 40);
	ytop += KEY_H + 12;
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
	for (int i = 0; i < v->n; i++)
		for (int rr = 0; rr < v->sides[i].n; rr++) {
			const struct pm_run *run = v->sides[i].run[rr];

			for (int b = 0; b < run->nbins; b++) {
				const struct pm_bin *bn = pm_bin(run, b);
				int col = (int)((b + 0.5) * run->bw / cw);

				if (col >= ncol)
					col = ncol - 1;
				for (int l = 0; l < nl; l++)
					for (int s = 0; s < PM_ORD; s++)
						if (in_lane(slots, nl, l, s) &&
						    bn->succ[s] + bn->fail[s]) {
							sc[(l * v->n + i) * ncol + col] +=
							    bn->succ[s];
							fc[(l * v->n + i) * ncol + col] +=
							    bn->fail[s];
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

			for (int rr = 0; rr < v->sides[i].n; rr++)
				for (int s = 0; s < PM_ORD; s++)
					if (in_lane(slots, nl, l, s)) {
						ts += v->sides[i].run[rr]->succ[s];
						tf += v->sides[i].run[rr]->fail[s];
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
			if (ts + tf >= 10)
				snprintf(tot, sizeof(tot), "%llu failed of %llu (%.1f%% ok)%s",
					 (unsigned long long)tf, (unsigned long long)(ts + tf),
					 100.0 * ts / (ts + tf),
					 v->sides[i].n > 1 ? ", all runs" : "");
			else if (ts + tf) /* a share of fewer than 10 is not a rate */
				snprintf(tot, sizeof(tot), "%llu failed of %llu%s",
					 (unsigned long long)tf, (unsigned long long)(ts + tf),
					 v->sides[i].n > 1 ? ", all runs" : "");
			else
				snprintf(tot, sizeof(tot), "no runs of this order");
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
				double pt;

				if (!(s + f))
					continue;
				h = (int)lround((LANE_H - 5) * log1p(s + f) / log1p(maxn));
				if (h < 3)
					h = 3;
				ya = yb - h;
				colr = rate_col((double)s / (s + f));
				pm_rect_fill(c, x0, ya, x1 > x0 ? x1 : x0, yb - 1, pm_rgb(colr));
				if (!f)
					continue;
				/* the count, shortened (1.2k, 1k) or smaller where it does not
				 * fit as is; a bar too small for any is counted in the footer */
				if (h < 13 ||
				    !fail_label(c, f, x1 - x0 - 2, num, sizeof(num), &pt)) {
					unlabelled++;
					continue;
				}
				if (getenv("FRAGMON_PLOT_LAYOUT"))
					fprintf(stderr, "layout: bar-label %s: %u as %s\n", name, f,
						num);
				pm_text(c, (x0 + x1) / 2, ya + 7, pt,
					pm_is_dark(colr) ? 0xffffff : 0x111111, PM_CENTER, 0, "%s",
					num);
			}
		}
	{
		char d[32];

		pm_fmt_duration(cw, d, sizeof(d));
		char left[48] = "";

		if (unlabelled)
			snprintf(left, sizeof(left), " (%d bar%s too small for theirs)", unlabelled,
				 unlabelled == 1 ? "" : "s");
		pm_text(c, v->x0, lane_top + nl * v->n * LANE_H + 34, 11, 0x555555, PM_LEFT, 0,
			"lanes: one column per %s%s; the tallest bar is %u runs; numbers on the "
			"bars: failures%s",
			d, repeats ? ", the runs of a side summed" : "", maxn, left);
	}
	free(sc);
	free(fc);
}
