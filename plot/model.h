/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What fragmon-plot keeps of one run: counters and time-binned series,
 * filled while the JSON streams past (plot/reader.c).  Memory is fixed: time
 * is cut into at most PM_BINS fine bins of width bw; when an event falls past
 * the last bin every series merges pairs of bins and bw doubles.  Events need
 * not be sorted.  The compaction scatter is a (bin x index/10) count grid.
 */
#ifndef FRAGMON_PLOT_MODEL_H
#define FRAGMON_PLOT_MODEL_H

#include <stdint.h>

#include "fragindex.h"
#include "migratetype.h"
#include "severity.h"

#define PM_BINS 2048
#define PM_BW_MIN (1.0 / 1024) /* bin widths are 2^k / 1024 s */
#define PM_ORD 16	       /* order slot = order + 1 (order -1: whole-zone run) */
#define PM_FI_ROWS 102	       /* rows 0..100: index/10 for 0..1000; row 101: index < 0 */
#define PM_FI_NEG 101
#define PM_MAX_PAT 64
#define PM_MAX_ZONES 8
#define PM_STR 64
#define PM_MAX_RUNS 16	  /* configurations in one image */
#define PM_MAX_REPEATS 16 /* files of one configuration */

enum pm_evtype {
	PM_EV_EXTFRAG,
	PM_EV_CSUCC,
	PM_EV_CFAIL,
	PM_EV_CRUN,
	PM_EV_SNAPSHOT,
	PM_EV_OTHER_COMPACTION, /* try, suitable, defer*, kcompactd_* */
	PM_EV_MIGRATE,
	PM_EV_UNKNOWN,
	PM_EV_N,
};

struct pm_pattern {
	char from[FM_MT_NAME_LEN], to[FM_MT_NAME_LEN];
	struct fm_severity sev;
	uint64_t steal, claim;
	uint32_t bins[PM_BINS];
};

/* one (node, zone) of the snapshots; per fine bin: sums, so merging adds */
struct pm_zone {
	int node;
	char name[16];
	int nr_orders;
	double free_sum[PM_BINS][FM_MAX_ORDERS]; /* blocks */
	double fi_sum[PM_BINS][FM_MAX_ORDERS];	 /* of indices >= 0 */
	uint16_t fi_n[PM_BINS][FM_MAX_ORDERS];	 /* indices >= 0 */
	uint16_t fi_ok[PM_BINS][FM_MAX_ORDERS];	 /* indices < 0: a block was free */
	uint32_t n[PM_BINS];			 /* snapshots in the bin */
	double pages_sum;			 /* over all snapshots: to pick the main zone */
};

struct pm_run {
	char name[PM_STR * 4]; /* file or URL as given */
	char label[PM_STR];

	/* header / metadata */
	int have_run, have_metadata, have_stats;
	int truncated;	    /* the JSON ended early */
	long long trunc_at; /* byte where it ended */
	int complete;	    /* metadata.complete: 1, 0, -1 absent */
	double start_time, end_time, duration;
	long long meta_total_events, events_dropped, events_capped;
	char kernel[PM_STR], hostname[PM_STR], mode[16], end_reason[16], fi_source[16];
	int pageblock_order, nr_orders;
	int page_size; /* bytes; -1 unknown (legacy): 4096 assumed */
	int real_fi;   /* extfrag fragmentation_index is the kernel's (not legacy placeholder) */

	/* counters over every event read */
	uint64_t n_events, by_type[PM_EV_N];
	uint64_t succ[PM_ORD], fail[PM_ORD];
	uint64_t succ_neg;  /* successes with index < 0 */
	double succ_fi_sum; /* of successes with index >= 0 */
	uint64_t succ_fi_n;
	uint64_t steal, claim, fragmenting, bad, good, neutral, to_unmovable;
	uint64_t ef_order[PM_ORD]; /* extfrag events by allocation order slot */
	uint64_t mig_ok, mig_fail; /* pages, from migrate events */
	/* vmstat compact_{stall,fail,success} at the first and last snapshot */
	int have_vm;
	double vm_t0, vm_t1;
	long long vm0[3], vm1[3];
	double ef_fi_sum; /* extfrag real indices >= 0 */
	uint64_t ef_fi_n, ef_fi_neg;
	double tmin, tmax;
	int have_t;

