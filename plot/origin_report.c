// SPDX-License-Identifier: GPL-2.0
#include "origin_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double pct(double n, double total)
{
	return total > 0 ? 100 * n / total : 0;
}

/* extfrag events in the file inside the run's span: the tests' denominator */
static double delivered(const struct pm_run *r)
{
	return (double)r->by_type[PM_EV_EXTFRAG];
}

int po_tests_table(const struct pm_run *r, int kind, struct po_table *t)
{
	const struct po_origin *o = r->origin;
	const struct po_name **v;
	double in = 0;

	memset(t, 0, sizeof(*t));
	t->total = delivered(r);
	if (!o || !o->nnames)
		return 0;
	v = malloc(sizeof(*v) * (size_t)o->nnames);
	if (!v)
		return -1;
	t->all = po_sorted_names(o, kind, v, o->nnames);
	for (int i = 0; i < t->all; i++) {
		in += (double)v[i]->n;
		if (i >= PO_TOP) {
			t->rest += (double)v[i]->n;
			continue;
		}
		struct po_row *w = &t->row[t->n++];

		snprintf(w->label, sizeof(w->label), "%s", v[i]->name);
		w->n = (double)v[i]->n;
		w->dur = v[i]->dur;
		w->rate = v[i]->dur > 0 ? w->n / v[i]->dur : 0;
		w->share = pct(w->n, t->total);
		w->steal = (long long)v[i]->steal;
		w->claim = (long long)v[i]->claim;
	}
	/* tests do not overlap: what is left ran while no test did */
	t->outside = kind == PO_TEST && t->total > in ? t->total - in : 0;
	free(v);
	return 0;
}

int po_tasks_table(const struct pm_run *r, struct po_table *t)
{
	const struct po_origin *o = r->origin;
	double sum = 0;

	memset(t, 0, sizeof(*t));
	if (!o)
		return 0;
	for (int i = 0; i < o->ntasks; i++)
		sum += (double)(o->tasks[i].steal + o->tasks[i].claim);
	t->total = r->st_steal >= 0 && r->st_claim >= 0 ? (double)(r->st_steal + r->st_claim) : sum;
	t->all = o->ntasks;
	for (int i = 0; i < o->ntasks; i++) {
		const struct po_task *k = &o->tasks[i];

		if (t->n == PO_TOP) {
			t->rest += (double)(k->steal + k->claim);
			continue;
		}
		struct po_row *w = &t->row[t->n++];

		snprintf(w->label, sizeof(w->label), "%s", k->comm[0] ? k->comm : "?");
		w->n = (double)(k->steal + k->claim);
		w->share = pct(w->n, t->total);
		w->steal = k->steal;
		w->claim = k->claim;
		w->pid = k->pid;
		w->pids = k->pids;
		snprintf(w->pattern, sizeof(w->pattern), "%s", k->pattern);
	}
	return 0;
}

struct spath {
	char s[192];
	double n;
	long long steal, claim;
	char pattern[PO_PAT];
	long long pattern_n;
};

static int by_s(const void *x, const void *y)
{
	return strcmp(((const struct spath *)x)->s, ((const struct spath *)y)->s);
}

static int by_n(const void *x, const void *y)
{
	const struct spath *a = x, *b = y;

	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->s, b->s);
}

/* every stack by its short path, merged; sorted by name (n = 0 when none) */
static struct spath *short_paths(const struct po_origin *o, int *np)
{
	struct spath *p = o && o->nstacks ? calloc((size_t)o->nstacks, sizeof(*p)) : NULL;
	int k = 0;

	*np = 0;
	if (!p)
		return NULL;
	for (int i = 0; i < o->nstacks; i++) {
		const char *f[PO_MAX_FRAMES];
		int nf = po_stack_frames(&o->stacks[i], f, PO_MAX_FRAMES);

		if (nf)
			po_short_path(f, nf, p[i].s, sizeof(p[i].s));
		else
			snprintf(p[i].s, sizeof(p[i].s), "[no frames]");
		p[i].steal = o->stacks[i].steal;
		p[i].claim = o->stacks[i].claim;
		p[i].n = (double)(p[i].steal + p[i].claim);
		po_top_pattern(p[i].pattern, &p[i].pattern_n, o->stacks[i].pattern,
			       strlen(o->stacks[i].pattern), o->stacks[i].pattern_n);
	}
	qsort(p, (size_t)o->nstacks, sizeof(*p), by_s);
	for (int i = 0; i < o->nstacks; i++) {
		if (k && !strcmp(p[k - 1].s, p[i].s)) {
			p[k - 1].n += p[i].n;
			p[k - 1].steal += p[i].steal;
			p[k - 1].claim += p[i].claim;
			po_top_pattern(p[k - 1].pattern, &p[k - 1].pattern_n, p[i].pattern,
				       strlen(p[i].pattern), p[i].pattern_n);
			continue;
		}
		p[k++] = p[i];
	}
	*np = k;
	return p;
}

