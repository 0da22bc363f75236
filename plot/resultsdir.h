/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --results-dir DIR -o OUTDIR: DIR/<host>/fragmentation_data.json (.gz,
 * .partial) for any number of hosts, in natural order (h2 before h10):
 * OUTDIR/<host>.png each, OUTDIR/<X>-vs-<X-dev>.png per pair, and the
 * overview: overview.png for up to PM_MAX_RUNS hosts, else overview-1.png,
 * overview-2.png, ..., each page starting with the first host (the baseline
 * every other host is compared with) and never splitting a pair.  At most one
 * page of runs is in memory at a time.
 */
#ifndef FRAGMON_PLOT_RESULTSDIR_H
#define FRAGMON_PLOT_RESULTSDIR_H

#include "cli.h"

int pm_results_dir(const struct pm_cli *c);

#endif
