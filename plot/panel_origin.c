// SPDX-License-Identifier: GPL-2.0
/*
 * "Where it came from" (docs/plot.md): single run, three columns: the tests
 * with the most fallbacks (count, rate while the test ran, share of the
 * run's), the tasks, the call paths (allocator's caller <- entry).  A/B: the
 * test-by-test comparison (plot/pertest.h), the call paths that appear or
 * grow on B, B's tasks.  And the marker lines on the timelines: a thin line
 * where each test began (phases: begin and end), labelled when few.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "origin_report.h"
#include "panel_origin.h"

#define LINE 24
#define ROWS 12	    /* rows per column */
#define LABELLED 15 /* marker lines labelled up to this many tests */
#define TEST_RGB 0x8d6e63
#define PHASE_RGB 0x7b1fa2

static int has(const struct pm_view *v, int i)
{
	return i < v->n && po_any(v->runs[i]->origin);
}

int pm_origin_height(const struct pm_view *v)
{
	struct po_table *t;
	int rows = 1;

	if (!has(v, 0) && !has(v, 1))
		return 0;
	if (v->n == 2 && has(v, 0) && has(v, 1))
		return 40 + 20 + (ROWS + 3) * LINE + 30;
	/* one run: as tall as its longest column */
	if ((t = malloc(sizeof(*t)))) {
		const struct pm_run *r = v->runs[has(v, 0) ? 0 : 1];

		if (!po_tests_table(r, PO_TEST, t) && t->n + (t->all > ROWS) > rows)
			rows = t->n + (t->all > ROWS);
		if (!po_tasks_table(r, t) && t->n + (t->all > ROWS) > rows)
			rows = t->n + (t->all > ROWS);
		if (!po_paths_table(r, t) && t->n + (t->all > ROWS) > rows)
			rows = t->n + (t->all > ROWS);
		free(t);
	} else {
		rows = ROWS;
	}
	return 40 + 20 + ((rows < ROWS ? rows : ROWS + 1) + 2) * LINE + 30;
}

/* one row: label on the left (fitted), value on the right */
static void row(struct pm_canvas *c, int x, int y, int w, const char *k, const char *val,
		unsigned col)
{
	int vw = pm_text_w(c, 12, 1, val);
	double pt = pm_fit(c, 12, 7, 0, k, w - vw - 14);
	char cut[200];

	if (pt > 0) {
		pm_text(c, x, y, pt, 0x333333, PM_LEFT, 0, "%s", k);
	} else {
		/* too long even at 7 pt: the end goes */
		int n = (int)strlen(k);

		snprintf(cut, sizeof(cut), "%s", k);
		while (n > 4 && pm_text_w(c, 7, 0, cut) > w - vw - 14) {
			n--;
			snprintf(cut + n - 3, sizeof(cut) - (size_t)(n - 3), "...");
			cut[n] = '\0';
		}
		pm_text(c, x, y, 7, 0x333333, PM_LEFT, 0, "%s", cut);
	}
	pm_text(c, x + w, y, 12, col, PM_RIGHT, 1, "%s", val);
}

/* a ratio for people: 2 significant digits, no exponent up to 10^6 */
static void ratio(double v, char *buf, size_t cap)
{
	if (v >= 1e6)
		snprintf(buf, cap, ">1e6");
	else if (v >= 10)
		snprintf(buf, cap, "%.0f", v);
	else if (v >= 0.01)
		snprintf(buf, cap, "%.2g", v);
	else
		snprintf(buf, cap, "<0.01");
}

static void head(struct pm_canvas *c, int x, int y, int w, const char *t)
{
	double pt = pm_fit(c, 13, 8, 1, t, w);

	pm_text(c, x, y, pt > 0 ? pt : 8, 0x111111, PM_LEFT, 1, "%s", t);
	gdImageLine(c->im, x, y + 13, x + w, y + 13, pm_rgb(0xcccccc));
}

