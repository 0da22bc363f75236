/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fragmon-plot's command line: one table of options gives getopt_long its
 * option list and --help its text.  Runs are taken in the order given; the
 * first is A (the baseline).  A run argument may list several files of the
 * same configuration separated by commas (repeated runs: intervals then come
 * from the spread between them).
 */
#ifndef FRAGMON_PLOT_CLI_H
#define FRAGMON_PLOT_CLI_H

#include "fetch.h"
#include "model.h"

/* files in one image, all sides and repeats together: each run keeps its bins
 * (a few MB) until the image is drawn */
#define PM_MAX_FILES 64

#define EXIT_RUNTIME 1
#define EXIT_INPUT 2

struct pm_group {
	const char *files[PM_MAX_REPEATS];
	int n;
};

struct pm_cli {
	struct pm_group groups[PM_MAX_RUNS];
	int ngroups;
	const char *labels[PM_MAX_RUNS];
	int nlabels;
	const char *out, *title, *json, *results_dir, *baseline, *folded;
	double bin;
	int multi, summary, compare;
	struct pm_fetch_opts fo;
	char *owned[PM_MAX_RUNS * 2]; /* copies split at commas */
	int nowned;
};

/* 0 ok; else the exit status (0 after --help/--version sets *done) */
int pm_cli_parse(int argc, char **argv, struct pm_cli *c, int *done);
void pm_cli_free(struct pm_cli *c);
/* "fragmon-plot: <msg>\nTry 'fragmon-plot --help'." on stderr; returns EXIT_INPUT */
int pm_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
