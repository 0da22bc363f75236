// SPDX-License-Identifier: GPL-2.0
#include "resultsdir.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dashboard.h"
#include "output.h"
#include "runs.h"
#include "summary.h"

struct host {
	char *name, *path;
	int dev;  /* name ends in -dev */
	int pair; /* index of X-dev for X, of X for X-dev; -1 */
	struct pm_side side;
	int loaded, failed;
};

static int host_cmp(const void *a, const void *b)
{
	return strverscmp(((const struct host *)a)->name, ((const struct host *)b)->name);
}

/* the final file, else a compressed one, else what a killed agent left */
static char *data_file(const char *dir, const char *host)
{
	static const char *const names[] = {
	    "fragmentation_data.json",
	    "fragmentation_data.json.gz",
	    "fragmentation_data.json.partial",
	};
	char path[4096];
	struct stat st;

	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		snprintf(path, sizeof(path), "%s/%s/%s", dir, host, names[k]);
		if (!stat(path, &st) && S_ISREG(st.st_mode))
			return strdup(path);
	}
	return NULL;
}

static int scan(const char *dir, struct host **out, int *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct host *h = NULL;
	int nh = 0, cap = 0;

	*out = NULL;
	*n = 0;
	if (!d) {
		fprintf(stderr, "fragmon-plot: %s: %s\n", dir, strerror(errno));
		return EXIT_INPUT;
	}
	while ((de = readdir(d))) {
		char path[4096], *file;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) || !S_ISDIR(st.st_mode) || !(file = data_file(dir, de->d_name)))
			continue;
		if (nh == cap) {
			struct host *nhp =
			    realloc(h, sizeof(*h) * (size_t)(cap = cap ? 2 * cap : 32));

			if (!nhp) {
				free(file);
				break;
			}
			h = nhp;
		}
		memset(&h[nh], 0, sizeof(h[nh]));
		h[nh].name = strdup(de->d_name);
		h[nh].path = file;
		h[nh].pair = -1;
		if (!h[nh].name) {
			free(file);
			break;
		}
		nh++;
	}
	closedir(d);
	qsort(h, (size_t)nh, sizeof(*h), host_cmp);
	for (int i = 0; i < nh; i++) {
		size_t len = strlen(h[i].name);

		h[i].dev = len > 4 && !strcmp(h[i].name + len - 4, "-dev");
	}
	/* baseline X with X-dev */
	for (int i = 0; i < nh; i++)
		for (int j = 0; j < nh && !h[i].dev; j++) {
			size_t len = strlen(h[i].name);

			if (h[j].dev && strlen(h[j].name) == len + 4 &&
			    !strncmp(h[j].name, h[i].name, len)) {
				h[i].pair = j;
				h[j].pair = i;
			}
		}
	*out = h;
	*n = nh;
	return 0;
}

static int load(struct host *h, const struct pm_cli *c)
{
	struct pm_group g = {{h->path}, 1};
	int rc;

	if (h->loaded || h->failed)
		return 0;
	rc = pm_load_side(&g, h->name, &c->fo, &h->side);
	if (rc)
		h->failed = rc;
	else
		h->loaded = 1;
	return rc;
}

static void unload(struct host *h)
{
	if (h->loaded)
		pm_side_free(&h->side);
	h->loaded = 0;
}

static int draw(struct pm_side *sides, int n, const char *out, int overview, const struct pm_cli *c)
{
	char err[512];
	int r = pm_out_check(out, PM_OUT_PNG, err, sizeof(err));

	if (r) {
		fprintf(stderr, "fragmon-plot: %s: %s\n", out, err);
		return r;
	}
	r = overview ? pm_overview(sides, n, c->title, out, err, sizeof(err))
		     : pm_dashboard(sides, n, NULL, c->bin, out, err, sizeof(err));
	if (r) {
		fprintf(stderr, "fragmon-plot: %s: %s\n", out, err);
		return EXIT_RUNTIME;
	}
	printf("%s\n", out);
	return 0;
}

/*
 * Pages of the overview: host 0 (the baseline) first on each, then up to
 * PM_MAX_RUNS - 1 others in natural order, each X followed by X-dev (a pair
 * is never split).  Returns the number of pages; page[i] lists host indices,
 * npage[i] of them.
 */