	/* statistics block (exact BPF totals), -1 when absent */
	long long st_extfrag, st_csucc, st_cfail, st_steal, st_claim;

	/* time bins */
	double bw;
	int nbins; /* highest used bin + 1 */
	uint32_t steal_b[PM_BINS], claim_b[PM_BINS];
	uint32_t sc_count[PM_BINS][PM_FI_ROWS];	 /* compaction successes */
	uint16_t sc_orders[PM_BINS][PM_FI_ROWS]; /* bit (order slot) per cell */
	uint32_t fail_b[PM_BINS][PM_ORD];	 /* compaction failures per order slot */
	int npat;
	struct pm_pattern *pat[PM_MAX_PAT];
	uint64_t pat_overflow; /* extfrag events whose pattern did not fit */
	int nzones;	       /* per-zone series for the first PM_MAX_ZONES zones seen */
	struct pm_zone *zone[PM_MAX_ZONES];
	uint64_t nsnap;
	/* free blocks per order summed over every zone of a snapshot, however many */
	double tot_free[PM_BINS][FM_MAX_ORDERS];
	uint32_t tot_n[PM_BINS];
	int tot_orders;
	double last_tot_t;
	unsigned long long last_tot[FM_MAX_ORDERS];
};

/* one event as the reader hands it over */
struct pm_event {
	enum pm_evtype type;
	double t;
	int have_t;
	int order, fallback_order, fi, have_fi;
	int is_steal, fragmenting;  /* -1 unknown */
	long long mig_ok, mig_fail; /* migrate: pages */
	long long vm[3];	    /* snapshot vmstat: compact_stall, _fail, _success */
	int have_vm;
	char from[FM_MT_NAME_LEN], to[FM_MT_NAME_LEN];
	unsigned long long tot_free[FM_MAX_ORDERS]; /* snapshot: over all its zones */
	int tot_nfree;
	int nzones;
	struct pm_snapzone {
		int node;
		char name[16];
		int nfree, nfi;
		unsigned long long free[FM_MAX_ORDERS];
		int fi[FM_MAX_ORDERS];
	} zones[PM_MAX_ZONES];
};

/* one configuration: a run, or repeated runs of it (the first is drawn) */
struct pm_side {
	struct pm_run *run[PM_MAX_REPEATS];
	int n;
	char label[PM_STR];
};

struct pm_run *pm_run_new(const char *name);
void pm_run_free(struct pm_run *r);
void pm_event_reset(struct pm_event *ev);
enum pm_evtype pm_evtype_of(const char *s, size_t len);
const char *pm_evtype_name(enum pm_evtype t);
/* called once the metadata duration is known, before any event: pre-size bins */
void pm_run_presize(struct pm_run *r, double span);
void pm_run_add(struct pm_run *r, const struct pm_event *ev);

/* order slot <-> order */
static inline int pm_slot(int order)
{
	return order < -1 ? 0 : order + 1 >= PM_ORD ? PM_ORD - 1 : order + 1;
}

/* end of the time axis: last event or the duration, whichever is later */
double pm_run_span(const struct pm_run *r);
/* free pages per order in fine bin b, over all zones, averaged over the snapshots
 * in the bin; 0 when the bin has none */
int pm_run_free_pages(const struct pm_run *r, int b, double pages[FM_MAX_ORDERS]);
/* MiB in `pages` pages of this run (page_size, else 4 KiB) */
double pm_run_mib(const struct pm_run *r, double pages);
/* the zone with the most free memory on average (NULL without snapshots) */
const struct pm_zone *pm_run_main_zone(const struct pm_run *r);
/* patterns sorted worst first (severity, then count); returns the count */
int pm_run_sorted_patterns(const struct pm_run *r, const struct pm_pattern **out);

#endif
