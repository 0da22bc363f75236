// SPDX-License-Identifier: GPL-2.0
#include "warnings.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "trend.h"

/* one wording per kind: "<who>: <what> <detail>: <why>" for one run, "<what>:
 * <who> <detail>, <who> <detail>, ...: <why>" for several */
static const struct {
	const char *what, *why;
	int stderr_too; /* printed as the run is loaded */
} kinds[PM_WK_N] = {
    [PM_WK_TRUNCATED] = {"truncated",
			 "no complete JSON (agent killed?): the events before the "
			 "cut are plotted",
			 1},
    [PM_WK_NO_METADATA] = {"no metadata", "an incomplete run", 1},
    [PM_WK_CHECKPOINT] = {"a checkpoint", "written while the run went on", 1},
    [PM_WK_DROPPED] = {"events dropped by the ring buffer", "totals may be low", 0},
    [PM_WK_NO_BPF] = {"BPF capture did not run", "snapshots only, no events", 0},
    [PM_WK_NO_EXTFRAG] = {"extfrag events not captured", "their panels and rates are empty", 0},
    [PM_WK_NO_COMPACTION] = {"compaction events not captured", "their panels and rates are empty",
			     0},
    [PM_WK_NO_MIGRATE] = {"migration events not captured", "their rates are empty", 0},
    [PM_WK_OUTSIDE] = {"events with timestamps outside the run",
		       "counted, left out of every panel and metric", 0},
    [PM_WK_NO_EVENTS] = {"no events in the file", "", 0},
    [PM_WK_DURATION] = {"duration differs from the baseline's by more than 10%",
			"rates per second are compared, never raw counts", 0},
    [PM_WK_TREND] = {"repeated runs trend",
		     "not exchangeable repeats: a difference from another side may be this "
		     "drift (run the sides interleaved)",
		     0},
};

static struct pm_warning *add(struct pm_warning *w, int *n, int max, enum pm_wkind k,
			      const char *who)
{
	if (*n >= max)
		return NULL;
	w[*n].kind = k;
	snprintf(w[*n].who, sizeof(w[*n].who), "%s", who);
	w[*n].detail[0] = '\0';
	return &w[(*n)++];
}

int pm_run_warnings(const struct pm_run *r, struct pm_warning *w, int max)
{
	struct pm_warning *x;
	int n = 0;

	if (r->truncated) {
		if ((x = add(w, &n, max, PM_WK_TRUNCATED, r->label)))
			snprintf(x->detail, sizeof(x->detail), "at byte %lld with %llu events read",
				 r->trunc_at, (unsigned long long)r->n_events);
	} else if (!r->have_metadata) {
		add(w, &n, max, PM_WK_NO_METADATA, r->label);
	} else if (r->complete == 0 && (x = add(w, &n, max, PM_WK_CHECKPOINT, r->label))) {
		snprintf(x->detail, sizeof(x->detail), "(%s)",
			 r->end_reason[0] ? r->end_reason : "not complete");
	}
	if (r->events_dropped > 0 && (x = add(w, &n, max, PM_WK_DROPPED, r->label)))
		snprintf(x->detail, sizeof(x->detail), "(%lld)", r->events_dropped);
	if (r->bpf_error[0] && (x = add(w, &n, max, PM_WK_NO_BPF, r->label)))
		snprintf(x->detail, sizeof(x->detail), "(%s)", r->bpf_error);
	for (int k = 0; k < PM_TP_N && !r->bpf_error[0]; k++)
		if (r->tp[k] == 0 && (x = add(w, &n, max, PM_WK_NO_EXTFRAG + k, r->label)))
			snprintf(x->detail, sizeof(x->detail), "(tracepoint %s)", r->tp_why[k]);
	if (r->outside && (x = add(w, &n, max, PM_WK_OUTSIDE, r->label)))
		snprintf(
		    x->detail, sizeof(x->detail), "(%llu, %.6g to %.6g s; the run is 0 to %.6g s)",
		    (unsigned long long)r->outside, r->out_min, r->out_max, pm_run_duration(r));
	if (!r->n_events)
		add(w, &n, max, PM_WK_NO_EVENTS, r->label);
	return n;
}

