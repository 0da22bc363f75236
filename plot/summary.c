// SPDX-License-Identifier: GPL-2.0
#include "summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "metrics.h"
#include "origin_report.h"
#include "output.h"
#include "stats.h"
#include "warnings.h"

static const char *run_format(const struct pm_run *r)
{
	return r->have_run ? "fragmon" : "legacy";
}

static void fmt(const struct pm_mrow *m, double x, double ref, int sign, char *buf, size_t cap)
{
	snprintf(buf, cap, sign ? "%+.*f" : "%.*f", pm_decimals(m, ref), x);
}

static void method_text(FILE *out, const char *who, const struct pm_boot_info *in)
{
	if (in->runs > 1)
		fprintf(out, "%s%s%d runs, the spread between them (runs as the units)", who,
			*who ? ": " : "", in->runs);
	else
		fprintf(out,
			"%s%s1 run, %d bins of %g s, batch means (per row: Politis-White block, "
			"batches of three blocks, t with batches - 1 df)",
			who, *who ? ": " : "", in->bins, in->bin_s);
}

/* a value without an interval, and why: "n/a (1 of 1: too few to be a rate)" */
static void why_text(const struct pm_mrow *m, const struct pm_est *e, char *buf, size_t cap)
{
	(void)m;
	if (e->why == PM_W_FEW)
		snprintf(buf, cap, "n/a (%.0f of %.0f: too few to be a rate)", e->num, e->den);
	else
		snprintf(buf, cap, "%s", pm_why_text(e->why));
}

/* one run's rows, values and intervals, and its fallback patterns */
struct runvals {
	struct pm_mrow rows[PM_MAX_ROWS];
	struct pm_est est[PM_MAX_ROWS];
	struct pm_boot_info in;
	const struct pm_pattern *pat[PM_MAX_PAT];
	int nrows, np, have_est;
};

/* r's values, in storage of its own (too large for the stack) until the next call */
static const struct runvals *runvals(const struct pm_run *r)
{
	static struct runvals rv;
	struct pm_side side = {{(struct pm_run *)r}, 1, ""};
	struct pm_run *one = (struct pm_run *)r;

	rv.nrows = pm_rows(&one, 1, 0, rv.rows, PM_MAX_ROWS);
	rv.np = pm_run_sorted_patterns(r, rv.pat);
	rv.have_est = !pm_estimate(&side, rv.rows, rv.nrows, rv.est, &rv.in);
	return &rv;
}

static void run_text(FILE *out, const struct pm_run *r)
{
	const struct runvals *rv = runvals(r);

	fprintf(out, "== %s (%s)\n", r->label, r->name);
	fprintf(out, "format: %s\nkernel: %s\nhost: %s\ncomplete: %s\n", run_format(r),
		r->kernel[0] ? r->kernel : "unknown", r->hostname[0] ? r->hostname : "unknown",
		r->truncated	    ? "no (truncated)"
		: !r->have_metadata ? "no (no metadata)"
		: r->complete == 0  ? "no (checkpoint)"
				    : "yes");
	if (pm_run_main_zone(r))
		fprintf(out, "zone: %s of node %d (%s)\n", pm_run_main_zone(r)->name,
			pm_run_main_zone(r)->node, pm_zone_why(r));
	for (int k = 0; k < rv->nrows; k++) {
		struct pm_val v = rv->have_est ? rv->est[k].v : pm_value(&rv->rows[k], r, NULL);
		char buf[64], lo[32], hi[32];

		if (!v.valid)
			continue;
		pm_val_plain(&rv->rows[k], v, buf, sizeof(buf));
		if (rv->have_est && rv->est[k].why == PM_W_FEW) {
			why_text(&rv->rows[k], &rv->est[k], buf, sizeof(buf));
			fprintf(out, "%s: %s\n", rv->rows[k].key, buf);
		} else if (rv->have_est && rv->est[k].have_ci) {
			fmt(&rv->rows[k], rv->est[k].lo, v.v, 0, lo, sizeof(lo));
			fmt(&rv->rows[k], rv->est[k].hi, v.v, 0, hi, sizeof(hi));
			fprintf(out, "%s: %s [%s, %s]\n", rv->rows[k].key, buf, lo, hi);
		} else if (rv->have_est && rv->est[k].why == PM_W_NEEDREP) {
			fprintf(out, "%s: %s (%s)\n", rv->rows[k].key, buf,
				pm_why_text(rv->est[k].why));
		} else {
			fprintf(out, "%s: %s\n", rv->rows[k].key, buf);
		}
	}
	for (int s = 0; s < PM_ORD; s++) {
		unsigned long long n = r->succ[s] + r->fail[s];

		if (!n)
			continue;
		fprintf(out, "compaction_order_%d: %llu success, %llu failure", s - 1,
			(unsigned long long)r->succ[s], (unsigned long long)r->fail[s]);
		/* a share of fewer than 10 runs is not a rate */
		if (n >= 10)
			fprintf(out, " (%.1f%%)", 100.0 * (double)r->succ[s] / (double)n);
		fputc('\n', out);
	}
	for (int s = 0; s < PM_ORD; s++)
		if (r->ef_order[s])
			fprintf(out, "extfrag_order_%d: %llu\n", s - 1,
				(unsigned long long)r->ef_order[s]);
	fprintf(out, "patterns: %d\n", rv->np);
	for (int p = 0; p < rv->np; p++)
		fprintf(out, "pattern: %s %s->%s %llu steal, %llu claim\n", rv->pat[p]->sev.marker,
			rv->pat[p]->from[0] ? rv->pat[p]->from : "?", rv->pat[p]->to,
			(unsigned long long)rv->pat[p]->steal,
			(unsigned long long)rv->pat[p]->claim);
	po_summary_text(out, r);
	if (rv->have_est) {
		fputs("intervals: 95%, ", out);
		method_text(out, "", &rv->in);
		fputs(rv->in.bins < 4 ? "; too few bins for intervals\n" : "\n", out);
	}
}

