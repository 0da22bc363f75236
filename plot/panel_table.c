// SPDX-License-Identifier: GPL-2.0
/*
 * Panel 5: statistics.  Single run: three columns of key metrics, events by
 * type and compaction by order.  A/B: one row per metric with A, B, delta,
 * delta % and which is better (green) or worse (red) where that is defined.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "metrics.h"
#include "view.h"

#define LINE 26

static int nr_orders_used(const struct pm_view *v)
{
	int n = 0;

	for (int s = 0; s < PM_ORD; s++)
		for (int i = 0; i < v->n; i++)
			if (v->runs[i]->succ[s] + v->runs[i]->fail[s]) {
				n++;
				break;
			}
	return n;
}

int pm_table_height(const struct pm_view *v)
{
	int rows = v->n == 1 ? PM_M_N - 1 : PM_M_N + 1;
	int ord = nr_orders_used(v);

	if (v->n == 1 && ord + 8 > rows)
		rows = ord + 8;
	return 40 + 20 + rows * LINE + 30;
}

static void kv(struct pm_canvas *c, int x, int y, int w, const char *k, const char *val,
	       unsigned col)
{
	pm_text(c, x, y, 12.5, 0x333333, PM_LEFT, 0, "%s", k);
	pm_text(c, x + w, y, 12.5, col, PM_RIGHT, 1, "%s", val);
	gdImageLine(c->im, x, y + LINE / 2, x + w, y + LINE / 2, pm_rgb(0xeeeeee));
}

static void single(struct pm_canvas *c, const struct pm_view *v, int y)
{
	const struct pm_run *r = v->runs[0];
	struct pm_metric m[PM_M_N];
	int colw = (c->w - 2 * 60 - 2 * 80) / 3, x = 60;
	char buf[64];
	int yy = y;

	pm_metrics(r, m);
	pm_text(c, x, yy, 13.5, 0x111111, PM_LEFT, 1, "Key metrics");
	yy += LINE + 4;
	for (int k = 0; k < PM_M_N; k++) {
		if (k == PM_M_CSUCC || k == PM_M_CFAIL || k == PM_M_SUCC_NEG)
			continue;
		if (!m[k].valid && k >= PM_M_SNAPSHOTS)
			continue;
		pm_metric_str(&m[k], buf, sizeof(buf));
		if (m[k].unit[0] && m[k].valid)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), " %s", m[k].unit);
		kv(c, x, yy, colw, m[k].label, buf,
		   k == PM_M_DROPPED && m[k].v > 0 ? 0xc0392b : 0x111111);
		yy += LINE;
	}

	x += colw + 80;
	yy = y;
	pm_text(c, x, yy, 13.5, 0x111111, PM_LEFT, 1, "Events by type");
	yy += LINE + 4;
	for (int t = 0; t < PM_EV_N; t++) {
		if (!r->by_type[t] && t > PM_EV_CFAIL)
			continue;
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)r->by_type[t]);
		kv(c, x, yy, colw, pm_evtype_name((enum pm_evtype)t), buf, 0x111111);
		yy += LINE;
	}
	yy += 10;
	pm_text(c, x, yy, 13.5, 0x111111, PM_LEFT, 1, "Run");
	yy += LINE + 4;
	kv(c, x, yy, colw, "kernel", r->kernel[0] ? r->kernel : "unknown", 0x111111);
	yy += LINE;
	kv(c, x, yy, colw, "host", r->hostname[0] ? r->hostname : "unknown", 0x111111);
	yy += LINE;
	kv(c, x, yy, colw, "format",
	   r->have_run ? (r->truncated	     ? "fragmon (truncated)"
			  : r->have_metadata ? "fragmon"
					     : "fragmon (no metadata)")
		       : (r->truncated ? "legacy (truncated)" : "legacy"),
	   r->truncated || !r->have_metadata ? 0xc0392b : 0x111111);
	yy += LINE;

	x += colw + 80;
	yy = y;
	pm_text(c, x, yy, 13.5, 0x111111, PM_LEFT, 1,
		"Compaction by order: success / failure (rate)");
	yy += LINE + 4;
	for (int s = 0; s < PM_ORD; s++) {
		char k[32];

		if (!(r->succ[s] + r->fail[s]))
			continue;
		snprintf(k, sizeof(k), s ? "order %d" : "whole zone (-1)", s - 1);
		snprintf(buf, sizeof(buf), "%llu / %llu (%.1f%%)", (unsigned long long)r->succ[s],
			 (unsigned long long)r->fail[s],
			 100.0 * r->succ[s] / (double)(r->succ[s] + r->fail[s]));
		kv(c, x, yy, colw, k, buf, 0x111111);
		yy += LINE;
	}
	if (yy == y + LINE + 4)
		kv(c, x, yy, colw, "no compaction events", "", 0x777777);
	yy += LINE + 10;
	pm_text(c, x, yy, 13.5, 0x111111, PM_LEFT, 1, "ExtFrag");
	yy += LINE + 4;
	snprintf(buf, sizeof(buf), "%llu / %llu", (unsigned long long)r->steal,
		 (unsigned long long)r->claim);
	kv(c, x, yy, colw, "steal / claim", buf, 0x111111);
	yy += LINE;
	snprintf(buf, sizeof(buf), "%llu / %llu / %llu", (unsigned long long)r->bad,
		 (unsigned long long)r->neutral, (unsigned long long)r->good);
	kv(c, x, yy, colw, "bad / neutral / good fallbacks", buf, 0x111111);
}

static void compare(struct pm_canvas *c, const struct pm_view *v, int y)
{
	struct pm_metric a[PM_M_N], b[PM_M_N];
	int cols[] = {60, 700, 1000, 1300, 1600, 1900}, right = c->w - 60;
	const char *hdr[] = {"Metric", v->tag[0], v->tag[1], "delta (B - A)", "delta %", "better"};

	pm_metrics(v->runs[0], a);
	pm_metrics(v->runs[1], b);
	pm_rect_fill(c, 50, y - LINE / 2, right, y + LINE / 2, pm_rgb(0x34495e));
	for (int k = 0; k < 6; k++)
		pm_text(c, k ? cols[k] + 260 : cols[k], y, 12.5, 0xffffff, k ? PM_RIGHT : PM_LEFT,
			1, "%s", hdr[k]);
	y += LINE;
	for (int k = 0; k < PM_M_N; k++) {
		char sa[48], sb[48], sd[48], sp[48];
		const char *better = "";
		unsigned ca = 0xffffff, cb = 0xffffff;

		if (!a[k].valid && !b[k].valid)
			continue;
		pm_metric_str(&a[k], sa, sizeof(sa));
		pm_metric_str(&b[k], sb, sizeof(sb));
		if (a[k].valid && b[k].valid) {
			struct pm_metric d = b[k];
			double diff = b[k].v - a[k].v;

			d.v = diff;
			pm_metric_str(&d, sd, sizeof(sd));
			if (diff > 0)
				memmove(sd + 1, sd, strlen(sd) + 1), sd[0] = '+';
			if (a[k].v != 0)
				snprintf(sp, sizeof(sp), "%+.1f%%", 100.0 * diff / fabs(a[k].v));
			else
				snprintf(sp, sizeof(sp), diff == 0 ? "0.0%%" : "n/a");
			if (a[k].better != PM_NEUTRAL && diff != 0) {
				int b_wins = (diff > 0) == (a[k].better == PM_HIGHER);

				better = b_wins ? v->tag[1] : v->tag[0];
				ca = b_wins ? 0xf8d7da : 0xd4edda;
				cb = b_wins ? 0xd4edda : 0xf8d7da;
			} else if (a[k].better != PM_NEUTRAL) {
				better = "same";
			}
		} else {
			snprintf(sd, sizeof(sd), "n/a");
			snprintf(sp, sizeof(sp), "n/a");
		}
		if (k % 2)
			pm_rect_fill(c, 50, y - LINE / 2, right, y + LINE / 2, pm_rgb(0xf7f7f7));
		pm_rect_fill(c, cols[1] + 20, y - LINE / 2 + 1, cols[1] + 270, y + LINE / 2 - 1,
			     pm_rgb(ca));
		pm_rect_fill(c, cols[2] + 20, y - LINE / 2 + 1, cols[2] + 270, y + LINE / 2 - 1,
			     pm_rgb(cb));
		pm_text(c, cols[0], y, 12.5, 0x222222, PM_LEFT, 0, "%s%s%s%s", a[k].label,
			a[k].unit[0] ? " (" : "", a[k].unit, a[k].unit[0] ? ")" : "");
		pm_text(c, cols[1] + 260, y, 12.5, 0x111111, PM_RIGHT, 0, "%s", sa);
		pm_text(c, cols[2] + 260, y, 12.5, 0x111111, PM_RIGHT, 0, "%s", sb);
		pm_text(c, cols[3] + 260, y, 12.5, 0x111111, PM_RIGHT, 0, "%s", sd);
		pm_text(c, cols[4] + 260, y, 12.5, 0x111111, PM_RIGHT, 0, "%s", sp);
		pm_text(c, cols[5] + 260, y, 12.5, 0x111111, PM_RIGHT, 1, "%s", better);
		y += LINE;
	}
}

void pm_panel_table(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r)
{
	int y =
	    pm_panel_title(c, r, v->n == 1 ? "Statistics" : "Comparison",
			   v->n == 1 ? "counts are over every event in the file; nothing is sampled"
				     : "green: better, red: worse, where better is defined");

	if (v->n == 1)
		single(c, v, y + 14);
	else
		compare(c, v, y + 14);
}
