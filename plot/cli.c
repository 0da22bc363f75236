// SPDX-License-Identifier: GPL-2.0
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum {
	O_BIN = 256,
	O_TITLE,
	O_COMPARE,
	O_LABELS,
	O_MULTI,
	O_RESULTS,
	O_BASELINE,
	O_SUMMARY,
	O_JSON,
	O_FOLDED,
	O_MAXSIZE,
	O_TIMEOUT,
	O_VERSION,
};

/* the one table: getopt_long's options and the --help text */
static const struct optdef {
	const char *name;
	int has_arg;
	int val; /* short option character, or O_* */
	const char *arg, *help;
} optdefs[] = {
    {"output", 1, 'o', "FILE",
     "PNG to write (atomically; - for standard output; an existing device, pipe or symlink is "
     "written through, never replaced); with --results-dir, a directory"},
    {"compare", 1, O_COMPARE, "RUN",
     "A/B dashboard of two runs: the one named first is A (the baseline), B is compared "
     "with it"},
    {"multi", 0, O_MULTI, NULL,
     "N-way overview of the runs given (2 to 16); each is compared "
     "with the first"},
    {"labels", 1, O_LABELS, "L...",
     "names of the runs, in order: the words after it up to the next option, or one "
     "comma-separated word; repeated --labels add to the list"},
    {"results-dir", 1, O_RESULTS, "DIR",
     "DIR/<host>/fragmentation_data.json (.gz, .partial): OUTDIR/<host>.png, "
     "OUTDIR/<X>-vs-<X-dev>.png per pair, OUTDIR/overview.png (overview-1.png, -2.png, ... "
     "past 16 hosts, each page with the baseline first), and every configuration against "
     "the baseline: OUTDIR/comparison_<B>_vs_<X>.png, and B-dev against X-dev (a configuration "
     "is a host name without -dev); DIR1,DIR2,...: a host in several trees is that side's "
     "repeated runs (docs/plot.md)"},
    {"baseline", 1, O_BASELINE, "NAME",
     "with --results-dir: the baseline configuration (default: the first in natural order), "
     "by its name or its end after a '-' (xfs-4k for kdevops-fio-tests-xfs-4k); "
     "NAME1,NAME2,...: each further one also against every configuration not listed "
     "before it (xfs-4k,xfs-16k: 4k-16k, 4k-32k, 16k-32k); an unknown NAME lists the "
     "configurations and exits 2"},
    {"bin", 1, O_BIN, "SEC", "extfrag timeline bin width (default: automatic)"},
    {"title", 1, O_TITLE, "T", "image title"},
    {"summary", 0, O_SUMMARY, NULL,
     "print the metrics as text on standard output (A/B and N-way: then one line per "
     "metric: A, B, B-A, its 95% interval, verdict)"},
    {"json", 1, O_JSON, "FILE", "write the key metrics as JSON (- for standard output)"},
    {"folded", 1, O_FOLDED, "FILE",
     "write the fallbacks' kernel call paths as folded stacks (flamegraph.pl, inferno, "
     "speedscope; A/B: two counts per line, flamegraph.pl's differential input)"},
    {"max-size", 1, O_MAXSIZE, "MB", "largest input accepted from a URL (default 4096)"},
    {"timeout", 1, O_TIMEOUT, "SEC", "total time allowed for a URL (default 300; connect: 10)"},
    {"help", 0, 'h', NULL, "this text"},
    {"version", 0, O_VERSION, NULL, "print the version"},
};
#define NOPTS (sizeof(optdefs) / sizeof(optdefs[0]))

static const char synopsis[] =
    "usage: fragmon-plot RUN [-o out.png] [--bin SEC] [--title T]\n"
    "       fragmon-plot A --compare B [--labels LA LB] [-o ab.png]\n"
    "       fragmon-plot --multi R1 R2 ... [--labels L1 L2 ...] [-o all.png]\n"
    "       fragmon-plot --results-dir DIR[,DIR...] [--baseline NAME[,...]] -o OUTDIR\n"
    "\n"
    "RUN is a fragmentation_data.json (or .partial) of fragmon-agent, a legacy tracker\n"
    "JSON file, an http:// or https:// URL of one, or - for standard input; gzip\n"
    "compressed input is recognised. Repeated runs of one configuration are one\n"
    "argument, comma-separated: A1.json,A2.json --compare B1.json,B2.json.\n"
    "\n";

