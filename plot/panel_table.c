// SPDX-License-Identifier: GPL-2.0
/*
 * Panel 5: statistics.  Single run: rates, shares and means with their 95%
 * intervals, then the counts, then compaction and extfrag by order.  A/B:
 * one row per compared metric with A and B (95% intervals), B - A, its
 * simultaneous 95% interval and the verdict: better or worse only where the
 * interval excludes 0, else "within noise" (plot/stats.c).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "metrics.h"
#include "view.h"

#define LINE 26

static int nr_orders_used(const struct pm_run *r)
{
	int n = 0;

	for (int s = 0; s < PM_ORD; s++)
		n += r->succ[s] + r->fail[s] != 0;
	return n;
}

static int ef_orders_used(const struct pm_run *r)
{
	int n = 0;

	for (int s = 0; s < PM_ORD; s++)
		n += r->ef_order[s] != 0;
	return n;
}

static int ab_rows(const struct pm_view *v)
{
	int n = 0;

	for (int k = 0; k < v->cmp->nrows; k++)
		n += v->cmp->a[k].v.valid || v->cmp->b[k].v.valid;
	return n;
}

int pm_table_height(const struct pm_view *v)
{
	int rows = 0;

	if (v->n == 2 && v->cmp)
		return 40 + 20 + (v->cmp->nwarn + 2 + v->cmp->power.have) * LINE +
		       (ab_rows(v) + 2) * LINE + 30;
	if (v->n == 1) {
		int info = 0, cmp = 0, third;

		for (int k = 0; k < v->nrows; k++) {
			if (!v->est[k].v.valid)
				continue;
			if (v->rows[k].type == PM_INFO)
				info++;
			else
				cmp++;
		}
		/* the tallest of the three columns: rates and a note; counts and the run's
		 * three lines; compaction and extfrag by order */
		third = nr_orders_used(v->runs[0]) + ef_orders_used(v->runs[0]) + 4;
		rows = cmp + 2;
		if (info + 6 > rows)
			rows = info + 6;
		if (third > rows)
			rows = third;
	}
	return 40 + 20 + (rows + 2) * LINE + 30;
}

static void kv(struct pm_canvas *c, int x, int y, int w, const char *k, const char *val,
	       unsigned col)
{
	double pt = pm_fit(c, 12.5, 8, 0, k, w - pm_text_w(c, 12.5, 1, val) - 16);

	pm_text(c, x, y, pt > 0 ? pt : 8, 0x333333, PM_LEFT, 0, "%s", k);
	pm_text(c, x + w, y, 12.5, col, PM_RIGHT, 1, "%s", val);
	gdImageLine(c->im, x, y + LINE / 2, x + w, y + LINE / 2, pm_rgb(0xeeeeee));
}

static void label_unit(const struct pm_mrow *m, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s%s%s%s", m->label, m->unit[0] ? " (" : "", m->unit,
		 m->unit[0] ? ")" : "");
}