int po_paths_table(const struct pm_run *r, struct po_table *t)
{
	const struct po_origin *o = r->origin;
	struct spath *p;
	int np;

	memset(t, 0, sizeof(*t));
	if (!o || !o->nstacks)
		return 0;
	if (!(p = short_paths(o, &np)))
		return -1;
	qsort(p, (size_t)np, sizeof(*p), by_n);
	for (int i = 0; i < np; i++)
		t->total += p[i].n;
	/* paths of no fallback (the agent keeps none; a hand-made file might) */
	while (np > 0 && !(p[np - 1].n > 0))
		np--;
	t->total += (double)(o->st_map_full > 0 ? o->st_map_full : 0) +
		    (double)(o->st_failed > 0 ? o->st_failed : 0) + (double)o->stack_lost_n;
	t->all = np;
	for (int i = 0; i < np; i++) {
		if (i >= PO_TOP) {
			t->rest += p[i].n;
			continue;
		}
		struct po_row *w = &t->row[t->n++];

		snprintf(w->label, sizeof(w->label), "%s", p[i].s);
		w->n = p[i].n;
		w->share = pct(w->n, t->total);
		w->steal = p[i].steal;
		w->claim = p[i].claim;
		snprintf(w->pattern, sizeof(w->pattern), "%s", p[i].pattern);
	}
	free(p);
	return 0;
}

static int by_growth(const void *x, const void *y)
{
	const struct po_row *a = x, *b = y;
	double ga = a->b - a->a, gb = b->b - b->a;

	if (ga != gb)
		return ga > gb ? -1 : 1;
	return strcmp(a->label, b->label);
}

int po_paths_grow(const struct pm_run *ra, const struct pm_run *rb, struct po_table *t)
{
	double da = pm_run_duration(ra), db = pm_run_duration(rb);
	struct spath *pa, *pb;
	struct po_row *all;
	int na, nb, i = 0, j = 0, n = 0;

	memset(t, 0, sizeof(*t));
	pa = short_paths(ra->origin, &na);
	pb = short_paths(rb->origin, &nb);
	all = calloc((size_t)(na + nb + 1), sizeof(*all));
	if (!all || !(da > 0) || !(db > 0)) {
		free(pa);
		free(pb);
		free(all);
		return all ? 0 : -1;
	}
	while (j < nb) {
		int c = i == na ? 1 : strcmp(pa[i].s, pb[j].s);

		if (c < 0) {
			i++;
			continue;
		}
		struct po_row *w = &all[n];

		snprintf(w->label, sizeof(w->label), "%s", pb[j].s);
		w->a = c == 0 ? pa[i].n * 3600 / da : 0;
		w->b = pb[j].n * 3600 / db;
		w->n = pb[j].n;
		w->share = c == 0 ? pa[i].n : 0; /* A's count */
		snprintf(w->pattern, sizeof(w->pattern), "%s", pb[j].pattern);
		if (w->b > w->a)
			n++;
		if (c == 0)
			i++;
		j++;
	}
	qsort(all, (size_t)n, sizeof(*all), by_growth);
	t->all = n;
	t->n = n < PO_TOP ? n : PO_TOP;
	memcpy(t->row, all, sizeof(*all) * (size_t)t->n);
	free(pa);
	free(pb);
	free(all);
	return 0;
}

int po_pertest(const struct pm_run *a, const struct pm_run *b, struct pt_result *res)
{
	struct pt_input *ia, *ib;
	int na, nb, rc = -1;

	memset(res, 0, sizeof(*res));
	if (!a->origin || !b->origin || !a->origin->nocc || !b->origin->nocc)
		return -1;
	ia = malloc(sizeof(*ia) * (size_t)a->origin->nnames);
	ib = malloc(sizeof(*ib) * (size_t)b->origin->nnames);
	if (ia && ib) {
		na = pt_inputs(a->origin, ia, a->origin->nnames);
		nb = pt_inputs(b->origin, ib, b->origin->nnames);
		rc = pt_compare(ia, na, po_dispersion(a->origin), ib, nb, po_dispersion(b->origin),
				res);
	}
	free(ia);
	free(ib);
	return rc;
}

