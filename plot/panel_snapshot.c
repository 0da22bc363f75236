// SPDX-License-Identifier: GPL-2.0
/*
 * Panel 4, from the agent's buddyinfo/pagetypeinfo snapshots: free memory by
 * order over time (stacked; A/B: total and high-order lines), and the real
 * fragmentation index per order over time for the zone with the most free
 * memory (A/B: the high order's index as lines).  Legacy files have no
 * snapshots: the panel says so in a short band.
 */
#include <math.h>
#include <stdio.h>

#include "metrics.h"
#include "view.h"

#define FREE_H 280
#define ROWH 24
#define NOTE_H 60

static const unsigned order_col[] = {
    0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779, 0x6ece58,
    0xb5de2b, 0xfde725, 0xf4a261, 0xe76f51, 0xc44536, 0x8d2a2a, 0x5a1e1e, 0x2b0f0f,
};

static int have_snapshots(const struct pm_view *v)
{
	for (int i = 0; i < v->n; i++)
		if (v->runs[i]->nzones)
			return 1;
	return 0;
}

static int nr_orders(const struct pm_view *v)
{
	int n = 0;

	for (int i = 0; i < v->n; i++)
		for (int z = 0; z < v->runs[i]->nzones; z++)
			if (v->runs[i]->zone[z]->nr_orders > n)
				n = v->runs[i]->zone[z]->nr_orders;
	return n;
}

int pm_snapshot_height(const struct pm_view *v)
{
	if (!have_snapshots(v))
		return 40 + NOTE_H + 20;
	return (40 + 10 + FREE_H + 50) +
	       (40 + 10 + (v->n == 1 ? nr_orders(v) * ROWH : FREE_H) + 50);
}