static void single(struct pm_canvas *c, const struct pm_view *v, int y)
{
	const struct pm_run *r = v->runs[0];
	int x = 60, w1 = 900, w2 = 560, w3 = 560, gap = 80;
	char buf[96], lab[128];
	int yy = y;

	pm_text(c, x, yy, 13.5, 0x111111, PM_LEFT, 1, "Rates, shares and means");
	pm_text(c, x + w1, yy, 11.5, 0x666666, PM_RIGHT, 0, "value  [95%% interval]");
	yy += LINE + 4;
	for (int k = 0; k < v->nrows; k++) {
		const struct pm_mrow *m = &v->rows[k];
		const struct pm_est *e = &v->est[k];

		if (m->type == PM_INFO || !e->v.valid)
			continue;
		pm_val_str(m, e->v, buf, sizeof(buf));
		if (e->why == PM_W_FEW)
			snprintf(buf, sizeof(buf), "%.0f of %.0f: too few for a rate", e->num,
				 e->den);
		else if (e->have_ci) {
			int d = pm_decimals(m, e->v.v);

			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "  [%.*f, %.*f]", d,
				 e->lo, d, e->hi);
		} else if (e->why == PM_W_NEEDREP) {
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "  (needs repeats)");
		}
		label_unit(m, lab, sizeof(lab));
		kv(c, x, yy, w1, lab, buf, 0x111111);
		yy += LINE;
	}
	if (v->info.bins < 4)
		pm_text(c, x, yy + 4, 11, 0x777777, PM_LEFT, 0,
			"no intervals: the run is %d bin%s long (snapshots every %g s)",
			v->info.bins, v->info.bins == 1 ? "" : "s", r->snap_interval);
	else {
		char note[200];
		double pt;

		snprintf(note, sizeof(note),
			 "95%%: batch means, %d bins of %g s; needs repeats: too few independent "
			 "periods in one run",
			 v->info.bins, v->info.bin_s);
		pt = pm_fit(c, 11, 7, 0, note, w1);
		pm_text(c, x, yy + 4, pt > 0 ? pt : 7, 0x777777, PM_LEFT, 0, "%s", note);
	}

	x += w1 + gap;
	yy = y;
	pm_text(c, x, yy, 13.5, 0x111111, PM_LEFT, 1, "Counts");
	yy += LINE + 4;
	for (int k = 0; k < v->nrows; k++) {
		const struct pm_mrow *m = &v->rows[k];

		if (m->type != PM_INFO || !v->est[k].v.valid)
			continue;
		pm_val_str(m, v->est[k].v, buf, sizeof(buf));
		if (m->unit[0])
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), " %s", m->unit);
		kv(c, x, yy, w2, m->label, buf,
		   (!strcmp(m->key, "events_dropped") || !strcmp(m->key, "events_outside_run")) &&
			   v->est[k].v.v > 0
		       ? 0xc0392b
		       : 0x111111);
		yy += LINE;
	}
	yy += 10;
	pm_text(c, x, yy, 13.5, 0x111111, PM_LEFT, 1, "Run");
	yy += LINE + 4;
	kv(c, x, yy, w2, "kernel", r->kernel[0] ? r->kernel : "unknown", 0x111111);
	yy += LINE;
	kv(c, x, yy, w2, "host", r->hostname[0] ? r->hostname : "unknown", 0x111111);
	yy += LINE;
	kv(c, x, yy, w2, "format",
	   r->have_run ? (r->truncated	     ? "fragmon (truncated)"
			  : r->have_metadata ? "fragmon"
					     : "fragmon (no metadata)")
		       : (r->truncated ? "legacy (truncated)" : "legacy"),
	   r->truncated || !r->have_metadata ? 0xc0392b : 0x111111);

	x += w2 + gap;
	yy = y;
	pm_text(c, x, yy, 13.5, 0x111111, PM_LEFT, 1, "Compaction by order: success / failure");
	yy += LINE + 4;
	for (int s = 0; s < PM_ORD; s++) {
		char k[32];

		if (!(r->succ[s] + r->fail[s]))
			continue;
		snprintf(k, sizeof(k), s ? "order %d" : "whole zone (-1)", s - 1);
		snprintf(buf, sizeof(buf), "%llu / %llu", (unsigned long long)r->succ[s],
			 (unsigned long long)r->fail[s]);
		/* a share of fewer than 10 runs is not a rate */
		if (r->succ[s] + r->fail[s] >= 10)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), " (%.1f%%)",
				 100.0 * r->succ[s] / (double)(r->succ[s] + r->fail[s]));
		kv(c, x, yy, w3, k, buf, 0x111111);
		yy += LINE;
	}
	if (yy == y + LINE + 4)
		kv(c, x, yy, w3, "no compaction events", "", 0x777777);
	yy += LINE + 10;
	pm_text(c, x, yy, 13.5, 0x111111, PM_LEFT, 1, "ExtFrag by allocation order");
	yy += LINE + 4;
	for (int s = 0; s < PM_ORD; s++) {
		char k[48];

		if (!r->ef_order[s])
			continue;
		snprintf(k, sizeof(k), "order %d", s - 1);
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)r->ef_order[s]);
		if (r->steal + r->claim >= 10)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), " (%.1f%%)",
				 100.0 * (double)r->ef_order[s] / (double)(r->steal + r->claim));
		kv(c, x, yy, w3, k, buf, 0x111111);
		yy += LINE;
	}
	if (!r->steal && !r->claim)
		kv(c, x, yy, w3, "no extfrag events", "", 0x777777);
}

/* verdict cell colours: background, text */
static void verdict_style(enum pm_verdict vd, unsigned *bg, unsigned *fg)
{
	switch (vd) {
	case PM_V_BETTER:
		*bg = 0xd4edda, *fg = 0x155724;
		break;
	case PM_V_WORSE:
		*bg = 0xf8d7da, *fg = 0x721c24;
		break;
	case PM_V_HIGHER:
	case PM_V_LOWER:
		*bg = 0xe3ecf7, *fg = 0x1d3c6e;
		break;
	case PM_V_SAME:
		*bg = 0xededed, *fg = 0x555555;
		break;
	default:
		*bg = 0xffffff, *fg = 0x999999;
		break;
	}
}

