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

static int order_rows(const struct pm_view *v, struct pm_metric *a, struct pm_metric *b,
		      char (*labels)[64]);

static int ef_orders_used(const struct pm_run *r)
{
	int n = 0;

	for (int s = 0; s < PM_ORD; s++)
		n += r->ef_order[s] != 0;
	return n;
}

/* metrics with a value in any of the runs (the rows the tables draw) */
static int valid_metrics(const struct pm_view *v)
{
	struct pm_metric m[PM_MAX_RUNS][PM_M_N];
	int n = 0;

	for (int i = 0; i < v->n; i++)
		pm_metrics(v->runs[i], m[i]);
	for (int k = 0; k < PM_M_N; k++) {
		int any = 0;

		for (int i = 0; i < v->n; i++)
			any |= m[i][k].valid;
		n += any;
	}
	return n;
}

int pm_table_height(const struct pm_view *v)
{
	int rows = valid_metrics(v) + 1; /* + the header row */
	int ord = nr_orders_used(v);

	if (v->n == 2) {
		struct pm_metric a[2 * PM_ORD], b[2 * PM_ORD];
		char labels[2 * PM_ORD][64];

		rows += order_rows(v, a, b, labels);
	}

	/* third column: compaction by order, extfrag, extfrag by order */
	if (v->n == 1 && ord + ef_orders_used(v->runs[0]) + 10 > rows)
		rows = ord + ef_orders_used(v->runs[0]) + 10;
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
	yy += LINE;
	for (int s = 0; s < PM_ORD; s++) {
		char k[48];

		if (!r->ef_order[s])
			continue;
		snprintf(k, sizeof(k), "extfrag events, allocation order %d", s - 1);
		snprintf(buf, sizeof(buf), "%llu (%.1f%%)", (unsigned long long)r->ef_order[s],
			 100.0 * (double)r->ef_order[s] / (double)(r->steal + r->claim));
		kv(c, x, yy, colw, k, buf, 0x111111);
		yy += LINE;
	}
}

/* one row of the A/B table: A, B, delta, delta %, which is better */
static void ab_row(struct pm_canvas *c, const struct pm_view *v, int y, int shade,
		   const struct pm_metric *a, const struct pm_metric *b)
{
	static const int cols[] = {60, 700, 1000, 1300, 1600, 1900};
	char sa[48], sb[48], sd[48], sp[48];
	const char *better = "";
	unsigned ca = 0xffffff, cb = 0xffffff;

	pm_metric_str(a, sa, sizeof(sa));
	pm_metric_str(b, sb, sizeof(sb));
	if (a->valid && b->valid) {
		struct pm_metric d = *b;
		double diff = b->v - a->v;

		d.v = diff;
		pm_metric_str(&d, sd, sizeof(sd));
		if (diff > 0)
			memmove(sd + 1, sd, strlen(sd) + 1), sd[0] = '+';
		if (a->v != 0)
			snprintf(sp, sizeof(sp), "%+.1f%%", 100.0 * diff / fabs(a->v));
		else
			snprintf(sp, sizeof(sp), diff == 0 ? "0.0%%" : "n/a");
		if (a->better != PM_NEUTRAL && diff != 0) {
			int b_wins = (diff > 0) == (a->better == PM_HIGHER);

			better = b_wins ? v->tag[1] : v->tag[0];
			ca = b_wins ? 0xf8d7da : 0xd4edda;
			cb = b_wins ? 0xd4edda : 0xf8d7da;
		} else if (a->better != PM_NEUTRAL) {
			better = "same";
		}
	} else {
		snprintf(sd, sizeof(sd), "n/a");
		snprintf(sp, sizeof(sp), "n/a");
	}
	if (shade)
		pm_rect_fill(c, 50, y - LINE / 2, c->w - 60, y + LINE / 2, pm_rgb(0xf7f7f7));
	pm_rect_fill(c, cols[1] + 20, y - LINE / 2 + 1, cols[1] + 270, y + LINE / 2 - 1,
		     pm_rgb(ca));
	pm_rect_fill(c, cols[2] + 20, y - LINE / 2 + 1, cols[2] + 270, y + LINE / 2 - 1,
		     pm_rgb(cb));
	pm_text(c, cols[0], y, 12.5, 0x222222, PM_LEFT, 0, "%s%s%s%s", a->label,
		a->unit[0] ? " (" : "", a->unit, a->unit[0] ? ")" : "");
	pm_text(c, cols[1] + 260, y, 12.5, 0x111111, PM_RIGHT, 0, "%s", sa);
	pm_text(c, cols[2] + 260, y, 12.5, 0x111111, PM_RIGHT, 0, "%s", sb);
	pm_text(c, cols[3] + 260, y, 12.5, 0x111111, PM_RIGHT, 0, "%s", sd);
	pm_text(c, cols[4] + 260, y, 12.5, 0x111111, PM_RIGHT, 0, "%s", sp);
	pm_text(c, cols[5] + 260, y, 12.5, 0x111111, PM_RIGHT, 1, "%s", better);
}

