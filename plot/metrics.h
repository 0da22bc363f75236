/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The metrics of a run, one table used by --summary, --json, the statistics
 * panel, the A/B table and the N-way overview, so all of them agree.
 *
 * Compared metrics are rates (per second of run, or per GiB allocated where
 * the file has the kernel's pgalloc counters), shares and time means, each a
 * ratio of two sums of per-bin "channels" (a rate: a sum over the duration).
 * The same sums give the value and, resampled, its interval (plot/stats.c).
 * Raw counts are kept as context rows ("info"): they are never compared,
 * because runs differ in length.
 */
#ifndef FRAGMON_PLOT_METRICS_H
#define FRAGMON_PLOT_METRICS_H

#include <stddef.h>

#include "model.h"

enum pm_better { PM_NEUTRAL = 0, PM_HIGHER = 1, PM_LOWER = -1 };

/* per-bin quantities the compared metrics are made of */
enum pm_ch {
	CH_EF,
	CH_STEAL,
	CH_CLAIM,
	CH_BAD,
	CH_GOOD,
	CH_TOUNMOV,
	CH_FRAG,
	CH_CSUCC,
	CH_CFAIL,
	CH_CRUNS,
	CH_MIG_OK,
	CH_MIG_FAIL,
	CH_VM_STALL,
	CH_VM_FAIL,
	CH_VM_SUCC,
	CH_ALLOC_GIB,
	CH_NSNAP,     /* snapshots with free lists */
	CH_FREE_TOT,  /* free pages, summed over those snapshots */
	CH_FREE_HIGH, /* free pages in blocks of the high order or above */
	CH_PB_TOT,    /* pageblocks, summed over snapshots */
	CH_PB_UNMOV,
	CH_PB_RECL,
	CH_ZN,	       /* snapshots of the main zone */
	CH_FREEBLK_HO, /* ... in which a block of the high order was free */
	CH_FI_HO_SUM,  /* fragmentation index at the high order, when none was */
	CH_FI_HO_N,
	CH_US_HO_SUM, /* unusable free space index at the high order */
	CH_US_HO_N,
	CH_US_O3_SUM, /* ... at order 3 (32 KiB: folios of 32k-block filesystems) */
	CH_US_O3_N,
	CH_EF_ORD,			    /* PM_ORD channels: extfrag by allocation order slot */
	CH_SUCC_ORD = CH_EF_ORD + PM_ORD,   /* compaction successes by order slot */
	CH_CRUN_ORD = CH_SUCC_ORD + PM_ORD, /* compaction runs by order slot */
	CH_N = CH_CRUN_ORD + PM_ORD,
};

enum pm_mtype {
	PM_INFO,  /* a count or a value of the run: context, not compared */
	PM_RATE,  /* sum(num) / duration */
	PM_RATIO, /* sum(num) / sum(den) x scale: shares and time means */
};

/* what a metric needs from a run to mean anything */
enum pm_need {
	PM_NEED_NONE = 0,
	PM_NEED_EXTFRAG = 1,	/* extfrag traced (legacy files, agent modes full/extfrag) */
	PM_NEED_COMPACTION = 2, /* compaction traced */
	PM_NEED_AGENT = 4,	/* fragmon-agent file (flags, migrate events) */
	PM_NEED_SNAP = 8,	/* buddyinfo/pagetypeinfo snapshots */
	PM_NEED_PB = 16,	/* pageblock counts in the snapshots */
	PM_NEED_VM = 32,	/* vmstat in the snapshots */
	PM_NEED_PGALLOC = 64,	/* vmstat pgalloc_* */
	PM_NEED_MIGRATE = 128,	/* migrate events traced */
};

/* a row of a metrics table */
struct pm_mrow {
	char key[40];	/* JSON / --summary name */
	char label[72]; /* for tables */
	const char *unit;
	int decimals;
	enum pm_better better;
	enum pm_mtype type;
	int num, den; /* channels */
	double scale;
	int need;
	int min_den; /* ratio: fewer than this in the denominator: no interval */
	int info;    /* PM_INFO: which value (enum in metrics.c) */
};

/* one value */
struct pm_val {
	int valid;
	double v;
};

#define PM_MAX_ROWS 160

/* the rows for a set of runs: every fixed metric, then per-order rows for the
 * orders any of them has; compared_only leaves out the info rows */
int pm_rows(struct pm_run *const *runs, int n, int compared_only, struct pm_mrow *rows, int max);
/* channel sums of a run over fine bins [b0, b1) (all of it: 0, nbins) */
void pm_run_channels(const struct pm_run *r, int b0, int b1, double ch[CH_N]);
/* the value of a row for a run (from its whole-run channel sums ch, or NULL
 * to compute them) */
struct pm_val pm_value(const struct pm_mrow *m, const struct pm_run *r, const double *ch);
/* the value of a compared row from channel sums and a duration (bootstrap) */
double pm_value_of_sums(const struct pm_mrow *m, const double *ch, double duration);
int pm_row_applies(const struct pm_mrow *m, const struct pm_run *r);
/* decimals to show a value of this row of about the size of ref */
int pm_decimals(const struct pm_mrow *m, double ref);
/* for scripts (--summary): "12345" / "87.5" / "n/a" */
void pm_val_plain(const struct pm_mrow *m, struct pm_val v, char *buf, size_t cap);
/* for people: "12,345" / "87.5" / "n/a" */
void pm_val_str(const struct pm_mrow *m, struct pm_val v, char *buf, size_t cap);
/* the order used for "high-order" metrics: pageblock_order, else 9 */
int pm_high_order(const struct pm_run *r);
/* a free block of every order in every snapshot of the main zone */
int pm_run_plentiful(const struct pm_run *r);
/* find a row by key, -1 if absent */
int pm_row_find(const struct pm_mrow *rows, int n, const char *key);

#endif
