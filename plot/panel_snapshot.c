// SPDX-License-Identifier: GPL-2.0
/*
 * Panel 4, from the agent's buddyinfo/pagetypeinfo snapshots:
 *   free memory by order over time (stacked; A/B: total and high-order lines);
 *   the fragmentation index per order over time, in the zone under pressure
 *     (pm_pick_zone): green for the share of snapshots in which a block of the order
 *     was free (the kernel's -1000, never averaged), orange for the index
 *     when none was; a one-line note instead when a block of every order was
 *     free all run (nothing to show);
 *   the unusable free space index per order over time (lasting fragmentation:
 *     how much free memory is useless for an allocation of the order);
 *   pageblocks owned by each migratetype other than MOVABLE over time.
 * A/B: one row per order and run, A above B.  Legacy files have no
 * snapshots: a short note.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "view.h"

#define FREE_H 240
#define PB_H 200
#define NOTE_H 50

static const unsigned order_col[] = {
    0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779, 0x6ece58,
    0xb5de2b, 0xfde725, 0xf4a261, 0xe76f51, 0xc44536, 0x8d2a2a, 0x5a1e1e, 0x2b0f0f,
};

static const unsigned owner_col[PM_MT_KINDS] = {
    [FM_MT_UNMOVABLE] = 0xb2182b,  [FM_MT_MOVABLE] = 0x2166ac, [FM_MT_RECLAIMABLE] = 0xef8a62,
    [FM_MT_HIGHATOMIC] = 0x762a83, [FM_MT_CMA] = 0x878787,     [FM_MT_ISOLATE] = 0x1a1a1a,
    [FM_MT_OTHER] = 0xbababa,
};

static int have_snapshots(const struct pm_view *v)
{
	for (int i = 0; i < v->n; i++)
		if (v->runs[i]->nzones)
			return 1;
	return 0;
}

static int have_pb(const struct pm_view *v)
{
	for (int i = 0; i < v->n; i++)
		if (v->runs[i]->have_pb)
			return 1;
	return 0;
}

static int plentiful(const struct pm_view *v)
{
	for (int i = 0; i < v->n; i++)
		if (v->runs[i]->nzones && !pm_run_plentiful(v->runs[i]))
			return 0;
	return 1;
}

static int nr_orders(const struct pm_view *v)
{
	int n = 0;

	for (int i = 0; i < v->n; i++)
		for (int z = 0; z < v->runs[i]->nzones; z++)
			if (v->runs[i]->zone[z]->nr_orders > n)
				n = v->runs[i]->zone[z]->nr_orders;
	return n > FM_MAX_ORDERS ? FM_MAX_ORDERS : n;
}

static int row_h(const struct pm_view *v)
{
	return v->n == 1 ? 22 : 15;
}

static int strips_h(const struct pm_view *v)
{
	return 40 + 10 + nr_orders(v) * v->n * row_h(v) + 50;
}

static int free_h(void)
{
	return 40 + 10 + FREE_H + 50;
}

static int fi_h(const struct pm_view *v)
{
	return plentiful(v) ? 40 + NOTE_H + 16 : strips_h(v);
}

static int pb_h(const struct pm_view *v)
{
	return have_pb(v) ? 40 + 22 + PB_H + 50 : 0;
}

int pm_snapshot_parts(const struct pm_view *v, int h[PM_SNAP_PARTS])
{
	memset(h, 0, sizeof(int) * PM_SNAP_PARTS);
	if (!have_snapshots(v)) {
		h[0] = 40 + NOTE_H + 30;
		return PM_SNAP_PARTS;
	}
	h[0] = free_h();
	h[1] = fi_h(v);
	h[2] = strips_h(v);
	h[3] = pb_h(v);
	return PM_SNAP_PARTS;
}

static int has_data(const struct pm_run *run, const struct pm_zone *z, int b)
{
	return z ? pm_zbin(z, b)->n != 0 : pm_bin(run, b)->nsnap != 0;
}

/* [x0, x1) of fine bin b of run, a bin with snapshots of z (or of the run when
 * z is NULL): from half way to the previous bin with some to half way to the
 * next one, so that each snapshot stands for the time nearest to it (the first
 * starts at its own time, the last ends as far after it as the gap before it) */
