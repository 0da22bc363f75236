/* SPDX-License-Identifier: GPL-2.0 */
/* Loading the runs named on the command line: labels, warnings on stderr. */
#ifndef FRAGMON_PLOT_RUNS_H
#define FRAGMON_PLOT_RUNS_H

#include "cli.h"
#include "model.h"

/* load one file; 0 ok, else an exit status (the message is printed) */
int pm_load_run(const char *src, const char *label, const struct pm_fetch_opts *fo,
		struct pm_run **out);
/* load every file of a group; label NULL: from the first path */
int pm_load_side(const struct pm_group *g, const char *label, const struct pm_fetch_opts *fo,
		 struct pm_side *side);
void pm_side_free(struct pm_side *side);
/* label from a path or URL: basename without .json[.partial]; the host
 * directory for .../<host>/fragmentation_data.json */
void pm_default_label(const char *src, char *out, size_t cap);
/* runs must not share a name (the legacy N-way columns collided): " #2" */
void pm_unique_labels(struct pm_side *sides, int n);

#endif