static const char epilogue[] =
    "\n"
    "Compared metrics are rates, shares and means over the run, in the zone under\n"
    "pressure, with 95% intervals from batch means (a block length chosen from each\n"
    "row's data; over the repeated runs when a side has several). The primary row\n"
    "(extfrag per GiB allocated, else per second) is tested at its own 5%; the others\n"
    "only when it differs, with Holm among them. A verdict (better/worse) only where\n"
    "B-A's interval excludes 0, else ~ within noise; \"one run: needs repeats\" where\n"
    "a single run cannot support one. docs/plot.md.\n"
    "\n"
    "Without -o, an image is written only when neither --summary nor --json is given:\n"
    "fragmentation_analysis.png, fragmentation_comparison.png or fragmentation_overview.png.\n"
    "A truncated input (killed agent) is plotted with a warning on stderr and on the image.\n"
    "\n"
    "Exit status: 0 ok; 1 runtime failure (fetch/network, cannot write output);\n"
    "2 bad input or usage (malformed or empty JSON, unknown option, missing file, an output\n"
    "refused: directory, dangling symlink, wrong extension).\n";

int pm_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("fragmon-plot: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'fragmon-plot --help'.\n", stderr);
	return EXIT_INPUT;
}

/* the help text: "  -o, --output FILE   text" wrapped at 79 columns */
static void help(FILE *f)
{
	const int col = 24, width = 79;

	fputs(synopsis, f);
	for (size_t i = 0; i < NOPTS; i++) {
		const struct optdef *d = &optdefs[i];
		char head[64];
		const char *t = d->help;
		int n, first = 1;

		if (d->val < 256)
			n = snprintf(head, sizeof(head), "  -%c, --%s%s%s", d->val, d->name,
				     d->arg ? " " : "", d->arg ? d->arg : "");
		else
			n = snprintf(head, sizeof(head), "      --%s%s%s", d->name,
				     d->arg ? " " : "", d->arg ? d->arg : "");
		fputs(head, f);
		if (n >= col - 1) {
			fputc('\n', f);
			n = 0;
		}
		while (*t) {
			int room = width - col, len = (int)strlen(t);

			if (len > room) {
				len = room;
				while (len > 0 && t[len] != ' ')
					len--;
				if (!len)
					len = room;
			}
			fprintf(f, "%*s%.*s\n", first ? col - n : col, "", len, t);
			first = 0;
			t += len;
			while (*t == ' ')
				t++;
		}
	}
	fputs(epilogue, f);
}

static int parse_pos(const char *opt, const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(*out) || !(*out > 0))
		return pm_usage_error("%s wants a positive finite number, not '%s'", opt, s);
	return 0;
}

static int once(const char **slot, const char *opt, const char *val)
{
	if (*slot)
		return pm_usage_error("%s given twice ('%s', then '%s'): give it once", opt, *slot,
				      val);
	*slot = val;
	return 0;
}

/* one run argument: a path, URL or -, or several files of one configuration
 * separated by commas (unless the whole argument names an existing file) */
static int add_group(struct pm_cli *c, const char *arg)
{
	struct pm_group *g;
	struct stat st;
	char *copy, *save = NULL;

	if (c->ngroups == PM_MAX_RUNS)
		return pm_usage_error("at most %d runs in one image", PM_MAX_RUNS);
	g = &c->groups[c->ngroups++];
	g->n = 0;
	if (!strchr(arg, ',') || !stat(arg, &st)) {
		g->files[g->n++] = arg;
		return 0;
	}
	copy = strdup(arg);
	if (!copy || c->nowned == (int)(sizeof(c->owned) / sizeof(c->owned[0]))) {
		free(copy);
		return pm_usage_error("too many comma-separated arguments");
	}
	c->owned[c->nowned++] = copy;
	if (*arg == ',' || arg[strlen(arg) - 1] == ',' || strstr(arg, ",,"))
		return pm_usage_error("'%s': an empty name in a comma-separated list", arg);
	for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		if (g->n == PM_MAX_REPEATS)
			return pm_usage_error("'%s': at most %d repeated runs of one configuration",
					      arg, PM_MAX_REPEATS);
		g->files[g->n++] = p;
	}
	return 0;
}

static int add_labels(struct pm_cli *c, const char *arg)
{
	char *copy = strdup(arg), *save = NULL;

	if (!copy || c->nowned == (int)(sizeof(c->owned) / sizeof(c->owned[0]))) {
		free(copy);
		return pm_usage_error("too many --labels");
	}
	c->owned[c->nowned++] = copy;
	if (!*arg || *arg == ',' || arg[strlen(arg) - 1] == ',' || strstr(arg, ",,"))
		return pm_usage_error("--labels: an empty label in '%s'", arg);
	for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		if (c->nlabels == PM_MAX_RUNS)
			return pm_usage_error("at most %d labels", PM_MAX_RUNS);
		c->labels[c->nlabels++] = p;
	}
	return 0;
}