static void cell_x(const struct pm_view *v, const struct pm_run *run, const struct pm_zone *z,
		   int b, int *x0, int *x1)
{
	int p = b - 1, n = b + 1;
	double t = (b + 0.5) * run->bw, t0, t1;

	while (p >= 0 && !has_data(run, z, p))
		p--;
	while (n < run->nbins && !has_data(run, z, n))
		n++;
	t0 = p >= 0 ? (t + (p + 0.5) * run->bw) / 2 : b * run->bw;
	t1 = n < run->nbins ? (t + (n + 0.5) * run->bw) / 2
	     : p >= 0	    ? t + (t - (p + 0.5) * run->bw) / 2
			    : (b + 1) * run->bw;
	*x0 = pm_x(v, t0);
	*x1 = pm_x(v, t1);
	if (*x1 <= *x0)
		*x1 = *x0 + 1;
}

static void free_panel(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r, int nord)
{
	double ymax = 0, pages[FM_MAX_ORDERS];
	int ytop, ybot;
	struct pm_legend_item leg[FM_MAX_ORDERS + 4];
	static char lab[FM_MAX_ORDERS + 4][64];
	int nleg = 0, ho = pm_high_order(v->runs[0]), repeats = 0;
	/* stacked for one run; lines for A/B and for every run of repeated ones */
	int stacked, traces = 0;

	for (int i = 0; i < v->n; i++) {
		repeats |= v->sides[i].n > 1;
		for (int r = 0; r < v->sides[i].n; r++) {
			const struct pm_run *run = v->sides[i].run[r];

			for (int b = 0; b < run->nbins; b++)
				if (pm_run_free_pages(run, b, pages)) {
					double s = 0;

					for (int o = 0; o < nord; o++)
						s += pm_run_mib(run, pages[o]);
					if (s > ymax)
						ymax = s;
				}
		}
	}
	stacked = v->n == 1 && !repeats;
	if (ymax <= 0)
		ymax = 1;
	ymax = ceil(ymax * 1.05 / pm_nice_step(ymax, 6)) * pm_nice_step(ymax, 6);
	ytop = pm_panel_title(
	    c, r, "Free memory by order over time",
	    stacked   ? "all zones, stacked; MiB (buddyinfo)"
	    : repeats ? "all zones; total and in blocks of the high order or above; a line "
			"per run"
		      : "all zones; total and in blocks of the high order or above");
	if (stacked) {
		for (int o = nord - 1; o >= 0; o--) {
			snprintf(lab[nleg], sizeof(lab[0]), "%d", o);
			leg[nleg] = (struct pm_legend_item){lab[nleg], order_col[o], PM_SQUARE};
			nleg++;
		}
		pm_text(c, pm_legend(c, v->x1, r.y + 16, 12, leg, nleg) + 10, r.y + 16, 12,
			0x222222, PM_RIGHT, 0, "order (top to bottom):");
	} else {
		for (int i = 0; i < v->n; i++) {
			const struct pm_style *st = pm_style(i);

			snprintf(lab[nleg], sizeof(lab[0]), "%s%stotal", v->n > 1 ? v->tag[i] : "",
				 v->n > 1 ? " " : "");
			leg[nleg] = (struct pm_legend_item){lab[nleg], 0x2c3e50,
							    st->dashed ? PM_DASH : PM_LINE};
			nleg++;
			snprintf(lab[nleg], sizeof(lab[0]), "%s%sorder >= %d",
				 v->n > 1 ? v->tag[i] : "", v->n > 1 ? " " : "", ho);
			leg[nleg] = (struct pm_legend_item){lab[nleg], 0x8e44ad,
							    st->dashed ? PM_DASH : PM_LINE};
			nleg++;
		}
		pm_legend(c, v->x1, r.y + 16, 12, leg, nleg);
	}
	ytop += 10;
	ybot = ytop + FREE_H;
	pm_y_axis(c, v, ytop, ybot, 0, ymax, "free MiB");
	pm_time_axis(c, v, ytop, ybot);

	for (int i = 0; i < v->n; i++)
		for (int rr = 0; rr < v->sides[i].n; rr++) {
			const struct pm_run *run = v->sides[i].run[rr];
			int prev = -1, ptot = 0, phigh = 0, thick = v->sides[i].n > 1 ? 1 : 2;

			for (int b = 0; b < run->nbins; b++) {
				int x0, x1;
				double acc = 0, high = 0;

				if (!pm_run_free_pages(run, b, pages))
					continue;
				cell_x(v, run, NULL, b, &x0, &x1);
				if (stacked) {
					for (int o = 0; o < nord; o++) {
						int ya =
						    ybot - (int)lround(acc / ymax * (ybot - ytop));

						acc += pm_run_mib(run, pages[o]);
						pm_rect_fill(
						    c, x0,
						    ybot - (int)lround(acc / ymax * (ybot - ytop)),
						    x1 - 1, ya, pm_rgb(order_col[o]));
					}
					continue;
				}
				for (int o = 0; o < nord; o++) {
					acc += pm_run_mib(run, pages[o]);
					if (o >= ho)
						high += pm_run_mib(run, pages[o]);
				}
				{
					int yt = ybot - (int)lround(acc / ymax * (ybot - ytop));
					int yh = ybot - (int)lround(high / ymax * (ybot - ytop));
					int dashed = pm_style(i)->dashed;

					if (prev >= 0) {
						pm_line(c, prev, ptot, x0, yt, pm_rgb(0x2c3e50),
							thick, dashed);
						pm_line(c, prev, phigh, x0, yh, pm_rgb(0x8e44ad),
							thick, dashed);
					}
					traces += prev < 0;
					prev = x0;
					ptot = yt;
					phigh = yh;
				}
			}
		}
	/* FRAGMON_PLOT_LAYOUT=1: how many runs have a line (tests) */
	if (getenv("FRAGMON_PLOT_LAYOUT"))
		fprintf(stderr, "layout: free-memory %s, runs drawn %d\n",
			stacked ? "stacked" : "lines", traces);
}

