// SPDX-License-Identifier: GPL-2.0
/*
 * Panel 1: compaction events over time.  Successes at their fragmentation
 * index (0..1000), dot size by order, opacity by how many fell in the cell;
 * successes with index -1000 (a free block of the order existed) in their own
 * lane; failures in per-order lanes below, one lane per run and order.
 */
#include <math.h>
#include <stdio.h>

#include "view.h"

#define LANE_AREA 240 /* at most; lanes are 28 px when they fit */
#define LANE_H 28
#define NEG_LANE 34
#define SUCC_H 400

/*
 * Failure lanes: one per order with failures (highest order on top), one row
 * per run in each.  When they would not fit, the orders with the most
 * failures keep a lane and the rest share an "other orders" lane (slot -1).
 */
static int fail_lanes(const struct pm_view *v, int *slots)
{
	int n = 0, max = LANE_AREA / (LANE_H * v->n);
	uint64_t tot[PM_ORD] = {0};

	for (int s = PM_ORD - 1; s >= 0; s--) {
		for (int i = 0; i < v->n; i++)
			tot[s] += v->runs[i]->fail[s];
		if (tot[s])
			slots[n++] = s;
	}
	if (n <= max)
		return n;
	/* keep the max - 1 busiest, in order */
	for (int k = 0; k < n; k++)
		for (int j = k + 1; j < n; j++)
			if (tot[slots[j]] > tot[slots[k]]) {
				int t = slots[j];

				slots[j] = slots[k];
				slots[k] = t;
			}
	n = max - 1;
	for (int k = 0; k < n; k++)
		for (int j = k + 1; j < n; j++)
			if (slots[j] > slots[k]) {
				int t = slots[j];

				slots[j] = slots[k];
				slots[k] = t;
			}
	slots[n++] = -1;
	return n;
}

static int in_lanes(const int *slots, int nl, int s)
{
	for (int l = 0; l < nl; l++)
		if (slots[l] == s)
			return 1;
	return 0;
}

static int lanes_h(const struct pm_view *v)
{
	int slots[PM_ORD], nl = fail_lanes(v, slots) * v->n;

	return nl * LANE_H > LANE_AREA ? LANE_AREA : nl ? nl * LANE_H : LANE_H;
}

