// SPDX-License-Identifier: GPL-2.0
/*
 * Panel 3: migratetype fallback patterns over time.  One row per FROM->TO,
 * worst severity at the top; columns are time bins of the shared axis; cell
 * colour on a log scale of one hue (blue: how many, never how bad; the
 * severity is the box left of each row) so one busy bin does not wash out
 * the rest; counts printed where they fit, black or white by background.
 * A/B: A in the upper half of each cell (blue), B in the lower half (orange).
 * Repeated runs of a side are pooled: a cell counts the events of all of
 * them.  The legend of the severity boxes comes from common/severity's
 * table, so a box's glyph means what the legend says.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"

#define ROW_MIN 4
#define ROW_H 36
#define LABEL_W 330

struct row {
	char from[FM_MT_NAME_LEN], to[FM_MT_NAME_LEN];
	struct fm_severity sev;
	uint64_t total;
	uint64_t n[2], steal[2], claim[2]; /* per side, its runs pooled */
	const struct pm_pattern *p[2][PM_MAX_REPEATS];
};

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->sev.score2 != y->sev.score2)
		return x->sev.score2 < y->sev.score2 ? -1 : 1;
	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return strcmp(x->from, y->from) ? strcmp(x->from, y->from) : strcmp(x->to, y->to);
}

static int rows_of(const struct pm_view *v, struct row *rows)
{
	int n = 0, nr = v->n > 2 ? 2 : v->n;

	for (int i = 0; i < nr; i++)
		for (int r = 0; r < v->sides[i].n; r++)
			for (int k = 0; k < v->sides[i].run[r]->npat; k++) {
				const struct pm_pattern *p = v->sides[i].run[r]->pat[k];
				int j;

				for (j = 0; j < n; j++)
					if (!strcmp(rows[j].from, p->from) &&
					    !strcmp(rows[j].to, p->to))
						break;
				if (j == n) {
					if (n == 2 * PM_MAX_PAT)
						continue;
					memset(&rows[n], 0, sizeof(rows[n]));
					snprintf(rows[n].from, sizeof(rows[n].from), "%s", p->from);
					snprintf(rows[n].to, sizeof(rows[n].to), "%s", p->to);
					rows[n].sev = p->sev;
					n++;
				}
				rows[j].p[i][r] = p;
				rows[j].total += p->steal + p->claim;
				rows[j].n[i] += p->steal + p->claim;
				rows[j].steal[i] += p->steal;
				rows[j].claim[i] += p->claim;
			}
	qsort(rows, (size_t)n, sizeof(*rows), row_cmp);
	return n;
}

static int row_h(int n)
{
	/* two-line labels up to 16 rows (6 migratetypes give at most 30) */
	return n <= 16 ? ROW_H : n <= 30 ? 26 : 22;
}

int pm_heatmap_height(const struct pm_view *v)
{
	static struct row rows[2 * PM_MAX_PAT];
	int n = rows_of(v, rows), h = row_h(n);

	return 40 + 16 + (n > ROW_MIN ? n : ROW_MIN) * h + 80;
}

static unsigned heat(double t)
{
	/* counts, one hue (ColorBrewer Blues): white -> #c6dbef -> #4292c6 -> #08306b */
	if (t <= 0)
		return 0xffffff;
	if (t < 1.0 / 3)
		return pm_mix(0xeff3ff, 0xc6dbef, t * 3);
	if (t < 2.0 / 3)
		return pm_mix(0xc6dbef, 0x4292c6, (t - 1.0 / 3) * 3);
	return pm_mix(0x4292c6, 0x08306b, (t - 2.0 / 3) * 3);
}

static unsigned heat2(int run, double t)
{
	return t <= 0 ? 0xffffff : pm_mix(0xffffff, run ? 0xe67e22 : 0x2471a3, 0.15 + 0.85 * t);
}