/* what a strip shows: the fragmentation index, or the unusable free space index */
enum strip { FI, US };

static unsigned fi_col(double fi)
{
	return pm_mix(0xfff5eb, 0x7f2704, fi / 1000.0);
}

static unsigned us_col(double us)
{
	return pm_mix(0xfcfbfd, 0x3f007d, us / 1000.0);
}

/* one order's row of side i with its runs pooled: columns of a width every run's
 * bins fit in, each the mean over the snapshots of all the runs that fall in it */
static void strip_pooled(struct pm_canvas *c, const struct pm_view *v, int i, int o, int y0, int y1,
			 enum strip what)
{
	const struct pm_side *s = &v->sides[i];
	double cw = v->t1 / 480;
	int ncol;

	/* no narrower than the runs' snapshot interval: a column without one is a gap */
	for (int r = 0; r < s->n; r++) {
		const struct pm_run *run = s->run[r];

		cw = fmax(cw, fmax(run->bw, run->snap_interval));
		if (run->nsnap > 1)
			cw = fmax(cw, pm_run_duration(run) / (double)(run->nsnap - 1));
	}
	cw = pm_nice_time(cw);
	ncol = (int)ceil(v->t1 / cw) + 1;
	for (int k = 0; k < ncol; k++) {
		double us = 0, fi = 0;
		uint32_t usn = 0, free = 0, none = 0;
		int x0 = pm_x(v, k * cw), x1 = pm_x(v, (k + 1) * cw), yg;

		for (int r = 0; r < s->n; r++) {
			const struct pm_run *run = s->run[r];
			const struct pm_zone *z = pm_run_main_zone(run);
			int b0 = (int)floor(k * cw / run->bw),
			    b1 = (int)ceil((k + 1) * cw / run->bw);

			for (int b = b0 < 0 ? 0 : b0; z && b < b1 && b < run->nbins; b++) {
				const struct pm_zbin *zb = pm_zbin(z, b);
				double t = (b + 0.5) * run->bw;

				if (!zb->n || t < k * cw || t >= (k + 1) * cw)
					continue;
				us += zb->us_sum[o];
				usn += zb->us_n[o];
				fi += zb->fi_sum[o];
				free += zb->fi_ok[o];
				none += zb->fi_n[o];
			}
		}
		if (x1 <= x0)
			x1 = x0 + 1;
		if (what == US) {
			if (usn)
				pm_rect_fill(c, x0, y0, x1 - 1, y1, pm_rgb(us_col(us / usn)));
			continue;
		}
		if (!(free + none))
			continue;
		yg = y0 + (int)lround((double)(y1 - y0 + 1) * free / (free + none));
		if (free)
			pm_rect_fill(c, x0, y0, x1 - 1, yg - 1, pm_rgb(0xa1d99b));
		if (none)
			pm_rect_fill(c, x0, yg, x1 - 1, y1, pm_rgb(fi_col(fi / none)));
	}
}