/* ---- text ---- */

static void table_text(FILE *out, const char *key, const struct po_table *t, int kind)
{
	for (int i = 0; i < t->n; i++) {
		const struct po_row *w = &t->row[i];

		if (kind == 0)
			fprintf(
			    out, "%s: %s %.0f fallback%s, %.3g/s over %.6g s, %.1f%% of the run\n",
			    key, w->label, w->n, w->n == 1 ? "" : "s", w->rate, w->dur, w->share);
		else if (kind == 1)
			fprintf(out,
				"%s: %s pid %lld (%lld pid%s) %lld steal, %lld claim, %.1f%%%s%s\n",
				key, w->label, w->pid, w->pids, w->pids == 1 ? "" : "s", w->steal,
				w->claim, w->share, w->pattern[0] ? ", most " : "", w->pattern);
		else
			fprintf(out, "%s: %s %.0f fallback%s, %.1f%%%s%s\n", key, w->label, w->n,
				w->n == 1 ? "" : "s", w->share, w->pattern[0] ? ", most " : "",
				w->pattern);
	}
	if (t->all > t->n)
		fprintf(out, "%s: (%d more) %.0f fallback%s, %.1f%%\n", key, t->all - t->n, t->rest,
			t->rest == 1 ? "" : "s", pct(t->rest, t->total));
}

void po_summary_text(FILE *out, const struct pm_run *r)
{
	const struct po_origin *o = r->origin;
	struct po_table *t;

	if (!po_any(o) || !(t = malloc(sizeof(*t))))
		return;
	fprintf(out, "markers: %s (%llu marker events, %llu late%s)\n",
		o->markers[0] ? o->markers : "not said", (unsigned long long)o->n_markers,
		(unsigned long long)o->late,
		o->st_lines_lost > 0 ? ", kmsg lines lost: see markers_lines_lost" : "");
	if (o->st_lines_read >= 0)
		fprintf(out, "markers_lines_read: %lld\nmarkers_lines_lost: %lld\n",
			o->st_lines_read, o->st_lines_lost);
	if (!po_tests_table(r, PO_TEST, t) && t->all) {
		fprintf(out,
			"tests: %d (fallbacks while a test ran: %.0f of %.0f, %.1f%%; while none "
			"did: %.0f)\n",
			t->all, t->total - t->outside, t->total,
			pct(t->total - t->outside, t->total), t->outside);
		table_text(out, "test", t, 0);
	}
	if (!po_tests_table(r, PO_PHASE, t) && t->all) {
		fprintf(out, "phases: %d\n", t->all);
		table_text(out, "phase", t, 0);
	}
	if (o->have_tasks && !po_tasks_table(r, t)) {
		long long s = 0, c = 0;

		for (int i = 0; i < o->ntasks; i++) {
			s += o->tasks[i].steal;
			c += o->tasks[i].claim;
		}
		fprintf(out, "tasks: %d (%lld steal, %lld claim; the totals: %lld, %lld: %s)\n",
			o->ntasks, s, c, r->st_steal, r->st_claim,
			s == r->st_steal && c == r->st_claim ? "they add up"
							     : "they DO NOT add up");
		table_text(out, "task", t, 1);
	}
	if (o->have_stacks) {
		if (!o->stacks_enabled)
			fputs("call_paths: off (stacks disabled in the agent)\n", out);
		else if (!po_paths_table(r, t))
			fprintf(
			    out,
			    "call_paths: %d (%lld distinct stacks; %lld fallbacks with no stack: "
			    "map full %lld, failed %lld)\n",
			    t->all, o->st_distinct,
			    (o->st_map_full > 0 ? o->st_map_full : 0) +
				(o->st_failed > 0 ? o->st_failed : 0),
			    o->st_map_full, o->st_failed);
		table_text(out, "path", t, 2);
	}
	free(t);
}