/* the verdict column: "worse", "≈ (within noise)", "one run: needs repeats", ... */
static const char *verdict_text(const struct pm_compare *c, int k)
{
	const struct pm_diff *d = &c->d[k];

	switch (d->verdict) {
	case PM_V_SAME:
		return "\xe2\x89\x88 (within noise)";
	case PM_V_NEEDREP:
		return "one run: needs repeats";
	case PM_V_UNTESTED:
		return "untested (primary \xe2\x89\x88)";
	case PM_V_NA:
		return d->why == PM_W_FEW ? "n/a (too few to be a rate)" : pm_why_text(d->why);
	default:
		return pm_verdict_word(d->verdict);
	}
}

/* what the primary could see; "" when it has no interval */
static void power_text(const struct pm_compare *c, char *buf, size_t cap)
{
	const struct pm_power *pw = &c->power;

	buf[0] = '\0';
	if (!pw->have)
		return;
	snprintf(buf, cap,
		 "power: at this variability a change of the primary by %.0f%% is seen 80%% of the "
		 "time; to see a 1.5x change: >= %d runs per side of this length, or one run of "
		 ">= %.0f s per side",
		 100 * pw->mdc_rel, pw->runs_for_15, pw->s_for_15);
}

static void compare_text(FILE *out, const struct pm_side *a, const struct pm_side *b)
{
	struct pm_compare *c = malloc(sizeof(*c));
	char pw[320];

	if (!c || pm_compare(a, b, c)) {
		fprintf(out, "comparison: out of memory\n");
		free(c);
		return;
	}
	fprintf(out, "\ncomparison: B = %s vs A = %s\n", b->label, a->label);
	if (c->primary >= 0) {
		const struct pm_diff *d = &c->d[c->primary];

		fprintf(out, "primary: %s at its own 5%%: %s", c->rows[c->primary].key,
			verdict_text(c, c->primary));
		if (d->have_ci)
			fprintf(out, " (p = %.2g)", d->p);
		fputc('\n', out);
	}
	fprintf(out,
		"secondary: %d rows, Holm at 5%% familywise, %s; each interval at the level its "
		"row was tested at\n",
		c->nsec,
		c->primary < 0 ? "tested (no extfrag traced: no primary question)"
		: c->gate_open ? "tested because the primary differs"
			       : "not tested: the primary was not called");
	fputs("method: ", out);
	method_text(out, "A", &c->ia);
	fputs("; ", out);
	method_text(out, "B", &c->ib);
	fputc('\n', out);
	power_text(c, pw, sizeof(pw));
	if (pw[0])
		fprintf(out, "%s\n", pw);
	for (int i = 0; i < c->nwarn; i++)
		fprintf(out, "warning: %s\n", c->warn[i]);
	fprintf(out, "%-36s %12s %12s %12s %24s  %s\n", "metric", "A", "B", "B-A", "interval",
		"verdict");
	for (int k = 0; k < c->nrows; k++) {
		const struct pm_mrow *m = &c->rows[k];
		const struct pm_diff *d = &c->d[k];
		char sa[32], sb[32], sd[48], ci[64], lo[32], hi[32];
		double ref = c->a[k].v.valid ? c->a[k].v.v : c->b[k].v.v;

		if (!c->a[k].v.valid && !c->b[k].v.valid)
			continue;
		pm_val_plain(m, c->a[k].v, sa, sizeof(sa));
		pm_val_plain(m, c->b[k].v, sb, sizeof(sb));
		/* a share of too few is not listed as a rate */
		if (c->a[k].why == PM_W_FEW)
			snprintf(sa, sizeof(sa), "n/a");
		if (c->b[k].why == PM_W_FEW)
			snprintf(sb, sizeof(sb), "n/a");
		if (d->valid)
			fmt(m, d->d, ref, 1, sd, sizeof(sd));
		else
			snprintf(sd, sizeof(sd), "n/a");
		if (d->have_ci) {
			fmt(m, d->lo, ref, 1, lo, sizeof(lo));
			fmt(m, d->hi, ref, 1, hi, sizeof(hi));
			snprintf(ci, sizeof(ci), "[%s, %s]", lo, hi);
		} else {
			snprintf(ci, sizeof(ci), "%s", "n/a");
		}
		fprintf(out, "%-36s %12s %12s %12s %24s  %s\n", m->key, sa, sb, sd, ci,
			verdict_text(c, k));
	}
	free(c);
	po_compare_text(out, a->run[0], b->run[0]);
}