static void strip_rows(struct pm_canvas *c, const struct pm_view *v, int ytop, int nord,
		       enum strip what)
{
	int rh = row_h(v), rows = nord * v->n;

	for (int o = 0; o < nord; o++)
		for (int i = 0; i < v->n; i++) {
			/* order 0 at the bottom, as on a y axis */
			int row = (nord - 1 - o) * v->n + i, y0 = ytop + row * rh, y1 = y0 + rh - 1;
			const struct pm_run *run = v->runs[i];
			const struct pm_zone *z = pm_run_main_zone(run);

			pm_text(c, v->x0 - 8, (y0 + y1) / 2, rh >= 20 ? 11.5 : 10, 0x333333,
				PM_RIGHT, 0, v->n > 1 ? "order %d  %s" : "order %d", o, v->tag[i]);
			if (v->sides[i].n > 1) {
				strip_pooled(c, v, i, o, y0, y1, what);
				continue;
			}
			for (int b = 0; z && b < run->nbins; b++) {
				const struct pm_zbin *zb = pm_zbin(z, b);
				int x0, x1;

				if (!zb->n)
					continue;
				cell_x(v, run, z, b, &x0, &x1);
				if (what == US) {
					if (zb->us_n[o])
						pm_rect_fill(
						    c, x0, y0, x1 - 1, y1,
						    pm_rgb(us_col(zb->us_sum[o] / zb->us_n[o])));
					continue;
				}
				{
					uint32_t free = zb->fi_ok[o], none = zb->fi_n[o];
					int yg;

					if (!(free + none))
						continue;
					/* green: the share of snapshots with a free block */
					yg = y0 + (int)lround((double)(y1 - y0 + 1) * free /
							      (free + none));
					if (free)
						pm_rect_fill(c, x0, y0, x1 - 1, yg - 1,
							     pm_rgb(0xa1d99b));
					if (none)
						pm_rect_fill(c, x0, yg, x1 - 1, y1,
							     pm_rgb(fi_col(zb->fi_sum[o] / none)));
				}
			}
		}
	pm_text_up(c, v->x0 - 150, ytop + rows * rh / 2, 12, 0x444444, "order");
	pm_time_axis(c, v, ytop, ytop + rows * rh);
}

static void zone_name(const struct pm_view *v, char *buf, size_t cap)
{
	const struct pm_zone *z = pm_run_main_zone(v->runs[0]);

	int off = snprintf(buf, cap, "zone %s of node %d (%s)", z ? z->name : "?", z ? z->node : 0,
			   pm_zone_why(v->runs[0]));

	/* repeated runs: the strips pool them */
	for (int i = 0; i < v->n && off > 0 && (size_t)off < cap; i++)
		if (v->sides[i].n > 1) {
			snprintf(buf + off, cap - (size_t)off,
				 "; repeated runs pooled (mean over all their snapshots)");
			break;
		}
}

