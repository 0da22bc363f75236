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

/* results trees given at once (repeated runs): every page of the overview then
 * holds at most PM_MAX_FILES runs */
#define MAX_TREES (PM_MAX_FILES / PM_MAX_RUNS)
/* configurations named by --baseline */
#define MAX_BASELINES PM_MAX_RUNS

struct host {
	char *name;
	int config; /* index into struct tree's configs */
	int dev;    /* name ends in -dev */
	int pair;   /* index of X-dev for X, of X for X-dev; -1 */
	char *path[MAX_TREES];
	int npath; /* one per results tree that has it: repeated runs */
	struct pm_side side;
	int loaded, failed;
};

/* a configuration: a host name without -dev; host[0] runs the baseline
 * kernel (X), host[1] the development kernel (X-dev); -1 when absent */
struct config {
	char *name;
	int host[2];
};

struct tree {
	struct host *h;
	int nh, cap;
	struct config *cf;
	int ncf;
	int base[MAX_BASELINES]; /* configurations, the first one is the baseline */
	int nbase;
};

static int host_cmp(const void *a, const void *b)
{
	return strverscmp(((const struct host *)a)->name, ((const struct host *)b)->name);
}

static int is_dev(const char *name)
{
	size_t len = strlen(name);

	return len > 4 && !strcmp(name + len - 4, "-dev");
}

/* the final file, else a compressed one, else what a killed agent left */
static char *data_file(const char *dir, const char *host)
{
	static const char *const names[] = {
	    "fragmentation_data.json",
	    "fragmentation_data.json.gz",
	    "fragmentation_data.json.partial",
	    "fragmentation_data.json.gz.partial",
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

static struct host *find_host(struct tree *t, const char *name)
{
	for (int i = 0; i < t->nh; i++)
		if (!strcmp(t->h[i].name, name))
			return &t->h[i];
	return NULL;
}

/* add dir's <host>/fragmentation_data.json* to t; 0 or an exit status */
static int scan_one(const char *dir, struct tree *t)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "fragmon-plot: %s: %s\n", dir, strerror(errno));
		return EXIT_INPUT;
	}
	while (!rc && (de = readdir(d))) {
		char path[4096], *file;
		struct host *x;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) || !S_ISDIR(st.st_mode) || !(file = data_file(dir, de->d_name)))
			continue;
		if (!(x = find_host(t, de->d_name))) {
			if (t->nh == t->cap) {
				int cap = t->cap ? 2 * t->cap : 32;
				struct host *nhp = realloc(t->h, sizeof(*nhp) * (size_t)cap);

				if (!nhp) {
					free(file);
					rc = EXIT_RUNTIME;
					break;
				}
				t->h = nhp;
				t->cap = cap;
			}
			x = &t->h[t->nh];
			memset(x, 0, sizeof(*x));
			x->pair = -1;
			if (!(x->name = strdup(de->d_name))) {
				free(file);
				rc = EXIT_RUNTIME;
				break;
			}
			t->nh++;
		}
		x->path[x->npath++] = file;
	}
	closedir(d);
	if (rc)
		fprintf(stderr, "fragmon-plot: out of memory\n");
	return rc;
}

/* split "A,B" (unless the whole names an existing path) into at most max
 * words of copy; returns the count, or -1 after a usage message */
static int split_list(const char *opt, const char *arg, char *copy, char **words, int max, int path)
{
	struct stat st;
	char *save = NULL;
	int n = 0;

	strcpy(copy, arg);
	if (path && !stat(arg, &st)) {
		words[0] = copy;
		return 1;
	}
	if (!*arg || *arg == ',' || arg[strlen(arg) - 1] == ',' || strstr(arg, ",,")) {
		pm_usage_error("%s '%s': an empty name in the list", opt, arg);
		return -1;
	}
	for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		if (n == max) {
			pm_usage_error("%s '%s': at most %d names", opt, arg, max);
			return -1;
		}
		words[n++] = p;
	}
	return n;
}

/* NAME is a configuration's name, or its end after a '-' (xfs-4k for
 * kdevops-fio-tests-xfs-4k) */
static int find_config(const struct tree *t, const char *name, int *nmatch)
{
	size_t ln = strlen(name);
	int found = -1;

	*nmatch = 0;
	for (int i = 0; i < t->ncf; i++)
		if (!strcmp(t->cf[i].name, name)) {
			*nmatch = 1;
			return i;
		}
	for (int i = 0; i < t->ncf; i++) {
		size_t lc = strlen(t->cf[i].name);

		if (lc > ln && t->cf[i].name[lc - ln - 1] == '-' &&
		    !strcmp(t->cf[i].name + lc - ln, name)) {
			found = i;
			++*nmatch;
		}
	}
	return *nmatch == 1 ? found : -1;
}

static void list_configs(const struct tree *t, const char *dir)
{
	fprintf(stderr, "fragmon-plot: the configurations in %s:", dir);
	for (int i = 0; i < t->ncf; i++)
		fprintf(stderr, "%s %s", i ? "," : "", t->cf[i].name);
	fputc('\n', stderr);
}