void pm_summary_text(FILE *out, struct pm_side *sides, int n)
{
	int first = 1;

	pm_pick_zone(sides, n); /* one zone under pressure for every run */
	for (int i = 0; i < n; i++)
		for (int k = 0; k < sides[i].n; k++) {
			if (!first)
				fputc('\n', out);
			first = 0;
			run_text(out, sides[i].run[k]);
		}
	/* A/B, or N-way: every side against the first */
	pm_trend_summary(out, sides, n); /* repeated runs that drift (warnings.c) */
	for (int i = 1; i < n; i++)
		compare_text(out, &sides[0], &sides[i]);
	/* all of it before anything else is written (the dashboard's layout lines on
	 * stderr): a block-buffered tail would come after them, cut mid-line */
	fflush(out);
}

#define S(g, s) yajl_gen_string(g, (const unsigned char *)(s), strlen(s))

/* numbers as a person would write them: counts whole, the rest to 6
 * significant digits (yajl's own doubles print 17 or more) */
static void num(yajl_gen g, double v, int decimals)
{
	char buf[64];
	int len;

	if (!isfinite(v)) {
		yajl_gen_null(g);
		return;
	}
	if (decimals <= 0 && fabs(v) < 9e15 && v == floor(v))
		len = snprintf(buf, sizeof(buf), "%.0f", v);
	else
		len = snprintf(buf, sizeof(buf), "%.6g", v);
	yajl_gen_number(g, buf, (size_t)len);
}

static void pair(yajl_gen g, int have, double lo, double hi)
{
	if (!have) {
		yajl_gen_null(g);
		return;
	}
	yajl_gen_array_open(g);
	num(g, lo, 1);
	num(g, hi, 1);
	yajl_gen_array_close(g);
}

static const char *better_word(enum pm_better b)
{
	return b == PM_LOWER ? "lower" : b == PM_HIGHER ? "higher" : NULL;
}

/*
 * {"generator": ..., "runs": [...], "comparisons": [...]}: the two arrays are
 * built side by side (each --results-dir page adds to both) and joined at the
 * end.
 */
struct pm_report {
	yajl_gen runs, cmp, trends;
	const struct pm_run *seen[1024];
	int nseen;
};

static void method_json(yajl_gen g, const struct pm_boot_info *in)
{
	yajl_gen_map_open(g);
	S(g, "runs");
	yajl_gen_integer(g, in->runs);
	S(g, "units");
	S(g, in->runs > 1 ? "runs" : "batches of time bins");
	S(g, "bins");
	yajl_gen_integer(g, in->bins);
	S(g, "bin_s");
	num(g, in->bin_s, 1);
	yajl_gen_map_close(g);
}