static void fi_panel(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r, int nord)
{
	char sub[300], zn[160];
	int ytop;
	struct pm_legend_item leg[] = {
	    {"a block of the order was free (-1000), share of time", 0xa1d99b, PM_SQUARE},
	    {"none free: index 0 (lack of memory)", fi_col(0), PM_SQUARE},
	    {"500", fi_col(500), PM_SQUARE},
	    {"1000 (fragmentation)", fi_col(1000), PM_SQUARE},
	};

	zone_name(v, zn, sizeof(zn));
	snprintf(sub, sizeof(sub), "kernel formula (extfrag_index x1000), %s", zn);
	ytop = pm_panel_title(c, r, "Fragmentation index per order over time", sub);
	if (plentiful(v)) {
		if (getenv("FRAGMON_PLOT_LAYOUT"))
			fprintf(stderr, "layout: note plentiful\n");
		pm_note(c, (struct pm_rect){v->x0, ytop, v->x1 - v->x0, NOTE_H},
			"memory was plentiful all run: a block of every order was free in every "
			"snapshot (index -1000 throughout), so there is no fragmentation to show");
		return;
	}
	pm_legend(c, v->x1, r.y + 16, 11.5, leg, 4);
	strip_rows(c, v, ytop + 10, nord, FI);
}

/* the unusable index is 0 at every order in every snapshot of the zone shown */
static int us_all_zero(const struct pm_view *v, int nord)
{
	for (int i = 0; i < v->n; i++) {
		const struct pm_run *run = v->runs[i];
		const struct pm_zone *z = pm_run_main_zone(run);

		for (int b = 0; z && b < run->nbins; b++) {
			const struct pm_zbin *zb = pm_zbin(z, b);

			for (int o = 0; o < nord && zb->n; o++)
				if (zb->us_n[o] && zb->us_sum[o] > 0)
					return 0;
		}
	}
	return 1;
}

static void us_panel(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r, int nord)
{
	char sub[300], zn[160];
	int ytop;
	struct pm_legend_item leg[] = {
	    {"0: all free memory usable at the order", us_col(0), PM_SQUARE},
	    {"500", us_col(500), PM_SQUARE},
	    {"1000: none", us_col(1000), PM_SQUARE},
	};

	zone_name(v, zn, sizeof(zn));
	snprintf(sub, sizeof(sub),
		 "share of free memory in blocks too small for the order, x1000; %s", zn);
	ytop = pm_panel_title(c, r, "Unusable free space index per order over time", sub);
	pm_legend(c, v->x1, r.y + 16, 11.5, leg, 3);
	strip_rows(c, v, ytop + 10, nord, US);
	/* a grid of the colour of 0 looks empty: say that it is all 0 */
	if (us_all_zero(v, nord)) {
		int h = nord * v->n * row_h(v), w = 1100, x = (v->x0 + v->x1) / 2;

		if (getenv("FRAGMON_PLOT_LAYOUT"))
			fprintf(stderr, "layout: note unusable all zero\n");
		pm_note(c, (struct pm_rect){x - w / 2, ytop + 10 + h / 2 - NOTE_H / 2, w, NOTE_H},
			"the index was 0 at every order in every snapshot: all free memory was in "
			"blocks large enough for any order");
	}
}

