// SPDX-License-Identifier: GPL-2.0
#include "summary.h"

#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "metrics.h"
#include "png_out.h"

static const char *run_format(const struct pm_run *r)
{
	return r->have_run ? "fragmon" : "legacy";
}

void pm_summary_text(FILE *out, struct pm_run *const *runs, int n)
{
	for (int i = 0; i < n; i++) {
		const struct pm_run *r = runs[i];
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
		if (i + 1 < n)
			fputc('\n', out);
	}
}

#define S(g, s) yajl_gen_string(g, (const unsigned char *)(s), strlen(s))

int pm_summary_json(const char *path, struct pm_run *const *runs, int n, char *err, size_t cap)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	const unsigned char *buf;
	size_t len;
	int ret;

	if (!g) {
		snprintf(err, cap, "out of memory");
		return -1;
	}
	yajl_gen_config(g, yajl_gen_beautify, 1);
	yajl_gen_config(g, yajl_gen_validate_utf8, 1);
	yajl_gen_map_open(g);
	S(g, "generator");
	S(g, "fragmon-plot " FRAGMON_VERSION);
	S(g, "runs");
	yajl_gen_array_open(g);
	for (int i = 0; i < n; i++) {
		const struct pm_run *r = runs[i];
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
			else if (m[k].decimals)
				yajl_gen_double(g, m[k].v);
			else
				yajl_gen_integer(g, (long long)m[k].v);
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
			yajl_gen_double(g, pat[p]->sev.score2 / 2.0);
			S(g, "steal");
			yajl_gen_integer(g, (long long)pat[p]->steal);
			S(g, "claim");
			yajl_gen_integer(g, (long long)pat[p]->claim);
			yajl_gen_map_close(g);
		}
		yajl_gen_array_close(g);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
	yajl_gen_map_close(g);
	yajl_gen_get_buf(g, &buf, &len);
	ret = pm_write_atomic(path, buf, len, err, cap);
	yajl_gen_free(g);
	return ret;
}