void pm_warn_stderr(const struct pm_run *r, const char *src)
{
	struct pm_warning w[PM_WK_N];
	int n = pm_run_warnings(r, w, PM_WK_N);

	for (int i = 0; i < n; i++)
		if (kinds[w[i].kind].stderr_too)
			fprintf(stderr, "fragmon-plot: %s: warning: %s%s%s%s%s\n", src,
				kinds[w[i].kind].what, w[i].detail[0] ? " " : "", w[i].detail,
				kinds[w[i].kind].why[0] ? ": " : "", kinds[w[i].kind].why);
}

int pm_warn_lines(const struct pm_warning *w, int n, char (*lines)[600], int max)
{
	int nl = 0;

	for (int k = 0; k < PM_WK_N && nl < max; k++) {
		int count = 0, first = -1;
		size_t off = 0, cap = sizeof(lines[0]);
		char *l = lines[nl];

		for (int i = 0; i < n; i++)
			if ((int)w[i].kind == k && !count++)
				first = i;
		if (!count)
			continue;
		if (count == 1) {
			snprintf(l, cap, "%s: %s%s%s%s%s", w[first].who, kinds[k].what,
				 w[first].detail[0] ? " " : "", w[first].detail,
				 kinds[k].why[0] ? ": " : "", kinds[k].why);
			nl++;
			continue;
		}
		/* one line for the kind: its runs, as many as fit, then how many more */
		/* about 300 characters fit the image's width at 10 pt */
		cap = 300;
		off = (size_t)snprintf(l, cap, "%s (%d runs): ", kinds[k].what, count);
		for (int i = 0, shown = 0; i < n; i++) {
			char item[480];
			int len;

			if ((int)w[i].kind != k)
				continue;
			len = snprintf(item, sizeof(item), "%s%s%s%s", shown ? ", " : "", w[i].who,
				       w[i].detail[0] ? " " : "", w[i].detail);
			if (off + (size_t)len + 40 + strlen(kinds[k].why) >= cap || shown >= 8) {
				off += (size_t)snprintf(l + off, cap - off, " and %d more",
							count - shown);
				break;
			}
			memcpy(l + off, item, (size_t)len + 1);
			off += (size_t)len;
			shown++;
		}
		if (kinds[k].why[0] && off < cap)
			snprintf(l + off, cap - off, ": %s", kinds[k].why);
		nl++;
	}
	return nl;
}

/* the trend warning of a side into x: 1, else 0 (no trend) */
static int trend_warning(const struct pm_side *s, struct pm_warning *x)
{
	struct pm_trend t;
	size_t off;

	pm_trend_side(s, &t);
	if (!t.trend)
		return 0;
	x->kind = PM_WK_TREND;
	snprintf(x->who, sizeof(x->who), "%s", s->label);
	off = (size_t)snprintf(x->detail, sizeof(x->detail),
			       "(%d runs %s: extfrag/s %s, Spearman rho %+.2f, permutation p %.3f:",
			       t.n, t.by_start ? "by start time" : "in the order given",
			       t.rho < 0 ? "falls" : "rises", t.rho, t.p);
	for (int k = 0; k < t.n && off < sizeof(x->detail); k++)
		off += (size_t)snprintf(x->detail + off, sizeof(x->detail) - off, "%s%.3g",
					k ? ", " : " ", t.rate[k]);
	if (off < sizeof(x->detail))
		snprintf(x->detail + off, sizeof(x->detail) - off, ")");
	return 1;
}

static double side_duration(const struct pm_side *s)
{
	double d = 0;

	for (int i = 0; i < s->n; i++)
		d += pm_run_duration(s->run[i]);
	return s->n ? d / s->n : 0;
}

