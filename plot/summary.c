// SPDX-License-Identifier: GPL-2.0
#include "summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "metrics.h"
#include "output.h"

static const char *run_format(const struct pm_run *r)
{
	return r->have_run ? "fragmon" : "legacy";
}

static void run_text(FILE *out, const struct pm_run *r)
{
	{
		struct pm_metric m[PM_M_N];
		const struct pm_pattern *pat[PM_MAX_PAT];
		int np = pm_run_sorted_patterns(r, pat);

		pm_metrics(r, m);
		fprintf(out, "== %s (%s)\n", r->label, r->name);
		fprintf(out, "format: %s\nkernel: %s\nhost: %s\ncomplete: %s\n", run_format(r),
			r->kernel[0] ? r->kernel : "unknown",
			r->hostname[0] ? r->hostname : "unknown",
			r->truncated	    ? "no (truncated)"
			: !r->have_metadata ? "no (no metadata)"
			: r->complete == 0  ? "no (checkpoint)"
					    : "yes");
		for (int k = 0; k < PM_M_N; k++) {
			if (!m[k].valid)
				continue;
			if (m[k].decimals)
				fprintf(out, "%s: %.*f\n", m[k].key, m[k].decimals, m[k].v);
			else
				fprintf(out, "%s: %.0f\n", m[k].key, m[k].v);
		}
		for (int s = 0; s < PM_ORD; s++)
			if (r->succ[s] + r->fail[s])
				fprintf(
				    out,
				    "compaction_order_%d: %llu success, %llu failure (%.1f%%)\n",
				    s - 1, (unsigned long long)r->succ[s],
				    (unsigned long long)r->fail[s],
				    100.0 * (double)r->succ[s] / (double)(r->succ[s] + r->fail[s]));
		for (int s = 0; s < PM_ORD; s++)
			if (r->ef_order[s])
				fprintf(out, "extfrag_order_%d: %llu\n", s - 1,
					(unsigned long long)r->ef_order[s]);
		fprintf(out, "patterns: %d\n", np);
		for (int p = 0; p < np; p++)
			fprintf(out, "pattern: %s %s->%s %llu steal, %llu claim\n",
				pat[p]->sev.marker, pat[p]->from[0] ? pat[p]->from : "?",
				pat[p]->to, (unsigned long long)pat[p]->steal,
				(unsigned long long)pat[p]->claim);
	}
}

void pm_summary_text(FILE *out, struct pm_side *sides, int n)
{
	int first = 1;

	for (int i = 0; i < n; i++)
		for (int k = 0; k < sides[i].n; k++) {
			if (!first)
				fputc('\n', out);
			first = 0;
			run_text(out, sides[i].run[k]);
		}
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
	if (decimals <= 0 && fabs(v) < 9e15)
		len = snprintf(buf, sizeof(buf), "%.0f", v);
	else
		len = snprintf(buf, sizeof(buf), "%.6g", v);
	yajl_gen_number(g, buf, (size_t)len);
}

struct pm_report {
	yajl_gen g;
	const struct pm_run *seen[1024];
	int nseen;
	int ncmp;
};

static void run_json(yajl_gen g, const struct pm_run *r)
{
	struct pm_metric m[PM_M_N];
	const struct pm_pattern *pat[PM_MAX_PAT];
	int np = pm_run_sorted_patterns(r, pat);

	pm_metrics(r, m);
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
	S(g, "metrics");
	yajl_gen_map_open(g);
	for (int k = 0; k < PM_M_N; k++) {
		S(g, m[k].key);
		if (!m[k].valid)
			yajl_gen_null(g);
		else
			num(g, m[k].v, m[k].decimals);
	}
	yajl_gen_map_close(g);
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
	for (int p = 0; p < np; p++) {
		yajl_gen_map_open(g);
		S(g, "from");
		S(g, pat[p]->from);
		S(g, "to");
		S(g, pat[p]->to);
		S(g, "severity");
		num(g, pat[p]->sev.score2 / 2.0, 1);
		S(g, "steal");
		yajl_gen_integer(g, (long long)pat[p]->steal);
		S(g, "claim");
		yajl_gen_integer(g, (long long)pat[p]->claim);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
	yajl_gen_map_close(g);
}

struct pm_report *pm_report_new(void)
{
	struct pm_report *rep = calloc(1, sizeof(*rep));

	if (!rep)
		return NULL;
	rep->g = yajl_gen_alloc(NULL);
	if (!rep->g) {
		free(rep);
		return NULL;
	}
	yajl_gen_config(rep->g, yajl_gen_beautify, 1);
	yajl_gen_config(rep->g, yajl_gen_validate_utf8, 1);
	yajl_gen_map_open(rep->g);
	S(rep->g, "generator");
	S(rep->g, "fragmon-plot " FRAGMON_VERSION);
	S(rep->g, "runs");
	yajl_gen_array_open(rep->g);
	return rep;
}

void pm_report_add(struct pm_report *rep, struct pm_side *sides, int n, int kind)
{
	(void)kind;
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
			run_json(rep->g, r);
		}
}

int pm_report_write(struct pm_report *rep, const char *path, char *err, size_t cap)
{
	const unsigned char *buf;
	size_t len;

	yajl_gen_array_close(rep->g);
	yajl_gen_map_close(rep->g);
	yajl_gen_get_buf(rep->g, &buf, &len);
	return pm_write_file(path, buf, len, err, cap);
}

void pm_report_free(struct pm_report *rep)
{
	if (!rep)
		return;
	yajl_gen_free(rep->g);
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
