// SPDX-License-Identifier: GPL-2.0
/*
 * fragmon-plot: PNG dashboards of fragmon-agent (and legacy tracker) runs.
 * This file is the command line; see --help and docs/plot.md.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dashboard.h"
#include "input.h"
#include "summary.h"
#include "view.h"

#define EXIT_RUNTIME 1
#define EXIT_INPUT 2

static const char usage[] =
    "usage: fragmon-plot RUN [-o out.png] [--bin SEC] [--title T]\n"
    "       fragmon-plot A --compare B [--labels LA LB] [-o ab.png]\n"
    "       fragmon-plot --multi R1 R2 ... [--labels L1 L2 ...] [-o all.png]\n"
    "       fragmon-plot --results-dir DIR -o OUTDIR\n"
    "\n"
    "RUN is a fragmentation_data.json (or .partial) of fragmon-agent, a legacy tracker\n"
    "JSON file, an http:// or https:// URL of one, or - for standard input; gzip\n"
    "compressed input is recognised.\n"
    "\n"
    "  -o, --output FILE      PNG to write (atomically); with --results-dir, a directory\n"
    "      --bin SEC          extfrag timeline bin width (default: automatic)\n"
    "      --title T          image title\n"
    "      --compare B        A/B dashboard of RUN (A) against B\n"
    "      --labels L...      names of the runs, in order (default: from the paths)\n"
    "      --multi R...       N-way overview of several runs\n"
    "      --results-dir DIR  DIR/<host>/fragmentation_data.json (.gz, .partial): "
    "OUTDIR/<host>.png,\n"
    "                         OUTDIR/<X>-vs-<X-dev>.png for each pair, OUTDIR/overview.png\n"
    "      --summary          print the key metrics as text on stdout\n"
    "      --json FILE        write the key metrics as JSON (atomically)\n"
    "      --max-size MB      largest input accepted from a URL (default 4096)\n"
    "      --timeout SEC      total time allowed for a URL (default 300; connect: 10)\n"
    "  -h, --help             this text;  --version  the version\n"
    "\n"
    "Without -o, an image is written only when neither --summary nor --json is given:\n"
    "fragmentation_analysis.png, fragmentation_comparison.png or fragmentation_overview.png.\n"
    "A truncated input (killed agent) is plotted with a warning on stderr and on the image.\n"
    "\n"
    "Exit status: 0 ok; 1 runtime failure (fetch/network, cannot write output);\n"
    "2 bad input or usage (malformed JSON, unknown option, missing file).\n";

struct opts {
	const char *inputs[PM_MAX_RUNS];
	int ninputs;
	const char *labels[PM_MAX_RUNS];
	int nlabels;
	const char *compare, *out, *title, *json, *results_dir;
	double bin;
	int multi, summary;
	struct pm_fetch_opts fo;
};

static int die_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "fragmon-plot: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'fragmon-plot --help'.\n");
	return EXIT_INPUT;
}

static int is_opt(const char *s)
{
	return s[0] == '-' && s[1];
}

static int parse_num(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return errno || end == s || *end || !(*out > 0);
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		double d;

#define NEED()                                                                                     \
	do {                                                                                       \
		if (i + 1 >= argc)                                                                 \
			return die_usage("%s needs an argument", a);                               \
	} while (0)
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			exit(0);
		} else if (!strcmp(a, "--version")) {
			puts("fragmon-plot " FRAGMON_VERSION);
			exit(0);
		} else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
			NEED();
			o->out = argv[++i];
		} else if (!strcmp(a, "--bin")) {
			NEED();
			if (parse_num(argv[++i], &o->bin))
				return die_usage(
				    "--bin wants a positive number of seconds, not '%s'", argv[i]);
		} else if (!strcmp(a, "--title")) {
			NEED();
			o->title = argv[++i];
		} else if (!strcmp(a, "--compare")) {
			NEED();
			o->compare = argv[++i];
		} else if (!strcmp(a, "--json")) {
			NEED();
			o->json = argv[++i];
		} else if (!strcmp(a, "--results-dir")) {
			NEED();
			o->results_dir = argv[++i];
		} else if (!strcmp(a, "--summary")) {
			o->summary = 1;
		} else if (!strcmp(a, "--max-size")) {
			NEED();
			if (parse_num(argv[++i], &d))
				return die_usage(
				    "--max-size wants a positive number of MB, not '%s'", argv[i]);
			o->fo.max_bytes = (unsigned long long)(d * 1048576);
		} else if (!strcmp(a, "--timeout")) {
			NEED();
			if (parse_num(argv[++i], &d))
				return die_usage(
				    "--timeout wants a positive number of seconds, not '%s'",
				    argv[i]);
			o->fo.timeout_s = (long)d ? (long)d : 1;
		} else if (!strcmp(a, "--labels")) {
			while (i + 1 < argc && !is_opt(argv[i + 1])) {
				if (o->nlabels == PM_MAX_RUNS)
					return die_usage("at most %s labels", "16");
				o->labels[o->nlabels++] = argv[++i];
			}
		} else if (!strcmp(a, "--multi")) {
			o->multi = 1;
			while (i + 1 < argc && !is_opt(argv[i + 1])) {
				if (o->ninputs == PM_MAX_RUNS)
					return die_usage("at most %s inputs", "16");
				o->inputs[o->ninputs++] = argv[++i];
			}
		} else if (!strcmp(a, "--")) {
			while (++i < argc)
				if (o->ninputs < PM_MAX_RUNS)
					o->inputs[o->ninputs++] = argv[i];
		} else if (is_opt(a)) {
			return die_usage("unknown option '%s'", a);
		} else {
			if (o->ninputs == PM_MAX_RUNS)
				return die_usage("at most %s inputs", "16");
			o->inputs[o->ninputs++] = a;
		}
#undef NEED
	}
	return 0;
}

/* label from a path or URL: basename without .json[.partial]; the host directory
 * for fragmentation_data.json */