void pm_panel_heatmap(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r)
{
	static struct row rows[2 * PM_MAX_PAT];
	int n = rows_of(v, rows), rh = row_h(n), nr = v->n > 2 ? 2 : v->n;
	int cw_min = nr > 1 ? 56 : 44, ncols = (v->x1 - v->x0) / cw_min;
	double colw;
	uint32_t *cells, maxc = 0;
	int ytop;
	char sub[320];
	struct pm_legend_item leg[FM_SEV_KINDS];
	static char legtxt[FM_SEV_KINDS][80];
	int nleg = 0;

	if (ncols > 48)
		ncols = 48;
	/* columns of a round width, aligned with the time axis */
	colw = pm_nice_time(v->t1 / ncols);
	ncols = (int)ceil(v->t1 / colw - 1e-9);
	if (ncols < 1)
		ncols = 1;
	{
		uint64_t over = 0;
		char dur[32];
		size_t off;

		for (int i = 0; i < nr; i++)
			for (int rr = 0; rr < v->sides[i].n; rr++)
				over += v->sides[i].run[rr]->pat_overflow;
		pm_fmt_duration(colw, dur, sizeof(dur));
		off = (size_t)snprintf(sub, sizeof(sub), "%d patterns, %s per column", n, dur);
		/* each side's own shares: pooling A and B would describe neither */
		for (int i = 0; i < nr && off < sizeof(sub); i++) {
			uint64_t tot = 0, bad = 0, good = 0;

			for (int rr = 0; rr < v->sides[i].n; rr++) {
				const struct pm_run *run = v->sides[i].run[rr];

				tot += run->steal + run->claim;
				bad += run->bad;
				good += run->good;
			}
			if (!tot)
				off += (size_t)snprintf(
				    sub + off, sizeof(sub) - off, "; %s%sno fallbacks",
				    nr > 1 ? v->tag[i] : "", nr > 1 ? ": " : "");
			else
				off += (size_t)snprintf(
				    sub + off, sizeof(sub) - off,
				    "; %s%s%llu fallbacks: bad %.0f%%, good %.0f%%",
				    nr > 1 ? v->tag[i] : "", nr > 1 ? ": " : "",
				    (unsigned long long)tot, 100.0 * bad / tot, 100.0 * good / tot);
		}
		/* more distinct patterns than rows kept: say how many events have no row */
		if (over && off < sizeof(sub))
			snprintf(sub + off, sizeof(sub) - off,
				 " | events in patterns past the 64th: %llu",
				 (unsigned long long)over);
	}
	ytop = pm_panel_title(c, r, "Migratetype fallbacks over time (worst first)", sub);
	if (getenv("FRAGMON_PLOT_LAYOUT")) {
		fprintf(stderr, "layout: heatmap-sub %s\n", sub);
		for (int j = 0; j < n; j++)
			fprintf(stderr, "layout: heatmap-row %s>%s %s\n", rows[j].from, rows[j].to,
				rows[j].sev.marker);
	}
	/* the kinds of the rows shown (all of them when there are none) */
	for (int k = 0; k < FM_SEV_KINDS; k++) {
		const struct fm_severity *sk = &fm_severity_kinds[k];
		int shown = !n;

		for (int j = 0; j < n && !shown; j++)
			shown = rows[j].sev.score2 == sk->score2 &&
				!strcmp(rows[j].sev.marker, sk->marker);
		if (!shown)
			continue;
		snprintf(legtxt[nleg], sizeof(legtxt[0]), "%s %s", sk->marker, sk->legend);
		leg[nleg] = (struct pm_legend_item){legtxt[nleg], sk->rgb, PM_SQUARE};
		if (getenv("FRAGMON_PLOT_LAYOUT"))
			fprintf(stderr, "layout: heatmap-legend %s\n", legtxt[nleg]);
		nleg++;
	}
	pm_legend(c, v->x1, r.y + 16, 12, leg, nleg);
	ytop += 16;
	if (!n) {
		pm_note(c, (struct pm_rect){v->x0, ytop, v->x1 - v->x0, ROW_MIN * rh},
			nr > 1 ? "no extfrag events in these runs"
			       : "no extfrag events in this run");
		return;
	}
	cells = calloc((size_t)(n * nr * ncols), sizeof(*cells));
	if (!cells)
		return;
	for (int j = 0; j < n; j++)
		for (int i = 0; i < nr; i++)
			for (int rr = 0; rr < v->sides[i].n; rr++) {
				const struct pm_pattern *p = rows[j].p[i][rr];
				const struct pm_run *run = v->sides[i].run[rr];

				if (!p)
					continue;
				for (int b = 0; b < run->nbins; b++) {
					int k;

					if (!p->bins[b])
						continue;
					k = (int)((b + 0.5) * run->bw / colw);
					if (k >= ncols)
						k = ncols - 1;
					cells[(j * nr + i) * ncols + k] += p->bins[b];
				}
			}
	for (int k = 0; k < n * nr * ncols; k++)
		if (cells[k] > maxc)
			maxc = cells[k];
	pm_time_axis(c, v, ytop - 1, ytop + (n > ROW_MIN ? n : ROW_MIN) * rh);
	for (int j = 0; j < n; j++) {
		int y0 = ytop + j * rh, y1 = y0 + rh - 2;
		const struct row *row = &rows[j];
		char lab[160];
		int bx = v->x0 - 8 - 28;

		/* severity box, then the label */
		pm_rect_fill(c, bx, y0 + 2, bx + 26, y1 - 1, pm_rgb(row->sev.rgb));
		pm_text(c, bx + 13, (y0 + y1) / 2, 11,
			pm_is_dark(row->sev.rgb) ? 0xffffff : 0x111111, PM_CENTER, 1, "%s",
			row->sev.marker);
		{
			uint64_t na = row->n[0], nb = nr > 1 ? row->n[1] : 0;
			char pat[64], cnt[96];
			int avail = bx - 8 - (v->x0 - LABEL_W - 70);
			double pt;

			snprintf(pat, sizeof(pat), "%s%s%s", row->from[0] ? row->from : "?",
				 pm_arrow(c), row->to);
			if (nr == 1)
				snprintf(cnt, sizeof(cnt), "%llu: %llu steal / %llu claim",
					 (unsigned long long)na, (unsigned long long)row->steal[0],
					 (unsigned long long)row->claim[0]);
			else
				snprintf(cnt, sizeof(cnt), "%s %llu / %s %llu", v->tag[0],
					 (unsigned long long)na, v->tag[1], (unsigned long long)nb);
			if (rh >= 32) {
				/* two lines: the pattern, then its counts */
				pt = pm_fit(c, 12, 8, 1, pat, avail);
				pm_text(c, bx - 8, y0 + rh / 2 - 8, pt > 0 ? pt : 8, 0x111111,
					PM_RIGHT, 1, "%s", pat);
				pt = pm_fit(c, 10.5, 7, 0, cnt, avail);
				pm_text(c, bx - 8, y0 + rh / 2 + 8, pt > 0 ? pt : 7, 0x555555,
					PM_RIGHT, 0, "%s", cnt);
			} else {
				snprintf(lab, sizeof(lab), "%s (%s)", pat, cnt);
				pt = pm_fit(c, 11, 7, 0, lab, avail);
				pm_text(c, bx - 8, (y0 + y1) / 2, pt > 0 ? pt : 7, 0x222222,
					PM_RIGHT, 0, "%s", lab);
			}
		}
		for (int k = 0; k < ncols; k++) {
			int x0 = pm_x(v, k * colw) + 1;
			int x1 = pm_x(v, (k + 1) * colw) - 1;

			for (int i = 0; i < nr; i++) {
				uint32_t cnt = cells[(j * nr + i) * ncols + k];
				double t = cnt ? log1p(cnt) / log1p(maxc) : 0;
				unsigned col = nr == 1 ? heat(t) : heat2(i, t);
				int ya = nr == 1 ? y0 : i == 0 ? y0 : (y0 + y1) / 2 + 1;
				int yb = nr == 1 ? y1 : i == 0 ? (y0 + y1) / 2 : y1;
				char num[16];
				double pt;

				pm_rect_fill(c, x0, ya, x1, yb, pm_rgb(col));
				if (!cnt)
					continue;
				snprintf(num, sizeof(num), "%u", cnt);
				pt = pm_fit(c, nr == 1 ? 11.5 : 9, 7, 0, num, x1 - x0 - 4);
				if (pt > 0 && yb - ya >= 10)
					pm_text(c, (x0 + x1) / 2, (ya + yb) / 2, pt,
						pm_is_dark(col) ? 0xffffff : 0x111111, PM_CENTER, 0,
						"%s", num);
			}
		}
		if (nr > 1)
			gdImageLine(c->im, v->x0, y1 + 1, v->x1, y1 + 1, pm_rgb(0xbbbbbb));
	}
	pm_rect_line(c, v->x0 - 1, ytop - 1, v->x1, ytop + n * rh, pm_rgb(0x999999));
	if (nr > 1)
		pm_text(
		    c, v->x0, ytop + (n > ROW_MIN ? n : ROW_MIN) * rh + 58, 11.5, 0x444444, PM_LEFT,
		    0,
		    "upper half of each row: %s (blue); lower half: %s (orange)%s; darkest = %u "
		    "events in one cell",
		    v->tag[0], v->tag[1],
		    v->sides[0].n > 1 || v->sides[1].n > 1 ? "; a side's repeated runs summed" : "",
		    maxc);
	else
		pm_text(
		    c, v->x0, ytop + (n > ROW_MIN ? n : ROW_MIN) * rh + 58, 11.5, 0x444444, PM_LEFT,
		    0,
		    "colour: how many (log scale), darkest = %u events in one cell; how bad: the "
		    "box left of each row%s",
		    maxc, v->sides[0].n > 1 ? "; the repeated runs summed" : "");
	free(cells);
}