int pm_compaction_height(const struct pm_view *v)
{
	return 40 + 12 + SUCC_H + 8 + NEG_LANE + 8 + lanes_h(v) + 50;
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

void pm_panel_compaction(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r)
{
	int slots[PM_ORD], nl = fail_lanes(v, slots);
	int ytop, ybot, neg_y, lane_top, lane_h;
	char sub[256] = "";
	size_t off = 0;
	struct pm_legend_item leg[6];
	int nleg = 0;

	for (int i = 0; i < v->n; i++) {
		const struct pm_run *run = v->runs[i];
		uint64_t s = 0, f = 0;

		for (int k = 0; k < PM_ORD; k++) {
			s += run->succ[k];
			f += run->fail[k];
		}
		off += (size_t)snprintf(sub + off, sizeof(sub) - off,
					"%s%s%s success %llu/%llu (%.1f%%)", i ? "    " : "",
					v->n > 1 ? v->tag[i] : "", v->n > 1 ? ":" : "",
					(unsigned long long)s, (unsigned long long)(s + f),
					s + f ? 100.0 * s / (s + f) : 0.0);
		if (off >= sizeof(sub))
			break;
	}
	ytop = pm_panel_title(c, r, "Compaction events over time", sub);
	for (int i = 0; i < v->n; i++) {
		static char lab[2][2][80];
		const struct pm_style *st = pm_style(i);

		snprintf(lab[i][0], sizeof(lab[i][0]), "%s%ssuccess (size = order)",
			 v->n > 1 ? v->tag[i] : "", v->n > 1 ? " " : "");
		snprintf(lab[i][1], sizeof(lab[i][1]), "%s%sfailure", v->n > 1 ? v->tag[i] : "",
			 v->n > 1 ? " " : "");
		leg[nleg++] = (struct pm_legend_item){lab[i][0], st->succ, st->shape};
		leg[nleg++] = (struct pm_legend_item){lab[i][1], st->fail, st->shape};
	}
	pm_legend(c, v->x1, r.y + 16, 12, leg, nleg);

	ytop += 12;
	ybot = ytop + SUCC_H;
	neg_y = ybot + 8;
	lane_top = neg_y + NEG_LANE + 8;
	pm_y_axis(c, v, ytop, ybot, 0, 1000, "fragmentation index (x1000)");
	pm_rect_fill(c, v->x0, neg_y, v->x1, neg_y + NEG_LANE, pm_rgb(0xf3f8f3));
	pm_text(c, v->x0 - 8, neg_y + NEG_LANE / 2, 11, 0x333333, PM_RIGHT, 0,
		"-1000 (free block)");
	/* failure lanes */
	lane_h = nl ? lanes_h(v) / (nl * v->n) : LANE_H;
	if (!nl)
		pm_text(c, v->x0 + 10, lane_top + 16, 12, 0x777777, PM_LEFT, 0,
			"no compaction failures");
	for (int l = 0; l < nl; l++)
		for (int i = 0; i < v->n; i++) {
			int y0 = lane_top + (l * v->n + i) * lane_h;
			char lab[64];

			if (slots[l] < 0)
				snprintf(lab, sizeof(lab), "failures, other orders%s%s",
					 v->n > 1 ? " " : "", v->n > 1 ? v->tag[i] : "");
			else
				snprintf(lab, sizeof(lab), "failures, order %d%s%s", slots[l] - 1,
					 v->n > 1 ? " " : "", v->n > 1 ? v->tag[i] : "");
			pm_rect_fill(c, v->x0, y0, v->x1, y0 + lane_h - 2,
				     pm_rgb((l * v->n + i) % 2 ? 0xfbf1f0 : 0xf7e6e4));
			pm_text(c, v->x0 - 8, y0 + lane_h / 2, lane_h >= 18 ? 11 : 9, 0x333333,
				PM_RIGHT, 0, "%s", lab);
		}
	pm_time_axis(c, v, ytop, lane_top + (nl ? nl * v->n * lane_h : LANE_H));
	{
		uint64_t any = 0;

		for (int i = 0; i < v->n; i++)
			for (int s = 0; s < PM_ORD; s++)
				any += v->runs[i]->succ[s] + v->runs[i]->fail[s];
		if (!any)
			pm_text(c, (v->x0 + v->x1) / 2, (ytop + ybot) / 2, 14, 0x777777, PM_CENTER,
				0,
				"no compaction events in %s (the kernel may not have compacted, or "
				"the mode did not trace it)",
				v->n > 1 ? "these runs" : "this run");
	}
	gdImageLine(c->im, v->x0, ybot, v->x1, ybot, pm_rgb(0x888888));

	/* dots stay inside the plot area */
	gdImageSetClip(c->im, v->x0 + 1, ytop - 8, v->x1 - 1,
		       lane_top + (nl ? nl * v->n * lane_h : 0));
	for (int i = 0; i < v->n; i++) {
		const struct pm_run *run = v->runs[i];
		const struct pm_style *st = pm_style(i);
		int edge = i ? pm_rgba(0x111111, 0.5) : -1;

		for (int b = 0; b < run->nbins; b++) {
			int x = pm_x(v, (b + 0.5) * run->bw);

			for (int k = 0; k < PM_FI_ROWS; k++) {
				uint32_t n = run->sc_count[b][k];
				uint16_t mask = run->sc_orders[b][k];
				int y;

				if (!n)
					continue;
				y = k == PM_FI_NEG ? neg_y + NEG_LANE / 2
						   : ybot - (int)lround(k / 100.0 * (ybot - ytop));
				/* one dot per cell, sized by the largest order in it */
				for (int s = PM_ORD - 1; s >= 0; s--)
					if (mask & (1u << s)) {
						pm_marker(c, x, y, radius(s), st->shape,
							  pm_rgba(st->succ, alpha_of(n)), edge);
						break;
					}
			}
			for (int l = 0; l < nl; l++) {
				uint32_t n = 0;

				if (slots[l] >= 0)
					n = run->fail_b[b][slots[l]];
				else
					for (int s = 0; s < PM_ORD; s++)
						if (!in_lanes(slots, nl, s))
							n += run->fail_b[b][s];
				int y = lane_top + (l * v->n + i) * lane_h + lane_h / 2 - 1;

				if (n)
					pm_marker(c, x, y, lane_h >= 14 ? 4 : 2, st->shape,
						  pm_rgba(st->fail, alpha_of(n) * 0.9 + 0.1), edge);
			}
		}
	}
	gdImageSetClip(c->im, 0, 0, c->w - 1, c->h - 1);
}