/* --baseline NAME[,NAME...] → t->base; none: the first configuration */
static int pick_baselines(struct tree *t, const struct pm_cli *c)
{
	char copy[4096], *words[MAX_BASELINES];
	int n;

	t->nbase = 1;
	t->base[0] = 0;
	if (!c->baseline)
		return 0;
	if (strlen(c->baseline) >= sizeof(copy))
		return pm_usage_error("--baseline: too long");
	if ((n = split_list("--baseline", c->baseline, copy, words, MAX_BASELINES, 0)) < 0)
		return EXIT_INPUT;
	t->nbase = 0;
	for (int i = 0; i < n; i++) {
		int m, k = find_config(t, words[i], &m);

		if (k < 0) {
			fprintf(stderr, "fragmon-plot: --baseline %s: %s configuration in %s\n",
				words[i], m ? "more than one" : "no such", c->results_dir);
			list_configs(t, c->results_dir);
			return EXIT_INPUT;
		}
		for (int j = 0; j < t->nbase; j++)
			if (t->base[j] == k)
				k = -1;
		if (k >= 0)
			t->base[t->nbase++] = k;
	}
	return 0;
}

/* configurations in natural order, X with X-dev */
static int make_configs(struct tree *t)
{
	t->cf = calloc((size_t)t->nh, sizeof(*t->cf));
	if (!t->cf)
		return -1;
	for (int i = 0; i < t->nh; i++) {
		struct host *x = &t->h[i];
		size_t len = strlen(x->name) - (x->dev ? 4 : 0);
		int k;

		for (k = 0; k < t->ncf; k++)
			if (strlen(t->cf[k].name) == len && !strncmp(t->cf[k].name, x->name, len))
				break;
		if (k == t->ncf) {
			if (!(t->cf[k].name = strndup(x->name, len)))
				return -1;
			t->cf[k].host[0] = t->cf[k].host[1] = -1;
			t->ncf++;
		}
		x->config = k;
	}
	return 0;
}

/* hosts of the baseline configuration first (X, then X-dev), the others in
 * natural order; then every configuration's host indices and the pairs */
static void order_hosts(struct tree *t)
{
	int b = t->base[0], k = 0;

	for (int i = 0; i < t->nh; i++)
		if (t->h[i].config == b) {
			struct host tmp = t->h[i];

			memmove(&t->h[k + 1], &t->h[k], sizeof(*t->h) * (size_t)(i - k));
			t->h[k++] = tmp;
		}
	for (int i = 0; i < t->nh; i++) {
		struct config *cf = &t->cf[t->h[i].config];

		cf->host[t->h[i].dev] = i;
	}
	for (int k2 = 0; k2 < t->ncf; k2++) {
		int x = t->cf[k2].host[0], xd = t->cf[k2].host[1];

		if (x >= 0 && xd >= 0) {
			t->h[x].pair = xd;
			t->h[xd].pair = x;
		}
	}
}

static int scan(const struct pm_cli *c, struct tree *t)
{
	char copy[4096], *dirs[MAX_TREES];
	int n, rc;

	if (strlen(c->results_dir) >= sizeof(copy))
		return pm_usage_error("--results-dir: too long");
	if ((n = split_list("--results-dir", c->results_dir, copy, dirs, MAX_TREES, 1)) < 0)
		return EXIT_INPUT;
	for (int i = 0; i < n; i++)
		if ((rc = scan_one(dirs[i], t)))
			return rc;
	if (!t->nh) {
		fprintf(stderr, "fragmon-plot: %s: no <host>/fragmentation_data.json found\n",
			c->results_dir);
		return EXIT_INPUT;
	}
	qsort(t->h, (size_t)t->nh, sizeof(*t->h), host_cmp);
	for (int i = 0; i < t->nh; i++)
		t->h[i].dev = is_dev(t->h[i].name);
	if (make_configs(t)) {
		fprintf(stderr, "fragmon-plot: out of memory\n");
		return EXIT_RUNTIME;
	}
	if ((rc = pick_baselines(t, c)))
		return rc;
	order_hosts(t);
	return 0;
}