int pm_sides_warnings(const struct pm_side *sides, int n, int durations, struct pm_warning *w,
		      int max)
{
	int nw = 0;
	double d0 = n ? side_duration(&sides[0]) : 0;

	for (int i = 0; i < n; i++)
		for (int k = 0; k < sides[i].n && nw < max; k++)
			nw += pm_run_warnings(sides[i].run[k], w + nw, max - nw);
	for (int i = 1; durations && i < n; i++) {
		/* the rule of the A/B comparison (stats.c): more than 10% of the shorter */
		double d = side_duration(&sides[i]);
		struct pm_warning *x;

		if (d0 > 0 && d > 0 && fabs(d - d0) > 0.1 * fmin(d, d0) &&
		    (x = add(w, &nw, max, PM_WK_DURATION, sides[i].label)))
			snprintf(x->detail, sizeof(x->detail), "(%.1f s, %+.0f%%)", d,
				 100 * (d - d0) / d0);
	}
	for (int i = 0; i < n && nw < max; i++)
		nw += trend_warning(&sides[i], &w[nw]);
	return nw;
}

static const char *order_word(const struct pm_trend *t)
{
	return t->by_start ? "by start time" : "in the order given";
}

void pm_trend_summary(FILE *out, const struct pm_side *sides, int n)
{
	for (int i = 0; i < n; i++) {
		struct pm_trend t;
		struct pm_warning w[1];
		char line[1][600];

		if (sides[i].n < 2)
			continue;
		if (!i || sides[i - 1].n < 2)
			fputc('\n', out); /* a block of its own after the runs' */
		pm_trend_side(&sides[i], &t);
		if (!t.tested)
			fprintf(out, "trend: %s: %d runs, not tested (%s)\n", sides[i].label, t.n,
				t.n < PM_TREND_MIN_RUNS ? "needs 5 runs or more"
							: "every run has the same rate");
		else
			fprintf(out,
				"trend: %s: %d runs %s, extfrag/s against run order: Spearman rho "
				"%+.2f, permutation p %.3f (a trend where p <= %.2f)\n",
				sides[i].label, t.n, order_word(&t), t.rho, t.p, PM_TREND_ALPHA);
		/* the warning's wording is the image's */
		if (trend_warning(&sides[i], w) && pm_warn_lines(w, 1, line, 1))
			fprintf(out, "warning: %s\n", line[0]);
	}
}

#define S(g, s) yajl_gen_string(g, (const unsigned char *)(s), strlen(s))

/* 6 significant digits, as the rest of the report */
static void num6(yajl_gen g, double v)
{
	char b[32];
	int len = snprintf(b, sizeof(b), "%.6g", v);

	yajl_gen_number(g, b, (size_t)len);
}

void pm_trend_json(yajl_gen g, const struct pm_side *sides, int n)
{
	for (int i = 0; i < n; i++) {
		struct pm_trend t;

		if (sides[i].n < 2)
			continue;
		pm_trend_side(&sides[i], &t);
		yajl_gen_map_open(g);
		S(g, "side");
		S(g, sides[i].label);
		S(g, "runs");
		yajl_gen_integer(g, t.n);
		S(g, "ordered_by");
		S(g, t.by_start ? "start_time" : "given");
		S(g, "extfrag_per_s");
		yajl_gen_array_open(g);
		for (int k = 0; k < t.n; k++)
			num6(g, t.rate[k]);
		yajl_gen_array_close(g);
		S(g, "tested");
		yajl_gen_bool(g, t.tested);
		S(g, "spearman_rho");
		if (t.tested)
			num6(g, t.rho);
		else
			yajl_gen_null(g);
		S(g, "p");
		if (t.tested)
			num6(g, t.p);
		else
			yajl_gen_null(g);
		S(g, "alpha");
		num6(g, PM_TREND_ALPHA);
		S(g, "trend");
		yajl_gen_bool(g, t.trend);
		yajl_gen_map_close(g);
	}
}
