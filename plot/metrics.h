/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Key metrics of a run, one table used by --summary, --json, the statistics
 * panel, the A/B table and the N-way overview, so all of them agree.
 */
#ifndef FRAGMON_PLOT_METRICS_H
#define FRAGMON_PLOT_METRICS_H

#include "model.h"

enum pm_better { PM_NEUTRAL = 0, PM_HIGHER = 1, PM_LOWER = -1 };

enum pm_metric_id {
	PM_M_DURATION,
	PM_M_EVENTS,
	PM_M_EXTFRAG,
	PM_M_EXTFRAG_BPF,
	PM_M_EXTFRAG_RATE,
	PM_M_EF_FI,
	PM_M_STEAL,
	PM_M_CLAIM,
	PM_M_BAD,
	PM_M_GOOD,
	PM_M_TO_UNMOVABLE,
	PM_M_FRAGMENTING,
	PM_M_CSUCC,
	PM_M_CFAIL,
	PM_M_CRATE,
	PM_M_SUCC_FI,
	PM_M_SUCC_NEG,
	PM_M_SNAPSHOTS,
	PM_M_FREE_END,
	PM_M_FREE_HIGH_END,
	PM_M_FI_PB,
	PM_M_VM_STALL,
	PM_M_VM_FAIL,
	PM_M_VM_SUCCESS,
	PM_M_MIG_OK,
	PM_M_MIG_FAIL,
	PM_M_DROPPED,
	PM_M_CAPPED,
	PM_M_N,
};

struct pm_metric {
	const char *key;   /* JSON / --summary name */
	const char *label; /* for tables */
	const char *unit;
	int decimals;
	enum pm_better better;
	int valid;
	double v;
};

void pm_metrics(const struct pm_run *r, struct pm_metric m[PM_M_N]);
/* "12,345" / "87.5" / "n/a" */
void pm_metric_str(const struct pm_metric *m, char *buf, size_t cap);
/* the order used for "high-order" metrics: pageblock_order, else 9 */
int pm_high_order(const struct pm_run *r);

#endif