void po_compare_text(FILE *out, const struct pm_run *a, const struct pm_run *b)
{
	struct pt_result res;
	struct po_table *t;

	if (!po_pertest(a, b, &res)) {
		fprintf(out,
			"\nper test: %d tests in both runs (%d in A only, %d in B only), %d with "
			"fallbacks: the unit\n",
			res.both, res.only_a, res.only_b, res.m);
		if (res.have_ci)
			fprintf(out,
				"per_test_ratio: %.3g [%.3g, %.3g] (B/A, geometric mean over the "
				"tests, 95%% sign-flip interval over %d batches of consecutive "
				"tests): %s\n",
				exp(res.hl), exp(res.hl_lo), exp(res.hl_hi), res.batches,
				res.verdict > 0	  ? "more on B"
				: res.verdict < 0 ? "fewer on B"
						  : "\xe2\x89\x88 (within noise)");
		else
			fprintf(out, "per_test_ratio: n/a (%d tests with fallbacks: at least %d)\n",
				res.m, PT_MIN_TESTS);
		fprintf(out,
			"per_test_flags: %d more on B, %d fewer on B (per-test 95%% intervals "
			"simultaneous over the %d tests; dispersion A %.3g, B %.3g; between-run "
			"tau^2 %.3g)\n",
			res.nmore, res.nless, res.m, res.phia, res.phib, res.tau2);
		for (int i = 0; i < res.m && i < PO_TOP; i++) {
			const struct pt_row *w = &res.rows[i];

			if (w->y <= 0 && !w->flag)
				break;
			fprintf(out,
				"test_ab: %s A %.0f in %.6g s, B %.0f in %.6g s, B/A %.3g [%.3g, "
				"%.3g]%s\n",
				w->name, w->na, w->da, w->nb, w->db, exp(w->y), exp(w->lo),
				exp(w->hi),
				w->flag > 0   ? " more on B"
				: w->flag < 0 ? " fewer on B"
					      : "");
		}
		pt_free(&res);
	}
	if (a->origin && b->origin && b->origin->nstacks && (t = malloc(sizeof(*t)))) {
		if (!po_paths_grow(a, b, t)) {
			fprintf(out,
				"paths_grown: %d call paths appear or grow on B (per hour of "
				"run; counts of one run each: no interval)\n",
				t->all);
			for (int i = 0; i < t->n; i++)
				fprintf(out, "path_ab: %s A %.3g/h, B %.3g/h%s\n", t->row[i].label,
					t->row[i].a, t->row[i].b,
					t->row[i].a > 0 ? "" : " (new on B)");
		}
		free(t);
	}
}

/* ---- JSON ---- */

#define S(g, s) yajl_gen_string(g, (const unsigned char *)(s), strlen(s))

static void num(yajl_gen g, double v)
{
	char buf[64];
	int len;

	if (!isfinite(v)) {
		yajl_gen_null(g);
		return;
	}
	if (fabs(v) < 9e15 && v == floor(v))
		len = snprintf(buf, sizeof(buf), "%.0f", v);
	else
		len = snprintf(buf, sizeof(buf), "%.6g", v);
	yajl_gen_number(g, buf, (size_t)len);
}

static void kv(yajl_gen g, const char *k, double v)
{
	S(g, k);
	num(g, v);
}