static const char *verdict_text(const struct pm_canvas *c, const struct pm_view *v,
				const struct pm_diff *d, char *buf, size_t cap)
{
	enum pm_verdict vd = d->verdict;

	switch (vd) {
	case PM_V_BETTER:
	case PM_V_WORSE:
		snprintf(buf, cap, "%s %s", v->tag[1], pm_verdict_word(vd));
		break;
	case PM_V_HIGHER:
	case PM_V_LOWER:
		snprintf(buf, cap, "%s %s", v->tag[1], pm_verdict_word(vd));
		break;
	case PM_V_SAME:
		snprintf(buf, cap, "%s within noise", c->ft ? "\xe2\x89\x88" : "~");
		break;
	case PM_V_NEEDREP:
		snprintf(buf, cap, "one run: needs repeats");
		break;
	case PM_V_UNTESTED:
		snprintf(buf, cap, "untested (primary %s)", c->ft ? "\xe2\x89\x88" : "~");
		break;
	default:
		snprintf(buf, cap, "n/a: %s", pm_why_text(d->why));
		break;
	}
	return buf;
}

static void ci_str(const struct pm_mrow *m, const struct pm_est *e, char *buf, size_t cap)
{
	if (e->why == PM_W_FEW) {
		/* a share of too few is not listed as a rate */
		snprintf(buf, cap, "n/a (%.0f of %.0f)", e->num, e->den);
		return;
	}
	pm_val_str(m, e->v, buf, cap);
	if (e->v.valid && e->have_ci) {
		int d = pm_decimals(m, e->v.v);

		snprintf(buf + strlen(buf), cap - strlen(buf), "  [%.*f, %.*f]", d, e->lo, d,
			 e->hi);
	}
}

/* a header right-aligned at xr in w pixels: s shrunk to fit, else the short form */
static void col_head(struct pm_canvas *c, int xr, int y, int w, const char *s, const char *shortf)
{
	double pt = pm_fit(c, 12.5, 9, 1, s, w);

	pm_text(c, xr, y, pt > 0 ? pt : 12.5, 0xffffff, PM_RIGHT, 1, "%s", pt > 0 ? s : shortf);
}

