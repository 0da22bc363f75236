/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --results-dir DIR[,DIR...] [--baseline NAME[,NAME...]] -o OUTDIR:
 * DIR/<host>/fragmentation_data.json (.gz, .partial) for any number of hosts,
 * in natural order (h2 before h10); a host in several trees is one side of
 * repeated runs.  A configuration is a host name without -dev.  Writes
 * OUTDIR/<host>.png each, OUTDIR/<X>-vs-<X-dev>.png per pair,
 * OUTDIR/comparison_<B>_vs_<C>.png for the baseline configuration B against
 * every other C on the same kernel (B-dev against C-dev), and the overview:
 * overview.png for up to PM_MAX_RUNS hosts, else overview-1.png, ..., each
 * page starting with the baseline and never splitting a pair.  At most one
 * page of runs and the baseline's hosts are in memory at a time.  An unknown
 * --baseline is refused (exit 2) before anything is written.  docs/plot.md.
 */
#ifndef FRAGMON_PLOT_RESULTSDIR_H
#define FRAGMON_PLOT_RESULTSDIR_H

#include "cli.h"

int pm_results_dir(const struct pm_cli *c);

#endif
