// SPDX-License-Identifier: GPL-2.0
/*
 * fragmon-plot: PNG dashboards of fragmon-agent (and legacy tracker) runs.
 * This file chooses what to draw from the command line (plot/cli.c); see
 * --help and docs/plot.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canvas.h"
#include "cli.h"
#include "dashboard.h"
#include "folded.h"
#include "origin.h"
#include "output.h"
#include "resultsdir.h"
#include "runs.h"
#include "summary.h"

/* an output that cannot be written is refused before any input is read */
static int check_out(const char *path, enum pm_out_kind kind, const struct pm_cli *c)
{
	char err[512];
	int rc = pm_out_check(path, kind, err, sizeof(err));

	if (rc) {
		fprintf(stderr, "fragmon-plot: %s: %s\n", path, err);
		return rc;
	}
	for (int g = 0; g < c->ngroups; g++)
		for (int i = 0; i < c->groups[g].n; i++)
			if (pm_out_same_file(path, c->groups[g].files[i])) {
				fprintf(stderr,
					"fragmon-plot: %s: is the input %s: refused (it would be "
					"overwritten)\n",
					path, c->groups[g].files[i]);
				return EXIT_INPUT;
			}
	return 0;
}

static int check_outputs(const struct pm_cli *c, const char *out)
{
	int rc;

	if (out && !strcmp(out, "-") && c->json && !strcmp(c->json, "-"))
		return pm_usage_error("-o - and --json - cannot both use standard output");
	if (c->folded && !strcmp(c->folded, "-") &&
	    ((out && !strcmp(out, "-")) || (c->json && !strcmp(c->json, "-")) || c->summary))
		return pm_usage_error("--folded - shares standard output: give the others a file");
	if (c->summary && ((out && !strcmp(out, "-")) || (c->json && !strcmp(c->json, "-"))))
		return pm_usage_error("--summary prints on standard output: give -o/--json a file");
	if (out && (rc = check_out(out, PM_OUT_PNG, c)))
		return rc;
	if (c->json && (rc = check_out(c->json, PM_OUT_JSON, c)))
		return rc;
	if (c->folded && (rc = check_out(c->folded, PM_OUT_FOLDED, c)))
		return rc;
	return 0;
}

static int emit(struct pm_side *sides, int n, const struct pm_cli *c, int kind, const char *out)
{
	char err[512];
	int rc = 0;

	if (c->summary)
		pm_summary_text(stdout, sides, n);
	if (c->json && pm_summary_json(c->json, sides, n, err, sizeof(err))) {
		fprintf(stderr, "fragmon-plot: %s: %s\n", c->json, err);
		rc = EXIT_RUNTIME;
	}
	if (c->folded && n > 2)
		return pm_usage_error("--folded takes one run or an A/B pair, not --multi");
	if (c->folded &&
	    po_folded_write(c->folded, sides[0].run[0]->origin,
			    n == 2 ? sides[1].run[0]->origin : NULL, err, sizeof(err))) {
		fprintf(stderr, "fragmon-plot: %s: %s\n", c->folded, err);
		rc = EXIT_RUNTIME;
	}
	for (int i = 0; c->folded && i < n; i++)
		if (!sides[i].run[0]->origin || !sides[i].run[0]->origin->have_stacks)
			fprintf(stderr,
				"fragmon-plot: %s: %s has no call paths (no "
				"statistics.extfrag_stacks): "
				"none in %s\n",
				c->folded, sides[i].run[0]->name, c->folded);
	if (!out)
		return rc;
	if ((kind == 2 ? pm_overview(sides, n, c->title, out, err, sizeof(err))
		       : pm_dashboard(sides, n, c->title, c->bin, out, err, sizeof(err)))) {
		fprintf(stderr, "fragmon-plot: %s: %s\n", out, err);
		return EXIT_RUNTIME;
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct pm_cli c = {0};
	struct pm_side sides[PM_MAX_RUNS] = {0};
	int n = 0, rc, kind, done;
	const char *out;

	c.fo = (struct pm_fetch_opts){10, 300, 4096ULL << 20, 5};
	if ((rc = pm_cli_parse(argc, argv, &c, &done)) || done)
		goto out;
	if (c.results_dir) {
		if (c.ngroups || c.compare || c.multi)
			rc = pm_usage_error("--results-dir takes no other runs");
		else if (!c.out)
			rc = pm_usage_error("--results-dir needs -o OUTDIR");
		else
			rc = pm_results_dir(&c);
		goto out;
	}
	if (c.baseline) {
		rc = pm_usage_error("--baseline is for --results-dir");
		goto out;
	}
	if (c.compare) {
		if (c.ngroups != 2 || c.multi) {
			rc = pm_usage_error("--compare wants exactly two runs: A --compare B");
			goto out;
		}
		kind = 1;
	} else if (c.multi) {
		if (c.ngroups < 2) {
			rc = pm_usage_error("--multi wants at least two runs");
			goto out;
		}
		kind = 2;
	} else {
		if (c.ngroups != 1) {
			rc = pm_usage_error(c.ngroups ? "one RUN at a time (or --compare, --multi)"
						      : "a RUN to plot");
			goto out;
		}
		kind = 0;
	}
	if (kind == 0 && c.groups[0].n > 1) {
		rc = pm_usage_error("repeated runs ('%s,...') are for comparisons: --compare or "
				    "--multi",
				    c.groups[0].files[0]);
		goto out;
	}
	if (c.nlabels && c.nlabels != c.ngroups) {
		rc =
		    pm_usage_error("--labels: %d label%s for %d run%s: give one per run", c.nlabels,
				   c.nlabels == 1 ? "" : "s", c.ngroups, c.ngroups == 1 ? "" : "s");
		goto out;
	}
	out = c.out;
	if (!out && !c.summary && !c.json && !c.folded)
		out = kind == 0	  ? "fragmentation_analysis.png"
		      : kind == 1 ? "fragmentation_comparison.png"
				  : "fragmentation_overview.png";
	if ((rc = check_outputs(&c, out)))
		goto out;
	for (int g = 0; g < c.ngroups; g++) {
		rc = pm_load_side(&c.groups[g], c.nlabels ? c.labels[g] : NULL, &c.fo, &sides[g]);
		if (rc)
			goto out;
		n++;
	}
	pm_unique_labels(sides, n);
	rc = emit(sides, n, &c, kind, out);
out:
	for (int i = 0; i < n; i++)
		pm_side_free(&sides[i]);
	pm_cli_free(&c);
	pm_canvas_shutdown();
	return rc;
}