/* per-order rows of the A/B table: extfrag events and compaction success rate for
 * each order either run has; the question "do large folios fragment more" is per order */
static int order_rows(const struct pm_view *v, struct pm_metric *a, struct pm_metric *b,
		      char (*labels)[64])
{
	int n = 0;

	for (int s = 0; s < PM_ORD; s++) {
		const struct pm_run *r[2] = {v->runs[0], v->runs[1]};

		if (r[0]->ef_order[s] || r[1]->ef_order[s]) {
			snprintf(labels[n], 64, "ExtFrag events, order %d", s - 1);
			for (int i = 0; i < 2; i++)
				(i ? b : a)[n] = (struct pm_metric){
				    "", labels[n], "", 0, PM_LOWER, 1, (double)r[i]->ef_order[s]};
			n++;
		}
		if (r[0]->succ[s] + r[0]->fail[s] + r[1]->succ[s] + r[1]->fail[s]) {
			snprintf(labels[n], 64, "Compaction success rate, order %d", s - 1);
			for (int i = 0; i < 2; i++) {
				uint64_t t = r[i]->succ[s] + r[i]->fail[s];

				(i ? b : a)[n] = (struct pm_metric){
				    "",
				    labels[n],
				    "%",
				    1,
				    PM_HIGHER,
				    t != 0,
				    t ? 100.0 * (double)r[i]->succ[s] / (double)t : 0};
			}
			n++;
		}
	}
	return n;
}

static void compare(struct pm_canvas *c, const struct pm_view *v, int y)
{
	struct pm_metric a[PM_M_N], b[PM_M_N], oa[2 * PM_ORD], ob[2 * PM_ORD];
	char labels[2 * PM_ORD][64];
	const char *hdr[] = {"Metric", v->tag[0], v->tag[1], "delta (B - A)", "delta %", "better"};
	static const int cols[] = {60, 700, 1000, 1300, 1600, 1900};
	int row = 0, no;

	pm_metrics(v->runs[0], a);
	pm_metrics(v->runs[1], b);
	pm_rect_fill(c, 50, y - LINE / 2, c->w - 60, y + LINE / 2, pm_rgb(0x34495e));
	for (int k = 0; k < 6; k++)
		pm_text(c, k ? cols[k] + 260 : cols[k], y, 12.5, 0xffffff, k ? PM_RIGHT : PM_LEFT,
			1, "%s", hdr[k]);
	y += LINE;
	for (int k = 0; k < PM_M_N; k++) {
		if (!a[k].valid && !b[k].valid)
			continue;
		ab_row(c, v, y, row++ % 2, &a[k], &b[k]);
		y += LINE;
	}
	no = order_rows(v, oa, ob, labels);
	for (int k = 0; k < no; k++) {
		ab_row(c, v, y, row++ % 2, &oa[k], &ob[k]);
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