static void free_panel(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r, int nord)
{
	double ymax = 0, pages[FM_MAX_ORDERS];
	int ytop, ybot;
	struct pm_legend_item leg[FM_MAX_ORDERS + 4];
	static char lab[FM_MAX_ORDERS + 4][64];
	int nleg = 0, ho = pm_high_order(v->runs[0]);

	for (int i = 0; i < v->n; i++)
		for (int b = 0; b < v->runs[i]->nbins; b++)
			if (pm_run_free_pages(v->runs[i], b, pages)) {
				double s = 0;

				for (int o = 0; o < nord; o++)
					s += pm_run_mib(v->runs[i], pages[o]);
				if (s > ymax)
					ymax = s;
			}
	if (ymax <= 0)
		ymax = 1;
	ymax = ceil(ymax * 1.05 / pm_nice_step(ymax, 6)) * pm_nice_step(ymax, 6);
	ytop =
	    pm_panel_title(c, r, "Free memory by order over time",
			   v->n == 1 ? "all zones, stacked; MiB (buddyinfo)"
				     : "all zones; total and in blocks of the high order or above");
	if (v->n == 1) {
		for (int o = nord - 1; o >= 0; o--) {
			snprintf(lab[nleg], sizeof(lab[0]), "%d", o);
			leg[nleg] = (struct pm_legend_item){lab[nleg], order_col[o], PM_SQUARE};
			nleg++;
		}
		snprintf(lab[nleg], sizeof(lab[0]), "order:");
		pm_text(c, pm_legend(c, v->x1, r.y + 16, 12, leg, nleg) + 10, r.y + 16, 12,
			0x222222, PM_RIGHT, 0, "order (top to bottom):");
	} else {
		for (int i = 0; i < v->n && i < 2; i++) {
			const struct pm_style *st = pm_style(i);

			snprintf(lab[nleg], sizeof(lab[0]), "%s total", v->tag[i]);
			leg[nleg] = (struct pm_legend_item){lab[nleg], 0x2c3e50,
							    st->dashed ? PM_DASH : PM_LINE};
			nleg++;
			snprintf(lab[nleg], sizeof(lab[0]), "%s order >= %d", v->tag[i], ho);
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
	for (int i = 0; i < v->n && i < 2; i++) {
		const struct pm_run *run = v->runs[i];
		int prev = -1, ptot = 0, phigh = 0;

		for (int b = 0; b < run->nbins; b++) {
			int nb, x0, x1;
			double acc = 0, high = 0;

			if (!pm_run_free_pages(run, b, pages))
				continue;
			for (nb = b + 1; nb < run->nbins && !run->tot_n[nb]; nb++)
				;
			x0 = pm_x(v, b * run->bw);
			x1 = nb < run->nbins ? pm_x(v, nb * run->bw) : x0 + 2;
			if (v->n == 1) {
				for (int o = 0; o < nord; o++) {
					int ya = ybot - (int)lround(acc / ymax * (ybot - ytop));

					acc += pm_run_mib(run, pages[o]);
					pm_rect_fill(c, x0,
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
					pm_line(c, prev, ptot, x0, yt, pm_rgb(0x2c3e50), 2, dashed);
					pm_line(c, prev, phigh, x0, yh, pm_rgb(0x8e44ad), 2,
						dashed);
				}
				prev = x0;
				ptot = yt;
				phigh = yh;
			}
		}
	}
}

static void fi_panel(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r, int nord)
{
	const struct pm_zone *z = pm_run_main_zone(v->runs[0]);
	int ytop, ybot, ho = pm_high_order(v->runs[0]);
	char sub[200];

	if (v->n == 1) {
		struct pm_legend_item leg[] = {
		    {"-1000: a free block existed", 0xd9f2d9, PM_SQUARE},
		    {"0: lack of memory", 0xfff5eb, PM_SQUARE},
		    {"500", pm_mix(0xfff5eb, 0x7f0000, 0.5), PM_SQUARE},
		    {"1000: fragmentation", 0x7f0000, PM_SQUARE},
		};

		snprintf(sub, sizeof(sub),
			 "kernel formula (extfrag_index x1000), zone %s of node %d",
			 z ? z->name : "?", z ? z->node : 0);
		ytop = pm_panel_title(c, r, "Fragmentation index per order over time", sub);
		pm_legend(c, v->x1, r.y + 16, 12, leg, 4);
		ytop += 10;
		ybot = ytop + nord * ROWH;
		for (int o = 0; o < nord; o++)
			pm_text(c, v->x0 - 8, ybot - o * ROWH - ROWH / 2, 11.5, 0x333333, PM_RIGHT,
				0, "order %d", o);
		pm_text_up(c, v->x0 - 75, (ytop + ybot) / 2, 12, 0x444444, "order");
		for (int b = 0; z && b < v->runs[0]->nbins; b++) {
			int nb, x0, x1;

			if (!z->n[b])
				continue;
			for (nb = b + 1; nb < v->runs[0]->nbins && !z->n[nb]; nb++)
				;
			x0 = pm_x(v, b * v->runs[0]->bw);
			x1 = nb < v->runs[0]->nbins ? pm_x(v, nb * v->runs[0]->bw) : x0 + 2;
			for (int o = 0; o < nord; o++) {
				unsigned col;

				if (z->fi_ok[b][o] >= z->fi_n[b][o])
					col = z->fi_ok[b][o] ? 0xd9f2d9 : 0xffffff;
				else
					col = pm_mix(0xfff5eb, 0x7f0000,
						     z->fi_sum[b][o] / z->fi_n[b][o] / 1000.0);
				pm_rect_fill(c, x0, ybot - (o + 1) * ROWH + 1, x1 - 1,
					     ybot - o * ROWH, pm_rgb(col));
			}
		}
		pm_time_axis(c, v, ytop, ybot);
		return;
	}
	snprintf(sub, sizeof(sub),
		 "order %d, zone with the most free memory; -1000 = a free block existed", ho);
	ytop = pm_panel_title(c, r, "Fragmentation index over time", sub);
	{
		struct pm_legend_item leg[2];
		static char lab[2][64];

		for (int i = 0; i < 2; i++) {
			snprintf(lab[i], sizeof(lab[i]), "%s", v->tag[i]);
			leg[i] = (struct pm_legend_item){lab[i], i ? 0xa04000 : 0x1a5276,
							 i ? PM_DASH : PM_LINE};
		}
		pm_legend(c, v->x1, r.y + 16, 12, leg, 2);
	}
	ytop += 10;
	ybot = ytop + FREE_H;
	pm_y_axis(c, v, ytop, ybot, -1000, 1000, "fragmentation index (x1000)");
	pm_time_axis(c, v, ytop, ybot);
	for (int i = 0; i < 2; i++) {
		const struct pm_run *run = v->runs[i];
		const struct pm_zone *zn = pm_run_main_zone(run);
		int prev = -1, py = 0;

		for (int b = 0; zn && b < run->nbins; b++) {
			double fi;
			int x, y;

			if (!zn->n[b] || ho >= zn->nr_orders)
				continue;
			fi =
			    (zn->fi_sum[b][ho] - 1000.0 * zn->fi_ok[b][ho]) /
			    (zn->fi_n[b][ho] + zn->fi_ok[b][ho] ? zn->fi_n[b][ho] + zn->fi_ok[b][ho]
								: 1);
			x = pm_x(v, (b + 0.5) * run->bw);
			y = ybot - (int)lround((fi + 1000) / 2000 * (ybot - ytop));
			if (prev >= 0)
				pm_line(c, prev, py, x, y, pm_rgb(i ? 0xa04000 : 0x1a5276), 2, i);
			prev = x;
			py = y;
		}
	}
}

void pm_panel_snapshot(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r)
{
	int nord = nr_orders(v), h1 = 40 + 10 + FREE_H + 50;

	if (!have_snapshots(v)) {
		int y = pm_panel_title(c, r, "Free memory and fragmentation index by order", NULL);

		pm_note(
		    c, (struct pm_rect){v->x0, y, v->x1 - v->x0, NOTE_H},
		    "no buddyinfo/pagetypeinfo snapshots in this file (legacy tracker format, or "
		    "agent mode without snapshots)");
		return;
	}
	free_panel(c, v, (struct pm_rect){r.x, r.y, r.w, h1}, nord);
	fi_panel(c, v, (struct pm_rect){r.x, r.y + h1, r.w, r.h - h1}, nord);
}