static void default_label(const char *src, char *out, size_t cap)
{
	char tmp[512], *base, *dot;
	size_t n;

	if (!strcmp(src, "-")) {
		snprintf(out, cap, "stdin");
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s", src);
	if ((dot = strpbrk(tmp, "?#")) && strstr(tmp, "://"))
		*dot = '\0';
	n = strlen(tmp);
	while (n > 1 && tmp[n - 1] == '/')
		tmp[--n] = '\0';
	base = strrchr(tmp, '/') ? strrchr(tmp, '/') + 1 : tmp;
	if (!strncmp(base, "fragmentation_data.json", 23) && base > tmp + 1) {
		char *prev;

		base[-1] = '\0';
		prev = strrchr(tmp, '/');
		if (prev && !strstr(prev - 2 > tmp ? prev - 2 : tmp, "://"))
			base = prev + 1;
		else if (!prev)
			base = tmp;
	}
	snprintf(out, cap, "%s", base);
	if ((dot = strstr(out, ".json")))
		*dot = '\0';
	if (!out[0])
		snprintf(out, cap, "run");
}

static int load(const char *src, const char *label, const struct opts *o, struct pm_run **out)
{
	struct pm_run *r = pm_run_new(src);
	char err[768];
	int rc;

	*out = NULL;
	if (!r) {
		fprintf(stderr, "fragmon-plot: out of memory\n");
		return EXIT_RUNTIME;
	}
	if (label)
		snprintf(r->label, sizeof(r->label), "%s", label);
	else
		default_label(src, r->label, sizeof(r->label));
	rc = pm_load(src, r, &o->fo, err, sizeof(err), NULL);
	if (rc) {
		fprintf(stderr, "fragmon-plot: %s: %s\n", src, err);
		pm_run_free(r);
		return rc;
	}
	if (r->truncated)
		fprintf(
		    stderr,
		    "fragmon-plot: %s: warning: truncated at byte %lld (no complete JSON; agent "
		    "killed?): plotting the %llu events read\n",
		    src, r->trunc_at, (unsigned long long)r->n_events);
	else if (!r->have_metadata)
		fprintf(stderr, "fragmon-plot: %s: warning: no metadata: incomplete run\n", src);
	else if (r->complete == 0)
		fprintf(stderr,
			"fragmon-plot: %s: warning: a checkpoint, written while the run went on\n",
			src);
	*out = r;
	return 0;
}

static int emit(struct pm_run **runs, int n, const struct opts *o, int kind, const char *out)
{
	char err[512];
	int rc = 0;

	if (o->summary)
		pm_summary_text(stdout, runs, n);
	if (o->json && pm_summary_json(o->json, runs, n, err, sizeof(err))) {
		fprintf(stderr, "fragmon-plot: %s: %s\n", o->json, err);
		rc = EXIT_RUNTIME;
	}
	if (!out)
		return rc;
	if ((kind == 2 ? pm_overview(runs, n, o->title, out, err, sizeof(err))
		       : pm_dashboard(runs, n, o->title, o->bin, out, err, sizeof(err)))) {
		fprintf(stderr, "fragmon-plot: %s: %s\n", out, err);
		return EXIT_RUNTIME;
	}
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int results_dir(const struct opts *o)
{
	DIR *d = opendir(o->results_dir);
	struct dirent *de;
	char *hosts[256], path[4096], out[4096], err[512];
	struct pm_run *runs[256];
	int nh = 0, rc = 0;

	if (!d) {
		fprintf(stderr, "fragmon-plot: %s: %s\n", o->results_dir, strerror(errno));
		return EXIT_INPUT;
	}
	if (!o->out) {
		closedir(d);
		return die_usage("%s needs -o OUTDIR", "--results-dir");
	}
	if (mkdir(o->out, 0755) && errno != EEXIST) {
		fprintf(stderr, "fragmon-plot: %s: %s\n", o->out, strerror(errno));
		closedir(d);
		return EXIT_RUNTIME;
	}
	while ((de = readdir(d)) && nh < 256) {
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", o->results_dir, de->d_name);
		if (stat(path, &st) || !S_ISDIR(st.st_mode))
			continue;
		hosts[nh++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(hosts, (size_t)nh, sizeof(*hosts), cmp_str);
	int nr = 0;

	for (int i = 0; i < nh; i++) {
		struct stat st;
		static const char *const names[] = {
		    "fragmentation_data.json",
		    "fragmentation_data.json.gz",
		    "fragmentation_data.json.partial",
		};
		int r, found = 0;

		runs[i] = NULL;
		/* the final file, else a compressed one, else what a killed agent left */
		for (size_t k = 0; k < sizeof(names) / sizeof(names[0]) && !found; k++) {
			snprintf(path, sizeof(path), "%s/%s/%s", o->results_dir, hosts[i],
				 names[k]);
			found = !stat(path, &st);
		}
		if (!found)
			continue;
		r = load(path, hosts[i], o, &runs[i]);
		if (r) {
			rc = rc > r ? rc : r;
			continue;
		}
		nr++;
		snprintf(out, sizeof(out), "%s/%s.png", o->out, hosts[i]);
		if (pm_dashboard(&runs[i], 1, NULL, o->bin, out, err, sizeof(err))) {
			fprintf(stderr, "fragmon-plot: %s: %s\n", out, err);
			rc = EXIT_RUNTIME;
		} else {
			printf("%s\n", out);
		}
	}
	/* baseline X with X-dev */
	for (int i = 0; i < nh; i++) {
		size_t len = strlen(hosts[i]);

		if (!runs[i] || (len > 4 && !strcmp(hosts[i] + len - 4, "-dev")))
			continue;
		for (int j = 0; j < nh; j++) {
			struct pm_run *pair[2] = {runs[i], runs[j]};

			if (!runs[j] || strlen(hosts[j]) != len + 4 ||
			    strncmp(hosts[j], hosts[i], len) || strcmp(hosts[j] + len, "-dev"))
				continue;
			snprintf(out, sizeof(out), "%s/%s-vs-%s.png", o->out, hosts[i], hosts[j]);
			if (pm_dashboard(pair, 2, NULL, o->bin, out, err, sizeof(err))) {
				fprintf(stderr, "fragmon-plot: %s: %s\n", out, err);
				rc = EXIT_RUNTIME;
			} else {
				printf("%s\n", out);
			}
		}
	}
	if (nr >= 2) {
		struct pm_run *all[PM_MAX_RUNS];
		int n = 0;

		for (int i = 0; i < nh && n < PM_MAX_RUNS; i++)
			if (runs[i])
				all[n++] = runs[i];
		snprintf(out, sizeof(out), "%s/overview.png", o->out);
		if (pm_overview(all, n, o->title, out, err, sizeof(err))) {
			fprintf(stderr, "fragmon-plot: %s: %s\n", out, err);
			rc = EXIT_RUNTIME;
		} else {
			printf("%s\n", out);
		}
		if (o->summary)
			pm_summary_text(stdout, all, n);
		if (o->json && pm_summary_json(o->json, all, n, err, sizeof(err))) {
			fprintf(stderr, "fragmon-plot: %s: %s\n", o->json, err);
			rc = EXIT_RUNTIME;
		}
	}
	if (!nr) {
		fprintf(stderr, "fragmon-plot: %s: no <host>/fragmentation_data.json found\n",
			o->results_dir);
		rc = rc ? rc : EXIT_INPUT;
	}
	for (int i = 0; i < nh; i++) {
		pm_run_free(runs[i]);
		free(hosts[i]);
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o = {0};
	struct pm_run *runs[PM_MAX_RUNS] = {0};
	int n = 0, rc, kind;
	const char *out;

	o.fo = (struct pm_fetch_opts){10, 300, 4096ULL << 20, 5};
	if ((rc = parse_args(argc, argv, &o)))
		return rc;
	if (o.results_dir) {
		if (o.ninputs || o.compare)
			return die_usage("%s takes no other inputs", "--results-dir");
		return results_dir(&o);
	}
	if (o.compare) {
		if (o.ninputs != 1 || o.multi)
			return die_usage("%s wants exactly one RUN before it", "--compare");
		o.inputs[o.ninputs++] = o.compare;
		kind = 1;
	} else if (o.multi) {
		if (o.ninputs < 2)
			return die_usage("%s wants at least two runs", "--multi");
		kind = 2;
	} else {
		if (o.ninputs != 1)
			return die_usage(o.ninputs ? "%s one RUN at a time (or --multi)"
						   : "%s a RUN to plot",
					 "wants");
		kind = 0;
	}
	if (o.nlabels && o.nlabels != o.ninputs)
		return die_usage("%s: one label per run", "--labels");
	for (int i = 0; i < o.ninputs; i++) {
		rc = load(o.inputs[i], o.nlabels ? o.labels[i] : NULL, &o, &runs[n]);
		if (rc)
			goto out;
		n++;
	}
	/* runs must not share a name: the legacy N-way script's columns collided */
	for (int i = 1; i < n; i++)
		for (int j = 0; j < i; j++)
			if (!strcmp(runs[i]->label, runs[j]->label)) {
				size_t l = strlen(runs[i]->label);

				snprintf(runs[i]->label + (l > PM_STR - 6 ? PM_STR - 6 : l), 6,
					 " #%d", i + 1);
				j = -1; /* check the new name again */
			}
	out = o.out;
	if (!out && !o.summary && !o.json)
		out = kind == 0	  ? "fragmentation_analysis.png"
		      : kind == 1 ? "fragmentation_comparison.png"
				  : "fragmentation_overview.png";
	rc = emit(runs, n, &o, kind, out);
out:
	for (int i = 0; i < n; i++)
		pm_run_free(runs[i]);
	return rc;
}