static void column(struct pm_canvas *c, int x, int y, int w, const char *title,
		   const struct po_table *t, int kind, const char *none)
{
	char val[96];

	head(c, x, y, w, title);
	y += LINE + 6;
	if (!t->n) {
		pm_text(c, x, y, 12, 0x777777, PM_LEFT, 0, "%s", none);
		return;
	}
	for (int i = 0; i < t->n && i < ROWS; i++, y += LINE) {
		const struct po_row *r = &t->row[i];

		if (kind == 0)
			snprintf(val, sizeof(val), "%.0f   %.3g/s   %.1f%%", r->n, r->rate,
				 r->share);
		else
			snprintf(val, sizeof(val), "%.0f   %.1f%%", r->n, r->share);
		row(c, x, y, w, r->label, val, 0x222222);
	}
	if (t->all > ROWS) {
		double rest = t->rest;

		for (int i = ROWS; i < t->n; i++)
			rest += t->row[i].n;
		pm_text(c, x, y, 11, 0x777777, PM_LEFT, 0, "+ %d more: %.0f fallbacks",
			t->all - ROWS, rest);
	}
}

static void single(struct pm_canvas *c, const struct pm_run *r, struct pm_rect rc, int y)
{
	struct po_table *t = malloc(sizeof(*t));
	int w = (rc.w - 80) / 3;
	char title[160];

	if (!t)
		return;
	if (!po_tests_table(r, PO_TEST, t)) {
		snprintf(title, sizeof(title),
			 "Tests: %d  (fallbacks, per second while it ran, share)", t->all);
		column(c, rc.x, y, w, title, t, 0,
		       r->origin->n_markers ? "no test markers" : "no markers in this run");
	}
	if (!po_tasks_table(r, t)) {
		/* the tasks with their pid where one pid had them all */
		for (int i = 0; i < t->n; i++)
			if (t->row[i].pids == 1 && t->row[i].pid > 0) {
				size_t l = strlen(t->row[i].label);

				snprintf(t->row[i].label + l, sizeof(t->row[i].label) - l,
					 " (%lld)", t->row[i].pid);
			}
		snprintf(title, sizeof(title), "Processes: %d  (fallbacks, share)", t->all);
		column(c, rc.x + w + 40, y, w, title, t, 1, "no per-task counts in this file");
	}
	if (!po_paths_table(r, t)) {
		snprintf(
		    title, sizeof(title),
		    "Call paths: %d  (allocator's caller \xe2\x86\x90 entry; fallbacks, share)",
		    t->all);
		column(c, rc.x + 2 * (w + 40), y, w, title, t, 2,
		       r->origin->have_stacks && !r->origin->stacks_enabled
			   ? "stacks turned off in the agent"
			   : "no call paths in this file");
	}
	free(t);
}