int pm_cli_parse(int argc, char **argv, struct pm_cli *c, int *done)
{
	struct option lopts[NOPTS + 1];
	char shorts[2 * NOPTS + 3] = "-:";
	size_t ns = 2;
	const char *bin = NULL, *maxsize = NULL, *timeout = NULL, *compare = NULL;
	int opt, rc;
	double d;

	*done = 0;
	for (size_t i = 0; i < NOPTS; i++) {
		lopts[i] =
		    (struct option){optdefs[i].name, optdefs[i].has_arg, NULL, optdefs[i].val};
		if (optdefs[i].val < 256) {
			shorts[ns++] = (char)optdefs[i].val;
			if (optdefs[i].has_arg)
				shorts[ns++] = ':';
		}
	}
	shorts[ns] = '\0';
	lopts[NOPTS] = (struct option){NULL, 0, NULL, 0};
	opterr = 0;
	optind = 1;
	/* "-": arguments in the order given (the first run named is A) */
	while ((opt = getopt_long(argc, argv, shorts, lopts, NULL)) != -1) {
		rc = 0;
		switch (opt) {
		case 1:
			rc = add_group(c, optarg);
			break;
		case 'o':
			rc = once(&c->out, "-o/--output", optarg);
			break;
		case O_JSON:
			rc = once(&c->json, "--json", optarg);
			break;
		case O_FOLDED:
			rc = once(&c->folded, "--folded", optarg);
			break;
		case O_TITLE:
			rc = once(&c->title, "--title", optarg);
			break;
		case O_RESULTS:
			rc = once(&c->results_dir, "--results-dir", optarg);
			break;
		case O_BASELINE:
			rc = once(&c->baseline, "--baseline", optarg);
			break;
		case O_COMPARE:
			if ((rc = once(&compare, "--compare", optarg)))
				break;
			c->compare = 1;
			rc = add_group(c, optarg);
			break;
		case O_BIN:
			if (!(rc = once(&bin, "--bin", optarg)))
				rc = parse_pos("--bin", optarg, &c->bin);
			break;
		case O_MAXSIZE:
			if (!(rc = once(&maxsize, "--max-size", optarg)) &&
			    !(rc = parse_pos("--max-size", optarg, &d))) {
				if (d > 1e9)
					d = 1e9;
				c->fo.max_bytes = (unsigned long long)(d * 1048576);
				if (!c->fo.max_bytes)
					c->fo.max_bytes = 1;
			}
			break;
		case O_TIMEOUT:
			if (!(rc = once(&timeout, "--timeout", optarg)) &&
			    !(rc = parse_pos("--timeout", optarg, &d)))
				c->fo.timeout_s = d >= 1e6 ? 1000000 : d >= 1 ? (long)d : 1;
			break;
		case O_LABELS:
			rc = add_labels(c, optarg);
			/* the words after it, up to the next option (legacy style) */
			while (!rc && optind < argc && argv[optind][0] != '-')
				rc = add_labels(c, argv[optind++]);
			break;
		case O_MULTI:
			c->multi = 1;
			break;
		case O_SUMMARY:
			c->summary = 1;
			break;
		case 'h':
			help(stdout);
			*done = 1;
			return 0;
		case O_VERSION:
			puts("fragmon-plot " FRAGMON_VERSION);
			*done = 1;
			return 0;
		case ':':
			return pm_usage_error("option '%s' needs an argument", argv[optind - 1]);
		default:
			if (optopt && optopt < 256)
				return pm_usage_error("unknown option '-%c'", optopt);
			return pm_usage_error("unknown option '%s'", argv[optind - 1]);
		}
		if (rc)
			return rc;
	}
	/* after "--": runs, even when they start with '-' */
	for (; optind < argc; optind++)
		if ((rc = add_group(c, argv[optind])))
			return rc;
	{
		int files = 0;

		for (int g = 0; g < c->ngroups; g++)
			files += c->groups[g].n;
		if (files > PM_MAX_FILES)
			return pm_usage_error(
			    "%d files: at most %d in one image (memory is kept per "
			    "run until it is drawn)",
			    files, PM_MAX_FILES);
	}
	return 0;
}

void pm_cli_free(struct pm_cli *c)
{
	for (int i = 0; i < c->nowned; i++)
		free(c->owned[i]);
	c->nowned = 0;
}