static void compare(struct pm_canvas *c, const struct pm_view *v, int y)
{
	const struct pm_compare *cmp = v->cmp;
	/* right edges of the value columns; the verdict is centred in its cell */
	static const int xa = 1080, xb = 1440, xd = 1700, xi = 2010, xv0 = 2040, xv1 = 2330;
	char buf[400], lab[128]; /* the method line names both runs: 160 cut it */
	int row = 0;

	for (int i = 0; i < cmp->nwarn; i++) {
		double pt = pm_fit(c, 13, 8, 1, cmp->warn[i], c->w - 150);

		pm_rect_fill(c, 50, y - LINE / 2 + 1, c->w - 60, y + LINE / 2 - 1,
			     pm_rgb(0xfff3cd));
		pm_text(c, 60, y, pt > 0 ? pt : 8, 0x7a4a00, PM_LEFT, 1, "warning: %s",
			cmp->warn[i]);
		y += LINE;
	}
	if (cmp->primary >= 0)
		snprintf(
		    buf, sizeof(buf),
		    "primary %s at its own 5%%; %d secondary rows (Holm, familywise 5%%) %s; "
		    "%s: %s; %s: %s",
		    cmp->rows[cmp->primary].key, cmp->nsec,
		    cmp->gate_open ? "tested: the primary differs"
				   : "not tested: the primary was not called",
		    v->tag[0], cmp->ia.runs > 1 ? "runs as the units" : "batch means of one run",
		    v->tag[1], cmp->ib.runs > 1 ? "runs as the units" : "batch means of one run");
	else
		snprintf(buf, sizeof(buf), "no primary row (no extfrag traced); %d rows, Holm",
			 cmp->nsec);
	pm_text(c, 60, y,
		pm_fit(c, 11.5, 7, 0, buf, c->w - 140) > 0 ? pm_fit(c, 11.5, 7, 0, buf, c->w - 140)
							   : 7,
		0x666666, PM_LEFT, 0, "method: %s", buf);
	y += LINE;
	if (cmp->power.have) {
		double pt;

		snprintf(
		    buf, sizeof(buf),
		    "power: a change of the primary by %.0f%% is seen 80%% of the time; to see "
		    "1.5x: >= %d runs per side of this length, or one run of >= %.0f s",
		    100 * cmp->power.mdc_rel, cmp->power.runs_for_15, cmp->power.s_for_15);
		pt = pm_fit(c, 11.5, 7, 0, buf, c->w - 140);
		pm_text(c, 60, y, pt > 0 ? pt : 7, 0x666666, PM_LEFT, 0, "%s", buf);
		y += LINE;
	}
	pm_rect_fill(c, 50, y - LINE / 2, c->w - 60, y + LINE / 2, pm_rgb(0x34495e));
	pm_text(c, 60, y, 12.5, 0xffffff, PM_LEFT, 1, "Metric (per second of run unless stated)");
	{
		/* each header within its column (long labels overlapped the next one) */
		char h[3][2 * PM_TAG_CAP + 16];

		snprintf(h[0], sizeof(h[0]), "%s  [95%%]", v->tag[0]);
		snprintf(h[1], sizeof(h[1]), "%s  [95%%]", v->tag[1]);
		snprintf(h[2], sizeof(h[2]), "%s - %s", v->tag[1], v->tag[0]);
		col_head(c, xa, y, xa - 640, h[0], "A  [95%]");
		col_head(c, xb, y, xb - xa - 20, h[1], "B  [95%]");
		col_head(c, xd, y, xd - xb - 20, h[2], "B - A");
	}
	pm_text(c, xi, y, 12.5, 0xffffff, PM_RIGHT, 1, "interval (its row's level)");
	pm_text(c, (xv0 + xv1) / 2, y, 12.5, 0xffffff, PM_CENTER, 1, "verdict");
	y += LINE;
	for (int k = 0; k < cmp->nrows; k++) {
		const struct pm_mrow *m = &cmp->rows[k];
		const struct pm_diff *d = &cmp->d[k];
		unsigned bg, fg;
		double ref = cmp->a[k].v.valid ? cmp->a[k].v.v : cmp->b[k].v.v;
		int dec = pm_decimals(m, ref);
		double pt;

		if (!cmp->a[k].v.valid && !cmp->b[k].v.valid)
			continue;
		if (row++ % 2)
			pm_rect_fill(c, 50, y - LINE / 2, c->w - 60, y + LINE / 2,
				     pm_rgb(0xf7f7f7));
		label_unit(m, lab, sizeof(lab));
		if (k == cmp->primary)
			snprintf(lab + strlen(lab), sizeof(lab) - strlen(lab), " - primary");
		pt = pm_fit(c, 12.5, 8, 0, lab, xa - 300 - 70);
		pm_text(c, 60, y, pt > 0 ? pt : 8, 0x222222, PM_LEFT, 0, "%s", lab);
		ci_str(m, &cmp->a[k], buf, sizeof(buf));
		pm_text(c, xa, y, 12.5, 0x111111, PM_RIGHT, 0, "%s", buf);
		ci_str(m, &cmp->b[k], buf, sizeof(buf));
		pm_text(c, xb, y, 12.5, 0x111111, PM_RIGHT, 0, "%s", buf);
		if (d->valid) {
			snprintf(buf, sizeof(buf), "%+.*f", dec, d->d);
			if (cmp->a[k].v.v != 0 && m->unit[0] != '%')
				snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), " (%+.0f%%)",
					 100 * d->d / fabs(cmp->a[k].v.v));
		} else {
			snprintf(buf, sizeof(buf), "n/a");
		}
		pm_text(c, xd, y, 12.5, 0x111111, PM_RIGHT, 0, "%s", buf);
		if (d->have_ci)
			snprintf(buf, sizeof(buf), "[%+.*f, %+.*f]", dec, d->lo, dec, d->hi);
		else
			snprintf(buf, sizeof(buf), "n/a");
		pm_text(c, xi, y, 12.5, 0x111111, PM_RIGHT, 0, "%s", buf);
		verdict_style(d->verdict, &bg, &fg);
		pm_rect_fill(c, xv0, y - LINE / 2 + 2, xv1, y + LINE / 2 - 2, pm_rgb(bg));
		verdict_text(c, v, d, buf, sizeof(buf));
		pt = pm_fit(c, 12.5, 7, 1, buf, xv1 - xv0 - 10);
		pm_text(c, (xv0 + xv1) / 2, y, pt > 0 ? pt : 7, fg, PM_CENTER, 1, "%s", buf);
		y += LINE;
	}
}

void pm_panel_table(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r)
{
	char sub[200];

	if (v->n == 2 && v->cmp)
		snprintf(sub, sizeof(sub),
			 "rates per second of run; any verdict by chance in 5%% of comparisons; a "
			 "verdict only where B - A excludes 0; state rows: zone %s",
			 pm_run_main_zone(v->runs[0]) ? pm_run_main_zone(v->runs[0])->name
						      : "none");
	else
		snprintf(sub, sizeof(sub), "every event in the file counts; nothing is sampled");
	{
		int y = pm_panel_title(c, r, v->n == 1 ? "Statistics" : "Comparison", sub);

		if (v->n == 1)
			single(c, v, y + 14);
		else if (v->cmp)
			compare(c, v, y + 14);
	}
}