static void ab(struct pm_canvas *c, const struct pm_view *v, struct pm_rect rc, int y)
{
	const struct pm_run *a = v->runs[0], *b = v->runs[1];
	struct po_table *t = malloc(sizeof(*t));
	struct pt_result res;
	int w = (rc.w - 80) / 3, yy = y;
	char title[200], val[96];

	if (!t)
		return;
	if (!po_pertest(a, b, &res)) {
		if (res.have_ci)
			snprintf(title, sizeof(title),
				 "Per test, B/A: %.2f [%.2f, %.2f] over %d tests: %s", exp(res.hl),
				 exp(res.hl_lo), exp(res.hl_hi), res.m,
				 res.verdict > 0   ? "more on B"
				 : res.verdict < 0 ? "fewer on B"
						   : "within noise");
		else
			snprintf(title, sizeof(title),
				 "Per test, B/A: %d tests (too few for an "
				 "interval)",
				 res.m);
		head(c, rc.x, yy, w, title);
		yy += LINE + 6;
		for (int i = 0; i < res.m && i < ROWS; i++, yy += LINE) {
			const struct pt_row *p = &res.rows[i];

			if (p->y <= 0 && !p->flag)
				break;
			char r0[16], r1[16], r2[16];

			ratio(exp(p->y), r0, sizeof(r0));
			ratio(exp(p->lo), r1, sizeof(r1));
			ratio(exp(p->hi), r2, sizeof(r2));
			snprintf(val, sizeof(val), "%.0f \xe2\x86\x92 %.0f   x%s [%s, %s]", p->na,
				 p->nb, r0, r1, r2);
			row(c, rc.x, yy, w, p->name, val,
			    p->flag > 0	  ? 0xc62828
			    : p->flag < 0 ? 0x2e7d32
					  : 0x222222);
		}
		pm_text(c, rc.x, yy + 4, 10.5, 0x777777, PM_LEFT, 0,
			"red: more on B beyond noise (intervals simultaneous over the tests)");
		pt_free(&res);
	} else {
		head(c, rc.x, yy, w, "Per test, B vs A");
		pm_text(c, rc.x, yy + LINE + 6, 12, 0x777777, PM_LEFT, 0, "%s",
			"no tests ran in both runs");
	}
	yy = y;
	head(c, rc.x + w + 40, yy, w, "Call paths that appear or grow on B (per hour)");
	yy += LINE + 6;
	if (!po_paths_grow(a, b, t)) {
		for (int i = 0; i < t->n && i < ROWS; i++, yy += LINE) {
			if (t->row[i].a > 0)
				snprintf(val, sizeof(val), "%.3g \xe2\x86\x92 %.3g", t->row[i].a,
					 t->row[i].b);
			else
				snprintf(val, sizeof(val), "new: %.3g", t->row[i].b);
			row(c, rc.x + w + 40, yy, w, t->row[i].label, val,
			    t->row[i].a > 0 ? 0x222222 : 0xc62828);
		}
		if (!t->n)
			pm_text(c, rc.x + w + 40, yy, 12, 0x777777, PM_LEFT, 0, "%s",
				b->origin && b->origin->nstacks ? "none" : "no call paths in B");
	}
	if (b->origin && !po_tasks_table(b, t))
		column(c, rc.x + 2 * (w + 40), y, w, "Processes on B  (fallbacks, share)", t, 1,
		       "no per-task counts in B");
	free(t);
}

void pm_panel_origin(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r)
{
	int y =
	    pm_panel_title(c, r, "Where it came from",
			   v->n == 2 ? "tests compared one by one; call paths and processes"
				     : "tests, processes and kernel call paths of the fallbacks");

	if (v->n == 2 && has(v, 0) && has(v, 1))
		ab(c, v, r, y + 10);
	else
		single(c, v->runs[has(v, 0) ? 0 : 1], r, y + 10);
}

void pm_origin_marks(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r, int label)
{
	int ytop, ybot;

	(void)r;
	if (!pm_time_axis_area(&ytop, &ybot))
		return;

	for (int i = 0; i < v->n && i < 2; i++) {
		const struct po_origin *o = v->runs[i]->origin;
		int ntests = 0, lastx = -1000;

		if (!o || !o->nmarks)
			continue;
		for (int k = 0; k < o->nmarks; k++)
			ntests += o->marks[k].kind == PO_TEST && o->marks[k].begin;
		for (int k = 0; k < o->nmarks; k++) {
			const struct po_mark *m = &o->marks[k];
			int x = pm_x(v, m->t), ph = m->kind == PO_PHASE;

			if (!ph && !m->begin)
				continue;
			pm_line(c, x, ytop, x, ybot, pm_rgba(ph ? PHASE_RGB : TEST_RGB, 0.55), 1,
				i == 1);
			if (label && (ph || ntests <= LABELLED) && x - lastx > 30) {
				/* below the panel's own note lines at the top left */
				int ly = ytop + 44 + 14 * i + (ph ? 28 : 0);

				pm_text(c, x + 3, ly, 9, ph ? PHASE_RGB : TEST_RGB, PM_LEFT, 0,
					"%s%s%s", v->n == 2 ? (i ? "B " : "A ") : "",
					o->names[m->name].name,
					ph ? (m->begin ? " \xe2\x96\xb8" : " \xe2\x97\x82") : "");
				lastx = x;
			}
		}
	}
}