static void table_json(yajl_gen g, const char *key, const struct po_table *t, int kind)
{
	S(g, key);
	yajl_gen_map_open(g);
	kv(g, "count", t->all);
	kv(g, "total_fallbacks", t->total);
	if (kind == 0)
		kv(g, "no_test_running", t->outside);
	kv(g, "rest_fallbacks", t->rest);
	S(g, "top");
	yajl_gen_array_open(g);
	for (int i = 0; i < t->n; i++) {
		const struct po_row *w = &t->row[i];

		yajl_gen_map_open(g);
		S(g, kind == 1 ? "comm" : kind == 2 ? "path" : "name");
		S(g, w->label);
		kv(g, "fallbacks", w->n);
		kv(g, "share", w->share / 100);
		if (kind == 0) {
			kv(g, "seconds", w->dur);
			kv(g, "per_second", w->rate);
		}
		if (kind == 1) {
			kv(g, "pid", (double)w->pid);
			kv(g, "pids", (double)w->pids);
		}
		kv(g, "steal", (double)w->steal);
		kv(g, "claim", (double)w->claim);
		if (w->pattern[0]) {
			S(g, "pattern");
			S(g, w->pattern);
		}
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
	yajl_gen_map_close(g);
}

void po_summary_json(yajl_gen g, const struct pm_run *r)
{
	const struct po_origin *o = r->origin;
	struct po_table *t;

	if (!po_any(o) || !(t = malloc(sizeof(*t))))
		return;
	S(g, "origin");
	yajl_gen_map_open(g);
	S(g, "markers");
	S(g, o->markers[0] ? o->markers : "not said");
	kv(g, "marker_events", (double)o->n_markers);
	kv(g, "late_markers", (double)o->late);
	if (!po_tests_table(r, PO_TEST, t))
		table_json(g, "tests", t, 0);
	if (!po_tests_table(r, PO_PHASE, t))
		table_json(g, "phases", t, 0);
	if (o->have_tasks && !po_tasks_table(r, t))
		table_json(g, "tasks", t, 1);
	if (o->have_stacks && o->stacks_enabled && !po_paths_table(r, t)) {
		table_json(g, "call_paths", t, 2);
		kv(g, "stacks_map_full", (double)o->st_map_full);
		kv(g, "stacks_failed", (double)o->st_failed);
	}
	yajl_gen_map_close(g);
	free(t);
}

void po_compare_json(yajl_gen g, const struct pm_run *a, const struct pm_run *b)
{
	struct pt_result res;
	struct po_table *t;
	int have = !po_pertest(a, b, &res);

	if (!have && !(a->origin && b->origin && b->origin->nstacks))
		return;
	S(g, "origin");
	yajl_gen_map_open(g);
	if (have) {
		S(g, "per_test");
		yajl_gen_map_open(g);
		S(g, "method");
		S(g, "paired over tests: log rate ratio per test; weighted means of 6 batches of "
		     "consecutive tests, a sign-flip interval over them; per-test "
		     "intervals quasi-Poisson with a "
		     "DerSimonian-Laird between-run term, Bonferroni over the tests");
		kv(g, "tests_both", res.both);
		kv(g, "tests_a_only", res.only_a);
		kv(g, "tests_b_only", res.only_b);
		kv(g, "tests_paired", res.m);
		kv(g, "dispersion_a", res.phia);
		kv(g, "dispersion_b", res.phib);
		kv(g, "tau2", res.tau2);
		S(g, "ratio");
		res.have_ci ? num(g, exp(res.hl)) : (void)yajl_gen_null(g);
		S(g, "ratio_ci");
		if (res.have_ci) {
			yajl_gen_array_open(g);
			num(g, exp(res.hl_lo));
			num(g, exp(res.hl_hi));
			yajl_gen_array_close(g);
		} else {
			yajl_gen_null(g);
		}
		kv(g, "batches", res.batches);
		S(g, "verdict");
		S(g, !res.have_ci      ? "n/a"
		     : res.verdict > 0 ? "more_on_b"
		     : res.verdict < 0 ? "fewer_on_b"
				       : "within_noise");
		kv(g, "tests_more_on_b", res.nmore);
		kv(g, "tests_fewer_on_b", res.nless);
		S(g, "tests");
		yajl_gen_array_open(g);
		for (int i = 0; i < res.m; i++) {
			const struct pt_row *w = &res.rows[i];

			yajl_gen_map_open(g);
			S(g, "name");
			S(g, w->name);
			kv(g, "a", w->na);
			kv(g, "a_seconds", w->da);
			kv(g, "b", w->nb);
			kv(g, "b_seconds", w->db);
			kv(g, "ratio", exp(w->y));
			S(g, "ratio_ci");
			yajl_gen_array_open(g);
			num(g, exp(w->lo));
			num(g, exp(w->hi));
			yajl_gen_array_close(g);
			S(g, "flag");
			S(g, w->flag > 0   ? "more_on_b"
			     : w->flag < 0 ? "fewer_on_b"
					   : "within_noise");
			yajl_gen_map_close(g);
		}
		yajl_gen_array_close(g);
		yajl_gen_map_close(g);
		pt_free(&res);
	}
	if (a->origin && b->origin && b->origin->nstacks && (t = malloc(sizeof(*t)))) {
		if (!po_paths_grow(a, b, t)) {
			S(g, "paths_grown");
			yajl_gen_array_open(g);
			for (int i = 0; i < t->n; i++) {
				yajl_gen_map_open(g);
				S(g, "path");
				S(g, t->row[i].label);
				kv(g, "a_per_hour", t->row[i].a);
				kv(g, "b_per_hour", t->row[i].b);
				S(g, "new_on_b");
				yajl_gen_bool(g, !(t->row[i].a > 0));
				yajl_gen_map_close(g);
			}
			yajl_gen_array_close(g);
		}
		free(t);
	}
	yajl_gen_map_close(g);
}
