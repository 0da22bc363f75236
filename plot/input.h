/* SPDX-License-Identifier: GPL-2.0 */
/* Load one run from a path or URL into a pm_run, streaming. */
#ifndef FRAGMON_PLOT_INPUT_H
#define FRAGMON_PLOT_INPUT_H

#include "fetch.h"
#include "model.h"

/* exit-status style: 0 ok, 1 runtime failure (I/O, network), 2 bad input; err says why */
int pm_load(const char *src, struct pm_run *r, const struct pm_fetch_opts *fo, char *err,
	    size_t errcap, unsigned long long *bytes);

#endif