static int paginate(const struct host *h, int nh, int (*page)[PM_MAX_RUNS], int *npage)
{
	int np = 0, k = PM_MAX_RUNS, *seq, ns = 0;
	char *placed;

	if (nh <= PM_MAX_RUNS) {
		for (int i = 0; i < nh; i++)
			page[0][i] = i;
		npage[0] = nh;
		return nh ? 1 : 0;
	}
	seq = calloc((size_t)nh, sizeof(*seq));
	placed = calloc((size_t)nh, 1);
	if (!seq || !placed) {
		free(seq);
		free(placed);
		return 0;
	}
	placed[0] = 1;
	if (h[0].pair >= 0) {
		seq[ns++] = h[0].pair; /* the baseline's own pair: first page */
		placed[h[0].pair] = 1;
	}
	for (int i = 1; i < nh; i++) {
		if (placed[i])
			continue;
		seq[ns++] = i;
		placed[i] = 1;
		if (!h[i].dev && h[i].pair >= 0 && !placed[h[i].pair]) {
			seq[ns++] = h[i].pair;
			placed[h[i].pair] = 1;
		}
	}
	for (int j = 0; j < ns;) {
		int need = j + 1 < ns && h[seq[j]].pair == seq[j + 1] ? 2 : 1;

		if (k + need > PM_MAX_RUNS) {
			page[np][0] = 0;
			npage[np++] = k = 1;
		}
		for (int m = 0; m < need; m++)
			page[np - 1][k++] = seq[j++];
		npage[np - 1] = k;
	}
	free(seq);
	free(placed);
	return np;
}

int pm_results_dir(const struct pm_cli *c)
{
	struct host *h;
	int nh, rc, np, nok = 0;
	int(*page)[PM_MAX_RUNS] = NULL, *npage = NULL;
	char out[4096];
	struct pm_report *rep = NULL;

	if ((rc = pm_out_check_dir(c->out)))
		return rc;
	if ((rc = scan(c->results_dir, &h, &nh)))
		return rc;
	if (!nh) {
		fprintf(stderr, "fragmon-plot: %s: no <host>/fragmentation_data.json found\n",
			c->results_dir);
		free(h);
		return EXIT_INPUT;
	}
	page = calloc((size_t)nh, sizeof(*page));
	npage = calloc((size_t)nh, sizeof(*npage));
	if (c->json)
		rep = pm_report_new();
	if (!page || !npage || (c->json && !rep)) {
		fprintf(stderr, "fragmon-plot: out of memory\n");
		rc = EXIT_RUNTIME;
		goto done;
	}
	np = paginate(h, nh, page, npage);
	if (np > 1)
		fprintf(stderr,
			"fragmon-plot: note: %d hosts: the overview is %d images of at most %d "
			"hosts, each starting with the baseline %s\n",
			nh, np, PM_MAX_RUNS, h[0].name);
	for (int p = 0; p < np; p++) {
		struct pm_side sides[PM_MAX_RUNS];
		int ns = 0;

		for (int k = 0; k < npage[p]; k++) {
			struct host *x = &h[page[p][k]];
			int r, first = !x->loaded && !x->failed;

			if ((r = load(x, c))) {
				rc = rc > r ? rc : r;
				continue;
			}
			if (first) {
				nok++;
				snprintf(out, sizeof(out), "%s/%s.png", c->out, x->name);
				if ((r = draw(&x->side, 1, out, 0, c)))
					rc = rc > r ? rc : r;
			}
			sides[ns++] = x->side;
		}
		/* pairs on this page (the baseline's pair once, on the first page) */
		for (int k = 0; k < npage[p]; k++) {
			struct host *x = &h[page[p][k]];
			int r;

			if (x->dev || x->pair < 0 || !x->loaded || !h[x->pair].loaded ||
			    (p && page[p][k] == 0))
				continue;
			{
				struct pm_side pair[2] = {x->side, h[x->pair].side};

				snprintf(out, sizeof(out), "%s/%s-vs-%s.png", c->out, x->name,
					 h[x->pair].name);
				if ((r = draw(pair, 2, out, 0, c)))
					rc = rc > r ? rc : r;
			}
		}
		if (ns >= 2) {
			int r;

			if (np == 1)
				snprintf(out, sizeof(out), "%s/overview.png", c->out);
			else
				snprintf(out, sizeof(out), "%s/overview-%d.png", c->out, p + 1);
			if ((r = draw(sides, ns, out, 1, c)))
				rc = rc > r ? rc : r;
			if (c->summary)
				pm_summary_text(stdout, sides, ns);
			if (rep)
				pm_report_add(rep, sides, ns, 2);
		}
		/* keep the baseline for the next page */
		for (int k = 0; k < npage[p]; k++)
			if (page[p][k] != 0)
				unload(&h[page[p][k]]);
	}
	if (rep && nok >= 2) {
		char err[512];

		if (pm_report_write(rep, c->json, err, sizeof(err))) {
			fprintf(stderr, "fragmon-plot: %s: %s\n", c->json, err);
			rc = EXIT_RUNTIME;
		}
	}
	if (!nok)
		rc = rc ? rc : EXIT_INPUT;
done:
	for (int i = 0; i < nh; i++) {
		unload(&h[i]);
		free(h[i].name);
		free(h[i].path);
	}
	pm_report_free(rep);
	free(h);
	free(page);
	free(npage);
	return rc;
}