static void pb_panel(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r)
{
	double ymax = 0;
	int ytop, ybot, nleg = 0;
	struct pm_legend_item leg[2 * PM_MT_KINDS];
	static char lab[2 * PM_MT_KINDS][96];
	int shown[PM_MT_KINDS] = {0}, repeats = 0;

	for (int i = 0; i < v->n; i++)
		repeats |= v->sides[i].n > 1;

	/* the owners other than MOVABLE (MOVABLE owns the rest) that appear */
	for (int i = 0; i < v->n; i++)
		for (int rr = 0; rr < v->sides[i].n; rr++) {
			const struct pm_run *run = v->sides[i].run[rr];

			for (int b = 0; b < run->nbins; b++) {
				const struct pm_bin *bn = pm_bin(run, b);

				for (int k = 0; bn->npb && k < PM_MT_KINDS; k++)
					if (k != FM_MT_MOVABLE && bn->pageblocks[k] > 0) {
						shown[k] = 1;
						if (bn->pageblocks[k] / bn->npb > ymax)
							ymax = bn->pageblocks[k] / bn->npb;
					}
			}
		}
	if (ymax <= 0)
		ymax = 1;
	ymax = ceil(ymax * 1.1 / pm_nice_step(ymax, 5)) * pm_nice_step(ymax, 5);
	ytop = pm_panel_title(
	    c, r, "Pageblocks owned by migratetype over time",
	    repeats ? "all zones (pagetypeinfo); MOVABLE owns the rest; a line per "
		      "run; first -> last snapshot of the first run in the legend"
		    : "all zones (pagetypeinfo); MOVABLE owns the rest; first -> last "
		      "snapshot in the legend");
	for (int i = 0; i < v->n; i++)
		for (int k = 0; k < PM_MT_KINDS; k++) {
			const struct pm_run *run = v->runs[i];

			if (!shown[k] || !run->have_pb || nleg >= 2 * PM_MT_KINDS)
				continue;
			snprintf(lab[nleg], sizeof(lab[0]), "%s%s%s %.0f%s%.0f",
				 v->n > 1 ? v->tag[i] : "", v->n > 1 ? " " : "", pm_mt_kind_name(k),
				 run->pb0[k], pm_arrow(c), run->pb1[k]);
			leg[nleg] = (struct pm_legend_item){
			    lab[nleg], owner_col[k], pm_style(i)->dashed ? PM_DASH : PM_LINE};
			nleg++;
		}
	pm_legend(c, v->x1, r.y + 16, 11.5, leg, nleg);
	ytop += 22;
	ybot = ytop + PB_H;
	pm_y_axis(c, v, ytop, ybot, 0, ymax, "pageblocks");
	pm_time_axis(c, v, ytop, ybot);
	for (int i = 0; i < v->n; i++)
		for (int rr = 0; rr < v->sides[i].n; rr++) {
			const struct pm_run *run = v->sides[i].run[rr];
			int thick = v->sides[i].n > 1 ? 1 : 2;

			for (int k = 0; k < PM_MT_KINDS; k++) {
				int px = -1, py = 0, points = 0;

				if (!shown[k])
					continue;
				for (int b = 0; b < run->nbins; b++) {
					const struct pm_bin *bn = pm_bin(run, b);
					int x, y;

					if (!bn->npb)
						continue;
					x = pm_x(v, (b + 0.5) * run->bw);
					y = ybot - (int)lround(bn->pageblocks[k] / bn->npb / ymax *
							       (ybot - ytop));
					if (px >= 0)
						pm_line(c, px, py, x, y, pm_rgb(owner_col[k]),
							thick, pm_style(i)->dashed);
					px = x;
					py = y;
					points++;
				}
				/* a single snapshot with pageblock counts: a dot, not nothing */
				if (points == 1)
					pm_marker(c, px, py, 4, PM_CIRCLE, pm_rgb(owner_col[k]),
						  -1);
			}
		}
}

void pm_panel_snapshot(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r, int part)
{
	int nord = nr_orders(v);

	if (!have_snapshots(v)) {
		int yt;

		if (part)
			return;
		yt = pm_panel_title(c, r, "Free memory, fragmentation and pageblocks", NULL);
		pm_note(
		    c, (struct pm_rect){v->x0, yt, v->x1 - v->x0, NOTE_H},
		    "no buddyinfo/pagetypeinfo snapshots in this file (legacy tracker format, or "
		    "agent mode without snapshots)");
		return;
	}
	switch (part) {
	case 0:
		free_panel(c, v, r, nord);
		break;
	case 1:
		fi_panel(c, v, r, nord);
		break;
	case 2:
		us_panel(c, v, r, nord);
		break;
	default:
		if (have_pb(v))
			pb_panel(c, v, r);
		break;
	}
}