/* "zone": {"node", "name", "why"}: the zone the state metrics are of */
static void zone_json(yajl_gen g, const struct pm_run *r)
{
	const struct pm_zone *z = pm_run_main_zone(r);

	S(g, "zone");
	if (!z) {
		yajl_gen_null(g);
		return;
	}
	yajl_gen_map_open(g);
	S(g, "node");
	yajl_gen_integer(g, z->node);
	S(g, "name");
	S(g, z->name);
	S(g, "why");
	S(g, pm_zone_why(r));
	yajl_gen_map_close(g);
}

static void run_json(yajl_gen g, const struct pm_run *r)
{
	const struct runvals *rv = runvals(r);

	yajl_gen_map_open(g);
	S(g, "label");
	S(g, r->label);
	S(g, "source");
	S(g, r->name);
	S(g, "format");
	S(g, run_format(r));
	S(g, "kernel_version");
	S(g, r->kernel);
	S(g, "hostname");
	S(g, r->hostname);
	S(g, "truncated");
	yajl_gen_bool(g, r->truncated);
	S(g, "complete");
	yajl_gen_bool(g, !r->truncated && r->have_metadata && r->complete != 0);
	zone_json(g, r);
	S(g, "metrics");
	yajl_gen_map_open(g);
	for (int k = 0; k < rv->nrows; k++) {
		struct pm_val v = rv->have_est ? rv->est[k].v : pm_value(&rv->rows[k], r, NULL);

		S(g, rv->rows[k].key);
		if (!v.valid || (rv->have_est && rv->est[k].why == PM_W_FEW))
			yajl_gen_null(g); /* a share of too few is not a rate */
		else
			num(g, v.v, rv->rows[k].type == PM_INFO ? rv->rows[k].decimals : 1);
	}
	yajl_gen_map_close(g);
	S(g, "intervals");
	yajl_gen_map_open(g);
	for (int k = 0; rv->have_est && k < rv->nrows; k++)
		if (rv->est[k].have_ci) {
			S(g, rv->rows[k].key);
			pair(g, 1, rv->est[k].lo, rv->est[k].hi);
		}
	yajl_gen_map_close(g);
	S(g, "no_interval");
	yajl_gen_map_open(g);
	for (int k = 0; rv->have_est && k < rv->nrows; k++)
		if (rv->est[k].v.valid && !rv->est[k].have_ci && rv->rows[k].type != PM_INFO) {
			char why[96];

			S(g, rv->rows[k].key);
			why_text(&rv->rows[k], &rv->est[k], why, sizeof(why));
			S(g, why);
		}
	yajl_gen_map_close(g);
	if (rv->have_est) {
		S(g, "interval_method");
		method_json(g, &rv->in);
	}
	S(g, "compaction_by_order");
	yajl_gen_map_open(g);
	for (int s = 0; s < PM_ORD; s++) {
		char key[8];

		if (!(r->succ[s] + r->fail[s]))
			continue;
		snprintf(key, sizeof(key), "%d", s - 1);
		S(g, key);
		yajl_gen_map_open(g);
		S(g, "success");
		yajl_gen_integer(g, (long long)r->succ[s]);
		S(g, "failure");
		yajl_gen_integer(g, (long long)r->fail[s]);
		yajl_gen_map_close(g);
	}
	yajl_gen_map_close(g);
	S(g, "extfrag_by_order");
	yajl_gen_map_open(g);
	for (int s = 0; s < PM_ORD; s++) {
		char key[8];

		if (!r->ef_order[s])
			continue;
		snprintf(key, sizeof(key), "%d", s - 1);
		S(g, key);
		yajl_gen_integer(g, (long long)r->ef_order[s]);
	}
	yajl_gen_map_close(g);
	S(g, "patterns");
	yajl_gen_array_open(g);
	for (int p = 0; p < rv->np; p++) {
		yajl_gen_map_open(g);
		S(g, "from");
		S(g, rv->pat[p]->from);
		S(g, "to");
		S(g, rv->pat[p]->to);
		S(g, "severity");
		num(g, rv->pat[p]->sev.score2 / 2.0, 1);
		S(g, "steal");
		yajl_gen_integer(g, (long long)rv->pat[p]->steal);
		S(g, "claim");
		yajl_gen_integer(g, (long long)rv->pat[p]->claim);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
	po_summary_json(g, r);
	yajl_gen_map_close(g);
}

static void side_sources(yajl_gen g, const struct pm_side *s)
{
	yajl_gen_array_open(g);
	for (int i = 0; i < s->n; i++)
		S(g, s->run[i]->name);
	yajl_gen_array_close(g);
}

static void compare_json(yajl_gen g, const struct pm_side *a, const struct pm_side *b)
{
	struct pm_compare *c = malloc(sizeof(*c));

	if (!c || pm_compare(a, b, c)) {
		free(c);
		return;
	}
	yajl_gen_map_open(g);
	S(g, "a");
	S(g, a->label);
	S(g, "b");
	S(g, b->label);
	S(g, "a_sources");
	side_sources(g, a);
	S(g, "b_sources");
	side_sources(g, b);
	S(g, "method");
	yajl_gen_map_open(g);
	S(g, "kind");
	S(g, c->repeats ? "Welch t; runs as the units"
			: "Welch t; batch means of time bins (one run) or runs as the units");
	S(g, "confidence");
	num(g, 0.95, 2);
	S(g, "primary");
	if (c->primary >= 0)
		S(g, c->rows[c->primary].key);
	else
		yajl_gen_null(g);
	S(g, "primary_level");
	num(g, PM_ALPHA, 2);
	S(g, "secondary");
	S(g, "Holm, familywise 5%, tested only when the primary is called");
	S(g, "secondary_rows");
	yajl_gen_integer(g, c->nsec);
	S(g, "secondary_tested");
	yajl_gen_bool(g, c->gate_open);
	S(g, "a");
	method_json(g, &c->ia);
	S(g, "b");
	method_json(g, &c->ib);
	yajl_gen_map_close(g);
	S(g, "power");
	if (c->power.have) {
		yajl_gen_map_open(g);
		S(g, "detectable_change");
		num(g, c->power.mdc, 1);
		S(g, "detectable_change_share");
		num(g, c->power.mdc_rel, 1);
		S(g, "runs_per_side_for_1_5x");
		yajl_gen_integer(g, c->power.runs_for_15);
		S(g, "seconds_per_side_for_1_5x");
		num(g, c->power.s_for_15, 0);
		yajl_gen_map_close(g);
	} else {
		yajl_gen_null(g);
	}
	S(g, "warnings");
	yajl_gen_array_open(g);
	for (int i = 0; i < c->nwarn; i++)
		S(g, c->warn[i]);
	yajl_gen_array_close(g);
	S(g, "metrics");
	yajl_gen_map_open(g);
	for (int k = 0; k < c->nrows; k++) {
		const struct pm_mrow *m = &c->rows[k];
		const struct pm_diff *d = &c->d[k];
		const char *bw = better_word(m->better);

		if (!c->a[k].v.valid && !c->b[k].v.valid)
			continue;
		S(g, m->key);
		yajl_gen_map_open(g);
		S(g, "unit");
		S(g, m->unit);
		S(g, "better");
		if (bw)
			S(g, bw);
		else
			yajl_gen_null(g);
		S(g, "a");
		c->a[k].v.valid && c->a[k].why != PM_W_FEW ? num(g, c->a[k].v.v, 1)
							   : (void)yajl_gen_null(g);
		S(g, "a_ci");
		pair(g, c->a[k].have_ci, c->a[k].lo, c->a[k].hi);
		S(g, "b");
		c->b[k].v.valid && c->b[k].why != PM_W_FEW ? num(g, c->b[k].v.v, 1)
							   : (void)yajl_gen_null(g);
		S(g, "b_ci");
		pair(g, c->b[k].have_ci, c->b[k].lo, c->b[k].hi);
		S(g, "delta");
		d->valid ? num(g, d->d, 1) : (void)yajl_gen_null(g);
		S(g, "delta_ci");
		pair(g, d->have_ci, d->lo, d->hi);
		S(g, "se");
		d->have_ci ? num(g, d->se, 1) : (void)yajl_gen_null(g);
		S(g, "df");
		d->have_ci ? num(g, d->df, 1) : (void)yajl_gen_null(g);
		S(g, "p");
		d->have_ci ? num(g, d->p, 1) : (void)yajl_gen_null(g);
		S(g, "level");
		d->have_ci ? num(g, d->level, 1) : (void)yajl_gen_null(g);
		S(g, "verdict");
		S(g, d->verdict == PM_V_SAME	   ? "within_noise"
		     : d->empty			   ? "none"
		     : d->verdict == PM_V_NEEDREP  ? "needs_repeats"
		     : d->verdict == PM_V_UNTESTED ? "untested"
						   : pm_verdict_word(d->verdict));
		if (d->verdict == PM_V_NA && !d->empty) {
			S(g, "why");
			S(g, pm_why_text(d->why));
		}
		yajl_gen_map_close(g);
	}
	yajl_gen_map_close(g);
	po_compare_json(g, a->run[0], b->run[0]);
	yajl_gen_map_close(g);
	free(c);
}

static yajl_gen gen_new(void)
{
	yajl_gen g = yajl_gen_alloc(NULL);

	if (g) {
		yajl_gen_config(g, yajl_gen_beautify, 1);
		yajl_gen_config(g, yajl_gen_validate_utf8, 1);
	}
	return g;
}

struct pm_report *pm_report_new(void)
{
	struct pm_report *rep = calloc(1, sizeof(*rep));

	if (!rep)
		return NULL;
	rep->runs = gen_new();
	rep->cmp = gen_new();
	rep->trends = gen_new();
	if (!rep->runs || !rep->cmp || !rep->trends) {
		pm_report_free(rep);
		return NULL;
	}
	yajl_gen_array_open(rep->runs);
	yajl_gen_array_open(rep->cmp);
	yajl_gen_array_open(rep->trends);
	return rep;
}

void pm_report_add(struct pm_report *rep, struct pm_side *sides, int n, int kind)
{
	(void)kind;
	pm_pick_zone(sides, n);
	for (int i = 0; i < n; i++)
		for (int k = 0; k < sides[i].n; k++) {
			const struct pm_run *r = sides[i].run[k];
			int dup = 0;

			for (int j = 0; j < rep->nseen; j++)
				dup |= rep->seen[j] == r;
			if (dup)
				continue;
			if (rep->nseen < (int)(sizeof(rep->seen) / sizeof(rep->seen[0])))
				rep->seen[rep->nseen++] = r;
			run_json(rep->runs, r);
		}
	for (int i = 1; i < n; i++)
		compare_json(rep->cmp, &sides[0], &sides[i]);
	pm_trend_json(rep->trends, sides, n);
}

int pm_report_write(struct pm_report *rep, const char *path, char *err, size_t cap)
{
	static const char head[] =
	    "{\"generator\": \"fragmon-plot " FRAGMON_VERSION "\",\n\"runs\": ";
	const unsigned char *runs, *cmp, *tr;
	size_t nr, nc, nt, len;
	char *doc;
	int ret;

	yajl_gen_array_close(rep->runs);
	yajl_gen_array_close(rep->cmp);
	yajl_gen_array_close(rep->trends);
	yajl_gen_get_buf(rep->runs, &runs, &nr);
	yajl_gen_get_buf(rep->cmp, &cmp, &nc);
	yajl_gen_get_buf(rep->trends, &tr, &nt);
	len = sizeof(head) - 1 + nr + 20 + nc + 16 + nt + 4;
	doc = malloc(len);
	if (!doc) {
		snprintf(err, cap, "out of memory");
		return -1;
	}
	len = (size_t)snprintf(doc, len, "%s%.*s,\n\"comparisons\": %.*s,\n\"trends\": %.*s}\n",
			       head, (int)nr, (const char *)runs, (int)nc, (const char *)cmp,
			       (int)nt, (const char *)tr);
	ret = pm_write_file(path, doc, len, err, cap);
	free(doc);
	return ret;
}

void pm_report_free(struct pm_report *rep)
{
	if (!rep)
		return;
	if (rep->runs)
		yajl_gen_free(rep->runs);
	if (rep->cmp)
		yajl_gen_free(rep->cmp);
	if (rep->trends)
		yajl_gen_free(rep->trends);
	free(rep);
}

int pm_summary_json(const char *path, struct pm_side *sides, int n, char *err, size_t cap)
{
	struct pm_report *rep = pm_report_new();
	int ret;

	if (!rep) {
		snprintf(err, cap, "out of memory");
		return -1;
	}
	pm_report_add(rep, sides, n, n == 1 ? 0 : n == 2 ? 1 : 2);
	ret = pm_report_write(rep, path, err, cap);
	pm_report_free(rep);
	return ret;
}