static int load(struct host *h, const struct pm_cli *c)
{
	struct pm_group g = {{NULL}, h->npath};
	int rc;

	if (h->loaded || h->failed)
		return h->failed;
	for (int i = 0; i < h->npath; i++)
		g.files[i] = h->path[i];
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

static void worst(int *rc, int r)
{
	if (r > *rc)
		*rc = r;
}

/* OUTDIR/<A>-vs-<B>.png (X with X-dev) or comparison_<A>_vs_<B>.png (across
 * configurations), both loaded */
static int draw_ab(struct host *a, struct host *b, int across, const struct pm_cli *c)
{
	struct pm_side ab[2] = {a->side, b->side};
	char out[4096];

	snprintf(out, sizeof(out), across ? "%s/comparison_%s_vs_%s.png" : "%s/%s-vs-%s.png",
		 c->out, a->name, b->name);
	return draw(ab, 2, out, 0, c);
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

/* a host of the first baseline configuration: loaded once, kept to the end */
static int is_base(const struct tree *t, int i)
{
	return t->h[i].config == t->base[0];
}

/* every other configuration against the first baseline, on the same kernel
 * side, for the hosts of one overview page (loaded) */
static void compare_page(struct tree *t, const int *pg, int n, const struct pm_cli *c, int *rc)
{
	const struct config *b = &t->cf[t->base[0]];

	for (int k = 0; k < n; k++) {
		struct host *x = &t->h[pg[k]];
		int bi = b->host[x->dev];

		if (is_base(t, pg[k]) || bi < 0 || !x->loaded || load(&t->h[bi], c))
			continue;
		worst(rc, draw_ab(&t->h[bi], x, 1, c));
	}
}

/* the further baselines of --baseline A,B,...: each against every
 * configuration not listed before it (A-B is not drawn again as B-A) */
static void compare_more(struct tree *t, const struct pm_cli *c, int *rc)
{
	for (int j = 1; j < t->nbase; j++) {
		const struct config *b = &t->cf[t->base[j]];

		for (int s = 0; s < 2; s++) {
			int bi = b->host[s];

			if (bi < 0)
				continue;
			for (int k = 0; k < t->ncf; k++) {
				int xi = t->cf[k].host[s], earlier = 0;

				for (int m = 0; m <= j; m++)
					earlier |= t->base[m] == k;
				if (earlier || xi < 0 || load(&t->h[bi], c) || load(&t->h[xi], c))
					continue;
				worst(rc, draw_ab(&t->h[bi], &t->h[xi], 1, c));
				if (!is_base(t, xi))
					unload(&t->h[xi]);
			}
			if (!is_base(t, bi))
				unload(&t->h[bi]);
		}
	}
}

/* a side the baseline cannot be compared on is said once */
static void note_sides(const struct tree *t)
{
	const struct config *b = &t->cf[t->base[0]];

	for (int s = 0; s < 2; s++) {
		int others = 0;

		if (b->host[s] >= 0)
			continue;
		for (int k = 0; k < t->ncf; k++)
			others += t->cf[k].host[s] >= 0;
		if (others)
			fprintf(stderr,
				"fragmon-plot: note: the baseline %s has no %s host: %d %s "
				"host(s) not compared across configurations\n",
				b->name, s ? "-dev" : "non-dev", others, s ? "-dev" : "non-dev");
	}
}

static void tree_free(struct tree *t)
{
	for (int i = 0; i < t->nh; i++) {
		unload(&t->h[i]);
		free(t->h[i].name);
		for (int k = 0; k < t->h[i].npath; k++)
			free(t->h[i].path[k]);
	}
	for (int k = 0; k < t->ncf; k++)
		free(t->cf[k].name);
	free(t->cf);
	free(t->h);
}

int pm_results_dir(const struct pm_cli *c)
{
	struct tree t = {0};
	struct host *h;
	int nh, rc, np, nok = 0;
	int(*page)[PM_MAX_RUNS] = NULL, *npage = NULL;
	char out[4096];
	struct pm_report *rep = NULL;

	/* the whole tree is understood (and --baseline checked) before anything is written */
	if ((rc = scan(c, &t)) || (rc = pm_out_check_dir(c->out)))
		goto done;
	h = t.h;
	nh = t.nh;
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
	note_sides(&t);
	for (int p = 0; p < np; p++) {
		struct pm_side sides[PM_MAX_RUNS];
		int ns = 0;

		for (int k = 0; k < npage[p]; k++) {
			struct host *x = &h[page[p][k]];
			int r, first = !x->loaded && !x->failed;

			if ((r = load(x, c))) {
				if (first)
					worst(&rc, r);
				continue;
			}
			if (first) {
				nok++;
				snprintf(out, sizeof(out), "%s/%s.png", c->out, x->name);
				worst(&rc, draw(&x->side, 1, out, 0, c));
			}
			sides[ns++] = x->side;
		}
		/* pairs on this page (the baseline's pair once, on the first page) */
		for (int k = 0; k < npage[p]; k++) {
			struct host *x = &h[page[p][k]];

			if (x->dev || x->pair < 0 || !x->loaded || !h[x->pair].loaded ||
			    (p && page[p][k] == 0))
				continue;
			worst(&rc, draw_ab(x, &h[x->pair], 0, c));
		}
		compare_page(&t, page[p], npage[p], c, &rc);
		if (ns >= 2) {
			if (np == 1)
				snprintf(out, sizeof(out), "%s/overview.png", c->out);
			else
				snprintf(out, sizeof(out), "%s/overview-%d.png", c->out, p + 1);
			worst(&rc, draw(sides, ns, out, 1, c));
			if (c->summary)
				pm_summary_text(stdout, sides, ns);
			if (rep)
				pm_report_add(rep, sides, ns, 2);
		}
		/* keep the baseline configuration for the next page */
		for (int k = 0; k < npage[p]; k++)
			if (!is_base(&t, page[p][k]))
				unload(&h[page[p][k]]);
	}
	compare_more(&t, c, &rc);
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
	tree_free(&t);
	pm_report_free(rep);
	free(page);
	free(npage);
	return rc;
}
